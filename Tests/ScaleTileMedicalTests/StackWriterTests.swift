import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// Patches written with ``StackWriter``, read back with ``TIFFStack`` and, independently, with GDAL.
@Suite("Writing stack patches")
struct StackWriterTests {
    let folder: TemporaryFolder

    init() throws { folder = TemporaryFolder("scaletile-tiff-tests") }

    // MARK: - ImageJ

    @Test("an ImageJ sphere stack: page N holds slice N, with ImageJ's description and resolution",
          .enabled(if: GDAL.isAvailable, "needs GDAL as the independent reader"))
    func imageJSphere() throws {
        let patch = Volumes.sphere(.uint16, size: RasterSize(width: 48, height: 40, depth: 12), radius: 9)
        let spacing = Spacing(x: 0.8, y: 0.8, z: 2.5, unit: "mm")
        let path = folder.file("sphere.tif")
        try StackWriter(format: .tiff).write(patch, spacing: spacing, to: path)

        let stack = try TIFFStack(opening: path)
        #expect(stack.flavour == .imagej)
        #expect(stack.size == patch.size)
        #expect(stack.spacing == spacing)
        #expect(try stack.read(Window(size: stack.size)).bytes == patch.bytes)

        for z in 0..<12 {
            let slice = Window(x: 0, y: 0, z: z, width: 48, height: 40, depth: 1)
            #expect(try GDAL.page(z + 1, of: path, width: 48, height: 40, in: folder) == Volumes.bytes(of: patch, channel: 0, window: slice), "page \(z + 1)")
        }
        // The centre of the ball, through GDAL: slice 5 or 6 (the centre lies between them), row 19/20.
        let centre = try GDAL.samples(of: path, page: 6, window: Window(x: 23, y: 19, width: 2, height: 2), in: folder)
        #expect(centre.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) } == [100, 100, 100, 100])

        #expect(try GDAL.tiffTag("TIFFTAG_IMAGEDESCRIPTION", of: path) == "ImageJ=1.11a\nimages=12\nslices=12\nunit=mm\nspacing=2.5\nloop=false\n")
        #expect(try GDAL.tiffTag("TIFFTAG_IMAGEDESCRIPTION", of: path, page: 2) == nil)
        #expect(try GDAL.tiffTag("TIFFTAG_XRESOLUTION", of: path).flatMap(Double.init) == 1.25)
        #expect(try GDAL.tiffTag("TIFFTAG_YRESOLUTION", of: path).flatMap(Double.init) == 1.25)
        #expect(try GDAL.tiffTag("TIFFTAG_RESOLUTIONUNIT", of: path) == "1 (unitless)")
        let structure = try GDAL.info(of: path)["metadata"] as? [String: Any]
        #expect((structure?["IMAGE_STRUCTURE"] as? [String: Any])?["COMPRESSION"] as? String == "DEFLATE")
        #expect((structure?["IMAGE_STRUCTURE"] as? [String: Any])?["PREDICTOR"] as? String == "2")
    }

    @Test("an ImageJ hyperstack stores channels fastest and keeps channels, spacing and unit",
          .enabled(if: GDAL.isAvailable, "needs GDAL as the independent reader"))
    func imageJChannels() throws {
        let patch = Volumes.sphere(.int16, channels: 2, size: RasterSize(width: 20, height: 18, depth: 5), radius: 4)
        let spacing = Spacing(x: 0.25, y: 0.3, z: 0.5, unit: "um")
        let path = folder.file("channels.tif")
        try StackWriter(format: .tiff, compression: .none).write(patch, spacing: spacing, to: path)

        #expect(try GDAL.tiffTag("TIFFTAG_IMAGEDESCRIPTION", of: path)
                == "ImageJ=1.11a\nimages=10\nchannels=2\nslices=5\nhyperstack=true\nmode=grayscale\nunit=micron\nspacing=0.5\nloop=false\n")
        for z in 0..<5 {
            for c in 0..<2 {
                let expected = Volumes.bytes(of: patch, channel: c, window: Window(x: 0, y: 0, z: z, width: 20, height: 18, depth: 1))
                #expect(try GDAL.page(z * 2 + c + 1, of: path, width: 20, height: 18, in: folder) == expected, "z \(z) c \(c)")
            }
        }
        let stack = try TIFFStack(opening: path)
        #expect(stack.channelCount == 2)
        #expect(stack.size.depth == 5)
        #expect(stack.spacing == spacing)
        #expect(stack.info.compression == "none")
        #expect(try stack.read(Window(size: stack.size)).bytes == patch.bytes)
        #expect(try stack.read(Window(size: stack.size), channels: [1]).bytes
                == Volumes.bytes(of: patch, channel: 1, window: Window(size: patch.size)))
    }

    // MARK: - OME-TIFF

    @Test("an OME-TIFF with tiles keeps channels, planes and physical sizes",
          .enabled(if: GDAL.isAvailable, "needs GDAL as the independent reader"))
    func omeChannelsTiled() throws {
        let patch = Volumes.sphere(.float32, channels: 3, size: RasterSize(width: 40, height: 35, depth: 4), radius: 6)
        let spacing = Spacing(x: 0.5, y: 0.5, z: 2, unit: "um")
        let path = folder.file("patch.ome.tif")
        try StackWriter(format: .omeTiff, compression: .deflate, tileSize: 16).write(patch, spacing: spacing, to: path)

        let description = try #require(try GDAL.tiffTag("TIFFTAG_IMAGEDESCRIPTION", of: path))
        for fragment in [#"DimensionOrder="XYCZT""#, #"Type="float""#, #"SizeX="40""#, #"SizeY="35""#, #"SizeZ="4""#, #"SizeC="3""#,
                         #"SizeT="1""#, #"PhysicalSizeX="0.5""#, #"PhysicalSizeXUnit="µm""#, #"PhysicalSizeZ="2.0""#,
                         #"<TiffData IFD="0" PlaneCount="12"/>"#] {
            #expect(description.contains(fragment), "OME-XML lacks \(fragment)")
        }
        #expect(try XMLDocument(xmlString: description).rootElement()?.name == "OME")
        for z in 0..<4 {
            for c in 0..<3 {
                let expected = Volumes.bytes(of: patch, channel: c, window: Window(x: 0, y: 0, z: z, width: 40, height: 35, depth: 1))
                #expect(try GDAL.page(z * 3 + c + 1, of: path, width: 40, height: 35, in: folder) == expected, "z \(z) c \(c)")
            }
        }
        let stack = try TIFFStack(opening: path)
        #expect(stack.flavour == .ome)
        #expect(stack.channelCount == 3)
        #expect(stack.spacing == spacing)
        #expect(stack.info.tiled == true)
        #expect(stack.info.blockSize == [16, 16])
        for window in Volumes.windows(over: patch.size, count: 40, seed: 7) {
            let channels = [2, 0]
            #expect(try stack.read(window, channels: channels, fill: -1.5).bytes
                    == Volumes.expectedRead(of: patch, window: window, channels: channels, fill: -1.5).bytes, "window \(window)")
        }
    }

    @Test("pyramid levels become SubIFDs of each plane, which GDAL sees as overviews and slices do not count",
          .enabled(if: GDAL.isAvailable, "needs GDAL as the independent reader"))
    func omePyramid() throws {
        let patch = Volumes.sphere(.uint8, channels: 2, size: RasterSize(width: 64, height: 48, depth: 3), radius: 12)
        let half = Volumes.make(.uint8, channels: 2, size: RasterSize(width: 32, height: 24, depth: 3)) { c, x, y, z in Double(10 * c + x + y + z) }
        let quarter = Volumes.make(.uint8, channels: 2, size: RasterSize(width: 16, height: 12, depth: 3)) { c, x, y, z in Double(200 - c - x - y - z) }
        let path = folder.file("pyramid.ome.tif")
        try StackWriter(format: .omeTiff, tileSize: 16).write(patch, spacing: Spacing(x: 1, y: 1, z: 1, unit: "mm"), to: path, pyramid: [half, quarter])

        let stack = try TIFFStack(opening: path)
        #expect(stack.pageCount == 6)
        #expect(stack.size == patch.size)
        #expect(try stack.read(Window(size: stack.size)).bytes == patch.bytes)
        for z in 0..<3 {
            for c in 0..<2 {
                let page = z * 2 + c + 1
                #expect(try GDAL.overview(0, ofPage: page, of: path, in: folder)
                        == Volumes.bytes(of: half, channel: c, window: Window(x: 0, y: 0, z: z, width: 32, height: 24, depth: 1)), "page \(page) level 1")
                #expect(try GDAL.overview(1, ofPage: page, of: path, in: folder)
                        == Volumes.bytes(of: quarter, channel: c, window: Window(x: 0, y: 0, z: z, width: 16, height: 12, depth: 1)), "page \(page) level 2")
            }
        }
    }

    // MARK: - Sample types, BigTIFF, .npy

    @Test("every sample type survives ImageJ TIFF and OME-TIFF, compressed or not", arguments: PixelType.allCases)
    func sampleTypes(_ pixelType: PixelType) throws {
        let patch = Volumes.make(pixelType, channels: 2, size: RasterSize(width: 19, height: 13, depth: 3)) { c, x, y, z in
            let v = Double(x * 7 + y * 3 + z * 11 + c * 5)
            return pixelType.isFloatingPoint ? v / 4 - 20 : pixelType.isSignedInteger ? v.truncatingRemainder(dividingBy: 100) - 50 : v
        }
        let spacing = Spacing(x: 0.7, y: 0.7, z: 1.4, unit: "mm")
        for format in [TileFormat.tiff, .omeTiff] {
            for compression in StackWriter.Compression.allCases {
                let path = folder.file("\(pixelType.rawValue)-\(compression.rawValue).\(format.fileExtension)")
                let writer = try StackWriter(format: format, compression: compression)
                if format == .omeTiff, pixelType == .int64 || pixelType == .uint64 {
                    #expect(throws: ScaleTileError(.unsupported, path, "OME-TIFF has no \(pixelType.rawValue) sample type; write tiff or npy instead")) {
                        try writer.write(patch, spacing: spacing, to: path)
                    }
                    continue
                }
                try writer.write(patch, spacing: spacing, to: path)
                let stack = try TIFFStack(opening: path)
                #expect(stack.pixelType == pixelType, "\(path)")
                #expect(try stack.read(Window(size: patch.size)).bytes == patch.bytes, "\(path)")
                if GDAL.isAvailable, [.uint8, .uint16, .int16, .uint32, .int32, .float32, .float64].contains(pixelType) {
                    let expected = Volumes.bytes(of: patch, channel: 1, window: Window(x: 0, y: 0, z: 2, width: 19, height: 13, depth: 1))
                    #expect(try GDAL.page(6, of: path, width: 19, height: 13, in: folder) == expected, "\(path)")
                }
            }
        }
    }

    @Test("BigTIFF on request: the header says so and GDAL reads the pages",
          .enabled(if: GDAL.isAvailable, "needs GDAL as the independent reader"))
    func bigTIFF() throws {
        let patch = Volumes.sphere(.uint16, size: RasterSize(width: 30, height: 30, depth: 6), radius: 8)
        for format in [TileFormat.tiff, .omeTiff] {
            let path = folder.file("big.\(format.fileExtension)")
            try StackWriter(format: format, bigTIFF: true).write(patch, spacing: Spacing(x: 1, y: 1, z: 2, unit: "mm"), to: path)
            let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 4)
            #expect(header.map(Array.init) == [0x49, 0x49, 0x2B, 0x00], "\(path) starts with II+")
            let stack = try TIFFStack(opening: path)
            #expect(stack.isBigTIFF && stack.info.bigTIFF == true)
            #expect(try stack.read(Window(size: stack.size)).bytes == patch.bytes)
            #expect(try GDAL.page(4, of: path, width: 30, height: 30, in: folder)
                    == Volumes.bytes(of: patch, channel: 0, window: Window(x: 0, y: 0, z: 3, width: 30, height: 30, depth: 1)))
        }
    }

    @Test(".npy patches are (C, Z, Y, X) arrays of the buffer's bytes")
    func numpy() throws {
        let patch = Volumes.sphere(.int16, channels: 2, size: RasterSize(width: 9, height: 7, depth: 5), radius: 3)
        let path = folder.file("patch.npy")
        try StackWriter(format: .npy).write(patch, spacing: Spacing(x: 1, y: 1, z: 1, unit: "mm"), to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let header = try #require(NumpyArrayFile.parseHeader(data))
        #expect(header.descriptor == "<i2")
        #expect(header.shape == [2, 5, 7, 9])
        #expect([UInt8](data[header.dataOffset...]) == patch.bytes)
    }

    // MARK: - Determinism and atomicity

    @Test("equal patches give byte-identical files, and nothing but the files is left behind")
    func deterministicAndAtomic() throws {
        let patch = Volumes.sphere(.uint16, channels: 2, size: RasterSize(width: 33, height: 21, depth: 4), radius: 6)
        let level = Volumes.make(.uint16, channels: 2, size: RasterSize(width: 17, height: 11, depth: 4)) { c, x, y, z in Double(c + x + y + z) }
        let spacing = Spacing(x: 0.5, y: 0.5, z: 1.25, unit: "mm")
        let writers = [try StackWriter(format: .tiff), try StackWriter(format: .omeTiff, tileSize: 16), try StackWriter(format: .npy)]
        for (i, writer) in writers.enumerated() {
            let pyramid = writer.format == .omeTiff ? [level] : []
            let first = folder.file("a\(i).\(writer.format.fileExtension)"), second = folder.file("b\(i).\(writer.format.fileExtension)")
            try writer.write(patch, spacing: spacing, to: first, pyramid: pyramid)
            try writer.write(patch, spacing: spacing, to: second, pyramid: pyramid)
            try writer.write(patch, spacing: spacing, to: second, pyramid: pyramid)  // replacing a file is fine too
            #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)), "\(writer.format)")
        }
        #expect(try folder.contents() == ["a0.tif", "a1.ome.tif", "a2.npy", "b0.tif", "b1.ome.tif", "b2.npy"])
    }

    @Test("a write that fails leaves no file and names the destination")
    func failedWriteLeavesNothing() throws {
        let patch = Volumes.sphere(.uint8, size: RasterSize(width: 8, height: 8, depth: 2), radius: 2)
        let path = folder.file("missing-folder/patch.tif")
        #expect {
            try StackWriter(format: .tiff).write(patch, spacing: Spacing(x: 1, y: 1, z: 1, unit: "mm"), to: path)
        } throws: { error in
            let error = error as? ScaleTileError
            return error?.kind == .io && error?.path == path && error?.description.hasPrefix("\(path): cannot create the file") == true
        }
        let badSpacing = folder.file("bad.tif")
        #expect(throws: ScaleTileError(.invalidArgument, badSpacing, "spacing z is 0.0; a voxel size must be a positive number")) {
            try StackWriter(format: .tiff).write(patch, spacing: Spacing(x: 1, y: 1, z: 0, unit: "mm"), to: badSpacing)
        }
        #expect(try folder.contents().isEmpty)
    }

    @Test("writer options and pyramids are checked before anything is written")
    func writerArguments() throws {
        #expect(throws: ScaleTileError.argument("--format", "gtiff cannot hold stack patches; use tiff, ome-tiff, npy, nifti or nii")) {
            try StackWriter(format: .gtiff)
        }
        #expect(throws: ScaleTileError.argument("tile size", "20 is not a positive multiple of 16, as TIFF tiles must be")) {
            try StackWriter(format: .omeTiff, tileSize: 20)
        }
        #expect(throws: ScaleTileError.self) { try StackWriter(format: .tiff, tileSize: 32) }

        let patch = Volumes.sphere(.uint8, size: RasterSize(width: 16, height: 16, depth: 2), radius: 4)
        let spacing = Spacing(x: 1, y: 1, z: 1, unit: "mm")
        let path = folder.file("p.tif")
        #expect(throws: ScaleTileError(.invalidArgument, path, "pyramid levels can only be written into OME-TIFF patches")) {
            try StackWriter(format: .tiff).write(patch, spacing: spacing, to: path, pyramid: [patch])
        }
        let deeper = Volumes.sphere(.uint8, size: RasterSize(width: 8, height: 8, depth: 3), radius: 2)
        #expect(throws: ScaleTileError.self) {
            try StackWriter(format: .omeTiff).write(patch, spacing: spacing, to: path, pyramid: [deeper])
        }
        let larger = Volumes.sphere(.uint8, size: RasterSize(width: 32, height: 8, depth: 2), radius: 2)
        #expect(throws: ScaleTileError(.invalidArgument, path, "pyramid level 1 is 32x8, larger than the level before it (16x16)")) {
            try StackWriter(format: .omeTiff).write(patch, spacing: spacing, to: path, pyramid: [larger])
        }
        #expect(try folder.contents().isEmpty)
    }
}
