import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// A generated satellite scene: its pixels, where they lie on the map, and its labelled objects
/// (outlines in level-0 pixels), ready to be written as a GeoTIFF and a label file.
struct SyntheticScene {
    var pixels: RasterBuffer
    var geoTransform: GeoTransform
    /// The CRS as GDAL takes it from a user: `EPSG:32615`.
    var crs: String
    var nodata: Double?
    /// GDAL colour interpretation names, one per band (`Red`, `Undefined`, …).
    var colorInterpretations: [String]
    var objects: [LabeledObject]

    /// GeoTIFF layout of every sample scene: DESIGN.md §2's tile defaults (DEFLATE with the
    /// horizontal predictor, 256-pixel internal tiles) at zlib's strongest level, since the
    /// files are written once and read many times.
    static let creationOptions = ["COMPRESS": "DEFLATE", "PREDICTOR": "2", "ZLEVEL": "9",
                                  "TILED": "YES", "BLOCKXSIZE": "256", "BLOCKYSIZE": "256"]

    /// Writes the pixels, georeferenced, as a tiled GeoTIFF.
    func writeGeoTIFF(to path: String) throws {
        let encoder = try SceneTileEncoder(format: .gtiff, pixelType: pixels.pixelType, userOptions: Self.creationOptions,
                                           spatialReference: SpatialReference(userInput: crs),
                                           nodata: Array(repeating: nodata, count: pixels.bandCount),
                                           colorInterpretations: colorInterpretations)
        try encoder.write(pixels, geoTransform: geoTransform, to: path)
    }

    /// Writes the objects' outlines in the scene's CRS as GeoJSON, each with its `id` and `class`.
    func writeGeoJSON(to path: String, layerName: String) throws {
        let srs = try SpatialReference(userInput: crs)
        let geometry = SceneGeometry(size: pixels.size, geoTransform: geoTransform, spatialReference: srs)
        let footprints = try objects.map { try geometry.footprint(of: $0) }
        try VectorLayerWriter.write(footprints, spatialReference: srs, to: path, layerName: layerName)
    }

    /// Writes the objects as a COCO detection file for the one image `imageName`: boxes
    /// `[x, y, width, height]` and single-polygon segmentations in pixels, categories numbered
    /// from 1 in the order of `classNames`.
    func writeCOCO(imageName: String, classNames: [String], supercategory: String, to path: String) throws {
        let categoryIDs = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0 + 1) })
        let annotations = objects.enumerated().map { index, object -> COCODataset.Annotation in
            let outline = object.polygon.map { Outline($0[0]) }
            return COCODataset.Annotation(
                id: index + 1, imageID: 1, categoryID: categoryIDs[object.className]!,
                bbox: [object.box.minX, object.box.minY, object.box.width, object.box.height].map(Self.tidy),
                segmentation: outline.map { .polygons([$0.vertices.flatMap { [Self.tidy($0.x), Self.tidy($0.y)] }]) },
                area: Self.tidy(outline?.area ?? object.box.area), iscrowd: 0)
        }
        let dataset = COCODataset(
            images: [COCODataset.Image(id: 1, fileName: imageName, width: pixels.size.width, height: pixels.size.height)],
            annotations: annotations,
            categories: classNames.map { COCODataset.Category(id: categoryIDs[$0]!, name: $0, supercategory: supercategory) })
        // One line, as COCO files usually are: pretty-printing would triple the file.
        try AtomicFile.write(StableJSON.line(dataset), to: path)
    }

    /// A coordinate to two decimals: outlines are rounded to 1/100 pixel already, and
    /// subtracting two of them must not print as 12.399999999999999.
    private static func tidy(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
