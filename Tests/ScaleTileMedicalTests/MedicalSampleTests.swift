import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// The TIFFs in `../shared/data/medical`, checked against what SOURCES.md records about them
/// (read there with tifffile) and, voxel for voxel, against GDAL reading the same pages.
@Suite("Medical sample TIFFs",
       // The sample data lives beside the package, not in it; without it there is nothing to check.
       .enabled(if: SharedData.hasMedicalTIFFs, "needs ../shared/data/medical next to the package"))
struct MedicalSampleTests {
    /// What SOURCES.md says about one file.
    struct Sample: Sendable, CustomTestStringConvertible {
        let file: String
        let width: Int, height: Int, depth: Int
        let pixelType: PixelType
        let spacing: Spacing
        let flavour: StackFlavour
        let compression: String
        let tiled: Bool
        var testDescription: String { (file as NSString).lastPathComponent }
        var path: String { SharedData.path("medical/" + file) }
    }

    static let samples: [Sample] = [
        Sample(file: "tiff/mini-t1-head.tif", width: 32, height: 32, depth: 32, pixelType: .uint16,
               spacing: Spacing(x: 1.5, y: 1.5, z: 1.5, unit: "mm"), flavour: .imagej, compression: "none", tiled: false),
        Sample(file: "tiff/img2d.tif", width: 512, height: 512, depth: 1, pixelType: .uint16,
               spacing: .unit, flavour: .plain, compression: "none", tiled: false),
        Sample(file: "tiff/mask2d.tif", width: 512, height: 512, depth: 1, pixelType: .uint16,
               spacing: .unit, flavour: .plain, compression: "none", tiled: false),
        Sample(file: "derived/brain1_image_imagej.tif", width: 256, height: 256, depth: 25, pixelType: .int16,
               spacing: Spacing(x: 0.78125, y: 0.78125, z: 6.5, unit: "mm"), flavour: .imagej, compression: "none", tiled: false),
        Sample(file: "derived/brain1_label_imagej.tif", width: 256, height: 256, depth: 25, pixelType: .uint8,
               spacing: Spacing(x: 0.78125, y: 0.78125, z: 6.5, unit: "mm"), flavour: .imagej, compression: "deflate", tiled: false),
        Sample(file: "derived/lung1_ct_z27-39.ome.tif", width: 512, height: 512, depth: 13, pixelType: .int16,
               spacing: Spacing(x: 0.5703125, y: 0.5703125, z: 5, unit: "mm"), flavour: .ome, compression: "deflate", tiled: true),
        Sample(file: "derived/lung1_label_z27-39.ome.tif", width: 512, height: 512, depth: 13, pixelType: .uint8,
               spacing: Spacing(x: 0.5703125, y: 0.5703125, z: 5, unit: "mm"), flavour: .ome, compression: "deflate", tiled: true),
    ]

    @Test("size, type, spacing and storage match SOURCES.md", arguments: samples)
    func metadata(_ sample: Sample) throws {
        let stack = try TIFFStack(opening: sample.path)
        #expect(stack.size == RasterSize(width: sample.width, height: sample.height, depth: sample.depth))
        #expect(stack.pixelType == sample.pixelType)
        #expect(stack.channelCount == 1)
        #expect(stack.timepointCount == 1)
        #expect(stack.flavour == sample.flavour)
        #expect(stack.pageCount == sample.depth)
        #expect(stack.spacing.unit == sample.spacing.unit)
        #expect(abs(stack.spacing.x - sample.spacing.x) < 1e-9)
        #expect(abs(stack.spacing.y - sample.spacing.y) < 1e-9)
        #expect(abs(stack.spacing.z - sample.spacing.z) < 1e-9)

        let info = stack.info
        #expect(info.kind == "stack")
        #expect(info.dataType == sample.pixelType.rawValue)
        #expect(info.compression == sample.compression)
        #expect(info.tiled == sample.tiled)
        #expect(info.bigTIFF == false)
        #expect(info.planarConfig == .contig)
        if sample.tiled { #expect(info.blockSize == [256, 256]) }
    }

    @Test("info --json has the documented keys")
    func infoJSONKeys() throws {
        let stack = try TIFFStack(opening: SharedData.path("medical/derived/lung1_ct_z27-39.ome.tif"))
        let json = try JSONSerialization.jsonObject(with: StableJSON.line(stack.info)) as? [String: Any] ?? [:]
        #expect(Set(json.keys) == ["kind", "path", "width", "height", "depth", "channels", "timepoints", "dataType", "spacing",
                                   "flavour", "pages", "tiled", "blockSize", "compression", "bigTIFF", "planarConfig"])
        #expect(json["flavour"] as? String == "ome")
        #expect(json["planarConfig"] as? String == "contig")
        let spacing = json["spacing"] as? [String: Any]
        #expect(spacing?["unit"] as? String == "mm")
        #expect(spacing?["z"] as? Double == 5)
    }

    @Test("slices and windows equal GDAL's read of the same pages",
          .enabled(if: GDAL.isAvailable, "needs gdal_translate as the independent reader"), arguments: samples)
    func voxelsMatchGDAL(_ sample: Sample) throws {
        let stack = try TIFFStack(opening: sample.path)
        let folder = TemporaryFolder("scaletile-tiff-tests")
        let w = sample.width, h = sample.height
        for z in Set([0, sample.depth / 2, sample.depth - 1]).sorted() {
            // Every slice here is one page: ImageJ and these OME files store slice z in page z + 1.
            let whole = try stack.read(Window(x: 0, y: 0, z: z, width: w, height: h, depth: 1))
            #expect(whole.bytes == (try GDAL.page(z + 1, of: sample.path, width: w, height: h, in: folder)), "slice \(z)")

            // A window that crosses strip and tile boundaries without lining up with them.
            let window = Window(x: w / 3, y: h / 4 + 1, z: z, width: w / 2 - 3, height: h / 3 + 5, depth: 1)
            let part = try stack.read(window)
            #expect(part.bytes == (try GDAL.samples(of: sample.path, page: z + 1, window: window, in: folder)), "window \(window)")
        }

        // A window through several slices is those slices' windows one after another.
        let depth = min(sample.depth, 4)
        let block = Window(x: 3, y: 5, z: sample.depth - depth, width: min(w - 3, 40), height: min(h - 5, 30), depth: depth)
        var expected: [UInt8] = []
        for z in block.z..<block.maxZ {
            expected += try GDAL.samples(of: sample.path, page: z + 1, window: block, in: folder)
        }
        #expect(try stack.read(block).bytes == expected)
    }

    @Test("a window overhanging the volume is filled outside it", arguments: samples.filter { $0.depth > 1 })
    func overhangIsFilled(_ sample: Sample) throws {
        let stack = try TIFFStack(opening: sample.path)
        let fill = sample.pixelType == .uint8 ? 200.0 : -7.0
        let window = Window(x: sample.width - 10, y: -6, z: sample.depth - 2, width: 16, height: 12, depth: 3)
        let read = try stack.read(window, fill: fill)
        let inside = try stack.read(Window(x: sample.width - 10, y: 0, z: sample.depth - 2, width: 10, height: 6, depth: 2))
        let expectedFill = sample.pixelType == .uint16 || sample.pixelType == .uint8 ? max(fill, 0) : fill
        var insideValues = inside.samples(band: 0).makeIterator()
        for (i, value) in read.samples(band: 0).enumerated() {
            let x = i % 16, y = (i / 16) % 12, z = i / (16 * 12)
            let isInside = x < 10 && y >= 6 && z < 2
            if isInside {
                #expect(value == insideValues.next(), "inside voxel (\(x), \(y), \(z))")
            } else {
                #expect(value == expectedFill, "outside voxel (\(x), \(y), \(z))")
            }
        }
    }

    @Test("streamed slices give the voxel counts and ranges SOURCES.md records")
    func streamedStatistics() throws {
        // Nonzero voxels in the lesion and nodule masks, and distinct labels in the nuclei mask.
        #expect(try nonzeroCount("derived/brain1_label_imagej.tif") == 4137)
        #expect(try nonzeroCount("derived/lung1_label_z27-39.ome.tif") == 837)
        #expect(try range("derived/brain1_image_imagej.tif") == 0...3057)
        #expect(try range("derived/lung1_ct_z27-39.ome.tif") == -1024...1741)
        #expect(try range("tiff/img2d.tif") == 0...235)
        var labels = Set<UInt16>()
        try TIFFStack(opening: SharedData.path("medical/tiff/mask2d.tif")).forEachSlice { _, samples in
            for label in samples.bindMemory(to: UInt16.self) where label != 0 { labels.insert(label) }
        }
        #expect(labels.count == 125)
    }

    @Test("readSlice and forEachSlice give the same bytes as window reads, slice by slice")
    func sliceReadsMatchWindowReads() throws {
        let stack = try TIFFStack(opening: SharedData.path("medical/derived/lung1_ct_z27-39.ome.tif"))
        var visited: [Int] = []
        try stack.forEachSlice { z, samples in
            visited.append(z)
            let window = try stack.read(Window(x: 0, y: 0, z: z, width: 512, height: 512, depth: 1))
            #expect(Array(samples) == window.bytes, "slice \(z)")
        }
        #expect(visited == Array(0..<13))
        var slice: [UInt8] = []
        try stack.readSlice(7, into: &slice)
        #expect(slice.count == stack.sliceByteCount)
    }

    @Test("a read decodes only the pages and the strips or tiles its window touches")
    func decodesOnlyWhatWindowsTouch() throws {
        // Tiles of 256 × 256: a window inside one tile decodes one tile per slice, one across
        // the centre four.
        let lung = try TIFFStack(opening: SharedData.path("medical/derived/lung1_ct_z27-39.ome.tif"))
        _ = try lung.read(Window(x: 10, y: 300, z: 4, width: 20, height: 20, depth: 3))
        #expect(lung.blocksDecoded == 3)
        _ = try lung.read(Window(x: 250, y: 250, z: 0, width: 10, height: 10, depth: 1))
        #expect(lung.blocksDecoded == 3 + 4)
        // Overlapping windows find their tiles in the block cache: nothing is decoded again.
        _ = try lung.read(Window(x: 12, y: 302, z: 4, width: 20, height: 20, depth: 3))
        #expect(lung.blocksDecoded == 3 + 4)
        // Without a cache, tiles go through one reused scratch buffer of one tile.
        let uncached = try TIFFStack(opening: SharedData.path("medical/derived/lung1_ct_z27-39.ome.tif"))
        uncached.blockCacheBytes = 0
        _ = try uncached.read(Window(x: 10, y: 300, z: 4, width: 20, height: 20, depth: 3))
        _ = try uncached.read(Window(x: 10, y: 300, z: 4, width: 20, height: 20, depth: 3))
        #expect(uncached.blocksDecoded == 6)
        #expect(uncached.scratch.count == 256 * 256 * 2, "one tile of scratch, reused")

        // Strips of 16 rows: rows 20 to 39 lie in the strips of rows 16–31 and 32–47.
        let brain = try TIFFStack(opening: SharedData.path("medical/derived/brain1_image_imagej.tif"))
        _ = try brain.read(Window(x: 0, y: 20, z: 10, width: 256, height: 20, depth: 2))
        #expect(brain.blocksDecoded == 2 * 2)
        // Whole strips spanning the window's width decode straight into the result.
        _ = try brain.read(Window(x: 0, y: 32, z: 0, width: 256, height: 32, depth: 1))
        #expect(brain.blocksDecoded == 4 + 2)

        // A window wholly outside the volume decodes nothing.
        _ = try brain.read(Window(x: 0, y: 0, z: 30, width: 8, height: 8, depth: 2))
        #expect(brain.blocksDecoded == 6)
    }

    private func nonzeroCount(_ file: String) throws -> Int {
        var count = 0
        try TIFFStack(opening: SharedData.path("medical/" + file)).forEachSlice { _, samples in
            count += samples.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        }
        return count
    }

    private func range(_ file: String) throws -> ClosedRange<Double> {
        let stack = try TIFFStack(opening: SharedData.path("medical/" + file))
        var low = Double.infinity, high = -Double.infinity
        var slice: [UInt8] = []
        for z in 0..<stack.size.depth {
            try stack.readSlice(z, into: &slice)
            let buffer = RasterBuffer(pixelType: stack.pixelType, bandCount: 1, size: RasterSize(width: stack.size.width, height: stack.size.height), bytes: slice)
            buffer.forEachSample(band: 0) { _, v in low = min(low, v); high = max(high, v) }
        }
        return low...high
    }
}
