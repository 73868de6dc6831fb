import ScaleTileCore

/// How a tiling or sampling run decides its windows from metadata and targets alone, for every
/// kind of source: the levels, the overlap, and the windows themselves (grid, zoom-in or
/// sampler). No pixel is read except, for negatives, the kind's coarse validity or tissue map.
struct TilePlanning {
    let options: TileOptions
    /// The source's size at level 0.
    let size: RasterSize
    /// The window at every level.
    let window: RasterSize
    let stem: String
    /// Objects (scenes) or lesions (stacks).
    let targets: [SamplingTarget]
    /// Stacks: windows and ids have a Z, overlap is per axis, levels may scale Z.
    let volumetric: Bool

    /// The levels to tile.
    func levels() -> (levels: [Level], recommendation: LevelRecommendation?) {
        let reach = LevelSelection.pyramidLevels(for: size, tileSize: Swift.max(window.width, window.height))
        let level = { Level($0, scalesDepth: options.scaleDepth) }
        switch options.levels {
        case .explicit(let numbers):
            return (numbers.map(level), nil)
        case .auto:
            guard !targets.isEmpty, let band = options.objectSize else { return (reach.map(level), nil) }
            // Every level an object needs to be in band, within the pyramid's reach.
            let recommendation = LevelRecommendation(targets: targets, band: band, candidateLevels: reach)
            let chosen = recommendation.recommendedLevels.isEmpty ? [0] : recommendation.recommendedLevels
            return (chosen.map(level), recommendation)
        }
    }

    /// The overlap in level pixels: the option's, or for `auto` what makes every target a window
    /// can hold whole in one (``OverlapRecommendation``), capped at half a window. Scene targets
    /// are taken at the level each is tiled at, and scenes share one overlap on both axes.
    func overlap(levels: [Level]) throws -> (overlap: RasterSize, recommendation: OverlapRecommendation?) {
        guard options.automaticOverlap else { return (options.overlap(stacks: volumetric), nil) }
        guard !targets.isEmpty || volumetric else {
            throw ScaleTileError.argument("--overlap", "auto picks the overlap from the objects' sizes: give --labels")
        }
        guard !volumetric else {
            let recommendation = OverlapRecommendation(targets: targets, tileSize: window)
            return (recommendation.overlap, recommendation)
        }
        let numbers = levels.map(\.index)
        let atTheirLevel = targets.map { target -> SamplingTarget in
            let level = options.objectSize?.finestLevel(forSize: target.size, among: numbers) ?? numbers.first ?? 0
            var t = target
            t.bbox = Level(level).window(fromBase: target.bbox)
            return t
        }
        let recommendation = OverlapRecommendation(targets: atTheirLevel, tileSize: window)
        let side = Swift.max(recommendation.overlap.width, recommendation.overlap.height)
        return (RasterSize(width: side, height: side, depth: 0), recommendation)
    }

    /// The windows: the grid of every level (and zoom-in windows when asked), or the sampler's draw.
    func windows(levels: [Level], overlap: RasterSize, reading: some WindowReading) throws -> (windows: [PlannedWindow], sampling: SamplingPlan?) {
        if !volumetric, overlap.width >= window.width {
            throw ScaleTileError.argument("--overlap", "\(overlap.width) must be smaller than the tile size \(window.width)")
        }
        guard let request = options.sampling else {
            let plan = try GridPlanner.plan(rasterSize: size, tile: window, overlap: overlap, edge: options.edge,
                                            levels: levels, stem: stem, volumetric: volumetric)
            return (plan + zoomInWindows(levels: levels), nil)
        }
        let sampler = try PatchSampler(rasterSize: size, patchSize: window, levels: levels, seed: options.seed)
        let isValid = try reading.negativePlaces(request)
        let strategy = try request.weightMap.map { try reading.weightedStrategy($0) } ?? request.strategy
        let plan = try sampler.plan(strategy, targets: targets, count: request.count, negatives: request.negatives) { window in
            isValid?(window) ?? true
        }
        // Sampler ids are unique within a source; the stem keeps them unique across sources.
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
        guard options.zoomIn, !volumetric, let band = options.objectSize else { return [] }
        let levelNumbers = levels.map(\.index)
        let tileSize = window.width
        var windows: [PlannedWindow] = []
        var placed: [Int: [Window]] = [:]
        for target in targets {
            guard band.finestLevel(forSize: target.size, among: levelNumbers) == nil, target.size < band.min,
                  let k = (1...options.maxZoom).first(where: { target.size * Double(1 << $0) >= band.min }),
                  target.size * Double(1 << k) <= band.max, tileSize % (1 << k) == 0 else { continue }
            let side = tileSize >> k
            let box = target.bbox
            guard box.width <= side, box.height <= side else { continue }
            if placed[k, default: []].contains(where: { $0.contains(box) }) { continue }
            func origin(_ centre: Int, _ length: Int) -> Int {
                Swift.max(0, Swift.min(centre - side / 2, length - side))
            }
            let window = Window(x: origin(box.x + box.width / 2, size.width), y: origin(box.y + box.height / 2, size.height),
                                width: side, height: side)
            placed[k, default: []].append(window)
            windows.append(PlannedWindow(id: GridPlanner.windowID(stem: stem, level: -k, window: window, volumetric: false),
                                         level: -k, window: window, reason: .object, targetID: target.id))
        }
        return windows
    }
}

/// What the labels decided about scale, reported in `summary.json`.
public struct ScaleChoices: Hashable, Sendable, Codable {
    /// The overlap `--overlap auto` chose, and how many objects it could not make whole.
    public var overlap: OverlapRecommendation?
    /// The levels `--levels auto` chose for `--object-size`, with the objects each level serves.
    public var levels: LevelRecommendation?
}
