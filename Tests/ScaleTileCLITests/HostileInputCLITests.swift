import Foundation
import Testing
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// Hostile inputs through the real `scaletile` process: files that are not regular files,
/// exploding presets, absurd sizes and numbers. Each case: no hang (a 60 s timeout), no trap,
/// an exit code from the documented set, one line on standard error naming the file and the
/// problem, and nothing written into `--out`.
@Suite("Hostile: inputs through the command line", .serialized)
struct HostileInputCLITests {
    static let scene = packageRoot + "/SampleData/satellite/landsat_scene.tif"
    static let sceneLabels = packageRoot + "/SampleData/satellite/landsat_objects.geojson"
    static let stack = packageRoot + "/SampleData/medical/ct_chest.tif"
    static let stackMask = packageRoot + "/SampleData/medical/ct_nodules_mask.tif"

    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: @Sendable (TemporaryFolder) throws -> [String]
        let exitCode: Int32
        let mentions: [String]
        var testDescription: String { name }
    }

    /// A FIFO nobody writes to: opening it for reading would block for ever.
    static func fifo(_ t: TemporaryFolder, _ name: String) throws -> String {
        let path = t.file(name)
        #expect(mkfifo(path, 0o600) == 0)
        return path
    }

    static func loop(_ t: TemporaryFolder, _ name: String) throws -> String {
        let path = t.file(name)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path)
        return path
    }

    static let cases: [Case] = [
        Case(name: "FIFO as the scene", arguments: { t in ["tile", try fifo(t, "scene.tif"), "--out", t.file("out")] },
             exitCode: 65, mentions: ["scene.tif: is a named pipe (FIFO), not a", "regular files only"]),
        Case(name: "FIFO as the labels", arguments: { t in ["tile", scene, "--labels", try fifo(t, "labels.geojson"), "--out", t.file("out")] },
             exitCode: 65, mentions: ["labels.geojson: is a named pipe (FIFO), not a label file"]),
        Case(name: "FIFO as the preset", arguments: { t in ["run", try fifo(t, "preset.yaml"), "--out", t.file("out")] },
             exitCode: 65, mentions: ["preset.yaml: is a named pipe (FIFO), not a preset file"]),
        Case(name: "FIFO as the stack", arguments: { t in ["tile", try fifo(t, "stack.tif"), "--as", "stack", "--patch", "8x8x4", "--out", t.file("out")] },
             exitCode: 65, mentions: ["stack.tif: is a named pipe (FIFO)"]),
        Case(name: "FIFO given to info", arguments: { t in ["info", try fifo(t, "x.tif")] },
             exitCode: 65, mentions: ["x.tif: is a named pipe (FIFO)"]),
        Case(name: "FIFO given to analyze", arguments: { t in ["analyze", try fifo(t, "x.json")] },
             exitCode: 65, mentions: ["x.json: is a named pipe (FIFO)"]),
        Case(name: "character device as the scene", arguments: { t in ["tile", "/dev/zero", "--out", t.file("out")] },
             exitCode: 65, mentions: ["/dev/zero: is a character device, not a"]),
        Case(name: "symbolic link loop as the scene", arguments: { t in ["tile", try loop(t, "loop.tif"), "--out", t.file("out")] },
             exitCode: 65, mentions: ["loop.tif: is a symbolic link loop"]),
        Case(name: "symbolic link loop as the labels", arguments: { t in ["tile", scene, "--labels", try loop(t, "l.geojson"), "--out", t.file("out")] },
             exitCode: 65, mentions: ["l.geojson: is a symbolic link loop"]),
        Case(name: "YAML aliases expanding exponentially", arguments: { t in
            // Nine levels of ten aliases each: 10^9 nodes once expanded.
            var text = "version: 1\nname: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for level in 1...9 {
                let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
                text += "k\(level): &a\(level) [\(previous)]\n"
            }
            try text.write(toFile: t.file("laughs.yaml"), atomically: true, encoding: .utf8)
            return ["run", t.file("laughs.yaml"), "--out", t.file("out")]
        }, exitCode: 78, mentions: ["laughs.yaml: line ", "YAML aliases (*name) are not allowed"]),
        Case(name: "huge label coordinate", arguments: { t in
            try "xmin,ymin,xmax,ymax,label\n10,10,20,20,car\n10,20,1e300,30,car\n".write(toFile: t.file("boxes.csv"), atomically: true, encoding: .utf8)
            return ["tile", scene, "--labels", t.file("boxes.csv"), "--out", t.file("out")]
        }, exitCode: 65, mentions: ["boxes.csv: object 2 (car): xmax 1e+300 lies past the"]),
        Case(name: "NUL inside a label number", arguments: { t in
            try "xmin,ymin,xmax,ymax,label\n10,10,2\u{0}0,20,car\n".write(toFile: t.file("boxes.csv"), atomically: true, encoding: .utf8)
            return ["tile", scene, "--labels", t.file("boxes.csv"), "--out", t.file("out")]
        }, exitCode: 65, mentions: ["boxes.csv: row 2: xmax \"2\\0", "is not a number"]),
        Case(name: "huge tile size", arguments: { t in ["tile", scene, "--tile-size", "100000000", "--out", t.file("out")] },
             exitCode: 64, mentions: ["--tile-size: a 100000000x100000000 tile would need", "over the memory budget"]),
        Case(name: "tile size past 64 bits of bytes", arguments: { t in ["tile", scene, "--tile-size", "9223372036854775807", "--out", t.file("out")] },
             exitCode: 64, mentions: ["--tile-size", "more than 2^63 bytes"]),
        Case(name: "tile buffers over an explicit budget", arguments: { t in ["tile", scene, "--tile-size", "2048", "--threads", "2", "--max-memory", "64M", "--out", t.file("out")] },
             // 4 buffers x 2 copies x 2048² pixels x 3 bands x 2 bytes (UInt16) = 192 MiB.
             exitCode: 64, mentions: ["--tile-size: 4 buffers", "need 192.0 MiB, over the memory budget of 64.0 MiB"]),
        Case(name: "huge stack patch", arguments: { t in ["tile", stack, "--patch", "100000x100000x100", "--out", t.file("out")] },
             exitCode: 64, mentions: ["--patch: a 100000x100000x100 patch would need", "over the memory budget"]),
        Case(name: "label raster of another size", arguments: { t in
            // The scene's own georeferencing, resampled to 100x100 (the case).
            let small = t.file("small_labels.tif")
            let made = try ExternalCommand.run("gdal_translate", ["-q", "-b", "1", "-ot", "Byte", "-scale", "-outsize", "100", "100", scene, small])
            try #require(made.status == 0, "\(made.standardError)")
            return ["tile", scene, "--labels", small, "--out", t.file("out")]
        }, exitCode: 65, mentions: ["small_labels.tif: the label raster is 100x100, the scene landsat_scene.tif is 1024x1024"]),
        Case(name: "stack mask with another spacing", arguments: { t in
            // The real mask with its voxels declared 1 mm in X and Y instead of 0.7.
            let mask = try TIFFStack(opening: stackMask)
            let voxels = try mask.read(Window(x: 0, y: 0, z: 0, width: mask.size.width, height: mask.size.height, depth: mask.size.depth))
            try StackWriter(format: .tiff).write(voxels, spacing: Spacing(x: 1, y: 1, z: 1.25, unit: "mm"), to: t.file("mask.tif"))
            return ["tile", stack, "--mask", t.file("mask.tif"), "--patch", "64x64x8", "--out", t.file("out")]
        }, exitCode: 65, mentions: ["mask.tif: the mask's voxels are 1.0 x 1.0 x 1.25 mm, the image ", "ct_chest.tif's are 0.7 x 0.7 x 1.25 mm"]),
        Case(name: "preset memory budget", arguments: { t in
            try "version: 1\ninput:\n  paths: \(scene)\ntiling: {size: 2048}\nthreads: 2\nlimits:\n  maxMemory: 64M\n"
                .write(toFile: t.file("p.yaml"), atomically: true, encoding: .utf8)
            return ["run", t.file("p.yaml"), "--out", t.file("out")]
        }, exitCode: 64, mentions: ["4 buffers", "need 192.0 MiB, over the memory budget of 64.0 MiB"]),
        Case(name: "bad preset memory size", arguments: { t in
            try "version: 1\ninput:\n  paths: \(scene)\nlimits:\n  maxMemory: lots\n".write(toFile: t.file("p.yaml"), atomically: true, encoding: .utf8)
            return ["run", t.file("p.yaml"), "--out", t.file("out")]
        }, exitCode: 78, mentions: ["p.yaml: line 5: limits.maxMemory 'lots' is not a memory size"]),
        Case(name: "bad memory size", arguments: { t in ["tile", scene, "--max-memory", "lots", "--out", t.file("out")] },
             exitCode: 64, mentions: ["--max-memory", "'lots' is not a memory size"]),
    ]

    @Test(arguments: cases)
    func refusedWithOneLineAndNothingWritten(_ c: Case) throws {
        let t = TemporaryFolder()
        let arguments = try c.arguments(t)
        // `timeout` turns a hang into exit 124 instead of a stuck test run.
        let result = try ExternalCommand.run("timeout", ["-k", "5", "60", ExternalCommand.scaletile] + arguments)
        #expect(result.status == c.exitCode, "stderr: \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        let first = lines.first.map(String.init) ?? ""
        for text in c.mentions { #expect(first.contains(text), "first line: \(first)") }
        #expect(lines.count == 1, "\(result.standardError)")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: t.file("out"))) ?? []
        #expect(written.isEmpty, "nothing is written: found \(written)")
    }
}
