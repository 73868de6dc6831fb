/// An affine map from pixel/line coordinates to map coordinates, in GDAL's order.
///
/// `mapX = originX + column * pixelWidth + row * rowRotation`,
/// `mapY = originY + column * columnRotation + row * pixelHeight`.
/// (rasterio calls this the dataset's `transform`; GDAL its geotransform.)
public struct GeoTransform: Hashable, Sendable, Codable {
    public var originX: Double
    public var pixelWidth: Double
    public var rowRotation: Double
    public var originY: Double
    public var columnRotation: Double
    public var pixelHeight: Double

    /// Creates a transform from GDAL's six coefficients.
    public init(_ c: [Double]) {
        precondition(c.count == 6, "a geotransform has six coefficients")
        originX = c[0]; pixelWidth = c[1]; rowRotation = c[2]
        originY = c[3]; columnRotation = c[4]; pixelHeight = c[5]
    }

    /// A north-up transform.
    public init(originX: Double, originY: Double, pixelWidth: Double, pixelHeight: Double) {
        self.init([originX, pixelWidth, 0, originY, 0, pixelHeight])
    }

    /// GDAL's default for rasters without georeferencing: pixel space, y down.
    public static let identity = GeoTransform([0, 1, 0, 0, 0, 1])

    /// The six coefficients in GDAL's order.
    public var coefficients: [Double] { [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight] }

    /// Map coordinates of a (fractional) pixel position.
    public func apply(column: Double, row: Double) -> (x: Double, y: Double) {
        (originX + column * pixelWidth + row * rowRotation,
         originY + column * columnRotation + row * pixelHeight)
    }

    /// The transform mapping map coordinates back to pixel/line, or nil when it is singular.
    public func inverted() -> GeoTransform? {
        let det = pixelWidth * pixelHeight - rowRotation * columnRotation
        guard det != 0, det.isFinite else { return nil }
        let a = pixelHeight / det, b = -rowRotation / det
        let d = -columnRotation / det, e = pixelWidth / det
        return GeoTransform([-originX * a - originY * b, a, b, -originX * d - originY * e, d, e])
    }

    /// The transform of a window whose top-left pixel is (`column`, `row`) of this grid.
    ///
    /// Exact for integer offsets: the origin moves by whole pixels.
    public func shifted(column: Int, row: Int) -> GeoTransform {
        let origin = apply(column: Double(column), row: Double(row))
        return GeoTransform([origin.x, pixelWidth, rowRotation, origin.y, columnRotation, pixelHeight])
    }

    /// The transform of a grid whose pixels are `factor` times larger, with the same origin.
    public func scaled(by factor: Int) -> GeoTransform {
        let f = Double(factor)
        return GeoTransform([originX, pixelWidth * f, rowRotation * f, originY, columnRotation * f, pixelHeight * f])
    }

    /// The transform of a grid whose pixels are `factor` times larger (smaller below 1), with the
    /// same origin; exact for powers of two.
    public func scaled(by factor: Double) -> GeoTransform {
        GeoTransform([originX, pixelWidth * factor, rowRotation * factor, originY, columnRotation * factor, pixelHeight * factor])
    }

    /// The map-space rectangle covered by a grid of `width` x `height` pixels.
    public func bounds(width: Int, height: Int) -> Bounds {
        let corners = [(0.0, 0.0), (Double(width), 0.0), (0.0, Double(height)), (Double(width), Double(height))]
            .map { apply(column: $0.0, row: $0.1) }
        return Bounds(minX: corners.map(\.x).min()!, minY: corners.map(\.y).min()!,
                      maxX: corners.map(\.x).max()!, maxY: corners.map(\.y).max()!)
    }

    /// The pixel window (rounded outward) covering a map rectangle.
    public func pixelWindow(covering bounds: Bounds) -> Window? {
        guard let inverse = inverted() else { return nil }
        let corners = [(bounds.minX, bounds.minY), (bounds.maxX, bounds.minY), (bounds.minX, bounds.maxY), (bounds.maxX, bounds.maxY)]
            .map { inverse.apply(column: $0.0, row: $0.1) }
        let x0 = corners.map(\.x).min()!, x1 = corners.map(\.x).max()!
        let y0 = corners.map(\.y).min()!, y1 = corners.map(\.y).max()!
        // Bounds far off the raster (or not finite) have no window rather than trapping.
        guard let c0 = (x0 + 1e-9).wholePixels(.down), let r0 = (y0 + 1e-9).wholePixels(.down),
              let c1 = (x1 - 1e-9).wholePixels(.up), let r1 = (y1 - 1e-9).wholePixels(.up),
              abs(c0) < 1 << 40, abs(c1) < 1 << 40, abs(r0) < 1 << 40, abs(r1) < 1 << 40 else { return nil }
        return Window(x: c0, y: r0, width: Swift.max(c1 - c0, 1), height: Swift.max(r1 - r0, 1))
    }
}

/// An axis-aligned rectangle in map coordinates (`[minX, minY, maxX, maxY]` when encoded).
public struct Bounds: Hashable, Sendable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        minX = try c.decode(Double.self); minY = try c.decode(Double.self)
        maxX = try c.decode(Double.self); maxY = try c.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(minX); try c.encode(minY); try c.encode(maxX); try c.encode(maxY)
    }
}
