import Foundation
import ScaleTileCore
import ScaleTileTIFF

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
    /// Patch file format: `tiff` (ImageJ), `ome-tiff` or `npy`.
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
    /// What to do with an output folder that already holds a run.
    public var existingOutput: OutputFolder.ExistingOutput = .refuse
    /// The slice of the plan this process runs.
    public var shard: Shard = .whole

    public init() {}

    /// Checks the values that need no input file.
    public func validate() throws {
        switch (patch, patchMillimetres) {
        case (nil, nil): throw ScaleTileError.argument("--patch", "a stack needs a patch size: --patch XxYxZ voxels or --patch-mm XxYxZ")
        case (.some, .some): throw ScaleTileError.argument("--patch-mm", "give the patch size once: --patch in voxels or --patch-mm, not both")
        default: break
        }
        if let patch { try Self.check(patch: patch, overlap: overlap) }
        for (axis, value) in [("X", overlap.width), ("Y", overlap.height), ("Z", overlap.depth)] where value < 0 {
            throw ScaleTileError.argument("--overlap", "the \(axis) overlap must not be negative, got \(value)")
        }
        guard threads >= 1 else { throw ScaleTileError.argument("--threads", "must be at least 1, got \(threads)") }
        guard padValue.isFinite else { throw ScaleTileError.argument("--pad-value", "must be a finite number, got \(padValue)") }
        guard format.suitsStacks else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for scenes; stack patches are tiff, ome-tiff or npy")
        }
        if let channels, channels.contains(where: { $0 < 0 }) {
            throw ScaleTileError.argument("--channels", "channel numbers start at 1")
        }
        try StackLevelVoxels.check(imageResampling, scalesDepth: scaleDepth, option: "--resampling")
        try StackLevelVoxels.check(maskResampling, scalesDepth: scaleDepth, option: "--mask-resampling")
        guard maskResampling.preservesLabels else {
            throw ScaleTileError.argument("--mask-resampling", "masks keep their labels: use nearest or mode, not \(maskResampling.rawValue)")
        }
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
