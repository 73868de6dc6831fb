import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// The pyramid primitives (`LevelDownsampler`, `BlockAssembler`, `LevelRasterFile`) driven as
/// a pyramid job drives them, strip by strip, and the level file they write read back by
/// gdalinfo and gdal_translate: georeferencing scaled by 2^ℓ, and pixels that are block means
/// computed here.
@Suite("Level files against gdalinfo", .serialized,
       .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct LevelWriterTruthTests {
    /// Writes level `level` of `path` (all bands) from full-resolution strips of `stripHeight` rows.
    static func writeLevel(_ path: String, level: Level, stripHeight: Int, withMask: Bool, to out: String) throws {
        let dataset = try Dataset(opening: path, overviews: .ignored)
        let bands = Array(1...dataset.bandCount)
        let rule = try NodataDefinition(dataset: dataset, bands: bands)
        let levelSize = level.size(of: dataset.size)
        let type = try #require(dataset.bands[0].pixelType)
        let file = try LevelRasterFile(path: out, size: levelSize, bandCount: bands.count, pixelType: type,
                                       geoTransform: dataset.geoTransform.map(level.geoTransform(of:)),
                                       spatialReference: dataset.spatialReference, nodata: rule.outputValues,
                                       colorInterpretations: dataset.bands.map(\.colorInterpretation), withMask: withMask)
        var pixels = BlockAssembler(levelSize: levelSize, blockSize: file.blockSize, bandCount: bands.count, pixelType: type,
                                    fill: rule.fillValue)
        var masks = BlockAssembler(levelSize: levelSize, blockSize: file.blockSize, bandCount: 1, pixelType: .uint8, fill: 0)
        var y = 0
        while y < dataset.size.height {
            let window = Window(x: 0, y: y, width: dataset.size.width, height: min(stripHeight, dataset.size.height - y))
            let strip = FullResolutionStrip(pixels: try dataset.read(window, bands: bands),
                                            mask: withMask ? try dataset.readValidityMask(window) : nil, window: window)
            let result = try LevelDownsampler.downsample(strip, to: level, nodata: rule.outputValues, resampling: .average)
            #expect(result.levelWindow == level.window(fromBase: window))
            let blocks = pixels.add(result.pixels, at: result.levelWindow)
            var maskBlocks: [BlockAssembler.Block] = []
            if let mask = result.mask {
                let buffer = RasterBuffer(pixelType: .uint8, bandCount: 1,
                                          size: RasterSize(width: result.levelWindow.width, height: result.levelWindow.height), bytes: mask)
                maskBlocks = masks.add(buffer, at: result.levelWindow)
            }
            for (i, block) in blocks.enumerated() {
                try file.write(block, mask: i < maskBlocks.count ? maskBlocks[i] : nil)
            }
            y += stripHeight
        }
        #expect(pixels.pendingCount == 0)
        try file.finish()
    }

    /// RGB.byte.tif (nodata 0) at levels 1–3 from strips of 24 rows (not a multiple of the
    /// 256-px blocks): gdalinfo reads the level's size, scaled geotransform, the CRS, nodata
    /// and type; the pixels are the block means of the valid pixels.
    @Test(arguments: [1, 2, 3])
    func levelFileHoldsTheBlockMeans(_ level: Int) throws {
        let folder = TemporaryFolder()
        let source = SharedData.path(DatasetReadTruthTests.rgb)
        let out = folder.file("level.tif")
        let l = Level(level)
        try Self.writeLevel(source, level: l, stripHeight: 24, withMask: false, to: out)
        let info = try GDALTruth.info(out)
        let sourceInfo = try GDALTruth.info(source)
        let f = l.factor
        #expect(info["size"] as? [Int] == [(791 + f - 1) / f, (718 + f - 1) / f])
        let gt = try #require(info["geoTransform"] as? [Double]), base = try #require(sourceInfo["geoTransform"] as? [Double])
        let expected = [base[0], base[1] * Double(f), base[2], base[3], base[4], base[5] * Double(f)]
        #expect(zip(gt, expected).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }, "\(gt) vs \(expected)")
        #expect((info["coordinateSystem"] as? [String: Any])?["wkt"] as? String
                == (sourceInfo["coordinateSystem"] as? [String: Any])?["wkt"] as? String)
        let bands = info["bands"] as? [[String: Any]] ?? []
        #expect(bands.map { $0["type"] as? String } == ["Byte", "Byte", "Byte"])
        #expect(bands.map { $0["noDataValue"] as? Double } == [0, 0, 0])
        #expect(bands.map { $0["colorInterpretation"] as? String } == ["Red", "Green", "Blue"])
        let size = RasterSize(width: (791 + f - 1) / f, height: (718 + f - 1) / f)
        for b in 1...3 {
            let base = try GDALRaw.values(source, Window(x: 0, y: 0, width: 791, height: 718), band: "\(b)", scratch: folder)
            let means = BlockMeans(base: base, region: Window(x: 0, y: 0, width: 791, height: 718), factor: f) { base[$0] != 0 }
            let written = try GDALRaw.values(out, Window(size: size), band: "\(b)", scratch: folder)
            var wrong = 0
            for (v, mean) in zip(written, means.means) where !(mean.map { abs(v - $0) <= 0.5 + 1e-9 } ?? (v == 0)) { wrong += 1 }
            #expect(wrong == 0, "band \(b) level \(level): \(wrong) of \(written.count) pixels are not their block's mean")
        }
    }

    /// With an internal mask instead of nodata, the level file gets a mask too: valid where any
    /// pixel of the block is (`gdal_translate -b mask` of the level against the source's mask).
    @Test
    func levelFileCarriesTheMask() throws {
        let folder = TemporaryFolder()
        let source = try DatasetReadTruthTests.maskedFixture(in: folder)
        let out = folder.file("level.tif")
        try Self.writeLevel(source, level: Level(2), stripHeight: 40, withMask: true, to: out)
        let info = try GDALTruth.info(out)
        let flags = ((info["bands"] as? [[String: Any]])?.first?["mask"] as? [String: Any])?["flags"] as? [String]
        #expect(flags == ["PER_DATASET"])
        let full = Window(x: 0, y: 0, width: 791, height: 718)
        let mask = try GDALRaw.values(source, full, band: "mask", scratch: folder)
        let blocks = BlockMeans(base: mask, region: full, factor: 4) { mask[$0] != 0 }
        let written = try GDALRaw.values(out, Window(x: 0, y: 0, width: 198, height: 180), band: "mask", scratch: folder)
        #expect(written.count == blocks.means.count)
        let wrong = zip(written, blocks.means).filter { ($0 != 0) != ($1 != nil) }.count
        #expect(wrong == 0, "\(wrong) level pixels have the wrong validity")
        #expect(written.contains(0) && written.contains(255))
    }
}
