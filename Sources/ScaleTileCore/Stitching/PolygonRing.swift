/// One closed polygon outline (first point not repeated), as polygon predictions carry it:
/// the area, bounds and clipping that stitching needs, on plain points.
public enum PolygonRing {
    /// The signed area (shoelace): positive when the points turn counter-clockwise in a
    /// y-up frame (clockwise on a y-down pixel grid).
    public static func signedArea(_ ring: [PixelPoint]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        for k in ring.indices {
            let a = ring[k], b = ring[(k + 1) % ring.count]
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }

    /// The area enclosed.
    public static func area(_ ring: [PixelPoint]) -> Double { abs(signedArea(ring)) }

    /// The smallest box holding the ring, or nil for fewer than three points.
    public static func bounds(_ ring: [PixelPoint]) -> PixelBox? {
        guard ring.count >= 3 else { return nil }
        var b = PixelBox(minX: ring[0].x, minY: ring[0].y, maxX: ring[0].x, maxY: ring[0].y)
        for p in ring.dropFirst() {
            b.minX = Swift.min(b.minX, p.x); b.minY = Swift.min(b.minY, p.y)
            b.maxX = Swift.max(b.maxX, p.x); b.maxY = Swift.max(b.maxY, p.y)
        }
        return b
    }

    /// The part of the ring inside `box` (Sutherland–Hodgman against its four edges: exact
    /// for a box, which is convex), or nil when nothing with an area is left.
    public static func clipped(_ ring: [PixelPoint], to box: PixelBox) -> [PixelPoint]? {
        var points = ring
        // Each edge: inside test and the crossing of segment a→b with the edge's line.
        let edges: [(inside: (PixelPoint) -> Bool, cross: (PixelPoint, PixelPoint) -> PixelPoint)] = [
            ({ $0.x >= box.minX }, { a, b in PixelPoint(x: box.minX, y: a.y + (b.y - a.y) * (box.minX - a.x) / (b.x - a.x)) }),
            ({ $0.x <= box.maxX }, { a, b in PixelPoint(x: box.maxX, y: a.y + (b.y - a.y) * (box.maxX - a.x) / (b.x - a.x)) }),
            ({ $0.y >= box.minY }, { a, b in PixelPoint(x: a.x + (b.x - a.x) * (box.minY - a.y) / (b.y - a.y), y: box.minY) }),
            ({ $0.y <= box.maxY }, { a, b in PixelPoint(x: a.x + (b.x - a.x) * (box.maxY - a.y) / (b.y - a.y), y: box.maxY) }),
        ]
        for edge in edges {
            guard !points.isEmpty else { return nil }
            var out: [PixelPoint] = []
            for k in points.indices {
                let current = points[k], previous = points[(k + points.count - 1) % points.count]
                if edge.inside(current) {
                    if !edge.inside(previous) { out.append(edge.cross(previous, current)) }
                    out.append(current)
                } else if edge.inside(previous) {
                    out.append(edge.cross(previous, current))
                }
            }
            points = out
        }
        return area(points) > 0 ? points : nil
    }

    /// Whether the ring is convex (every turn the same way; collinear points allowed).
    public static func isConvex(_ ring: [PixelPoint]) -> Bool {
        guard ring.count >= 3 else { return false }
        var sign = 0.0
        for k in ring.indices {
            let a = ring[k], b = ring[(k + 1) % ring.count], c = ring[(k + 2) % ring.count]
            let turn = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
            if turn == 0 { continue }
            if sign == 0 { sign = turn } else if (turn > 0) != (sign > 0) { return false }
        }
        return sign != 0
    }

    /// The area two rings share, exact when at least one of them is convex (the other is
    /// clipped by it, Sutherland–Hodgman); nil when both are concave.
    public static func intersectionArea(_ a: [PixelPoint], _ b: [PixelPoint]) -> Double? {
        if isConvex(b) { return area(clipped(a, byConvex: b)) }
        if isConvex(a) { return area(clipped(b, byConvex: a)) }
        return nil
    }

    /// `subject` clipped by the convex ring `clip`.
    static func clipped(_ subject: [PixelPoint], byConvex clip: [PixelPoint]) -> [PixelPoint] {
        let orientation: Double = signedArea(clip) >= 0 ? 1 : -1
        var points = subject
        for k in clip.indices {
            guard !points.isEmpty else { return [] }
            let p = clip[k], q = clip[(k + 1) % clip.count]
            // Left of p→q (for a counter-clockwise clip) is inside.
            func side(_ r: PixelPoint) -> Double { orientation * ((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)) }
            func cross(_ a: PixelPoint, _ b: PixelPoint) -> PixelPoint {
                let sa = side(a), sb = side(b), t = sa / (sa - sb)
                return PixelPoint(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))
            }
            var out: [PixelPoint] = []
            for j in points.indices {
                let current = points[j], previous = points[(j + points.count - 1) % points.count]
                if side(current) >= 0 {
                    if side(previous) < 0 { out.append(cross(previous, current)) }
                    out.append(current)
                } else if side(previous) >= 0 {
                    out.append(cross(previous, current))
                }
            }
            points = out
        }
        return points
    }
}
