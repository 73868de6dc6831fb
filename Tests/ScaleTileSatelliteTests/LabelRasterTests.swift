import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Label rasters written here from ASCII grids by `gdal_translate`, read into objects.
@Suite("Label rasters", .serialized)
struct LabelRasterTests {
    /// Writes an ESRI ASCII grid (`rows` top row first, lower-left corner at (1000, 2000)) and
    /// converts it to a Byte GeoTIFF in UTM 33N with gdal_translate.
    static func labelRaster(_ rows: [[Int]], cellSize: Double, nodata: Int? = nil, type: String = "Byte",
                            in folder: TemporaryFolder, name: String = "labels.tif") throws -> String {
        var text = "ncols \(rows[0].count)\nnrows \(rows.count)\nxllcorner 1000\nyllcorner 2000\ncellsize \(cellSize)\n"
        if let nodata { text += "NODATA_value \(nodata)\n" }
        text += rows.map { $0.map(String.init).joined(separator: " ") }.joined(separator: "\n") + "\n"
        let grid = folder.file("\(name).asc")
        try text.write(toFile: grid, atomically: true, encoding: .utf8)
        let tiff = folder.file(name)
        let result = try ExternalCommand.run("gdal_translate", ["-q", "-ot", type, "-a_srs", "EPSG:32633", grid, tiff])
        try #require(result.status == 0, "gdal_translate: \(result.standardError)")
        return tiff
    }

    /// The 8x6 scene of 1 m pixels the grids are drawn on: top-left corner (1000, 2006).
    static func scene() throws -> SceneGeometry {
        SceneGeometry(size: RasterSize(width: 8, height: 6),
                      geoTransform: GeoTransform(originX: 1000, originY: 2006, pixelWidth: 1, pixelHeight: -1),
                      spatialReference: try SpatialReference(userInput: "EPSG:32633"))
    }

    /// 9 is nodata (background). Regions in raster order of their first pixel (row, column):
    /// A value 1 at (1,1) 2x2; B value 2 at (1,5),(1,6),(2,5); C value 2 at (2,3), touching A but
    /// of another value and not touching B; D value 3 at (4,2); E value 1 at (4,4) and (5,3),
    /// which touch only at a corner; F value 5 at (5,7).
    static let grid = [
        [9, 0, 0, 0, 0, 0, 0, 0],
        [0, 1, 1, 0, 0, 2, 2, 0],
        [0, 1, 1, 2, 0, 2, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 9],
        [0, 0, 3, 0, 1, 0, 0, 0],
        [0, 0, 0, 1, 0, 0, 0, 5],
    ]

    static func box(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> PixelBox {
        PixelBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    // 8-connected: E is one region. Boxes from the grid above, [column, column + width) × [row, row + height).
    @Test func regionsOfEqualValueEightConnected() throws {
        let folder = TemporaryFolder()
        let path = try Self.labelRaster(Self.grid, cellSize: 1, nodata: 9, in: folder)
        let labels = try LabelSet.load(path: path, scene: try Self.scene())
        #expect(labels.objects == [
            LabeledObject(id: "1", className: "1", box: Self.box(1, 1, 3, 3)),
            LabeledObject(id: "2", className: "2", box: Self.box(5, 1, 7, 3)),
            LabeledObject(id: "3", className: "2", box: Self.box(3, 2, 4, 3)),
            LabeledObject(id: "4", className: "3", box: Self.box(2, 4, 3, 5)),
            LabeledObject(id: "5", className: "1", box: Self.box(3, 4, 5, 6)),
            LabeledObject(id: "6", className: "5", box: Self.box(7, 5, 8, 6)),
        ])
        #expect(labels.classNames == ["1", "2", "3", "5"])
    }

    // 4-connected: E splits into (4,4) and (5,3), ids 5 and 6 in raster order; F becomes 7.
    @Test func regionsOfEqualValueFourConnected() throws {
        let folder = TemporaryFolder()
        let path = try Self.labelRaster(Self.grid, cellSize: 1, nodata: 9, in: folder)
        let labels = try LabelSet.load(path: path, scene: try Self.scene(), options: LabelReadOptions(connectivity: .faces))
        #expect(labels.objects.map(\.id) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(labels.objects[4].box == Self.box(4, 4, 5, 5))
        #expect(labels.objects[5].box == Self.box(3, 5, 4, 6))
    }

    // A label raster is a companion of its scene: another size, geotransform or CRS is
    // refused naming both grids (issue 11), never resampled onto the scene silently.
    // A 4x3 raster of 2 m pixels over the same ground: another size.
    @Test func anotherGridIsRefused() throws {
        let folder = TemporaryFolder()
        let coarse = try Self.labelRaster([[1, 0, 0, 2], [0, 0, 0, 2], [0, 3, 0, 0]], cellSize: 2, in: folder)
        var scene = try Self.scene()
        scene.fileName = "scene.tif"
        let size = #expect(throws: ScaleTileError.self) { try LabelSet.load(path: coarse, scene: scene) }
        #expect(size?.kind == .invalidInput)
        #expect(size?.description == "\(coarse): the label raster is 4x3, the scene scene.tif is 8x6: a label raster must lie on its scene's grid (same size, geotransform and CRS)")

        // Same size, origin half a pixel off.
        let rows = Array(repeating: Array(repeating: 0, count: 8), count: 5) + [[0, 0, 0, 1, 0, 0, 0, 0]]
        let shifted = try Self.labelRaster(rows, cellSize: 1, in: folder, name: "shifted.tif")
        var moved = scene
        moved.geoTransform = GeoTransform(originX: 1000.5, originY: 2006, pixelWidth: 1, pixelHeight: -1)
        let offset = #expect(throws: ScaleTileError.self) { try LabelSet.load(path: shifted, scene: moved) }
        #expect(offset?.description.hasPrefix("\(shifted): the label raster's geotransform (1000.0, 1.0, 0.0, 2006.0, 0.0, -1.0) is not the scene scene.tif's (1000.5") == true,
                "\(String(describing: offset))")
        // Within a millionth of a pixel it is the same grid.
        moved.geoTransform = GeoTransform(originX: 1000 + 5e-7, originY: 2006, pixelWidth: 1, pixelHeight: -1)
        #expect(try LabelSet.load(path: shifted, scene: moved).objects.map(\.box) == [Self.box(3, 5, 4, 6)])

        // Same grid, another CRS (UTM 34N instead of 33N).
        var elsewhere = scene
        elsewhere.spatialReference = try SpatialReference(userInput: "EPSG:32634")
        let crs = #expect(throws: ScaleTileError.self) { try LabelSet.load(path: shifted, scene: elsewhere) }
        #expect(crs?.description.contains("the label raster's CRS (EPSG:32633) is not the scene scene.tif's (EPSG:32634)") == true, "\(String(describing: crs))")
        // The same CRS written differently (WKT without its EPSG code) is the same for OSRIsSame.
        let wkt = try SpatialReference(userInput: "EPSG:32633").wkt
        let unnamed = wkt.replacingOccurrences(of: #",\s*ID\["EPSG",32633\]"#, with: "", options: .regularExpression)
        #expect(unnamed != wkt)
        elsewhere.spatialReference = try SpatialReference(userInput: unnamed)
        #expect(try LabelSet.load(path: shifted, scene: elsewhere).objects.count == 1)
    }

    // The reader takes 4 MB of rows per read: 64 rows of 8192 Int64 samples. A bar down column
    // 4000 (rows 10–120) and a diagonal pair at (row 63, column 100) and (64, 101) cross the
    // boundary between reads at row 64, and each stays one region.
    @Test func regionsCrossTheRowsOfSeparateReads() throws {
        let folder = TemporaryFolder()
        var rows = Array(repeating: Array(repeating: 0, count: 8192), count: 130)
        for row in 10 ... 120 { rows[row][4000] = 7 }
        rows[63][100] = 4
        rows[64][101] = 4
        let path = try Self.labelRaster(rows, cellSize: 1, in: folder)
        let scene = SceneGeometry(size: RasterSize(width: 8192, height: 130),
                                  geoTransform: GeoTransform(originX: 1000, originY: 2130, pixelWidth: 1, pixelHeight: -1),
                                  spatialReference: try SpatialReference(userInput: "EPSG:32633"))
        let labels = try LabelSet.load(path: path, scene: scene)
        #expect(labels.objects == [
            LabeledObject(id: "1", className: "7", box: Self.box(4000, 10, 4001, 121)),
            LabeledObject(id: "2", className: "4", box: Self.box(100, 63, 102, 65)),
        ])
    }

    @Test func floatingPointRasterIsRefused() throws {
        let folder = TemporaryFolder()
        let path = try Self.labelRaster(Self.grid, cellSize: 1, type: "Float32", in: folder)
        let error = #expect(throws: ScaleTileError.self) { try LabelSet.load(path: path, scene: try Self.scene()) }
        #expect(error?.description == "\(path): a label raster needs integer classes, this one has Float32 samples")
    }

    @Test func allBackgroundIsNoObjects() throws {
        let folder = TemporaryFolder()
        let path = try Self.labelRaster(Array(repeating: Array(repeating: 0, count: 8), count: 6), cellSize: 1, in: folder)
        let error = #expect(throws: ScaleTileError.self) { try LabelSet.load(path: path, scene: try Self.scene()) }
        #expect(error?.description == "\(path): no objects")
    }
}
