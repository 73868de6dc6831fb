/// One predicted object mapped to level-0 pixels of its scene: what the box merging rules
/// (``DetectionMerge``) and border-aware suppression work on.
public struct Detection: Hashable, Sendable {
    /// The box in level-0 pixels (X and Y; for stacks, voxels).
    public var box: PixelBox
    /// Stacks: the box's extent in level-0 slices, `minZ ..< maxZ` (voxel edges). Scenes keep
    /// the default 0 ..< 1, so their matches are the 2-D ones.
    public var minZ: Double = 0
    public var maxZ: Double = 1
    /// Polygon predictions: the outline in level-0 pixels (one closed ring, first point not
    /// repeated); `box` is its bounding box. Nil for box predictions.
    public var polygon: [PixelPoint]?
    /// The model's confidence.
    public var score: Double
    /// The class name (class-aware merging never joins two classes).
    public var className: String
    /// The window (level-0 pixels) of the tile the prediction was made on.
    public var window: Window
    /// The level of that tile: its pixels are 2^level level-0 pixels wide.
    public var level: Int
    /// Manifest positions of the tiles whose predictions went into this detection (one before
    /// merging): positions, not ids, so a million detections hold no million strings.
    public var tiles: [Int]

    /// A detection from its parts.
    public init(box: PixelBox, score: Double, className: String, window: Window, level: Int, tiles: [Int] = []) {
        self.box = box; self.score = score; self.className = className
        self.window = window; self.level = level; self.tiles = tiles
    }

    /// The box's depth in slices (1 for scenes).
    public var depth: Double { maxZ - minZ }

    /// The box's volume (its area times its depth; the area for scenes).
    public var volume: Double { box.area * depth }

    /// The slices both boxes share (1 for two scene boxes).
    public func depthOverlap(_ other: Detection) -> Double {
        Swift.max(0, Swift.min(maxZ, other.maxZ) - Swift.max(minZ, other.minZ))
    }
}

/// How two boxes are compared when deciding whether they show the same object.
public enum BoxMatchMetric: String, Hashable, Sendable, CaseIterable, Codable {
    /// Intersection over union.
    case iou
    /// Intersection over the smaller box's area (SAHI's `IOS`): a piece cut from an object
    /// matches the whole object fully.
    case ios

    /// The match of two detections in 3-D (volumes of stack boxes; areas for scene boxes,
    /// whose depth is 1), in [0, 1].
    ///
    /// Two polygon predictions are compared by their outlines when one of them is convex (a
    /// small building inside a large one's bounding box is not the large one), else by boxes.
    public func value(_ a: Detection, _ b: Detection) -> Double {
        if let p = a.polygon, let q = b.polygon, a.box.intersectionArea(b.box) > 0,
           let shared = PolygonRing.intersectionArea(p, q) {
            guard shared > 0 else { return 0 }
            let areaA = PolygonRing.area(p), areaB = PolygonRing.area(q)
            switch self {
            case .iou: return shared / (areaA + areaB - shared)
            case .ios: return shared / Swift.min(areaA, areaB)
            }
        }
        let inter = a.box.intersectionArea(b.box) * a.depthOverlap(b)
        guard inter > 0 else { return 0 }
        switch self {
        case .iou: return inter / (a.volume + b.volume - inter)
        case .ios: return inter / Swift.min(a.volume, b.volume)
        }
    }

    /// The match of `a` and `b`, in [0, 1]; 0 when either is empty.
    public func value(_ a: PixelBox, _ b: PixelBox) -> Double {
        let inter = a.intersectionArea(b)
        guard inter > 0 else { return 0 }
        switch self {
        case .iou: return inter / (a.area + b.area - inter)
        case .ios: return inter / Swift.min(a.area, b.area)
        }
    }
}

extension PixelBox {
    /// The area the two boxes share.
    public func intersectionArea(_ other: PixelBox) -> Double {
        let w = Swift.min(maxX, other.maxX) - Swift.max(minX, other.minX)
        let h = Swift.min(maxY, other.maxY) - Swift.max(minY, other.minY)
        return w > 0 && h > 0 ? w * h : 0
    }

    /// Intersection over union with `other`.
    public func intersectionOverUnion(_ other: PixelBox) -> Double { BoxMatchMetric.iou.value(self, other) }

    /// The smallest box holding both.
    public func union(_ other: PixelBox) -> PixelBox {
        PixelBox(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
                 maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }

    /// The part of the box inside the box `limits`, or nil when they do not meet.
    public func clipped(to limits: PixelBox) -> PixelBox? {
        let b = PixelBox(minX: Swift.max(minX, limits.minX), minY: Swift.max(minY, limits.minY),
                         maxX: Swift.min(maxX, limits.maxX), maxY: Swift.min(maxY, limits.maxY))
        return b.width > 0 && b.height > 0 ? b : nil
    }
}
