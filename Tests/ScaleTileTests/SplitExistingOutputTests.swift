import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// `scaletile split` on a finished output: no pixel read, windows only dropped, audit 0
/// recomputed from the rewritten manifest, layouts loading in their clients.
@Suite("Split of an existing output", .serialized)
struct SplitExistingOutputTests {
    /// A plain grid run of the aerial sample, no split, no layout.
    static func plainRun(in folder: TemporaryFolder, labels: Bool = true) throws -> (String, [ManifestEntry]) {
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.overlap = RasterSize(width: 32, height: 32, depth: 0)
        options.threads = 2
        options.format = .png
        if labels { options.labels = TileLabels(path: SplitSceneTests.aerialLabels) }
        let out = folder.file("out")
        try TileJob(source: SplitSceneTests.aerial, output: out, options: options).run()
        return (out, try OutputFolder(path: out).readManifest())
    }

    @Test func splittingKeepsWindowsAndIsLeakFree() throws {
        let folder = TemporaryFolder()
        let (out, before) = try Self.plainRun(in: folder)
        let shares = try SplitShares(parsing: "train=0.8,val=0.2")
        var job = SplitJob(output: out, split: SplitOptions(shares: shares, blockSize: 288))
        job.layout = .coco
        let summary = try job.run()
        let after = try OutputFolder(path: out).readManifest()
        try SplitSceneTests.checkLeakFree(summary, after, shares: shares)
        // Windows are kept as they were (never shifted) or dropped, and counted.
        let original = Dictionary(uniqueKeysWithValues: before.map { ($0.id, $0.window) })
        #expect(after.allSatisfy { original[$0.id] == $0.window })
        #expect(after.count + (summary.split?.leakage.windowsDropped ?? -1) == before.count)
        #expect(summary.split?.leakage.windowsShifted == 0)
        // COCO in pycocotools: counts equal the manifest's, AP of the annotations themselves 1.
        let result = try ClientPython.run(LayoutTests.cocoCheck, [out, "train", "val"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try LayoutTests.json(result.standardOutput)
        for name in shares.names {
            let r = try #require(report[name.rawValue] as? [String: Any])
            let entries = after.filter { $0.split == name }
            #expect(r["images"] as? Int == entries.count)
            #expect(r["positives"] as? Int == entries.reduce(0) { $0 + ($1.objects ?? []).count })
            #expect(abs((r["ap"] as? Double ?? 0) - 1) < 1e-9)
        }
        try LayoutTests.expectLinked(after, out: out)
    }

    @Test func yoloAfterSplitLoadsInUltralytics() throws {
        let folder = TemporaryFolder()
        let (out, _) = try Self.plainRun(in: folder)
        var job = SplitJob(output: out, split: SplitOptions(shares: try SplitShares(parsing: "train=0.7,val=0.3"), blockSize: 384))
        job.layout = .yolo
        let summary = try job.run()
        let after = try OutputFolder(path: out).readManifest()
        #expect(after.allSatisfy { $0.ignore == nil })
        #expect(summary.layout == "yolo")
        let result = try ClientPython.run(LayoutTests.yoloCheck, [out + "/data.yaml"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try LayoutTests.json(result.standardOutput)
        for name in [SplitName.train, .val] {
            let counts = try #require(report[name.rawValue] as? [String: Any])
            let entries = after.filter { $0.split == name }
            #expect(counts["images"] as? Int == entries.count)
            #expect(counts["boxes"] as? Int == entries.reduce(0) { $0 + ($1.objects ?? []).count })
        }
    }

    static let badInputs: [(arguments: [String], status: Int32, labels: Bool)] = [
        (["--split", "train=0.7,val=0.2"], 64, true),
        (["--split", "train=0.8,dev=0.2"], 64, true),
        (["--split", "train=0.8,val=0.2", "--layout", "voc"], 64, true),
        (["--split", "train=0.8,val=0.2", "--layout", "coco"], 64, false),
        (["--split", "train=0.8,val=0.2", "--split-block", "5000"], 65, true),
    ]

    @Test(arguments: 0..<5)
    func badInputFailsAndChangesNothing(index: Int) throws {
        let (arguments, status, labels) = Self.badInputs[index]
        let folder = TemporaryFolder()
        let (out, _) = try Self.plainRun(in: folder, labels: labels)
        let before = TemporaryFolder.files(in: out)
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["split", out] + arguments)
        #expect(result.status == status, "\(result.standardError)")
        #expect(result.standardError.lowercased().hasPrefix("error:"))
        #expect(TemporaryFolder.files(in: out) == before)
    }

    @Test func aFolderThatIsNoOutputIsInvalidData() throws {
        let folder = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["split", folder.path, "--split", "train=0.8,val=0.2"])
        #expect(result.status == 65)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(try folder.contents().isEmpty)
    }
}
