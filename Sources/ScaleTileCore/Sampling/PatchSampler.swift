/// Plans training patches over one raster: object-balanced, scale-stratified, class-balanced,
/// uniform, positive/negative, grid and weighted sampling (DESIGN.md §4).
///
/// Every sampler is a pure function of its inputs and ``seed``. Random choices come from
/// streams keyed by what they are for (a target's id, the negatives, the quota ties), so a plan
/// does not depend on thread count, and draw k of a target is the same window in every plan
/// that has it, whatever other targets are added or removed and however its quota changes.
///
/// Window ids follow the strategy, the target and the draw: `object-<target>-<k>` (scenes) or
/// `lesion-<target>-<k>` (stacks), `negative-<k>`, `uniform-<k>`, `weighted-<k>`,
/// `grid-<level>-<k>`, with k from 0.
public struct PatchSampler: Hashable, Sendable {
    /// The raster, patch size and levels.
    public let geometry: PatchGeometry
    /// The seed of every random choice (`--seed`).
    public let seed: UInt64

    /// A sampler over `geometry`.
    public init(geometry: PatchGeometry, seed: UInt64 = 0) {
        self.geometry = geometry
        self.seed = seed
    }

    /// A sampler of `patchSize` patches over a `rasterSize` raster at `levels`.
    ///
    /// - Throws: what ``PatchGeometry/init(rasterSize:patchSize:levels:)`` throws.
    public init(rasterSize: RasterSize, patchSize: RasterSize, levels: [Level] = [.base], seed: UInt64 = 0) throws {
        try self.init(geometry: PatchGeometry(rasterSize: rasterSize, patchSize: patchSize, levels: levels), seed: seed)
    }

    /// Why a window placed around a target is in the plan: objects in scenes, lesions in stacks.
    var targetReason: WindowReason { geometry.isVolumetric ? .lesion : .object }

    /// The random stream of one purpose (`patch/<target id>`, `negative`, `quota/<strategy>`).
    func randomStream(_ purpose: String) -> SeededRandom {
        SeededRandom(seed: seed, key: purpose)
    }

    /// Throws the command-line error for a negative count (`--count`, `--negatives`, …).
    func requireNonNegative(_ value: Int, _ option: String) throws {
        guard value >= 0 else { throw ScaleTileError.argument(option, "must not be negative, got \(value)") }
    }

    /// Checks that targets can be sampled: unique ids, positive sizes, boxes inside the raster.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` naming the first offending target.
    func validate(_ targets: [SamplingTarget]) throws {
        let raster = Window(size: geometry.rasterSize)
        var seen = Set<String>()
        for target in targets {
            guard seen.insert(target.id).inserted else {
                throw ScaleTileError(.invalidInput, nil, "target id '\(target.id)' appears twice; window ids need unique target ids")
            }
            guard target.pixelCount.isFinite, target.pixelCount > 0 else {
                throw ScaleTileError(.invalidInput, nil, "target '\(target.id)' has size \(target.pixelCount) pixels; sizes must be positive")
            }
            guard raster.contains(target.bbox) else {
                throw ScaleTileError(.invalidInput, nil, "target '\(target.id)' box \(target.bbox) is not inside the raster \(geometry.rasterSize)")
            }
        }
    }

    /// `quotas[i]` patches for `targets[i]`, each holding its target whole at a random offset at
    /// the finest level where the target fits; a target that fits at no level gets patches
    /// centred on it at the coarsest level, and is listed in the plan as not contained.
    ///
    /// - Complexity: O(Σ quotas + targets).
    func targetedPlan(_ targets: [SamplingTarget], quotas: [Int]) -> SamplingPlan {
        precondition(targets.count == quotas.count, "one quota per target")
        let levels = targets.map { geometry.finestLevel(fitting: $0.bbox) }
        let draws = targets.indices.map { i -> [Window] in
            guard let level = levels[i] else {
                return Array(repeating: geometry.patch(centredOn: targets[i].bbox, at: geometry.levels.last!), count: quotas[i])
            }
            var random = randomStream("patch/\(targets[i].id)")
            return (0..<quotas[i]).map { _ in geometry.randomPatch(holding: targets[i].bbox, at: level, using: &random) }
        }
        return assembledPlan(targets, draws: draws, levels: levels)
    }

    /// The plan of `draws[i]`, the windows placed for `targets[i]` at `levels[i]` (the coarsest
    /// level when nil, where centred patches go): ids `object-<id>-<k>` or `lesion-<id>-<k>`,
    /// ordered by target, then draw.
    func assembledPlan(_ targets: [SamplingTarget], draws: [[Window]], levels: [Level?]) -> SamplingPlan {
        let reason = targetReason, coarsest = geometry.levels.last!
        var windows: [PlannedWindow] = []
        windows.reserveCapacity(draws.reduce(0) { $0 + $1.count })
        for i in targets.indices {
            let level = (levels[i] ?? coarsest).index
            for (draw, window) in draws[i].enumerated() {
                windows.append(PlannedWindow(id: "\(reason.rawValue)-\(targets[i].id)-\(draw)", level: level,
                                             window: window, reason: reason, targetID: targets[i].id))
            }
        }
        let uncontained = targets.indices.filter { levels[$0] == nil && !draws[$0].isEmpty }.map { targets[$0].id }
        return SamplingPlan(windows: windows, uncontainedTargetIDs: uncontained)
    }
}
