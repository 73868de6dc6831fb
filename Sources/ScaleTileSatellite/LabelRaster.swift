import Foundation
internal import CGDAL
import ScaleTileCore

/// Reads a label raster — integer classes or instance ids, 0 (or the nodata value) for
/// background — into one object per connected region of equal value.
///
/// The raster must lie on the scene's grid (size, geotransform, CRS; ``CompanionGrid``);
/// another grid is refused rather than resampled.
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
    /// Checked before the row buffers are allocated.
    var budget: MemoryBudget = .systemDefault

    /// Bytes of rows read per RasterIO call: enough to amortise the call, small beside a scene.
    static let bytesPerRead = 4 << 20

    func read() throws -> LabelSet {
        let raster = try Dataset(opening: path)
        try raster.verifyBlocksPresent()
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
        // The rows read (Int64 samples) and the labeler's two rows of runs and labels: a raster
        // declaring a huge width is refused here rather than aborting the allocation.
        let rowsPerRead = max(1, Self.bytesPerRead / max(1, width * MemoryLayout<Int64>.size))
        try budget.check([width, min(rowsPerRead, height) + 2, MemoryLayout<Int64>.size],
                         figure: "reading the label raster in rows of \(width) pixels would", kind: .invalidArgument, path: path)
        var labeler = ComponentLabeler(width: width, height: 1, connectivity: connectivity)
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

/// Band 1 of a label raster that shares the scene's grid.
///
/// A label raster is a companion of its scene: it must have the scene's size, geotransform
/// (to a millionth of a pixel) and CRS (as `OSRIsSame` judges). Anything else is refused
/// naming both files and both grids (``CompanionGrid``); resampling a mask silently would move
/// its objects by up to a label pixel, and a mask of the wrong scene would pass unnoticed.
private struct SceneGrid {
    let band: GDALRasterBandH

    init(raster: Dataset, scene: SceneGeometry, path: String) throws {
        try CompanionGrid.check(raster, path: path, role: "label raster", against: scene)
        band = GDALGetRasterBand(raster.handle, 1)
    }
}
