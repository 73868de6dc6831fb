import Foundation
internal import CGDAL
import ScaleTileCore

/// Reads one layer of any vector source OGR opens (GeoJSON, GeoPackage, Shapefile, ...) into
/// labelled objects on the scene's level-0 pixel grid.
///
/// Each feature's geometry is reprojected by OGR to the scene's CRS when the two differ (both
/// with traditional GIS axis order, x = easting or longitude), then every vertex is placed on the
/// grid with the scene's inverse geotransform. Polygon rings are kept, in pixels, without the
/// closing repeat of the first vertex.
///
/// **Multi-part features** become one object per part, with ids `<feature>-1`, `<feature>-2`, ...:
/// GIS layers use multipolygons as containers (dissolved layers, exports that make every
/// geometry multi), and a part is what is seen as one object in the image; a box around parts
/// far apart would also misstate the object's size. A multipolygon with a single part keeps the
/// feature's id. Curved geometries are linearised by OGR first.
///
/// **Ids** are the layer's stored feature ids when the format has an id column (GeoPackage,
/// SQLite), else the features' 1-based positions in the layer.
///
/// **Classes** come from `LabelReadOptions.classField`, or the first field named `class`,
/// `category`, `label` or `building`; without one every object is `object`. A value `yes` names
/// the class after the field (OpenStreetMap tags buildings `building=yes`).
struct VectorLabelReader {
    let path: String
    let scene: SceneGeometry
    let options: LabelReadOptions

    /// The labels read, and how the layer's CRS is named for messages.
    struct Reading {
        var labels: LabelSet
        var labelCRSName: String
    }

    /// The fields tried, in order, when no class field is given.
    static let defaultClassFields = ["class", "category", "label", "building"]

    func read() throws -> Reading {
        try withGDALErrors(path, kind: .invalidInput) {
            let source = try VectorDataset(opening: path)
            return try read(source)
        }
    }

    private func read(_ source: VectorDataset) throws -> Reading {
        var warnings: [LabelWarning] = []
        let layer = try chooseLayer(in: source, warnings: &warnings)
        let classField = try resolveClassField(of: layer)
        guard let mapToPixel = scene.pixelToMap.inverted() else {
            throw ScaleTileError(.invalidInput, nil, "the scene's geotransform cannot be inverted, so map coordinates have no pixel position")
        }
        let placement = try CRSPlacement(layer: layer, scene: scene)
        warnings += placement.warnings

        let storedIDs = !String(cString: OGR_L_GetFIDColumn(layer)).isEmpty
        var skipped = SkippedFeatures()
        var objects: [LabeledObject] = []
        var position = 0
        OGR_L_ResetReading(layer)
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            position += 1
            let featureID = storedIDs ? String(OGR_F_GetFID(feature)) : String(position)
            guard let stored = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(stored) == 0 else {
                skipped.withoutGeometry += 1
                continue
            }
            var className = "object"
            if let classField {
                guard let value = self.className(of: feature, field: classField) else {
                    skipped.withoutClass += 1
                    continue
                }
                className = value
            }
            guard let geometry = OGR_G_Clone(stored) else { continue }
            defer { OGR_G_DestroyGeometry(geometry) }
            if let transformation = placement.transformation, !Self.reproject(geometry, with: transformation) {
                skipped.notReprojected += 1
                continue
            }
            var parts = GeometryParts()
            parts.collect(geometry, mapToPixel: mapToPixel)
            if parts.hasUnsupported { skipped.unsupported += 1 }
            if !parts.points.isEmpty && options.pointBoxSize == nil { skipped.pointsWithoutSize += 1 }
            let pieces = parts.objectShapes(pointBoxSize: options.pointBoxSize)
            for (index, piece) in pieces.enumerated() {
                let id = pieces.count == 1 ? featureID : "\(featureID)-\(index + 1)"
                objects.append(LabeledObject(id: id, className: className, box: piece.box, polygon: piece.polygon))
            }
        }
        warnings += skipped.warnings(classField: classField?.name, placement: placement)
        return Reading(labels: LabelSet(objects: objects, warnings: warnings), labelCRSName: placement.labelCRSName)
    }

    /// The layer `options.layerName` names, or the first (with a warning when there are others).
    private func chooseLayer(in source: VectorDataset, warnings: inout [LabelWarning]) throws -> OGRLayerH {
        let count = Int(GDALDatasetGetLayerCount(source.handle))
        guard count > 0 else { throw ScaleTileError(.invalidInput, nil, "has no vector layers") }
        let names = (0 ..< count).map { String(cString: OGR_L_GetName(GDALDatasetGetLayer(source.handle, Int32($0)))) }
        if let wanted = options.layerName {
            guard let layer = GDALDatasetGetLayerByName(source.handle, wanted) else {
                throw ScaleTileError(.invalidInput, nil, "has no layer \(wanted) (layers: \(names.joined(separator: ", ")))")
            }
            return layer
        }
        if count > 1 {
            warnings.append(LabelWarning("has \(count) layers; the first, \(names[0]), was read"))
        }
        return GDALDatasetGetLayer(source.handle, 0)
    }

    /// The class attribute: the one asked for (an error when absent), else the first default
    /// name present, else none.
    private func resolveClassField(of layer: OGRLayerH) throws -> (index: Int32, name: String)? {
        let definition = OGR_L_GetLayerDefn(layer)
        let names = (0 ..< OGR_FD_GetFieldCount(definition)).map {
            String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, $0)))
        }
        func field(named wanted: String) -> (index: Int32, name: String)? {
            names.firstIndex { $0.caseInsensitiveCompare(wanted) == .orderedSame }.map { (Int32($0), names[$0]) }
        }
        if let wanted = options.classField {
            guard let found = field(named: wanted) else {
                let listed = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", ..." : "")
                throw ScaleTileError(.invalidInput, nil,
                                     "has no field \(wanted) for the class (fields: \(names.isEmpty ? "none" : listed))")
            }
            return found
        }
        return Self.defaultClassFields.lazy.compactMap(field(named:)).first
    }

    /// The class of a feature: its field value (`yes` names the class after the field), or nil
    /// when the field is null or blank.
    private func className(of feature: OGRFeatureH, field: (index: Int32, name: String)) -> String? {
        guard OGR_F_IsFieldSetAndNotNull(feature, field.index) != 0 else { return nil }
        let value = String(cString: OGR_F_GetFieldAsString(feature, field.index)).trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return nil }
        return value.lowercased() == "yes" ? field.name : value
    }

    /// Reprojects in place; a failure (a point outside the target CRS's domain) is reported
    /// by the caller as a count, so its GDAL message is kept out of the reader's error scope.
    private static func reproject(_ geometry: OGRGeometryH, with transformation: OGRCoordinateTransformationH) -> Bool {
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        let result = OGR_G_Transform(geometry, transformation)
        st_gdal_pop_errors()
        return result == OGRERR_NONE
    }

}

/// An open vector dataset (`GDALDatasetH` opened with `GDAL_OF_VECTOR`), closed when dropped.
///
/// Not `Sendable`: like a raster ``Dataset``, an OGR dataset belongs to one thread.
final class VectorDataset {
    let handle: GDALDatasetH

    /// Opens `path` read-only as a vector source.
    ///
    /// - Throws: `.invalidInput` with GDAL's own explanation when it has one (a GeoJSON syntax
    ///   error gives its line and character).
    init(opening path: String) throws {
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        let opened = GDALOpenEx(path, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR), nil, nil, nil)
        st_gdal_pop_errors()
        guard let opened else {
            let detail = messages.failures > 0 ? GDALMessage.text(of: &messages.first_error) : ""
            if detail.isEmpty || detail.contains("not recognized as") {
                throw ScaleTileError(.invalidInput, nil, "not a vector file OGR can read")
            }
            throw ScaleTileError(.invalidInput, nil, "cannot be read as vector labels: \(Dataset.stripPath(detail, path))")
        }
        handle = opened
    }

    deinit { GDALClose(handle) }
}

/// How a layer's coordinates reach the scene's CRS: the transformation when the CRSs differ
/// (owned, destroyed with this value), and warnings when one side has no CRS.
private final class CRSPlacement {
    /// Nil when no reprojection is needed (same CRS, or one side without a CRS).
    let transformation: OGRCoordinateTransformationH?
    let labelCRSName: String
    let sceneCRSName: String
    let warnings: [LabelWarning]

    init(layer: OGRLayerH, scene: SceneGeometry) throws {
        sceneCRSName = scene.crsName
        guard let layerSRS = OGR_L_GetSpatialRef(layer) else {
            labelCRSName = "no CRS"
            transformation = nil
            warnings = scene.spatialReference == nil ? [] : [LabelWarning("the labels have no CRS; read as the scene's, \(scene.crsName)")]
            return
        }
        labelCRSName = SpatialReference(borrowing: layerSRS).shortNameForMessages
        guard let sceneSRS = scene.spatialReference?.makeHandle() else {
            transformation = nil
            warnings = [LabelWarning("the scene has no CRS; the labels' \(labelCRSName) coordinates are used as they are")]
            return
        }
        defer { OSRDestroySpatialReference(sceneSRS) }
        // The layer's own handle keeps the axis order its driver reads; a clone set to
        // traditional GIS order (x = easting/longitude) matches the scene's handle.
        guard let labelSRS = OSRClone(layerSRS) else {
            throw ScaleTileError(.io, nil, "cannot copy the labels' CRS")
        }
        defer { OSRDestroySpatialReference(labelSRS) }
        OSRSetAxisMappingStrategy(labelSRS, OAMS_TRADITIONAL_GIS_ORDER)
        warnings = []
        if OSRIsSame(labelSRS, sceneSRS) != 0 {
            transformation = nil
            return
        }
        var created: OGRCoordinateTransformationH?
        try gdalCheck(nil, kind: .invalidInput, what: "reprojecting from \(labelCRSName) to \(sceneCRSName)") {
            created = OCTNewCoordinateTransformation(labelSRS, sceneSRS)
            return created != nil
        }
        transformation = created
    }

    deinit {
        if let transformation { OCTDestroyCoordinateTransformation(transformation) }
    }
}

/// The polygons and points of a geometry, in pixels; other kinds (lines) are only noted.
private struct GeometryParts {
    /// Each polygon's rings, outer ring first.
    var polygons: [[[PixelPoint]]] = []
    var points: [PixelPoint] = []
    var hasUnsupported = false

    mutating func collect(_ geometry: OGRGeometryH, mapToPixel: GeoTransform) {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
        if OGR_GT_IsNonLinear(type) != 0 {
            // Curve polygons and compound curves: OGR's default linearisation.
            guard let linear = OGR_G_GetLinearGeometry(geometry, 0, nil) else { hasUnsupported = true; return }
            defer { OGR_G_DestroyGeometry(linear) }
            collect(linear, mapToPixel: mapToPixel)
            return
        }
        switch type {
        case wkbPolygon, wkbTriangle:
            let rings = (0 ..< OGR_G_GetGeometryCount(geometry)).map {
                Self.points(of: OGR_G_GetGeometryRef(geometry, $0), mapToPixel: mapToPixel, dropClosingPoint: true)
            }
            if let outer = rings.first, !outer.isEmpty { polygons.append(rings) }
        case wkbPoint:
            points += Self.points(of: geometry, mapToPixel: mapToPixel, dropClosingPoint: false)
        case wkbMultiPolygon, wkbMultiPoint, wkbGeometryCollection, wkbPolyhedralSurface, wkbTIN:
            for index in 0 ..< OGR_G_GetGeometryCount(geometry) {
                collect(OGR_G_GetGeometryRef(geometry, index), mapToPixel: mapToPixel)
            }
        default:
            hasUnsupported = true
        }
    }

    /// One box (and polygon) per polygon part, then one box per point when points have a size.
    func objectShapes(pointBoxSize: Double?) -> [(box: PixelBox, polygon: [[PixelPoint]]?)] {
        let polygonShapes = polygons.map { rings in (box: Self.envelope(of: rings[0]), polygon: Optional(rings)) }
        guard let size = pointBoxSize else { return polygonShapes }
        return polygonShapes + points.map { point in
            (box: PixelBox(minX: point.x - size / 2, minY: point.y - size / 2, maxX: point.x + size / 2, maxY: point.y + size / 2),
             polygon: nil)
        }
    }

    /// The box of a ring: the extreme vertices.
    private static func envelope(of ring: [PixelPoint]) -> PixelBox {
        var box = PixelBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for point in ring {
            box.minX = min(box.minX, point.x); box.maxX = max(box.maxX, point.x)
            box.minY = min(box.minY, point.y); box.maxY = max(box.maxY, point.y)
        }
        return box
    }

    /// The vertices of a ring or point, mapped to pixels (read in one `OGR_G_GetPoints` call).
    private static func points(of geometry: OGRGeometryH?, mapToPixel: GeoTransform, dropClosingPoint: Bool) -> [PixelPoint] {
        guard let geometry else { return [] }
        let count = Int(OGR_G_GetPointCount(geometry))
        guard count > 0 else { return [] }
        var xs = [Double](repeating: 0, count: count), ys = [Double](repeating: 0, count: count)
        xs.withUnsafeMutableBytes { x in
            ys.withUnsafeMutableBytes { y in
                _ = OGR_G_GetPoints(geometry, x.baseAddress, Int32(MemoryLayout<Double>.stride),
                                    y.baseAddress, Int32(MemoryLayout<Double>.stride), nil, 0)
            }
        }
        var pixels = zip(xs, ys).map { x, y in
            let pixel = mapToPixel.apply(column: x, row: y)
            return PixelPoint(x: pixel.x, y: pixel.y)
        }
        if dropClosingPoint, pixels.count > 1, pixels.first == pixels.last { pixels.removeLast() }
        return pixels
    }
}

/// Features left out, by reason, for the warnings.
private struct SkippedFeatures {
    var withoutGeometry = 0
    var withoutClass = 0
    var notReprojected = 0
    var unsupported = 0
    var pointsWithoutSize = 0

    func warnings(classField: String?, placement: CRSPlacement) -> [LabelWarning] {
        var list: [LabelWarning] = []
        func note(_ count: Int, _ text: String) {
            if count > 0 { list.append(LabelWarning("\(count.counted("feature", "features")) \(text)")) }
        }
        note(withoutGeometry, "skipped: no geometry")
        note(withoutClass, "skipped: no value in the class field \(classField ?? "")")
        note(notReprojected, "skipped: cannot be reprojected from \(placement.labelCRSName) to \(placement.sceneCRSName)")
        note(unsupported, "with lines or other geometry without area: those parts skipped")
        note(pointsWithoutSize, "with points: the points skipped, since points become boxes only with a point box size")
        return list
    }
}
