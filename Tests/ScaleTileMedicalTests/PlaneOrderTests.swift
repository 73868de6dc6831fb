import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// Which page a read takes for each channel, slice and timepoint, in files whose page n holds
/// the value n everywhere, so a read names the page it came from.
@Suite("Plane order")
struct PlaneOrderTests {
    let folder: TemporaryFolder

    init() throws { folder = TemporaryFolder("scaletile-tiff-tests") }

    /// The page each (channel, slice, timepoint) reads from.
    private func pageRead(_ stack: TIFFStack, channel: Int, z: Int, t: Int = 0) throws -> Int {
        Int(try stack.read(Window(x: 3, y: 2, z: z, width: 2, height: 2, depth: 1), channels: [channel], timepoint: t).samples(band: 0)[0])
    }

    @Test("ImageJ hyperstacks: channel fastest, then slice, then frame")
    func imageJOrder() throws {
        let path = folder.file("hyper.tif")
        try Pages.write(Pages.numbered(12, description: "ImageJ=1.53t\nimages=12\nchannels=2\nslices=3\nframes=2\nhyperstack=true\nmode=composite\n"), to: path)
        let stack = try TIFFStack(opening: path)
        #expect(stack.channelCount == 2 && stack.size.depth == 3 && stack.timepointCount == 2)
        for t in 0..<2 {
            for z in 0..<3 {
                for c in 0..<2 {
                    #expect(try pageRead(stack, channel: c, z: z, t: t) == c + 2 * (z + 3 * t))
                }
            }
        }
        let window = try stack.read(Window(x: 0, y: 0, z: 0, width: 4, height: 4, depth: 3), channels: [1, 0], timepoint: 1)
        #expect(window.samples(band: 0).chunked(16) == [7, 9, 11], "channel 1, slices 0 to 2, frame 1")
        #expect(window.samples(band: 1).chunked(16) == [6, 8, 10])
    }

    @Test("OME dimension order XYZCT: slices fastest")
    func omeZFirst() throws {
        let path = folder.file("zfirst.ome.tif")
        try Pages.write(Pages.numbered(6, description: OMEXML.pixels(sizeZ: 3, sizeC: 2, order: "XYZCT", tiffData: "<TiffData/>")), to: path)
        let stack = try TIFFStack(opening: path)
        for z in 0..<3 {
            for c in 0..<2 {
                #expect(try pageRead(stack, channel: c, z: z) == z + 3 * c)
            }
        }
    }

    @Test("OME TiffData that skips leading pages of another size, and maps slices in reverse")
    func omeExplicitPages() throws {
        // Pages 0 and 1 are 8x8 thumbnails; the image's four slices are pages 5, 4, 3, 2.
        var pages = Pages.numbered(6)
        pages[0].width = 8; pages[0].height = 8
        pages[1].width = 8; pages[1].height = 8
        let entries = (0..<4).map { #"<TiffData IFD="\#(5 - $0)" FirstZ="\#($0)"/>"# }.joined()
        pages[0].description = OMEXML.pixels(sizeZ: 4, sizeC: 1, tiffData: entries)
        let path = folder.file("explicit.ome.tif")
        try Pages.write(pages, to: path)
        let stack = try TIFFStack(opening: path)
        #expect(stack.size == RasterSize(width: 16, height: 12, depth: 4))
        #expect((0..<4).map { try! pageRead(stack, channel: 0, z: $0) } == [5, 4, 3, 2])
        var slice: [UInt8] = []
        try stack.readSlice(0, into: &slice)
        #expect(Set(slice.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }) == [5])
    }

    @Test("plain stacks skip reduced-resolution pages between slices")
    func plainSkipsOverviews() throws {
        var pages = Pages.numbered(5)
        pages[1].isReducedResolution = true; pages[1].width = 8; pages[1].height = 6
        pages[3].isReducedResolution = true; pages[3].width = 8; pages[3].height = 6
        let path = folder.file("overviews.tif")
        try Pages.write(pages, to: path)
        let stack = try TIFFStack(opening: path)
        #expect(stack.size.depth == 3)
        #expect(stack.pageCount == 5)
        #expect((0..<3).map { try! pageRead(stack, channel: 0, z: $0) } == [0, 2, 4])
    }
}

private extension Array where Element == Double {
    /// The first value of each run of `size` values.
    func chunked(_ size: Int) -> [Int] {
        stride(from: 0, to: count, by: size).map { Int(self[$0]) }
    }
}
