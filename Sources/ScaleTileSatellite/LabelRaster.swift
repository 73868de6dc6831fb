import Foundation
internal import CGDAL
import ScaleTileCore

/// Reads a label raster — integer classes or instance ids, 0 (or the nodata value) for
/// background — into one object per connected region of equal value.
///
/// A raster on the scene's grid is read as it is. Any other grid GDAL can place on the scene
/// (another origin, pixel size or CRS) is resampled onto the scene's grid with nearest
/// neighbour through a warped VRT, so values are never mixed and the objects land in the
/// scene's level-0 pixels.
///
/// The regions come from the streaming ``ComponentLabeler``, fed the raster **one row per
/// slice**: a labeler one row high holds two rows' runs and the open regions, never the raster.
/// Rows then stand where a volume's slices would (Z), so a region's rows are its lesion's
/// slices, and the labeler's 3-D neighbourhoods become planar ones: `.faces` connects rows that
/// overlap (4-connected), `.facesAndEdges` and `.full` also those touching at a corner
/// (8-connected). Ids are the regions' 1-based positions in raster order (the labeler orders by
/// first pixel); the class is the raster value as text, so an instance raster gives one class
/// per instance.
struct LabelRasterReader {
    let path: String
    let scene: SceneGeometry
    let connectivity: Connectivity

    /// Bytes of rows read per RasterIO call: enough to amortise the call, small beside a scene.
    static let bytesPerRead = 4 << 20

    func read() throws -> LabelSet {
        let raster = try Dataset(opening: path)
        let band = try raster.band(1)
        guard let pixelType = band.pixelType, !pixelType.isFloatingPoint else {
            throw ScaleTileError(.invalidInput, path,
                                 "a label raster needs integer classes, this one has \(band.dataTypeName) samples")
        }
        var warnings: [LabelWarning] = []
        if raster.bandCount > 1 {
            warnings.append(LabelWarning("has \(raster.bandCount) bands; band 1 holds the labels read"))
        }
        let grid = try SceneGrid(raster: raster, scene: scene, path: path)
        let background = band.nodata.flatMap { Int64(exactly: $0) }

        let width = scene.size.width, height = scene.size.height
        var labeler = ComponentLabeler(width: width, height: 1, connectivity: connectivity)
        let rowsPerRead = max(1, Self.bytesPerRead / (width * MemoryLayout<Int64>.size))
        var rows = [Int64](repeating: 0, count: width * min(rowsPerRead, height))
        var y = 0
        while y < height {
            let count = min(rowsPerRead, height - y)
            try rows.withUnsafeMutableBytes { buffer in
                try gdalCheck(path, kind: .io, what: "reading rows \(y)–\(y + count - 1)") {
                    GDALRasterIO(grid.band, GF_Read, 0, Int32(y), Int32(width), Int32(count), buffer.baseAddress,
                                 Int32(width), Int32(count), GDT_Int64, 0, 0) == CE_None
                }
            }
            if let background {
                for index in 0 ..< width * count where rows[index] == background { rows[index] = 0 }
            }
            rows.withUnsafeBufferPointer { samples in
                for row in 0 ..< count {
                    labeler.append(slice: UnsafeBufferPointer(rebasing: samples[row * width ..< (row + 1) * width]))
                }
            }
            y += count
        }

        let regions = labeler.finish()
        let objects = regions.map { region in
            // The labeler's slices are the raster's rows: Z is the row, depth the height.
            LabeledObject(id: String(region.id), className: String(region.label),
                          box: PixelBox(minX: Double(region.bbox.x), minY: Double(region.bbox.z),
                                        maxX: Double(region.bbox.maxX), maxY: Double(region.bbox.maxZ)))
        }
        let classNames = Set(regions.map(\.label)).sorted().map(String.init)
        return LabelSet(objects: objects, classNames: classNames, warnings: warnings)
    }
}

/// Band 1 of a label raster as seen on the scene's grid: the raster itself when it shares the
/// grid, else a nearest-neighbour warped VRT onto it (closed with this value).
private final class SceneGrid {
    let band: GDALRasterBandH
    /// The warped VRT, when one was needed.
    private let warped: GDALDatasetH?
    /// The raster the VRT reads from, kept open while the VRT lives.
    private let raster: Dataset

    init(raster: Dataset, scene: SceneGeometry, path: String) throws {
        self.raster = raster
        if Self.sharesGrid(raster, scene) {
            band = GDALGetRasterBand(raster.handle, 1)
            warped = nil
            return
        }
        guard let rasterTransform = raster.geoTransform, let sceneTransform = scene.geoTransform else {
            throw ScaleTileError(.invalidInput, path,
                                 "the label raster is \(raster.size) and the scene \(scene.size), and without georeferencing on both they cannot be aligned")
        }
        // Without a CRS on either side the grids are aligned by their geotransforms alone.
        let bothCRSs = raster.spatialReference.flatMap { labels in scene.spatialReference.map { (labels.wkt, $0.wkt) } }
        var sourceTransform = rasterTransform.coefficients
        var targetTransform = sceneTransform.coefficients
        var vrt: GDALDatasetH?
        try gdalCheck(path, kind: .invalidInput, what: "placing the label raster on the scene's grid") {
            guard let transformer = GDALCreateGenImgProjTransformer3(bothCRSs?.0, &sourceTransform,
                                                                     bothCRSs?.1, &targetTransform) else { return false }
            guard let options = GDALCreateWarpOptions() else {
                GDALDestroyGenImgProjTransformer(transformer)
                return false
            }
            defer { GDALDestroyWarpOptions(options) }
            options.pointee.hSrcDS = raster.handle
            options.pointee.nBandCount = 1
            // GDALDestroyWarpOptions frees the band lists with CPLFree: allocate them with CPLMalloc.
            let sourceBands = CPLMalloc(MemoryLayout<Int32>.size).assumingMemoryBound(to: Int32.self)
            let targetBands = CPLMalloc(MemoryLayout<Int32>.size).assumingMemoryBound(to: Int32.self)
            sourceBands.pointee = 1
            targetBands.pointee = 1
            options.pointee.panSrcBands = sourceBands
            options.pointee.panDstBands = targetBands
            options.pointee.eResampleAlg = GRA_NearestNeighbour
            // Scene pixels the label raster does not cover are background.
            options.pointee.papszWarpOptions = CSLSetNameValue(options.pointee.papszWarpOptions, "INIT_DEST", "0")
            options.pointee.pfnTransformer = GDALGenImgProjTransform
            // The warped VRT owns the transformer from here on and destroys it when closed.
            options.pointee.pTransformerArg = transformer
            vrt = GDALCreateWarpedVRT(raster.handle, Int32(scene.size.width), Int32(scene.size.height),
                                      &targetTransform, options)
            if vrt == nil { GDALDestroyGenImgProjTransformer(transformer) }
            return vrt != nil
        }
        warped = vrt
        band = GDALGetRasterBand(vrt, 1)
    }

    deinit {
        if let warped { GDALClose(warped) }
    }

    /// Same size and, where both have them, the same geotransform (to a millionth of a pixel)
    /// and CRS.
    private static func sharesGrid(_ raster: Dataset, _ scene: SceneGeometry) -> Bool {
        guard raster.size.width == scene.size.width, raster.size.height == scene.size.height else { return false }
        if let a = raster.geoTransform, let b = scene.geoTransform {
            let tolerance = 1e-6 * max(abs(b.pixelWidth), abs(b.pixelHeight))
            guard zip(a.coefficients, b.coefficients).allSatisfy({ abs($0 - $1) <= tolerance }) else { return false }
        }
        if let a = raster.spatialReference, let b = scene.spatialReference {
            return a.epsg != nil && b.epsg != nil ? a.epsg == b.epsg : a.wkt == b.wkt
        }
        return true
    }
}
