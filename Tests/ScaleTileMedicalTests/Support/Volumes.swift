import Foundation
import ScaleTileCore

/// Buffers with known contents, built by the tests themselves.
enum Volumes {
    /// A (C, Z, Y, X) buffer whose sample at (channel, x, y, z) is `value(channel, x, y, z)`.
    static func make(_ pixelType: PixelType, channels: Int = 1, size: RasterSize,
                     _ value: (_ c: Int, _ x: Int, _ y: Int, _ z: Int) -> Double) -> RasterBuffer {
        var buffer = RasterBuffer(pixelType: pixelType, bandCount: channels, size: size)
        buffer.bytes.withUnsafeMutableBytes { raw in
            func fill<T>(_: T.Type, _ convert: (Double) -> T) {
                let samples = raw.bindMemory(to: T.self)
                var i = 0
                for c in 0..<channels {
                    for z in 0..<size.depth {
                        for y in 0..<size.height {
                            for x in 0..<size.width {
                                samples[i] = convert(value(c, x, y, z))
                                i += 1
                            }
                        }
                    }
                }
            }
            switch pixelType {
            case .uint8: fill(UInt8.self) { UInt8($0) }
            case .int8: fill(Int8.self) { Int8($0) }
            case .uint16: fill(UInt16.self) { UInt16($0) }
            case .int16: fill(Int16.self) { Int16($0) }
            case .uint32: fill(UInt32.self) { UInt32($0) }
            case .int32: fill(Int32.self) { Int32($0) }
            case .uint64: fill(UInt64.self) { UInt64($0) }
            case .int64: fill(Int64.self) { Int64($0) }
            case .float32: fill(Float.self) { Float($0) }
            case .float64: fill(Double.self) { $0 }
            }
        }
        return buffer
    }

    /// A ball of radius `radius` voxels at the centre of the volume, 100 + 50·channel inside;
    /// outside, a small ramp in x, y and z, so that no two slices or rows are alike.
    static func sphere(_ pixelType: PixelType, channels: Int = 1, size: RasterSize, radius: Double) -> RasterBuffer {
        let cx = Double(size.width - 1) / 2, cy = Double(size.height - 1) / 2, cz = Double(size.depth - 1) / 2
        return make(pixelType, channels: channels, size: size) { c, x, y, z in
            let dx = Double(x) - cx, dy = Double(y) - cy, dz = Double(z) - cz
            if dx * dx + dy * dy + dz * dz <= radius * radius { return Double(100 + 50 * c) }
            return Double((x + 2 * y + 3 * z + 7 * c) % 40)
        }
    }

    /// The bytes of `window` (clipped to nothing: it must lie inside) of one channel of `buffer`.
    static func bytes(of buffer: RasterBuffer, channel: Int, window: Window) -> [UInt8] {
        let s = buffer.size, b = buffer.pixelType.byteSize
        var out: [UInt8] = []
        out.reserveCapacity(window.pixelCount * b)
        for z in window.z..<window.maxZ {
            for y in window.y..<window.maxY {
                let start = (((channel * s.depth + z) * s.height + y) * s.width + window.x) * b
                out += buffer.bytes[start..<(start + window.width * b)]
            }
        }
        return out
    }

    /// What reading `window` of `buffer` must give: the channels asked for, voxels outside the
    /// volume set to `fill`. Computed voxel by voxel, without the reader's block logic.
    static func expectedRead(of buffer: RasterBuffer, window: Window, channels: [Int], fill: Double) -> RasterBuffer {
        let s = buffer.size
        let source = (0..<buffer.bandCount).map { buffer.samples(band: $0) }
        return make(buffer.pixelType, channels: channels.count, size: window.size) { c, x, y, z in
            let (sx, sy, sz) = (x + window.x, y + window.y, z + window.z)
            guard sx >= 0, sx < s.width, sy >= 0, sy < s.height, sz >= 0, sz < s.depth else {
                return min(max(fill, buffer.pixelType.valueRange.lowerBound), buffer.pixelType.valueRange.upperBound)
            }
            return source[channels[c]][(sz * s.height + sy) * s.width + sx]
        }
    }

    /// Windows of every kind over a volume of `size`, from a seeded generator: inside, across
    /// block edges, overhanging every side, and wholly outside.
    static func windows(over size: RasterSize, count: Int, seed: UInt64) -> [Window] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
        var windows = [Window(size: size),
                       Window(x: -3, y: -2, z: -1, width: size.width + 6, height: size.height + 4, depth: size.depth + 2),
                       Window(x: size.width + 1, y: 0, z: 0, width: 4, height: 4, depth: 1)]
        while windows.count < count {
            let width = next(1...size.width + 4), height = next(1...size.height + 4), depth = next(1...size.depth + 1)
            windows.append(Window(x: next(-4...size.width - 1), y: next(-4...size.height - 1), z: next(-1...size.depth - 1),
                                  width: width, height: height, depth: depth))
        }
        return windows
    }

    /// One slice (depth 1) of `buffer` with all its channels: what one GDAL-written page holds.
    static func slice(_ buffer: RasterBuffer, z: Int) -> RasterBuffer {
        let s = buffer.size
        var bytes: [UInt8] = []
        for c in 0..<buffer.bandCount {
            bytes += bytesOf(buffer, channel: c, z: z)
        }
        return RasterBuffer(pixelType: buffer.pixelType, bandCount: buffer.bandCount,
                            size: RasterSize(width: s.width, height: s.height), bytes: bytes)
    }

    private static func bytesOf(_ buffer: RasterBuffer, channel: Int, z: Int) -> [UInt8] {
        bytes(of: buffer, channel: channel, window: Window(x: 0, y: 0, z: z, width: buffer.size.width, height: buffer.size.height, depth: 1))
    }
}
