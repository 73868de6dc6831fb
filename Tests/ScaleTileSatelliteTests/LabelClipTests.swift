import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Footprints clipped to a map rectangle by OGR, and written as GeoJSON and GeoPackage.
@Suite("Label footprint clipping", .serialized)
struct LabelClipTests {
    /// A 200x200 scene of 1 m pixels in UTM 33N, top-left corner (1000, 2000):
    /// pixel (c, r) is map (1000 + c, 2000 − r).
    static func scene() throws -> SceneGeometry {
        SceneGeometry(size: RasterSize(width: 200, height: 200),
                      geoTransform: GeoTransform(originX: 1000, originY: 2000, pixelWidth: 1, pixelHeight: -1),
                      spatialReference: try SpatialReference(userInput: "EPSG:32633"))
    }

    /// The tile window of pixels [0, 100) × [0, 100) in map coordinates.
    static let window = Bounds(minX: 1000, minY: 1900, maxX: 1100, maxY: 2000)

    /// A right triangle straddling the window's right edge (x = 100 px), a box inside, a box
    /// outside, and a box touching the edge from outside.
    static let objects = [
        LabeledObject(id: "tri", className: "roof", box: PixelBox(minX: 90, minY: 40, maxX: 110, maxY: 60),
                      polygon: [[PixelPoint(x: 90, y: 40), PixelPoint(x: 110, y: 40), PixelPoint(x: 90, y: 60)]]),
        LabeledObject(id: "in", className: "car", box: PixelBox(minX: 10, minY: 10, maxX: 14, maxY: 12)),
        LabeledObject(id: "out", className: "car", box: PixelBox(minX: 150, minY: 10, maxX: 160, maxY: 20)),
        LabeledObject(id: "touch", className: "car", box: PixelBox(minX: 100, minY: 70, maxX: 110, maxY: 80)),
    ]

    // By hand: the triangle (90,40), (110,40), (90,60) has area ½·20·20 = 200 px². Its hypotenuse
    // is x + y = 150, so the part with x ≤ 100 is {90 ≤ x ≤ 100, 40 ≤ y ≤ 150 − x}, of area
    // ∫₉₀¹⁰⁰ (110 − x) dx = 150: fraction 0.75, in m² as pixels are 1 m. The box inside is whole
    // (4 × 2 = 8 m²); the other two share no area with the window.
    @Test func straddlingPolygonIsClippedToTheWindow() throws {
        let clipped = try Self.scene().clip(Self.objects, to: Self.window)
        #expect(clipped.map(\.id) == ["tri", "in"])
        #expect(abs(clipped[0].area - 150) < 1e-9)
        #expect(abs(clipped[0].areaFraction - 0.75) < 1e-12)
        #expect(clipped[0].isTruncated)
        // The clipped triangle spans x 1090–1100 (pixels 90–100) and y 1940–1960 (rows 60–40).
        #expect(clipped[0].bounds == Bounds(minX: 1090, minY: 1940, maxX: 1100, maxY: 1960))
        #expect(clipped[1].area == 8 && clipped[1].areaFraction == 1 && !clipped[1].isTruncated)
        #expect(clipped[1].bounds == Bounds(minX: 1010, minY: 1988, maxX: 1014, maxY: 1990))
        let whole = try Self.scene().footprint(of: Self.objects[0])
        #expect(abs(whole.area - 200) < 1e-9 && whole.areaFraction == 1)
    }

    /// Shoelace area of a ring of `[x, y]` pairs.
    static func shoelaceArea(_ ring: [[Double]]) -> Double {
        abs(zip(ring, ring.dropFirst() + [ring[0]]).reduce(0) { $0 + $1.0[0] * $1.1[1] - $1.1[0] * $1.0[1] }) / 2
    }

    // The GeoJSON written is read here as plain JSON: features in order with their attributes,
    // the CRS kept, and the clipped ring's shoelace area is the 150 m² worked out above.
    @Test func writesGeoJSONInTheSceneCRS() throws {
        let folder = TemporaryFolder()
        let path = folder.file("objects.geojson")
        let scene = try Self.scene()
        try VectorLayerWriter.write(try scene.clip(Self.objects, to: Self.window), spatialReference: scene.spatialReference, to: path)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let crsName = ((json["crs"] as? [String: Any])?["properties"] as? [String: Any])?["name"] as? String
        #expect(crsName?.hasSuffix("32633") == true)
        let features = json["features"] as! [[String: Any]]
        let properties = features.map { $0["properties"] as! [String: Any] }
        #expect(properties.map { $0["id"] as? String } == ["tri", "in"])
        #expect(properties.map { $0["class"] as? String } == ["roof", "car"])
        #expect(properties.map { $0["areaFraction"] as? Double } == [0.75, 1])
        let geometry = features[0]["geometry"] as! [String: Any]
        #expect(geometry["type"] as? String == "Polygon")
        let ring = (geometry["coordinates"] as! [[[Double]]])[0]
        #expect(abs(Self.shoelaceArea(ring) - 150) < 1e-9)
        #expect(ring.allSatisfy { $0[0] >= 1090 && $0[0] <= 1100 })
    }

    // The same footprints give the same bytes, in both formats (the GeoPackage's timestamp is
    // fixed); ogrinfo, an independent reader, finds both features in the GeoPackage.
    @Test func outputIsReproducible() throws {
        let folder = TemporaryFolder()
        let scene = try Self.scene()
        let footprints = try scene.clip(Self.objects, to: Self.window)
        for name in ["a.geojson", "b.geojson", "a.gpkg", "b.gpkg"] {
            try VectorLayerWriter.write(footprints, spatialReference: scene.spatialReference, to: folder.file(name))
        }
        #expect(FileManager.default.contents(atPath: folder.file("a.geojson")) == FileManager.default.contents(atPath: folder.file("b.geojson")))
        #expect(FileManager.default.contents(atPath: folder.file("a.gpkg")) == FileManager.default.contents(atPath: folder.file("b.gpkg")))
        let info = try ExternalCommand.run("ogrinfo", ["-so", "-al", folder.file("a.gpkg")])
        #expect(info.standardOutput.contains("Feature Count: 2"))
        #expect(info.standardOutput.contains("EPSG\",32633"))
        // No partial files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a.geojson", "a.gpkg", "b.geojson", "b.gpkg"])
    }

    @Test func unknownOutputFormat() throws {
        let error = #expect(throws: ScaleTileError.self) {
            try VectorLayerWriter.write([], spatialReference: nil, to: "/tmp/objects.shp")
        }
        #expect(error?.description == "/tmp/objects.shp: vector labels are written as .geojson or .gpkg")
    }
}
