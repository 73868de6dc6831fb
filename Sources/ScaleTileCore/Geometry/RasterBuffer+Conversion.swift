extension RasterBuffer {
    /// The same samples as another sample type.
    ///
    /// Widening to `Float64` is exact for every type but 64-bit integers beyond 2^53. Towards an
    /// integer type values are rounded to the nearest integer, halves away from zero (2.5 → 3,
    /// −2.5 → −3), and clamped to the type's range; NaN becomes 0. Towards `Float32` they are
    /// rounded to the nearest float.
    ///
    /// Level averages are computed in `Float64` and brought back through this, so the rounding
    /// rule of every level voxel is this one.
    ///
    /// - Complexity: O(samples).
    public func converted(to target: PixelType) -> RasterBuffer {
        guard target != pixelType else { return self }
        var output = RasterBuffer(pixelType: target, bandCount: bandCount, size: size)
        let range = target.valueRange
        let bands = bandCount, bandLength = size.pixelCount
        output.bytes.withUnsafeMutableBytes { raw in
            func store<T>(_: T.Type, _ convert: (Double) -> T) {
                let samples = raw.bindMemory(to: T.self)
                for band in 0 ..< bands {
                    let offset = band * bandLength
                    forEachSample(band: band) { i, value in samples[offset + i] = convert(value) }
                }
            }
            func integer(_ value: Double) -> Double {
                value.isNaN ? 0 : Swift.min(Swift.max(value.rounded(), range.lowerBound), range.upperBound)
            }
            switch target {
            case .uint8: store(UInt8.self) { UInt8(integer($0)) }
            case .int8: store(Int8.self) { Int8(integer($0)) }
            case .uint16: store(UInt16.self) { UInt16(integer($0)) }
            case .int16: store(Int16.self) { Int16(integer($0)) }
            case .uint32: store(UInt32.self) { UInt32(integer($0)) }
            case .int32: store(Int32.self) { Int32(integer($0)) }
            // 2^64 and 2^63 are the ranges' exclusive ends as Doubles: stay below them.
            case .uint64: store(UInt64.self) { let v = integer($0); return v >= 0x1p64 ? .max : UInt64(v) }
            case .int64: store(Int64.self) { let v = integer($0); return v >= 0x1p63 ? .max : Int64(v) }
            case .float32: store(Float.self) { Float($0) }
            case .float64: store(Double.self) { $0 }
            }
        }
        return output
    }
}
