import Foundation
import ScaleTileCore

/// A closed polygon in pixel coordinates (x right, y down), its first vertex not repeated: the
/// shape of an object, both painted into the pixels and written as its label.
///
/// Because the painted pixels and the label come from the same vertices, every label matches
/// its object exactly. Vertices are rounded (``rounded(to:)``) before either use: to 1/8 pixel
/// for labels written in map coordinates, since with the samples' pixel sizes and origins
/// that makes every map coordinate an exact binary fraction (GDAL's GeoJSON writer prints
/// 15 decimals of any other), and to 1/100 pixel for labels in pixels. Rounding also absorbs
/// the last-bit differences of `sin` and `cos` between C libraries.
struct Outline: Hashable {
    var vertices: [PixelPoint]

    init(_ vertices: [PixelPoint]) {
        precondition(vertices.count >= 3, "an outline needs three vertices")
        self.vertices = vertices
    }

    /// A rectangle `length` along its heading and `width` across, centred on `centre`, turned
    /// `angle` radians clockwise from the +x axis (y points down).
    static func rectangle(centre: PixelPoint, length: Double, width: Double, angle: Double) -> Outline {
        let l = length / 2, w = width / 2
        return Outline([(-l, -w), (l, -w), (l, w), (-l, w)].map { centre.offset(by: $0, turnedBy: angle) })
    }

    /// An L-shaped building: a `length` × `width` rectangle with a `notchLength` × `notchWidth`
    /// corner removed, turned and centred like ``rectangle(centre:length:width:angle:)``.
    static func lShape(centre: PixelPoint, length: Double, width: Double, notchLength: Double, notchWidth: Double,
                       angle: Double) -> Outline {
        precondition(notchLength < length && notchWidth < width, "the notch must leave an L")
        let l = length / 2, w = width / 2
        let corners = [(-l, -w), (l - notchLength, -w), (l - notchLength, -w + notchWidth), (l, -w + notchWidth),
                       (l, w), (-l, w)]
        return Outline(corners.map { centre.offset(by: $0, turnedBy: angle) })
    }

    /// A ship's hull seen from above: a rectangle whose bow narrows to a point over its last
    /// 15 % (about the share of a merchant ship's length the bow takes).
    static func hull(centre: PixelPoint, length: Double, beam: Double, heading: Double) -> Outline {
        let l = length / 2, w = beam / 2, shoulder = l - 0.3 * l
        let corners = [(-l, -w), (shoulder, -w), (l, 0), (shoulder, w), (-l, w)]
        return Outline(corners.map { centre.offset(by: $0, turnedBy: heading) })
    }

    /// A rounded blob (lake, town, lung, nucleus): an ellipse of semi-axes `radiusX`, `radiusY`
    /// turned by `angle`, whose radius wobbles by the given harmonics (relative amplitude and
    /// phase of cos(kθ + φ) for k = 2, 3, …), sampled at `vertexCount` points.
    static func blob(centre: PixelPoint, radiusX: Double, radiusY: Double, angle: Double,
                     wobble: [(amplitude: Double, phase: Double)], vertexCount: Int) -> Outline {
        let points = (0 ..< vertexCount).map { index -> PixelPoint in
            let theta = 2 * Double.pi * Double(index) / Double(vertexCount)
            var scale = 1.0
            for (k, term) in wobble.enumerated() {
                scale += term.amplitude * cos(Double(k + 2) * theta + term.phase)
            }
            return centre.offset(by: (radiusX * scale * cos(theta), radiusY * scale * sin(theta)), turnedBy: angle)
        }
        return Outline(points)
    }

    /// Random wobble terms for ``blob(centre:radiusX:radiusY:angle:wobble:vertexCount:)``: `count`
    /// harmonics whose amplitudes fall off as 1/k from `strength`.
    static func randomWobble(count: Int, strength: Double, using random: inout SeededRandom) -> [(amplitude: Double, phase: Double)] {
        (0 ..< count).map { k in
            (amplitude: strength * (0.5 + random.unit()) / Double(k + 1), phase: 2 * Double.pi * random.unit())
        }
    }

    /// The outline with every coordinate rounded to a multiple of `step` pixels.
    func rounded(to step: Double) -> Outline {
        Outline(vertices.map { PixelPoint(x: ($0.x / step).rounded() * step, y: ($0.y / step).rounded() * step) })
    }

    /// The area in square pixels (shoelace formula).
    var area: Double {
        var twice = 0.0
        for (i, a) in vertices.enumerated() {
            let b = vertices[(i + 1) % vertices.count]
            twice += a.x * b.y - b.x * a.y
        }
        return abs(twice) / 2
    }

    /// The axis-aligned box around the outline.
    var box: PixelBox {
        PixelBox(minX: vertices.map(\.x).min()!, minY: vertices.map(\.y).min()!,
                 maxX: vertices.map(\.x).max()!, maxY: vertices.map(\.y).max()!)
    }

    /// The label of the object this outline draws.
    func labeledObject(id: String, className: String) -> LabeledObject {
        LabeledObject(id: id, className: className, box: box, polygon: [vertices])
    }
}

extension PixelPoint {
    /// This point moved by `offset`, given in a frame turned `angle` radians clockwise.
    func offset(by offset: (Double, Double), turnedBy angle: Double) -> PixelPoint {
        let c = cos(angle), s = sin(angle)
        return PixelPoint(x: x + offset.0 * c - offset.1 * s, y: y + offset.0 * s + offset.1 * c)
    }
}
