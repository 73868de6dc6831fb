import Testing
@testable import ScaleTileCore

@Suite("Pyramid levels")
struct LevelTests {
    @Test func levelSizesRoundUp() {
        let size = RasterSize(width: 791, height: 718)
        #expect(Level(1).size(of: size) == RasterSize(width: 396, height: 359))
        #expect(Level(2).size(of: size) == RasterSize(width: 198, height: 180))
        #expect(Level(3).size(of: size) == RasterSize(width: 99, height: 90))
        #expect(Level(0).size(of: size) == size)
    }

    @Test func windowsMapBetweenLevels() {
        let level = Level(2)
        let base = level.baseWindow(of: Window(x: 3, y: 5, width: 10, height: 7))
        #expect(base == Window(x: 12, y: 20, width: 40, height: 28))
        #expect(level.window(fromBase: base) == Window(x: 3, y: 5, width: 10, height: 7))
        #expect(level.scale == 0.25)
    }

    @Test func depthScalesOnlyWhenAsked() {
        let size = RasterSize(width: 512, height: 512, depth: 25)
        #expect(Level(1).size(of: size).depth == 25)
        #expect(Level(1, scalesDepth: true).size(of: size).depth == 13)
    }

    @Test func levelListsParse() throws {
        #expect(try LevelSelection(parsing: "0") == .explicit([0]))
        #expect(try LevelSelection(parsing: "0,2,3") == .explicit([0, 2, 3]))
        #expect(try LevelSelection(parsing: "0-3") == .explicit([0, 1, 2, 3]))
        #expect(try LevelSelection(parsing: "3,0-1") == .explicit([0, 1, 3]))
        #expect(try LevelSelection(parsing: "auto") == .auto)
        for bad in ["", "a", "3-1", "-1", "0,,2", "1-2-3", "31"] {
            #expect(throws: ScaleTileError.self, "\(bad)") { try LevelSelection(parsing: bad) }
        }
    }

    @Test func autoPyramidStopsWhenALevelFitsOneTile() {
        // 10980 → 5490 → 2745 → 1373 → 687 → 344 (≤ 512): levels 0…5.
        #expect(LevelSelection.pyramidLevels(for: RasterSize(width: 10980, height: 10980), tileSize: 512) == [0, 1, 2, 3, 4, 5])
        #expect(LevelSelection.pyramidLevels(for: RasterSize(width: 400, height: 300), tileSize: 512) == [0])
    }
}
