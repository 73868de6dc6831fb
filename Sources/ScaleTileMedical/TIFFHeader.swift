import Foundation
import ScaleTileCore

/// The first bytes of a TIFF file and the links of its directory chain, read without libtiff.
///
/// libtiff decodes everything else. This exists for two questions libtiff answers badly: whether
/// a file is a TIFF at all before anyone tries to open it (anything else is a scene for GDAL),
/// and, when a directory cannot be read, whether that is because the file stops before it, which
/// libtiff reports only as "Can not read TIFF directory count".
struct TIFFHeader {
    /// `MM` byte order.
    let isBigEndian: Bool
    /// 64-bit offsets (`II+` / `MM\0+`).
    let isBigTIFF: Bool
    /// Where the first image file directory starts.
    let firstDirectoryOffset: UInt64
    /// The file's length in bytes.
    let fileSize: UInt64

    /// Reads the header of `path`; nil when the file does not start with a TIFF signature.
    init?(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw ScaleTileError(.notFound, path, "cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { try? file.close() }
        let head = [UInt8]((try? file.read(upToCount: 16)) ?? Data())
        guard head.count >= 8 else { return nil }
        switch (head[0], head[1]) {
        case (0x49, 0x49): isBigEndian = false
        case (0x4D, 0x4D): isBigEndian = true
        default: return nil
        }
        let version = TIFFHeader.integer(head, at: 2, size: 2, bigEndian: isBigEndian)
        switch version {
        case 42:
            isBigTIFF = false
            firstDirectoryOffset = TIFFHeader.integer(head, at: 4, size: 4, bigEndian: isBigEndian)
        case 43 where head.count >= 16:
            isBigTIFF = true
            firstDirectoryOffset = TIFFHeader.integer(head, at: 8, size: 8, bigEndian: isBigEndian)
        default:
            return nil
        }
        fileSize = (try? file.seekToEnd()) ?? 0
    }

    /// How the directory at `offset` overruns the end of the file, as a phrase
    /// (`starts at byte 66675, past the end of the file (60000 bytes)`), or nil when it fits.
    func overrun(ofDirectoryAt offset: UInt64, path: String) -> String? {
        if offset >= fileSize {
            return "starts at byte \(offset), past the end of the file (\(fileSize) bytes)"
        }
        guard let end = directoryEnd(at: offset, path: path) else {
            return "starts at byte \(offset) and is cut off by the end of the file (\(fileSize) bytes)"
        }
        return end > fileSize ? "runs to byte \(end), past the end of the file (\(fileSize) bytes)" : nil
    }

    /// The offset of the directory that follows the one at `offset` in the chain (0 at the end
    /// of the chain), or nil when that part of the file is missing.
    func nextDirectoryOffset(after offset: UInt64, path: String) -> UInt64? {
        guard let end = directoryEnd(at: offset, path: path), end <= fileSize,
              let link = bytes(at: end - UInt64(linkSize), count: linkSize, path: path) else { return nil }
        return TIFFHeader.integer(link, at: 0, size: linkSize, bigEndian: isBigEndian)
    }

    private var countSize: Int { isBigTIFF ? 8 : 2 }
    private var entrySize: Int { isBigTIFF ? 20 : 12 }
    private var linkSize: Int { isBigTIFF ? 8 : 4 }

    /// One past the last byte of the directory at `offset`: entry count, entries, link to the next.
    private func directoryEnd(at offset: UInt64, path: String) -> UInt64? {
        guard let count = bytes(at: offset, count: countSize, path: path) else { return nil }
        let entries = TIFFHeader.integer(count, at: 0, size: countSize, bigEndian: isBigEndian)
        let (body, overflow) = entries.multipliedReportingOverflow(by: UInt64(entrySize))
        guard !overflow, body < UInt64.max / 2 else { return nil }
        return offset + UInt64(countSize) + body + UInt64(linkSize)
    }

    private func bytes(at offset: UInt64, count: Int, path: String) -> [UInt8]? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        guard (try? file.seek(toOffset: offset)) != nil,
              let data = try? file.read(upToCount: count), data.count == count else { return nil }
        return [UInt8](data)
    }

    private static func integer(_ bytes: [UInt8], at start: Int, size: Int, bigEndian: Bool) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<size {
            let byte = UInt64(bytes[bigEndian ? start + i : start + size - 1 - i])
            value = value << 8 | byte
        }
        return value
    }
}
