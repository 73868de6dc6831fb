import Foundation
import ScaleTileCore
import ScaleTileMedical

/// Everything a tiling or sampling run takes, for every kind of source, with the defaults of
/// DESIGN.md §2. The command line and presets fill it through the preset model
/// (``PresetPipeline``); Swift callers fill it directly.
///
/// Fields that mean the same for scenes and stacks are one field (the window, the overlap, the
/// levels, the sampler, the output). Fields only one kind reads say so; the other kind refuses
/// them in ``TileJob/prepare()`` rather than ignore them.
public struct TileOptions: Sendable {
    // MARK: Windows

    /// The window in level pixels (voxels): a scene's square tile (default 512 x 512), a stack's
    /// patch X x Y x Z (depth 1 cuts 2-D patches slice by slice; a stack needs one, or
    /// ``windowMillimetres``).
    public var window: RasterSize?
    /// Stacks: the patch in millimetres (X, Y, Z), converted with the level-0 spacing (`--patch-mm`).
    public var windowMillimetres: SIMD3<Double>?
    /// Pixels (voxels) shared by neighbouring windows; nil: 64 for scenes, 0 (abutting) for stacks.
    public var overlap: RasterSize?
    /// `--overlap auto`: the overlap every object or lesion that fits a window needs to be whole
    /// in one, capped at half a window (``ScaleTileCore/OverlapRecommendation``). Needs labels.
    public var automaticOverlap = false
    /// What the grid does at the far edges.
    public var edge: EdgePolicy = .shift
    /// Stacks: how image voxels past the edge are filled (masks always take 0).
    public var padding: Padding = .constant
    /// Stacks: the value of ``Padding/constant`` padding.
    public var padValue: Double = 0

    // MARK: Levels

    /// The levels to tile or sample at.
    public var levels: LevelSelection = .explicit([0])
    /// Stacks: levels downsample Z as well (near-isotropic stacks).
    public var scaleDepth = false
    /// Resampling of image levels above 0.
    public var resampling: Resampling = .average
    /// Stacks: resampling of mask levels above 0 (`nearest` or `mode`, never an average).
    public var maskResampling: Resampling = .nearest
    /// Scenes: whether the source's exact-factor overviews serve levels above 0.
    public var useSourceOverviews = true
    /// Scenes: `--object-size MIN:MAX`, the size in level pixels an object should have in its
    /// tile; with `--levels auto` it picks the levels (DESIGN.md §4 in-band).
    public var objectSize: ObjectSizeBand?
    /// Scenes: `--zoom-in`: objects below the band's minimum even at full resolution get windows
    /// of a magnified level (−k), as long as 2^k ≤ 2^maxZoom.
    public var zoomIn = false
    /// How many magnified levels zoom-in may use (level −1 to −maxZoom).
    public var maxZoom = 3

    // MARK: Reading

    /// Read the source as a scene (GDAL) or a stack whatever the DESIGN rule says (`--as`); nil
    /// follows the rule (``SourceKind``).
    public var readAs: TIFFKind?
    /// 1-based bands (scenes) or channels (stacks) in output order; nil keeps all.
    public var bands: [Int]?
    /// Scenes: a nodata value overriding the file's (`--nodata`).
    public var nodata: Double?
    /// Scenes: tiles whose nodata share exceeds this are not written (`--max-nodata`).
    public var maxNodataFraction: Double?
    /// Scenes: linear stretch to 8 bits for PNG/JPEG (`--rescale MIN:MAX`), all bands alike.
    public var rescale: ClosedRange<Double>?
    /// Scenes: percentile stretch to 8 bits (`--stretch LOW,HIGH`), per band, of valid pixels.
    public var stretchPercentiles: (low: Double, high: Double)?
    /// Volumes: NIfTI's `scl_slope`/`scl_inter` applied, image patches written as Float32
    /// (`--apply-scaling`); false keeps the stored values and reports the scaling.
    public var applyScaling = false
    /// Scenes: memory for GDAL's block cache; the read order adapts to it (bytes).
    public var blockCacheBytes = 32 << 20

    // MARK: Labels

    /// The labels: a scene's objects (clipped into every tile, exported, audited), a stack's
    /// mask on its grid (patched with the image; its connected components are the lesions).
    public var labels: TileLabels?
    /// Stacks: which mask voxels form one lesion.
    public var connectivity: Connectivity = .full
    /// β of the effective-number class weights in the summary (Cui et al. 2019).
    public var classWeightBeta = ClassWeights.defaultBeta

    // MARK: Windows drawn by a sampler

    /// A sampler's request instead of the grid (`scaletile sample`).
    public var sampling: TileSampling?
    /// Seed of every random choice.
    public var seed: UInt64 = 0

    // MARK: Output

    /// Tile or patch file format; nil: `gtiff` for scenes, `tiff` for stacks.
    public var format: TileFormat?
    /// Scenes: GDAL creation options over the defaults (`--co`).
    public var creationOptions: [String: String] = [:]
    /// Stacks: compression of TIFF patches.
    public var compression: StackWriter.Compression = .deflate
    /// Scenes: leak-free, stratified splits by spatial blocks (`--split`); nil: no split.
    public var split: SplitOptions?
    /// How the output folder is arranged for a trainer (`--layout`).
    public var layout: OutputLayout = .folder
    /// Scenes, YOLO layouts: what becomes of ignore regions (`--yolo-ignore`).
    public var yoloIgnore: YOLOIgnore = .drop
    /// Scenes, YOLO layouts and exports: polygon labels as segmentation lines, outlines clipped
    /// to the tile (`--yolo-segments`); false writes boxes.
    public var yoloSegments = false
    /// WebDataset layouts: samples per tar shard (`--samples-per-shard`).
    public var samplesPerShard = OutputLayout.defaultSamplesPerShard
    /// Scenes: beside each tile, its mask tile (`--mask-tiles`): the label raster's pixels, or
    /// the vector labels rasterised (class 1…N, 0 background, ``MaskTile/ignoreValue`` for
    /// another split's objects). Needs labels.
    public var maskTiles = false

    // MARK: Context

    /// `--context-levels`: each window's centre at these coarser levels, in tiles of its size
    /// (DESIGN.md §7); nil: no context.
    public var contextLevels: ContextLevels?
    /// `--context-as`: context tiles as files beside the window, or extra channels of its file.
    public var contextOutput: ContextOutput = .files

    // MARK: Running

    /// Encoder threads; the reader runs beside them.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// The budget input-sized buffers are checked against (`--max-memory`).
    public var maxMemory = MemoryBudget.systemDefault
    /// What to do with an output folder that already holds a run.
    public var existingOutput: OutputFolder.ExistingOutput = .refuse
    /// The slice of the plan this process runs.
    public var shard: Shard = .whole

    public init() {}

    /// The default scene tile edge.
    public static let defaultTileSize = 512
    /// The default overlap of scene tiles.
    public static let defaultSceneOverlap = 64
}

extension TileOptions {
    /// Scenes: the square tile's edge.
    var tileSize: Int { window?.width ?? Self.defaultTileSize }

    /// The window's format: the option's, else the kind's default.
    func format(stacks: Bool) -> TileFormat { format ?? (stacks ? .tiff : .gtiff) }

    /// The overlap as the kind takes it: scenes one number for both axes.
    func overlap(stacks: Bool) -> RasterSize {
        if let overlap { return overlap }
        let n = stacks ? 0 : Self.defaultSceneOverlap
        return RasterSize(width: n, height: n, depth: 0)
    }
}

/// The labels of a run: a scene's label file, or a stack's mask.
public struct TileLabels: Sendable {
    /// The label file (GeoJSON, GeoPackage, Shapefile, COCO, YOLO, Pascal VOC, CSV or a label
    /// raster), or the mask stack or volume on the image's grid.
    public var path: String
    /// Scenes: how to read the file (format, class field, class list, …).
    public var read: LabelReadOptions
    /// Scenes: an object is a label of a tile when at least this share of its box is inside
    /// (`--min-visible`).
    public var minVisibleFraction: Double
    /// Scenes: export formats besides the manifest (`--export coco,yolo,geojson`; COCO by default).
    public var exports: Set<LabelExport>

    public init(path: String, read: LabelReadOptions = LabelReadOptions(), minVisibleFraction: Double = 0.5,
                exports: Set<LabelExport> = [.coco]) {
        self.path = path
        self.read = read
        self.minVisibleFraction = minVisibleFraction
        self.exports = exports
    }
}

/// A sampler's request: strategy, positive count, extra negatives and where negatives may lie
/// (DESIGN.md §4).
public struct TileSampling: Sendable {
    /// Which voxels count as tissue, for placing a stack's negatives.
    public enum Tissue: Hashable, Sendable {
        /// Every voxel: negatives anywhere clear of lesions.
        case anywhere
        /// Image voxels above a value (`--background-threshold`), in the first channel written:
        /// air in CT lies near −1000 HU, the background of an MRI near 0.
        case imageAbove(Double)
        /// The non-zero voxels of a mask on the image's grid (`--tissue-mask`).
        case mask(String)
    }

    public var strategy: SamplingStrategy
    /// `--count N`: positive windows (for `posneg`, all windows; for `grid`, tiles of the grid).
    public var count: Int
    /// `--negatives M`: extra windows with no object or lesion, on valid data or tissue.
    public var negatives: Int
    /// Scenes: a negative window is on valid data when at most this share of it is nodata.
    public var maxNodataForNegatives: Double
    /// Stacks: where negatives may lie.
    public var tissue: Tissue
    /// Stacks: a negative lies on tissue when at least this share of its voxels is tissue (`--min-tissue`).
    public var minTissueShare: Double
    /// `--weights FILE`: the probability raster (scenes) or volume (stacks) of the weighted
    /// strategy, any resolution, read once the source's size is known; it replaces the strategy.
    public var weightMap: String?

    public init(strategy: SamplingStrategy, count: Int, negatives: Int = 0, maxNodataForNegatives: Double = 0.25,
                tissue: Tissue = .anywhere, minTissueShare: Double = 0.5, weightMap: String? = nil) {
        self.strategy = strategy
        self.count = count
        self.negatives = negatives
        self.maxNodataForNegatives = maxNodataForNegatives
        self.tissue = tissue
        self.minTissueShare = minTissueShare
        self.weightMap = weightMap
    }

    /// The `--strategy` name of what runs: `weighted` when a weight map replaces the strategy.
    public var strategyName: String { weightMap != nil ? "weighted" : strategy.name }

    /// Whether the strategy places windows around labelled objects or lesions.
    public var needsTargets: Bool {
        if weightMap != nil { return false }
        switch strategy {
        case .uniform, .grid, .weighted: return false
        default: return true
        }
    }

    /// Whether the plan has negatives, which need the validity grid or tissue map.
    var drawsNegatives: Bool {
        if case .positiveNegative(_, let negative) = strategy, negative > 0, count > 0 { return true }
        return negatives > 0
    }

    /// `--background-threshold -950`, `--tissue-mask body.tif` or `anywhere`, for summaries.
    var tissueDescription: String {
        switch tissue {
        case .anywhere: return "anywhere"
        case .imageAbove(let threshold): return "image above " + String(format: "%g", threshold)
        case .mask(let path): return "mask \(path)"
        }
    }

    /// Checks the values that need no input file.
    func validate() throws {
        guard count >= 0 else { throw ScaleTileError.argument("--count", "must not be negative, got \(count)") }
        guard negatives >= 0 else { throw ScaleTileError.argument("--negatives", "must not be negative, got \(negatives)") }
        guard minTissueShare > 0, minTissueShare <= 1 else {
            throw ScaleTileError.argument("--min-tissue", "is a share of a patch's voxels, above 0 and at most 1, got \(minTissueShare)")
        }
        if case .imageAbove(let threshold) = tissue, !threshold.isFinite {
            throw ScaleTileError.argument("--background-threshold", "must be a finite number, got \(threshold)")
        }
        if case .weighted = strategy, weightMap == nil {
            throw ScaleTileError.argument("--strategy", "weighted draws window centres from a map of weights: give --weights")
        }
    }
}
