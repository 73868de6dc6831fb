import ScaleTileCore
import ScaleTileMedical

/// `summary.json` of a tiling or sampling run, for every kind of source: what was planned,
/// written and kept, per level, the targets (a scene's labelled objects, a mask's lesions) and
/// how the windows hold them (DESIGN.md §2–§4).
///
/// One type with optional parts. Every source has the common part (source, sample type,
/// format, edge, levels, shard, counts, per-level counts, sampling, audit, split, layout); a
/// scene adds its size, bands, tile size and labels, a stack or volume (`kind: "stack"`) its
/// size, channels, spacing, patch, padding and lesions. The keys are the first release's, so
/// summaries of either kind read back and merge as before.
///
/// Holds no timings, so two runs with the same inputs and options write identical summaries.
/// Counts and the audit are of this run's windows, as the files in its folder show them: for a
/// shard, its slice of the plan; `scaletile merge` adds the shards' counts up and derives the
/// audit again (``ScaleAudit/merged(_:)``), which gives the unsharded run's figures.
public struct TileSummary: Hashable, Sendable, Codable {
    public var command = "tile"
    /// `stack` for stacks and volumes; absent for scenes.
    public var kind: String?
    public var source: String
    /// The mask patched with the image (stacks).
    public var mask: String?
    public var dataType: String
    public var format: String
    public var edge: String
    public var levels: [Int]
    /// `K/N`.
    public var shard: String
    /// The neighbours' shared pixels: a number for scenes, `[x, y, z]` voxels for stacks.
    public var overlap: WindowOverlap

    // Scenes
    /// `[width, height]` of the scene.
    public var sceneSize: [Int]?
    /// 1-based bands written.
    public var bands: [Int]?
    /// The tile edge in pixels at every level.
    public var tileSize: Int?
    public var maxNodataFraction: Double?
    /// A scene's windows.
    public var tiles: Counts?
    /// The labels, when given: objects, classes, class weights and reading warnings.
    public var labels: Labels?
    /// What `--overlap auto` and `--levels auto` chose from the labels.
    public var scale: ScaleChoices?

    // Stacks and volumes
    /// `[width, height, depth]` of the stack.
    public var volumeSize: [Int]?
    /// 1-based channels written.
    public var channels: [Int]?
    /// NIfTI's `scl_slope`/`scl_inter` of the source, when they change values.
    public var valueScaling: ValueScaling?
    /// Whether image patches hold the scaled values as Float32 (`--apply-scaling`); nil when
    /// the source has no scaling and none was asked for.
    public var scalingApplied: Bool?
    /// The level-0 voxel size.
    public var spacing: Spacing?
    /// `[x, y, z]` voxels of a patch at every level.
    public var patch: [Int]?
    /// `[x, y, z]` millimetres, when the patch was given with `--patch-mm`.
    public var patchMillimetres: [Double]?
    public var padding: String?
    public var padValue: Double?
    public var scaleDepth: Bool?
    public var imageResampling: String?
    public var maskResampling: String?
    /// A stack's windows.
    public var patches: Counts?
    /// The mask's lesions and how many patches hold each (with a mask).
    public var lesions: LesionSummary?

    // Every source
    public var perLevel: [LevelCounts]
    /// The sampler and what it could not do, for sampling runs.
    public var sampling: Sampling?
    /// The scale audit of the written windows (DESIGN.md §4): containment, in-band share, bias
    /// R, k-coverage, bucket balance, size slope, histograms before and after, weight fit.
    public var audit: ScaleAudit?
    /// `--split`: per split windows, objects per bucket and class, train-only class weights,
    /// the leakage audit and the stratification shortfalls.
    public var split: SplitSummary?
    /// `--layout`, when not `folder`.
    public var layout: String?
    /// `--context-levels`: the levels, how they were written, context tiles and skipped levels.
    public var context: ContextSummary?

    /// The counts of the windows, whatever the source calls them (`tiles` or `patches`).
    public var counts: Counts {
        get { tiles ?? patches ?? Counts(planned: 0, inShard: 0, written: 0, resumed: 0) }
        set { if kind == Self.stackKind { patches = newValue } else { tiles = newValue } }
    }

    /// Whether the source was a stack or volume.
    public var isStack: Bool { kind == Self.stackKind }
    static let stackKind = "stack"

    /// Windows planned, written and kept.
    public struct Counts: Hashable, Sendable, Codable {
        /// Windows in the whole plan (all shards).
        public var planned: Int
        /// Windows of this shard.
        public var inShard: Int
        /// Windows written by this run.
        public var written: Int
        /// Complete windows a previous run left, kept (`--resume`).
        public var resumed: Int
        /// Scenes: tiles not written because their nodata share exceeded `maxNodataFraction`.
        public var skippedNodata: Int?
        /// Stacks: patches of this shard that overhang the stack and were padded.
        public var padded: Int?
    }

    public struct LevelCounts: Hashable, Sendable, Codable {
        public var level: Int
        public var scale: Double
        /// `[width, height]` (`[width, height, depth]` for stacks) of the level's grid.
        public var levelSize: [Int]
        /// Stacks: the voxel size at the level.
        public var spacing: Spacing?
        /// `[columns, rows]` (`[columns, rows, slices]`) of windows.
        public var grid: [Int]
        /// Scenes: where the level's pixels came from: `scene` (the scene, or its own
        /// exact-factor overview) or `built` (a level file this run built in `levels/`).
        public var source: String?
        public var planned: Int
        /// Written or kept in this shard.
        public var written: Int
        /// Scenes: skipped for their nodata share.
        public var skippedNodata: Int?
    }

    /// The labels of a scene run.
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

    /// A sampling run's request and its shortfalls.
    public struct Sampling: Hashable, Sendable, Codable {
        public var strategy: String
        /// Positive windows asked for (`posneg`: all windows).
        public var count: Int
        /// Stacks, object-balanced: α and the least patches per lesion.
        public var alpha: Double?
        public var minPerObject: Int?
        public var seed: UInt64
        /// Stacks: where negatives may lie: `anywhere`, `image above V` or `mask PATH`.
        public var tissue: String?
        /// Stacks: the least share of a negative's voxels that is tissue.
        public var minTissueShare: Double?
        public var negativesRequested: Int
        public var negativesPlaced: Int
        /// Scenes: objects larger than a tile at every level: their windows show only part of them.
        public var uncontainedObjects: [String]?
        /// Stacks: lesions larger than a patch at every level.
        public var uncontainedLesions: [String]?

        /// The targets larger than a window at every level, whatever the source calls them.
        public var uncontained: [String] { uncontainedObjects ?? uncontainedLesions ?? [] }
    }

    /// The lesions of the mask, in the whole plan's patches.
    public struct LesionSummary: Hashable, Sendable, Codable {
        /// Connected components of the mask.
        public var count: Int
        /// Their voxels.
        public var voxels: Int
        /// `"26-connected"` and so on.
        public var connectivity: String
        /// How many lesions carry each label value.
        public var byLabel: [String: Int]
        /// Lesions per COCO size bucket (by voxel count).
        public var buckets: BucketCounts
        /// Loss weights per label value: inverse frequency and effective number of lesions.
        public var classWeights: ClassWeights?
        /// Lesions wholly inside at least one patch.
        public var containedInSomePatch: Int
        /// Lesions no patch holds whole (larger than a patch, or cut by every patch).
        public var neverWhole: Int
        /// One record per lesion.
        public var table: [LesionRecord]
    }

    /// One lesion and the patches that hold it.
    public struct LesionRecord: Hashable, Sendable, Codable {
        public var id: Int
        public var label: Int
        public var voxels: Int
        public var bbox: Window
        public var equivalentDiameter: Double
        /// Patches of this run holding its bounding box whole.
        public var patchesContaining: Int
        /// Patches of this run meeting its bounding box.
        public var patchesTouching: Int
    }

    /// The k of `--min-per-object k`, the coverage a sampling run promises, when above 0.
    static func coverageK(of strategy: SamplingStrategy?) -> Int? {
        guard case let .objectBalanced(_, k)? = strategy, k > 0 else { return nil }
        return k
    }
}

/// The pixels neighbouring windows share: one number for square scene tiles, `[x, y, z]`
/// voxels for stack patches (the first release's two spellings of `overlap`).
public enum WindowOverlap: Hashable, Sendable, Codable {
    case pixels(Int)
    case voxels(RasterSize)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self) {
            self = .pixels(n)
            return
        }
        let v = try container.decode([Int].self)
        guard v.count == 3 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "overlap is a number or [x, y, z]")
        }
        self = .voxels(RasterSize(width: v[0], height: v[1], depth: v[2]))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .pixels(let n): try container.encode(n)
        case .voxels(let s): try container.encode([s.width, s.height, s.depth])
        }
    }
}
