import ScaleTileCore

extension RasterBuffer {
    /// A buffer holding `values`, channel-first, each already a whole number inside the range of
    /// `pixelType` (the caller rounds and clamps; this only stores), in native byte order.
    init(exactly values: [Double], pixelType: PixelType, bandCount: Int, size: RasterSize) {
        precondition(values.count == bandCount * size.pixelCount, "one value per sample")
        precondition(!pixelType.isFloatingPoint, "sample files here hold integers")
        var bytes = [UInt8](repeating: 0, count: values.count * pixelType.byteSize)
        bytes.withUnsafeMutableBytes { raw in
            func store<T: FixedWidthInteger>(_: T.Type) {
                let typed = raw.bindMemory(to: T.self)
                for (i, v) in values.enumerated() { typed[i] = T(v) }
            }
            switch pixelType {
            case .uint8: store(UInt8.self)
            case .int8: store(Int8.self)
            case .uint16: store(UInt16.self)
            case .int16: store(Int16.self)
            case .uint32: store(UInt32.self)
            case .int32: store(Int32.self)
            case .uint64: store(UInt64.self)
            case .int64: store(Int64.self)
            case .float32, .float64: break
            }
        }
        self.init(pixelType: pixelType, bandCount: bandCount, size: size, bytes: bytes)
    }
}
