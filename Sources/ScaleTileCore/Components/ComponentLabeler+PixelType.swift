extension ComponentLabeler {
    /// Labels the next slice given as raw samples of `pixelType` in native byte order (what a
    /// TIFF strip or a ``RasterBuffer`` holds).
    ///
    /// - Throws: ``ScaleTileError/Kind/unsupported`` when the samples are floating point; masks
    ///   need integer labels.
    public mutating func append(slice bytes: UnsafeRawBufferPointer, pixelType: PixelType) throws {
        func appendSamples<Sample: FixedWidthInteger>(of _: Sample.Type) {
            bytes.withMemoryRebound(to: Sample.self) { self.append(slice: $0) }
        }
        switch pixelType {
        case .uint8: appendSamples(of: UInt8.self)
        case .int8: appendSamples(of: Int8.self)
        case .uint16: appendSamples(of: UInt16.self)
        case .int16: appendSamples(of: Int16.self)
        case .uint32: appendSamples(of: UInt32.self)
        case .int32: appendSamples(of: Int32.self)
        case .uint64: appendSamples(of: UInt64.self)
        case .int64: appendSamples(of: Int64.self)
        case .float32, .float64:
            throw ScaleTileError(.unsupported, nil,
                                 "a lesion mask needs integer labels, this one has \(pixelType.rawValue) samples")
        }
    }

    /// The lesions of band `band` (0-based) of a raster held in memory, slice by slice.
    ///
    /// - Throws: ``ScaleTileError/Kind/unsupported`` when the samples are floating point.
    public static func lesions(in raster: RasterBuffer, band: Int = 0,
                               spacing: Spacing = .unit, connectivity: Connectivity = .full) throws -> [Lesion] {
        precondition((0 ..< raster.bandCount).contains(band), "band \(band) of a \(raster.bandCount)-band raster")
        var labeler = ComponentLabeler(width: raster.size.width, height: raster.size.height,
                                       spacing: spacing, connectivity: connectivity)
        let sliceBytes = raster.size.width * raster.size.height * raster.pixelType.byteSize
        try raster.bytes.withUnsafeBytes { bytes in
            for z in 0 ..< raster.size.depth {
                let start = band * raster.bandByteCount + z * sliceBytes
                try labeler.append(slice: UnsafeRawBufferPointer(rebasing: bytes[start ..< start + sliceBytes]),
                                   pixelType: raster.pixelType)
            }
        }
        return labeler.finish()
    }
}
