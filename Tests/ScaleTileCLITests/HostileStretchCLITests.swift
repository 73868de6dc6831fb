import Foundation
import Testing
import TestSupport

/// `--stretch` takes its percentiles from valid pixels only. On the Landsat crop (16-bit, 18 %
/// zero fill, no nodata tag), `--nodata 0 --stretch 2,98` used to wash the PNG out (valid
/// pixels at 228–255) because the fill was counted; without a nodata rule it now warns once.
@Suite("Hostile: stretch over valid pixels", .serialized,
       .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct HostileStretchCLITests {
    static let landsat = SharedData.path("satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif")

    // NumPy computes the 2nd and 98th percentiles of each band's non-zero pixels (linear
    // interpolation, its default) and the 8-bit value gdal_translate -scale gives each pixel;
    // the one 1024x1024 PNG tile must match within 1 (rounding) on every valid pixel.
    static let check = """
    import sys, json, numpy as np, tifffile
    from PIL import Image
    src = tifffile.imread(sys.argv[1]).astype(np.float64)
    if src.shape[-1] == 3: src = np.moveaxis(src, -1, 0)
    png = np.asarray(Image.open(sys.argv[2])).astype(np.float64)
    png = np.moveaxis(png[..., :3], -1, 0)
    worst, washed, top, valid_share = 0.0, 0.0, 0.0, 0.0
    for band, tile in zip(src, png):
        valid = band != 0
        low, high = np.percentile(band[valid], [2, 98])
        expected = np.clip(np.round((band - low) * 255.0 / (high - low)), 0, 255)
        worst = max(worst, float(np.abs(expected - tile)[valid].max()))
        washed = max(washed, float((tile[valid] >= 228).mean()))
        top = max(top, float((tile[valid] == 255).mean()))
        valid_share = float(valid.mean())
    print(json.dumps({"worst": worst, "washed": washed, "top": top, "valid": valid_share}))
    """

    @Test func percentilesComeFromValidPixels() throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.landsat, "--out", t.file("out"), "--nodata", "0", "--stretch", "2,98", "--format", "png",
            "--tile-size", "1024", "--overlap", "0", "--quiet"])
        try #require(result.status == 0, "\(result.standardError)")
        #expect(!result.standardError.contains("--nodata 0"), "no warning with a nodata rule: \(result.standardError)")
        let tiles = try FileManager.default.contentsOfDirectory(atPath: t.file("out/tiles/L0")).filter { $0.hasSuffix(".png") }
        try #require(tiles.count == 1, "\(tiles)")
        let judged = try ClientPython.run(Self.check, [Self.landsat, t.file("out/tiles/L0/" + tiles[0])])
        try #require(judged.status == 0, "\(judged.standardError)")
        struct Figures: Decodable { var worst: Double; var washed: Double; var top: Double; var valid: Double }
        let figures = try JSONDecoder().decode(Figures.self, from: Data(judged.standardOutput.utf8))
        #expect(figures.valid > 0.7 && figures.valid < 0.9, "the crop is about 18 % fill: \(figures.valid)")
        #expect(figures.worst <= 1, "largest difference from NumPy's stretch: \(figures.worst)")
        // 98th percentile of valid pixels: about 2 % of them saturate at 255, and the top
        // eighth of the range holds a few percent of them, not most of them.
        #expect(figures.top > 0.01 && figures.top < 0.03, "share of valid pixels at 255: \(figures.top)")
        #expect(figures.washed < 0.1, "share of valid pixels at 228 or above: \(figures.washed)")
    }

    @Test func zeroFillWithoutANodataRuleWarnsOnce() throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.landsat, "--out", t.file("out"), "--stretch", "2,98", "--format", "png", "--tile-size", "512", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let warnings = result.standardError.split(separator: "\n").filter { $0.contains("--nodata 0") }
        #expect(warnings.count == 1, "\(result.standardError)")
        #expect(warnings.first?.hasPrefix("warning: \(Self.landsat): 18 % of the pixels are 0") == true, "\(warnings)")
    }
}
