import ScaleTileCore
import ScaleTileSatellite

/// Voxels of a stack level, computed from level-0 voxels (DESIGN.md §3, with Z when the level
/// scales depth): level voxel (i, j, k) summarises the level-0 block
/// [i·f, (i+1)·f) × [j·f, (j+1)·f) × [k·g, (k+1)·g), clipped to the stack, where f = 2^ℓ and
/// g = 2^ℓ or 1.
///
/// X and Y go through GDAL's resampling (``PlaneDownsampler``); GDAL has no notion of Z, so the
/// Z step is ``DepthDownsampling``.
///
/// - `average` (images): the exact mean of the clipped block, computed in `Float64` and
///   rounded back to the sample type by ``ScaleTileCore/RasterBuffer/converted(to:)`` (halves
///   away from zero). Slices are summed first and the sums divided at the end, so a mean that
///   ends in .5 is exact and rounds the same way whatever the block's shape.
/// - `nearest` (masks): the voxel GDAL's nearest rule picks in each axis, offset ⌊n/2⌋ in a
///   block n voxels long; always one of the block's own values.
/// - `mode` (masks, X and Y only): GDAL's most frequent value of each plane's block.
enum StackLevelVoxels {
    /// Resamplings a stack level accepts: `average` or `nearest` for images, `nearest` or `mode`
    /// for masks, and `mode` only when Z is not scaled.
    static func check(_ resampling: Resampling, scalesDepth: Bool, option: String) throws {
        guard [.average, .nearest, .mode].contains(resampling) else {
            throw ScaleTileError.argument(option, "stacks are resampled with average (images), nearest or mode (masks), not \(resampling.rawValue)")
        }
        if resampling == .mode, scalesDepth {
            throw ScaleTileError.argument(option, "mode works plane by plane (GDAL's mode is 2-D) and cannot scale Z: use nearest with --scale-z")
        }
    }

    /// The level voxels of `region`, the level-0 voxels of a part of the stack that starts on a
    /// block of `level` and ends on one or at the stack's edge.
    static func compute(_ region: RasterBuffer, level: Level, resampling: Resampling) throws -> RasterBuffer {
        guard level.index > 0 else { return region }
        let g = level.depthFactor
        switch resampling {
        case .average:
            let sums = DepthDownsampling.sums(region, factor: g)
            let planeMeans = try PlaneDownsampler.downsample(sums, to: level, resampling: .average)
            return DepthDownsampling.dividingBlockCounts(planeMeans, factor: g, baseDepth: region.size.depth)
                .converted(to: region.pixelType)
        case .nearest:
            let slices = DepthDownsampling.nearest(region, factor: g)
            return try PlaneDownsampler.downsample(slices, to: level, resampling: .nearest)
        default:
            precondition(!level.scalesDepth, "checked by check(_:scalesDepth:option:)")
            return try PlaneDownsampler.downsample(region, to: level, resampling: resampling)
        }
    }
}
