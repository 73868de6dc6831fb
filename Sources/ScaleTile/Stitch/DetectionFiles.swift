import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// Writes stitched detections as COCO (scene pixels), GeoJSON (scene CRS or WGS 84) and CSV.
struct DetectionFiles {
    let run: StitchedRun
    let toWGS84: Bool
    /// Class names in output order: the run's categories first (keeping their ids), then new ones by name.
    private let classIDs: [String: Int]
    private let classes: [String]

    init(run: StitchedRun, toWGS84: Bool) throws {
        self.run = run
        self.toWGS84 = toWGS84
        if toWGS84, run.spatialReference == nil {
            throw ScaleTileError.argument("--to-wgs84", "the scene of \(run.folder) has no CRS")
        }
        var ids: [String: Int] = [:]
        for (id, name) in run.categoryNames.sorted(by: { $0.key < $1.key }) where ids[name] == nil { ids[name] = id }
        classIDs = ids
        classes = ids.sorted { $0.value < $1.value }.map(\.key)
    }

    /// Writes the three files into `folder` (created when missing); returns their names.
    func write(_ detections: [Detection], into folder: String) throws -> [String] {
        var ids = classIDs
        var categories = classes
        for d in detections where ids[d.className] == nil {
            ids[d.className] = (ids.values.max() ?? 0) + 1
            categories.append(d.className)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ScaleTileError(.io, folder, "cannot create the output folder")
        }
        let geo = try geoJSON(detections)
        try AtomicFile.write(try StableJSON.document(coco(detections, ids: ids, categories: categories)), to: folder + "/detections.coco.json")
        try AtomicFile.write(geo, to: folder + "/detections.geojson")
        try AtomicFile.write(Data(csv(detections).utf8), to: folder + "/detections.csv")
        return ["detections.coco.json", "detections.geojson", "detections.csv"]
    }

    /// Six decimals: sub-pixel, short and stable.
    private static func rounded(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }

    // MARK: COCO

    struct COCOOutput: Encodable {
        struct Image: Encodable { var id: Int; var file_name: String; var width: Int; var height: Int }
        struct Category: Encodable { var id: Int; var name: String }
        struct Annotation: Encodable {
            var id: Int; var image_id: Int; var category_id: Int; var bbox: [Double]; var area: Double
            var score: Double; var iscrowd: Int; var tiles: [String]
        }
        var images: [Image]
        var categories: [Category]
        var annotations: [Annotation]
    }

    private func coco(_ detections: [Detection], ids: [String: Int], categories: [String]) -> COCOOutput {
        let name = run.source.isEmpty ? "scene" : (run.source as NSString).lastPathComponent
        return COCOOutput(
            images: [.init(id: 1, file_name: name, width: run.sceneSize.width, height: run.sceneSize.height)],
            categories: categories.map { .init(id: ids[$0]!, name: $0) },
            annotations: detections.enumerated().map { k, d in
                .init(id: k + 1, image_id: 1, category_id: ids[d.className]!,
                      bbox: [d.box.minX, d.box.minY, d.box.width, d.box.height].map(Self.rounded),
                      area: Self.rounded(d.box.area), score: Self.rounded(d.score), iscrowd: 0, tiles: d.tiles)
            })
    }

    // MARK: CSV

    private func csv(_ detections: [Detection]) -> String {
        var text = "id,class,score,x,y,width,height,tiles\n"
        for (k, d) in detections.enumerated() {
            let numbers = [d.score, d.box.minX, d.box.minY, d.box.width, d.box.height].map { String(Self.rounded($0)) }
            text += "\(k + 1),\(Self.csvField(d.className)),\(numbers.joined(separator: ",")),\(Self.csvField(d.tiles.joined(separator: ";")))\n"
        }
        return text
    }

    private static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    // MARK: GeoJSON

    struct Feature: Encodable {
        struct Geometry: Encodable { var type = "Polygon"; var coordinates: [[[Double]]] }
        struct Properties: Encodable { var id: Int; var `class`: String; var score: Double; var tiles: [String] }
        var type = "Feature"
        var properties: Properties
        var geometry: Geometry
    }

    struct FeatureCollection: Encodable {
        struct CRS: Encodable {
            struct Name: Encodable { var name: String }
            var type = "name"
            var properties: Name
        }
        var type = "FeatureCollection"
        var crs: CRS?
        var features: [Feature]
    }

    private func geoJSON(_ detections: [Detection]) throws -> Data {
        let transform = run.geoTransform ?? .identity
        // Counter-clockwise on a north-up map (RFC 7946's exterior-ring order).
        var corners: [PixelPoint] = []
        corners.reserveCapacity(detections.count * 4)
        for d in detections {
            for (c, r) in [(d.box.minX, d.box.minY), (d.box.minX, d.box.maxY), (d.box.maxX, d.box.maxY), (d.box.maxX, d.box.minY)] {
                let p = transform.apply(column: c, row: r)
                corners.append(PixelPoint(x: p.x, y: p.y))
            }
        }
        var crsName: String?
        if toWGS84, let srs = run.spatialReference {
            corners = try attributing(to: run.folder) { try srs.transform(corners, to: try SpatialReference.wgs84) }
            crsName = "urn:ogc:def:crs:OGC:1.3:CRS84"
        } else if let epsg = run.spatialReference?.epsg {
            crsName = "urn:ogc:def:crs:EPSG::\(epsg)"
        }
        let digits = toWGS84 ? 1e9 : 1e4
        let features = detections.enumerated().map { k, d in
            var ring = corners[(4 * k) ..< (4 * k + 4)].map { [($0.x * digits).rounded() / digits, ($0.y * digits).rounded() / digits] }
            ring.append(ring[0])
            return Feature(properties: .init(id: k + 1, class: d.className, score: Self.rounded(d.score), tiles: d.tiles),
                           geometry: .init(coordinates: [ring]))
        }
        return try StableJSON.document(FeatureCollection(crs: crsName.map { .init(properties: .init(name: $0)) }, features: features))
    }
}
