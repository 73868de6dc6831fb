import Foundation
import ScaleTileCore
import Testing
@testable import ScaleTileMedical

/// ImageJ descriptions, OME-XML and the plane-to-page layouts they give, without files.
@Suite("Stack metadata")
struct MetadataTests {
    @Test("an ImageJ description as ImageJ writes it")
    func imageJDescription() throws {
        let metadata = try #require(ImageJMetadata(description: "ImageJ=1.52r\nimages=32\nslices=32\nunit=mm\nspacing=1.5\nloop=false\nmin=3.0\nmax=521.0\n"))
        #expect(metadata.version == "1.52r")
        #expect(metadata.images == 32)
        #expect(metadata.slices == 32)
        #expect(metadata.channels == nil)
        #expect(metadata.unit == "mm")
        #expect(metadata.spacing == 1.5)
        #expect(metadata.dimensions == (1, 32, 1, 32))
        #expect(ImageJMetadata(description: "{\"shape\": [512, 512]}") == nil)
        #expect(ImageJMetadata(description: "ImageJ=1.11a\nspacing=6.499999999999998\n")?.spacing == 6.5)
    }

    @Test("hyperstack counts, and ImageJ's fallback when they do not multiply to the image count")
    func imageJDimensions() throws {
        #expect(dimensions("ImageJ=1.53\nimages=12\nchannels=2\nslices=3\nframes=2\n") == [2, 3, 2, 12])
        #expect(dimensions("ImageJ=1.53\nimages=7\nchannels=2\nslices=3\n") == [1, 7, 1, 7])
        #expect(dimensions("ImageJ=1.53\nimages=9\n") == [1, 9, 1, 9])
        #expect(dimensions("ImageJ=1.53\nslices=4\n") == [1, 4, 1, 4])
    }

    /// Channels, slices, frames and images of an ImageJ description.
    private func dimensions(_ description: String) -> [Int]? {
        ImageJMetadata(description: description).map { [$0.dimensions.channels, $0.dimensions.slices, $0.dimensions.frames, $0.dimensions.images] }
    }

    @Test("unit spellings", arguments: [
        ("micron", "um"), ("microns", "um"), ("\\u00B5m", "um"), ("\u{00B5}m", "um"), ("\u{03BC}m", "um"), ("um", "um"),
        ("mm", "mm"), ("nm", "nm"), ("pixel", "pixel"), ("pixels", "pixel"), ("", "pixel"), (" cm ", "cm"),
    ])
    func units(written: String, normalised: String) {
        #expect(LengthUnit.normalised(written) == normalised)
    }

    @Test("the ImageJ description ScaleTile writes")
    func writtenImageJDescription() {
        #expect(ImageJMetadata.description(channels: 1, slices: 12, spacing: Spacing(x: 1, y: 1, z: 2.5, unit: "mm"))
                == "ImageJ=1.11a\nimages=12\nslices=12\nunit=mm\nspacing=2.5\nloop=false\n")
        #expect(ImageJMetadata.description(channels: 3, slices: 4, spacing: Spacing(x: 1, y: 1, z: 0.3, unit: "um"))
                == "ImageJ=1.11a\nimages=12\nchannels=3\nslices=4\nhyperstack=true\nmode=grayscale\nunit=micron\nspacing=0.3\nloop=false\n")
        #expect(ImageJMetadata.description(channels: 1, slices: 1, spacing: Spacing(x: 1, y: 1, z: 1, unit: "\u{00C5}"))
                .contains("unit=\\u00C5\n"), "ASCII only, with ImageJ's escapes")
    }

    @Test("pixel sizes from XResolution: ImageJ's six-digit rationals, read back as floats, round to what was written")
    func resolutionRounding() {
        #expect(ImageJMetadata.rounded(1 / Double(Float(0.666666)), significantDigits: 6) == 1.5)
        #expect(ImageJMetadata.rounded(1 / Double(Float(1.28)), significantDigits: 6) == 0.78125)
        #expect(ImageJMetadata.rounded(1 / Double(Float(1 / 0.3)), significantDigits: 6) == 0.3)
    }

    // MARK: - OME

    private func ome(order: String = "XYCZT", z: Int, c: Int, t: Int = 1, tiffData: String, extra: String = "") throws -> OMEMetadata {
        try OMEMetadata(xml: OMEXML.pixels(sizeZ: z, sizeC: c, sizeT: t, order: order, tiffData: tiffData, extra: extra), path: "x.ome.tif")
    }

    @Test("OME spec fragment 1: no TiffData attributes map every page in dimension order (XYZTC)")
    func omeDefaultMapping() throws {
        let layout = try StackLayout.ome(try ome(order: "XYZTC", z: 3, c: 2, t: 2, tiffData: "<TiffData/>"), pageCount: 12, samplesPerPixel: 1, path: "x.ome.tif")
        #expect(layout.depth == 3 && layout.pageChannels == 2 && layout.timepoints == 2)
        for c in 0..<2 {
            for t in 0..<2 {
                for z in 0..<3 {
                    #expect(layout.page(channel: c, slice: z, timepoint: t) == z + 3 * (t + 2 * c), "Z\(z) T\(t) C\(c)")
                }
            }
        }
        // Pages past the planes are ignored, as the spec says.
        #expect(try StackLayout.ome(try ome(order: "XYZTC", z: 3, c: 2, t: 2, tiffData: ""), pageCount: 14, samplesPerPixel: 1, path: "x").pages.max() == 11)
    }

    @Test("OME spec fragment 4: one TiffData per page, timepoints stored in reverse")
    func omeExplicitMapping() throws {
        let entries = (0..<6).map { #"<TiffData IFD="\#($0)" FirstT="\#(5 - $0)"/>"# }.joined()
        let layout = try StackLayout.ome(try ome(order: "XYZTC", z: 1, c: 1, t: 6, tiffData: entries), pageCount: 6, samplesPerPixel: 1, path: "x")
        #expect((0..<6).map { layout.page(channel: 0, slice: 0, timepoint: $0) } == [5, 4, 3, 2, 1, 0])
    }

    @Test("OME spec fragment 3: planes the TiffData leaves out have no page, which is an error here")
    func omePartialMapping() throws {
        let metadata = try ome(order: "XYZTC", z: 4, c: 3, t: 2, tiffData: #"<TiffData IFD="3" PlaneCount="5"/>"#)
        #expect(throws: ScaleTileError(.invalidInput, "x", "OME metadata gives no page for plane Z1 C0 T1")) {
            try StackLayout.ome(metadata, pageCount: 24, samplesPerPixel: 1, path: "x")
        }
    }

    @Test("channels interleaved in a page count once among the planes")
    func omeInterleavedChannels() throws {
        let layout = try StackLayout.ome(try ome(z: 5, c: 3, tiffData: "<TiffData/>"), pageCount: 5, samplesPerPixel: 3, path: "x")
        #expect(layout.pageChannels == 1)
        #expect(layout.pages == [0, 1, 2, 3, 4])
    }

    @Test("OME physical sizes: micrometres by default, other axes converted to the unit of X")
    func omeSpacing() throws {
        let plain = try ome(z: 2, c: 1, tiffData: "", extra: #" PhysicalSizeX="0.2" PhysicalSizeY="0.2" PhysicalSizeZ="1.5""#)
        #expect(try plain.spacing(path: "x") == Spacing(x: 0.2, y: 0.2, z: 1.5, unit: "um"))
        let mixed = try ome(z: 2, c: 1, tiffData: "", extra: #" PhysicalSizeX="250" PhysicalSizeXUnit="nm" PhysicalSizeY="0.25" PhysicalSizeYUnit="µm" PhysicalSizeZ="0.002" PhysicalSizeZUnit="mm""#)
        let spacing = try mixed.spacing(path: "x")
        #expect(spacing.unit == "nm")
        #expect(abs(spacing.y - 250) < 1e-9 && abs(spacing.z - 2000) < 1e-9)
        #expect(try ome(z: 2, c: 1, tiffData: "").spacing(path: "x") == .unit)
    }

    @Test("the OME-XML ScaleTile writes reads back")
    func writtenOMEXML() throws {
        let xml = try #require(OMEMetadata.document(width: 64, height: 48, channels: 2, slices: 5, pixelType: .int16,
                                                    spacing: Spacing(x: 0.25, y: 0.25, z: 1, unit: "um")))
        let metadata = try OMEMetadata(xml: xml, path: "x")
        #expect(metadata.sizeX == 64 && metadata.sizeY == 48 && metadata.sizeZ == 5 && metadata.sizeC == 2 && metadata.sizeT == 1)
        #expect(metadata.dimensionOrder == "XYCZT")
        #expect(metadata.pixelType == .int16)
        #expect(try metadata.spacing(path: "x") == Spacing(x: 0.25, y: 0.25, z: 1, unit: "um"))
        #expect(metadata.tiffData == [OMEMetadata.TiffData(ifd: 0, planeCount: 10)])
        #expect(!xml.contains("UUID"), "nothing that changes between runs")
        #expect(OMEMetadata.document(width: 1, height: 1, channels: 1, slices: 1, pixelType: .uint64, spacing: .unit) == nil)
    }
}
