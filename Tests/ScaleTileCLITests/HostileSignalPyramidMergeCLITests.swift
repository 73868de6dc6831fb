import Foundation
import Testing
import TestSupport

/// SIGINT and SIGTERM sent to a real `scaletile pyramid` and `scaletile merge` child in the
/// middle of its work: exit 130 or 143, one line, no partial file; `pyramid --resume` then
/// writes level files byte-identical to an uninterrupted run's, and a second merge with
/// `--overwrite` gives the folder an uninterrupted merge gives.
@Suite("Hostile: interruption of pyramid and merge", .serialized)
struct HostileSignalPyramidMergeCLITests {
    static var scene: String { HostileSignalCLITests.scene }

    /// Starts `scaletile arguments`, waits until `ready` holds (or 60 s), sends `signal`;
    /// returns the exit status and the standard error.
    static func interrupt(_ arguments: [String], with signal: Int32, when ready: () -> Bool) throws -> (status: Int32, stderr: String, wasRunning: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalCommand.scaletile)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, !ready(), Date() < deadline { usleep(5_000) }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr, wasRunning)
    }

    /// Every file under `folder` whose name marks an unfinished write.
    static func partialFiles(in folder: String) -> [String] {
        TemporaryFolder.files(in: folder).keys.filter { $0.contains(".partial-") || $0.hasSuffix(".msk") }.sorted()
    }

    static func pyramidArguments(_ out: String) -> [String] {
        ["pyramid", scene, "--out", out, "--levels", "1-4", "--quiet"]
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptedPyramidResumesToTheSameLevels(_ signal: Int32, _ status: Int32) throws {
        try #require(FileManager.default.fileExists(atPath: Self.scene), "gdal_translate did not build the scene")
        let t = TemporaryFolder()
        let levels = t.file("out/levels")
        // Signal while the level files are being written: their temporary names exist.
        let result = try Self.interrupt(Self.pyramidArguments(t.file("out")), with: signal) {
            ((try? FileManager.default.contentsOfDirectory(atPath: levels)) ?? []).contains { $0.contains(".partial-") }
        }
        try #require(result.wasRunning, "the pyramid ended before it could be interrupted")
        #expect(result.status == status, "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.firstMatch(of: /^interrupted after \d of 4 levels; run again with --resume to finish\n$/) != nil, "\(result.stderr)")
        #expect(Self.partialFiles(in: t.file("out")).isEmpty, "partial files: \(Self.partialFiles(in: t.file("out")))")
        #expect(!FileManager.default.fileExists(atPath: t.file("out/summary.json")))

        let resumed = try ExternalCommand.run(ExternalCommand.scaletile, Self.pyramidArguments(t.file("out")) + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let whole = try ExternalCommand.run(ExternalCommand.scaletile, Self.pyramidArguments(t.file("whole")))
        #expect(whole.status == 0, "\(whole.standardError)")
        let a = TemporaryFolder.files(in: t.file("out")), b = TemporaryFolder.files(in: t.file("whole"))
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(b.keys.filter { $0.hasPrefix("levels/") }.count == 4)
        let differing = b.keys.filter { a[$0] != b[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ: \(differing)")
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptedMergeLeavesNothingAndMergesAgain(_ signal: Int32, _ status: Int32) throws {
        try #require(FileManager.default.fileExists(atPath: Self.scene), "gdal_translate did not build the scene")
        let t = TemporaryFolder()
        let options = ["--tile-size", "128", "--overlap", "16", "--threads", "2", "--quiet"]
        for k in 1...2 {
            let shard = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--out", t.file("shard\(k)"), "--shard", "\(k)/2"] + options)
            try #require(shard.status == 0, "\(shard.standardError)")
        }
        let shards = [t.file("shard1"), t.file("shard2")]
        let reference = try ExternalCommand.run(ExternalCommand.scaletile, ["merge"] + shards + ["--out", t.file("reference"), "--copy"])
        try #require(reference.status == 0, "\(reference.standardError)")
        // Copies (not links) make the merge long enough to catch it placing tiles.
        let tiles = t.file("merged/tiles/L0")
        let result = try Self.interrupt(["merge"] + shards + ["--out", t.file("merged"), "--copy"], with: signal) {
            ((try? FileManager.default.contentsOfDirectory(atPath: tiles))?.count ?? 0) >= 10
        }
        try #require(result.wasRunning, "the merge ended before it could be interrupted")
        #expect(result.status == status, "stderr: \(result.stderr)")
        #expect(result.stderr == "interrupted; nothing was kept\n", "\(result.stderr)")
        // Nothing kept: no merged folder, or one without documents, tiles or partial files.
        let left = TemporaryFolder.files(in: t.file("merged"))
        #expect(left.isEmpty, "left behind: \(left.keys.sorted().prefix(5)) (\(left.count) files)")

        let again = try ExternalCommand.run(ExternalCommand.scaletile, ["merge"] + shards + ["--out", t.file("merged"), "--copy", "--overwrite"])
        #expect(again.status == 0, "\(again.standardError)")
        let a = TemporaryFolder.files(in: t.file("merged")), b = TemporaryFolder.files(in: t.file("reference"))
        #expect(b.count > 300 && a.keys.sorted() == b.keys.sorted())
        #expect(b.keys.filter { a[$0] != b[$0] }.isEmpty)
    }

    // A stack's pyramid is written level file by level file with no resume: a signal while
    // they are written leaves none of them, temporary or finished, and says so in one line.
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptedStackPyramidLeavesNoPartialFile(_ signal: Int32, _ status: Int32) throws {
        let t = TemporaryFolder()
        let stack = t.file("big.tif")
        let made = try ClientPython.run("""
            import sys, numpy as np, tifffile
            rng = np.random.default_rng(0)
            tifffile.imwrite(sys.argv[1], rng.integers(0, 4000, (300, 512, 512), dtype=np.uint16), imagej=True)
            """, [stack])
        try #require(made.status == 0, "\(made.standardError)")
        let levels = t.file("out/levels")
        let result = try Self.interrupt(["pyramid", stack, "--out", t.file("out"), "--levels", "1-3", "--pyramid-layout", "files", "--quiet"],
                                        with: signal) {
            ((try? FileManager.default.contentsOfDirectory(atPath: levels)) ?? []).contains { $0.contains(".partial-") }
        }
        try #require(result.wasRunning, "the pyramid ended before it could be interrupted")
        #expect(result.status == status, "stderr: \(result.stderr)")
        #expect(result.stderr == "interrupted; nothing was kept\n", "\(result.stderr)")
        #expect(Self.partialFiles(in: t.file("out")).isEmpty, "partial files: \(Self.partialFiles(in: t.file("out")))")
        #expect(!FileManager.default.fileExists(atPath: t.file("out/summary.json")))
    }
}
