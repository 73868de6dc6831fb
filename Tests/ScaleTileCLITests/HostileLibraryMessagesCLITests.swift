import Foundation
import Testing
import TestSupport

/// Library chatter: a TIFF whose StripByteCounts tag is ASCII text makes GDAL complain once
/// per strip (480 lines for 480 rows on today's main). A failure prints at most 4 lines, the
/// first naming the file and the problem; repeats are counted, not printed.
@Suite("Hostile: library messages", .serialized)
struct HostileLibraryMessagesCLITests {
    /// A `side`×`side` 8-bit grey TIFF, one row per strip, whose StripByteCounts (tag 279) is
    /// written as ASCII (type 2) — a type libtiff refuses for that tag.
    static func asciiStripByteCounts(side: Int) -> Data {
        var out = Data()
        func u16(_ v: Int) { out.append(contentsOf: withUnsafeBytes(of: UInt16(v).littleEndian, Array.init)) }
        func u32(_ v: Int) { out.append(contentsOf: withUnsafeBytes(of: UInt32(v).littleEndian, Array.init)) }
        let entryCount = 9, ifdOffset = 8
        let offsetsAt = ifdOffset + 2 + entryCount * 12 + 4
        let pixelsAt = offsetsAt + 4 * side
        let counts = Array((Array(repeating: String(side), count: side).joined(separator: " ") + "\0").utf8)
        let countsAt = pixelsAt + side * side
        out.append(contentsOf: Array("II*\0".utf8)); u32(ifdOffset)
        u16(entryCount)
        for (tag, value) in [(256, side), (257, side), (258, 8), (259, 1), (262, 1)] { u16(tag); u16(3); u32(1); u16(value); u16(0) }
        u16(273); u16(4); u32(side); u32(offsetsAt)            // StripOffsets, LONG
        u16(277); u16(3); u32(1); u16(1); u16(0)                // SamplesPerPixel
        u16(278); u16(3); u32(1); u16(1); u16(0)                // RowsPerStrip
        u16(279); u16(2); u32(counts.count); u32(countsAt)     // StripByteCounts as ASCII
        u32(0)
        for row in 0..<side { u32(pixelsAt + row * side) }
        out.append(contentsOf: (0..<(side * side)).map { UInt8(truncatingIfNeeded: $0 * 7) })
        out.append(contentsOf: counts)
        return out
    }

    @Test(arguments: [["tile", "--tile-size", "128"], ["sample", "--strategy", "uniform", "--count", "4", "--patch", "64x64"]])
    func aBrokenTagFailsInAtMostFourLines(_ command: [String]) throws {
        let t = TemporaryFolder()
        let path = t.file("ascii.tif")
        try Self.asciiStripByteCounts(side: 480).write(to: URL(fileURLWithPath: path))
        let result = try ExternalCommand.run("timeout", ["60", ExternalCommand.scaletile, command[0], path] + command.dropFirst() + ["--out", t.file("out")])
        #expect([65, 69, 74].contains(result.status), "exit \(result.status): \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count >= 1 && lines.count <= 4, "\(lines.count) lines: \(result.standardError.prefix(600))")
        #expect(lines.first?.hasPrefix("error: \(path): ") == true, "\(lines.first ?? "")")
        #expect(lines.first.map { $0.contains("StripByteCounts") || $0.contains("ByteCount") } == true)
        let written = (try? FileManager.default.contentsOfDirectory(atPath: t.file("out"))) ?? []
        #expect(written.isEmpty)
    }
}
