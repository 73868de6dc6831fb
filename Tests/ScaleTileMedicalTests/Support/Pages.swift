import Foundation
import ScaleTileCore
@testable import ScaleTileMedical

/// Hand-made multi-page TIFFs, written page by page through libtiff (ScaleTile's internal
/// ``PageWriter``), for files no well-behaved writer would make: pages of different sizes,
/// metadata that disagrees with the pages, unusual plane orders.
enum Pages {
    /// One page to write: its size and type, its value at every pixel, and optional tags.
    struct Page {
        var width: Int
        var height: Int
        var pixelType: PixelType = .uint16
        var value: Double = 0
        var description: String? = nil
        var isReducedResolution = false
        var tileSize: Int? = nil
    }

    /// Writes `pages` in order into a new TIFF at `path`.
    static func write(_ pages: [Page], to path: String, bigTIFF: Bool = false) throws {
        let writer = try PageWriter(creating: path, reportingAs: path, bigTIFF: bigTIFF)
        defer { writer.finish() }
        for page in pages {
            var buffer = RasterBuffer(pixelType: page.pixelType, bandCount: 1, size: RasterSize(width: page.width, height: page.height))
            buffer.fill(with: page.value)
            var format = PageWriter.PageFormat(width: page.width, height: page.height, pixelType: page.pixelType, tileSize: page.tileSize)
            format.description = page.description
            format.isReducedResolution = page.isReducedResolution
            try buffer.bytes.withUnsafeBytes { try writer.write(format, pixels: $0) }
        }
    }

    /// `count` pages of `width` × `height`, page n (0-based) filled with the value n.
    static func numbered(_ count: Int, width: Int = 16, height: Int = 12, pixelType: PixelType = .uint16,
                         description: String? = nil) -> [Page] {
        (0..<count).map { Page(width: width, height: height, pixelType: pixelType, value: Double($0), description: $0 == 0 ? description : nil) }
    }
}
