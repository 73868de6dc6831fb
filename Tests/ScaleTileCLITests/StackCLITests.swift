import Foundation
import Testing
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// The command line on stacks: `info` on every medical TIFF, `tile`, `pyramid` and `analyze`
/// dispatching to stacks, and bad input (one line, a stable exit code, nothing written).
@Suite("Stacks on the command line", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct StackCLITests {
    static func run(_ arguments: [String]) throws -> ExternalCommand.Result {
        try ExternalCommand.run(ExternalCommand.scaletile, arguments)
    }

    static func json(_ result: ExternalCommand.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// SOURCES.md's description of each medical TIFF: size, sample type, spacing.
    struct Expected: Sendable, CustomTestStringConvertible {
        let file: String
        let size: [Int]
        let dataType: String
        let spacing: [Double]?
        let flavour: String?
        var testDescription: String { (file as NSString).lastPathComponent }
    }

    static let medical: [Expected] = [
        Expected(file: "tiff/mini-t1-head.tif", size: [32, 32, 32], dataType: "UInt16", spacing: [1.5, 1.5, 1.5], flavour: "imagej"),
        Expected(file: "tiff/img2d.tif", size: [512, 512], dataType: "UInt16", spacing: nil, flavour: nil),
        Expected(file: "tiff/mask2d.tif", size: [512, 512], dataType: "UInt16", spacing: nil, flavour: nil),
        Expected(file: "derived/brain1_image_imagej.tif", size: [256, 256, 25], dataType: "Int16", spacing: [0.78125, 0.78125, 6.5], flavour: "imagej"),
        Expected(file: "derived/brain1_label_imagej.tif", size: [256, 256, 25], dataType: "Byte", spacing: [0.78125, 0.78125, 6.5], flavour: "imagej"),
        Expected(file: "derived/lung1_ct_z27-39.ome.tif", size: [512, 512, 13], dataType: "Int16", spacing: [0.5703125, 0.5703125, 5], flavour: "ome"),
        Expected(file: "derived/lung1_label_z27-39.ome.tif", size: [512, 512, 13], dataType: "Byte", spacing: [0.5703125, 0.5703125, 5], flavour: "ome"),
    ]

    // Stacks report the stack keys of DESIGN.md §2; the single-page TIFFs are scenes (the
    // DESIGN rule) and report GDAL's keys, unless --as stack asks for a stack of depth 1.
    @Test(arguments: medical)
    func infoMatchesSources(_ e: Expected) throws {
        let path = SharedData.path("medical/" + e.file)
        let result = try Self.run(["info", path, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let info = try Self.json(result)
        if e.size.count == 3 {
            #expect(info["kind"] as? String == "stack")
            #expect([info["width"], info["height"], info["depth"]].map { $0 as? Int } == e.size)
            #expect(info["dataType"] as? String == e.dataType && info["flavour"] as? String == e.flavour)
            #expect(info["channels"] as? Int == 1 && info["timepoints"] as? Int == 1 && info["pages"] as? Int == e.size[2])
            let spacing = try #require(info["spacing"] as? [String: Any])
            #expect(["x", "y", "z"].map { spacing[$0] as? Double } == e.spacing!.map { $0 })
            #expect(spacing["unit"] as? String == "mm")
            let text = try Self.run(["info", path])
            #expect(text.status == 0 && text.standardOutput.contains("\(e.size[0]) x \(e.size[1]) x \(e.size[2]) voxels"))
        } else {
            #expect(info["driver"] as? String == "GTiff")
            #expect(info["width"] as? Int == e.size[0] && info["height"] as? Int == e.size[1])
            let bands = try #require(info["bands"] as? [[String: Any]])
            #expect(bands.map { $0["dataType"] as? String } == [e.dataType])
            let asStack = try Self.json(try Self.run(["info", path, "--json", "--as", "stack"]))
            #expect(asStack["depth"] as? Int == 1 && asStack["flavour"] as? String == "plain" && asStack["dataType"] as? String == e.dataType)
        }
    }

    @Test func tilePyramidAndAnalyzeRunOnStacks() throws {
        let t = TemporaryFolder()
        let brain = SharedData.path("medical/derived/brain1_image_imagej.tif")
        let label = SharedData.path("medical/derived/brain1_label_imagej.tif")
        let tile = try Self.run(["tile", brain, "--mask", label, "--patch", "96x96x16", "--overlap", "16x16x4", "--out", t.file("patches"),
                                 "--levels", "0,1", "--threads", "2", "--json"])
        #expect(tile.status == 0, "\(tile.standardError)")
        let summary = try Self.json(tile)
        #expect(summary["kind"] as? String == "stack" && (summary["patches"] as? [String: Any])?["written"] as? Int == 26)
        let lines = try String(contentsOfFile: t.file("patches/manifest.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 26)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(first.keys).isSuperset(of: ["id", "path", "mask", "level", "scale", "window", "source", "spacing", "lesions", "reason"]))
        #expect(Set((first["window"] as! [String: Any]).keys) == ["x", "y", "z", "width", "height", "depth"])

        // --labels names a stack's mask as --mask does.
        let viaLabels = try Self.run(["tile", brain, "--labels", label, "--patch", "96x96x16", "--overlap", "16x16x4", "--out", t.file("labels"),
                                      "--levels", "0,1", "--threads", "2", "--quiet"])
        #expect(viaLabels.status == 0, "\(viaLabels.standardError)")
        #expect(TemporaryFolder.files(in: t.file("labels")).filter { $0.key != "summary.json" }
                == TemporaryFolder.files(in: t.file("patches")).filter { $0.key != "summary.json" })

        let dry = try Self.run(["tile", brain, "--patch", "64x64", "--out", t.file("dry"), "--dry-run"])
        #expect(dry.status == 0 && dry.standardOutput.contains("400 of 400 patches"))
        #expect(!FileManager.default.fileExists(atPath: t.file("dry")))

        let pyramid = try Self.run(["pyramid", label, "--out", t.file("pyramid"), "--levels", "1-2", "--resampling", "nearest", "--json"])
        #expect(pyramid.status == 0, "\(pyramid.standardError)")
        #expect(FileManager.default.fileExists(atPath: t.file("pyramid/pyramid/brain1_label_imagej.ome.tif")))

        // --pyramid-layout names the stack layout; the first release's --layout still works, with one warning.
        let files = try Self.run(["pyramid", label, "--out", t.file("files"), "--levels", "fit", "--tile-size", "64", "--resampling", "nearest",
                                  "--pyramid-layout", "files", "--quiet"])
        #expect(files.status == 0 && files.standardError.isEmpty, "\(files.standardError)")
        let legacy = try Self.run(["pyramid", label, "--out", t.file("legacy"), "--levels", "auto", "--tile-size", "64", "--resampling", "nearest",
                                   "--layout", "files", "--quiet"])
        #expect(legacy.status == 0, "\(legacy.standardError)")
        #expect(legacy.standardError.split(separator: "\n") == ["warning: pyramid --layout is now --pyramid-layout (--layout names the trainer layouts)"])
        #expect(TemporaryFolder.files(in: t.file("legacy")).keys.sorted() == TemporaryFolder.files(in: t.file("files")).keys.sorted())
        #expect(TemporaryFolder.files(in: t.file("files")).keys.count { $0.hasSuffix(".ome.tif") } >= 2)

        let analyze = try Self.run(["analyze", SharedData.path("medical/tiff/mask2d.tif"), "--json", "--chart", t.file("sizes.svg")])
        #expect(analyze.status == 0, "\(analyze.standardError)")
        #expect(try Self.json(analyze)["targetCount"] as? Int == 125)
        #expect(try String(contentsOfFile: t.file("sizes.svg"), encoding: .utf8).hasPrefix("<svg"))
        let table = try Self.run(["analyze", label])
        #expect(table.status == 0 && table.standardOutput.contains("2 lesions") && table.standardOutput.contains("√voxels"))
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: @Sendable (TemporaryFolder) throws -> [String]
        let exitCode: Int32
        let mentions: [String]
        var testDescription: String { name }
    }

    static let brain = SharedData.path("medical/derived/brain1_image_imagej.tif")
    static let label = SharedData.path("medical/derived/brain1_label_imagej.tif")

    static let badCases: [BadCase] = [
        BadCase(name: "mask one slice short", arguments: { t in
            // The first 24 slices of the real mask, written as an ImageJ stack.
            let mask = try TIFFStack(opening: label)
            let slices = try mask.read(Window(x: 0, y: 0, z: 0, width: 256, height: 256, depth: 24))
            try StackWriter(format: .tiff).write(slices, spacing: mask.spacing, to: t.file("mask.tif"))
            return ["tile", brain, "--mask", t.file("mask.tif"), "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 65, mentions: ["mask.tif: the mask is 256x256x24, the image ", "brain1_image_imagej.tif is 256x256x25"]),
        BadCase(name: "overlap not smaller than the patch in Z", arguments: { t in
            ["tile", brain, "--patch", "64x64x8", "--overlap", "8x8x8", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["--overlap 8 must be smaller than --patch 8 on Z"]),
        BadCase(name: "one overlap for a thin patch", arguments: { t in
            ["tile", brain, "--patch", "64x64x4", "--overlap", "4", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["--overlap 4", "must be smaller than --patch 4 on Z"]),
        BadCase(name: "truncated stack", arguments: { t in
            // brain1's image is uncompressed and striped: cutting the file loses the last slices' strips.
            let data = try #require(FileManager.default.contents(atPath: brain))
            try data.prefix(data.count * 7 / 10).write(to: URL(fileURLWithPath: t.file("cut.tif")))
            return ["tile", t.file("cut.tif"), "--as", "stack", "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 65, mentions: ["cut.tif", "truncated"]),
        BadCase(name: "not a TIFF", arguments: { t in
            try "not an image\n".write(toFile: t.file("notes.tif"), atomically: true, encoding: .utf8)
            return ["tile", t.file("notes.tif"), "--as", "stack", "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 65, mentions: ["notes.tif", "not a TIFF"]),
        BadCase(name: "missing mask", arguments: { t in
            ["tile", brain, "--mask", t.file("nope.tif"), "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 66, mentions: ["nope.tif", "no such file"]),
        BadCase(name: "no patch size", arguments: { t in ["tile", brain, "--out", t.file("out")] },
                exitCode: 64, mentions: ["--patch"]),
        BadCase(name: "patch in voxels and millimetres", arguments: { t in
            ["tile", brain, "--patch", "64x64x8", "--patch-mm", "40", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["--patch-mm", "not both"]),
        BadCase(name: "millimetres without spacing", arguments: { t in
            ["tile", SharedData.path("medical/tiff/img2d.tif"), "--as", "stack", "--patch-mm", "10", "--out", t.file("out")]
        }, exitCode: 65, mentions: ["img2d.tif", "no physical spacing"]),
        BadCase(name: "scene format for a stack", arguments: { t in
            ["tile", brain, "--patch", "64x64x8", "--format", "png", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["--format", "png"]),
        BadCase(name: "channel out of range", arguments: { t in
            ["tile", brain, "--patch", "64x64x8", "--channels", "2", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["brain1_image_imagej.tif", "channel 2 requested, the stack has 1 channel"]),
        BadCase(name: "a scene given a mask", arguments: { t in
            ["tile", SharedData.path("satellite/landsat/RGB.byte.tif"), "--mask", label, "--out", t.file("out")]
        }, exitCode: 64, mentions: ["RGB.byte.tif", "--mask is for stacks"]),
        BadCase(name: "scene label options for a stack", arguments: { t in
            ["tile", brain, "--labels", label, "--classes", "lesion", "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["brain1_image_imagej.tif", "--classes is for scene labels"]),
        BadCase(name: "labels and mask disagree", arguments: { t in
            ["tile", brain, "--labels", label, "--mask", brain, "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 64, mentions: ["--mask", "not two different files"]),
        BadCase(name: "mode cannot scale Z", arguments: { t in
            ["pyramid", label, "--out", t.file("out"), "--levels", "1", "--scale-z", "--resampling", "mode"]
        }, exitCode: 64, mentions: ["--resampling", "mode"]),
        BadCase(name: "analyze vectors without a scene", arguments: { _ in
            ["analyze", SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson")]
        }, exitCode: 64, mentions: ["geotiff_labels.geojson", "--image"]),
    ]

    @Test(arguments: badCases)
    func badInputFailsWithOneLineAndWritesNothing(_ c: BadCase) throws {
        let t = TemporaryFolder()
        let result = try Self.run(try c.arguments(t))
        #expect(result.status == c.exitCode, "stderr: \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        let first = lines.first.map(String.init) ?? ""
        #expect(first.hasPrefix("error: "), "\(result.standardError)")
        for text in c.mentions { #expect(first.contains(text), "first line: \(first)") }
        #expect(lines.count == 1, "\(result.standardError)")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: t.file("out"))) ?? []
        #expect(written.isEmpty, "nothing is written: found \(written)")
        #expect(result.standardOutput.isEmpty)
    }
}
