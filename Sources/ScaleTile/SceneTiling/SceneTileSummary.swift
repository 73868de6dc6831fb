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
        overlap = o.overlap
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
        perLevel = prepared.levels.map { level in
            let size = level.size(of: prepared.sceneSize)
            let grid = try? TileGrid(width: size.width, height: size.height, tileSize: o.tileSize, overlap: o.overlap, edge: o.edge)
            return LevelCounts(level: level.index, scale: level.scale, levelSize: [size.width, size.height],
                               grid: [grid?.counts.columns ?? 0, grid?.counts.rows ?? 0],
                               source: (prepared.levelSources[level.index] ?? .scene).summaryName,
                               planned: prepared.plan.filter { $0.level == level.index }.count,
                               written: count({ isWritten($0) || isResumed($0) }, level: level.index),
                               skippedNodata: count(isSkipped, level: level.index))
        }
    }
}
