/// Pixels of a window in memory, channel-first: band (channel), then slice, row, column.
///
/// This is the layout `.npy` tiles are written in ((C, Y, X) or (C, Z, Y, X)) and the one
/// GDAL's band-sequential RasterIO fills, so no copy is needed on either side.
public struct RasterBuffer: Sendable {
    /// Sample type.
    public let pixelType: PixelType
    /// Number of bands (channels).
    public let bandCount: Int
    /// Grid size of each band.
    public let size: RasterSize
    /// The samples, `bandCount · depth · height · width · byteSize` bytes, native byte order.
    public var bytes: [UInt8]

    /// A zero-filled buffer.
    public init(pixelType: PixelType, bandCount: Int, size: RasterSize) {
        precondition(bandCount > 0 && size.pixelCount > 0, "a buffer needs at least one sample")
        self.pixelType = pixelType
        self.bandCount = bandCount
        self.size = size
        self.bytes = [UInt8](repeating: 0, count: bandCount * size.pixelCount * pixelType.byteSize)
    }

    /// Wraps existing bytes; their count must match.
    public init(pixelType: PixelType, bandCount: Int, size: RasterSize, bytes: [UInt8]) {
        precondition(bytes.count == bandCount * size.pixelCount * pixelType.byteSize, "byte count does not match the shape")
        self.pixelType = pixelType
        self.bandCount = bandCount
        self.size = size
        self.bytes = bytes
    }

    /// Bytes of one band.
    public var bandByteCount: Int { size.pixelCount * pixelType.byteSize }

    /// Reads every sample of band `band` (0-based) as a Double, in row-major order.
    public func samples(band: Int) -> [Double] {
        var result = [Double](repeating: 0, count: size.pixelCount)
        forEachSample(band: band) { i, v in result[i] = v }
        return result
    }

    /// Calls `body(index, value)` for each sample of band `band` (0-based).
    public func forEachSample(band: Int, _ body: (Int, Double) -> Void) {
        let count = size.pixelCount
        let offset = band * bandByteCount
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + offset
            func visit<T>(_ type: T.Type, _ convert: (T) -> Double) {
                let typed = UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.self), count: count)
                for i in 0..<count { body(i, convert(typed[i])) }
            }
            switch pixelType {
            case .uint8: visit(UInt8.self) { Double($0) }
            case .int8: visit(Int8.self) { Double($0) }
            case .uint16: visit(UInt16.self) { Double($0) }
            case .int16: visit(Int16.self) { Double($0) }
            case .uint32: visit(UInt32.self) { Double($0) }
            case .int32: visit(Int32.self) { Double($0) }
            case .uint64: visit(UInt64.self) { Double($0) }
            case .int64: visit(Int64.self) { Double($0) }
            case .float32: visit(Float.self) { Double($0) }
            case .float64: visit(Double.self) { $0 }
            }
        }
    }

    /// Fills every sample of every band with `value` (converted to the sample type, clamped).
    public mutating func fill(with value: Double) {
        guard value != 0 else {
            bytes.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
            return
        }
        let total = bandCount * size.pixelCount
        bytes.withUnsafeMutableBytes { raw in
            func put<T>(_ v: T) {
                raw.baseAddress!.bindMemory(to: T.self, capacity: total).update(repeating: v, count: total)
            }
            let clamped = value.isNaN ? (pixelType.isFloatingPoint ? value : 0) : Swift.min(Swift.max(value, pixelType.valueRange.lowerBound), pixelType.valueRange.upperBound)
            switch pixelType {
            case .uint8: put(UInt8(clamped))
            case .int8: put(Int8(clamped))
            case .uint16: put(UInt16(clamped))
            case .int16: put(Int16(clamped))
            case .uint32: put(UInt32(clamped))
            case .int32: put(Int32(clamped))
            // 2^64 and 2^63, the Double bounds of these types, are one past their largest value.
            case .uint64: put(clamped >= 0x1p64 ? UInt64.max : UInt64(clamped))
            case .int64: put(clamped >= 0x1p63 ? Int64.max : Int64(clamped))
            case .float32: put(Float(clamped))
            case .float64: put(clamped)
            }
        }
    }
}
