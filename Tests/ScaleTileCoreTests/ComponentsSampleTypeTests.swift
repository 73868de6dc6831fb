import Testing
import ScaleTileCore

@Suite("Connected components: sample types")
struct ComponentsSampleTypeTests {
    @Test("UInt16 labels that differ only in their high byte stay apart")
    func uint16HighByte() {
        // 0x0101 and 0x0102 share their low byte; the runs cross 4-sample words of a row of 13.
        var mask = TestMask(width: 13, height: 2)
        for x in 0 ..< 6 { mask[x, 0, 0] = 0x0101; mask[x, 1, 0] = 0x0101 }
        for x in 6 ..< 13 { mask[x, 0, 0] = 0x0102; mask[x, 1, 0] = 0x0102 }
        let lesions = mask.lesions(.full, as: UInt16.self)
        #expect(lesions.map(\.label) == [0x0101, 0x0102])
        #expect(lesions.map(\.voxels) == [12, 14])
    }

    @Test("negative Int16 and Int32 values are labels too")
    func negativeLabels() {
        let mask = TestMask(slices: ["1111....1111", "............"])
        var negative = mask
        for x in 4 ..< 8 { negative[x, 0, 0] = -1 }
        for type in [Int16.self, Int32.self] as [any FixedWidthInteger.Type] {
            func lesions<Sample: FixedWidthInteger>(_: Sample.Type) -> [Lesion] { negative.lesions(.full, as: Sample.self) }
            let found = lesions(type)
            // Runs 1 (x 0–3), −1 (x 4–7), 1 (x 8–11): three lesions, the two 1-runs split by −1.
            #expect(found.map(\.label) == [1, -1, 1])
            #expect(found.map(\.voxels) == [4, 4, 4])
        }
    }

    @Test("UInt32 labels past 16 bits and UInt8 255")
    func wideAndFullByteLabels() {
        var mask = TestMask(width: 10, height: 1)
        for x in 0 ..< 5 { mask[x, 0, 0] = 70_000 }
        for x in 5 ..< 10 { mask[x, 0, 0] = 70_001 }
        #expect(mask.lesions(.full, as: UInt32.self).map(\.label) == [70_000, 70_001])

        let bytes = TestMask(width: 17, height: 1, fill: 255)
        #expect(bytes.lesions(.full, as: UInt8.self).map(\.voxels) == [17])
    }

    @Test("raw bytes of any integer pixel type label like typed samples")
    func rawBytes() throws {
        let mask = ComponentsStreamingTests.cubesAlongZ(count: 9, perBand: 3)
        let expected = mask.lesions(.full, as: UInt16.self)
        // Band 0 is empty; band 1 holds the mask.
        let samples = [UInt16](repeating: 0, count: mask.labels.count) + mask.samples(as: UInt16.self)
        let bytes = samples.withUnsafeBytes { [UInt8]($0) }
        let raster = RasterBuffer(pixelType: .uint16, bandCount: 2, size: mask.size, bytes: bytes)
        #expect(try ComponentLabeler.lesions(in: raster, band: 1) == expected)
        #expect(try ComponentLabeler.lesions(in: raster, band: 0).isEmpty)
    }

    @Test("floating-point masks are refused")
    func floatingPoint() {
        let raster = RasterBuffer(pixelType: .float32, bandCount: 1, size: RasterSize(width: 4, height: 4))
        #expect {
            try ComponentLabeler.lesions(in: raster)
        } throws: { error in
            (error as? ScaleTileError)?.kind == .unsupported
        }
    }
}
