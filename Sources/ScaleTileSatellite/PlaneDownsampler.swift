import ScaleTileCore

/// Downsamples every plane of a stack region in X and Y with GDAL's resampling (DESIGN.md §3).
///
/// A (C, Z, Y, X) buffer is C·Z planes of Y × X: it is handed to ``LevelDownsampler`` as one
/// C·Z-band strip, which GDAL resamples band by band in a single RasterIO. Z is left alone;
/// ``DepthDownsampling`` does that step.
public enum PlaneDownsampler {
    /// The level pixels of every plane of `region`.
    ///
    /// `region` must start on a block of the level in the stack (its X and Y origin in level-0
    /// voxels a multiple of 2^ℓ) and end on one or at the stack's edge; then each level pixel
    /// summarises exactly its 2^ℓ × 2^ℓ block clipped to the stack, as for scenes.
    ///
    /// - Returns: ceil(width / 2^ℓ) × ceil(height / 2^ℓ) pixels, the same channels and slices
    ///   and sample type.
    public static func downsample(_ region: RasterBuffer, to level: Level, resampling: Resampling) throws -> RasterBuffer {
        guard level.index > 0 else { return region }
        let size = region.size
        let planes = RasterBuffer(pixelType: region.pixelType, bandCount: region.bandCount * size.depth,
                                  size: RasterSize(width: size.width, height: size.height), bytes: region.bytes)
        let strip = FullResolutionStrip(pixels: planes, mask: nil, window: Window(x: 0, y: 0, width: size.width, height: size.height))
        let result = try LevelDownsampler.downsample(strip, to: Level(level.index), nodata: [], resampling: resampling)
        return RasterBuffer(pixelType: region.pixelType, bandCount: region.bandCount,
                            size: RasterSize(width: result.levelWindow.width, height: result.levelWindow.height, depth: size.depth),
                            bytes: result.pixels.bytes)
    }
}
