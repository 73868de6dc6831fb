import ScaleTileCore

/// `summary.json` of a scene tiling run: what was planned, written and skipped, per level.
///
/// Holds no timings, so two runs with the same inputs and options write identical summaries.
public struct SceneTileSummary: Hashable, Sendable, Codable {
    public var command = "tile"
    public var source: String
    /// `[width, height]` of the scene.
    public var sceneSize: [Int]
    public var bands: [Int]
    public var dataType: String
    public var tileSize: Int
    public var overlap: Int
    public var edge: String
    public var format: String
    public var levels: [Int]
    /// `K/N`.
    public var shard: String
    public var maxNodataFraction: Double?
    public var tiles: Counts
    public var perLevel: [LevelCounts]
    /// The labels, when given: objects, classes, class weights and reading warnings.
    public var labels: Labels?
    /// What `--overlap auto` and `--levels auto` chose from the labels.
    public var scale: ScaleChoices?
    /// The sampler and what it could not do, for `scaletile sample`.
    public var sampling: Sampling?
    /// The scale audit of the written tiles (DESIGN.md §4): containment, in-band share, bias R,
    /// k-coverage, bucket balance, size slope, histograms before and after.
    public var audit: ScaleAudit?
    /// `--split`: per split windows, objects per bucket and class, train-only class weights,
    /// the leakage audit and the stratification shortfalls.
    public var split: SplitSummary?
    /// `--layout`, when not `folder`.
    public var layout: String?

    public struct Labels: Hashable, Sendable, Codable {
        public var path: String
        public var objects: Int
        /// Objects per class.
        public var classes: [String: Int]
        /// Inverse-frequency and effective-number weights per class.
        public var classWeights: ClassWeights?
        /// An object is a tile's label when this share of its box is inside.
        public var minVisibleFraction: Double
        public var exports: [String]
        public var warnings: [String]
    }

    public struct Sampling: Hashable, Sendable, Codable {
        public var strategy: String
        public var count: Int
        public var seed: UInt64
        public var negativesRequested: Int
        public var negativesPlaced: Int
        /// Objects larger than a tile at every level: their windows show only part of them.
        public var uncontainedObjects: [String]
    }

    public struct Counts: Hashable, Sendable, Codable {
        /// Windows in the whole plan (all shards).
        public var planned: Int
        /// Windows of this shard.
        public var inShard: Int
        /// Tiles encoded by this run.
        public var written: Int
        /// Complete tiles a previous run left, kept (`--resume`).
        public var resumed: Int
        /// Tiles not written because their nodata share exceeded `maxNodataFraction`.
        public var skippedNodata: Int
    }

    public struct LevelCounts: Hashable, Sendable, Codable {
        public var level: Int
        public var scale: Double
        /// `[width, height]` of the level's grid.
        public var levelSize: [Int]
        /// `[columns, rows]` of tiles.
        public var grid: [Int]
        /// Where the level's pixels came from: `scene` (the scene, or its own exact-factor
        /// overview) or `built` (a level file this run built in `levels/`).
        public var source: String
        public var planned: Int
        public var written: Int
        public var skippedNodata: Int
    }

    init(job: SceneTileJob, prepared: SceneTileJob.Prepared, work: [PlannedWindow], outcomes: [TileOutcome]) {
        let o = job.options
        source = job.source
        sceneSize = [prepared.sceneSize.width, prepared.sceneSize.height]
        bands = prepared.bands
        dataType = prepared.pixelType.rawValue
        tileSize = o.tileSize
        overlap = prepared.overlap
        edge = o.edge.rawValue
        format = o.format.rawValue
        levels = prepared.levels.map(\.index)
        shard = o.shard.description
        maxNodataFraction = o.maxNodataFraction
        func count(_ match: (TileOutcome) -> Bool, level: Int? = nil) -> Int {
            zip(work, outcomes).filter { (level == nil || $0.0.level == level) && match($0.1) }.count
        }
        let isWritten: (TileOutcome) -> Bool = { if case .written = $0 { return true } else { return false } }
        let isResumed: (TileOutcome) -> Bool = { if case .resumed = $0 { return true } else { return false } }
        let isSkipped: (TileOutcome) -> Bool = { if case .skipped = $0 { return true } else { return false } }
        tiles = Counts(planned: prepared.plan.count, inShard: work.count, written: count(isWritten),
                       resumed: count(isResumed), skippedNodata: count(isSkipped))
        let written = zip(work, outcomes).filter { $0.1.entry != nil }.map(\.0)
        if let objects = prepared.objects, let labelOptions = o.labels {
            labels = Labels(path: labelOptions.path, objects: objects.targets.count, classes: objects.labels.objectCountsByClass,
                            classWeights: try? ClassWeights(targets: objects.targets, beta: o.classWeightBeta),
                            minVisibleFraction: labelOptions.minVisibleFraction,
                            exports: labelOptions.exports.map(\.rawValue).sorted(), warnings: prepared.labelWarnings)
            audit = ScaleAudit(targets: objects.targets, windows: written, sizeBand: o.objectSize,
                               coverageK: o.sampling.flatMap { s -> Int? in
                                   if case let .objectBalanced(_, k) = s.strategy, k > 0 { return k }
                                   return nil
                               })
        }
        if let fit = prepared.sampling?.weightFit {
            // Computed over the whole plan, so every shard reports the same figure and a merge keeps it.
            if audit == nil { audit = ScaleAudit(targets: [], windows: written) }
            audit?.weightFit = fit
        }
        if let request = o.split, let plan = prepared.split {
            let buckets = Dictionary((prepared.objects?.targets ?? []).map { ($0.id, SizeBucket($0)) }, uniquingKeysWith: { a, _ in a })
            split = SplitSummary(entries: outcomes.compactMap(\.entry), buckets: buckets, shares: request.shares, by: request.by,
                                 blockSize: plan.blocks.size, seed: o.seed, beta: o.classWeightBeta, windowsDropped: plan.dropped,
                                 windowsShifted: plan.shifted, windowsDroppedForIgnore: prepared.droppedForIgnore)
        }
        if o.layout != .folder { layout = o.layout.rawValue }
        if prepared.scaleChoices.overlap != nil || prepared.scaleChoices.levels != nil { scale = prepared.scaleChoices }
        if let request = o.sampling, let plan = prepared.sampling {
            sampling = Sampling(strategy: request.strategyName, count: request.count, seed: o.seed,
                                negativesRequested: plan.negativesRequested, negativesPlaced: plan.negativesPlaced,
                                uncontainedObjects: plan.uncontainedTargetIDs)
        }
        perLevel = prepared.levels.map { level in
            let size = level.size(of: prepared.sceneSize)
            // Magnified levels hold zoom-in windows, not a grid.
            let grid = level.isMagnified ? nil : try? TileGrid(width: size.width, height: size.height, tileSize: o.tileSize, overlap: prepared.overlap, edge: o.edge)
            return LevelCounts(level: level.index, scale: level.scale, levelSize: [size.width, size.height],
                               grid: [grid?.counts.columns ?? 0, grid?.counts.rows ?? 0],
                               source: (prepared.levelSources[level.index] ?? .scene).summaryName,
                               planned: prepared.plan.filter { $0.level == level.index }.count,
                               written: count({ isWritten($0) || isResumed($0) }, level: level.index),
                               skippedNodata: count(isSkipped, level: level.index))
        }
    }
}
