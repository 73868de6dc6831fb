internal import CTIFF

/// A value of the TIFF Compression tag (`COMPRESSION_*` in tiff.h), with the short name
/// `scaletile info` reports for it.
struct CompressionScheme: Hashable {
    /// The tag's value.
    let code: UInt16

    /// `COMPRESSION_NONE`.
    static let none = CompressionScheme(code: 1)
    /// `COMPRESSION_ADOBE_DEFLATE`, the code current writers use for zlib/Deflate.
    static let deflate = CompressionScheme(code: 8)

    /// A lower-case name: `none`, `lzw`, `deflate`, `jpeg`, `zstd`, …; unknown codes by number.
    var name: String {
        switch code {
        case 1: return "none"
        case 2, 3, 4, 32771: return "ccitt"
        case 5: return "lzw"
        case 6, 7: return "jpeg"  // old-style (6) and current (7) JPEG
        case 8, 32946: return "deflate"  // Adobe's code (8) and the legacy one (32946)
        case 32773: return "packbits"
        case 32909: return "pixarlog"
        case 34661: return "jbig"
        case 34712: return "jpeg2000"
        case 34887: return "lerc"
        case 34925: return "lzma"
        case 50000: return "zstd"
        case 50001: return "webp"
        case 50002: return "jpegxl"
        default: return "compression \(code)"
        }
    }

    /// Whether the libtiff in use was built with a decoder for this scheme.
    var isDecodable: Bool { TIFFIsCODECConfigured(code) != 0 }
}
