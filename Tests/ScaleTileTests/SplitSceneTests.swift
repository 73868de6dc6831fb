import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Leak-free, stratified splits of real tiling and sampling runs, audited again here from the
/// written manifest alone (level-0 footprints), independently of the code that made them.
@Suite("Splits of scene runs", .serialized)
struct SplitSceneTests {
    static let aerial = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif"
    static let aerialLabels = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.coco.json"

    static func run(_ source: String, labels: String, in folder: TemporaryFolder,
                    _ configure: (inout TileOptions) throws -> Void) throws -> (TileSummary, [ManifestEntry], String) {
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.overlap = RasterSize(width: 32, height: 32, depth: 0)
        options.threads = 2
        options.format = .png
        options.labels = TileLabels(path: labels)
        try configure(&options)
        let out = folder.file("out-\(UUID().uuidString)")
        let summary = try TileJob(source: source, output: out, options: options).run()
        return (summary, try OutputFolder(path: out).readManifest(), out)
    }

    /// The audit, recomputed: pixels of windows of two splits shared, objects positive in two
    /// splits, and the split of every positive's windows.
    static func audit(_ manifest: [ManifestEntry]) -> (sharedPixels: Int, objectsInTwoSplits: Int) {
        var shared = 0
        for (i, a) in manifest.enumerated() {
            for b in manifest[(i + 1)...] where a.split != b.split {
                let w = a.window, v = b.window
                let dx = min(w.x + w.width, v.x + v.width) - max(w.x, v.x)
                let dy = min(w.y + w.height, v.y + v.height) - max(w.y, v.y)
                if dx > 0 && dy > 0 { shared += dx * dy }
            }
        }
        var splitsOf: [String: Set<SplitName>] = [:]
        for entry in manifest { for object in entry.objects ?? [] { splitsOf[object.id, default: []].insert(entry.split!) } }
        return (shared, splitsOf.values.filter { $0.count > 1 }.count)
    }

    /// Checks a split run: audit 0 recomputed and as reported, every split with windows, the
    /// stratification targets met or listed as shortfalls.
    static func checkLeakFree(_ summary: TileSummary, _ manifest: [ManifestEntry], shares: SplitShares) throws {
        let split = try #require(summary.split)
        #expect(manifest.allSatisfy { $0.split != nil })
        let (shared, twice) = audit(manifest)
        #expect(shared == 0)
        #expect(twice == 0)
        #expect(split.leakage.sharedPixels == 0 && split.leakage.objectsPositiveInTwoSplits == 0)
        for name in shares.names {
            #expect(manifest.contains { $0.split == name }, "\(name) has no window")
            #expect(split.splits[name.rawValue]?.windows == manifest.filter { $0.split == name }.count)
        }
        // Per-split classes recomputed from the manifest; targets checked or excused by a listed shortfall.
        var classes: [SplitName: [String: Set<String>]] = [:]
        for entry in manifest { for o in entry.objects ?? [] { classes[entry.split!, default: [:]][o.class, default: []].insert(o.id) } }
        var overall: [String: Set<String>] = [:]
        for perClass in classes.values { for (c, ids) in perClass { overall[c, default: []].formUnion(ids) } }
        let total = overall.values.reduce(0) { $0 + $1.count }
        for name in shares.names {
            let own = classes[name] ?? [:]
            let ownTotal = own.values.reduce(0) { $0 + $1.count }
            #expect(split.splits[name.rawValue]?.objects == ownTotal)
            for (c, ids) in overall {
                let n = own[c]?.count ?? 0
                let missing = ids.count >= 10 && shares[name] >= 0.1 && n == 0
                let off = ownTotal >= 30 && abs(Double(n) / Double(ownTotal) - Double(ids.count) / Double(total)) > 0.05
                if missing || off {
                    #expect(split.stratificationShortfalls.contains { $0.split == name && $0.group == "class" && $0.name == c },
                            "\(name) \(c) falls short without being listed")
                }
            }
        }
    }

    @Test func gridTilingOfTheAerialSampleIsLeakFree() throws {
        let folder = TemporaryFolder()
        let shares = try SplitShares(parsing: "train=0.8,val=0.1,test=0.1")
        let (summary, manifest, _) = try Self.run(Self.aerial, labels: Self.aerialLabels, in: folder) {
            $0.split = SplitOptions(shares: shares)
        }
        try Self.checkLeakFree(summary, manifest, shares: shares)
        // Train-only class weights count the positives of training windows.
        let trainCars = manifest.filter { $0.split == .train }.reduce(0) { $0 + ($1.objects ?? []).filter { $0.class == "car" }.count }
        #expect(summary.split?.trainClassWeights?["car"]?.count == trainCars)
    }

    @Test(arguments: [SamplingStrategy.objectBalanced(), .scaleStratified(), .uniform])
    func samplingRunsAreLeakFree(strategy: SamplingStrategy) throws {
        let folder = TemporaryFolder()
        let shares = try SplitShares(parsing: "train=0.8,val=0.2")
        let (summary, manifest, _) = try Self.run(Self.aerial, labels: Self.aerialLabels, in: folder) {
            $0.overlap = RasterSize(width: 0, height: 0, depth: 0)
            $0.sampling = TileSampling(strategy: strategy, count: 200)
            $0.split = SplitOptions(shares: shares)
        }
        try Self.checkLeakFree(summary, manifest, shares: shares)
    }

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)),
          arguments: [("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif", "satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson"),
                      ("satellite/labeled/neon_osbs_trees/OSBS_029.tif", "satellite/labeled/neon_osbs_trees/OSBS_029.csv")])
    func labelledScenesOfSharedDataAreLeakFree(scene: String, labels: String) throws {
        let folder = TemporaryFolder()
        let shares = try SplitShares(parsing: "train=0.8,val=0.2")
        let (summary, manifest, _) = try Self.run(SharedData.path(scene), labels: SharedData.path(labels), in: folder) {
            $0.format = .gtiff
            $0.split = SplitOptions(shares: shares)
        }
        try Self.checkLeakFree(summary, manifest, shares: shares)
    }

    @Test func withoutSplitNothingChanges() throws {
        let folder = TemporaryFolder()
        let (summary, _, out) = try Self.run(Self.aerial, labels: Self.aerialLabels, in: folder) { _ in }
        #expect(summary.split == nil && summary.layout == nil)
        let manifest = try #require(FileManager.default.contents(atPath: out + "/manifest.jsonl"))
        let text = String(decoding: manifest, as: UTF8.self)
        #expect(!text.contains("\"split\"") && !text.contains("\"ignore\""))
        let summaryText = String(decoding: FileManager.default.contents(atPath: out + "/summary.json")!, as: UTF8.self)
        #expect(!summaryText.contains("\"split\"") && !summaryText.contains("\"layout\""))
    }

    /// Bad input through the command line: one line, the exit code, nothing written.
    static let badInputs: [([String], Int32)] = [
        (["--split", "train=0.8,val=0.1"], 64),
        (["--split", "train=0.8,holdout=0.2"], 64),
        (["--layout", "pascal"], 64),
        (["--split", "train=0.5,val=0.5", "--split-block", "100000"], 65),
        (["--split", "train=0.5,val=0.5", "--shard", "1/2"], 64),
    ]

    @Test(arguments: 0..<5)
    func badInputFailsAndWritesNothing(index: Int) throws {
        let (arguments, status) = Self.badInputs[index]
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let result = try ExternalCommand.run(ExternalCommand.scaletile,
                                             ["tile", Self.aerial, "--labels", Self.aerialLabels, "--out", out, "--tile-size", "128"] + arguments)
        #expect(result.status == status, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("Error:") || result.standardError.hasPrefix("error:"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aLayoutWithLabelsNeedsLabels() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.aerial, "--out", out, "--layout", "yolo"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--layout"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// `split.*` and `output.layout` in a preset reach the job as the flags do.
    @Test func presetKeysSplitAndArrangeTheRun() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let preset = SharedData.packageRoot + "/Domains/satellite/aerial-vehicles.yaml"
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [
            "run", preset, "--out", out, "--quiet", "--set", "split.shares=train=0.8,val=0.2", "--set", "split.block=320",
            "--set", "tiling.size=128", "--set", "output.layout=coco"])
        #expect(result.status == 0, "\(result.standardError)")
        let scene = out + "/scenes/aerial_vehicles"
        let manifest = try OutputFolder(path: scene).readManifest()
        let summary = try StableJSON.decoder().decode(TileSummary.self, from: try #require(FileManager.default.contents(atPath: scene + "/summary.json")))
        #expect(summary.split?.blockSize == 320)
        #expect(summary.layout == "coco")
        try Self.checkLeakFree(summary, manifest, shares: try SplitShares(parsing: "train=0.8,val=0.2"))
        #expect(FileManager.default.fileExists(atPath: scene + "/annotations/instances_val.json"))
        // A bad share given with --set is an argument error (64) naming the key, before anything is written.
        let bad = try ExternalCommand.run(ExternalCommand.scaletile, ["run", preset, "--out", folder.file("bad"), "--set", "split.shares=train=0.8,val=0.3"])
        #expect(bad.status == 64, "\(bad.standardError)")
        #expect(bad.standardError.contains("split.shares"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("bad")))
    }
}
