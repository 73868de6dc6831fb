import Foundation
import Testing
import TestSupport

/// Bad input: one clear line on standard error naming the file and the problem, a stable
/// non-zero exit code, and nothing written.
@Suite("Bad input", .serialized)
struct CLIBadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: @Sendable (TemporaryFolder) throws -> [String]
        let exitCode: Int32
        let mentions: [String]
        var testDescription: String { name }
    }

    static let rgb = SharedData.path("satellite/landsat/RGB.byte.tif")
    static let uint16 = SharedData.path("satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif")

    static let cases: [Case] = [
        Case(name: "missing file", arguments: { t in ["tile", t.file("nope.tif"), "--out", t.file("out")] },
             exitCode: 66, mentions: ["nope.tif", "no such file"]),
        Case(name: "not a raster", arguments: { t in
            try "just some text\n".write(toFile: t.file("notes.tif"), atomically: true, encoding: .utf8)
            return ["tile", t.file("notes.tif"), "--out", t.file("out")]
        }, exitCode: 65, mentions: ["notes.tif", "not a raster"]),
        Case(name: "truncated TIFF", arguments: { t in
            // cogeo.tif keeps its directories at the start: GDAL opens the cut file, the blocks are gone.
            let data = try #require(FileManager.default.contents(atPath: SharedData.path("satellite/aerial/cogeo.tif")))
            try data.prefix(data.count * 6 / 10).write(to: URL(fileURLWithPath: t.file("cut.tif")))
            return ["tile", t.file("cut.tif"), "--out", t.file("out")]
        }, exitCode: 65, mentions: ["cut.tif", "truncated"]),
        Case(name: "zero tile size", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--tile-size", "0"] },
             exitCode: 64, mentions: ["--tile-size", "positive"]),
        Case(name: "negative tile size", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--tile-size=-5"] },
             exitCode: 64, mentions: ["--tile-size", "positive"]),
        Case(name: "overlap not smaller than the tile", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--tile-size", "256", "--overlap", "256"] },
             exitCode: 64, mentions: ["--overlap 256", "must be smaller than --tile-size 256"]),
        Case(name: "negative overlap", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--overlap=-5"] },
             exitCode: 64, mentions: ["--overlap", "negative"]),
        Case(name: "band out of range", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--bands", "3,4"] },
             exitCode: 64, mentions: ["RGB.byte.tif", "band 4 requested, the file has 3 bands"]),
        Case(name: "unwritable output", arguments: { t in
            try "a file".write(toFile: t.file("file"), atomically: true, encoding: .utf8)
            return ["tile", rgb, "--out", t.file("file/out")]
        }, exitCode: 74, mentions: ["file/out", "cannot create the output folder"]),
        Case(name: "16-bit to PNG without rescaling", arguments: { t in ["tile", uint16, "--out", t.file("out"), "--format", "png"] },
             exitCode: 64, mentions: ["png", "UInt16", "--rescale"]),
        Case(name: "stack format for a scene", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--format", "ome-tiff"] },
             exitCode: 64, mentions: ["ome-tiff", "stacks"]),
        Case(name: "bad level list", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--levels", "3-1"] },
             exitCode: 64, mentions: ["--levels"]),
        Case(name: "bad shard", arguments: { t in ["tile", rgb, "--out", t.file("out"), "--shard", "4/3"] },
             exitCode: 64, mentions: ["--shard"]),
    ]

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)), arguments: cases)
    func failsWithOneLineAndWritesNothing(_ c: Case) throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, try c.arguments(t))
        #expect(result.status == c.exitCode, "stderr: \(result.standardError)")
        let first = result.standardError.split(separator: "\n").first.map(String.init) ?? ""
        for text in c.mentions { #expect(first.contains(text), "first line: \(first)") }
        #expect(first.hasPrefix("error: ") || first.hasPrefix("Error: "))
        // Our own errors are exactly one line; argument-parser usage errors may add usage hints.
        if result.status != 64 || first.hasPrefix("error: ") {
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        let out = t.file("out")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(written.isEmpty, "nothing is written: found \(written)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aRunIntoAFinishedFolderNeedsResumeOrOverwrite() throws {
        guard SharedData.isAvailable else { return }
        let t = TemporaryFolder()
        let args = ["tile", Self.rgb, "--out", t.file("out"), "--tile-size", "512", "--quiet"]
        #expect(try ExternalCommand.run(ExternalCommand.scaletile, args).status == 0)
        let again = try ExternalCommand.run(ExternalCommand.scaletile, args)
        #expect(again.status == 64 && again.standardError.contains("--resume"))
        #expect(try ExternalCommand.run(ExternalCommand.scaletile, args + ["--resume"]).status == 0)
        #expect(try ExternalCommand.run(ExternalCommand.scaletile, args + ["--overwrite"]).status == 0)
    }
}

/// Label problems found before any tile is written: one line naming the label file.
@Suite("Bad labels", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct CLIBadLabelTests {
    static let scene = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")

    @Test func emptyLabelSetIsAnError() throws {
        let t = TemporaryFolder()
        try #"{"type": "FeatureCollection", "features": []}"#.write(toFile: t.file("empty.geojson"), atomically: true, encoding: .utf8)
        let r = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--labels", t.file("empty.geojson"), "--overlap", "auto", "--out", t.file("out")])
        #expect(r.status == 65, "\(r.standardError)")
        #expect(r.standardError.hasPrefix("error: ") && r.standardError.contains("empty.geojson") && r.standardError.contains("no objects"))
        #expect(!FileManager.default.fileExists(atPath: t.file("out")))
    }

    @Test func labelsOfAnotherImageAreAnError() throws {
        let t = TemporaryFolder()
        // OSBS_029.csv's rows name OSBS_029.tif, not this scene.
        let r = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--labels", SharedData.path("satellite/labeled/neon_osbs_trees/OSBS_029.csv"), "--out", t.file("out")])
        #expect(r.status == 65, "\(r.standardError)")
        #expect(r.standardError.split(separator: "\n").count == 1 && r.standardError.contains("OSBS_029.csv: no rows for image sample_geotiff.tif"))
        #expect(!FileManager.default.fileExists(atPath: t.file("out")))
    }

    @Test func labelsOutsideTheSceneAreAnError() throws {
        let t = TemporaryFolder()
        // A building 100 km west of the scene, in the scene's own CRS.
        try #"""
            {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32616"}},
             "features": [{"type": "Feature", "properties": {"class": "building"},
               "geometry": {"type": "Polygon", "coordinates": [[[640000, 3740000], [640020, 3740000], [640020, 3740020], [640000, 3740020], [640000, 3740000]]]}}]}
            """#.write(toFile: t.file("far.geojson"), atomically: true, encoding: .utf8)
        let r = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--labels", t.file("far.geojson"), "--out", t.file("out")])
        #expect(r.status == 65, "\(r.standardError)")
        #expect(r.standardError.contains("far.geojson") && r.standardError.contains("outside"), "\(r.standardError)")
        #expect(!FileManager.default.fileExists(atPath: t.file("out")))
    }

    @Test func overlapAutoNeedsLabels() throws {
        let t = TemporaryFolder()
        let r = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--overlap", "auto", "--out", t.file("out")])
        #expect(r.status == 64 && r.standardError.contains("--labels"), "\(r.standardError)")
    }
}
