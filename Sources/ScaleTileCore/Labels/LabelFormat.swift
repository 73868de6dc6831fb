import Foundation

/// The label formats ScaleTile reads.
public enum LabelFormat: String, Hashable, Sendable, CaseIterable, Codable {
    /// Find the format from the file's extension and first bytes (``detect(fileName:leadingBytes:)``).
    case auto
    /// COCO detection JSON: `images`, `annotations` (`bbox` `[x, y, w, h]`, polygon
    /// `segmentation`), `categories`.
    case coco
    /// YOLO text: one `class cx cy w h` line per box, normalised to the image size.
    case yolo
    /// Pascal VOC XML: `object/name` and `object/bndbox` (`xmin`, `ymin`, `xmax`, `ymax`).
    case voc
    /// CSV boxes with a header naming `xmin`, `ymin`, `xmax`, `ymax` and `label` columns.
    case csv
    /// Any vector source OGR reads (GeoJSON, GeoPackage, Shapefile, FlatGeobuf...), in map coordinates.
    case vector
    /// A raster of integer classes or instance ids; each connected region is an object.
    case raster

    /// File extensions (lower case, no dot) that name each format without a look inside.
    static let vectorExtensions: Set<String> = ["geojson", "gpkg", "shp", "fgb", "kml", "gml", "sqlite", "geojsonl", "geojsons"]
    static let rasterExtensions: Set<String> = ["tif", "tiff", "png", "img", "vrt", "jp2"]

    /// The format of a label file, from its name and its first bytes (a few kilobytes suffice).
    ///
    /// `.json` is COCO when it has `images` or `annotations` keys and a vector (GeoJSON) when it
    /// is a `FeatureCollection` or `Feature`; `.txt` is YOLO, `.xml` Pascal VOC, `.csv` CSV boxes;
    /// GIS vector extensions are vectors and raster extensions label rasters. Returns nil when
    /// neither the name nor the content decides (the caller may then ask GDAL).
    public static func detect(fileName: String, leadingBytes: Data) -> LabelFormat? {
        let fileExtension = (fileName as NSString).pathExtension.lowercased()
        let head = String(decoding: leadingBytes.prefix(65_536), as: UTF8.self)
        switch fileExtension {
        case "json":
            return jsonFlavour(of: head)
        case "txt": return .yolo
        case "xml": return .voc
        case "csv": return .csv
        case _ where vectorExtensions.contains(fileExtension): return .vector
        case _ where rasterExtensions.contains(fileExtension): return .raster
        default:
            let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            if trimmed.hasPrefix("{") { return jsonFlavour(of: head) }
            if trimmed.hasPrefix("<"), head.contains("<annotation") { return .voc }
            return nil
        }
    }

    /// COCO or GeoJSON, judged from the keys near the start of a JSON text.
    private static func jsonFlavour(of head: String) -> LabelFormat? {
        let compact = head.filter { !$0.isWhitespace }
        if compact.contains("\"FeatureCollection\"") || compact.contains("\"type\":\"Feature\"") { return .vector }
        if compact.contains("\"annotations\":") || compact.contains("\"images\":") { return .coco }
        return nil
    }
}
