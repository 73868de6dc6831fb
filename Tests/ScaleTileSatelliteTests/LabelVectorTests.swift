import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Vector labels through OGR on small layers written here, and the bad-input messages of
/// `LabelSet.load` for every format.
@Suite("Vector labels and label file errors", .serialized)
struct LabelVectorTests {
    /// A 100x100 scene of 1 m pixels in UTM 16N whose top-left corner is (500000, 4000100):
    /// map (x, y) is pixel (x − 500000, 4000100 − y).
    static func scene() throws -> SceneGeometry {
        SceneGeometry(size: RasterSize(width: 100, height: 100),
                      geoTransform: GeoTransform(originX: 500_000, originY: 4_000_100, pixelWidth: 1, pixelHeight: -1),
                      spatialReference: try SpatialReference(userInput: "EPSG:32616"), fileName: "scene.tif")
    }

    /// A GeoJSON FeatureCollection in `crs`, features given as (properties, geometry) JSON.
    static func geoJSON(crs: String = "EPSG::32616", _ features: [(String, String)]) -> String {
        let body = features.map { #"{"type": "Feature", \#($0.0), "geometry": \#($0.1)}"# }.joined(separator: ",\n")
        return #"{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:\#(crs)"}}, "features": [\#n\#(body)]}"#
    }

    /// A closed square ring of map coordinates with its top-left corner at pixel (x, y) of ``scene()``.
    static func ring(_ x: Double, _ y: Double, _ size: Double) -> String {
        let (left, top) = (500_000 + x, 4_000_100 - y)
        return "[[\(left), \(top)], [\(left + size), \(top)], [\(left + size), \(top - size)], [\(left), \(top - size)], [\(left), \(top)]]"
    }

    /// A square polygon's coordinates (one ring).
    static func square(_ x: Double, _ y: Double, _ size: Double) -> String { "[\(ring(x, y, size))]" }

    /// Five features with top-level ids 10–50: a two-part multipolygon (car), a point (tree), a
    /// line (road), a polygon with a hole (pond), and a square whose class is null.
    static let mixedLayer = geoJSON([
        (#""id": 10, "properties": {"class": "car", "kind": "vehicle"}"#,
         #"{"type": "MultiPolygon", "coordinates": [\#(square(10, 10, 4)), \#(square(30, 10, 6))]}"#),
        (#""id": 20, "properties": {"class": "tree", "kind": "plant"}"#,
         #"{"type": "Point", "coordinates": [500050.5, 4000049.5]}"#),
        (#""id": 30, "properties": {"class": "road", "kind": "way"}"#,
         #"{"type": "LineString", "coordinates": [[500000, 4000000], [500010, 4000010]]}"#),
        (#""id": 40, "properties": {"class": "pond", "kind": "water"}"#,
         #"{"type": "Polygon", "coordinates": [\#(ring(60, 60, 20)), \#(ring(65, 65, 5))]}"#),
        (#""id": 50, "properties": {"class": null, "kind": "unknown"}"#,
         #"{"type": "Polygon", "coordinates": \#(square(80, 5, 5))}"#),
    ])

    // Expected, from the scene's geotransform: the car's parts are the 4 m square at pixel
    // (10, 10) and the 6 m square at (30, 10), ids 1-1 and 1-2 (GeoJSON has no id column, so
    // positions); the tree point (50.5, 50.5) becomes a 4 px box 48.5–52.5; the pond keeps its
    // hole (two rings). The line and the null class are skipped with warnings.
    @Test func geoJSONPartsPointsHolesAndSkips() throws {
        let folder = TemporaryFolder()
        let path = folder.file("mixed.geojson")
        try Self.mixedLayer.write(toFile: path, atomically: true, encoding: .utf8)
        let labels = try LabelSet.load(path: path, scene: try Self.scene(), options: LabelReadOptions(pointBoxSize: 4))
        #expect(labels.objects.map(\.id) == ["1-1", "1-2", "2", "4"])
        #expect(labels.objects.map(\.className) == ["car", "car", "tree", "pond"])
        #expect(labels.objects[0].box == PixelBox(minX: 10, minY: 10, maxX: 14, maxY: 14))
        #expect(labels.objects[1].box == PixelBox(minX: 30, minY: 10, maxX: 36, maxY: 16))
        #expect(labels.objects[2].box == PixelBox(minX: 48.5, minY: 48.5, maxX: 52.5, maxY: 52.5))
        #expect(labels.objects[2].polygon == nil)
        #expect(labels.objects[3].box == PixelBox(minX: 60, minY: 60, maxX: 80, maxY: 80))
        #expect(labels.objects[3].polygon?.count == 2)
        // Rings keep no closing repeat: the pond's outer ring has its 4 corners.
        #expect(labels.objects[3].polygon?[0] == [PixelPoint(x: 60, y: 60), PixelPoint(x: 80, y: 60),
                                                  PixelPoint(x: 80, y: 80), PixelPoint(x: 60, y: 80)])
        #expect(labels.classNames == ["car", "tree", "pond"])
        #expect(labels.warnings.map(\.description) == [
            "\(path): 1 feature skipped: no value in the class field class",
            "\(path): 1 feature with lines or other geometry without area: those parts skipped",
        ])
    }

    // The same layer as a GeoPackage made by ogr2ogr keeping the GeoJSON ids as FIDs: now the
    // format has an id column, so the ids are 10-1, 10-2, 40. An explicit class field is used.
    // Points without a box size are skipped with a warning.
    @Test func geoPackageUsesStoredIDsAndTheChosenClassField() throws {
        let folder = TemporaryFolder()
        try Self.mixedLayer.write(toFile: folder.file("mixed.geojson"), atomically: true, encoding: .utf8)
        let gpkg = folder.file("mixed.gpkg")
        let result = try ExternalCommand.run("ogr2ogr", ["-preserve_fid", "-f", "GPKG", gpkg, folder.file("mixed.geojson")])
        try #require(result.status == 0, "ogr2ogr: \(result.standardError)")
        let labels = try LabelSet.load(path: gpkg, scene: try Self.scene(), options: LabelReadOptions(classField: "KIND"))
        #expect(labels.objects.map(\.id) == ["10-1", "10-2", "40", "50"])
        #expect(labels.objects.map(\.className) == ["vehicle", "vehicle", "water", "unknown"])
        #expect(labels.warnings.contains { $0.message.hasSuffix("points become boxes only with a point box size") })
    }

    // Without a class field among the defaults, every object is `object`.
    @Test func layerWithoutClassFieldGivesOneClass() throws {
        let folder = TemporaryFolder()
        let path = folder.file("plain.geojson")
        try Self.geoJSON([(#""properties": {"name": "a"}"#, #"{"type": "Polygon", "coordinates": \#(Self.square(1, 1, 2))}"#)])
            .write(toFile: path, atomically: true, encoding: .utf8)
        let labels = try LabelSet.load(path: path, scene: try Self.scene())
        #expect(labels.objects.map(\.className) == ["object"])
    }

    // MARK: One clear line per bad input, naming the file first

    /// Writes `text` as `name` in `folder`, loads it onto ``scene()``, and returns the error line.
    static func failure(_ name: String, _ text: String, options: LabelReadOptions = LabelReadOptions(),
                        in folder: TemporaryFolder) throws -> String? {
        let path = folder.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try LabelSet.load(path: path, scene: try scene(), options: options)
            return nil
        } catch let error as ScaleTileError {
            let line = error.description
            #expect(!line.contains("\n"), "one line: \(line)")
            #expect(line.hasPrefix(path + ": "), "names the file first: \(line)")
            return String(line.dropFirst(path.count + 2))
        }
    }

    @Test func missingFile() {
        let error = #expect(throws: ScaleTileError.self) {
            try LabelSet.load(path: "/nonexistent/labels.geojson", scene: try Self.scene())
        }
        #expect(error?.description == "/nonexistent/labels.geojson: no such file")
        #expect(error?.kind == .notFound)
    }

    @Test func brokenFiles() throws {
        let folder = TemporaryFolder()
        // Line 2 is `"images": [,]`: the bad comma is its 12th character.
        #expect(try Self.failure("coco.json", "{\n\"images\": [,]}", in: folder) == "not valid JSON (line 2, column 12)")
        #expect(try Self.failure("boxes.xml", "<annotation>\n<object>\n</annotation>", in: folder)?.hasPrefix("not valid XML (line 3") == true)
        #expect(try Self.failure("boxes.csv", "xmin,ymin,xmax,ymax,label\n1,2,3,4,a\n1,2,3\n", in: folder) == "row 3 has 3 columns, expected 5")
        #expect(try Self.failure("scene.tif.txt", "0 4 0.5 0.1 0.1\n", in: folder)
                == "line 1: cx 4 is outside 0–1 (YOLO values are fractions of the image size)")
        let brokenGeoJSON = try Self.failure("broken.geojson", #"{"type": "FeatureCollection", "features": [ {"#, in: folder)
        // GDAL's own explanation follows (its wording is GDAL's: the line and character of the syntax error).
        #expect(brokenGeoJSON?.hasPrefix("cannot be read as vector labels: ") == true)
        #expect(try Self.failure("labels.dat", "12 34\n", in: folder)
                == "not a label format ScaleTile knows (COCO .json, YOLO .txt, Pascal VOC .xml, CSV boxes, a vector file or a label raster)")
    }

    @Test func emptyLabelSets() throws {
        let folder = TemporaryFolder()
        #expect(try Self.failure("labels.geojson", Self.geoJSON([]), in: folder) == "no objects")
        #expect(try Self.failure("empty.txt", "\n", in: folder) == "no objects")
        // Nothing left after skipping: the reasons are given.
        let onlyLine = Self.geoJSON([(#""properties": {}"#, #"{"type": "LineString", "coordinates": [[500000, 4000000], [500001, 4000001]]}"#)])
        #expect(try Self.failure("lines.geojson", onlyLine, in: folder)
                == "no objects (1 feature with lines or other geometry without area: those parts skipped)")
    }

    // Box 2 has zero width, box 3 lies right of the 100x100 scene: both dropped, with counts.
    @Test func droppedBoxesAreCountedInWarnings() throws {
        let folder = TemporaryFolder()
        let path = folder.file("boxes.csv")
        try "xmin,ymin,xmax,ymax,label\n1,1,5,5,a\n7,1,7,5,a\n120,1,130,5,a\n".write(toFile: path, atomically: true, encoding: .utf8)
        let labels = try LabelSet.load(path: path, scene: try Self.scene())
        #expect(labels.objects.map(\.id) == ["1"])
        #expect(labels.warnings.map(\.description) == ["\(path): 1 box with zero or negative size dropped",
                                                       "\(path): 1 object entirely outside the 100x100 image dropped"])
    }

    // The footprints' coordinates are the scene's UTM 16N ones, but the file says UTM 17N: OGR
    // reprojects them about 600 km away, off the scene, and the error names both CRSs.
    @Test func labelsInTheWrongCRS() throws {
        let folder = TemporaryFolder()
        let layer = Self.geoJSON(crs: "EPSG::32617", [
            (#""properties": {"class": "a"}"#, #"{"type": "Polygon", "coordinates": \#(Self.square(10, 10, 5))}"#),
            (#""properties": {"class": "a"}"#, #"{"type": "Polygon", "coordinates": \#(Self.square(50, 50, 5))}"#),
        ])
        #expect(try Self.failure("labels.geojson", layer, in: folder)
                == "all 2 objects lie outside the 100x100 image: probably the wrong CRS (labels: EPSG:32617, scene: EPSG:32616)")
    }

    @Test func missingClassField() throws {
        let folder = TemporaryFolder()
        let layer = Self.geoJSON([(#""properties": {"class": "a", "name": "b"}"#, #"{"type": "Polygon", "coordinates": \#(Self.square(1, 1, 2))}"#)])
        #expect(try Self.failure("labels.geojson", layer, options: LabelReadOptions(classField: "kind"), in: folder)
                == "has no field kind for the class (fields: class, name)")
    }

    @Test func classOutsideTheList() throws {
        let folder = TemporaryFolder()
        #expect(try Self.failure("boxes.csv", "xmin,ymin,xmax,ymax,label\n1,1,5,5,car\n1,1,5,5,bus\n",
                                 options: LabelReadOptions(classNames: ["car"]), in: folder)
                == "class not in the class list: bus (1 object)")
    }
}
