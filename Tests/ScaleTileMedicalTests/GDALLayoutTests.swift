import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// Multi-page files written by GDAL, an independent TIFF writer, in the layouts stacks come in:
/// several samples per pixel stored contiguously or in separate planes, strips and tiles whose
/// edges do not line up with the image, the codecs and predictors libtiff decodes, big-endian
/// byte order and BigTIFF. Lossless files must read back as the volume that was written.
@Suite("Layouts written by GDAL",
       // GDAL writes the fixtures (one page per call, appending).
       .enabled(if: GDAL.isAvailable, "needs gdal_translate to write the files"))
struct GDALLayoutTests {
    struct Layout: Sendable, CustomTestStringConvertible {
        let name: String
        let pixelType: PixelType
        let channels: Int
        let options: [String]
        var lossless = true
        var testDescription: String { name }
    }

    static let layouts: [Layout] = [
        Layout(name: "strips, 3 samples contiguous, uncompressed", pixelType: .uint16, channels: 3, options: ["INTERLEAVE=PIXEL", "BLOCKYSIZE=4"]),
        Layout(name: "strips, 3 samples in separate planes, Deflate", pixelType: .uint16, channels: 3, options: ["INTERLEAVE=BAND", "COMPRESS=DEFLATE", "BLOCKYSIZE=5"]),
        Layout(name: "tiles, contiguous, LZW with predictor", pixelType: .int16, channels: 3, options: ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=LZW", "PREDICTOR=2", "INTERLEAVE=PIXEL"]),
        Layout(name: "tiles, separate planes, Zstandard", pixelType: .float32, channels: 2, options: ["TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=16", "COMPRESS=ZSTD", "INTERLEAVE=BAND"]),
        Layout(name: "BigTIFF tiles, PackBits", pixelType: .uint8, channels: 1, options: ["BIGTIFF=YES", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=PACKBITS"]),
        Layout(name: "strips, LZMA with floating-point predictor", pixelType: .float64, channels: 1, options: ["COMPRESS=LZMA", "PREDICTOR=3"]),
        Layout(name: "big-endian Deflate", pixelType: .int32, channels: 2, options: ["ENDIANNESS=BIG", "COMPRESS=DEFLATE", "PREDICTOR=2", "INTERLEAVE=PIXEL"]),
        Layout(name: "big-endian uncompressed tiles", pixelType: .uint32, channels: 1, options: ["ENDIANNESS=BIG", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=32"]),
        Layout(name: "LERC", pixelType: .uint16, channels: 1, options: ["COMPRESS=LERC", "MAX_Z_ERROR=0"]),
        Layout(name: "JPEG tiles", pixelType: .uint8, channels: 1, options: ["COMPRESS=JPEG", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], lossless: false),
    ]

    /// 37 × 29 pixels: no block size divides it, so every layout has partial edge blocks.
    static let size = RasterSize(width: 37, height: 29, depth: 4)

    @Test("reads back as written, window by window", arguments: layouts)
    func layout(_ layout: Layout) throws {
        let folder = TemporaryFolder("scaletile-tiff-tests")
        let volume = Volumes.sphere(layout.pixelType, channels: layout.channels, size: Self.size, radius: 9)
        let path = folder.file("stack.tif")
        for z in 0..<Self.size.depth {
            try GDAL.writePage(Volumes.slice(volume, z: z), to: path, options: layout.options, append: z > 0, in: folder)
        }

        let stack = try TIFFStack(opening: path)
        #expect(stack.flavour == .plain)
        #expect(stack.size == Self.size)
        #expect(stack.channelCount == layout.channels)
        #expect(stack.pixelType == layout.pixelType)
        #expect(stack.spacing == .unit)
        let info = stack.info
        #expect(info.tiled == layout.options.contains("TILED=YES"))
        #expect(info.bigTIFF == layout.options.contains("BIGTIFF=YES"))
        #expect(info.planarConfig == (layout.options.contains("INTERLEAVE=BAND") && layout.channels > 1 ? .separate : .contig))
        if let compress = layout.options.first(where: { $0.hasPrefix("COMPRESS=") }) {
            #expect(info.compression == compress.dropFirst("COMPRESS=".count).lowercased())
        } else {
            #expect(info.compression == "none")
        }

        // What GDAL reads from the same file: the truth for lossy codecs, and for lossless ones
        // it must equal the volume written.
        var decoded: [UInt8] = []
        for c in 0..<layout.channels {
            for z in 0..<Self.size.depth {
                decoded += try GDAL.samples(of: path, page: z + 1, window: Window(x: 0, y: 0, width: 37, height: 29), bands: [c + 1], in: folder)
            }
        }
        let truth = RasterBuffer(pixelType: layout.pixelType, bandCount: layout.channels, size: Self.size, bytes: decoded)
        if layout.lossless { #expect(truth.bytes == volume.bytes, "GDAL reads back what it wrote") }

        #expect(try stack.read(Window(size: Self.size)).bytes == truth.bytes)
        let channelOrders = layout.channels == 1 ? [[0]] : [Array((0..<layout.channels).reversed()), [layout.channels - 1]]
        for (i, window) in Volumes.windows(over: Self.size, count: 30, seed: UInt64(layout.name.utf8.count)).enumerated() {
            let channels = channelOrders[i % channelOrders.count]
            let fill = layout.pixelType.isSignedInteger || layout.pixelType.isFloatingPoint ? -3.0 : 3.0
            #expect(try stack.read(window, channels: channels, fill: fill).bytes
                    == Volumes.expectedRead(of: truth, window: window, channels: channels, fill: fill).bytes,
                    "window \(window), channels \(channels)")
        }
        var slice: [UInt8] = []
        try stack.readSlice(2, channel: layout.channels - 1, into: &slice)
        #expect(slice == Volumes.bytes(of: truth, channel: layout.channels - 1, window: Window(x: 0, y: 0, z: 2, width: 37, height: 29, depth: 1)))
    }

    @Test("a single-page JPEG/YCbCr GeoTIFF with overviews and mask opens as a depth-1 stack, as GDAL decodes it",
          .enabled(if: SharedData.isAvailable, "needs ../shared/data/satellite/aerial/cogeo.tif"))
    func sceneAsStack() throws {
        let path = SharedData.path("satellite/aerial/cogeo.tif")
        let folder = TemporaryFolder("scaletile-tiff-tests")
        let stack = try TIFFStack(opening: path)
        #expect(stack.size == RasterSize(width: 1024, height: 1024, depth: 1))
        #expect(stack.channelCount == 3)
        #expect(stack.pageCount == 14)
        let window = Window(x: 500, y: 300, z: 0, width: 40, height: 250, depth: 1)  // across the 512-pixel tiles
        #expect(try stack.read(window).bytes == (try GDAL.samples(of: path, page: 1, window: window, in: folder)))
    }
}
