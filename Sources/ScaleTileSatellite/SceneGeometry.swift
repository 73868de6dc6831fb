import Foundation
import ScaleTileCore

/// What label readers need to know of a scene: its grid size, where the grid lies on the map,
/// and in which CRS.
///
/// Labels in map coordinates are reprojected to ``spatialReference`` and placed on the grid with
/// the inverse of ``geoTransform``; labels in pixel coordinates need only ``size``.
public struct SceneGeometry: Hashable, Sendable {
    /// The level-0 grid size.
    public var size: RasterSize
    /// Pixel to map coordinates; nil for a scene in pixel space (then map = pixel coordinates,
    /// GDAL's convention).
    public var geoTransform: GeoTransform?
    /// The scene's CRS, when it has one.
    public var spatialReference: SpatialReference?
    /// The scene's file name, which picks its entry in label files covering several images.
    public var fileName: String?

    /// A scene geometry from its parts.
    public init(size: RasterSize, geoTransform: GeoTransform? = nil, spatialReference: SpatialReference? = nil,
                fileName: String? = nil) {
        self.size = size
        self.geoTransform = geoTransform
        self.spatialReference = spatialReference
        self.fileName = fileName
    }

    /// The geometry of an open scene.
    public init(_ dataset: Dataset) {
        self.init(size: dataset.size, geoTransform: dataset.geoTransform, spatialReference: dataset.spatialReference,
                  fileName: (dataset.path as NSString).lastPathComponent)
    }

    /// The pixel-to-map transform, GDAL's identity for a scene without one.
    var pixelToMap: GeoTransform { geoTransform ?? .identity }

    /// `EPSG:32616`, or `no CRS`: how messages name the scene's CRS.
    var crsName: String { spatialReference.map(\.shortNameForMessages) ?? "no CRS" }
}

extension SpatialReference {
    /// `EPSG:n`, else the CRS's name from its WKT: short enough for a one-line message.
    var shortNameForMessages: String {
        if let epsg { return "EPSG:\(epsg)" }
        // WKT2 starts `PROJCRS["name",` or `GEOGCRS["name",`.
        if let open = wkt.firstIndex(of: "\""), let close = wkt[wkt.index(after: open)...].firstIndex(of: "\"") {
            return String(wkt[wkt.index(after: open) ..< close])
        }
        return "an unnamed CRS"
    }
}
