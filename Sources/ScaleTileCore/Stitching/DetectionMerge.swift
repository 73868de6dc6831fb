/// The rule that joins detections of one object seen by several overlapping windows or levels.
public enum DetectionMergeRule: String, Hashable, Sendable, CaseIterable, Codable {
    /// Non-maximum suppression: the highest score of a group stays, the rest go.
    case nms
    /// Non-maximum merging (SAHI's `GREEDYNMM`): the group becomes the box enclosing all of
    /// its boxes, with the highest score. Joins the pieces of a cut object back into one box.
    case nmm
    /// Weighted boxes fusion: the group becomes the score-weighted mean box, with the mean score.
    case wbf
}

/// Merges detections across windows and levels, class by class (DESIGN.md §7 stitching).
///
/// Greedy, as SAHI's `greedy_nmm`: detections are visited by score (highest first, ties by
/// input order, so the result does not depend on reading order beyond that); each one not yet
/// taken starts a group of every untaken detection of its class whose match with it reaches
/// `threshold`. Candidates are found through a uniform grid, so n detections spread over a
/// scene cost about n log n, not n².
public struct DetectionMerge: Sendable {
    /// How a group becomes one detection.
    public var rule: DetectionMergeRule
    /// How two boxes are compared.
    public var metric: BoxMatchMetric
    /// The match at or above which two boxes are the same object.
    public var threshold: Double

    /// A merge with SAHI's sliced-prediction defaults unless told otherwise.
    public init(rule: DetectionMergeRule = .nmm, metric: BoxMatchMetric = .ios, threshold: Double = 0.5) {
        self.rule = rule; self.metric = metric; self.threshold = threshold
    }

    /// The merged detections, highest score first (ties by input order).
    ///
    /// - Complexity: O(n log n) for boxes smaller than the grid cells; more where many large
    ///   boxes overlap.
    public func merge(_ detections: [Detection]) -> [Detection] {
        guard !detections.isEmpty else { return [] }
        let order = detections.indices.sorted {
            detections[$0].score != detections[$1].score ? detections[$0].score > detections[$1].score : $0 < $1
        }
        var index = BoxGridIndex(boxes: detections.map(\.box))
        var taken = [Bool](repeating: false, count: detections.count)
        var result: [Detection] = []
        result.reserveCapacity(detections.count / 2)
        var candidates: [Int] = []
        for i in order where !taken[i] {
            taken[i] = true
            let seed = detections[i]
            index.candidates(near: seed.box, into: &candidates)
            var group: [Int] = [i]
            for j in candidates where !taken[j] && detections[j].className == seed.className
                && metric.value(seed, detections[j]) >= threshold {
                taken[j] = true
                group.append(j)
            }
            result.append(combined(group.sorted { rank(detections, $0, $1) }, detections))
        }
        return result
    }

    private func rank(_ d: [Detection], _ a: Int, _ b: Int) -> Bool {
        d[a].score != d[b].score ? d[a].score > d[b].score : a < b
    }

    private func combined(_ group: [Int], _ detections: [Detection]) -> Detection {
        var best = detections[group[0]]
        guard group.count > 1 else { return best }
        switch rule {
        case .nms:
            break
        case .nmm:
            for j in group.dropFirst() {
                best.box = best.box.union(detections[j].box)
                best.minZ = Swift.min(best.minZ, detections[j].minZ); best.maxZ = Swift.max(best.maxZ, detections[j].maxZ)
            }
            // The union of the outlines is not computed: the enclosing box grows, the polygon
            // stays the best-scored detection's (README, polygon predictions).
        case .wbf:
            var sx0 = 0.0, sy0 = 0.0, sx1 = 0.0, sy1 = 0.0, sz0 = 0.0, sz1 = 0.0, weights = 0.0
            for j in group {
                let d = detections[j], w = Swift.max(d.score, 1e-12)
                sx0 += w * d.box.minX; sy0 += w * d.box.minY; sx1 += w * d.box.maxX; sy1 += w * d.box.maxY
                sz0 += w * d.minZ; sz1 += w * d.maxZ
                weights += w
            }
            best.box = PixelBox(minX: sx0 / weights, minY: sy0 / weights, maxX: sx1 / weights, maxY: sy1 / weights)
            best.minZ = sz0 / weights; best.maxZ = sz1 / weights
            best.score = group.reduce(0) { $0 + detections[$1].score } / Double(group.count)
        }
        var tiles: [Int] = []
        for j in group { tiles.append(contentsOf: detections[j].tiles) }
        best.tiles = tiles
        return best
    }
}

/// A uniform grid over boxes in compressed rows: each box is listed in every cell it touches,
/// the lists of all cells packed in one array (`starts[cell] ..< starts[cell + 1]`).
///
/// Cells are about twice the median box edge, made larger when the scene would otherwise need
/// more than about four cells per box, so memory stays proportional to the boxes.
struct BoxGridIndex {
    private let cell: Double
    private let originX: Double, originY: Double
    private let columns: Int, rows: Int
    private var starts: [Int32]
    private var members: [Int32]
    /// Per box, the last query that met it: a query reports each box once without sorting.
    private var stamps: [Int32]
    private var query: Int32 = 0

    init(boxes: [PixelBox]) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        var edges: [Double] = []
        edges.reserveCapacity(boxes.count)
        for b in boxes {
            minX = Swift.min(minX, b.minX); minY = Swift.min(minY, b.minY)
            maxX = Swift.max(maxX, b.maxX); maxY = Swift.max(maxY, b.maxY)
            edges.append(Swift.max(b.width, b.height))
        }
        if boxes.isEmpty { minX = 0; minY = 0; maxX = 1; maxY = 1 }
        edges.sort()
        let median = edges.isEmpty ? 16 : edges[edges.count / 2]
        let area = Swift.max(1, (maxX - minX) * (maxY - minY))
        let cell = Swift.max(16, 2 * median, (area / Double(Swift.max(1, 4 * boxes.count))).squareRoot())
        let columns = Swift.max(1, Int(((maxX - minX) / cell).rounded(.down)) + 1)
        let rows = Swift.max(1, Int(((maxY - minY) / cell).rounded(.down)) + 1)
        func span(_ b: PixelBox) -> (Int, Int, Int, Int) {
            (Swift.min(columns - 1, Swift.max(0, Int(((b.minX - minX) / cell).rounded(.down)))),
             Swift.min(columns - 1, Swift.max(0, Int(((b.maxX - minX) / cell).rounded(.down)))),
             Swift.min(rows - 1, Swift.max(0, Int(((b.minY - minY) / cell).rounded(.down)))),
             Swift.min(rows - 1, Swift.max(0, Int(((b.maxY - minY) / cell).rounded(.down)))))
        }
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        for b in boxes {
            let (x0, x1, y0, y1) = span(b)
            for y in y0 ... y1 { for x in x0 ... x1 { counts[y * columns + x + 1] += 1 } }
        }
        for k in 1 ..< counts.count { counts[k] += counts[k - 1] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for (i, b) in boxes.enumerated() {
            let (x0, x1, y0, y1) = span(b)
            for y in y0 ... y1 {
                for x in x0 ... x1 {
                    let c = y * columns + x
                    members[Int(fill[c])] = Int32(i)
                    fill[c] += 1
                }
            }
        }
        self.cell = cell
        self.columns = columns
        self.rows = rows
        originX = minX; originY = minY
        starts = counts
        self.members = members
        stamps = [Int32](repeating: -1, count: boxes.count)
    }

    /// The boxes sharing a cell with `box`, each once (in no particular order).
    mutating func candidates(near box: PixelBox, into out: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        query &+= 1
        let x0 = Swift.min(columns - 1, Swift.max(0, Int(((box.minX - originX) / cell).rounded(.down))))
        let x1 = Swift.min(columns - 1, Swift.max(0, Int(((box.maxX - originX) / cell).rounded(.down))))
        let y0 = Swift.min(rows - 1, Swift.max(0, Int(((box.minY - originY) / cell).rounded(.down))))
        let y1 = Swift.min(rows - 1, Swift.max(0, Int(((box.maxY - originY) / cell).rounded(.down))))
        for y in y0 ... y1 {
            for x in x0 ... x1 {
                let c = y * columns + x
                for k in Int(starts[c]) ..< Int(starts[c + 1]) {
                    let i = Int(members[k])
                    if stamps[i] != query { stamps[i] = query; out.append(i) }
                }
            }
        }
    }
}
