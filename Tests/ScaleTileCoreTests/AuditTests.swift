import Foundation
import Testing
@testable import ScaleTileCore

@Suite("Audit")
struct AuditTests {
    // Three targets and five windows, every figure worked out by hand below.
    //   A (10, 10) 4×4,   n = 16,   s = 4,  small
    //   B (50, 10) 20×20, n = 400,  s = 20, small
    //   C (0, 100) 40×40, n = 1600, s = 40, medium
    let targets = [boxTarget("A", x: 10, y: 10, width: 4, height: 4),
                   boxTarget("B", x: 50, y: 10, width: 20, height: 20),
                   boxTarget("C", x: 0, y: 100, width: 40, height: 40)]
    //   w1 level 0 (0, 0) 64²    for A: holds A (B ends at 70 > 64)
    //   w2 level 0 (8, 0) 64²    for B: holds A and B (ends at 72)
    //   w3 level 1 (0, 0) 128²   for C: holds A and B, not C (C ends at y = 140 > 128)
    //   w4 level 1 (0, 96) 128²  for C: holds C only
    //   w5 negative (200, 200) 64²: holds nothing
    // Containment counts: A 3, B 2, C 1.
    let windows = [PlannedWindow(id: "w1", level: 0, window: Window(x: 0, y: 0, width: 64, height: 64), reason: .object, targetID: "A"),
                   PlannedWindow(id: "w2", level: 0, window: Window(x: 8, y: 0, width: 64, height: 64), reason: .object, targetID: "B"),
                   PlannedWindow(id: "w3", level: 1, window: Window(x: 0, y: 0, width: 128, height: 128), reason: .object, targetID: "C"),
                   PlannedWindow(id: "w4", level: 1, window: Window(x: 0, y: 96, width: 128, height: 128), reason: .object, targetID: "C"),
                   PlannedWindow(id: "w5", level: 0, window: Window(x: 200, y: 200, width: 64, height: 64), reason: .negative)]

    @Test("every figure of a tiny hand example")
    func handExample() throws {
        let audit = ScaleAudit(targets: targets, windows: windows, sizeBand: try ObjectSizeBand(min: 8, max: 32), coverageK: 2)
        #expect(audit.windowCount == 5 && audit.targetCount == 3)
        #expect(audit.targets.map(\.containmentCount) == [3, 2, 1])
        #expect(audit.samplingBias == 3)                               // 3 / 1
        #expect(audit.containableCount == 3)                           // all fit a 64² window
        #expect(audit.containableSamplingBias == 3)
        #expect(audit.containedShare == 1)
        // k = 1: all three; k = 2: A and B; k = 5: none.
        #expect(audit.coverage.map(\.k) == [1, 2, 5])
        #expect(audit.coverage.map(\.targetCount) == [3, 2, 0])
        #expect(audit.coverageShare(k: 2) == 2.0 / 3)
        // In band 8:32: A is 4 at level 0 and 2 at level 1, never in band. B is 20 in w2 (level 0)
        // and 10 in w3 (level 1): 2 windows. C is 20 in w4 (level 1): 1 window.
        #expect(audit.targets.map(\.inBandCount) == [0, 2, 1])
        #expect(audit.inBandShare == 2.0 / 3)
        // Occurrences: small A + B = 5, medium C = 1, no large target → balance over small, medium = 5.
        #expect(audit.bucketOccurrences == BucketCounts(small: 5, medium: 1, large: 0))
        #expect(audit.bucketBalance == 5)
        // Own targets held: w1 → A, w2 → B (small 2); w3 misses C; w4 → C (medium 1). Balance 2.
        #expect(audit.targetedBucketCounts == BucketCounts(small: 2, medium: 1, large: 0))
        #expect(audit.targetedBucketBalance == 2)
        // Slope of ln(count + 1) = ln 4, ln 3, ln 2 on ln n = ln 16, ln 400, ln 1600, computed
        // separately (Python, same formula): −0.139745849067115.
        #expect(abs(try #require(audit.sizeSlope) - -0.139745849067115) < 1e-12)
        // Sizes 4, 20, 40 → bins 2, 4, 5 (with 3 empty); after: 3, 2, 1 containments.
        #expect(audit.histogramBefore.bins.map(\.count) == [1, 0, 1, 1])
        #expect(audit.histogramAfter.bins.map(\.count) == [3, 0, 2, 1])
        #expect(audit.histogramAfter.bins.map(\.exponent) == [2, 3, 4, 5])
    }

    @Test("R is ∞ when a target is never contained, undefined when none is; shares are undefined without targets")
    func edgeCases() {
        let onlyA = ScaleAudit(targets: targets, windows: [windows[0]])
        #expect(onlyA.samplingBias == .infinity)
        #expect(onlyA.targets.map(\.inBandCount) == [nil, nil, nil])
        #expect(onlyA.inBandShare == nil)
        let nothing = ScaleAudit(targets: targets, windows: [windows[4]])
        #expect(nothing.samplingBias == nil)
        #expect(nothing.bucketBalance == nil)
        #expect(nothing.containedShare == 0)
        #expect(nothing.coverageShare(k: 1) == 0)
        let empty = ScaleAudit(targets: [], windows: windows)
        #expect(empty.containedShare == nil && empty.samplingBias == nil && empty.sizeSlope == nil)
        // A 64² window cannot hold a 100-px box: not containable.
        let big = ScaleAudit(targets: [boxTarget("big", x: 0, y: 0, width: 100, height: 10)], windows: [windows[0]])
        #expect(big.containableCount == 0)
    }

    @Test("containment counts agree with testing every window against every target")
    func matchesBruteForce() throws {
        let raster = RasterSize(width: 3000, height: 3000)
        let targets = randomTargets(count: 400, in: raster, sides: 2...300, seed: 12)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 200, height: 200),
                                       levels: [Level(0), Level(1)], seed: 1)
        let windows = try sampler.objectBalanced(targets, count: 600).windows + sampler.uniform(count: 300).windows
        let audit = ScaleAudit(targets: targets, windows: windows)
        let expected = targets.map { target in windows.count { $0.window.contains(target.bbox) } }
        #expect(audit.targets.map(\.containmentCount) == expected)
    }

    @Test("the audit encodes to JSON, ∞ as null with a flag, and renders a fixed-width table")
    func encodingAndTable() throws {
        let audit = ScaleAudit(targets: targets, windows: [windows[0]], sizeBand: try ObjectSizeBand(min: 8, max: 32))
        let json = String(decoding: try StableJSON.lineEncoder().encode(audit), as: UTF8.self)
        #expect(json.contains(#""samplingBias":null"#) && json.contains(#""samplingBiasUnbounded":true"#))
        #expect(!json.contains("Infinity"))
        #expect(json.contains(#""targetedBucketCounts":{"large":0,"medium":0,"small":1}"#))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        #expect(try decoder.decode(ScaleAudit.self, from: Data(json.utf8)) == audit)

        let table = ScaleAudit(targets: targets, windows: windows, sizeBand: try ObjectSizeBand(min: 8, max: 32)).table()
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.first == "scale audit: 5 windows, 3 targets")
        #expect(lines.contains("  sampling bias R                           3.00"))
        #expect(lines.contains("  contained whole in ≥ 1 window           3 of 3   100.0%"))
        #expect(lines.contains("  in band 8:32 in ≥ 1 window              2 of 3   66.7%"))
        // Figures end in one column: 2 + 36 + 10 characters.
        for line in lines where line.hasPrefix("  ") && !line.hasPrefix("  size") && !line.hasPrefix("  [") {
            #expect(line.count >= 48 && line[line.index(line.startIndex, offsetBy: 47)] != " ", "\(line)")
        }
        #expect(lines.contains("  [16, 32)                 1           2"))
    }
}
