import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Pyramid levels (DESIGN.md §3) against truth computed here from GDAL's own raw read of the scene.
@Suite("Scene pyramids and multi-level tiling", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct PyramidTests {
    /// One band of a raster as doubles, read by `gdal_translate -of ENVI` (little-endian raw samples).
    static func band(_ path: String, _ band: Int, size: RasterSize, type: PixelType, scratch: String) throws -> [Double] {
        let raw = try GDALTruth.windowBytes(path, x: 0, y: 0, width: size.width, height: size.height, band: band, scratch: scratch)
        let buffer = RasterBuffer(pixelType: type, bandCount: 1, size: size, bytes: [UInt8](raw))
        return buffer.samples(band: 0)
    }

    /// The exact level-ℓ value of every level pixel: the mean of the valid level-0 pixels of its
    /// 2^ℓ block clipped to the scene, rounded half up for integers; nodata where none is valid.
    static func blockAverage(_ base: [Double], size: RasterSize, level: Int, nodata: Double?, integer: Bool) -> [Double] {
        let f = 1 << level
        let w = (size.width + f - 1) / f, h = (size.height + f - 1) / f
        var out = [Double](repeating: 0, count: w * h)
        for j in 0..<h {
            for i in 0..<w {
                var sum = 0.0, count = 0
                for y in (j * f)..<min((j + 1) * f, size.height) {
                    for x in (i * f)..<min((i + 1) * f, size.width) {
                        let v = base[y * size.width + x]
                        if let nodata, v == nodata || (v.isNaN && nodata.isNaN) { continue }
                        sum += v
                        count += 1
                    }
                }
                let mean = count > 0 ? sum / Double(count) : (nodata ?? 0)
                out[j * w + i] = integer && count > 0 ? (mean + 0.5).rounded(.down) : mean
            }
        }
        return out
    }

    struct Scene: Sendable, CustomTestStringConvertible {
        let relative: String
        let size: RasterSize
        let type: PixelType
        let nodata: Double?
        let bands: Int
        var testDescription: String { relative }
    }

    static let scenes = [
        // Odd sizes: the last block column and row are clipped at every level.
        Scene(relative: "satellite/landsat/RGB.byte.tif", size: RasterSize(width: 791, height: 718), type: .uint8, nodata: 0, bands: 3),
        Scene(relative: "satellite/derived/LC08_L1TP_224077_20200518_B2_60m_float32_nan.tif", size: RasterSize(width: 1003, height: 758), type: .float32, nodata: .nan, bands: 1),
        Scene(relative: "satellite/landsat/LE07_L2SP_225078_20110306_02_T1_B1.tif", size: RasterSize(width: 168, height: 168), type: .float64, nodata: 32768, bands: 1),
        Scene(relative: "satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif", size: RasterSize(width: 1024, height: 1024), type: .uint16, nodata: nil, bands: 3),
    ]

    @Test(arguments: scenes)
    func levelFilesAreExactBlockAverages(scene: Scene) throws {
        let t = TemporaryFolder()
        var options = PyramidJob.Options()
        options.levels = .explicit([1, 2, 3])
        let summary = try PyramidJob(source: SharedData.path(scene.relative), output: t.file("out"), options: options).run()
        let sceneInfo = try GDALTruth.info(SharedData.path(scene.relative))
        let sceneGT = try #require(sceneInfo["geoTransform"] as? [Double])
        for level in 1...3 {
            let entry = try #require(summary.levels.first { $0.level == level })
            let path = t.file("out/" + entry.path)
            let levelSize = Level(level).size(of: scene.size)
            #expect(entry.size == [levelSize.width, levelSize.height])
            let info = try GDALTruth.info(path)
            #expect(info["size"] as? [Int] == [levelSize.width, levelSize.height])
            // Same origin, pixel exactly 2^ℓ times the scene's.
            let gt = try #require(info["geoTransform"] as? [Double])
            #expect(gt[0] == sceneGT[0] && gt[3] == sceneGT[3])
            #expect(gt[1] == sceneGT[1] * Double(1 << level) && gt[5] == sceneGT[5] * Double(1 << level))
            for b in 1...scene.bands {
                let base = try Self.band(SharedData.path(scene.relative), b, size: scene.size, type: scene.type, scratch: t.path)
                let expected = Self.blockAverage(base, size: scene.size, level: level, nodata: scene.nodata, integer: !scene.type.isFloatingPoint)
                let got = try Self.band(path, b, size: levelSize, type: scene.type, scratch: t.path)
                var worst = 0.0
                for (e, g) in zip(expected, got) where !(e.isNaN && g.isNaN) {
                    worst = max(worst, abs(e - g) / max(1, abs(e)))
                }
                // Integers exactly; floats to float32 rounding.
                #expect(worst <= (scene.type.isFloatingPoint ? 1e-5 : 0), "level \(level) band \(b): worst relative difference \(worst)")
            }
        }
    }

    // Where the size divides evenly, level 1 equals GDAL's own `gdaladdo -r average` overview.
    @Test func levelOneEqualsGDALsOwnOverview() throws {
        let t = TemporaryFolder()
        let relative = "satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif"
        let copy = t.file("copy.tif")
        try FileManager.default.copyItem(atPath: SharedData.path(relative), toPath: copy)
        #expect(try ExternalCommand.run("gdaladdo", ["-q", "-r", "average", copy, "2"]).status == 0)
        var options = PyramidJob.Options()
        options.levels = .explicit([1])
        try PyramidJob(source: SharedData.path(relative), output: t.file("out"), options: options).run()
        let ours = try GDALTruth.checksums(t.file("out/levels/LC08_L1TP_224078_20200518_3band_uint16_crop1024_L1.tif"))
        let overview = try (GDALTruth.info(copy, checksum: true)["bands"] as! [[String: Any]]).map {
            (($0["overviews"] as! [[String: Any]])[0]["checksum"] as! Int)
        }
        #expect(ours == overview)
    }

    // Label rasters keep label values: nearest and mode never invent a value.
    @Test(arguments: [Resampling.nearest, .mode])
    func labelLevelsStayLabelValued(resampling: Resampling) throws {
        let t = TemporaryFolder()
        // A label raster made from the scene: GDAL's calculator would do, but a 4-class quantisation
        // through gdal_translate -scale keeps this test to GDAL's own tools.
        let labels = t.file("labels.tif")
        #expect(try ExternalCommand.run("gdal_translate", ["-q", "-b", "1", "-ot", "Byte", "-scale", "0", "255", "0", "3", "-a_nodata", "none",
                                                           SharedData.path("satellite/landsat/RGB.byte.tif"), labels]).status == 0)
        var options = PyramidJob.Options()
        options.levels = .explicit([1, 2])
        options.resampling = resampling
        try PyramidJob(source: labels, output: t.file("out"), options: options).run()
        let size = RasterSize(width: 791, height: 718)
        let sourceValues = Set(try Self.band(labels, 1, size: size, type: .uint8, scratch: t.path))
        #expect(sourceValues.count >= 3)
        for level in 1...2 {
            let values = Set(try Self.band(t.file("out/levels/labels_L\(level).tif"), 1, size: Level(level).size(of: size), type: .uint8, scratch: t.path))
            #expect(values.isSubset(of: sourceValues), "level \(level) has values \(values.subtracting(sourceValues))")
        }
    }

    // tile --levels: every level's tiles cover that level's grid, their transforms are the level's
    // shifted by the tile origin, and their pixels are the level file's (checked against GDAL).
    @Test func multiLevelTilesCoverEveryLevelExactly() throws {
        let t = TemporaryFolder()
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.overlap = RasterSize(width: 16, height: 16, depth: 0)
        options.levels = .explicit([0, 1, 2, 3])
        options.useSourceOverviews = false
        let out = t.file("out")
        let summary = try TileJob(source: SharedData.path("satellite/landsat/RGB.byte.tif"), output: out, options: options).run()
        #expect(summary.perLevel.map(\.source) == ["scene", "built", "built", "built"])
        let manifest = try OutputFolder(path: out).readManifest()
        let scene = RasterSize(width: 791, height: 718)
        for level in 0...3 {
            let f = 1 << level
            let size = Level(level).size(of: scene)
            let tiles = manifest.filter { $0.level == level }
            var covered = [Bool](repeating: false, count: size.width * size.height)
            for e in tiles {
                #expect(e.window.x % f == 0 && e.window.y % f == 0 && e.window.width == 128 * f)
                for y in (e.window.y / f)..<min(size.height, e.window.y / f + 128) {
                    for x in (e.window.x / f)..<min(size.width, e.window.x / f + 128) { covered[y * size.width + x] = true }
                }
            }
            #expect(covered.allSatisfy { $0 }, "level \(level) is covered")
            // The last tile of the level equals the same window of the level (built file or scene).
            let last = try #require(tiles.last)
            let levelPath = level == 0 ? SharedData.path("satellite/landsat/RGB.byte.tif") : out + "/levels/RGB.byte_L\(level).tif"
            let w = Level(level).window(fromBase: last.window.window)
            // A level smaller than a tile gets one padded tile: compare the part inside the level.
            let validW = min(128, size.width - w.x), validH = min(128, size.height - w.y)
            let expected = try GDALTruth.windowChecksums(levelPath, x: w.x, y: w.y, width: validW, height: validH, scratch: t.path)
            let got = try GDALTruth.windowChecksums(out + "/" + last.path, x: 0, y: 0, width: validW, height: validH, scratch: t.path)
            #expect(got == expected, "level \(level)")
            #expect((last.padded == true) == (validW < 128 || validH < 128))
        }
    }
}
