import Foundation
internal import CGDAL
import ScaleTileCore

/// The values of a scene's mask tile (`--mask-tiles`): one Byte band on the tile's own grid.
///
/// 0 is background, 1…254 a class (vector labels: the 1-based position of the object's class
/// in the run's class order; label rasters: the raster's own value), and ``ignoreValue`` marks
/// the pixels of an ignore region (an object of another split), which a loss should skip.
public enum MaskTile {
    /// The value of ignore regions: the last Byte value, as Cityscapes and mmsegmentation use it.
    public static let ignoreValue: UInt8 = 255
    /// The largest class value a mask tile can hold beside the ignore value.
    public static let largestClassValue = 254
}

/// One shape burnt into a mask tile: polygon rings (outer ring first, holes after) in level-0
/// pixels of the scene, and the value its pixels take.
public struct MaskShape: Sendable {
    public var rings: [[PixelPoint]]
    public var value: UInt8

    public init(rings: [[PixelPoint]], value: UInt8) {
        self.rings = rings
        self.value = value
    }
}

/// Rasterises shapes onto a tile's grid with GDAL's rasterizer (`GDALRasterizeGeometries`),
/// the algorithm of `gdal_rasterize`: a pixel takes a shape's value when its centre lies
/// inside the shape; shapes later in the list overwrite earlier ones.
///
/// Each call makes its own in-memory GDAL dataset over the tile's buffer, so encoder threads
/// rasterise side by side.
public enum MaskRasterizer {
    /// The mask of the tile whose window (level-0 pixels) is read at `level`: a Byte buffer of
    /// the window's size at that level, 0 where no shape lies.
    public static func rasterize(_ shapes: [MaskShape], window: Window, level: Level) throws -> RasterBuffer {
        let levelWindow = level.window(fromBase: window)
        let size = RasterSize(width: levelWindow.width, height: levelWindow.height)
        var buffer = RasterBuffer(pixelType: .uint8, bandCount: 1, size: size)
        let drawn = shapes.filter { !$0.rings.isEmpty && $0.rings[0].count >= 3 }
        guard !drawn.isEmpty else { return buffer }
        // Tile pixel = level-0 pixel × 2^-ℓ − the level window's origin: exact for powers of two,
        // so the tile's grid is the level grid GDAL writes the tile on.
        let scale = level.scale
        var geometries: [OGRGeometryH?] = drawn.map { shape in
            let polygon = OGR_G_CreateGeometry(wkbPolygon)
            for ring in shape.rings where ring.count >= 3 {
                let linear = OGR_G_CreateGeometry(wkbLinearRing)
                // Rings are kept without the closing repeat; OGR wants it back.
                for p in ring + (ring.first == ring.last ? [] : [ring[0]]) {
                    OGR_G_AddPoint_2D(linear, p.x * scale - Double(levelWindow.x), -(p.y * scale - Double(levelWindow.y)))
                }
                OGR_G_AddGeometryDirectly(polygon, linear)
            }
            return polygon
        }
        defer { for g in geometries { OGR_G_DestroyGeometry(g) } }
        var values = drawn.map { Double($0.value) }
        var bandList: [Int32] = [1]
        try buffer.bytes.withUnsafeMutableBytes { raw in
            let memory = try InMemoryRaster(wrapping: raw, pixelType: .uint8, bandCount: 1, size: size)
            // Shapes are in the tile's pixels with y flipped, on a north-up grid of unit pixels:
            // a pixel centre exactly on an edge then falls on the side gdal_rasterize puts it on
            // a north-up georeferenced scene (y down, the tie would go the other way).
            var northUp = [0.0, 1, 0, 0, 0, -1]
            GDALSetGeoTransform(memory.handle, &northUp)
            try gdalCheck(nil, what: "rasterising the mask tile of window \(window)") {
                GDALRasterizeGeometries(memory.handle, 1, &bandList, Int32(geometries.count), &geometries, nil, nil,
                                        &values, nil, nil, nil) == CE_None
            }
        }
        return buffer
    }
}

/// Windows of a label raster on the scene's grid, as mask tiles: band 1, its nodata value read
/// as 0 (background), levels above 0 by GDAL's nearest resampling (each level pixel takes the
/// label at the centre of its 2^ℓ block: a label is never averaged).
///
/// Not Sendable (a GDAL handle): one per reader thread.
public final class LabelRasterWindows {
    let dataset: Dataset
    let background: Int64?

    /// Opens the raster (its overviews ignored: levels are resampled from full resolution).
    public init(path: String) throws {
        dataset = try Dataset(opening: path, overviews: .ignored)
        background = try dataset.band(1).nodata.flatMap { Int64(exactly: $0) }
    }

    /// The mask tile of a window (level-0 pixels) at `level`; pixels past the raster are 0.
    ///
    /// - Throws: when a label lies outside 0…254 (checked when the run starts, so only a raster
    ///   changed since then fails here).
    public func read(_ window: Window, level: Level) throws -> RasterBuffer {
        let labels = try dataset.read(window, level: level, bands: [1], pixelType: .int32, resampling: .nearest, fill: 0)
        var mask = RasterBuffer(pixelType: .uint8, bandCount: 1, size: labels.size)
        var outOfRange: Int32?
        labels.bytes.withUnsafeBytes { raw in
            let values = raw.bindMemory(to: Int32.self)
            for i in 0 ..< values.count {
                let v = values[i]
                if let background, Int64(v) == background { continue }
                if v < 0 || v > Int32(MaskTile.largestClassValue) { outOfRange = v; continue }
                mask.bytes[i] = UInt8(v)
            }
        }
        if let outOfRange {
            throw ScaleTileError(.invalidInput, dataset.path, "holds the label \(outOfRange) in window \(window); mask tiles hold labels 0 to \(MaskTile.largestClassValue) (255 marks ignore regions)")
        }
        return mask
    }
}
