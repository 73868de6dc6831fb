extension RasterBuffer {
    /// Fills the pixels of `region` (buffer pixels, clipped to the buffer) in every band with
    /// `value`, converted as ``fill(with:)`` converts it.
    public mutating func fill(_ region: Window, with value: Double) {
        guard let inside = region.intersection(Window(x: 0, y: 0, width: size.width, height: size.height)), !inside.isEmpty else { return }
        // One row of the value in the sample type, copied into each row of each band.
        var row = RasterBuffer(pixelType: pixelType, bandCount: 1, size: RasterSize(width: inside.width, height: 1))
        row.fill(with: value)
        let sampleBytes = pixelType.byteSize
        let rowBytes = inside.width * sampleBytes
        for band in 0..<bandCount {
            for y in inside.y..<inside.maxY {
                let start = band * bandByteCount + (y * size.width + inside.x) * sampleBytes
                bytes.replaceSubrange(start..<(start + rowBytes), with: row.bytes)
            }
        }
    }
}
