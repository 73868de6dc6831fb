import Foundation
import Testing
import TestSupport

/// SIGINT and SIGTERM sent to a real `scaletile tile` child in the middle of a run: exit 130 or
/// 143, one line counting the tiles done, no partial file, and `--resume` then finishes with
/// the same files as an uninterrupted run.
@Suite("Hostile: interruption", .serialized)
struct HostileSignalCLITests {
    /// A 2048x2048 3-band Byte scene (the sample Landsat scene magnified 2x), built once per run.
    static let scene: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scaletile-signal-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/scene.tif"
        let source = HostileInputCLITests.scene
        _ = try? ExternalCommand.run("gdal_translate", ["-q", "-ot", "Byte", "-scale", "-outsize", "200%", "200%", "-r", "cubic",
                                                        "-co", "COMPRESS=DEFLATE", "-co", "TILED=YES", source, path])
        return path
    }()

    static func arguments(_ out: String) -> [String] {
        ["tile", scene, "--out", out, "--tile-size", "128", "--overlap", "16", "--threads", "2", "--quiet"]
    }

    /// Files by relative path; `summary.json` without the two counts that say how this
    /// particular run got there (`written`, `resumed`), which differ by design.
    static func comparable(_ folder: String) throws -> [String: Data] {
        var files = TemporaryFolder.files(in: folder)
        if let summary = files["summary.json"] {
            let text = String(decoding: summary, as: UTF8.self).split(separator: "\n")
                .filter { !$0.contains("\"written\" :") && !$0.contains("\"resumed\" :") }.joined(separator: "\n")
            files["summary.json"] = Data(text.utf8)
        }
        return files
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptedRunResumesToTheSameFiles(_ signal: Int32, _ status: Int32) throws {
        try #require(FileManager.default.fileExists(atPath: Self.scene), "gdal_translate did not build the scene")
        let t = TemporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalCommand.scaletile)
        process.arguments = Self.arguments(t.file("out"))
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Signal once some tiles exist: mid-run, not before the pipeline starts.
        let tiles = t.file("out/tiles/L0")
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, ((try? FileManager.default.contentsOfDirectory(atPath: tiles))?.count ?? 0) < 20, Date() < deadline {
            usleep(20_000)
        }
        try #require(process.isRunning, "the run ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == status, "stderr: \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(stderr)")
        let match = stderr.firstMatch(of: /^interrupted after (\d+) of (\d+) tiles; run again with --resume to finish\n$/)
        #expect(match != nil, "\(stderr)")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: tiles)) ?? []
        if let match {
            // Every tile counted is on disk, complete. The plan: stride 128 − 16 = 112, and
            // ceil((2048 − 128) / 112) + 1 = 19 tiles per axis (the last shifted inward).
            #expect(Int(match.2) == 19 * 19)
            #expect(Int(match.1) == written.count, "\(written.count) tile files on disk")
            #expect(Int(match.1)! < 19 * 19)
        }
        #expect(!written.contains { $0.contains(".partial-") }, "partial files: \(written.filter { $0.contains(".partial-") })")
        #expect(!FileManager.default.fileExists(atPath: t.file("out/manifest.jsonl")))

        let resumed = try ExternalCommand.run(ExternalCommand.scaletile, Self.arguments(t.file("out")) + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let whole = try ExternalCommand.run(ExternalCommand.scaletile, Self.arguments(t.file("whole")))
        #expect(whole.status == 0, "\(whole.standardError)")
        let interruptedFiles = try Self.comparable(t.file("out")), wholeFiles = try Self.comparable(t.file("whole"))
        #expect(interruptedFiles.keys.sorted() == wholeFiles.keys.sorted())
        let differing = wholeFiles.keys.filter { interruptedFiles[$0] != wholeFiles[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ: \(differing.prefix(5))")
    }
}
