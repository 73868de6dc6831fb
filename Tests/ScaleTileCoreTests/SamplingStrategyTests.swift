import Testing
@testable import ScaleTileCore

/// The heavy-tailed object mix of the peer benchmark (bench/peers/make_data.py), rebuilt:
/// 2400 objects with sides 4–16 px, 550 with 16–128, 50 with 128–1500, in a 10980² scene.
func heavyTailedScene(seed: UInt64 = 1) -> (raster: RasterSize, objects: [SamplingTarget]) {
    let raster = RasterSize(width: 10980, height: 10980)
    var random = SeededRandom(seed: seed)
    var objects: [SamplingTarget] = []
    for (count, sides) in [(2400, 4...16), (550, 16...128), (50, 128...1500)] {
        for _ in 0..<count {
            let width = random.integer(in: sides), height = random.integer(in: sides)
            objects.append(boxTarget("o\(objects.count)", x: random.integer(in: 0...(raster.width - width)),
                                     y: random.integer(in: 0...(raster.height - height)), width: width, height: height))
        }
    }
    return (raster, objects)
}

@Suite("Sampling: strategies")
struct SamplingStrategyTests {
    @Test("scale-stratified: bucket balance ≤ 1.5 on a heavy-tailed mix whenever N ≥ 2 × buckets",
          arguments: [6, 7, 8, 11, 100, 301, 2000])
    func stratifiedBalance(count: Int) throws {
        let (raster, objects) = heavyTailedScene()
        #expect(BucketCounts(targets: objects).occupiedBuckets.count == 3)
        // Levels 0–2 let 512-px patches hold objects up to 2048 px, so every patch holds its target.
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 512, height: 512),
                                       levels: [Level(0), Level(1), Level(2)], seed: UInt64(count))
        let plan = try sampler.scaleStratified(objects, count: count)
        #expect(plan.windows.count == count)
        #expect(plan.uncontainedTargetIDs.isEmpty)

        // Recount by brute force: each window counts for its own target's bucket if it holds it.
        let byID = Dictionary(uniqueKeysWithValues: objects.map { ($0.id, $0) })
        var perBucket = BucketCounts()
        for planned in plan.windows {
            let target = try #require(byID[planned.targetID ?? ""])
            #expect(planned.window.contains(target.bbox))
            perBucket[SizeBucket(target)] += 1
        }
        let counts = SizeBucket.allCases.map { perBucket[$0] }
        #expect(Double(counts.max()!) / Double(counts.min()!) <= 1.5)

        // The audit's targeted figure is the same count.
        let audit = ScaleAudit(targets: objects, windows: plan.windows)
        #expect(audit.targetedBucketCounts == perBucket)
        #expect(try #require(audit.targetedBucketBalance) <= 1.5)
    }

    @Test("negatives touch no target box, satisfy the validity predicate, and stop at the attempt budget")
    func negatives() throws {
        let raster = RasterSize(width: 3000, height: 2000)
        let targets = randomTargets(count: 150, in: raster, sides: 4...120, seed: 21)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 128, height: 128), seed: 8)
        // "Valid data" is the left half of the scene.
        var calls = 0
        let plan = try sampler.negatives(count: 60, avoiding: targets) { window in
            calls += 1
            return window.maxX <= 1500
        }
        #expect(plan.windows.count == 60 && plan.negativeShortfall == 0)
        for planned in plan.windows {
            // Brute force over every target.
            #expect(targets.allSatisfy { planned.window.intersection($0.bbox) == nil }, "\(planned.id) touches a target")
            #expect(planned.window.maxX <= 1500)
            #expect(planned.reason == .negative && planned.targetID == nil)
        }
        #expect(plan.windows.map(\.id) == (0..<60).map { "negative-\($0)" })
        #expect(calls >= 60)

        // Nothing is valid: the budget of 5 × 10 attempts runs out and the shortfall is reported.
        calls = 0
        let none = try sampler.negatives(count: 5, avoiding: targets, attemptsPerWindow: 10) { _ in
            calls += 1
            return false
        }
        #expect(none.windows.isEmpty && none.negativeShortfall == 5)
        #expect(calls <= 50)

        // One target covering the scene: no window is free of it.
        let blanket = boxTarget("all", width: 3000, height: 2000)
        #expect(try sampler.negatives(count: 3, avoiding: [blanket], attemptsPerWindow: 20).negativesPlaced == 0)
    }

    @Test("uniform windows lie inside the raster at their level and use every allowed level")
    func uniform() throws {
        let raster = RasterSize(width: 1000, height: 800, depth: 120)
        let patch = RasterSize(width: 64, height: 64, depth: 32)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: patch,
                                       levels: [.base, Level(1, scalesDepth: true)], seed: 5)
        let plan = try sampler.uniform(count: 400)
        #expect(plan.windows.count == 400)
        #expect(Set(plan.windows.map(\.level)) == [0, 1])
        for planned in plan.windows {
            let level = planned.level == 0 ? Level.base : Level(1, scalesDepth: true)
            #expect(liesInside(planned.window, level: level, raster: raster, patch: patch))
        }
        #expect(try sampler.uniform(count: 400) == plan)
    }

    @Test("grid: the regular grid at every level, counted by hand")
    func grid() throws {
        let sampler = try PatchSampler(rasterSize: RasterSize(width: 1000, height: 600),
                                       patchSize: RasterSize(width: 256, height: 256), levels: [Level(0), Level(1)])
        let plan = try sampler.grid(overlap: RasterSize(width: 32, height: 32, depth: 0))
        // Stride 224. Level 0, 1000 × 600: ⌈744/224⌉ + 1 = 5 columns, ⌈344/224⌉ + 1 = 3 rows → 15.
        // Level 1, 500 × 300: ⌈244/224⌉ + 1 = 3 columns, ⌈44/224⌉ + 1 = 2 rows → 6.
        #expect(plan.windows.count { $0.level == 0 } == 15)
        #expect(plan.windows.count { $0.level == 1 } == 6)
        // Shifted last tiles end at the edge: level 1, last column starts at 500 − 256 = 244 → 488.
        let last = try #require(plan.windows.last)
        #expect(last.id == "grid-1-5")
        #expect(last.window == Window(x: 488, y: 88, width: 512, height: 512))   // row start 300 − 256 = 44 → 88
        #expect(throws: ScaleTileError.self) { try sampler.grid(overlap: RasterSize(width: 256, height: 0, depth: 0)) }
    }

    @Test("grid with a count: that many distinct grid tiles, in grid order, seeded; all when the grid has fewer")
    func gridTakesTheCount() throws {
        let sampler = try PatchSampler(rasterSize: RasterSize(width: 1000, height: 600),
                                       patchSize: RasterSize(width: 256, height: 256), levels: [Level(0), Level(1)], seed: 7)
        let overlap = RasterSize(width: 32, height: 32, depth: 0)
        let all = try sampler.grid(overlap: overlap).windows
        let some = try sampler.grid(overlap: overlap, count: 8).windows
        #expect(some.count == 8 && Set(some.map(\.id)).count == 8)
        // Every drawn tile is a grid tile, and they keep the grid's order.
        let positions = try some.map { w in try #require(all.firstIndex(of: w)) }
        #expect(positions == positions.sorted())
        #expect(try sampler.grid(overlap: overlap, count: 8).windows == some, "the same seed draws the same tiles")
        let other = try PatchSampler(rasterSize: RasterSize(width: 1000, height: 600), patchSize: RasterSize(width: 256, height: 256),
                                     levels: [Level(0), Level(1)], seed: 8)
        #expect(try other.grid(overlap: overlap, count: 8).windows != some, "another seed draws other tiles")
        #expect(try sampler.grid(overlap: overlap, count: 100).windows == all)
        #expect(try sampler.plan(.grid(overlap: overlap, edge: .shift), targets: [], count: 5).windows.count == 5)
    }

    @Test("uniform and weighted windows say they were drawn at random")
    func randomWindowsSaySo() throws {
        let sampler = try PatchSampler(rasterSize: RasterSize(width: 1000, height: 600), patchSize: RasterSize(width: 128, height: 128),
                                       levels: [Level(0)], seed: 3)
        #expect(try sampler.uniform(count: 20).windows.allSatisfy { $0.reason == .random })
    }

    @Test("weighted: centres fall in the weighted cells, in proportion to the weights")
    func weighted() throws {
        let raster = RasterSize(width: 1000, height: 1000)
        let cell = RasterSize(width: 100, height: 100)
        let shape = ProbabilityGrid.shape(covering: raster, cellSize: cell)
        #expect(shape == RasterSize(width: 10, height: 10))
        // Cell (2, 3) weighs 3, cell (7, 6) weighs 1, the rest 0.
        var weights = Array(repeating: 0.0, count: 100)
        weights[3 * 10 + 2] = 3
        weights[6 * 10 + 7] = 1
        let map = try ProbabilityGrid(cellSize: cell, shape: shape, weights: weights)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 64, height: 64), seed: 6)
        let plan = try sampler.weighted(count: 4000, map: map)
        var inFirst = 0
        for planned in plan.windows {
            // Centre of a 64-px patch centred on pixel p: origin p − 32, so p = origin + 32.
            let x = planned.window.x + 32, y = planned.window.y + 32
            let first = (200..<300).contains(x) && (300..<400).contains(y)
            let second = (700..<800).contains(x) && (600..<700).contains(y)
            #expect(first || second, "\(planned.id) centred at (\(x), \(y))")
            if first { inFirst += 1 }
        }
        // Binomial(4000, 3/4): mean 3000, standard deviation 27; allow about 4 of them.
        #expect(abs(inFirst - 3000) < 110)

        let wrongShape = try ProbabilityGrid(cellSize: cell, shape: RasterSize(width: 9, height: 10), weights: Array(repeating: 1, count: 90))
        #expect(throws: ScaleTileError.self) { try sampler.weighted(count: 1, map: wrongShape) }
        #expect(throws: ScaleTileError.self) { try ProbabilityGrid(cellSize: cell, shape: shape, weights: Array(repeating: 0, count: 100)) }
        #expect(throws: ScaleTileError.self) { try ProbabilityGrid(cellSize: cell, shape: shape, weights: [-1] + Array(repeating: 1, count: 99)) }
    }

    @Test("posneg splits the count by the ratio, positives size-proportional; plan() adds extra negatives with unique ids")
    func positiveNegativeAndPlan() throws {
        let raster = RasterSize(width: 2000, height: 2000)
        // n = 100 and 900 px: α = 0 gives 1 : 9.
        let targets = [boxTarget("a", x: 100, y: 100, width: 10, height: 10), boxTarget("b", x: 1500, y: 1500, width: 30, height: 30)]
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 128, height: 128), seed: 4)
        // 30 at 2 : 1 → 20 positives (2 and 18) and 10 negatives.
        let plan = try sampler.positiveNegative(targets, count: 30, positive: 2, negative: 1)
        #expect(plan.windows.count { $0.targetID == "a" } == 2)
        #expect(plan.windows.count { $0.targetID == "b" } == 18)
        #expect(plan.windows.count { $0.reason == .negative } == 10)

        let planned = try sampler.plan(.positiveNegative(positive: 2, negative: 1), targets: targets, count: 30, negatives: 5)
        #expect(planned.windows.count { $0.reason == .negative } == 15)
        #expect(Set(planned.windows.map(\.id)).count == planned.windows.count)
        // The first 10 negatives are the same draws as without the extra ones.
        #expect(Array(planned.windows.filter { $0.reason == .negative }.prefix(10)) == plan.windows.filter { $0.reason == .negative })

        #expect(try sampler.plan(.objectBalanced(), targets: targets, count: 8) == sampler.objectBalanced(targets, count: 8))
        #expect(try sampler.plan(.classBalanced, targets: targets, count: 8, negatives: 3).windows.count == 11)
        #expect(SamplingStrategy.scaleStratified().name == "scale-stratified")
        #expect(throws: ScaleTileError.self) { try sampler.plan(.uniform, targets: targets, count: 3, negatives: -1) }
    }
}
