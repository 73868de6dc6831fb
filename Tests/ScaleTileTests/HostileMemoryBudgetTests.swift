import Foundation
import Testing
@testable import ScaleTile
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Input-sized buffers beyond tiles and patches, checked against the memory budget before they
/// are allocated: a label raster's rows, a pyramid's strips and level blocks, a stitched
/// mosaic's bands. Each refusal is `.invalidArgument` (exit 64) and names the figure and the
/// budget; the same input under a budget that fits is read as usual.
@Suite("Hostile: memory budget of rasters, pyramids and mosaics", .serialized)
struct HostileMemoryBudgetTests {
    /// `gdal_create` of a raster filled with `value`, rewritten by `gdal_translate` with
    /// `options` (its blocks; gdal_create ignores block options), DEFLATE.
    static func filled(_ path: String, width: Int, height: Int, value: Int, options: [String] = []) throws {
        let plain = path + ".plain.tif"
        let create = try ExternalCommand.run("/usr/bin/env", ["gdal_create", "-q", "-of", "GTiff", "-outsize", "\(width)", "\(height)", "-bands", "1",
                                                             "-ot", "Byte", "-burn", "\(value)", plain])
        try #require(create.status == 0, "\(create.standardError)")
        let translate = try ExternalCommand.run("/usr/bin/env", ["gdal_translate", "-q", "-co", "COMPRESS=DEFLATE"] + options + [plain, path])
        try #require(translate.status == 0, "\(translate.standardError)")
        try FileManager.default.removeItem(atPath: plain)
    }

    @Test func aWideLabelRasterIsRefusedBeforeItsRowsAreAllocated() throws {
        let t = TemporaryFolder()
        let path = t.file("wide.tif")
        try Self.filled(path, width: 400_000, height: 3, value: 7)
        let scene = SceneGeometry(try Dataset(opening: path))
        var options = LabelReadOptions(format: .raster)
        options.maxMemory = try MemoryBudget(parsing: "1M")
        let error = #expect(throws: ScaleTileError.self) { try LabelSet.load(path: path, scene: scene, options: options) }
        #expect(error?.kind == .invalidArgument)
        // 400,000 pixels x (1 row read per 4 MiB call + the labeler's 2) x 8 bytes = 9.2 MiB.
        #expect(error?.description == "\(path): reading the label raster in rows of 400000 pixels would need 9.2 MiB, over the memory budget of 1.0 MiB (--max-memory)",
                "\(String(describing: error))")
        // Under a budget that fits, the raster of 7s is one object of class 7 covering it.
        options.maxMemory = try MemoryBudget(parsing: "64M")
        let labels = try LabelSet.load(path: path, scene: scene, options: options)
        #expect(labels.objects.map(\.className) == ["7"])
        #expect(labels.objects.first?.box == PixelBox(minX: 0, minY: 0, maxX: 400_000, maxY: 3))
    }

    @Test func aPyramidOfHugeBlocksIsRefusedBeforeItsStripsAreAllocated() throws {
        let t = TemporaryFolder()
        let path = t.file("strip.tif")
        // Blocks of 2048x2048: each strip of the build is one, 4 MiB (three in flight), the
        // cascade's sums and counts take 16 MiB (12 bytes for each of a quarter, a sixteenth, …
        // of the strip's pixels), and each level holds a row and a column of its 256-pixel
        // blocks (two panels): 30.2 MiB.
        try Self.filled(path, width: 3000, height: 3000, value: 0, options: ["-co", "TILED=YES", "-co", "BLOCKXSIZE=2048", "-co", "BLOCKYSIZE=2048"])
        var options = PyramidJob.Options()
        options.levels = .explicit([1, 2])
        options.maxMemory = try MemoryBudget(parsing: "8M")
        let error = #expect(throws: ScaleTileError.self) { try PyramidJob(source: path, output: t.file("refused"), options: options).run() }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.description == "\(path): strips of 2048x2048 pixels x 1 Byte bands and 2 levels' blocks would need 30.2 MiB, over the memory budget of 8.0 MiB (--max-memory)",
                "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: t.file("refused/levels/strip_L1.tif")))
        options.maxMemory = try MemoryBudget(parsing: "256M")
        let summary = try PyramidJob(source: path, output: t.file("built"), options: options).run()
        #expect(summary.levels.map(\.size) == [[3000, 3000], [1500, 1500], [750, 750]])
    }

    @Test func aStackPyramidSlabOverTheBudgetIsRefused() throws {
        let t = TemporaryFolder()
        let stack = SharedData.packageRoot + "/SampleData/medical/ct_chest.tif"
        var options = PyramidJob.Options()
        options.levels = .explicit([1, 2])
        options.maxMemory = MemoryBudget(bytes: 512 << 10)
        let error = #expect(throws: ScaleTileError.self) { try PyramidJob(source: stack, output: t.file("refused"), options: options).run() }
        #expect(error?.kind == .invalidArgument)
        // 352 x 272 voxels x (2 bytes + 8 of sums) = 957,440, plus (23,937 + 5,985 voxels of levels 1 and 2) x 2 bytes: 1,017,284 bytes.
        #expect(error?.description == "\(stack): slabs of 352x272x1 voxels x 1 Int16 channels and 2 levels would need 993.4 KiB, over the memory budget of 512.0 KiB (--max-memory)",
                "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: t.file("refused/pyramid")))
        options.maxMemory = MemoryBudget(bytes: 64 << 20)
        let summary = try PyramidJob(source: stack, output: t.file("built"), options: options).run()
        #expect(summary.levels.map(\.level) == [0, 1, 2])
    }

    /// The mosaic is stitched from the fuzz suite's crop of the shared Landsat scene.
    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
    func aMosaicBandOverTheBudgetIsRefused() throws {
        let f = try FuzzOutputFolderTests.fixture.get()
        var options = StitchOptions()
        options.maxMemory = MemoryBudget(bytes: 64 << 10)
        let out = f.folder.file("budget-mosaic")
        let error = #expect(throws: ScaleTileError.self) { try StitchJob(run: f.whole, predictions: f.whole + "/tiles", output: out, options: options).run() }
        #expect(error?.kind == .invalidInput)
        #expect(error?.description.hasPrefix("\(f.whole)/summary.json: a mosaic piece of 96x80 pixels x 3 channels and a tile's part of it would need 420.0 KiB") == true, "\(String(describing: error))")
        #expect(error?.description.hasSuffix("over the memory budget of 64.0 KiB (--max-memory)") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: out + "/mosaic.tif"))
        options.maxMemory = MemoryBudget(bytes: 64 << 20)
        let report = try StitchJob(run: f.whole, predictions: f.whole + "/tiles", output: out, options: options).run()
        #expect(report.files.contains { $0.hasSuffix("mosaic.tif") }, "\(report.files)")
    }
}
