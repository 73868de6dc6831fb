import ScaleTileCore

/// A scene's labelled objects, indexed so each tile finds its own in a few cell lookups, and
/// clipped into tiles with a minimum visible fraction (DESIGN.md §4 containment).
///
/// An object that shares area with a tile is *kept* in it when at least `minVisibleFraction`
/// of its box lies inside; kept objects go to the manifest and the label exports, flagged
/// `truncated` when part of them is outside. A smaller remnant is an *ignore region*: COCO
/// marks it `iscrowd` so training neither rewards nor penalises detecting a sliver.
public struct SceneObjects: Sendable {
    /// An object as seen from one tile.
    public struct Clipped: Sendable {
        /// Position of the object in ``labels``.
        public let index: Int
        /// Its box clipped to the tile, in the tile file's own pixels (level pixels from the tile origin).
        public let boxInTile: PixelBox
        /// Share of its box area inside the tile.
        public let visibleFraction: Double
        /// Whether part of it lies outside the tile.
        public let truncated: Bool
        /// Whether it counts as a label of the tile (visible fraction at least the minimum).
        public let kept: Bool
    }

    public let labels: LabelSet
    /// The objects as sampling targets (whole-pixel boxes, size n = box area).
    public let targets: [SamplingTarget]
    public let minVisibleFraction: Double
    private let index: TargetIndex

    public init(labels: LabelSet, minVisibleFraction: Double = 0.5, tileSize: Int) {
        self.labels = labels
        self.minVisibleFraction = minVisibleFraction
        targets = labels.objects.map {
            SamplingTarget(id: $0.id, className: $0.className, bbox: $0.box.enclosingWindow, pixelCount: $0.box.area)
        }
        index = TargetIndex(boxes: targets.map(\.bbox), cellSize: RasterSize(width: tileSize, height: tileSize))
    }

    /// The objects sharing area with a tile whose window (level-0 pixels) is read at `level`,
    /// in label order.
    public func clipped(to window: Window, level: Level) -> [Clipped] {
        // Level pixels per level-0 pixel: 2^-ℓ (above 1 for zoom-in windows).
        let scale = level.scale
        return index.boxes(intersecting: window).sorted().compactMap { i in
            let box = labels.objects[i].box
            guard let inside = box.clipped(to: window), box.area > 0 else { return nil }
            let fraction = Swift.min(1, inside.area / box.area)
            let inTile = PixelBox(minX: (inside.minX - Double(window.x)) * scale, minY: (inside.minY - Double(window.y)) * scale,
                                  maxX: (inside.maxX - Double(window.x)) * scale, maxY: (inside.maxY - Double(window.y)) * scale)
            return Clipped(index: i, boxInTile: inTile, visibleFraction: fraction, truncated: !box.isInside(window),
                           kept: fraction >= minVisibleFraction - 1e-12)
        }
    }

    /// The manifest's `objects` list of a tile: its kept objects.
    public func manifestObjects(in window: Window, level: Level) -> [ContainedObject] {
        clipped(to: window, level: level).filter(\.kept).map { c in
            let object = labels.objects[c.index]
            let b = c.boxInTile
            return ContainedObject(id: object.id, class: object.className, truncated: c.truncated,
                                   visibleFraction: Self.rounded(c.visibleFraction),
                                   bbox: [b.minX, b.minY, b.width, b.height].map(Self.rounded))
        }
    }

    /// The objects of a tile split into its positives (kept objects `isOwn` accepts, by
    /// position in ``labels``) and its ignore regions (every object of another split sharing
    /// area with it, however little).
    public func manifestObjects(in window: Window, level: Level, isOwn: (Int) -> Bool) -> (positives: [ContainedObject], ignore: [ContainedObject]) {
        var positives: [ContainedObject] = [], ignore: [ContainedObject] = []
        for c in clipped(to: window, level: level) {
            if !isOwn(c.index) {
                ignore.append(containedObject(c))
            } else if c.kept {
                positives.append(containedObject(c))
            }
        }
        return (positives, ignore)
    }

    /// The slivers of a tile: objects sharing area with it below the minimum visible fraction
    /// (COCO ignore regions).
    public func slivers(in window: Window, level: Level) -> [ContainedObject] {
        clipped(to: window, level: level).filter { !$0.kept }.map(containedObject)
    }

    private func containedObject(_ c: Clipped) -> ContainedObject {
        let object = labels.objects[c.index]
        let b = c.boxInTile
        return ContainedObject(id: object.id, class: object.className, truncated: c.truncated,
                               visibleFraction: Self.rounded(c.visibleFraction),
                               bbox: [b.minX, b.minY, b.width, b.height].map(Self.rounded))
    }

    /// Six decimals: enough for sub-pixel boxes, short and stable in JSON.
    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}
