import Foundation
import Synchronization
import Testing
@testable import ScaleTile
import ScaleTileCore
import TestSupport

/// Shards written by concurrent `scaletile` processes, merged, equal the unsharded run byte
/// for byte: tiles at the same paths, manifest.jsonl, summary.json and index.geojson.
@Suite("Shard merge", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct MergeTests {
    static let rgb = SharedData.path("satellite/landsat/RGB.byte.tif")
    static let cogeo = SharedData.path("satellite/aerial/cogeo.tif")
    static let float = SharedData.path("satellite/derived/LC08_L1TP_224077_20200518_B2_60m_float32_nan.tif")

    /// Runs `scaletile` once per argument list, all at the same time; returns their results in order.
    static func concurrently(_ runs: [(arguments: [String], environment: [String: String])]) -> [ExternalCommand.Result?] {
        let results = Mutex([ExternalCommand.Result?](repeating: nil, count: runs.count))
        DispatchQueue.concurrentPerform(iterations: runs.count) { i in
            let result = try? ExternalCommand.run(ExternalCommand.scaletile, runs[i].arguments, environment: runs[i].environment)
            results.withLock { $0[i] = result }
        }
        return results.withLock { $0 }
    }

    static func files(in folder: String) -> [String: Data] { TemporaryFolder.files(in: folder) }

    /// `merged` holds exactly `expected`'s files, byte for byte.
    static func expectSameFiles(_ merged: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let a = files(in: merged), b = files(in: expected)
        #expect(b.count > 3, "the unsharded run wrote its files", sourceLocation: sourceLocation)
        #expect(Set(a.keys) == Set(b.keys), "files differ: \(Set(a.keys).symmetricDifference(b.keys).sorted().prefix(5))", sourceLocation: sourceLocation)
        for (path, data) in b where a[path] != data {
            Issue.record("\(path) differs from the unsharded run's", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [rgb, float])
    func tileShardsFromAJobArrayMergeIntoTheUnshardedRun(source: String) throws {
        let t = TemporaryFolder()
        let options = ["--tile-size", "256", "--overlap", "32", "--levels", "0-1", "--threads", "2", "--quiet"]
        let full = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", source, "--out", t.file("full")] + options)
        try #require(full.status == 0, "\(full.standardError)")
        // Three processes of one Slurm array (--array=0-2) pick their shard with --shard auto.
        let shards = Self.concurrently((0..<3).map { id in
            (["tile", source, "--out", t.file("shard\(id)"), "--shard", "auto"] + options,
             ["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "2", "SLURM_ARRAY_TASK_COUNT": "3"])
        })
        for (id, result) in shards.enumerated() {
            #expect(result?.status == 0, "shard \(id): \(result?.standardError ?? "did not run")")
        }
        let manifests = try (0..<3).map { try OutputFolder(path: t.file("shard\($0)")).readManifest() }
        #expect(manifests.allSatisfy { !$0.isEmpty }, "every shard has tiles")
        // Shards given out of order.
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", t.file("shard2"), t.file("shard0"), t.file("shard1"), "--out", t.file("merged")])
        #expect(merge.status == 0, "\(merge.standardError)")
        Self.expectSameFiles(t.file("merged"), t.file("full"))
    }

    // With labels: coco.json (renumbered), labels/*.txt, labels.geojson and the audit merge too.
    @Test func labelledSampleShardsMergeIntoTheUnshardedRun() throws {
        let t = TemporaryFolder()
        let image = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")
        let options = ["--labels", SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson"),
                       "--count", "129", "--min-per-object", "3", "--negatives", "10", "--patch", "128x128",
                       "--export", "coco,yolo,geojson", "--seed", "7", "--threads", "2", "--quiet"]
        let full = try ExternalCommand.run(ExternalCommand.scaletile, ["sample", image, "--out", t.file("full")] + options)
        try #require(full.status == 0, "\(full.standardError)")
        let shards = Self.concurrently((1...3).map { k in
            (["sample", image, "--out", t.file("shard\(k)"), "--shard", "\(k)/3"] + options, [:])
        })
        for (k, result) in shards.enumerated() {
            #expect(result?.status == 0, "shard \(k + 1): \(result?.standardError ?? "did not run")")
        }
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", t.file("shard1"), t.file("shard2"), t.file("shard3"), "--out", t.file("merged")])
        #expect(merge.status == 0, "\(merge.standardError)")
        Self.expectSameFiles(t.file("merged"), t.file("full"))
    }

    @Test func presetRunShardsOverSeveralInputsMergeIntoTheUnshardedRun() throws {
        let t = TemporaryFolder()
        try """
            version: 1
            name: two-scenes
            input:
              paths: [\(Self.rgb), \(Self.cogeo)]
            tiling: {size: 256, overlap: 32}
            levels: {levels: 0-1}
            threads: 2
            """.write(toFile: t.file("two.yaml"), atomically: true, encoding: .utf8)
        let full = try ExternalCommand.run(ExternalCommand.scaletile, ["run", t.file("two.yaml"), "--out", t.file("full"), "--quiet"])
        try #require(full.status == 0, "\(full.standardError)")
        // Four pods of a Kubernetes Indexed Job; with two inputs, some pods touch one input only.
        let shards = Self.concurrently((0..<4).map { index in
            (["run", t.file("two.yaml"), "--out", t.file("pod\(index)"), "--shard", "auto", "--quiet"],
             ["JOB_COMPLETION_INDEX": "\(index)", "SCALETILE_SHARD_COUNT": "4"])
        })
        for (index, result) in shards.enumerated() {
            #expect(result?.status == 0, "pod \(index): \(result?.standardError ?? "did not run")")
        }
        let folders = (0..<4).map { (try? FileManager.default.contentsOfDirectory(atPath: t.file("pod\($0)/scenes"))) ?? [] }
        #expect(folders.contains { $0.count == 1 }, "a shard that touches one input writes only its folder: \(folders)")
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge"] + (0..<4).reversed().map { t.file("pod\($0)") } + ["--out", t.file("merged"), "--copy"])
        #expect(merge.status == 0, "\(merge.standardError)")
        Self.expectSameFiles(t.file("merged"), t.file("full"))
        // --copy: the merged files share no inode with the shards.
        let tile = try #require(try OutputFolder(path: t.file("merged")).readManifest().first)
        let attributes = try FileManager.default.attributesOfItem(atPath: t.file("merged/" + tile.path))
        #expect((attributes[.referenceCount] as? Int) == 1)
    }

    @Test func mergeRefusesWhatIsNotOneRun() throws {
        let t = TemporaryFolder()
        func tile(_ out: String, _ shard: String, size: String = "256") throws {
            let r = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.rgb, "--out", t.file(out), "--tile-size", size, "--overlap", "0", "--shard", shard, "--quiet"])
            try #require(r.status == 0, "\(r.standardError)")
        }
        try tile("a1", "1/3")
        try tile("a2", "2/3")
        try tile("a3", "3/3")
        try tile("b2", "2/3", size: "200")
        func merge(_ shards: [String], out: String = "m") throws -> ExternalCommand.Result {
            try ExternalCommand.run(ExternalCommand.scaletile, ["merge"] + shards.map(t.file) + ["--out", t.file(out)])
        }
        let missing = try merge(["a1", "a3"])
        #expect(missing.status == 65 && missing.standardError.contains("shard 2/3 missing"), "\(missing.standardError)")
        let twice = try merge(["a1", "a2", "a2", "a3"])
        #expect(twice.status == 65 && twice.standardError.contains("each shard is merged once"), "\(twice.standardError)")
        let mixed = try merge(["a1", "b2", "a3"])
        #expect(mixed.status == 65 && mixed.standardError.contains("not a shard of the same run") && mixed.standardError.contains("tileSize (256 and 200)"),
                "\(mixed.standardError)")
        let inside = try merge(["a1", "a2", "a3"], out: "a1/merged")
        #expect(inside.status == 64 && inside.standardError.contains("overlaps the shard folder"), "\(inside.standardError)")
        for result in [missing, twice, mixed, inside] {
            #expect(result.standardError.split(separator: "\n").count == 1, "one line: \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: t.file("m")), "nothing written, not even the folder")
        // A shard missing a tile its manifest lists is found while placing: the half-merged
        // folder is removed again.
        try FileManager.default.copyItem(atPath: t.file("a2"), toPath: t.file("c2"))
        let listed = try OutputFolder(path: t.file("c2")).readManifest()
        try FileManager.default.removeItem(atPath: t.file("c2/" + listed[0].path))
        let broken = try merge(["a1", "c2", "a3"])
        #expect(broken.status == 65 && broken.standardError.contains("is in the shard's manifest but missing"), "\(broken.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.file("m")).isEmpty, "nothing half-merged")
        let linked = try merge(["a3", "a1", "a2"])
        #expect(linked.status == 0, "\(linked.standardError)")
    }

    // Headers must agree; bodies join with OGR's separator; empty shards add nothing.
    @Test func footprintIndexesJoinFeatureLines() throws {
        let header = "{\n\"type\": \"FeatureCollection\",\n\"features\": [\n"
        let footer = "\n]\n}\n"
        let one = Data((header + "{ \"a\": 1 },\n{ \"a\": 2 }" + footer).utf8)
        let empty = Data((header + footer).utf8)
        let two = Data((header + "{ \"a\": 3 }" + footer).utf8)
        let merged = try FootprintIndexMerge.merged([one, empty, two], names: ["1", "2", "3"])
        #expect(String(decoding: merged, as: UTF8.self) == header + "{ \"a\": 1 },\n{ \"a\": 2 },\n{ \"a\": 3 }" + footer)
        #expect(try FootprintIndexMerge.merged([empty, empty], names: ["1", "2"]) == empty)
        let otherCRS = Data(("{\n\"crs\": 4326,\n\"features\": [\n" + footer).utf8)
        #expect(throws: ScaleTileError.self) { try FootprintIndexMerge.merged([one, otherCRS], names: ["1", "2"]) }
    }
}
