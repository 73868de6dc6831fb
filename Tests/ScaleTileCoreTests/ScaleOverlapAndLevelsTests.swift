import Testing
@testable import ScaleTileCore

@Suite("Scale: overlap and levels")
struct ScaleOverlapAndLevelsTests {
    @Test("overlap is the largest side among objects that fit under the cap; the others are counted")
    func overlapByHand() {
        // Spread over 5000 px, so X and Y need overlap; tile 512, default cap 256.
        let targets = [boxTarget("a", x: 10, y: 10, width: 10, height: 10),
                       boxTarget("b", x: 2000, y: 700, width: 40, height: 20),
                       boxTarget("c", x: 4000, y: 3000, width: 100, height: 30),
                       boxTarget("d", x: 100, y: 4000, width: 300, height: 50),    // above the cap
                       boxTarget("e", x: 3000, y: 100, width: 600, height: 50)]    // > T: never whole
        let tile = RasterSize(width: 512, height: 512)
        let auto = OverlapRecommendation(targets: targets, tileSize: tile)
        // a, b, c are kept: O = (max 10, 40, 100; max 10, 20, 30); d's and e's sides do not count.
        #expect(auto.overlap == RasterSize(width: 100, height: 30, depth: 0))
        #expect(auto.stride == RasterSize(width: 412, height: 482, depth: 1))
        #expect(auto.guaranteedCount == 3)
        #expect(auto.notGuaranteedCount == 1)
        #expect(auto.largerThanTileCount == 1)

        // A limit of T − 1 keeps d too (O = 300 × 50); a side equal to T (512) is still not guaranteed.
        let loose = OverlapRecommendation(targets: targets + [boxTarget("f", x: 50, y: 2000, width: 512, height: 8)],
                                          tileSize: tile, overlapLimit: RasterSize(width: 511, height: 511, depth: 0))
        #expect(loose.overlap == RasterSize(width: 300, height: 50, depth: 0))
        #expect(loose.guaranteedCount == 4)
        #expect(loose.notGuaranteedCount == 1)
        #expect(loose.largerThanTileCount == 1)

        // With a 64-px cap only a and b are kept: O = (40, 20); c joins the not-guaranteed.
        let capped = OverlapRecommendation(targets: targets, tileSize: tile,
                                           overlapLimit: RasterSize(width: 64, height: 64, depth: 0))
        #expect(capped.overlap == RasterSize(width: 40, height: 20, depth: 0))
        #expect(capped.guaranteedCount == 2)
        #expect(capped.notGuaranteedCount == 2)
        #expect(capped.largerThanTileCount == 1)

        // All objects inside the first tile on both axes: no overlap needed at all.
        let local = OverlapRecommendation(targets: [boxTarget("a", x: 5, y: 5, width: 300, height: 300)], tileSize: tile)
        #expect(local.overlap == RasterSize(width: 0, height: 0, depth: 0))
        #expect(local.guaranteedCount == 1)
    }

    @Test("every object the recommendation guarantees is whole in some grid tile (brute force, shift and pad)",
          arguments: [EdgePolicy.shift, .pad])
    func overlapGuaranteeHolds(edge: EdgePolicy) throws {
        var random = SeededRandom(seed: 7)
        let raster = RasterSize(width: 3001, height: 1999)
        // Mostly sides up to 100 px, one in ten up to 300 (above the 128-px cap, some above the tile).
        let targets = (0..<300).map { i -> SamplingTarget in
            let largest = i % 10 == 0 ? 300 : 100
            let width = random.integer(in: 1...largest), height = random.integer(in: 1...largest)
            return boxTarget("\(i)", x: random.integer(in: 0...(raster.width - width)),
                             y: random.integer(in: 0...(raster.height - height)), width: width, height: height)
        }
        let tile = RasterSize(width: 256, height: 256)
        let recommendation = OverlapRecommendation(targets: targets, tileSize: tile)
        let grid = try TileGrid(size: raster, tile: tile, overlap: recommendation.overlap, edge: edge)
        let tiles = grid.windows
        var whole = 0
        for target in targets where target.bbox.width <= recommendation.overlap.width
            && target.bbox.height <= recommendation.overlap.height {
            #expect(tiles.contains { $0.contains(target.bbox) }, "target \(target.id) \(target.bbox) is whole in no tile")
            whole += 1
        }
        #expect(whole == recommendation.guaranteedCount)
        #expect(whole + recommendation.notGuaranteedCount + recommendation.largerThanTileCount == targets.count)
    }

    @Test("levels for a band: finest in-band level per object, zoom-in, out of reach and between levels")
    func levelsForBand() throws {
        // Band 16:64, levels 0–4. s = 8: below 16 at level 0 → zoom in. s = 16 and 64: level 0.
        // s = 65: 65 > 64, 32.5 at level 1. s = 200: 100 at 1, 50 at level 2. s = 1100: 68.75 at
        // level 4 (the coarsest) is still above 64 → out of reach.
        let targets = [8.0, 16, 64, 65, 200, 1100].enumerated().map { sizedTarget("\($0.offset)", size: $0.element) }
        let levels = LevelRecommendation(targets: targets, band: try ObjectSizeBand(min: 16, max: 64),
                                         candidateLevels: [4, 3, 2, 1, 0, 0])
        #expect(levels.candidateLevels == [0, 1, 2, 3, 4])
        #expect(levels.levels == [.init(level: 0, targetCount: 2), .init(level: 1, targetCount: 1),
                                  .init(level: 2, targetCount: 1)])
        #expect(levels.recommendedLevels == [0, 1, 2])
        #expect(levels.zoomInCount == 1)
        #expect(levels.outOfReachCount == 1)
        #expect(levels.betweenLevelsCount == 0)

        // A band narrower than a factor 2, 20:30: s = 35 is above 30 at level 0 and 17.5 at level 1.
        let narrow = LevelRecommendation(targets: [sizedTarget("a", size: 35), sizedTarget("b", size: 50)],
                                         band: try ObjectSizeBand(min: 20, max: 30), candidateLevels: [0, 1, 2])
        #expect(narrow.betweenLevelsCount == 1)
        #expect(narrow.levels == [.init(level: 1, targetCount: 1)])      // 50 → 25 at level 1
    }

    @Test("size bands parse MIN:MAX and reject the rest")
    func bandParsing() throws {
        let band = try ObjectSizeBand(parsing: "8:64")
        #expect(band.min == 8 && band.max == 64)
        #expect(band.description == "8:64")
        #expect(band.contains(size: 128, atLevel: 1))       // 64, inclusive
        #expect(!band.contains(size: 129, atLevel: 1))
        #expect(band.finestLevel(forSize: 300, among: [3, 0, 2]) == 3)     // 75 at 2, 37.5 at 3
        for text in ["64:8", "0:8", "8", "a:b", "8:64:2", ":"] {
            #expect(throws: ScaleTileError.self) { try ObjectSizeBand(parsing: text) }
        }
    }
}
