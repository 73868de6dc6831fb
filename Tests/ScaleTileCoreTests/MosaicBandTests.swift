import Testing
import ScaleTileCore

/// Raster blending of one band of rows, on tiles whose results are worked out by hand.
@Suite("Mosaic band")
struct MosaicBandTests {
    // Two 1-row tiles of width 4 overlapping on x = 2, 3: A = [0, 4) holds 10s, B = [2, 6) holds 20s.
    static let a = Window(x: 0, y: 0, width: 4, height: 1), b = Window(x: 2, y: 0, width: 4, height: 1)
    static let rows = Window(x: 0, y: 0, width: 7, height: 1)

    static func composed(_ blend: RasterBlend) -> [Double] {
        var band = MosaicBand(rows: rows, channels: 1, blend: blend, upsampling: .nearest)
        band.add([10, 10, 10, 10], tileSize: RasterSize(width: 4, height: 1), window: a, level: .base)
        band.add([20, 20, 20, 20], tileSize: RasterSize(width: 4, height: 1), window: b, level: .base)
        return band.finished(nodata: -1)
    }

    @Test func centerTakesTheWindowWherePixelsAreFarthestFromABorder() {
        // Along y every pixel is 0.5 from a border, so the rank is min(x-distance, 0.5): a tie
        // everywhere, kept by the first window (manifest order).
        #expect(Self.composed(.center) == [10, 10, 10, 10, 20, 20, -1])
    }

    @Test func meanAndLinearWeightByPlace() {
        #expect(Self.composed(.mean) == [10, 10, 15, 15, 20, 20, -1])
        // Linear along x: A's x-distances 0.5 1.5 1.5 0.5, B's 0.5 1.5 1.5 0.5 from x = 2.
        // x = 2: (1.5·10 + 0.5·20) / 2 = 12.5; x = 3: (0.5·10 + 1.5·20) / 2 = 17.5.
        #expect(Self.composed(.linear) == [10, 10, 12.5, 17.5, 20, 20, -1])
    }

    /// Pieces of a band read only the part of each tile their taps reach (`tileRegion`): the same
    /// result as from whole tiles, for every blend and both upsamplings, on level-1 tiles.
    @Test(arguments: RasterUpsampling.allCases)
    func piecesOfTilesComposeAsWholeTiles(upsampling: RasterUpsampling) {
        // A 6×6 level-1 tile (values 0…107, 3 channels) over level-0 [2, 14)², and a piece of the band.
        let tileSize = RasterSize(width: 6, height: 6), window = Window(x: 2, y: 2, width: 12, height: 12)
        let samples = (0 ..< 108).map { Double($0 * 7 % 31) }
        let piece = Window(x: 5, y: 4, width: 5, height: 3)
        for blend in RasterBlend.allCases {
            var whole = MosaicBand(rows: piece, channels: 3, blend: blend, upsampling: upsampling)
            whole.add(samples, tileSize: tileSize, window: window, level: Level(1))
            var part = MosaicBand(rows: piece, channels: 3, blend: blend, upsampling: upsampling)
            let region = part.tileRegion(window: window, level: Level(1), tileSize: tileSize)!
            #expect(region.width < 6 && region.height < 6, "\(region)")
            var held: [Double] = []
            for c in 0 ..< 3 { for y in region.y ..< region.maxY { for x in region.x ..< region.maxX { held.append(samples[c * 36 + y * 6 + x]) } } }
            part.add(held, tileSize: tileSize, window: window, level: Level(1), held: region)
            #expect(part.finished(nodata: -1) == whole.finished(nodata: -1), "\(blend)/\(upsampling)")
        }
        #expect(MosaicBand(rows: Window(x: 20, y: 0, width: 4, height: 4), channels: 1, blend: .mean, upsampling: upsampling)
            .tileRegion(window: window, level: Level(1), tileSize: tileSize) == nil)
    }

    @Test func levelOneTilesCoverTwoByTwoBlocks() {
        var band = MosaicBand(rows: Window(x: 0, y: 0, width: 4, height: 2), channels: 1, blend: .mean, upsampling: .nearest)
        band.add([1, 2, 3, 4], tileSize: RasterSize(width: 2, height: 2), window: Window(x: 0, y: 0, width: 4, height: 4), level: Level(1))
        #expect(band.finished(nodata: 0) == [1, 1, 2, 2, 1, 1, 2, 2])
        var smooth = MosaicBand(rows: Window(x: 0, y: 0, width: 4, height: 1), channels: 1, blend: .mean, upsampling: .bilinear)
        smooth.add([0, 8, 0, 8], tileSize: RasterSize(width: 2, height: 2), window: Window(x: 0, y: 0, width: 4, height: 4), level: Level(1))
        // Level pixel centres lie at level-0 coordinate 1 and 3; level-0 pixel centres at 0.5 … 3.5:
        // 0.5 is clamped to 0, 1.5 is a quarter of the way (2), 2.5 three quarters (6), 3.5 clamped to 8.
        #expect(smooth.finished(nodata: 0) == [0, 2, 6, 8])
    }
}
