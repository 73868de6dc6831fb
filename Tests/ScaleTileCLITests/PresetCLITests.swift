import Foundation
import Testing
import TestSupport

/// `scaletile run`: broken presets fail with one line and write nothing; a satellite preset
/// writes exactly what `scaletile tile` writes with the same values; inputs, overrides,
/// dry runs and JSON as documented.
@Suite("Preset runs", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct PresetCLITests {
    static let rgb = SharedData.path("satellite/landsat/RGB.byte.tif")
    static let cogeo = SharedData.path("satellite/aerial/cogeo.tif")
    static let brain = SharedData.path("medical/derived/brain1_image_imagej.tif")
    static let lungMask = SharedData.path("medical/derived/lung1_label_z27-39.ome.tif")

    /// Runs `scaletile` in `folder`.
    static func scaletile(_ arguments: [String], in folder: TemporaryFolder) throws -> ExternalCommand.Result {
        try ExternalCommand.run(ExternalCommand.scaletile, arguments, currentDirectory: folder.path)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func files(in folder: String) -> [String: Data] { TemporaryFolder.files(in: folder) }

    // MARK: Broken presets

    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        let preset: String
        var arguments: [String] = []
        let exitCode: Int32
        let mentions: [String]
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "syntax error", preset: "version: 1\ninput:\n  paths: [\(rgb)\ntiling: {size: 256}\n", exitCode: 78,
               mentions: ["preset.yaml: line ", "does not parse"]),
        Broken(name: "unknown key", preset: "version: 1\ninput:\n  paths: \(rgb)\ntiling:\n  sise: 256\n", exitCode: 78,
               mentions: ["preset.yaml: line 5: unknown key 'tiling.sise' (did you mean 'tiling.size'?)"]),
        Broken(name: "wrong type", preset: "version: 1\ninput:\n  paths: \(rgb)\ntiling:\n  overlap: lots\n", exitCode: 78,
               mentions: ["preset.yaml: line 5: tiling.overlap must be a number, XxY, XxYxZ or auto, got \"lots\""]),
        Broken(name: "unsupported version", preset: "version: 3\ninput:\n  paths: \(rgb)\n", exitCode: 78,
               mentions: ["preset.yaml: line 1: version 3 is not supported"]),
        Broken(name: "overlap not below the tile size", preset: "version: 1\ninput:\n  paths: \(rgb)\ntiling:\n  size: 128\n  overlap: 128\n", exitCode: 78,
               mentions: ["preset.yaml: line 6: tiling.overlap 128 must be smaller than tiling.size 128"]),
        Broken(name: "negative count", preset: "version: 1\ninput:\n  paths: \(rgb)\nsampling:\n  count: -10\n", exitCode: 78,
               mentions: ["preset.yaml: line 5: sampling.count must not be negative, got -10"]),
        Broken(name: "output escaping --out", preset: "version: 1\ninput:\n  paths: \(rgb)\noutput:\n  path: ../escaped\n", arguments: ["--out", "out"],
               exitCode: 78, mentions: ["preset.yaml: line 5: output.path '../escaped' climbs out of --out"]),
        Broken(name: "bad --set key", preset: "version: 1\ninput:\n  paths: \(rgb)\n", arguments: ["--set", "tile.size=256"], exitCode: 64,
               mentions: ["--set tile.size=256: unknown key 'tile.size' (did you mean 'tiling.size'?)"]),
        Broken(name: "--set version", preset: "version: 1\ninput:\n  paths: \(rgb)\n", arguments: ["--set", "version=2"], exitCode: 64,
               mentions: ["--set version=2: the version is the preset file's"]),
        Broken(name: "bad --set value", preset: "version: 1\ninput:\n  paths: \(rgb)\n", arguments: ["--set", "levels.levels=3-1"], exitCode: 64,
               mentions: ["--set levels.levels=3-1: levels.levels must be a level list"]),
        // Stacks: the spacing expectation names the file and both spacings; lesion samplers need the mask.
        Broken(name: "stack spacing unlike the preset",
               preset: "version: 1\ndomain: medical\ninput:\n  paths: \(brain)\n  expect:\n    spacing: [0.5, 0.5, 5]\n", exitCode: 65,
               mentions: ["brain1_image_imagej.tif: has a voxel spacing of 0.78125 x 0.78125 x 6.5 mm, the preset expects 0.5 x 0.5 x 5 within 1 % (presets/preset.yaml: line 6)"]),
        Broken(name: "lesion sampler without a mask",
               preset: "version: 1\ndomain: medical\njob: sample\ninput:\n  paths: \(brain)\ntiling: {size: 64x64x8, overlap: 0}\n", exitCode: 78,
               mentions: ["preset.yaml: line 3: sampling.strategy object-balanced places windows around lesions: give labels.path (the mask) or --labels"]),
        Broken(name: "mask unlike the stack",
               preset: "version: 1\ndomain: medical\njob: sample\ninput:\n  paths: \(brain)\nlabels:\n  path: \(lungMask)\ntiling: {size: 64x64x8, overlap: 0}\n",
               exitCode: 65, mentions: ["lung1_label_z27-39.ome.tif: the mask is 512x512x13, the image ", "brain1_image_imagej.tif is 256x256x25"]),
        Broken(name: "input unlike the preset", preset: "version: 1\ninput:\n  paths: \(rgb)\n  expect:\n    dataType: UInt16\n", exitCode: 65,
               mentions: ["RGB.byte.tif: band 1 is Byte, the preset expects UInt16 (presets/preset.yaml: line 5)"]),
        Broken(name: "missing input", preset: "version: 1\ninput:\n  paths: scenes/absent.tif\n", exitCode: 66,
               mentions: ["scenes/absent.tif: no such file"]),
        Broken(name: "glob without match", preset: "version: 1\ninput:\n  paths: scenes/*.tif\n", exitCode: 66,
               mentions: ["scenes/*.tif: no file matches this pattern (from presets/preset.yaml: line 3)"]),
        Broken(name: "no input at all", preset: "version: 1\n", exitCode: 64, mentions: ["preset.yaml: names no input"]),
        Broken(name: "weighted without a map", preset: "version: 1\njob: sample\ninput:\n  paths: \(rgb)\nsampling:\n  strategy: weighted\n", exitCode: 78,
               mentions: ["preset.yaml: line 6: sampling.strategy weighted draws window centres from a raster of weights: give sampling.map"]),
        Broken(name: "weighted on a stack without its weight volume",
               preset: "version: 1\ndomain: medical\njob: sample\ninput:\n  paths: \(brain)\ntiling: {size: 64x64x8, overlap: 0}\nsampling: {strategy: weighted, map: w.tif}\n",
               exitCode: 66, mentions: ["w.tif"]),
        Broken(name: "creation option set twice", preset: "version: 1\ninput:\n  paths: \(rgb)\noutput:\n  creationOptions: {compress: LZW, COMPRESS: ZSTD}\n",
               exitCode: 78, mentions: ["output.creationOptions sets COMPRESS twice (COMPRESS, compress)"]),
    ]

    @Test(arguments: broken)
    func brokenPresetsFailWithOneLineAndWriteNothing(_ c: Broken) throws {
        let t = TemporaryFolder()
        try Self.write(c.preset, to: t.file("presets/preset.yaml"))
        let result = try Self.scaletile(["run", "presets/preset.yaml"] + c.arguments, in: t)
        #expect(result.status == c.exitCode, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.standardError)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("error: "))
        for m in c.mentions { #expect(line.contains(m), "\(line)") }
        #expect(result.standardOutput.isEmpty)
        // Nothing but the preset, in the folder or above it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.path).sorted() == ["presets"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.file("presets")) == ["preset.yaml"])
    }

    // MARK: A satellite preset end to end

    // The preset's folder for its input is exactly `scaletile tile`'s output with the same values.
    @Test func aSatellitePresetWritesWhatTileWrites() throws {
        let t = TemporaryFolder()
        try Self.write("""
            version: 1
            name: landsat-rgb
            description: Landsat RGB in 30 m pixels.
            domain: satellite
            input:
              expect: {bands: 3, dataType: Byte, spacing: [300, 300], spacingTolerance: 0.01}
            levels: {levels: 0-1, resampling: average}
            tiling: {size: 256, overlap: 32, edge: pad, maxNodata: 0.9}
            output: {format: gtiff, creationOptions: {COMPRESS: LZW}}
            threads: 2
            """, to: t.file("landsat.yaml"))
        let run = try Self.scaletile(["run", "landsat.yaml", "--input", Self.rgb, "--out", "run", "--quiet"], in: t)
        try #require(run.status == 0, "\(run.standardError)")
        let tile = try Self.scaletile(["tile", Self.rgb, "--out", "tile", "--tile-size", "256", "--overlap", "32", "--levels", "0-1",
                                       "--edge", "pad", "--max-nodata", "0.9", "--co", "COMPRESS=LZW", "--threads", "2", "--quiet"], in: t)
        try #require(tile.status == 0, "\(tile.standardError)")

        let fromRun = Self.files(in: t.file("run/scenes/RGB.byte"))
        let fromTile = Self.files(in: t.file("tile"))
        #expect(fromTile.count > 10)
        #expect(Set(fromRun.keys) == Set(fromTile.keys))
        for (path, data) in fromTile { #expect(fromRun[path] == data, "\(path)") }

        // The run's manifest is the tile manifest with paths under the input's folder.
        let runLines = try String(contentsOfFile: t.file("run/manifest.jsonl"), encoding: .utf8)
        let tileLines = try String(contentsOfFile: t.file("tile/manifest.jsonl"), encoding: .utf8)
        #expect(runLines == tileLines.replacingOccurrences(of: "\"path\":\"tiles/", with: "\"path\":\"scenes/RGB.byte/tiles/"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.file("run/summary.json")))) as? [String: Any])
        #expect(summary["command"] as? String == "run" && summary["preset"] as? String == "landsat-rgb" && summary["shard"] as? String == "1/1")
        let totals = try #require(summary["totals"] as? [String: Any])
        let tileSummary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.file("tile/summary.json")))) as? [String: Any])
        #expect(totals["written"] as? Int == (tileSummary["tiles"] as? [String: Any])?["written"] as? Int)
    }

    // `scaletile run PRESET` alone: inputs relative to the preset file, output `<name>-out` here.
    @Test func aPresetRunsWithNoOtherArgument() throws {
        let t = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: t.file("SampleData/satellite"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: t.file("SampleData/satellite/rgb.tif"), withDestinationPath: Self.rgb)
        try Self.write("version: 1\nname: rgb-tiles\ninput:\n  paths: ../SampleData/satellite/rgb.tif\ntiling: {size: 512, overlap: 0}\n",
                       to: t.file("Domains/rgb.yaml"))
        try FileManager.default.createDirectory(atPath: t.file("work"), withIntermediateDirectories: true)
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["run", "../Domains/rgb.yaml", "--quiet"], currentDirectory: t.file("work"))
        #expect(result.status == 0, "\(result.standardError)")
        let manifest = try String(contentsOfFile: t.file("work/rgb-tiles-out/manifest.jsonl"), encoding: .utf8)
        #expect(manifest.split(separator: "\n").count == 4)
        #expect(manifest.contains("\"path\":\"scenes/rgb/tiles/L0/rgb_L0_x000000_y000000.tif\""))
    }

    @Test func dryRunsCountThePlanAndWriteNothing() throws {
        let t = TemporaryFolder()
        try Self.write("version: 1\nname: plan\ninput:\n  paths: [\(Self.rgb), \(Self.cogeo)]\ntiling: {size: 256, overlap: 32}\nlevels: {levels: 0-1}\n",
                       to: t.file("plan.yaml"))
        let text = try Self.scaletile(["run", "plan.yaml", "--dry-run"], in: t)
        #expect(text.status == 0, "\(text.standardError)")
        // RGB.byte.tif, 791 x 718: 4 x 4 tiles at level 0, 2 x 2 at level 1.
        #expect(text.standardOutput.contains("level 0 (scale 1/1, 791 x 718): 16 planned, 16 in this shard: grid 16"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("level 1 (scale 1/2, 396 x 359): 4 planned, 4 in this shard: grid 4"))
        let json = try Self.scaletile(["run", "plan.yaml", "--dry-run", "--json", "--shard", "2/2"], in: t)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let totals = try #require(report["totals"] as? [String: Int])
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.count == 2 && totals["inputs"] == 2 && report["shard"] as? String == "2/2")
        #expect(totals["inShard"] == totals["planned"]! - totals["planned"]! / 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.path) == ["plan.yaml"], "a dry run writes nothing")
    }

    @Test func globsListsAndOverrides() throws {
        let t = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: t.file("scenes"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: t.file("scenes/a.tif"), withDestinationPath: Self.rgb)
        try FileManager.default.createSymbolicLink(atPath: t.file("scenes/b.tif"), withDestinationPath: Self.cogeo)
        try Self.write("version: 1\ntiling: {size: 512}\n", to: t.file("p.yaml"))

        let glob = try Self.scaletile(["run", "p.yaml", "--input", "scenes/*.tif", "--out", "glob", "--set", "tiling.size=128",
                                       "--set", "tiling.overlap=0", "--set", "output.creationOptions.COMPRESS=LZW", "--json"], in: t)
        try #require(glob.status == 0, "\(glob.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(glob.standardOutput.utf8)) as? [String: Any])
        let inputs = try #require(summary["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["folder"] as? String } == ["scenes/a", "scenes/b"])
        #expect(summary["overrides"] as? [String] == ["--set tiling.size=128", "--set tiling.overlap=0", "--set output.creationOptions.COMPRESS=LZW"])
        let settings = try #require(summary["settings"] as? [String: Any])
        #expect((settings["tiling"] as? [String: Any])?["size"] as? Int == 128)
        let info = try GDALTruth.info(t.file("glob/scenes/a/tiles/L0/a_L0_x000000_y000000.tif"))
        #expect(info["size"] as? [Int] == [128, 128])
        #expect(((info["metadata"] as? [String: Any])?["IMAGE_STRUCTURE"] as? [String: Any])?["COMPRESSION"] as? String == "LZW")

        try Self.write("# both scenes\nscenes/a.tif\n\nscenes/b.tif\n", to: t.file("scenes.txt"))
        let list = try Self.scaletile(["run", "p.yaml", "--input", "@scenes.txt", "--out", "list", "--set", "tiling.size=128", "--set", "tiling.overlap=0", "--quiet"], in: t)
        #expect(list.status == 0, "\(list.standardError)")
        #expect(try String(contentsOfFile: t.file("list/manifest.jsonl"), encoding: .utf8) == String(contentsOfFile: t.file("glob/manifest.jsonl"), encoding: .utf8))

        try FileManager.default.createDirectory(atPath: t.file("other"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: t.file("other/a.tif"), withDestinationPath: Self.cogeo)
        let clash = try Self.scaletile(["run", "p.yaml", "--input", "scenes/a.tif", "--input", "other/a.tif", "--out", "clash"], in: t)
        #expect(clash.status == 64 && clash.standardError.contains("has the same name 'a' as"), "\(clash.standardError)")
        #expect(!FileManager.default.fileExists(atPath: t.file("clash")))
    }

    @Test func aPyramidPresetWritesWhatPyramidWrites() throws {
        let t = TemporaryFolder()
        try Self.write("version: 1\njob: pyramid\nlevels: {levels: 1-2, resampling: average}\n", to: t.file("pyramid.yaml"))
        let run = try Self.scaletile(["run", "pyramid.yaml", "--input", Self.rgb, "--out", "run", "--quiet"], in: t)
        try #require(run.status == 0, "\(run.standardError)")
        let pyramid = try Self.scaletile(["pyramid", Self.rgb, "--out", "pyramid", "--levels", "1-2", "--quiet"], in: t)
        try #require(pyramid.status == 0, "\(pyramid.standardError)")
        let fromRun = Self.files(in: t.file("run/scenes/RGB.byte"))
        let fromPyramid = Self.files(in: t.file("pyramid"))
        #expect(fromPyramid.keys.sorted() == ["levels/RGB.byte_L1.tif", "levels/RGB.byte_L2.tif", "manifest.jsonl", "summary.json"])
        #expect(fromRun == fromPyramid)
    }

    // `strategy: weighted` with `map` (relative to the preset) samples as `--strategy weighted --weights` does.
    @Test func aWeightedPresetSamplesAsTheCommandDoes() throws {
        let t = TemporaryFolder()
        // A 2 x 2 grid over the scene: only the lower-right quarter has weight.
        try Self.write("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n0 0\n0 1\n", to: t.file("presets/maps/weights.asc"))
        try Self.write("version: 1\njob: sample\ntiling: {size: 64}\nsampling: {strategy: weighted, map: maps/weights.asc, count: 30}\nseed: 7\n",
                       to: t.file("presets/weighted.yaml"))
        let run = try Self.scaletile(["run", "presets/weighted.yaml", "--input", Self.rgb, "--out", "run", "--quiet"], in: t)
        try #require(run.status == 0, "\(run.standardError)")
        let sample = try Self.scaletile(["sample", Self.rgb, "--out", "sample", "--patch", "64x64", "--strategy", "weighted",
                                         "--weights", t.file("presets/maps/weights.asc"), "--count", "30", "--seed", "7", "--quiet"], in: t)
        try #require(sample.status == 0, "\(sample.standardError)")
        let fromRun = Self.files(in: t.file("run/scenes/RGB.byte")).filter { $0.key.hasPrefix("tiles/") }
        let fromSample = Self.files(in: t.file("sample")).filter { $0.key.hasPrefix("tiles/") }
        #expect(fromSample.count == 30)
        #expect(fromRun == fromSample)
    }

    // Examples/tile-folder.sh tiles each scene and stops at the first failure with its exit code.
    @Test func theFolderScriptRunsEachSceneAndStopsOnFailure() throws {
        let t = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: t.file("scenes"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: t.file("scenes/a.tif"), withDestinationPath: Self.rgb)
        try FileManager.default.createSymbolicLink(atPath: t.file("scenes/b.tif"),
                                                   withDestinationPath: SharedData.path("satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif"))
        try Self.write("version: 1\ntiling: {size: 512, overlap: 0}\n", to: t.file("good.yaml"))
        try Self.write("version: 1\ninput:\n  expect: {dataType: Byte}\ntiling: {size: 512, overlap: 0}\n", to: t.file("byte.yaml"))
        let script = SharedData.packageRoot + "/Examples/tile-folder.sh"
        let environment = ["SCALETILE": ExternalCommand.scaletile]
        let good = try ExternalCommand.run(script, ["good.yaml", "scenes", "out"], environment: environment, currentDirectory: t.path)
        #expect(good.status == 0, "\(good.standardError)")
        #expect(FileManager.default.fileExists(atPath: t.file("out/a/manifest.jsonl")) && FileManager.default.fileExists(atPath: t.file("out/b/manifest.jsonl")))
        // b.tif is UInt16: the run stops there with exit 65 and says what that means.
        let bad = try ExternalCommand.run(script, ["byte.yaml", "scenes", "out3"], environment: environment, currentDirectory: t.path)
        #expect(bad.status == 65, "\(bad.standardError)")
        #expect(bad.standardError.contains("stopped at scenes/b.tif: exit 65, invalid input data"), "\(bad.standardError)")
        #expect(FileManager.default.fileExists(atPath: t.file("out3/a/manifest.jsonl")) && !FileManager.default.fileExists(atPath: t.file("out3/b")))
    }

    // --overwrite removes the earlier run's input folders, and nothing it did not write.
    @Test func overwriteRemovesOnlyWhatTheEarlierRunWrote() throws {
        let t = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: t.file("out/scenes/notes"), withIntermediateDirectories: true)
        try Self.write("keep me\n", to: t.file("out/scenes/notes/readme.txt"))
        try Self.write("version: 1\ntiling: {size: 512, overlap: 0}\n", to: t.file("p.yaml"))
        let first = try Self.scaletile(["run", "p.yaml", "--input", Self.rgb, "--out", "out", "--quiet"], in: t)
        try #require(first.status == 0, "\(first.standardError)")
        let again = try Self.scaletile(["run", "p.yaml", "--input", Self.rgb, "--out", "out", "--quiet"], in: t)
        #expect(again.status == 64 && again.standardError.contains("--resume"), "\(again.standardError)")
        let resumed = try Self.scaletile(["run", "p.yaml", "--input", Self.rgb, "--out", "out", "--quiet", "--resume", "--json"], in: t)
        #expect(resumed.status == 0 && resumed.standardOutput.contains("\"resumed\" : 4"), "\(resumed.standardOutput)")
        let other = try Self.scaletile(["run", "p.yaml", "--input", Self.cogeo, "--out", "out", "--quiet", "--overwrite"], in: t)
        #expect(other.status == 0, "\(other.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.file("out/scenes")).sorted() == ["cogeo", "notes"])
        #expect(FileManager.default.fileExists(atPath: t.file("out/scenes/notes/readme.txt")))
    }

    // The closing line counts what was written in its own words (patches with their masks are
    // two files each, counted once), the manifest holding as many lines; a shard's audit covers
    // its slice only, so a shard says where the targets are checked instead of missing them.
    @Test func theClosingLineCountsWindowsAndShardsLeaveTargetsToTheMerge() throws {
        let t = TemporaryFolder()
        let preset = SharedData.packageRoot + "/Domains/medical/ct-lung-nodules.yaml"
        let whole = try Self.scaletile(["run", preset, "--out", "whole"], in: t)
        try #require(whole.status == 0, "\(whole.standardError)")
        let lines = try String(contentsOfFile: t.file("whole/manifest.jsonl"), encoding: .utf8).split(separator: "\n").count
        #expect(whole.standardError.contains("ct-lung-nodules: wrote \(lines) patches with their masks for 1 input"), "\(whole.standardError)")
        #expect(whole.standardError.contains("met: stacks/ct_chest: target.contained"), "\(whole.standardError)")
        let shard = try Self.scaletile(["run", preset, "--out", "shard", "--shard", "1/2"], in: t)
        try #require(shard.status == 0, "\(shard.standardError)")
        #expect(!shard.standardError.contains("missed") && !shard.standardError.contains("met:"), "\(shard.standardError)")
        #expect(shard.standardError.contains("audit targets: checked on the whole run once the shards are merged"), "\(shard.standardError)")
    }
}
