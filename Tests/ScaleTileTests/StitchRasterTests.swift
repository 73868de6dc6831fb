import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Raster stitching (issue 14): the tiles themselves, given back as predictions, rebuild the
/// scene — exactly with `center`, to 1e-6 relative with the blends — with its size,
/// geotransform and CRS; pixels read back through GDAL and compared with GDAL's reads of the source.
@Suite("Stitch rasters", .serialized)
struct StitchRasterTests {
    static let aerial = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif"

    /// A 300×260 crop of the aerial scene (sizes no tile grid divides), georeferenced.
    static func scene(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("scene.tif")
        let r = try ExternalCommand.run("gdal_translate", ["-q", "-srcwin", "200", "150", "300", "260", aerial, path])
        try #require(r.status == 0, "\(r.standardError)")
        return path
    }

    /// Every sample of a raster, channel-first, through GDAL.
    static func pixels(_ path: String) throws -> (size: RasterSize, bands: Int, samples: [Double], nodata: Double?, geoTransform: GeoTransform?, crs: Int?) {
        let d = try Dataset(opening: path)
        let buffer = try d.read(Window(size: d.size), bands: Array(1 ... d.bandCount), pixelType: .float64)
        let samples = buffer.bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        return (d.size, d.bandCount, samples, try d.band(1).nodata, d.geoTransform, d.spatialReference?.epsg)
    }

    static func tile(_ scene: String, _ arguments: [String], in folder: TemporaryFolder, name: String = "out") throws -> String {
        let out = folder.file(name)
        let r = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", scene, "--out", out, "--quiet"] + arguments)
        try #require(r.status == 0, "tile: \(r.standardError)")
        return out
    }

    static func stitch(_ out: String, _ predictions: String, into folder: String, _ configure: (inout StitchOptions) -> Void = { _ in }) throws -> String {
        var options = StitchOptions()
        configure(&options)
        let report = try StitchJob(run: out, predictions: predictions, output: folder, options: options).run()
        #expect(report.files == ["mosaic.tif"] && report.warnings == StitchWarnings())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["mosaic.tif"], "nothing else is written")
        return folder + "/mosaic.tif"
    }

    /// The mosaic equals the source: size, geotransform, CRS, and every sample (exact or to `tolerance` relative).
    static func expectSameScene(_ mosaic: String, _ source: String, tolerance: Double, _ label: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let a = try pixels(mosaic), b = try pixels(source)
        #expect(a.size == b.size && a.bands == b.bands && a.crs == b.crs && a.geoTransform == b.geoTransform, "\(label)", sourceLocation: sourceLocation)
        guard a.samples.count == b.samples.count else { return }
        var worst = 0.0
        for i in a.samples.indices {
            let x = a.samples[i], y = b.samples[i]
            if x.isNaN && y.isNaN { continue }
            worst = Swift.max(worst, abs(x - y) / Swift.max(abs(y), 1e-30))
        }
        #expect(worst <= tolerance, "\(label): worst relative difference \(worst)", sourceLocation: sourceLocation)
        let info = try ExternalCommand.run("gdalinfo", [mosaic])
        #expect(info.standardOutput.contains("COMPRESSION=DEFLATE") && info.standardOutput.contains("Block=256x256"), "\(label): tiled DEFLATE", sourceLocation: sourceLocation)
    }

    @Test(arguments: [("gtiff", "shift"), ("gtiff", "pad"), ("png", "shift"), ("npy", "shift"), ("npy", "pad")])
    func tilesRebuildTheSceneWithEveryBlend(format: String, edge: String) throws {
        let folder = TemporaryFolder()
        let scene = try Self.scene(in: folder)
        let out = try Self.tile(scene, ["--tile-size", "100", "--overlap", "37", "--edge", edge, "--format", format], in: folder)
        for blend in RasterBlend.allCases {
            let mosaic = try Self.stitch(out, out + "/tiles", into: folder.file("stitched-\(blend)")) { $0.blend = blend }
            try Self.expectSameScene(mosaic, scene, tolerance: 0, "\(format)/\(edge)/\(blend)")
        }
    }

    /// Float samples: exact with `center`, within 1e-6 relative with the weighted blends.
    @Test func floatTilesRebuildTheSceneToTheBlendsPrecision() throws {
        let folder = TemporaryFolder()
        let scene = folder.file("float.tif")
        let made = try ExternalCommand.run("gdal_translate", ["-q", "-ot", "Float32", "-scale", "0", "255", "0.001", "1.7", try Self.scene(in: folder), scene])
        try #require(made.status == 0, "\(made.standardError)")
        let out = try Self.tile(scene, ["--tile-size", "90", "--overlap", "50"], in: folder)
        for blend in RasterBlend.allCases {
            let mosaic = try Self.stitch(out, out + "/tiles", into: folder.file("stitched-\(blend)")) { $0.blend = blend }
            try Self.expectSameScene(mosaic, scene, tolerance: blend == .center ? 0 : 1e-6, "float/\(blend)")
        }
    }

    /// `--edge drop` leaves the right and bottom strips uncovered: they hold the declared nodata.
    @Test func uncoveredPixelsAreNodata() throws {
        let folder = TemporaryFolder()
        // Tiles of 100 with stride 63 start at 0, 63, 126, 189 (x) and 0, 63, 126 (y): pixels
        // from x = 289 and y = 226 on are uncovered.
        let scene = try Self.scene(in: folder)
        let out = try Self.tile(scene, ["--tile-size", "100", "--overlap", "37", "--edge", "drop"], in: folder)
        let mosaic = try Self.stitch(out, out + "/tiles", into: folder.file("s")) { $0.nodata = 7 }
        let a = try Self.pixels(mosaic), b = try Self.pixels(scene)
        #expect(a.nodata == 7)
        let w = 300, h = 260, plane = w * h
        var wrong = 0
        for c in 0 ..< 3 { for y in 0 ..< h { for x in 0 ..< w {
            let i = c * plane + y * w + x
            let expected = (x >= 289 || y >= 226) ? 7 : b.samples[i]
            if a.samples[i] != expected { wrong += 1 }
        } } }
        #expect(wrong == 0)
    }

    /// Level-1 tiles alone, upsampled `nearest`: each level-0 pixel holds the level-1 pixel of its
    /// 2×2 block, as `gdal_translate -r average -outsize 50% 50%` computes it.
    @Test func coarserLevelsAreUpsampledToLevelZero() throws {
        let folder = TemporaryFolder()
        let scene = try Self.scene(in: folder)
        let out = try Self.tile(scene, ["--tile-size", "64", "--overlap", "16", "--levels", "1"], in: folder)
        let half = folder.file("half.tif")
        #expect(try ExternalCommand.run("gdal_translate", ["-q", "-r", "average", "-outsize", "150", "130", scene, half]).status == 0)
        let mosaic = try Self.stitch(out, out + "/tiles", into: folder.file("s"))
        let a = try Self.pixels(mosaic), h = try Self.pixels(half)
        var wrong = 0
        for c in 0 ..< 3 { for y in 0 ..< 260 { for x in 0 ..< 300 where a.samples[c * 300 * 260 + y * 300 + x] != h.samples[c * 150 * 130 + (y / 2) * 150 + x / 2] { wrong += 1 } } }
        #expect(wrong == 0)
        // Bilinear stays between the neighbouring level pixels and differs from nearest somewhere.
        let smooth = try Self.pixels(try Self.stitch(out, out + "/tiles", into: folder.file("b")) { $0.upsampling = .bilinear; $0.blend = .mean })
        #expect(smooth.samples != a.samples && smooth.size == a.size)
    }

    /// `--argmax` over the three bands read as class scores equals the brightest band per pixel.
    @Test func argmaxPicksTheLargestChannel() throws {
        let folder = TemporaryFolder()
        let scene = try Self.scene(in: folder)
        let out = try Self.tile(scene, ["--tile-size", "128", "--overlap", "32", "--format", "npy"], in: folder)
        let mosaic = try Self.stitch(out, out + "/tiles", into: folder.file("s")) { $0.argmax = true }
        let a = try Self.pixels(mosaic), b = try Self.pixels(scene)
        #expect(a.bands == 1)
        let plane = 300 * 260
        var wrong = 0
        for i in 0 ..< plane {
            var best = 0
            for c in 1 ..< 3 where b.samples[c * plane + i] > b.samples[best * plane + i] { best = c }
            if a.samples[i] != Double(best) { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    /// Stack patches (ImageJ TIFF, or `.npy` beside their mask patches) rebuild the volume —
    /// voxels, size and spacing — as tifffile reads both.
    @Test(arguments: [("tiff", "shift"), ("npy", "pad")])
    func stackPatchesRebuildTheVolume(format: String, edge: String) throws {
        let folder = TemporaryFolder()
        let medical = SharedData.packageRoot + "/SampleData/medical/"
        let out = try Self.tile(medical + "ct_chest.tif", ["--patch", "64x64x16", "--overlap", "16x16x4", "--edge", edge, "--format", format,
                                                           "--mask", medical + "ct_nodules_mask.tif"], in: folder)
        var volumes: [String] = []
        // Two blends per case keep the debug-build test short; every blend is checked on scenes above.
        for blend in format == "tiff" ? [RasterBlend.center, .gaussian] : [.mean] {
            var options = StitchOptions()
            options.blend = blend
            let report = try StitchJob(run: out, predictions: out + "/patches", output: folder.file("s-\(blend)"), options: options).run()
            #expect(report.files == ["volume.tif"] && report.warnings == StitchWarnings() && report.predictions > 20)
            volumes.append(folder.file("s-\(blend)/volume.tif"))
        }
        let check = try ClientPython.run("""
        import sys, tifffile, numpy as np
        source = tifffile.imread(sys.argv[1])
        for path in sys.argv[2:]:
            v = tifffile.imread(path)
            assert v.shape == source.shape and v.dtype == source.dtype, (path, v.shape, v.dtype)
            assert np.array_equal(v, source), (path, int((v != source).sum()))
            with tifffile.TiffFile(path) as t:
                assert abs(t.imagej_metadata['spacing'] - 1.25) < 1e-9 and t.imagej_metadata['unit'] == 'mm', t.imagej_metadata
                x = t.pages[0].tags['XResolution'].value
                assert abs(x[1] / x[0] - 0.7) < 1e-6, x
        print('ok', source.shape)
        """, [medical + "ct_chest.tif"] + volumes)
        #expect(check.status == 0 && check.standardOutput.hasPrefix("ok"), "\(check.standardError)")
    }

    /// A raster of the wrong size is exit 65 with one line naming it.
    @Test func wrongSizedRastersAreRefused() throws {
        let folder = TemporaryFolder()
        let out = try Self.tile(Self.aerial, ["--tile-size", "256", "--overlap", "0"], in: folder)
        let predictions = folder.file("pred")
        try FileManager.default.createDirectory(atPath: predictions, withIntermediateDirectories: true)
        #expect(try ExternalCommand.run("gdal_translate", ["-q", "-outsize", "100", "100", out + "/tiles/L0/aerial_vehicles_L0_x000000_y000000.tif",
                                                           predictions + "/aerial_vehicles_L0_x000000_y000000.tif"]).status == 0)
        let r = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", predictions, "--out", folder.file("s")])
        #expect(r.status == 65 && r.standardError.contains("is 100x100 pixels, its window at level 0 is 256x256"), "\(r.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("s")))
    }
}
