import Foundation
import Testing
@testable import ScaleTileCore

/// A 2-D target whose box is `width` × `height` at (`x`, `y`), sized by its box area.
func boxTarget(_ id: String, _ className: String = "object", x: Int = 0, y: Int = 0, width: Int, height: Int) -> SamplingTarget {
    SamplingTarget(id: id, className: className, bbox: Window(x: x, y: y, width: width, height: height),
                   pixelCount: Double(width * height))
}

/// A target of a given size s = √n, placed at the origin with a box of about that side.
func sizedTarget(_ id: String, size: Double, className: String = "object") -> SamplingTarget {
    let side = max(1, Int(size.rounded(.up)))
    return SamplingTarget(id: id, className: className, bbox: Window(x: 0, y: 0, width: side, height: side),
                          pixelCount: size * size)
}

@Suite("Scale statistics")
struct ScaleStatisticsTests {
    @Test("COCO buckets split at areas 32² and 96², lower bounds inclusive")
    func cocoBuckets() {
        // DESIGN.md §4: small < 1024, medium < 9216, large ≥ 9216.
        #expect(SizeBucket(area: 0) == .small)
        #expect(SizeBucket(area: 1023.9) == .small)
        #expect(SizeBucket(area: 1024) == .medium)
        #expect(SizeBucket(area: 9215.9) == .medium)
        #expect(SizeBucket(area: 9216) == .large)
        #expect(SizeBucket(boxTarget("a", width: 32, height: 31)) == .small)    // 992 px
        #expect(SizeBucket(boxTarget("b", width: 96, height: 96)) == .large)    // 9216 px
        let counts = BucketCounts(targets: [boxTarget("a", width: 4, height: 4), boxTarget("b", width: 40, height: 40),
                                            boxTarget("c", width: 4, height: 8)])
        #expect(counts == BucketCounts(small: 2, medium: 1, large: 0))
        #expect(counts.occupiedBuckets == [.small, .medium])
    }

    @Test("bucket balance is max/min over the given buckets, ∞ for a starved bucket, nil when nothing was sampled")
    func bucketBalance() {
        let counts = BucketCounts(small: 6, medium: 4, large: 0)
        #expect(counts.balance(over: [.small, .medium]) == 1.5)
        #expect(counts.balance(over: [.small, .medium, .large]) == .infinity)
        #expect(BucketCounts().balance(over: [.small]) == nil)
        #expect(counts.balance(over: []) == nil)
    }

    @Test("log2 size bins: bin e holds [2^e, 2^(e+1)), bin 0 also holds s < 1, and bins run without gaps")
    func sizeHistogram() {
        // By hand: 0.5, 1, 1.99 → bin 0; 2, 3.9 → bin 1; 4 → bin 2; 8⁻ → bin 2; 8 → bin 3; 100 → bin 6.
        let sizes = [0.5, 1, 1.99, 2, 3.9, 4, 8.0.nextDown, 8, 100]
        let histogram = SizeHistogram(sizes: sizes)
        #expect(histogram.bins.map(\.exponent) == [0, 1, 2, 3, 4, 5, 6])
        #expect(histogram.bins.map(\.count) == [3, 2, 2, 1, 0, 0, 1])
        #expect(histogram.bins.first?.minSize == 0)
        #expect(histogram.bins.last?.minSize == 64)
        #expect(histogram.bins.last?.maxSize == 128)
        #expect(histogram.total == sizes.count)

        // Weighted: the same bins, counts summed from the weights.
        let weighted = SizeHistogram(sizes: sizes, weights: [1, 0, 0, 5, 0, 0, 0, 2, 7])
        #expect(weighted.bins.map(\.exponent) == histogram.bins.map(\.exponent))
        #expect(weighted.bins.map(\.count) == [1, 5, 0, 2, 0, 0, 7])
        #expect(SizeHistogram(sizes: []).bins.isEmpty)
    }

    @Test("class × bucket table: one row per class, sorted, with totals")
    func classSizeTable() throws {
        let targets = [boxTarget("1", "ship", width: 10, height: 10), boxTarget("2", "car", width: 3, height: 3),
                       boxTarget("3", "ship", width: 100, height: 100), boxTarget("4", "ship", width: 50, height: 50)]
        let table = ClassSizeCounts.table(for: targets)
        #expect(table.map(\.className) == ["car", "ship"])
        #expect(table[0].buckets == BucketCounts(small: 1))
        #expect(table[1].buckets == BucketCounts(small: 1, medium: 1, large: 1))
        #expect(table[1].count == 3)
        let json = String(decoding: try StableJSON.lineEncoder().encode(table[1]), as: UTF8.self)
        #expect(json == #"{"buckets":{"large":1,"medium":1,"small":1},"className":"ship","count":3}"#)
    }

    @Test("inverse-frequency weights on hand counts: 1/n normalised to mean 1")
    func inverseFrequencyWeights() throws {
        // boat 1, car 10, truck 5. 1/n = 1, 0.1, 0.2, mean 1.3/3, so weights are
        // 1/(1.3/3) = 30/13, 0.1/(1.3/3) = 3/13, 0.2/(1.3/3) = 6/13.
        let weights = try ClassWeights(counts: ["car": 10, "truck": 5, "boat": 1, "bus": 0])
        #expect(weights.classes.map(\.className) == ["boat", "car", "truck"])   // bus (0) is not present
        #expect(weights.classes.map(\.count) == [1, 10, 5])
        let expected = [30.0 / 13, 3.0 / 13, 6.0 / 13]
        for (entry, value) in zip(weights.classes, expected) {
            #expect(abs(entry.inverseFrequency - value) < 1e-12)
        }
        #expect(weights["car"]?.inverseFrequency == weights.classes[1].inverseFrequency)
        #expect(weights["bus"] == nil)
    }

    @Test("effective-number weights on hand counts: (1−β)/(1−β^n) normalised to mean 1")
    func effectiveNumberWeights() throws {
        // β = 1/2: 1/(1 − β^n) is 2 for n = 1, 32/31 for n = 5, 1024/1023 for n = 10
        // (the common factor 1 − β cancels); normalise by their mean.
        let raw = [2.0, 1024.0 / 1023, 32.0 / 31]                     // boat, car, truck
        let mean = raw.reduce(0, +) / 3
        let weights = try ClassWeights(counts: ["car": 10, "truck": 5, "boat": 1], beta: 0.5)
        for (entry, value) in zip(weights.classes, raw) {
            #expect(abs(entry.effectiveNumber - value / mean) < 1e-12)
        }

        // Default β = 0.999, counts 1000 and 10, straight from the paper's formula with pow.
        let counts = ["common": 1000, "rare": 10]
        let def = try ClassWeights(counts: counts)
        #expect(def.beta == 0.999)
        let paper = ["common", "rare"].map { (1 - 0.999) / (1 - pow(0.999, Double(counts[$0]!))) }
        let paperMean = paper.reduce(0, +) / 2
        #expect(abs(def["common"]!.effectiveNumber - paper[0] / paperMean) < 1e-9)
        #expect(abs(def["rare"]!.effectiveNumber - paper[1] / paperMean) < 1e-9)

        // β = 0 weighs every class the same; β → 1 approaches inverse frequency.
        let flat = try ClassWeights(counts: counts, beta: 0)
        #expect(flat.classes.allSatisfy { abs($0.effectiveNumber - 1) < 1e-12 })
        let nearOne = try ClassWeights(counts: counts, beta: 1 - 1e-9)
        for entry in nearOne.classes {
            #expect(abs(entry.effectiveNumber - entry.inverseFrequency) < 1e-5)
        }
    }

    @Test("class weights reject β outside [0, 1) and negative counts")
    func classWeightErrors() {
        #expect(throws: ScaleTileError.self) { try ClassWeights(counts: ["a": 1], beta: 1) }
        #expect(throws: ScaleTileError.self) { try ClassWeights(counts: ["a": 1], beta: -0.1) }
        #expect(throws: ScaleTileError.self) { try ClassWeights(counts: ["a": -1]) }
        #expect((try? ClassWeights(counts: [:]))?.classes.isEmpty == true)
    }

    @Test("the scale report encodes with the documented camelCase keys and decodes back")
    func reportJSON() throws {
        let targets = [boxTarget("1", "car", x: 0, y: 0, width: 4, height: 4),
                       boxTarget("2", "field", x: 900, y: 900, width: 300, height: 200)]
        let report = try ScaleReport(targets: targets, tileSize: RasterSize(width: 512, height: 512),
                                     band: ObjectSizeBand(min: 8, max: 64), candidateLevels: [0, 1, 2, 3])
        let data = try StableJSON.lineEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["targetCount", "histogram", "buckets", "classSizes", "classWeights", "overlap", "levels"])
        let weights = try #require(object["classWeights"] as? [String: Any])
        #expect(Set(weights.keys) == ["beta", "classes"])
        let overlap = try #require(object["overlap"] as? [String: Any])
        #expect(Set(overlap.keys) == ["tileSize", "overlap", "stride", "guaranteedCount", "notGuaranteedCount", "largerThanTileCount"])
        #expect(try JSONDecoder().decode(ScaleReport.self, from: data) == report)

        // Without a tile size or a band, those parts are left out.
        let bare = try ScaleReport(targets: targets)
        let bareObject = try #require(try JSONSerialization.jsonObject(with: StableJSON.lineEncoder().encode(bare)) as? [String: Any])
        #expect(bareObject["overlap"] == nil && bareObject["levels"] == nil)
    }
}
