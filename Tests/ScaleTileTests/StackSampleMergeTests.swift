import Foundation
import Testing
@testable import ScaleTile
import ScaleTileCore
import TestSupport

/// Stack sampling split over concurrent `scaletile` processes, merged, equals the unsharded run
/// byte for byte (patches, masks, manifest.jsonl, summary.json with its audit), for
/// `scaletile sample` and for a medical preset's `scaletile run`; the run prints its audit.
@Suite("Stack sample shards", .serialized)
struct StackSampleMergeTests {
    static let medical = SharedData.packageRoot + "/SampleData/medical/"

    @Test func sampleShardsMergeIntoTheUnshardedRun() throws {
        let t = TemporaryFolder()
        let options = ["--labels", Self.medical + "ct_nodules_mask.tif", "--strategy", "object-balanced", "--count", "50",
                       "--min-per-object", "5", "--negatives", "10", "--background-threshold=-950", "--patch", "64x64x16",
                       "--seed", "4", "--threads", "2"]
        let full = try ExternalCommand.run(ExternalCommand.scaletile, ["sample", Self.medical + "ct_chest.tif", "--out", t.file("full")] + options)
        try #require(full.status == 0, "\(full.standardError)")
        // The audit table ends the run.
        for line in ["wrote 60 patches with their masks", "negatives: 10 of 10 placed on tissue (image above -950)",
                     "scale audit: 60 windows, 10 targets", "5-coverage                            10 of 10   100.0%", "sampling bias R"] {
            #expect(full.standardError.contains(line), "\(full.standardError)")
        }
        let shards = MergeTests.concurrently((1...3).map { k in
            (["sample", Self.medical + "ct_chest.tif", "--out", t.file("shard\(k)"), "--shard", "\(k)/3", "--quiet"] + options, [:])
        })
        for (k, result) in shards.enumerated() {
            #expect(result?.status == 0, "shard \(k + 1): \(result?.standardError ?? "did not run")")
        }
        // A shard's audit is of its own patches: fewer than the whole run's.
        let first = try ShardMerge.summary(TileSummary.self, in: t.file("shard1") + "/")
        #expect(first.audit?.windowCount == 20)
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", t.file("shard3"), t.file("shard1"), t.file("shard2"), "--out", t.file("merged")])
        #expect(merge.status == 0, "\(merge.standardError)")
        MergeTests.expectSameFiles(t.file("merged"), t.file("full"))
    }

    @Test func medicalPresetShardsMergeIntoTheUnshardedRun() throws {
        let t = TemporaryFolder()
        let preset = SharedData.packageRoot + "/Domains/medical/ct-lung-nodules.yaml"
        let full = try ExternalCommand.run(ExternalCommand.scaletile, ["run", preset, "--out", t.file("full"), "--quiet", "--threads", "2"])
        try #require(full.status == 0, "\(full.standardError)")
        let shards = MergeTests.concurrently((1...2).map { k in
            (["run", preset, "--out", t.file("shard\(k)"), "--shard", "\(k)/2", "--quiet", "--threads", "2"], [:])
        })
        for (k, result) in shards.enumerated() {
            #expect(result?.status == 0, "shard \(k + 1): \(result?.standardError ?? "did not run")")
        }
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", t.file("shard1"), t.file("shard2"), "--out", t.file("merged")])
        #expect(merge.status == 0, "\(merge.standardError)")
        MergeTests.expectSameFiles(t.file("merged"), t.file("full"))
        // Patches and masks in stacks/<stem>, the run's manifest pointing at them.
        let manifest = try OutputFolder(path: t.file("merged")).readManifest()
        #expect(manifest.count == 70 && manifest.allSatisfy { $0.path.hasPrefix("stacks/ct_chest/patches/L0/") && $0.mask != nil })
    }

    @Test func medicalPresetDryRunCountsLesionsAndNegatives() throws {
        let t = TemporaryFolder()
        let preset = SharedData.packageRoot + "/Domains/medical/ct-lung-nodules.yaml"
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["run", preset, "--out", t.file("out"), "--dry-run", "--json"])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let input = try #require((report["inputs"] as? [[String: Any]])?.first)
        #expect(input["folder"] as? String == "stacks/ct_chest" && input["size"] as? [Int] == [352, 272, 24])
        let level = try #require((input["levels"] as? [[String: Any]])?.first)
        #expect(level["reasons"] as? [String: Int] == ["lesion": 50, "negative": 20], "\(level)")
        #expect(!FileManager.default.fileExists(atPath: t.file("out")))
        let text = try ExternalCommand.run(ExternalCommand.scaletile, ["run", preset, "--out", t.file("out"), "--dry-run"])
        #expect(text.standardOutput.contains("352 x 272 x 24 voxels, 70 planned, 70 in this shard"), "\(text.standardOutput)")
    }
}
