import Foundation
import ScaleTileCore
import ScaleTileMedical

/// Everything `scaletile tile STACK` takes, with the defaults of DESIGN.md §2.
public struct StackTileOptions: Sendable {
    /// The patch size in voxels (X, Y, Z) at every level; depth 1 cuts 2-D patches slice by slice.
    /// Exactly one of this and ``patchMillimetres`` is set.
    public var patch: RasterSize?
    /// The patch size in millimetres (X, Y, Z), converted with the stack's level-0 spacing
    /// (`--patch-mm`).
    public var patchMillimetres: SIMD3<Double>?
    /// Voxels shared by neighbouring patches, per axis.
    public var overlap = RasterSize(width: 0, height: 0, depth: 0)
    /// Chooses the overlap from the mask's lesions instead (`--overlap auto`): per axis the
    /// largest lesion side up to half the patch, so every lesion that small is whole in some
    /// patch (``ScaleTileCore/OverlapRecommendation``). Needs a mask.
    public var automaticOverlap = false
    /// What the grid does at the far edges.
    public var edge: EdgePolicy = .shift
    /// How image voxels past the stack's edge are filled (masks always take 0).
    public var padding: Padding = .constant
    /// The value of ``Padding/constant`` padding.
    public var padValue: Double = 0
    /// The levels to cut patches at.
    public var levels: LevelSelection = .explicit([0])
    /// Whether levels downsample Z as well (near-isotropic stacks).
    public var scaleDepth = false
    /// 0-based channels in output order; nil keeps all.
    public var channels: [Int]?
    /// Patch file format: `tiff` (ImageJ), `ome-tiff`, `npy`, `nifti` (`.nii.gz`) or `nii`.
    public var format: TileFormat = .tiff
    /// Compression of TIFF patches.
    public var compression: StackWriter.Compression = .deflate
    /// Resampling of image levels above 0: `average` or `nearest`.
    public var imageResampling: Resampling = .average
    /// Resampling of mask levels above 0: `nearest` or `mode` (never an average).
    public var maskResampling: Resampling = .nearest
    /// Which mask voxels form one lesion.
    public var connectivity: Connectivity = .full
    /// Encoder threads; the reader runs beside them.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// The budget input-sized buffers are checked against (`--max-memory`).
    public var maxMemory = MemoryBudget.systemDefault
    /// What to do with an output folder that already holds a run.
    public var existingOutput: OutputFolder.ExistingOutput = .refuse
    /// The slice of the plan this process runs.
    public var shard: Shard = .whole
    /// Windows drawn by a sampler instead of the grid (`scaletile sample STACK`).
    public var sampling: StackSampling?
    /// Seed of every random choice.
    public var seed: UInt64 = 0
    /// β of the effective-number class weights in the summary (Cui et al. 2019).
    public var classWeightBeta = ClassWeights.defaultBeta
    /// How the output folder is arranged for a trainer (`--layout`): `folder` or `monai`.
    public var layout: OutputLayout = .folder
    /// NIfTI's `scl_slope`/`scl_inter` applied to image voxels, written as Float32
    /// (`--apply-scaling`); false keeps the stored values and reports the scaling.
    public var applyScaling = false

    public init() {}

    /// Checks the values that need no input file.
    public func validate() throws {
        try ClassWeights.check(beta: classWeightBeta, option: "--beta")
        switch (patch, patchMillimetres) {
        case (nil, nil): throw ScaleTileError.argument("--patch", "a stack needs a patch size: --patch XxYxZ voxels or --patch-mm XxYxZ")
        case (.some, .some): throw ScaleTileError.argument("--patch-mm", "give the patch size once: --patch in voxels or --patch-mm, not both")
        default: break
        }
        if let patch {
            try Self.check(patch: patch, overlap: overlap)
            try maxMemory.check([patch.width, patch.height, patch.depth], figure: "a \(patch.volumeText) patch would", path: "--patch")
        }
        for (axis, value) in [("X", overlap.width), ("Y", overlap.height), ("Z", overlap.depth)] where value < 0 {
            throw ScaleTileError.argument("--overlap", "the \(axis) overlap must not be negative, got \(value)")
        }
        guard threads >= 1 else { throw ScaleTileError.argument("--threads", "must be at least 1, got \(threads)") }
        switch layout {
        case .folder: break
        case .monai:
            guard [.npy, .nifti, .nii].contains(format) else {
                throw ScaleTileError.argument("--layout", "monai lists .npy or NIfTI patches (MONAI's NumpyReader, NibabelReader): give --format npy, nifti or nii")
            }
        case .nnunet:
            break  // whole cases, written by the run (NNUNetDataset), not by this job
        case .yolo, .coco, .webdataset:
            throw ScaleTileError.argument("--layout", "\(layout.rawValue) is for scene tiles so far; stacks take folder or monai")
        }
        guard padValue.isFinite else { throw ScaleTileError.argument("--pad-value", "must be a finite number, got \(padValue)") }
        guard format.suitsStacks else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for scenes; stack patches are tiff, ome-tiff, npy, nifti or nii")
        }
        if let channels, channels.contains(where: { $0 < 0 }) {
            throw ScaleTileError.argument("--channels", "channel numbers start at 1")
        }
        try StackLevelVoxels.check(imageResampling, scalesDepth: scaleDepth, option: "--resampling")
        try StackLevelVoxels.check(maskResampling, scalesDepth: scaleDepth, option: "--mask-resampling")
        guard maskResampling.preservesLabels else {
            throw ScaleTileError.argument("--mask-resampling", "masks keep their labels: use nearest or mode, not \(maskResampling.rawValue)")
        }
        try sampling?.validate()
    }

    /// Every patch side is positive and every overlap smaller than its side.
    static func check(patch: RasterSize, overlap: RasterSize) throws {
        let axes = [("X", "width", patch.width, overlap.width), ("Y", "height", patch.height, overlap.height),
                    ("Z", "depth", patch.depth, overlap.depth)]
        for (axis, _, side, _) in axes where side < 1 {
            throw ScaleTileError.argument("--patch", "the \(axis) size must be at least 1 voxel, got \(side)")
        }
        for (axis, name, side, shared) in axes where shared >= side {
            throw ScaleTileError.argument("--overlap", "the \(axis) overlap \(shared) must be smaller than the patch \(name) \(side)")
        }
    }
}

/// A sampler's request on a stack: strategy, positive count, extra negatives and where
/// negatives may lie (DESIGN.md §4).
public struct StackSampling: Sendable {
    /// Which voxels count as tissue, for placing negatives.
    public enum Tissue: Hashable, Sendable {
        /// Every voxel of the stack: negatives anywhere clear of lesions.
        case anywhere
        /// Image voxels above a value (`--background-threshold`), in the first channel
        /// written: air in CT lies near −1000 HU, the background of an MRI near 0.
        case imageAbove(Double)
        /// The non-zero voxels of a mask stack on the image's grid (`--tissue-mask`).
        case mask(String)
    }

    public var strategy: SamplingStrategy
    /// `--count N`: positive patches (for `posneg`, all patches).
    public var count: Int
    /// `--negatives M`: extra patches with no lesion voxel, on tissue.
    public var negatives: Int
    /// Where negatives may lie.
    public var tissue: Tissue
    /// A negative lies on tissue when at least this share of its voxels is tissue (`--min-tissue`).
    public var minTissueShare: Double
    /// `--weights FILE`: the weight volume of the weighted strategy (any resolution), read once
    /// the image's size is known; it replaces the strategy.
    public var weightMap: String?

    public init(strategy: SamplingStrategy, count: Int, negatives: Int = 0, tissue: Tissue = .anywhere,
                minTissueShare: Double = 0.5, weightMap: String? = nil) {
        self.strategy = strategy
        self.count = count
        self.negatives = negatives
        self.tissue = tissue
        self.minTissueShare = minTissueShare
        self.weightMap = weightMap
    }

    /// Whether the strategy places patches around lesions, and so needs a mask.
    public var needsLesions: Bool {
        if weightMap != nil { return false }
        switch strategy {
        case .uniform, .grid, .weighted: return false
        default: return true
        }
    }

    /// Whether the plan has negatives, which need the tissue map.
    var drawsNegatives: Bool {
        if case .positiveNegative(_, let negative) = strategy, negative > 0, count > 0 { return true }
        return negatives > 0
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
        if case .weighted = strategy {
            throw ScaleTileError.argument("--strategy", "weighted sampling of stacks needs a probability map, which stacks do not take yet")
        }
    }

    /// `--background-threshold -950`, `--tissue-mask body.tif` or `anywhere`, for summaries.
    var tissueDescription: String {
        switch tissue {
        case .anywhere: return "anywhere"
        case .imageAbove(let threshold): return "image above " + String(format: "%g", threshold)
        case .mask(let path): return "mask \(path)"
        }
    }
}
