import Testing
@testable import ScaleTileCore

/// Targets of the given pixel counts, spread along X of a 4096 × 64 scene so they are valid
/// for any sampler over `quotaRaster`.
func targets(pixelCounts: [Double], className: String = "object") -> [SamplingTarget] {
    pixelCounts.enumerated().map { i, n in
        SamplingTarget(id: "t\(i)", className: className, bbox: Window(x: 40 * i, y: 0, width: 8, height: 8), pixelCount: n)
    }
}

let quotaRaster = RasterSize(width: 4096, height: 64)

@Suite("Sampling: quotas")
struct SamplingQuotaTests {
    @Test("largest remainder: 10 over 1, 1, 1 is 3, 3, 3 plus one extra where the seed says")
    func equalWeightsTie() {
        var extraGoesTo = Set<Int>()
        for seed in UInt64(0)..<40 {
            var random = SeededRandom(seed: seed)
            let quotas = Apportionment.largestRemainder(total: 10, weights: [1, 1, 1], tieBreaking: &random)
            #expect(quotas.sorted() == [3, 3, 4])
            extraGoesTo.insert(quotas.firstIndex(of: 4)!)
            var again = SeededRandom(seed: seed)
            #expect(Apportionment.largestRemainder(total: 10, weights: [1, 1, 1], tieBreaking: &again) == quotas)
        }
        // Not always the first target: each of the three gets the extra under some seed.
        #expect(extraGoesTo == [0, 1, 2])
    }

    @Test("largest remainder on hand examples")
    func handExamples() {
        var random = SeededRandom(seed: 3)
        // 10 · (1, 2, 3)/6 = 1.67, 3.33, 5 → floors 1, 3, 5, the one left goes to the largest remainder 0.67.
        #expect(Apportionment.largestRemainder(total: 10, weights: [1, 2, 3], tieBreaking: &random) == [2, 3, 5])
        // 10 · (0.1, 0.2, 0.3, 0.4) is 1, 2, 3, 4 in real numbers; 3.0000000000000004 in doubles must not
        // count as a remainder.
        #expect(Apportionment.largestRemainder(total: 10, weights: [0.1, 0.2, 0.3, 0.4], tieBreaking: &random) == [1, 2, 3, 4])
        // A zero weight gets nothing; 5 · (0, 1, 4)/5 = 0, 1, 4.
        #expect(Apportionment.largestRemainder(total: 5, weights: [0, 1, 4], tieBreaking: &random) == [0, 1, 4])
        // 7 over eight equal weights: seven get 1, one gets 0.
        let sparse = Apportionment.largestRemainder(total: 7, weights: Array(repeating: 2.5, count: 8), tieBreaking: &random)
        #expect(sparse.sorted() == [0, 1, 1, 1, 1, 1, 1, 1])
        #expect(Apportionment.largestRemainder(total: 0, weights: [1, 2], tieBreaking: &random) == [0, 0])
        #expect(Apportionment.largestRemainder(total: 4, weights: [], tieBreaking: &random) == [])
    }

    @Test("object-balanced α = 0 gives size-proportional quotas")
    func alphaZero() throws {
        let sampler = try PatchSampler(rasterSize: quotaRaster, patchSize: RasterSize(width: 32, height: 32))
        // n = 100, 300, 600 of 1000: 10 patches → exactly 1, 3, 6.
        #expect(try sampler.objectBalancedQuotas(for: targets(pixelCounts: [100, 300, 600]), count: 10, alpha: 0) == [1, 3, 6])
        // 7 patches → 0.7, 2.1, 4.2 → floors 0, 2, 4 and the last to the 0.7 remainder.
        #expect(try sampler.objectBalancedQuotas(for: targets(pixelCounts: [100, 300, 600]), count: 7, alpha: 0) == [1, 2, 4])
    }

    @Test("object-balanced α = 1 gives equal quotas whatever the sizes; α = 0.5 weighs by √n")
    func alphaOneAndHalf() throws {
        let sampler = try PatchSampler(rasterSize: quotaRaster, patchSize: RasterSize(width: 32, height: 32))
        #expect(try sampler.objectBalancedQuotas(for: targets(pixelCounts: [1, 1000, 1_000_000]), count: 9) == [3, 3, 3])
        // √1, √4, √16 = 1, 2, 4 of 7: 14 patches → 2, 4, 8.
        #expect(try sampler.objectBalancedQuotas(for: targets(pixelCounts: [1, 4, 16]), count: 14, alpha: 0.5) == [2, 4, 8])
    }

    @Test("min-per-object raises every quota to at least k, on top of the apportioned count")
    func minPerObject() throws {
        let sampler = try PatchSampler(rasterSize: quotaRaster, patchSize: RasterSize(width: 32, height: 32))
        let pair = targets(pixelCounts: [1, 1000])
        // α = 0: 10 · 1/1001 = 0.00999 and 9.99001 → floors 0, 9, the last to the 0.99 remainder.
        #expect(try sampler.objectBalancedQuotas(for: pair, count: 10, alpha: 0) == [0, 10])
        #expect(try sampler.objectBalancedQuotas(for: pair, count: 10, alpha: 0, minPerObject: 2) == [2, 10])
        #expect(try sampler.objectBalancedQuotas(for: pair, count: 10, alpha: 0, minPerObject: 11) == [11, 11])
        // The plan follows the quotas.
        let plan = try sampler.objectBalanced(pair, count: 10, alpha: 0, minPerObject: 2)
        #expect(plan.windows.count { $0.targetID == "t0" } == 2)
        #expect(plan.windows.count { $0.targetID == "t1" } == 10)
    }

    @Test("object-balanced rejects bad counts, exponents and targets")
    func objectBalancedErrors() throws {
        let sampler = try PatchSampler(rasterSize: quotaRaster, patchSize: RasterSize(width: 32, height: 32))
        let three = targets(pixelCounts: [1, 2, 3])
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: three, count: -1) }
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: three, count: 5, minPerObject: -1) }
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: three, count: 5, alpha: .nan) }
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: three, count: 5, alpha: -.infinity) }
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: three + [three[0]], count: 5) }   // duplicate id
        let outside = SamplingTarget(id: "x", className: "o", bbox: Window(x: 4090, y: 0, width: 10, height: 4), pixelCount: 40)
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: [outside], count: 5) }
        let empty = SamplingTarget(id: "e", className: "o", bbox: Window(x: 0, y: 0, width: 4, height: 4), pixelCount: 0)
        #expect(throws: ScaleTileError.self) { try sampler.objectBalancedQuotas(for: [empty], count: 5) }
        #expect(try sampler.objectBalanced([], count: 5).windows.isEmpty)
    }

    @Test("scale-stratified quotas: equal per bucket present, then equal per target, ties by the seed")
    func stratifiedQuotas() throws {
        let sampler = try PatchSampler(rasterSize: quotaRaster, patchSize: RasterSize(width: 32, height: 32), seed: 5)
        // Three small (n < 1024), two medium, one large (n ≥ 9216).
        let mix = targets(pixelCounts: [10, 20, 30, 2000, 3000, 10_000])
        // 9 → 3 per bucket → small 1, 1, 1; medium 3 over two → 2 + 1 by the seed; large 3.
        let nine = try sampler.scaleStratifiedQuotas(for: mix, count: 9)
        #expect(Array(nine[0..<3]) == [1, 1, 1])
        #expect(nine[3...4].sorted() == [1, 2])
        #expect(nine[5] == 3)
        // 7 → 3, 2, 2 in some bucket order: per-bucket sums are a permutation of them.
        let seven = try sampler.scaleStratifiedQuotas(for: mix, count: 7)
        #expect([seven[0..<3].reduce(0, +), seven[3...4].reduce(0, +), seven[5]].sorted() == [2, 2, 3])
        // Shares: nothing for large; the 8 go half and half to small and medium.
        let shared = try sampler.scaleStratifiedQuotas(for: mix, count: 8, bucketShares: [.small: 1, .medium: 1])
        #expect(shared[0..<3].reduce(0, +) == 4 && shared[3...4].reduce(0, +) == 4 && shared[5] == 0)
        // Shares only for a bucket that has no target cannot be met.
        #expect(throws: ScaleTileError.self) {
            try sampler.scaleStratifiedQuotas(for: targets(pixelCounts: [10, 20]), count: 8, bucketShares: [.large: 1])
        }
    }

    @Test("class-balanced quotas: equal per class, then equal per target")
    func classQuotas() throws {
        let sampler = try PatchSampler(rasterSize: quotaRaster, patchSize: RasterSize(width: 32, height: 32))
        let cars = targets(pixelCounts: [10, 10, 10], className: "car")
        let ship = SamplingTarget(id: "ship", className: "ship", bbox: Window(x: 400, y: 0, width: 8, height: 8), pixelCount: 64)
        // 8 → car 4, ship 4; car's 4 over three → 2, 1, 1 in a seed-chosen order.
        let quotas = try sampler.classBalancedQuotas(for: cars + [ship], count: 8)
        #expect(quotas[0..<3].sorted() == [1, 1, 2])
        #expect(quotas[3] == 4)
    }
}
