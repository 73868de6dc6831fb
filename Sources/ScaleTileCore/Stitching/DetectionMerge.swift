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
        let index = BoxGridIndex(boxes: detections.map(\.box))
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
                && metric.value(seed.box, detections[j].box) >= threshold {
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
            for j in group.dropFirst() { best.box = best.box.union(detections[j].box) }
        case .wbf:
            var sx0 = 0.0, sy0 = 0.0, sx1 = 0.0, sy1 = 0.0, weights = 0.0
            for j in group {
                let d = detections[j], w = Swift.max(d.score, 1e-12)
                sx0 += w * d.box.minX; sy0 += w * d.box.minY; sx1 += w * d.box.maxX; sy1 += w * d.box.maxY
                weights += w
            }
            best.box = PixelBox(minX: sx0 / weights, minY: sy0 / weights, maxX: sx1 / weights, maxY: sy1 / weights)
            best.score = group.reduce(0) { $0 + detections[$1].score } / Double(group.count)
        }
        var tiles: [String] = []
        for j in group { tiles.append(contentsOf: detections[j].tiles) }
        best.tiles = tiles
        return best
    }
}

/// A uniform grid over boxes: each box is listed in every cell it touches.
struct BoxGridIndex {
    let cell: Double
    private var cells: [Int64: [Int]] = [:]

    init(boxes: [PixelBox]) {
        // Cells about twice the median box edge keep lists short for the common sizes;
        // large boxes span several cells and are found from any of them.
        let edges = boxes.map { Swift.max($0.width, $0.height) }.sorted()
        cell = Swift.max(16, 2 * (edges.isEmpty ? 16 : edges[edges.count / 2]))
        for (i, b) in boxes.enumerated() {
            for key in keys(b) { cells[key, default: []].append(i) }
        }
    }

    private func keys(_ b: PixelBox) -> [Int64] {
        let x0 = Int64((b.minX / cell).rounded(.down)), x1 = Int64((b.maxX / cell).rounded(.down))
        let y0 = Int64((b.minY / cell).rounded(.down)), y1 = Int64((b.maxY / cell).rounded(.down))
        var out: [Int64] = []
        out.reserveCapacity(Int((x1 - x0 + 1) * (y1 - y0 + 1)))
        for y in y0 ... y1 { for x in x0 ... x1 { out.append(y &* 0x1_0000_0000 &+ (x & 0xFFFF_FFFF)) } }
        return out
    }

    /// The boxes sharing a cell with `box`, ascending, each once.
    func candidates(near box: PixelBox, into out: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        for key in keys(box) { if let list = cells[key] { out.append(contentsOf: list) } }
        out.sort()
        var unique = 0
        for k in out.indices where k == 0 || out[k] != out[k - 1] { out[unique] = out[k]; unique += 1 }
        out.removeSubrange(unique...)
    }
}
