import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// The labelled satellite files in ../shared/data, read through `LabelSet.load`, checked
/// against each other and against GDAL's own tools.
@Suite("Labels on real data", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct LabelRealDataTests {
    static let spacenet = "satellite/labeled/spacenet4_atlanta/"
    static let neon = "satellite/labeled/neon_osbs_trees/"

    static func scene(_ relative: String) throws -> SceneGeometry {
        SceneGeometry(try Dataset(opening: SharedData.path(relative)))
    }

    /// The YOLO file's boxes worked out here from its numbers: `class cx cy w h` × 900 (the
    /// scene is 900x900), corners at centre ∓ half the size.
    static func yoloBoxesByHand() throws -> [PixelBox] {
        let text = try String(contentsOfFile: SharedData.path(spacenet + "sample_geotiff.tif.txt"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let v = line.split(separator: " ").map { Double($0)! }
            let (cx, cy, w, h) = (v[1] * 900, v[2] * 900, v[3] * 900, v[4] * 900)
            return PixelBox(minX: cx - w / 2, minY: cy - h / 2, maxX: cx + w / 2, maxY: cy + h / 2)
        }
    }

    // The 43 GeoJSON footprints and the 43 YOLO boxes are the same buildings: each footprint's
    // box centre has one YOLO centre within 1.5 px, and no YOLO box is matched twice.
    // (The YOLO file was made from these footprints, so the centres agree to rounding.)
    @Test func spacenetFootprintsAndYOLOBoxesAreTheSameBuildings() throws {
        let scene = try Self.scene(Self.spacenet + "sample_geotiff.tif")
        let footprints = try LabelSet.load(path: SharedData.path(Self.spacenet + "geotiff_labels.geojson"), scene: scene)
        let yolo = try LabelSet.load(path: SharedData.path(Self.spacenet + "sample_geotiff.tif.txt"), scene: scene)
        #expect(footprints.objects.count == 43)
        #expect(yolo.objects.count == 43)
        #expect(footprints.warnings.isEmpty && yolo.warnings.isEmpty)

        let byHand = try Self.yoloBoxesByHand()
        let yoloBoxes = yolo.objects.map(\.box)
        for (parsed, expected) in zip(yoloBoxes, byHand) {
            let corners = [(parsed.minX, expected.minX), (parsed.minY, expected.minY), (parsed.maxX, expected.maxX), (parsed.maxY, expected.maxY)]
            #expect(corners.allSatisfy { abs($0.0 - $0.1) < 1e-9 })
        }
        var matched = Set<Int>()
        for object in footprints.objects {
            let (cx, cy) = ((object.box.minX + object.box.maxX) / 2, (object.box.minY + object.box.maxY) / 2)
            let distances = yoloBoxes.map { hypot(($0.minX + $0.maxX) / 2 - cx, ($0.minY + $0.maxY) / 2 - cy) }
            let nearest = distances.indices.min { distances[$0] < distances[$1] }!
            #expect(distances[nearest] < 1.5, "building \(object.id)")
            matched.insert(nearest)
        }
        #expect(matched.count == 43)
    }

    // SOURCES.md: bbox widths 8–54 px. By hand (Python over the GeoJSON with the geotransform
    // 733601, 0.5, 0, 3725139, 0, -0.5): 8.33 to 53.62 px. Every footprint is a Polygon, so
    // the 1-based feature positions are the ids, and `building=yes` names the class.
    @Test func spacenetSizesAndClasses() throws {
        let scene = try Self.scene(Self.spacenet + "sample_geotiff.tif")
        let labels = try LabelSet.load(path: SharedData.path(Self.spacenet + "geotiff_labels.geojson"), scene: scene)
        let widths = labels.objects.map(\.box.width)
        #expect(widths.min()! >= 8 && widths.min()! < 9)
        #expect(widths.max()! > 53 && widths.max()! <= 54)
        #expect(labels.objects.map(\.id) == (1 ... 43).map(String.init))
        #expect(labels.classNames == ["building"])
        #expect(labels.objects.allSatisfy { $0.polygon?.count == 1 && $0.polygon![0].count >= 4 })
    }

    // Vertices of the first footprint, three ways: the reader; `gdaltransform -i` on the scene
    // (GDAL's own map → pixel); and the geotransform inverted by hand: column = (x − 733601) / 0.5,
    // row = (3725139 − y) / 0.5.
    @Test func spacenetVerticesAgreeWithGDALTransform() throws {
        let labelsPath = SharedData.path(Self.spacenet + "geotiff_labels.geojson")
        let scenePath = SharedData.path(Self.spacenet + "sample_geotiff.tif")
        let labels = try LabelSet.load(path: labelsPath, scene: try Self.scene(Self.spacenet + "sample_geotiff.tif"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: labelsPath))) as! [String: Any]
        let firstFeature = (json["features"] as! [[String: Any]])[0]
        let ring = ((firstFeature["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]])[0]
        let vertices = Array(ring.prefix(4))

        let input = vertices.map { "\($0[0]) \($0[1])" }.joined(separator: "\n") + "\n"
        let folder = TemporaryFolder()
        try input.write(toFile: folder.file("points.txt"), atomically: true, encoding: .utf8)
        let result = try ExternalCommand.run("sh", ["-c", "gdaltransform -i '\(scenePath)' < '\(folder.file("points.txt"))'"])
        try #require(result.status == 0, "gdaltransform: \(result.standardError)")
        let gdalPixels = result.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }

        let read = labels.objects[0].polygon![0]
        for (index, vertex) in vertices.enumerated() {
            let byHand = ((vertex[0] - 733601) / 0.5, (3725139 - vertex[1]) / 0.5)
            #expect(abs(read[index].x - byHand.0) < 1e-6 && abs(read[index].y - byHand.1) < 1e-6)
            #expect(abs(read[index].x - gdalPixels[index][0]) < 1e-6 && abs(read[index].y - gdalPixels[index][1]) < 1e-6)
        }
    }

    // The footprints reprojected to WGS 84 by ogr2ogr, then read onto the UTM scene, land on the
    // same pixels as the originals: OGR reprojects them back (to well under a hundredth of a pixel).
    @Test func reprojectedFootprintsLandOnTheSamePixels() throws {
        let folder = TemporaryFolder()
        let original = SharedData.path(Self.spacenet + "geotiff_labels.geojson")
        let wgs84 = folder.file("labels-4326.geojson")
        let result = try ExternalCommand.run("ogr2ogr", ["-t_srs", "EPSG:4326", wgs84, original])
        try #require(result.status == 0, "ogr2ogr: \(result.standardError)")
        let text = try String(contentsOfFile: wgs84, encoding: .utf8)
        #expect(text.contains("-84."), "the copy holds longitudes, not UTM metres")

        let scene = try Self.scene(Self.spacenet + "sample_geotiff.tif")
        let direct = try LabelSet.load(path: original, scene: scene)
        let reprojected = try LabelSet.load(path: wgs84, scene: scene)
        try #require(reprojected.objects.count == direct.objects.count)
        for (a, b) in zip(direct.objects, reprojected.objects) {
            #expect(a.id == b.id)
            for (p, q) in [(a.box.minX, b.box.minX), (a.box.minY, b.box.minY), (a.box.maxX, b.box.maxX), (a.box.maxY, b.box.maxY)] {
                #expect(abs(p - q) < 0.01, "building \(a.id)")
            }
        }
    }

    // CSV and VOC hold the same 61 boxes: equal in order, corners and class. SOURCES.md: widths
    // 17–59 px, heights 20–64 px (xmax − xmin and ymax − ymin of the CSV's integer corners).
    @Test func neonCSVAndVOCGiveTheSameBoxes() throws {
        let scene = try Self.scene(Self.neon + "OSBS_029.tif")
        let csv = try LabelSet.load(path: SharedData.path(Self.neon + "OSBS_029.csv"), scene: scene)
        let voc = try LabelSet.load(path: SharedData.path(Self.neon + "OSBS_029.xml"), scene: scene)
        #expect(csv.objects.count == 61)
        #expect(csv.objects == voc.objects)
        #expect(csv.classNames == ["Tree"] && voc.classNames == ["Tree"])
        #expect(csv.warnings.isEmpty && voc.warnings.isEmpty)
        let widths = csv.objects.map(\.box.width), heights = csv.objects.map(\.box.height)
        #expect(widths.min() == 17 && widths.max() == 59)
        #expect(heights.min() == 20 && heights.max() == 64)
        // The CSV's first row, `OSBS_029.tif,203,67,227,90,Tree`, is box 1.
        #expect(csv.objects[0].box == PixelBox(minX: 203, minY: 67, maxX: 227, maxY: 90))
    }

    // A class list without the file's class is an error naming the class and its count.
    @Test func neonUnknownClass() throws {
        let path = SharedData.path(Self.neon + "OSBS_029.csv")
        let error = #expect(throws: ScaleTileError.self) {
            try LabelSet.load(path: path, scene: try Self.scene(Self.neon + "OSBS_029.tif"),
                              options: LabelReadOptions(classNames: ["Shrub"]))
        }
        #expect(error?.description == "\(path): class not in the class list: Tree (61 objects)")
    }
}
