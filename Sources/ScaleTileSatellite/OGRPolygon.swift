internal import CGDAL
import ScaleTileCore

/// OGR polygons made from labels and windows, for clipping and measuring with OGR. Each
/// returns a new geometry the caller destroys.
enum OGRPolygon {
    /// A polygon of `rings` (outer ring first), each vertex placed by `vertex`, closed, and
    /// repaired by OGR (`OGR_G_MakeValid`) when it self-intersects, so areas and clipping are
    /// meaningful.
    static func make(_ rings: [[PixelPoint]], of objectID: String, vertex: (PixelPoint) -> (x: Double, y: Double)) throws -> OGRGeometryH {
        let polygon = OGR_G_CreateGeometry(wkbPolygon)!
        for points in rings {
            let ring = OGR_G_CreateGeometry(wkbLinearRing)
            for point in points {
                let placed = vertex(point)
                OGR_G_AddPoint_2D(ring, placed.x, placed.y)
            }
            OGR_G_AddGeometryDirectly(polygon, ring)
        }
        OGR_G_CloseRings(polygon)
        guard OGR_G_IsValid(polygon) == 0 else { return polygon }
        defer { OGR_G_DestroyGeometry(polygon) }
        guard let repaired = OGR_G_MakeValid(polygon) else {
            throw ScaleTileError(.invalidInput, nil, "object \(objectID): its outline is invalid and OGR cannot repair it")
        }
        return repaired
    }

    /// The rectangle [minX, maxX] × [minY, maxY].
    static func rectangle(minX: Double, minY: Double, maxX: Double, maxY: Double) -> OGRGeometryH {
        let rectangle = OGR_G_CreateGeometry(wkbPolygon)!
        let ring = OGR_G_CreateGeometry(wkbLinearRing)
        for (x, y) in [(minX, minY), (maxX, minY), (maxX, maxY), (minX, maxY), (minX, minY)] { OGR_G_AddPoint_2D(ring, x, y) }
        OGR_G_AddGeometryDirectly(rectangle, ring)
        return rectangle
    }
}
