internal import CTIFF
import ScaleTileCore

/// Encodes single-sample pages, one after another, into a new TIFF through libtiff.
///
/// ``StackWriter`` lays out a patch's planes and metadata; this type knows how one page becomes
/// tags, strips or tiles. It writes no tag that varies between runs (no DateTime, no Software),
/// so equal pages give equal files.
///
/// Not `Sendable`: it owns a libtiff handle being written.
final class PageWriter {
    /// What one page looks like on disk.
    struct PageFormat {
        var width: Int
        var height: Int
        var pixelType: PixelType
        var compression: StackWriter.Compression = .none
        /// Square tiles of this edge (a multiple of 16); nil writes strips.
        var tileSize: Int? = nil
        /// The ImageDescription, written on the first page by convention.
        var description: String? = nil
        /// XResolution and YResolution, pixels per unit (ResolutionUnit none).
        var resolution: (x: Double, y: Double)? = nil
        /// NewSubfileType bit 1: a downsampled copy of another page (pyramid levels, overviews).
        var isReducedResolution = false
        /// SubIFDs that will follow this page (written by the next `subIFDCount` calls).
        var subIFDCount = 0
    }

    /// Strips hold about this many bytes: small enough that a window decodes little it does not
    /// need, large enough that Deflate compresses well.
    static let stripTargetBytes = 64 * 1024

    private let file: TIFFFile
    /// Strips and tiles are staged here: libtiff's predictor and byte swapping work in place on
    /// the buffer they are given, and the caller's pixels must not change.
    private var staging: [UInt8] = []

    /// Creates (truncating) the file at `filePath`; errors name `path`.
    init(creating filePath: String, reportingAs path: String, bigTIFF: Bool) throws {
        file = try TIFFFile(filePath, reportingAs: path, mode: .write(bigTIFF: bigTIFF))
    }

    /// Writes one page from `pixels`: `height` rows of `width` samples, row-major, native byte order.
    func write(_ format: PageFormat, pixels: UnsafeRawBufferPointer) throws {
        let sampleBytes = format.pixelType.byteSize
        precondition(pixels.count == format.width * format.height * sampleBytes, "pixel count does not match the page")
        try setTags(of: format)
        if let tile = format.tileSize {
            try writeTiles(of: format, edge: tile, pixels: pixels)
        } else {
            try writeStrips(of: format, pixels: pixels)
        }
        file.clearErrors()
        guard TIFFWriteDirectory(file.handle) == 1 else {
            throw ScaleTileError(.io, file.path, "cannot write a page directory: \(file.failure("libtiff gave no reason"))")
        }
    }

    /// Closes the file; the handle is unusable afterwards.
    func finish() {
        file.close()
    }

    private func setTags(of format: PageFormat) throws {
        let tif = file.handle
        var ok = true
        func set16(_ tag: Int32, _ value: Int32) { ok = ok && st_tiff_set_u16(tif, UInt32(tag), UInt16(value)) == 1 }
        func set32(_ tag: Int32, _ value: Int) { ok = ok && st_tiff_set_u32(tif, UInt32(tag), UInt32(value)) == 1 }

        file.clearErrors()
        if format.isReducedResolution { set32(TIFFTAG_SUBFILETYPE, Int(FILETYPE_REDUCEDIMAGE)) }
        set32(TIFFTAG_IMAGEWIDTH, format.width)
        set32(TIFFTAG_IMAGELENGTH, format.height)
        set16(TIFFTAG_BITSPERSAMPLE, Int32(format.pixelType.byteSize * 8))
        set16(TIFFTAG_SAMPLESPERPIXEL, 1)
        set16(TIFFTAG_SAMPLEFORMAT, format.pixelType.isFloatingPoint ? SAMPLEFORMAT_IEEEFP
              : format.pixelType.isSignedInteger ? SAMPLEFORMAT_INT : SAMPLEFORMAT_UINT)
        set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK)
        set16(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
        switch format.compression {
        case .none:
            set16(TIFFTAG_COMPRESSION, COMPRESSION_NONE)
        case .deflate:
            set16(TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE)
            // Horizontal differencing makes smooth integer images compress much better; it is
            // defined for integers only (floats would need predictor 3).
            if !format.pixelType.isFloatingPoint { set16(TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) }
        }
        if let tile = format.tileSize {
            set32(TIFFTAG_TILEWIDTH, tile)
            set32(TIFFTAG_TILELENGTH, tile)
        } else {
            set32(TIFFTAG_ROWSPERSTRIP, rowsPerStrip(format))
        }
        if let resolution = format.resolution {
            ok = ok && st_tiff_set_double(tif, UInt32(TIFFTAG_XRESOLUTION), resolution.x) == 1
            ok = ok && st_tiff_set_double(tif, UInt32(TIFFTAG_YRESOLUTION), resolution.y) == 1
            set16(TIFFTAG_RESOLUTIONUNIT, RESUNIT_NONE)
        }
        if let description = format.description {
            ok = ok && st_tiff_set_string(tif, UInt32(TIFFTAG_IMAGEDESCRIPTION), description) == 1
        }
        if format.subIFDCount > 0 {
            ok = ok && st_tiff_set_subifd_count(tif, UInt16(format.subIFDCount)) == 1
        }
        guard ok else {
            throw ScaleTileError(.io, file.path, "cannot set the tags of a page: \(file.failure("libtiff refused a value"))")
        }
    }

    private func rowsPerStrip(_ format: PageFormat) -> Int {
        let rowBytes = format.width * format.pixelType.byteSize
        return max(1, min(format.height, PageWriter.stripTargetBytes / rowBytes))
    }

    private func writeStrips(of format: PageFormat, pixels: UnsafeRawBufferPointer) throws {
        let rowBytes = format.width * format.pixelType.byteSize
        let rows = rowsPerStrip(format)
        for (strip, top) in stride(from: 0, to: format.height, by: rows).enumerated() {
            let byteCount = min(rows, format.height - top) * rowBytes
            staging.removeAll(keepingCapacity: true)
            staging.append(contentsOf: UnsafeRawBufferPointer(rebasing: pixels[(top * rowBytes)..<(top * rowBytes + byteCount)]))
            try encode(block: strip, byteCount: byteCount, tiled: false)
        }
    }

    private func writeTiles(of format: PageFormat, edge: Int, pixels: UnsafeRawBufferPointer) throws {
        let sampleBytes = format.pixelType.byteSize
        let rowBytes = format.width * sampleBytes
        let tileRowBytes = edge * sampleBytes
        let across = (format.width + edge - 1) / edge
        for top in stride(from: 0, to: format.height, by: edge) {
            for left in stride(from: 0, to: format.width, by: edge) {
                let copyBytes = min(edge, format.width - left) * sampleBytes
                staging.removeAll(keepingCapacity: true)
                staging.append(contentsOf: repeatElement(0, count: edge * tileRowBytes))
                staging.withUnsafeMutableBytes { tile in
                    // Edge tiles keep zeros past the page's edge: TIFF tiles are always whole.
                    for row in 0..<min(edge, format.height - top) {
                        let source = pixels.baseAddress! + (top + row) * rowBytes + left * sampleBytes
                        (tile.baseAddress! + row * tileRowBytes).copyMemory(from: source, byteCount: copyBytes)
                    }
                }
                try encode(block: (top / edge) * across + left / edge, byteCount: staging.count, tiled: true)
            }
        }
    }

    private func encode(block: Int, byteCount: Int, tiled: Bool) throws {
        file.clearErrors()
        let written = staging.withUnsafeMutableBytes { bytes in
            tiled
                ? TIFFWriteEncodedTile(file.handle, UInt32(block), bytes.baseAddress, tmsize_t(byteCount))
                : TIFFWriteEncodedStrip(file.handle, UInt32(block), bytes.baseAddress, tmsize_t(byteCount))
        }
        guard written >= 0 else {
            throw ScaleTileError(.io, file.path, "cannot write \(tiled ? "tile" : "strip") \(block): \(file.failure("libtiff gave no reason"))")
        }
    }
}
