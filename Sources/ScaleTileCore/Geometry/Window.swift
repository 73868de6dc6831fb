/// A box of pixels (scenes) or voxels (stacks): origin and size, in grid coordinates.
///
/// Scenes use `z = 0, depth = 1`. Coordinates are half-open: the window covers
/// columns `x ..< x + width`, rows `y ..< y + height`, slices `z ..< z + depth`.
/// The vocabulary follows rasterio's `Window` (column offset, row offset, width, height).
public struct Window: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var z: Int
    public var width: Int
    public var height: Int
    public var depth: Int

    /// A 2-D window (a scene tile).
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.init(x: x, y: y, z: 0, width: width, height: height, depth: 1)
    }

    /// A 3-D window (a stack patch).
    public init(x: Int, y: Int, z: Int, width: Int, height: Int, depth: Int) {
        self.x = x; self.y = y; self.z = z
        self.width = width; self.height = height; self.depth = depth
    }

    /// The whole grid of a raster of the given size.
    public init(size: RasterSize) {
        self.init(x: 0, y: 0, z: 0, width: size.width, height: size.height, depth: size.depth)
    }

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    /// One past the last slice.
    public var maxZ: Int { z + depth }
    /// The size of the window.
    public var size: RasterSize { RasterSize(width: width, height: height, depth: depth) }
    /// Whether the window holds no pixel.
    public var isEmpty: Bool { width <= 0 || height <= 0 || depth <= 0 }
    /// Number of pixels (voxels) inside.
    public var pixelCount: Int { isEmpty ? 0 : width * height * depth }

    /// The pixels both windows hold, or nil when they do not meet.
    public func intersection(_ other: Window) -> Window? {
        let x0 = Swift.max(x, other.x), x1 = Swift.min(maxX, other.maxX)
        let y0 = Swift.max(y, other.y), y1 = Swift.min(maxY, other.maxY)
        let z0 = Swift.max(z, other.z), z1 = Swift.min(maxZ, other.maxZ)
        guard x0 < x1, y0 < y1, z0 < z1 else { return nil }
        return Window(x: x0, y: y0, z: z0, width: x1 - x0, height: y1 - y0, depth: z1 - z0)
    }

    /// Whether `other` lies wholly inside this window (an empty `other` never does).
    public func contains(_ other: Window) -> Bool {
        !other.isEmpty && other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY
            && other.z >= z && other.maxZ <= maxZ
    }

    /// The window moved by the given offsets.
    public func offsetBy(dx: Int = 0, dy: Int = 0, dz: Int = 0) -> Window {
        Window(x: x + dx, y: y + dy, z: z + dz, width: width, height: height, depth: depth)
    }

    /// The smallest window holding both.
    public func union(_ other: Window) -> Window {
        let x0 = Swift.min(x, other.x), y0 = Swift.min(y, other.y), z0 = Swift.min(z, other.z)
        return Window(x: x0, y: y0, z: z0,
                      width: Swift.max(maxX, other.maxX) - x0,
                      height: Swift.max(maxY, other.maxY) - y0,
                      depth: Swift.max(maxZ, other.maxZ) - z0)
    }

    public var description: String {
        depth == 1 && z == 0
            ? "(\(x), \(y)) \(width)x\(height)"
            : "(\(x), \(y), \(z)) \(width)x\(height)x\(depth)"
    }
}

/// The size of a raster grid: width (X), height (Y) and depth (Z, 1 for scenes).
public struct RasterSize: Hashable, Sendable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public var depth: Int

    public init(width: Int, height: Int, depth: Int = 1) {
        self.width = width; self.height = height; self.depth = depth
    }

    /// Number of pixels (voxels).
    public var pixelCount: Int { width * height * depth }

    public var description: String { depth == 1 ? "\(width)x\(height)" : "\(width)x\(height)x\(depth)" }
}
