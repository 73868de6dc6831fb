import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// Reading a stack deeper than anyone would want to hold in memory, one slice at a time.
@Suite("Streaming a deep stack", .serialized)
struct StreamingTests {
    @Test("a 512 × 512 × 1024 UInt16 stack (512 MB of voxels) streams slice by slice in bounded memory")
    func deepStack() throws {
        let folder = TemporaryFolder("scaletile-tiff-tests")
        let path = folder.file("deep.tif")
        let width = 512, height = 512, depth = 1024

        // Written one page at a time: slice z holds the value z, with a marker in its last row
        // so a slice read from the wrong rows would show. Deflate keeps the file small on disk.
        let writer = try PageWriter(creating: path, reportingAs: path, bigTIFF: false)
        var slice = RasterBuffer(pixelType: .uint16, bandCount: 1, size: RasterSize(width: width, height: height))
        for z in 0..<depth {
            slice.fill(with: Double(z))
            slice.bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt16(60000), toByteOffset: (width * height - 1) * 2, as: UInt16.self) }
            let format = PageWriter.PageFormat(width: width, height: height, pixelType: .uint16, compression: .deflate)
            try slice.bytes.withUnsafeBytes { try writer.write(format, pixels: $0) }
        }
        writer.finish()

        let peakBefore = peakResidentBytes()
        let stack = try TIFFStack(opening: path)
        #expect(stack.size == RasterSize(width: width, height: height, depth: depth))
        var slicesRight = 0
        try stack.forEachSlice { z, samples in
            let first = samples.load(as: UInt16.self)
            let middle = samples.load(fromByteOffset: (width * height / 2) * 2, as: UInt16.self)
            let last = samples.load(fromByteOffset: samples.count - 2, as: UInt16.self)
            if first == UInt16(z), middle == UInt16(z), last == 60000 { slicesRight += 1 }
        }
        let growth = peakResidentBytes() - peakBefore

        #expect(slicesRight == depth)
        // Holding the volume would take 512 MB; streaming needs one slice (512 KB) and libtiff's buffers.
        #expect(growth < 128 << 20, "peak resident memory grew by \(growth >> 20) MB")
        // Whole striped slices decode straight into the caller's buffer: no scratch at all.
        #expect(stack.scratch.count == 0)

        // A window through every slice also decodes only what it needs: one strip per slice here.
        let column = try stack.read(Window(x: 100, y: 200, z: 0, width: 3, height: 2, depth: depth))
        #expect(column.samples(band: 0).enumerated().allSatisfy { $0.element == Double($0.offset / 6) })
        #expect(stack.scratch.count <= PageWriter.stripTargetBytes)
    }

    /// The process's peak resident set size so far, in bytes.
    private func peakResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024  // Linux reports kilobytes
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss  // macOS reports bytes
        #endif
    }
}
