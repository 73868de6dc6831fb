internal import CGDAL
import ScaleTileCore

/// An object's footprint in the scene's map coordinates, whole or clipped to a rectangle: what a
/// tile's vector labels hold.
///
/// The geometry is kept as ISO well-known binary (little-endian), a Polygon or MultiPolygon in
/// the scene's CRS, so the value crosses threads and needs no GDAL handle; GDAL, QGIS and
/// shapely all read it.
public struct MapFootprint: Hashable, Sendable {
    /// The object's id.
    public var id: String
    /// The object's class.
    public var className: String
    /// The outline as well-known binary: a Polygon or MultiPolygon.
    public var wellKnownBinary: [UInt8]
    /// Area in the CRS's units squared.
    public var area: Double
    /// The outline's envelope.
    public var bounds: Bounds
    /// The share of the object's area kept: 1 for a whole footprint, less for a clipped one.
    public var areaFraction: Double
    /// The tile the footprint was clipped to, when it was (written as the layer's `tile` field).
    public var tile: String?

    /// A footprint from its parts; `wellKnownBinary` must hold a Polygon or MultiPolygon.
    public init(id: String, className: String, wellKnownBinary: [UInt8], area: Double, bounds: Bounds, areaFraction: Double) {
        self.id = id
        self.className = className
        self.wellKnownBinary = wellKnownBinary
        self.area = area
        self.bounds = bounds
        self.areaFraction = areaFraction
    }

    /// Whether clipping cut part of the object away (beyond rounding).
    public var isTruncated: Bool { areaFraction < 1 - 1e-9 }
}

extension SceneGeometry {
    /// The object's outline (its polygon, else its box) in the scene's map coordinates.
    ///
    /// Vertices go from pixels to the map through the geotransform; a self-intersecting
    /// polygon is repaired by OGR (`OGR_G_MakeValid`) so areas and clipping are meaningful.
    public func footprint(of object: LabeledObject) throws -> MapFootprint {
        try withGDALErrors(nil, kind: .invalidInput) {
            let geometry = try mapGeometry(of: object)
            defer { OGR_G_DestroyGeometry(geometry) }
            return try MapFootprint(object, geometry: geometry, areaFraction: 1)
        }
    }

    /// The footprints of the objects that share area with a map rectangle, clipped to it by OGR
    /// (`OGR_G_Intersection`), in the objects' order.
    ///
    /// Objects that only touch the rectangle's edge are left out. A clipped footprint's
    /// ``MapFootprint/areaFraction`` is its area over the whole footprint's; pieces of lower
    /// dimension the intersection may leave (a shared edge) are dropped.
    public func clip(_ objects: [LabeledObject], to bounds: Bounds) throws -> [MapFootprint] {
        try withGDALErrors(nil, kind: .invalidInput) {
            let window = OGRPolygon.rectangle(minX: bounds.minX, minY: bounds.minY, maxX: bounds.maxX, maxY: bounds.maxY)
            defer { OGR_G_DestroyGeometry(window) }

            var clipped: [MapFootprint] = []
            for object in objects {
                let geometry = try mapGeometry(of: object)
                defer { OGR_G_DestroyGeometry(geometry) }
                var envelope = OGREnvelope()
                OGR_G_GetEnvelope(geometry, &envelope)
                // Envelopes apart: nothing to ask OGR. Envelope inside: the whole footprint.
                if envelope.MaxX <= bounds.minX || envelope.MinX >= bounds.maxX
                    || envelope.MaxY <= bounds.minY || envelope.MinY >= bounds.maxY { continue }
                if envelope.MinX >= bounds.minX && envelope.MaxX <= bounds.maxX
                    && envelope.MinY >= bounds.minY && envelope.MaxY <= bounds.maxY {
                    clipped.append(try MapFootprint(object, geometry: geometry, areaFraction: 1))
                    continue
                }
                let whole = OGR_G_Area(geometry)
                guard let intersection = OGR_G_Intersection(geometry, window) else {
                    throw ScaleTileError(.invalidInput, nil, "object \(object.id): OGR cannot clip its outline")
                }
                defer { OGR_G_DestroyGeometry(intersection) }
                guard let area = Self.polygonalPart(of: intersection) else { continue }
                defer { OGR_G_DestroyGeometry(area) }
                let kept = OGR_G_Area(area)
                guard kept > 0 else { continue }
                clipped.append(try MapFootprint(object, geometry: area, areaFraction: whole > 0 ? min(1, kept / whole) : 0))
            }
            return clipped
        }
    }

    /// A new OGR polygon of the object in map coordinates; the caller destroys it.
    private func mapGeometry(of object: LabeledObject) throws -> OGRGeometryH {
        try OGRPolygon.make(object.rings, of: object.id) { pixelToMap.apply(column: $0.x, row: $0.y) }
    }

    /// The geometry's surfaces alone, as a new Polygon or MultiPolygon (nil when it has none):
    /// an intersection may add the points and lines where outlines merely touch.
    private static func polygonalPart(of geometry: OGRGeometryH) -> OGRGeometryH? {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
        if type == wkbPolygon || type == wkbMultiPolygon { return OGR_G_Clone(geometry) }
        guard type == wkbGeometryCollection else { return nil }
        let parts = OGR_G_CreateGeometry(wkbMultiPolygon)!
        for index in 0 ..< OGR_G_GetGeometryCount(geometry) {
            guard let member = OGR_G_GetGeometryRef(geometry, index) else { continue }
            switch OGR_GT_Flatten(OGR_G_GetGeometryType(member)) {
            case wkbPolygon:
                OGR_G_AddGeometry(parts, member)
            case wkbMultiPolygon:
                for sub in 0 ..< OGR_G_GetGeometryCount(member) { OGR_G_AddGeometry(parts, OGR_G_GetGeometryRef(member, sub)) }
            default:
                break
            }
        }
        guard OGR_G_GetGeometryCount(parts) > 0 else {
            OGR_G_DestroyGeometry(parts)
            return nil
        }
        return parts
    }
}

extension MapFootprint {
    /// Copies an OGR geometry out as well-known binary, with its area and envelope.
    init(_ object: LabeledObject, geometry: OGRGeometryH, areaFraction: Double) throws {
        var bytes = [UInt8](repeating: 0, count: Int(OGR_G_WkbSize(geometry)))
        guard OGR_G_ExportToIsoWkb(geometry, wkbNDR, &bytes) == OGRERR_NONE else {
            throw ScaleTileError(.invalidInput, nil, "object \(object.id): OGR cannot encode its outline")
        }
        var envelope = OGREnvelope()
        OGR_G_GetEnvelope(geometry, &envelope)
        self.init(id: object.id, className: object.className, wellKnownBinary: bytes, area: OGR_G_Area(geometry),
                  bounds: Bounds(minX: envelope.MinX, minY: envelope.MinY, maxX: envelope.MaxX, maxY: envelope.MaxY),
                  areaFraction: areaFraction)
    }
}
