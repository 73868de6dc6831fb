import ScaleTileCore

extension RasterBuffer {
    /// A buffer holding `values`, channel-first, each already a whole number inside the range of
    /// `pixelType` (the caller rounds and clamps; this only stores), in native byte order.
    ///
    /// Only the integer types the samples use are handled, each with its own loop: a generic
    /// one runs many times slower in the debug builds the sample data test uses.
    init(exactly values: [Double], pixelType: PixelType, bandCount: Int, size: RasterSize) {
        precondition(values.count == bandCount * size.pixelCount, "one value per sample")
        var bytes = [UInt8](repeating: 0, count: values.count * pixelType.byteSize)
        bytes.withUnsafeMutableBytes { raw in
            switch pixelType {
            case .uint8:
                let typed = raw.bindMemory(to: UInt8.self)
                for i in values.indices { typed[i] = UInt8(values[i]) }
            case .uint16:
                let typed = raw.bindMemory(to: UInt16.self)
                for i in values.indices { typed[i] = UInt16(values[i]) }
            case .int16:
                let typed = raw.bindMemory(to: Int16.self)
                for i in values.indices { typed[i] = Int16(values[i]) }
            default:
                preconditionFailure("sample files hold UInt8, UInt16 or Int16, not \(pixelType.rawValue)")
            }
        }
        self.init(pixelType: pixelType, bandCount: bandCount, size: size, bytes: bytes)
    }
}
