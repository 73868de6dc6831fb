/// One predicted object mapped to level-0 pixels of its scene: what the box merging rules
/// (``DetectionMerge``) and border-aware suppression work on.
public struct Detection: Hashable, Sendable {
    /// The box in level-0 pixels.
    public var box: PixelBox
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
}

/// How two boxes are compared when deciding whether they show the same object.
public enum BoxMatchMetric: String, Hashable, Sendable, CaseIterable, Codable {
    /// Intersection over union.
    case iou
    /// Intersection over the smaller box's area (SAHI's `IOS`): a piece cut from an object
    /// matches the whole object fully.
    case ios

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
