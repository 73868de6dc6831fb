import Foundation

/// How overlapping per-tile rasters are combined into one pixel (DESIGN.md §7 stitching): each
/// tile's weight depends only on the pixel's place in its window, so the result does not
/// depend on the order tiles are read in.
public enum RasterBlend: String, Hashable, Sendable, CaseIterable, Codable {
    /// Equal weights: the plain mean of every tile covering the pixel.
    case mean
    /// MONAI's `gaussian` importance map: exp(−d²/2σ²) per axis from the window's centre,
    /// σ = 0.125 · window size (`sigma_scale` 0.125).
    case gaussian
    /// A tent: the distance to the nearest border on each axis, multiplied.
    case linear
    /// No blending: the pixel comes from the window where it lies farthest from a border
    /// (the smaller of its two axis distances, in the tile's own pixels); ties go to the first
    /// window in manifest order.
    case center

    /// The weight (or, for ``center``, the rank) of pixel `p` (level-0, its centre at p + 0.5)
    /// along one axis of a window starting at `start` with `length` pixels.
    @inlinable
    public func axisWeight(_ p: Int, start: Int, length: Int) -> Double {
        let offset = Double(p - start) + 0.5
        switch self {
        case .mean: return 1
        case .center, .linear: return Swift.min(offset, Double(length) - offset)
        case .gaussian:
            let sigma = 0.125 * Double(length), d = offset - Double(length) / 2
            // Far tails never reach zero, so a pixel covered only there still has a value.
            return Swift.max(exp(-d * d / (2 * sigma * sigma)), 1e-12)
        }
    }

    /// The weight (rank for ``center``) of a pixel from its two axis weights.
    @inlinable
    public func combine(_ x: Double, _ y: Double) -> Double {
        self == .center ? Swift.min(x, y) : x * y
    }
}

/// How a coarser level's pixels are brought to level 0.
public enum RasterUpsampling: String, Hashable, Sendable, CaseIterable, Codable {
    /// Each level-0 pixel takes the level pixel whose 2^ℓ block holds it (labels, masks).
    case nearest
    /// Bilinear between level pixel centres (probabilities, logits), clamped at the tile's edges.
    case bilinear
}

/// One band of rows of a level-0 mosaic being composed from tiles: weighted sums (or, for
/// ``RasterBlend/center``, the best-ranked value so far) per channel and pixel.
///
/// Pure: tiles arrive as channel-first samples with their window and level; the caller reads
/// files and writes the finished band. Memory is the band's pixels times channels, independent
/// of the scene's height.
public struct MosaicBand: Sendable {
    /// The rows of the scene this band covers (level-0 pixels, full scene width).
    public let rows: Window
    public let channels: Int
    public let blend: RasterBlend
    public let upsampling: RasterUpsampling
    /// Σ weight·value (blends) or the chosen value (center), channel-first.
    public private(set) var values: [Double]
    /// Σ weight (blends) or the best rank (center); −∞ where no tile has reached.
    public private(set) var weights: [Double]

    public init(rows: Window, channels: Int, blend: RasterBlend, upsampling: RasterUpsampling) {
        self.rows = rows; self.channels = channels; self.blend = blend; self.upsampling = upsampling
        values = [Double](repeating: 0, count: channels * rows.width * rows.height)
        weights = [Double](repeating: blend == .center ? -.infinity : 0, count: rows.width * rows.height)
    }

    /// Adds a tile: `samples` channel-first, `tileSize` pixels of its level, for `window` (level-0).
    ///
    /// `depthWeight` is the weight along Z of the slice this band is, for one slice of a stack
    /// patch (``RasterBlend/axisWeight(_:start:length:)`` of the slice in the patch's depth); nil for scenes.
    ///
    /// - Complexity: O(channels · pixels of the window inside the band).
    /// `held` is the part of the tile `samples` hold, in the tile's pixels (default: all of it;
    /// ``tileRegion(window:level:tileSize:)`` says which part this band needs).
    public mutating func add(_ samples: [Double], tileSize: RasterSize, window: Window, level: Level, depthWeight: Double? = nil,
                             held: Window? = nil) {
        // In X and Y only: a stack patch's Z was chosen by the caller (`depthWeight`).
        let flat = Window(x: window.x, y: window.y, width: window.width, height: window.height)
        guard let part = flat.intersection(Window(x: rows.x, y: rows.y, width: rows.width, height: rows.height)) else { return }
        let held = held ?? Window(x: 0, y: 0, width: tileSize.width, height: tileSize.height)
        precondition(samples.count == channels * held.width * held.height, "tile samples do not match its size")
        let plane = held.width * held.height, bandPlane = rows.width * rows.height
        let scale = level.scale
        // `center` ranks by distance in the tile's own pixels: what a model saw around the pixel.
        let rankScale = blend == .center ? scale : 1
        // Per-column tile positions and weights, computed once for the rows below.
        let columns = part.x ..< part.maxX
        let xWeights = columns.map { blend.axisWeight($0, start: window.x, length: window.width) }
        // Taps relative to the held part: the full tile's positions minus its origin.
        let xTaps = columns.map { x -> Tap in
            var t = Self.taps(Double(x - window.x), scale: scale, count: tileSize.width, mode: upsampling)
            t.i0 -= held.x; t.i1 -= held.x
            return t
        }
        samples.withUnsafeBufferPointer { tile in
            values.withUnsafeMutableBufferPointer { values in
                weights.withUnsafeMutableBufferPointer { weights in
                    for y in part.y ..< part.maxY {
                        let wy = blend.axisWeight(y, start: window.y, length: window.height)
                        var yTap = Self.taps(Double(y - window.y), scale: scale, count: tileSize.height, mode: upsampling)
                        yTap.i0 -= held.y; yTap.i1 -= held.y
                        let rowBase = (y - rows.y) * rows.width
                        for (k, x) in columns.enumerated() {
                            var w = blend.combine(xWeights[k], wy) * rankScale
                            if let depthWeight { w = blend.combine(w, depthWeight) }
                            let pixel = rowBase + (x - rows.x)
                            let xt = xTaps[k]
                            if blend == .center {
                                // Strictly better only: ties keep the earlier window (manifest order).
                                guard w > weights[pixel] else { continue }
                                weights[pixel] = w
                                for c in 0 ..< channels {
                                    values[c * bandPlane + pixel] = Self.sample(tile, c * plane, held.width, xt, yTap)
                                }
                            } else {
                                weights[pixel] += w
                                for c in 0 ..< channels {
                                    values[c * bandPlane + pixel] += w * Self.sample(tile, c * plane, held.width, xt, yTap)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The part of a tile (its own pixels) this band reads when the tile covers `window`: the
    /// rows and columns its taps reach, so a caller may decode only those. Nil when the tile
    /// does not meet the band.
    public func tileRegion(window: Window, level: Level, tileSize: RasterSize) -> Window? {
        let flat = Window(x: window.x, y: window.y, width: window.width, height: window.height)
        guard let part = flat.intersection(Window(x: rows.x, y: rows.y, width: rows.width, height: rows.height)) else { return nil }
        // Taps grow with the offset: the first and last pixel of the part bound them.
        let x0 = Self.taps(Double(part.x - window.x), scale: level.scale, count: tileSize.width, mode: upsampling)
        let x1 = Self.taps(Double(part.maxX - 1 - window.x), scale: level.scale, count: tileSize.width, mode: upsampling)
        let y0 = Self.taps(Double(part.y - window.y), scale: level.scale, count: tileSize.height, mode: upsampling)
        let y1 = Self.taps(Double(part.maxY - 1 - window.y), scale: level.scale, count: tileSize.height, mode: upsampling)
        let minX = Swift.min(x0.i0, x0.i1), maxX = Swift.max(x1.i0, x1.i1), minY = Swift.min(y0.i0, y0.i1), maxY = Swift.max(y1.i0, y1.i1)
        return Window(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// The composed samples, channel-first; pixels no tile covered hold `nodata`.
    public func finished(nodata: Double) -> [Double] {
        let plane = rows.width * rows.height
        var out = values
        for pixel in 0 ..< plane {
            let w = weights[pixel]
            let covered = blend == .center ? w > -.infinity : w > 0
            for c in 0 ..< channels {
                out[c * plane + pixel] = covered ? (blend == .center ? values[c * plane + pixel] : values[c * plane + pixel] / w) : nodata
            }
        }
        return out
    }

    /// The index of the largest channel per pixel (`--argmax`); uncovered pixels hold `nodata`.
    public func argmax(nodata: Double) -> [Double] {
        let plane = rows.width * rows.height
        return (0 ..< plane).map { pixel in
            let w = weights[pixel]
            guard blend == .center ? w > -.infinity : w > 0 else { return nodata }
            var best = 0
            for c in 1 ..< Swift.max(channels, 1) where values[c * plane + pixel] > values[best * plane + pixel] { best = c }
            return Double(best)
        }
    }

    /// Two tile positions and the weight of the second, along one axis, for a level-0 offset
    /// into the window.
    @usableFromInline
    struct Tap { var i0: Int; var i1: Int; var t: Double }

    static func taps(_ offset: Double, scale: Double, count: Int, mode: RasterUpsampling) -> Tap {
        switch mode {
        case .nearest:
            let i = Swift.min(count - 1, Swift.max(0, Int(((offset + 0.5) * scale - 1e-9).rounded(.down))))
            return Tap(i0: i, i1: i, t: 0)
        case .bilinear:
            // Level pixel centres sit at (i + 0.5) / scale level-0 pixels from the window's origin.
            let u = Swift.min(Double(count - 1), Swift.max(0, (offset + 0.5) * scale - 0.5))
            let i0 = Int(u.rounded(.down)), i1 = Swift.min(count - 1, i0 + 1)
            return Tap(i0: i0, i1: i1, t: u - Double(i0))
        }
    }

    @inline(__always)
    static func sample(_ tile: UnsafeBufferPointer<Double>, _ base: Int, _ width: Int, _ x: Tap, _ y: Tap) -> Double {
        if x.t == 0 && y.t == 0 { return tile[base + y.i0 * width + x.i0] }
        let a = tile[base + y.i0 * width + x.i0], b = tile[base + y.i0 * width + x.i1]
        let c = tile[base + y.i1 * width + x.i0], d = tile[base + y.i1 * width + x.i1]
        let top = a + (b - a) * x.t, bottom = c + (d - c) * x.t
        return top + (bottom - top) * y.t
    }
}
