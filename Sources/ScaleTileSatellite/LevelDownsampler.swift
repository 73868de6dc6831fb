internal import CGDAL
import ScaleTileCore

/// A strip of full-resolution pixels in memory, the unit a pyramid is built from.
public struct FullResolutionStrip: Sendable {
    /// Pixels, channel-first, exactly `window`'s size.
    public let pixels: RasterBuffer
    /// Validity (0 = nodata) per pixel when the source has a mask band instead of nodata values.
    public let mask: [UInt8]?
    /// Where the strip lies in level-0 pixels (inside the scene).
    public let window: Window

    public init(pixels: RasterBuffer, mask: [UInt8]?, window: Window) {
        self.pixels = pixels
        self.mask = mask
        self.window = window
    }
}

/// Computes level ℓ pixels of a strip with GDAL's resampling (DESIGN.md §3).
///
/// The strip is wrapped, without a copy, in a GDAL in-memory raster carrying the scene's
/// nodata values (or its mask), and GDAL's RasterIO resamples it. The strip's origin is a
/// multiple of 2^ℓ, so its blocks are the level's blocks; a block cut by the scene's edge is
/// resampled on its own into its one level pixel, so every level pixel summarises exactly its
/// clipped block, with nodata and masked pixels left out of averages.
public enum LevelDownsampler {
    /// The level's pixels over the strip, and the level's validity mask when the strip has one
    /// (a level pixel is valid when any pixel of its block is).
    public static func downsample(_ strip: FullResolutionStrip, to level: Level, nodata: [Double?],
                                  resampling: Resampling) throws -> (pixels: RasterBuffer, mask: [UInt8]?, levelWindow: Window) {
        let f = level.factor
        precondition(strip.window.x % f == 0 && strip.window.y % f == 0, "strips start on level blocks")
        let levelWindow = level.window(fromBase: strip.window)
        let size = strip.pixels.size
        var out = RasterBuffer(pixelType: strip.pixels.pixelType, bandCount: strip.pixels.bandCount,
                               size: RasterSize(width: levelWindow.width, height: levelWindow.height))
        let type = strip.pixels.pixelType
        try strip.pixels.bytes.withUnsafeBytes { source in
            let memory = try InMemoryRaster(wrapping: UnsafeMutableRawBufferPointer(mutating: source), pixelType: type,
                                            bandCount: strip.pixels.bandCount, size: size)
            for (i, value) in nodata.enumerated() where i < strip.pixels.bandCount {
                if let value { GDALSetRasterNoDataValue(GDALGetRasterBand(memory.handle, Int32(i + 1)), value) }
            }
            if let mask = strip.mask { try memory.attachMask(mask, size: size) }
            try out.bytes.withUnsafeMutableBytes { target in
                try resample(memory.handle, size: size, into: target, width: levelWindow.width, pixelType: type,
                             bandCount: strip.pixels.bandCount, factor: f, resampling: resampling)
            }
        }
        var levelMask: [UInt8]?
        if let mask = strip.mask {
            // Averaged as floats: one valid pixel in a block of 2^ℓ × 2^ℓ must keep the block valid.
            var averaged = [Float](repeating: 0, count: levelWindow.width * levelWindow.height)
            var maskCopy = mask
            try maskCopy.withUnsafeMutableBytes { source in
                let memory = try InMemoryRaster(wrapping: source, pixelType: .uint8, bandCount: 1, size: size)
                try averaged.withUnsafeMutableBytes { target in
                    try resample(memory.handle, size: size, into: target, width: levelWindow.width, pixelType: .float32,
                                 bandCount: 1, factor: f, resampling: .average)
                }
            }
            levelMask = averaged.map { $0 > 0 ? 255 : 0 }
        }
        return (out, levelMask, levelWindow)
    }

    /// RasterIO of a whole in-memory strip into level pixels, split at the strip's last partial block.
    private static func resample(_ handle: UnsafeMutableRawPointer, size: RasterSize, into target: UnsafeMutableRawBufferPointer,
                                 width: Int, pixelType: PixelType, bandCount: Int, factor: Int, resampling: Resampling) throws {
        let height = size.height.divided(roundingUpBy: factor)
        let pixel = pixelType.byteSize
        var bandMap = (1...bandCount).map { Int32($0) }
        for column in EdgeSplit.pieces(start: 0, count: width, factor: factor, limit: size.width) {
            for row in EdgeSplit.pieces(start: 0, count: height, factor: factor, limit: size.height) {
                var extra = GDALRasterIOExtraArg.make(factor == 1 ? .nearest : resampling)
                let offset = (row.offset * width + column.offset) * pixel
                try gdalCheck(nil, what: "resampling a strip") {
                    GDALDatasetRasterIOEx(handle, GF_Read, Int32(column.source), Int32(row.source),
                                          Int32(column.sourceLength), Int32(row.sourceLength),
                                          target.baseAddress! + offset, Int32(column.length), Int32(row.length),
                                          pixelType.gdalType, Int32(bandCount), &bandMap, GSpacing(pixel),
                                          GSpacing(width * pixel), GSpacing(width * height * pixel), &extra) == CE_None
                }
            }
        }
    }
}

extension InMemoryRaster {
    /// Gives the raster a per-dataset mask band (0 = nodata) with these values, so GDAL's
    /// resampling leaves masked pixels out as it does for a GeoTIFF's internal mask.
    func attachMask(_ mask: [UInt8], size: RasterSize) throws {
        guard let band = GDALGetRasterBand(handle, 1) else { return }
        try gdalCheck(nil, what: "creating a mask band") { GDALCreateMaskBand(band, Int32(GMF_PER_DATASET)) == CE_None }
        guard let maskBand = GDALGetMaskBand(band) else { return }
        var values = mask
        try gdalCheck(nil, what: "filling the mask band") {
            GDALRasterIO(maskBand, GF_Write, 0, 0, Int32(size.width), Int32(size.height), &values,
                         Int32(size.width), Int32(size.height), GDT_Byte, 0, 0) == CE_None
        }
    }
}
