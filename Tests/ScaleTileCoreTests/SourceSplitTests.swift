import Testing
@testable import ScaleTileCore

/// Whole sources assigned to splits (`--split-by source`), counted by hand.
@Suite("Source splits")
struct SourceSplitTests {
    /// `count` lesions of class `label`, 3 voxels across (small), each its own target.
    static func source(_ name: String, label: String, count: Int, windows: Int = 10) -> SourceSplit.Source {
        let objects = (0 ..< count).map { i in
            SamplingTarget(id: "\(name)-\(i)", className: label, bbox: Window(x: 10 * i, y: 0, z: 0, width: 3, height: 3, depth: 3), pixelCount: 27)
        }
        return SourceSplit.Source(name: name, objects: objects, windows: windows)
    }

    @Test("ten sources of two classes: each class shared 3 : 2 between train and test, seeded and repeatable")
    func stratifiedByClass() throws {
        let sources = (0 ..< 5).map { Self.source("a\($0)", label: "a", count: 2) } + (0 ..< 5).map { Self.source("b\($0)", label: "b", count: 2) }
        let shares = try SplitShares(parsing: "train=0.6,test=0.4")
        let split = try SourceSplit(sources: sources, shares: shares, seed: 4)
        for label in ["a", "b"] {
            let train = zip(sources, split.splits).filter { $0.0.name.hasPrefix(label) && $0.1 == .train }.count
            #expect(train == 3, "class \(label)")
        }
        #expect(try SourceSplit(sources: sources, shares: shares, seed: 4).splits == split.splits)
        let summary = SourceSplitSummary(split, entries: [])
        #expect(summary.splits["train"]?.objects == 12)
        #expect(summary.splits["test"]?.classes == ["a": 4, "b": 4])
        #expect(summary.stratificationShortfalls.isEmpty)
    }

    @Test("every split gets a source when there are as many sources as splits; fewer are refused")
    func everySplitHoldsASource() throws {
        let shares = try SplitShares(parsing: "train=0.8,val=0.1,test=0.1")
        // One source holds every lesion: the stratification alone would leave val or test empty.
        let sources = [Self.source("big", label: "1", count: 20, windows: 50), Self.source("s1", label: "1", count: 0, windows: 2),
                       Self.source("s2", label: "1", count: 0, windows: 3)]
        for seed in UInt64(0) ..< 5 {
            let split = try SourceSplit(sources: sources, shares: shares, seed: seed)
            #expect(Set(split.splits) == [.train, .val, .test], "seed \(seed)")
            #expect(split.split(of: "big") == .train)
        }
        #expect(throws: ScaleTileError.self) { try SourceSplit(sources: Array(sources.prefix(2)), shares: shares, seed: 0) }
    }
}
