import ScaleTileCore
import ScaleTileSatellite

/// How a scene tiling or sampling run decides its windows from metadata and labels alone:
/// the levels, the overlap, and the windows themselves (grid or sampler). No pixel is read
/// except, for negatives, one coarse validity map.
struct SceneTilePlanning {
    let options: SceneTileOptions
    let sceneSize: RasterSize
    let stem: String
    let objects: SceneObjects?

    /// The levels to tile.
    func levels() -> (levels: [Level], recommendation: LevelRecommendation?) {
        let reach = LevelSelection.pyramidLevels(for: sceneSize, tileSize: options.tileSize)
        switch options.levels {
        case .explicit(let numbers):
            return (numbers.map { Level($0) }, nil)
        case .auto:
            guard let objects, let band = options.objectSize else { return (reach.map { Level($0) }, nil) }
            // Every level an object needs to be in band, within the pyramid's reach.
            let recommendation = LevelRecommendation(targets: objects.targets, band: band, candidateLevels: reach)
            let chosen = recommendation.recommendedLevels.isEmpty ? [0] : recommendation.recommendedLevels
            return (chosen.map { Level($0) }, recommendation)
        }
    }

    /// The overlap in level pixels: the option's, or for `auto` the largest box side (at the
    /// level each object is tiled at) among the objects a tile can hold, capped at half a tile.
    func overlap(levels: [Level]) -> (overlap: Int, recommendation: OverlapRecommendation?) {
        guard options.overlapIsAuto, let objects else { return (options.overlap, nil) }
        let numbers = levels.map(\.index)
        let atTheirLevel = objects.targets.map { target -> SamplingTarget in
            let level = options.objectSize?.finestLevel(forSize: target.size, among: numbers) ?? numbers.first ?? 0
            var t = target
            t.bbox = Level(level).window(fromBase: target.bbox)
            return t
        }
        let tile = RasterSize(width: options.tileSize, height: options.tileSize)
        let recommendation = OverlapRecommendation(targets: atTheirLevel, tileSize: tile)
        return (Swift.max(recommendation.overlap.width, recommendation.overlap.height), recommendation)
    }

    /// The windows: the grid of every level (and zoom-in windows when asked), or the sampler's draw.
    func windows(levels: [Level], overlap: Int, validity: () throws -> ValidityGrid?) throws -> (windows: [PlannedWindow], sampling: SamplingPlan?) {
        let tile = RasterSize(width: options.tileSize, height: options.tileSize)
        guard let request = options.sampling else {
            let plan = try GridPlanner.plan(rasterSize: sceneSize, tile: tile, overlap: RasterSize(width: overlap, height: overlap, depth: 0),
                                            edge: options.edge, levels: levels, stem: stem)
            return (plan + zoomInWindows(levels: levels), nil)
        }
        let sampler = try PatchSampler(rasterSize: sceneSize, patchSize: tile, levels: levels, seed: options.seed)
        let grid = request.negatives > 0 || isPositiveNegative(request.strategy) ? try validity() : nil
        let strategy = try request.weightMap.map { .weighted(try WeightMap.load($0, sceneSize: sceneSize)) } ?? request.strategy
        let plan = try sampler.plan(strategy, targets: objects?.targets ?? [], count: request.count,
                                    negatives: request.negatives) { window in
            grid?.isValid(window, maxNodata: request.maxNodataForNegatives) ?? true
        }
        // Sampler ids are unique within a scene; the stem keeps them unique across scenes.
        let windows = plan.windows.map { w -> PlannedWindow in
            var w = w
            w.id = "\(stem)_\(w.id)"
            return w
        }
        return (windows, plan)
    }

    /// Windows at magnified levels for the objects smaller than `--object-size`'s minimum even at
    /// full resolution: each gets the least magnification 2^k (k ≤ `maxZoom`) that brings it into
    /// the band, a window of tile/2^k level-0 pixels around it (inside the scene), resampled up
    /// to a full tile. An object already whole in a zoom window of its level gets no other.
    func zoomInWindows(levels: [Level]) -> [PlannedWindow] {
        guard options.zoomIn, let objects, let band = options.objectSize else { return [] }
        let levelNumbers = levels.map(\.index)
        var windows: [PlannedWindow] = []
        var placed: [Int: [Window]] = [:]
        for target in objects.targets {
            guard band.finestLevel(forSize: target.size, among: levelNumbers) == nil, target.size < band.min,
                  let k = (1...options.maxZoom).first(where: { target.size * Double(1 << $0) >= band.min }),
                  target.size * Double(1 << k) <= band.max, options.tileSize % (1 << k) == 0 else { continue }
            let side = options.tileSize >> k
            let box = target.bbox
            guard box.width <= side, box.height <= side else { continue }
            if placed[k, default: []].contains(where: { $0.contains(box) }) { continue }
            func origin(_ centre: Int, _ length: Int) -> Int {
                Swift.max(0, Swift.min(centre - side / 2, length - side))
            }
            let window = Window(x: origin(box.x + box.width / 2, sceneSize.width), y: origin(box.y + box.height / 2, sceneSize.height),
                                width: side, height: side)
            placed[k, default: []].append(window)
            windows.append(PlannedWindow(id: GridPlanner.windowID(stem: stem, level: -k, window: window, volumetric: false),
                                         level: -k, window: window, reason: .object, targetID: target.id))
        }
        return windows
    }

    private func isPositiveNegative(_ strategy: SamplingStrategy) -> Bool {
        if case .positiveNegative = strategy { return true }
        return false
    }
}

/// What the labels decided about scale, reported in `summary.json`.
public struct ScaleChoices: Hashable, Sendable, Codable {
    /// The overlap `--overlap auto` chose, and how many objects it could not make whole.
    public var overlap: OverlapRecommendation?
    /// The levels `--levels auto` chose for `--object-size`, with the objects each level serves.
    public var levels: LevelRecommendation?
}
