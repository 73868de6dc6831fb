import Testing
@testable import ScaleTileCore

/// Random 2-D targets inside `raster`, sides drawn from `sides`.
func randomTargets(count: Int, in raster: RasterSize, sides: ClosedRange<Int>, seed: UInt64) -> [SamplingTarget] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { i in
        let width = random.integer(in: sides), height = random.integer(in: sides)
        return boxTarget("o\(i)", x: random.integer(in: 0...(raster.width - width)),
                         y: random.integer(in: 0...(raster.height - height)), width: width, height: height)
    }
}

/// Whether `window` (level-0) lies inside the raster at `level`, on every axis where that
/// level's raster is at least the patch.
func liesInside(_ window: Window, level: Level, raster: RasterSize, patch: RasterSize) -> Bool {
    let scaled = level.window(fromBase: window), size = level.size(of: raster)
    func axis(_ start: Int, _ length: Int, _ limit: Int, _ patchLength: Int) -> Bool {
        limit >= patchLength ? start >= 0 && start + length <= limit : start == 0
    }
    return axis(scaled.x, scaled.width, size.width, patch.width) && axis(scaled.y, scaled.height, size.height, patch.height)
        && axis(scaled.z, scaled.depth, size.depth, patch.depth)
}

@Suite("Sampling: patch placement")
struct SamplingPlacementTests {
    let raster = RasterSize(width: 2000, height: 1500)
    let patch = RasterSize(width: 256, height: 256)
    let levels = [Level(0), Level(1), Level(2)]

    @Test("every object-balanced patch holds its target whole, at the finest level where it fits, inside the raster")
    func containmentAndLevels() throws {
        // Sides 2–900 px: at 256-px patches they need levels 0, 1 or 2 (900/4 = 225).
        let targets = randomTargets(count: 200, in: raster, sides: 2...900, seed: 11)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: patch, levels: levels, seed: 1)
        let plan = try sampler.objectBalanced(targets, count: 1000, minPerObject: 1)
        #expect(plan.windows.count == 1000)
        #expect(plan.uncontainedTargetIDs.isEmpty)
        let byID = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0) })
        for planned in plan.windows {
            let target = try #require(byID[planned.targetID ?? ""])
            #expect(planned.window.contains(target.bbox), "\(planned.id) misses its target")
            #expect(liesInside(planned.window, level: Level(planned.level), raster: raster, patch: patch), "\(planned.id) leaves the raster")
            // Finest fitting level, recomputed from the definition: the target's box at the level,
            // rounded outward, is no larger than the patch; at every finer level it is larger.
            func fits(_ level: Int) -> Bool {
                let scaled = Level(level).window(fromBase: target.bbox)
                return scaled.width <= patch.width && scaled.height <= patch.height
            }
            #expect(fits(planned.level) && (0..<planned.level).allSatisfy { !fits($0) })
            #expect(planned.window.size == RasterSize(width: 256 << planned.level, height: 256 << planned.level))
            #expect(planned.reason == .object)
        }
        // Ids are object-<target>-<draw>, draws numbered from 0 without gaps for each target.
        var draws: [String: [String]] = [:]
        for planned in plan.windows { draws[planned.targetID!, default: []].append(planned.id) }
        for (id, ids) in draws {
            #expect(ids == ids.indices.map { "object-\(id)-\($0)" })
        }
        #expect(Set(plan.windows.map(\.level)) == [0, 1, 2])
    }

    @Test("offsets are spread: a small target's patches take many different origins")
    func offsetsVary() throws {
        let target = boxTarget("small", x: 1000, y: 700, width: 6, height: 6)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: patch, seed: 2)
        let plan = try sampler.objectBalanced([target], count: 200)
        // 251 × 251 admissible origins; 200 uniform draws repeat an x only now and then.
        #expect(Set(plan.windows.map(\.window.x)).count > 100)
        #expect(Set(plan.windows.map(\.window.y)).count > 100)
        // Every admissible origin lies in [target end − 256, target start] on each axis.
        #expect(plan.windows.allSatisfy { $0.window.x >= 1006 - 256 && $0.window.x <= 1000 })
    }

    @Test("a target larger than the patch at every level gets centred patches and is reported")
    func uncontainable() throws {
        let huge = boxTarget("field", x: 100, y: 200, width: 1500, height: 300)    // 1500/4 = 375 > 256
        let small = boxTarget("car", x: 10, y: 10, width: 5, height: 5)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: patch, levels: levels)
        let plan = try sampler.objectBalanced([huge, small], count: 6)
        #expect(plan.uncontainedTargetIDs == ["field"])
        let centred = plan.windows.filter { $0.targetID == "field" }
        #expect(centred.count == 3)
        for planned in centred {
            // Coarsest level, 2: the box there is [25, 400) × [50, 125) (outward rounding). X centre
            // 212.5 − 128 = 84.5 → 84, which is 336 in level-0 px; Y centre 87.5 − 128 < 0 → 0.
            #expect(planned.level == 2)
            #expect(planned.window == Window(x: 336, y: 0, width: 1024, height: 1024))
            #expect(!planned.window.contains(huge.bbox))
        }
    }

    @Test("a stack thinner than the patch: patches start at slice 0 and overhang, still holding the lesion")
    func thinStack() throws {
        let stack = RasterSize(width: 300, height: 300, depth: 20)
        let lesion = SamplingTarget(id: "1", className: "1", bbox: Window(x: 100, y: 120, z: 5, width: 9, height: 9, depth: 9),
                                    pixelCount: 380)
        let sampler = try PatchSampler(rasterSize: stack, patchSize: RasterSize(width: 96, height: 96, depth: 48))
        let plan = try sampler.objectBalanced([lesion], count: 20)
        for planned in plan.windows {
            #expect(planned.window.z == 0 && planned.window.depth == 48)
            #expect(planned.window.contains(lesion.bbox))
            #expect(planned.reason == .lesion && planned.id.hasPrefix("lesion-1-"))
        }
    }

    @Test("the same seed gives the same plan; another seed moves the patches but keeps the quotas")
    func determinism() throws {
        let targets = randomTargets(count: 50, in: raster, sides: 2...200, seed: 4)
        let one = try PatchSampler(rasterSize: raster, patchSize: patch, levels: levels, seed: 42)
        let same = try PatchSampler(rasterSize: raster, patchSize: patch, levels: levels, seed: 42)
        let other = try PatchSampler(rasterSize: raster, patchSize: patch, levels: levels, seed: 43)
        let first = try one.objectBalanced(targets, count: 500, alpha: 0.5)
        #expect(try same.objectBalanced(targets, count: 500, alpha: 0.5) == first)
        let moved = try other.objectBalanced(targets, count: 500, alpha: 0.5)
        // Compare draw by draw (same id = same target, same draw index).
        let movedByID = Dictionary(uniqueKeysWithValues: moved.windows.map { ($0.id, $0.window) })
        let shared = first.windows.filter { movedByID[$0.id] != nil }
        #expect(shared.count > 450)
        #expect(shared.count { movedByID[$0.id] != $0.window } > shared.count * 9 / 10)
    }

    @Test("draw k of a target is the same window whatever the other targets")
    func stableDraws() throws {
        let targets = randomTargets(count: 10, in: raster, sides: 4...60, seed: 9)
        let sampler = try PatchSampler(rasterSize: raster, patchSize: patch, seed: 3)
        let alone = try sampler.objectBalanced([targets[0]], count: 5)
        let together = try sampler.objectBalanced(targets, count: 100)
        let own = together.windows.filter { $0.targetID == targets[0].id }
        #expect(own.count >= 5)        // quota 10, of which neighbours' patches hold it in at most a few
        #expect(Array(own.prefix(5)) == alone.windows)
    }

    @Test("object-balanced quotas are floors on containment: every target is held whole by ≥ q_i of the Σ q_i patches")
    func containmentFloor() throws {
        // Dense: 300 targets of 2–80 px in 800 × 800, patches of 128 at levels 0–1, so patches
        // often hold neighbours. Quotas at α = 0.5 differ from target to target.
        let dense = RasterSize(width: 800, height: 800)
        let targets = randomTargets(count: 300, in: dense, sides: 2...80, seed: 31)
        let sampler = try PatchSampler(rasterSize: dense, patchSize: RasterSize(width: 128, height: 128),
                                       levels: [Level(0), Level(1)], seed: 8)
        let quotas = try sampler.objectBalancedQuotas(for: targets, count: 1500, alpha: 0.5, minPerObject: 1)
        let plan = try sampler.objectBalanced(targets, count: 1500, alpha: 0.5, minPerObject: 1)
        #expect(plan.windows.count == quotas.reduce(0, +))
        for (target, quota) in zip(targets, quotas) {
            let held = plan.windows.count { $0.window.contains(target.bbox) }      // brute force
            #expect(held >= quota, "\(target.id): held by \(held), quota \(quota)")
        }
        // Some targets were served by their neighbours' patches, or the floor would be trivial.
        #expect(zip(targets, quotas).contains { target, quota in plan.windows.count { $0.targetID == target.id } < quota })

        // Far apart (no patch can hold two): exactly q_i patches each.
        let sparse = (0..<5).map { boxTarget("s\($0)", x: 400 * $0, y: 100, width: 3 + $0, height: 5) }
        let apart = try PatchSampler(rasterSize: raster, patchSize: patch, seed: 8)
        let sparseQuotas = try apart.objectBalancedQuotas(for: sparse, count: 23, alpha: 0)
        let sparsePlan = try apart.objectBalanced(sparse, count: 23, alpha: 0)
        #expect(sparse.map { target in sparsePlan.windows.count { $0.targetID == target.id } } == sparseQuotas)
    }
}
