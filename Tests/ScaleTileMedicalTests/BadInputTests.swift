import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// Every way a stack can be unusable gives one clear line, naming the file, at open:
/// before any pixel is read, so before a job writes anything.
@Suite("Bad input")
struct BadInputTests {
    let folder: TemporaryFolder

    init() throws { folder = TemporaryFolder("scaletile-tiff-tests") }

    /// The error opening `path` throws, checked to be the one-line "path: problem" form.
    private func openingError(_ path: String) throws -> ScaleTileError {
        let error = try #require(throws: ScaleTileError.self) { try TIFFStack(opening: path) }
        #expect(error.path == path)
        #expect(error.description == "\(path): \(error.message)")
        #expect(!error.description.contains("\n"), "one line")
        return error
    }

    @Test("a missing file")
    func missingFile() throws {
        let path = folder.file("nowhere.tif")
        let error = try openingError(path)
        #expect(error == ScaleTileError(.notFound, path, "no such file"))
        #expect(throws: ScaleTileError(.notFound, path, "no such file")) { try TIFFStack.classify(path: path) }
    }

    @Test("a folder")
    func folderPath() throws {
        let error = try openingError(folder.path)
        #expect(error == ScaleTileError(.invalidInput, folder.path, "is a folder, not a TIFF file"))
    }

    @Test("a text file is not a TIFF, with libtiff's reason")
    func textFile() throws {
        let path = folder.file("notes.tif")
        try Data("just some notes, not an image\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = try openingError(path)
        #expect(error.kind == .invalidInput)
        #expect(error.message.hasPrefix("not a TIFF libtiff can read: "))
        #expect(error.message.contains("Not a TIFF"), "libtiff's own reason follows: \(error.message)")
        #expect(try TIFFStack.classify(path: path) == .scene, "not a TIFF: GDAL's business")

        let empty = folder.file("empty.tif")
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(try openingError(empty).message.hasPrefix("not a TIFF libtiff can read: "))
    }

    @Test("truncated copies of real stacks say where the file ends",
          .enabled(if: SharedData.hasMedicalTIFFs, "cuts copies of ../shared/data/medical files"),
          arguments: [
            // IFDs after the pixel data (ImageJ's own layout): the chain breaks.
            ("tiff/mini-t1-head.tif", 60000, "truncated: the directory of page 2 starts at byte 66675, past the end of the file (60000 bytes)"),
            ("tiff/mini-t1-head.tif", 67000, "truncated: the directory of page 4 starts at byte 66999 and is cut off by the end of the file (67000 bytes)"),
            ("tiff/mini-t1-head.tif", 3000, "truncated: the pixel data of page 1 runs to byte 3187, the file ends at byte 3000 (187 bytes short)"),
            ("tiff/mini-t1-head.tif", 100, "truncated: the directory of page 1 runs to byte 194, past the end of the file (100 bytes)"),
            // Each IFD before its data: the last page's strips fall short.
            ("derived/brain1_label_imagej.tif", 7600, "truncated: the pixel data of page 25 runs to byte 7684, the file ends at byte 7600 (84 bytes short)"),
            // OME-XML stored at the end: libtiff would drop it and go on, making a plain stack.
            ("derived/lung1_ct_z27-39.ome.tif", 2_700_000, "truncated or damaged: the ImageDescription tag of page 1 lies outside the file (2700000 bytes)"),
            ("derived/lung1_ct_z27-39.ome.tif", 2_811_000, "truncated or damaged: the ImageDescription tag of page 1 lies outside the file (2811000 bytes)"),
          ])
    func truncated(file: String, keptBytes: Int, message: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: SharedData.path("medical/" + file)))
        let path = folder.file((file as NSString).lastPathComponent)
        try original.prefix(keptBytes).write(to: URL(fileURLWithPath: path))
        #expect(try openingError(path) == ScaleTileError(.invalidInput, path, message))
    }

    @Test("pages of different sizes or types")
    func inconsistentPages() throws {
        let path = folder.file("mixed.tif")
        var pages = Pages.numbered(8, width: 256, height: 256)
        pages[6].height = 200
        try Pages.write(pages, to: path)
        #expect(try openingError(path) == ScaleTileError(.invalidInput, path, "page 7 is 256x200 UInt16, page 1 is 256x256 UInt16"))

        let typed = folder.file("typed.tif")
        pages = Pages.numbered(3, width: 32, height: 32)
        pages[2].pixelType = .float32
        try Pages.write(pages, to: typed)
        #expect(try openingError(typed) == ScaleTileError(.invalidInput, typed, "page 3 is 32x32 Float32, page 1 is 32x32 UInt16"))
    }

    @Test("ImageJ metadata that counts more images than pages")
    func imageJCountsTooManyImages() throws {
        let path = folder.file("short.tif")
        try Pages.write(Pages.numbered(32, description: "ImageJ=1.52r\nimages=40\nslices=40\nunit=mm\nspacing=1.5\nloop=false\n"), to: path)
        #expect(try openingError(path) == ScaleTileError(.invalidInput, path, "ImageJ metadata says 40 images, the file has 32 pages"))
    }

    @Test("OME metadata with more planes than pages, or planes in pages that do not exist")
    func omeCountsTooManyPlanes() throws {
        let path = folder.file("short.ome.tif")
        try Pages.write(Pages.numbered(13, description: OMEXML.pixels(sizeZ: 20, sizeC: 1, tiffData: #"<TiffData/>"#)), to: path)
        #expect(try openingError(path) == ScaleTileError(.invalidInput, path, "OME metadata describes 20 planes (SizeZ 20 × SizeC 1 × SizeT 1), the file has 13 pages"))

        let offset = folder.file("offset.ome.tif")
        try Pages.write(Pages.numbered(13, description: OMEXML.pixels(sizeZ: 13, sizeC: 1, tiffData: #"<TiffData IFD="3" PlaneCount="13"/>"#)), to: offset)
        #expect(try openingError(offset) == ScaleTileError(.invalidInput, offset, "OME metadata puts planes in pages 4 to 16, the file has 13 pages"))

        let gap = folder.file("gap.ome.tif")
        try Pages.write(Pages.numbered(4, description: OMEXML.pixels(sizeZ: 4, sizeC: 1, tiffData: #"<TiffData IFD="0" PlaneCount="2"/><TiffData IFD="3" FirstZ="3"/>"#)), to: gap)
        #expect(try openingError(gap) == ScaleTileError(.invalidInput, gap, "OME metadata gives no page for plane Z2 C0 T0"))
    }

    @Test("OME-XML that is not well-formed, or that disagrees with the pages")
    func badOMEXML() throws {
        let broken = folder.file("broken.ome.tif")
        try Pages.write(Pages.numbered(2, description: #"<?xml version="1.0"?><OME><Image><Pixels SizeX="16""#), to: broken)
        let error = try openingError(broken)
        #expect(error.kind == .invalidInput)
        #expect(error.message.hasPrefix("the OME-XML in the first page's ImageDescription is not well-formed"))

        let size = folder.file("size.ome.tif")
        try Pages.write(Pages.numbered(2, description: OMEXML.pixels(sizeX: 20, sizeZ: 2, sizeC: 1, tiffData: "<TiffData/>")), to: size)
        #expect(try openingError(size) == ScaleTileError(.invalidInput, size, "OME metadata says 20x12 pixels, page 1 is 16x12"))

        let type = folder.file("type.ome.tif")
        try Pages.write(Pages.numbered(2, description: OMEXML.pixels(sizeZ: 2, sizeC: 1, type: "float", tiffData: "<TiffData/>")), to: type)
        #expect(try openingError(type) == ScaleTileError(.invalidInput, type, "OME metadata says float samples, the pages hold UInt16"))

        let elsewhere = folder.file("part.ome.tif")
        try Pages.write(Pages.numbered(2, description: OMEXML.pixels(sizeZ: 2, sizeC: 1, tiffData: #"<TiffData IFD="0" PlaneCount="2"><UUID FileName="other.ome.tif">urn:uuid:1</UUID></TiffData>"#)), to: elsewhere)
        #expect(try openingError(elsewhere) == ScaleTileError(.unsupported, elsewhere, "OME metadata puts planes in another file (other.ome.tif); ScaleTile reads single-file OME-TIFFs only"))
    }

    @Test("samples ScaleTile cannot hold are refused at open",
          .enabled(if: GDAL.isAvailable, "GDAL writes the 12-bit page"))
    func unsupportedSamples() throws {
        let path = folder.file("twelve.tif")
        let page = Volumes.make(.uint16, size: RasterSize(width: 8, height: 8)) { _, x, y, _ in Double(x * y) }
        try GDAL.writePage(page, to: path, options: ["NBITS=12"], append: false, in: folder)
        #expect(try openingError(path) == ScaleTileError(.unsupported, path, "page 1 has 12-bit samples; ScaleTile reads 8-, 16-, 32- and 64-bit integer and 32- and 64-bit floating-point samples"))
    }

    @Test("reads outside what the stack has are argument errors")
    func badReads() throws {
        let path = folder.file("small.tif")
        try Pages.write(Pages.numbered(3), to: path)
        let stack = try TIFFStack(opening: path)
        #expect(throws: ScaleTileError(.invalidArgument, path, "channel 1 requested, the stack has 1 channel (0)")) {
            try stack.read(Window(x: 0, y: 0, z: 0, width: 2, height: 2, depth: 1), channels: [1])
        }
        #expect(throws: ScaleTileError(.invalidArgument, path, "timepoint 2 requested, the stack has 1 timepoint (0)")) {
            try stack.read(Window(x: 0, y: 0, z: 0, width: 2, height: 2, depth: 1), timepoint: 2)
        }
        #expect(throws: ScaleTileError(.invalidArgument, path, "cannot read the empty window (0, 0) 0x2")) {
            try stack.read(Window(x: 0, y: 0, width: 0, height: 2))
        }
        var slice: [UInt8] = []
        #expect(throws: ScaleTileError(.invalidArgument, path, "slice 3 requested, the stack has slices 0 to 2")) {
            try stack.readSlice(3, into: &slice)
        }
    }
}

/// OME-XML documents for hand-made files.
enum OMEXML {
    static func pixels(sizeX: Int = 16, sizeY: Int = 12, sizeZ: Int, sizeC: Int, sizeT: Int = 1, order: String = "XYCZT",
                       type: String = "uint16", tiffData: String, extra: String = "") -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="\#(order)" Type="\#(type)" SizeX="\#(sizeX)" SizeY="\#(sizeY)" SizeZ="\#(sizeZ)" SizeC="\#(sizeC)" SizeT="\#(sizeT)"\#(extra)><Channel ID="Channel:0:0" SamplesPerPixel="1"/>\#(tiffData)</Pixels></Image></OME>"#
    }
}
