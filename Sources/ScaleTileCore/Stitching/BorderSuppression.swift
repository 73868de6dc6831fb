/// Border-aware suppression (DESIGN.md §7): a detection touching a window border that lies
/// inside the scene is likely a piece of an object the window cut; it is dropped when another
/// window saw the same object away from its own inner borders — which is what overlap is for.
///
/// "The same object" is judged against what the cutting window could have seen of the witness:
/// the piece must match the witness's box clipped to the piece's window (IoU at least
/// ``threshold``). Comparing with the whole witness instead would let a large object swallow a
/// small one of the same class lying inside it.
public struct BorderSuppression: Sendable {
    /// The level-0 size of the scene: borders on its edges are real, not cuts.
    public var sceneSize: RasterSize
    /// How close to a border, in the tile's own pixels, a box counts as touching it.
    public var tolerance: Double
    /// The IoU between a piece and the witness clipped to the piece's window that makes them one object.
    public var threshold: Double
    /// Stacks whose levels scale Z (`--scale-z`): a patch slice is then 2^level level-0 slices.
    public var scalesDepth = false

    /// A suppression for a scene of `sceneSize`.
    public init(sceneSize: RasterSize, tolerance: Double = 1, threshold: Double = 0.5) {
        self.sceneSize = sceneSize; self.tolerance = tolerance; self.threshold = threshold
    }

    /// Whether `detection` touches a border of its window that lies inside the scene.
    public func touchesInnerBorder(_ detection: Detection) -> Bool {
        let w = detection.window, b = detection.box
        // Level-0 pixels per tile pixel: 2^level (below 1 for zoom-in windows).
        let slack = tolerance / Level(detection.level).scale
        if w.x > 0, b.minX - Double(w.x) <= slack { return true }
        if w.y > 0, b.minY - Double(w.y) <= slack { return true }
        if w.maxX < sceneSize.width, Double(w.maxX) - b.maxX <= slack { return true }
        if w.maxY < sceneSize.height, Double(w.maxY) - b.maxY <= slack { return true }
        // Stacks: Z borders too, in level-0 slices per patch slice (1 unless the level scales Z).
        let slackZ = tolerance * Double(Level(detection.level, scalesDepth: scalesDepth).depthFactor)
        if w.z > 0, detection.minZ - Double(w.z) <= slackZ { return true }
        if w.maxZ < sceneSize.depth, Double(w.maxZ) - detection.maxZ <= slackZ { return true }
        return false
    }

    /// The detections kept (input order) and how many were dropped.
    public func apply(_ detections: [Detection]) -> (kept: [Detection], dropped: Int) {
        var kept = detections
        let dropped = apply(to: &kept)
        return (kept, dropped)
    }

    /// Drops the suppressed detections from `detections` in place (no second copy of a large
    /// list) and returns how many went.
    public func apply(to detections: inout [Detection]) -> Int {
        let touching = detections.map(touchesInnerBorder)
        guard touching.contains(true) else { return 0 }
        var index = BoxGridIndex(boxes: detections.map(\.box))
        var candidates: [Int] = []
        var drop = [Bool](repeating: false, count: detections.count)
        for i in detections.indices where touching[i] {
            let d = detections[i]
            let limits = PixelBox(minX: Double(d.window.x), minY: Double(d.window.y),
                                  maxX: Double(d.window.maxX), maxY: Double(d.window.maxY))
            index.candidates(near: d.box, into: &candidates)
            drop[i] = candidates.contains { j in
                guard !touching[j], detections[j].className == d.className,
                      detections[j].window != d.window || detections[j].level != d.level,
                      let seenBox = detections[j].box.clipped(to: limits) else { return false }
                var seen = detections[j]
                seen.box = seenBox
                seen.minZ = Swift.max(seen.minZ, Double(d.window.z)); seen.maxZ = Swift.min(seen.maxZ, Double(d.window.maxZ))
                guard seen.maxZ > seen.minZ else { return false }
                return BoxMatchMetric.iou.value(d, seen) >= threshold
            }
        }
        var position = 0
        detections.removeAll { _ in defer { position += 1 }; return drop[position] }
        return drop.count - detections.count
    }
}
