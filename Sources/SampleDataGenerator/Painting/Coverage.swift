import ScaleTileCore

/// How much of each pixel a shape covers (0 to 1), over the shape's bounding window: the alpha
/// with which the shape is painted, so small objects blend into their pixels as a sensor's
/// footprint would blend them.
struct Coverage {
    /// The window's top-left pixel and size, inside the canvas.
    let x0: Int, y0: Int, width: Int, height: Int
    /// Row-major fractions over the window.
    private(set) var fractions: [Float]

    /// The coverage of `outline` on a `canvasWidth` × `canvasHeight` grid (empty when it lies outside).
    ///
    /// A scanline fill: `subrows` scanlines cross each pixel row; the spans between successive
    /// crossings (even–odd rule) add their exact horizontal overlap with each pixel. Edges are
    /// first sorted into the rows they span, so each scanline meets only its own few: the cost
    /// is the outline's vertex count plus its height times `subrows` plus its area, and large
    /// lakes or a body outline of hundreds of vertices cost little more than their pixels.
    init(_ outline: Outline, canvasWidth: Int, canvasHeight: Int, subrows: Int = 4) {
        let box = outline.box
        x0 = max(0, Int(box.minX.rounded(.down)))
        y0 = max(0, Int(box.minY.rounded(.down)))
        let x1 = min(canvasWidth, Int(box.maxX.rounded(.up)))
        let y1 = min(canvasHeight, Int(box.maxY.rounded(.up)))
        width = max(0, x1 - x0)
        height = max(0, y1 - y0)
        fractions = [Float](repeating: 0, count: width * height)
        guard width > 0, height > 0 else { return }

        let vertices = outline.vertices
        var edgesByRow = [[Int]](repeating: [], count: height)
        for i in vertices.indices {
            let a = vertices[i], b = vertices[(i + 1) % vertices.count]
            let first = max(0, Int(min(a.y, b.y).rounded(.down)) - y0), last = min(height - 1, Int(max(a.y, b.y).rounded(.down)) - y0)
            if first <= last { for row in first ... last { edgesByRow[row].append(i) } }
        }
        let weight = 1 / Double(subrows)
        var crossings: [Double] = []
        for row in 0 ..< height {
            for sub in 0 ..< subrows {
                let y = Double(y0 + row) + (Double(sub) + 0.5) * weight
                crossings.removeAll(keepingCapacity: true)
                for i in edgesByRow[row] {
                    let a = vertices[i], b = vertices[(i + 1) % vertices.count]
                    // Half-open in y, so a scanline through a vertex counts it once.
                    if (a.y <= y) != (b.y <= y) {
                        crossings.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x))
                    }
                }
                crossings.sort()
                var pair = 0
                while pair + 1 < crossings.count {
                    addSpan(from: crossings[pair], to: crossings[pair + 1], row: row, weight: weight)
                    pair += 2
                }
            }
        }
    }

    /// The coverage of an ellipse of semi-axes `radiusX`, `radiusY` centred on `centre` (axis-aligned).
    init(ellipseAt centre: PixelPoint, radiusX: Double, radiusY: Double, canvasWidth: Int, canvasHeight: Int) {
        self.init(Outline.blob(centre: centre, radiusX: radiusX, radiusY: radiusY, angle: 0, wobble: [],
                               vertexCount: max(12, Int(4 * max(radiusX, radiusY)))),
                  canvasWidth: canvasWidth, canvasHeight: canvasHeight)
    }

    private mutating func addSpan(from start: Double, to end: Double, row: Int, weight: Double) {
        let a = max(start, Double(x0)), b = min(end, Double(x0 + width))
        guard b > a else { return }
        let first = Int(a.rounded(.down)), last = Int(b.rounded(.up)) - 1
        for x in first ... last {
            let overlap = min(b, Double(x + 1)) - max(a, Double(x))
            if overlap > 0 { fractions[row * width + (x - x0)] += Float(overlap * weight) }
        }
    }

    /// Calls `body(x, y, fraction)` for every canvas pixel the shape touches, row by row.
    func forEachCovered(_ body: (Int, Int, Float) -> Void) {
        for row in 0 ..< height {
            for column in 0 ..< width {
                let f = fractions[row * width + column]
                if f > 0 { body(x0 + column, y0 + row, min(f, 1)) }
            }
        }
    }
}
