/// A labelled object of a scene: a box (and optionally a polygon) in level-0 pixel coordinates.
///
/// Every label format ScaleTile reads (GeoJSON/GeoPackage/Shapefile through OGR, COCO, YOLO,
/// Pascal VOC, CSV boxes, label rasters) becomes a list of these.
public struct LabeledObject: Hashable, Sendable, Codable {
    /// Stable id within its label set (the source's own id when it has one, else its 1-based position).
    public var id: String
    /// Class name (`car`, `building`, or the class number as text).
    public var className: String
    /// Bounding box in level-0 pixels (fractional coordinates allowed).
    public var box: PixelBox
    /// Polygon rings in level-0 pixels, outer ring first, when the source had a polygon.
    public var polygon: [[PixelPoint]]?

    public init(id: String, className: String, box: PixelBox, polygon: [[PixelPoint]]? = nil) {
        self.id = id
        self.className = className
        self.box = box
        self.polygon = polygon
    }

    /// Object size s = √(area in level-0 pixels) of the box (DESIGN.md §4).
    public var size: Double { box.area.squareRoot() }

    /// The object's outline: its polygon's rings, else its box's corners as one ring.
    public var rings: [[PixelPoint]] { polygon ?? [box.corners] }
}

/// A point in pixel coordinates.
public struct PixelPoint: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned box in pixel coordinates, `[minX, maxX) × [minY, maxY)`.
public struct PixelBox: Hashable, Sendable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// A box from COCO's `[x, y, width, height]`.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.init(minX: x, minY: y, maxX: x + width, maxY: y + height)
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var area: Double { Swift.max(0, width) * Swift.max(0, height) }

    /// The four corners as a ring (first point not repeated): top left, top right, bottom
    /// right, bottom left.
    public var corners: [PixelPoint] {
        [PixelPoint(x: minX, y: minY), PixelPoint(x: maxX, y: minY), PixelPoint(x: maxX, y: maxY), PixelPoint(x: minX, y: maxY)]
    }

    /// The smallest whole-pixel window holding the box.
    ///
    /// Corners past ±2^40 pixels (which ``LabelSet/validated(imageSize:classList:outsideHint:)``
    /// refuses long before) are clamped there, so a stray value can never trap the conversion.
    public var enclosingWindow: Window {
        func whole(_ value: Double, _ rule: FloatingPointRoundingRule) -> Int {
            let limit = 1_099_511_627_776.0
            return Swift.min(Swift.max(value, -limit), limit).wholePixels(rule) ?? 0
        }
        let x0 = whole(minX, .down), y0 = whole(minY, .down)
        let x1 = whole(maxX, .up), y1 = whole(maxY, .up)
        return Window(x: x0, y: y0, width: Swift.max(1, x1 - x0), height: Swift.max(1, y1 - y0))
    }

    /// The part of the box inside `window`, or nil when they do not meet.
    public func clipped(to window: Window) -> PixelBox? {
        let b = PixelBox(minX: Swift.max(minX, Double(window.x)), minY: Swift.max(minY, Double(window.y)),
                         maxX: Swift.min(maxX, Double(window.maxX)), maxY: Swift.min(maxY, Double(window.maxY)))
        return b.width > 0 && b.height > 0 ? b : nil
    }

    /// Whether the box lies wholly inside `window` (containment, DESIGN.md §4).
    public func isInside(_ window: Window) -> Bool {
        minX >= Double(window.x) && minY >= Double(window.y) && maxX <= Double(window.maxX) && maxY <= Double(window.maxY)
    }
}

/// What samplers, scale-aware tiling and the audit need of an object or a lesion.
///
/// Scene objects and stack lesions both become targets, so one sampler serves both worlds.
public struct SamplingTarget: Hashable, Sendable, Codable {
    /// The object's or lesion's id.
    public var id: String
    /// Class name or label value.
    public var className: String
    /// Bounding box in level-0 pixels (voxels for stacks), whole pixels.
    public var bbox: Window
    /// n: its size in pixels (scenes: box area) or voxels (stacks: voxel count).
    public var pixelCount: Double

    public init(id: String, className: String, bbox: Window, pixelCount: Double) {
        self.id = id
        self.className = className
        self.bbox = bbox
        self.pixelCount = pixelCount
    }

    /// s = √(pixel count) for 2-D targets; the cube root of the voxel count for 3-D ones
    /// would understate area-like scale, so stacks report the bbox-independent √ too.
    public var size: Double { pixelCount.squareRoot() }
}
