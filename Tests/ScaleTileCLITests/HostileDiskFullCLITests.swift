import Foundation
import Testing
import TestSupport

/// Disk full in the middle of a run: exit 74 naming the path, no partial file, and `--resume`
/// finishes once there is room, with the files of an uninterrupted run. As root the output is
/// a 1 MiB tmpfs that is then grown; otherwise the tiles folder is made read-only (EACCES)
/// and then writable again.
@Suite("Hostile: disk full", .serialized)
struct HostileDiskFullCLITests {
    static let scene = HostileInputCLITests.scene

    static func arguments(_ out: String) -> [String] {
        ["tile", scene, "--out", out, "--tile-size", "256", "--threads", "2", "--quiet"]
    }

    @Test func aFullDiskStopsTheRunAndResumeFinishesIt() throws {
        let t = TemporaryFolder()
        let mountPoint = t.file("small")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        var asRoot = false
        if getuid() == 0 {
            asRoot = try ExternalCommand.run("mount", ["-t", "tmpfs", "-o", "size=1M", "tmpfs", mountPoint]).status == 0
        }
        defer { if asRoot { _ = try? ExternalCommand.run("umount", [mountPoint]) } }
        let out = mountPoint + "/out"
        if !asRoot {
            // Without a small filesystem: a read-only tiles folder refuses the first tile.
            try FileManager.default.createDirectory(atPath: out + "/tiles/L0", withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out + "/tiles/L0")
        }
        let failed = try ExternalCommand.run("timeout", ["60", ExternalCommand.scaletile] + Self.arguments(out) + (asRoot ? [] : ["--resume"]))
        #expect(failed.status == 74, "\(failed.standardError)")
        let lines = failed.standardError.split(separator: "\n")
        #expect(lines.count >= 1 && lines.count <= 4, "\(failed.standardError)")
        #expect(lines.first?.hasPrefix("error: \(out)/") == true, "\(lines.first ?? "")")
        #expect(lines.first.map { $0.contains("No space left on device") || $0.contains("ermission denied") } == true, "\(lines.first ?? "")")
        let leftovers = TemporaryFolder.files(in: out).keys.filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty, "partial files: \(leftovers)")
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.jsonl"))

        if asRoot {
            #expect(try ExternalCommand.run("mount", ["-o", "remount,size=64M", mountPoint]).status == 0)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out + "/tiles/L0")
        }
        let resumed = try ExternalCommand.run(ExternalCommand.scaletile, Self.arguments(out) + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let whole = try ExternalCommand.run(ExternalCommand.scaletile, Self.arguments(t.file("whole")))
        #expect(whole.status == 0, "\(whole.standardError)")
        let finished = try HostileSignalCLITests.comparable(out), expected = try HostileSignalCLITests.comparable(t.file("whole"))
        #expect(finished.keys.sorted() == expected.keys.sorted())
        let differing = expected.keys.filter { finished[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ: \(differing.prefix(5))")
    }
}
