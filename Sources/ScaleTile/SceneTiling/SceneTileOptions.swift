import Foundation
import ScaleTileCore

/// Everything `scaletile tile` takes for a scene, with the defaults of DESIGN.md §2.
public struct SceneTileOptions: Sendable {
    /// Tile edge in pixels (at every level).
    public var tileSize = 512
    /// Pixels shared by neighbouring tiles.
    public var overlap = 64
    /// What happens at the right and bottom edges.
    public var edge: EdgePolicy = .shift
    /// The levels to tile.
    public var levels: LevelSelection = .explicit([0])
    /// 1-based bands in output order; nil keeps all.
    public var bands: [Int]?
    /// Tile file format.
    public var format: TileFormat = .gtiff
    /// GDAL creation options overriding the defaults (`--co`).
    public var creationOptions: [String: String] = [:]
    /// Worker threads (encoders); the reader runs beside them.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// The budget input-sized buffers are checked against (`--max-memory`).
    public var maxMemory = MemoryBudget.systemDefault
    /// A nodata value overriding the file's (`--nodata`).
    public var nodata: Double?
    /// Tiles whose nodata share exceeds this are not written (`--max-nodata`); nil keeps all.
    public var maxNodataFraction: Double?
    /// Linear stretch to 8 bits for PNG/JPEG (`--rescale MIN:MAX`), all bands alike.
    public var rescale: ClosedRange<Double>?
    /// Percentile stretch to 8 bits (`--stretch LOW,HIGH`), per band, computed once per scene.
    public var stretchPercentiles: (low: Double, high: Double)?
    /// Resampling of image levels above 0.
    public var resampling: Resampling = .average
    /// Whether the source's exact-factor overviews serve levels above 0 (else exact block averages).
    public var useSourceOverviews = true
    /// What to do with an output folder that already holds a run.
    public var existingOutput: OutputFolder.ExistingOutput = .refuse
    /// The slice of the plan this process runs.
    public var shard: Shard = .whole
    /// Memory for GDAL's block cache; the read order adapts to it (bytes).
    public var blockCacheBytes = 32 << 20

    /// The scene's labels (`--labels`): clipped into every tile, exported, and audited.
    public var labels: SceneLabelOptions?
    /// `--overlap auto`: the overlap every object that fits a tile needs to be whole in one.
    public var overlapIsAuto = false
    /// `--object-size MIN:MAX`: the size, in level pixels, an object should have in its tile;
    /// with `--levels auto` it picks the levels (DESIGN.md §4 in-band).
    public var objectSize: ObjectSizeBand?
    /// `--zoom-in`: objects below the band's minimum even at full resolution get windows of a
    /// magnified level (−k: a 2^-k-size window resampled up to the tile), as long as 2^k ≤ 2^maxZoom.
    public var zoomIn = false
    /// How many magnified levels zoom-in may use (level −1 to −maxZoom).
    public var maxZoom = 3
    /// Windows drawn by a sampler instead of the grid (`scaletile sample`).
    public var sampling: SceneSampling?
    /// Seed of every random choice.
    public var seed: UInt64 = 0
    /// β of the effective-number class weights in the summary (Cui et al. 2019).
    public var classWeightBeta = ClassWeights.defaultBeta
    /// Leak-free, stratified splits (`--split`); nil: no split.
    public var split: SplitOptions?
    /// How the output folder is arranged for a trainer (`--layout`).
    public var layout: OutputLayout = .folder
    /// What YOLO layouts do with ignore regions (`--yolo-ignore`).
    public var yoloIgnore: YOLOIgnore = .drop
    /// WebDataset layouts: samples per tar shard (`--samples-per-shard`).
    public var samplesPerShard = OutputLayout.defaultSamplesPerShard

    public init() {}

    /// Checks the values that need no input file.
    public func validate() throws {
        guard tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(tileSize)") }
        guard overlap >= 0 else { throw ScaleTileError.argument("--overlap", "must not be negative, got \(overlap)") }
        guard overlap < tileSize else {
            throw ScaleTileError.argument("--overlap", "\(overlap) must be smaller than the tile size \(tileSize)")
        }
        guard threads >= 1 else { throw ScaleTileError.argument("--threads", "must be at least 1, got \(threads)") }
        // The smallest tile buffer there can be (one byte per pixel): refuses absurd sizes
        // before any plan arithmetic on them; the job checks the real figure once it knows the bands.
        try maxMemory.check([tileSize, tileSize], figure: "a \(tileSize)x\(tileSize) tile would", path: "--tile-size")
        try ClassWeights.check(beta: classWeightBeta, option: "--beta")
        if let f = maxNodataFraction, !(0...1).contains(f) {
            throw ScaleTileError.argument("--max-nodata", "is a fraction from 0 to 1, got \(f)")
        }
        if let bands, bands.contains(where: { $0 < 1 }) {
            throw ScaleTileError.argument("--bands", "band numbers start at 1, got \(bands.map(String.init).joined(separator: ","))")
        }
        if let rescale, !(rescale.upperBound > rescale.lowerBound) {
            throw ScaleTileError.argument("--rescale", "needs MIN < MAX, got \(rescale.lowerBound):\(rescale.upperBound)")
        }
        if let s = stretchPercentiles, !(0 <= s.low && s.low < s.high && s.high <= 100) {
            throw ScaleTileError.argument("--stretch", "needs percentiles 0 ≤ LOW < HIGH ≤ 100, got \(s.low),\(s.high)")
        }
        if overlapIsAuto && labels == nil {
            throw ScaleTileError.argument("--overlap", "auto picks the overlap from the objects' sizes: give --labels")
        }
        if zoomIn && (labels == nil || objectSize == nil) {
            throw ScaleTileError.argument("--zoom-in", "magnifies objects below --object-size's minimum: give --labels and --object-size")
        }
        guard (1...8).contains(maxZoom) else { throw ScaleTileError.argument("--max-zoom", "is 1 to 8 levels, got \(maxZoom)") }
        if let labels, !(0...1).contains(labels.minVisibleFraction) {
            throw ScaleTileError.argument("--min-visible", "is a fraction from 0 to 1, got \(labels.minVisibleFraction)")
        }
        if let sampling {
            guard sampling.count >= 0, sampling.negatives >= 0 else {
                throw ScaleTileError.argument("--count", "counts must not be negative")
            }
            if labels == nil, sampling.needsLabels {
                throw ScaleTileError.argument("--strategy", "\(sampling.strategy.name) places windows around objects: give --labels")
            }
        }
        if layout.needsLabels && labels == nil {
            throw ScaleTileError.argument("--layout", "\(layout.rawValue) holds labels: give --labels")
        }
        if layout == .nnunet {
            throw ScaleTileError.argument("--layout", "nnunet builds a dataset of whole volumes and masks: use it on stacks and volumes")
        }
        if layout == .monai {
            throw ScaleTileError(.unsupported, "--layout", "monai lists image/mask pairs, and scene tiles have no mask tiles yet: use it on stacks")
        }
        if shard != .whole, split != nil || layout != .folder {
            // Each shard would arrange only its part, and merge joins files, not layouts.
            throw ScaleTileError.argument("--shard", "splits and layouts cover the whole run: merge the shards, then run scaletile split OUT --split … --layout …")
        }
        guard samplesPerShard >= 1 else {
            throw ScaleTileError.argument("--samples-per-shard", "must be at least 1, got \(samplesPerShard)")
        }
        if let split {
            try split.validate()
            if split.by == .source {
                throw ScaleTileError(.unsupported, "--split-by", "source (whole inputs) is not implemented yet: use blocks")
            }
        }
        guard format.suitsScenes else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for stacks; scenes take gtiff, cog, png, jpeg or npy")
        }
    }
}

/// What to do with a scene's labels.
public struct SceneLabelOptions: Sendable {
    /// The label file (GeoJSON, GeoPackage, Shapefile, COCO, YOLO, Pascal VOC, CSV or a label raster).
    public var path: String
    /// How to read it (format, class field, class list, …).
    public var read: LabelReadOptions
    /// An object is a label of a tile when at least this share of its box is inside (`--min-visible`).
    public var minVisibleFraction: Double
    /// Export formats besides the manifest (`--export coco,yolo,geojson`; COCO by default).
    public var exports: Set<LabelExport>

    public init(path: String, read: LabelReadOptions = LabelReadOptions(), minVisibleFraction: Double = 0.5,
                exports: Set<LabelExport> = [.coco]) {
        self.path = path
        self.read = read
        self.minVisibleFraction = minVisibleFraction
        self.exports = exports
    }
}

/// A sampler's request: strategy, positive count and extra negatives (DESIGN.md §4).
public struct SceneSampling: Sendable {
    public var strategy: SamplingStrategy
    /// `--count N`: positive windows (for `posneg`, all windows).
    public var count: Int
    /// `--negatives M`: extra windows with no object, on valid data.
    public var negatives: Int
    /// A negative window is on valid data when at most this share of it is nodata.
    public var maxNodataForNegatives: Double
    /// `--weights FILE`: the probability raster of the weighted strategy, read when the scene's
    /// size is known (the strategy's own map is then replaced by it).
    public var weightMap: String?

    public init(strategy: SamplingStrategy, count: Int, negatives: Int = 0, maxNodataForNegatives: Double = 0.25,
                weightMap: String? = nil) {
        self.strategy = strategy
        self.count = count
        self.negatives = negatives
        self.maxNodataForNegatives = maxNodataForNegatives
        self.weightMap = weightMap
    }

    /// The `--strategy` name of what runs: `weighted` when a weight map replaces the strategy.
    public var strategyName: String { weightMap != nil ? "weighted" : strategy.name }

    /// Whether the strategy places windows around labelled objects.
    var needsLabels: Bool {
        if weightMap != nil { return false }
        switch strategy {
        case .uniform, .grid, .weighted: return false
        default: return true
        }
    }
}
