internal import CGDAL
import ScaleTileCore

extension LabeledObject {
    /// The object's outline inside a window, as one ring in level-0 pixels (first point not
    /// repeated): what a YOLO segmentation line holds.
    ///
    /// The outline is the object's polygon (its box when it has none), repaired by OGR
    /// (`OGR_G_MakeValid`) when it self-intersects, and clipped to the window by OGR
    /// (`OGR_G_Intersection`). A YOLO segment is one polygon without holes, so when clipping
    /// leaves several parts (a U-shaped building cut across its arms) the largest by area is
    /// kept, and holes are left out: the outer ring alone. (Ultralytics' own COCO converter
    /// joins parts with zero-width bridges instead, `merge_multi_segment`; its mask-to-segment
    /// helper offers the largest contour, `masks2segments(strategy="largest")`. A bridge draws
    /// a line of pixels that belong to no object, so ScaleTile keeps the largest part.)
    ///
    /// - Returns: nil when nothing with an area lies inside the window.
    public func outline(clippedTo window: Window) throws -> [PixelPoint]? {
        try withGDALErrors(nil, kind: .invalidInput) {
            let geometry = try pixelGeometry()
            defer { OGR_G_DestroyGeometry(geometry) }
            var envelope = OGREnvelope()
            OGR_G_GetEnvelope(geometry, &envelope)
            let x0 = Double(window.x), y0 = Double(window.y), x1 = Double(window.maxX), y1 = Double(window.maxY)
            if envelope.MaxX <= x0 || envelope.MinX >= x1 || envelope.MaxY <= y0 || envelope.MinY >= y1 { return nil }
            // Inside the window and one polygon: nothing for OGR to cut.
            if envelope.MinX >= x0, envelope.MaxX <= x1, envelope.MinY >= y0, envelope.MaxY <= y1,
               OGR_GT_Flatten(OGR_G_GetGeometryType(geometry)) == wkbPolygon {
                return Self.outerRing(of: geometry)
            }
            let rectangle = OGRPolygon.rectangle(minX: x0, minY: y0, maxX: x1, maxY: y1)
            defer { OGR_G_DestroyGeometry(rectangle) }
            guard let intersection = OGR_G_Intersection(geometry, rectangle) else {
                throw ScaleTileError(.invalidInput, nil, "object \(id): OGR cannot clip its outline")
            }
            defer { OGR_G_DestroyGeometry(intersection) }
            guard let largest = Self.largestPolygon(in: intersection) else { return nil }
            return Self.outerRing(of: largest)
        }
    }

    /// A new OGR polygon of the object in level-0 pixels (valid, repaired if need be); the
    /// caller destroys it.
    private func pixelGeometry() throws -> OGRGeometryH {
        try OGRPolygon.make(rings, of: id) { ($0.x, $0.y) }
    }

    /// The polygon of largest area among a geometry's surfaces (a borrowed reference into it),
    /// or nil when it has none with an area; an intersection may hold points and lines too.
    private static func largestPolygon(in geometry: OGRGeometryH) -> OGRGeometryH? {
        switch OGR_GT_Flatten(OGR_G_GetGeometryType(geometry)) {
        case wkbPolygon:
            return OGR_G_Area(geometry) > 0 ? geometry : nil
        case wkbMultiPolygon, wkbGeometryCollection:
            var best: (geometry: OGRGeometryH, area: Double)?
            for index in 0 ..< OGR_G_GetGeometryCount(geometry) {
                guard let member = OGR_G_GetGeometryRef(geometry, index), let part = largestPolygon(in: member) else { continue }
                let area = OGR_G_Area(part)
                if area > (best?.area ?? 0) { best = (part, area) }
            }
            return best?.geometry
        default:
            return nil
        }
    }

    /// A polygon's outer ring without the closing repeat of its first point.
    private static func outerRing(of polygon: OGRGeometryH) -> [PixelPoint] {
        guard let ring = OGR_G_GetGeometryRef(polygon, 0) else { return [] }
        var points = (0 ..< OGR_G_GetPointCount(ring)).map { index in
            PixelPoint(x: OGR_G_GetX(ring, index), y: OGR_G_GetY(ring, index))
        }
        if points.count > 1, points.first == points.last { points.removeLast() }
        return points
    }
}
