import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Seeded mutation test of GeoJSON labels read through OGR onto a scene: each mutated file is
/// read into objects every later step can use, or refused with a ``ScaleTileError`` naming the
/// file — never a trap. Fewer cases than the pure parsers: each goes through a file and OGR.
@Suite("Fuzz: GeoJSON labels", .serialized)
struct FuzzGeoJSONLabelTests {
    /// 791x718 pixels of 10 m in UTM 33N, top-left (500000, 4000000).
    static func scene() throws -> SceneGeometry {
        SceneGeometry(size: RasterSize(width: 791, height: 718),
                      geoTransform: GeoTransform(originX: 500_000, originY: 4_000_000, pixelWidth: 10, pixelHeight: -10),
                      spatialReference: try SpatialReference(userInput: "EPSG:32633"), fileName: "scene.tif")
    }

    static let geojson = """
    {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32633"}},
     "features": [
      {"type": "Feature", "properties": {"class": "ship"}, "geometry": {"type": "Polygon", "coordinates": [[[500100, 3999900], [500300, 3999900], [500300, 3999700], [500100, 3999700], [500100, 3999900]]]}},
      {"type": "Feature", "properties": {"class": "boat"}, "geometry": {"type": "Point", "coordinates": [505000.5, 3996000]}},
      {"type": "Feature", "properties": {"class": "ship"}, "geometry": {"type": "Polygon", "coordinates": [[[507000, 3995000], [507800, 3995000], [507800, 3994400], [507000, 3994400], [507000, 3995000]]]}}]}
    """

    @Test func mutatedGeoJSON() throws {
        let t = TemporaryFolder()
        let scene = try Self.scene()
        var mutator = InputMutator(Self.geojson, seed: FuzzBudget.seed(41))
        var read = 0, refused = 0
        for index in 0..<FuzzBudget.cases(2_000) / 5 {
            let path = t.file("labels-\(index).geojson")
            try mutator.next().write(to: URL(fileURLWithPath: path))
            do {
                let labels = try LabelSet.load(path: path, scene: scene)
                for object in labels.objects {
                    let window = object.box.enclosingWindow
                    #expect(window.x > -2 * 791 && window.maxX < 3 * 791 && window.y > -2 * 718 && window.maxY < 3 * 718,
                            "case \(index): \(window)")
                }
                read += 1
            } catch let error as ScaleTileError {
                #expect(error.description.hasPrefix(path + ": "), "case \(index): \(error)")
                refused += 1
            } catch {
                Issue.record("case \(index): \(type(of: error)) \(error)")
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        #expect(read > 20 && refused > 20, "read \(read), refused \(refused)")
    }
}
