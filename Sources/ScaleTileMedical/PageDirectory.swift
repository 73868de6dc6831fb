internal import CTIFF
import ScaleTileCore

/// What one image file directory (a page) says about its pixels: what ScaleTile checks before
/// reading anything, and what it needs to find the strips or tiles under a window.
struct PageDirectory {
    /// 0-based position in the main directory chain (SubIFDs are not in it).
    let index: Int
    /// Where the directory starts, for jumping back to it (`TIFFSetSubDirectory`).
    let offset: UInt64
    /// The page's pixels across and down.
    let width: Int
    let height: Int
    /// Samples per pixel: interleaved channels (contiguous) or planes (separate).
    let samplesPerPixel: Int
    /// Bits of one sample (8, 16, 32 or 64 are read).
    let bitsPerSample: Int
    /// SampleFormat, libtiff's default (unsigned) when absent.
    let sampleFormat: UInt16
    /// Whether the page has a SampleFormat tag at all; OME metadata may then say a type is signed.
    let hasSampleFormat: Bool
    let planar: PlanarConfiguration
    let compression: CompressionScheme
    let photometric: UInt16?
    /// NewSubfileType bits (`FILETYPE_REDUCEDIMAGE` 1, `FILETYPE_PAGE` 2, `FILETYPE_MASK` 4).
    let subfileType: UInt32
    let isTiled: Bool
    /// Tile size, or for strips the page width and the rows per strip.
    let blockWidth: Int
    let blockHeight: Int
    /// Bytes of one decoded strip or tile (libtiff's `TIFFStripSize64`/`TIFFTileSize64`).
    let blockByteCount: Int
    /// Strips or tiles in the page, over all planes.
    let blockCount: Int
    /// The ImageDescription (read on the first page only, where ImageJ and OME put theirs).
    let description: String?
    /// XResolution and YResolution in pixels per ResolutionUnit, when present.
    let resolution: (x: Float, y: Float)?
    /// ResolutionUnit (`RESUNIT_NONE` 1, inch 2, centimetre 3), default inch.
    let resolutionUnit: UInt16
    /// One past the last byte of pixel data, over every strip or tile (0 unless it was asked for).
    let dataEnd: UInt64

    /// Reads the current directory of `file`.
    ///
    /// - Parameter measuringData: walk the strip/tile offsets and byte counts for ``dataEnd``.
    init(current file: TIFFFile, index: Int, measuringData: Bool) {
        let tif = file.handle
        self.index = index
        offset = TIFFCurrentDirOffset(tif)
        width = Int(file.uint32(TIFFTAG_IMAGEWIDTH) ?? 0)
        height = Int(file.uint32(TIFFTAG_IMAGELENGTH) ?? 0)
        samplesPerPixel = Int(file.uint16Defaulted(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
        bitsPerSample = Int(file.uint16Defaulted(TIFFTAG_BITSPERSAMPLE) ?? 1)
        let explicitFormat = file.uint16(TIFFTAG_SAMPLEFORMAT)
        hasSampleFormat = explicitFormat != nil
        sampleFormat = explicitFormat ?? UInt16(SAMPLEFORMAT_UINT)
        planar = file.uint16Defaulted(TIFFTAG_PLANARCONFIG) == UInt16(PLANARCONFIG_SEPARATE) ? .separate : .contig
        compression = CompressionScheme(code: file.uint16Defaulted(TIFFTAG_COMPRESSION) ?? 1)
        photometric = file.uint16(TIFFTAG_PHOTOMETRIC)
        subfileType = file.uint32(TIFFTAG_SUBFILETYPE) ?? 0
        description = index == 0 ? file.string(TIFFTAG_IMAGEDESCRIPTION) : nil
        if let x = file.float(TIFFTAG_XRESOLUTION), let y = file.float(TIFFTAG_YRESOLUTION) {
            resolution = (x, y)
        } else {
            resolution = nil
        }
        resolutionUnit = file.uint16Defaulted(TIFFTAG_RESOLUTIONUNIT) ?? UInt16(RESUNIT_INCH)

        if PageDirectory.decodesYCbCrAsRGB(photometric: photometric, compression: compression) {
            // JPEG pages in YCbCr (GeoTIFF scenes, and the odd RGB stack) come out of libtiff's
            // JPEG codec as RGB with this pseudo-tag, instead of as subsampled YCbCr blocks.
            // The block sizes below depend on it, so it is set before they are asked for.
            _ = st_tiff_set_u16(tif, UInt32(TIFFTAG_JPEGCOLORMODE), UInt16(JPEGCOLORMODE_RGB))
        }
        isTiled = TIFFIsTiled(tif) != 0
        if isTiled {
            blockWidth = Int(file.uint32(TIFFTAG_TILEWIDTH) ?? 0)
            blockHeight = Int(file.uint32(TIFFTAG_TILELENGTH) ?? 0)
            blockByteCount = Int(clamping: TIFFTileSize64(tif))
            blockCount = Int(TIFFNumberOfTiles(tif))
        } else {
            blockWidth = width
            // RowsPerStrip defaults to 2^32 − 1: the whole page in one strip.
            blockHeight = min(Int(file.uint32(TIFFTAG_ROWSPERSTRIP) ?? UInt32.max), height)
            blockByteCount = Int(clamping: TIFFStripSize64(tif))
            blockCount = Int(TIFFNumberOfStrips(tif))
        }

        var end: UInt64 = 0
        if measuringData {
            for block in 0..<UInt32(clamping: blockCount) {
                let byteCount = TIFFGetStrileByteCount(tif, block)
                guard byteCount > 0 else { continue }  // sparse block: no data to be missing
                end = max(end, TIFFGetStrileOffset(tif, block) &+ byteCount)
            }
        }
        dataEnd = end
    }

    /// Whether libtiff's JPEG codec is asked to convert this page's YCbCr to RGB.
    static func decodesYCbCrAsRGB(photometric: UInt16?, compression: CompressionScheme) -> Bool {
        photometric == UInt16(PHOTOMETRIC_YCBCR) && compression.code == UInt16(COMPRESSION_JPEG)
    }

    /// Full resolution: neither a reduced-resolution copy (an overview) nor a transparency mask.
    /// Only such pages are slices.
    var isFullResolution: Bool { subfileType & UInt32(FILETYPE_REDUCEDIMAGE | FILETYPE_MASK) == 0 }

    /// The sample type, or nil when ScaleTile cannot hold it (see ``unsupportedSamples``).
    var pixelType: PixelType? {
        switch (Int32(sampleFormat), bitsPerSample) {
        case (SAMPLEFORMAT_UINT, 8), (SAMPLEFORMAT_VOID, 8): return .uint8
        case (SAMPLEFORMAT_UINT, 16), (SAMPLEFORMAT_VOID, 16): return .uint16
        case (SAMPLEFORMAT_UINT, 32), (SAMPLEFORMAT_VOID, 32): return .uint32
        case (SAMPLEFORMAT_UINT, 64), (SAMPLEFORMAT_VOID, 64): return .uint64
        case (SAMPLEFORMAT_INT, 8): return .int8
        case (SAMPLEFORMAT_INT, 16): return .int16
        case (SAMPLEFORMAT_INT, 32): return .int32
        case (SAMPLEFORMAT_INT, 64): return .int64
        case (SAMPLEFORMAT_IEEEFP, 32): return .float32
        case (SAMPLEFORMAT_IEEEFP, 64): return .float64
        default: return nil
        }
    }

    /// What the page's samples are, in words, when ScaleTile cannot read them; nil when it can.
    var unsupportedSamples: String? {
        guard pixelType == nil else { return nil }
        switch Int32(sampleFormat) {
        case SAMPLEFORMAT_IEEEFP: return "\(bitsPerSample)-bit floating-point samples"
        case SAMPLEFORMAT_COMPLEXINT, SAMPLEFORMAT_COMPLEXIEEEFP: return "complex samples"
        default: return "\(bitsPerSample)-bit samples"
        }
    }

    /// Size, sample type and samples per pixel: what all slices of a stack must share.
    var shape: PageShape {
        PageShape(width: width, height: height, pixelType: pixelType, bitsPerSample: bitsPerSample, samplesPerPixel: samplesPerPixel)
    }

    /// Pages are numbered from 1 in messages, as GDAL's `GTIFF_DIR:n` and ImageJ do.
    var number: Int { index + 1 }

    // MARK: - Block grid

    /// Strips or tiles across one plane.
    var blocksAcross: Int { (width + blockWidth - 1) / blockWidth }
    /// Strips or tiles down one plane.
    var blocksDown: Int { (height + blockHeight - 1) / blockHeight }
    /// Samples interleaved in each pixel of a decoded block.
    var samplesPerBlockPixel: Int { planar == .contig ? samplesPerPixel : 1 }

    /// The strip or tile number (libtiff's `TIFFComputeStrip`/`TIFFComputeTile`) of the block in
    /// column `column` and row `row` of the block grid, in the plane holding sample `sample`.
    func blockNumber(column: Int, row: Int, sample: Int) -> Int {
        let plane = planar == .contig ? 0 : sample
        return (plane * blocksDown + row) * blocksAcross + column
    }
}

/// The part of a page every slice of a stack must agree on.
struct PageShape: Equatable, CustomStringConvertible {
    let width: Int
    let height: Int
    let pixelType: PixelType?
    let bitsPerSample: Int
    let samplesPerPixel: Int

    var description: String {
        let type = pixelType?.rawValue ?? "\(bitsPerSample)-bit"
        let samples = samplesPerPixel > 1 ? " with \(samplesPerPixel) samples per pixel" : ""
        return "\(width)x\(height) \(type)\(samples)"
    }
}
