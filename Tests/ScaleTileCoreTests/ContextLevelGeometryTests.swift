import Testing
@testable import ScaleTileCore

/// The context tile geometry of DESIGN.md §7, worked by hand.
@Suite("Context level geometry")
struct ContextLevelGeometryTests {
    @Test("origin = floor(centre / 2^ℓ) − size / 2, negative past the source")
    func origins() {
        // A 128-pixel level-0 window at (0, 0): centre 64; level 2: 16 − 64 = −48 → −192 at level 0.
        let w = Window(x: 0, y: 0, width: 128, height: 128)
        #expect(ContextLevels.levelWindow(of: w, windowLevel: .base, at: Level(2)) == Window(x: -48, y: -48, width: 128, height: 128))
        #expect(ContextLevels.baseWindow(of: w, windowLevel: .base, at: Level(3)) == Window(x: -448, y: -448, width: 1024, height: 1024))
        // A level-1 window of 64 level pixels at (256, 100) covers 128 level-0 pixels: centre (320, 164);
        // level 3: floor(40) − 32 = 8, floor(20.5) − 32 = −12.
        let coarse = Window(x: 256, y: 100, width: 128, height: 128)
        #expect(ContextLevels.levelWindow(of: coarse, windowLevel: Level(1), at: Level(3)) == Window(x: 8, y: -12, width: 64, height: 64))
    }

    @Test("odd sizes keep the exact centre; Z scaled only when the levels scale depth")
    func oddSizesAndDepth() {
        // 5 wide at x = 3: centre 5.5; level 1: floor(2.75) − 2 = 0.
        let w = Window(x: 3, y: 0, z: 10, width: 5, height: 4, depth: 6)
        #expect(ContextLevels.levelWindow(of: w, windowLevel: .base, at: Level(1)).x == 0)
        #expect(ContextLevels.levelWindow(of: w, windowLevel: .base, at: Level(1)).z == 10)
        // Depth scaled: centre 13; level 1: floor(6.5) − 3 = 3.
        #expect(ContextLevels.levelWindow(of: w, windowLevel: .base, at: Level(1, scalesDepth: true)).z == 3)
    }

    @Test("used and skipped levels, footprints and the split block")
    func usedSkippedFootprint() throws {
        let levels = try ContextLevels([3, 1, 2, 3])
        #expect(levels.levels == [1, 2, 3])
        #expect(levels.used(byWindowAt: 2) == [3] && levels.skipped(byWindowAt: 2) == 2)
        #expect(levels.used(byWindowAt: 0) == [1, 2, 3] && levels.skipped(byWindowAt: 0) == 0)
        let w = Window(x: 512, y: 512, width: 64, height: 64)
        // Level 3: centre 544 → 68 − 32 = 36 → 288, 512 wide: the largest tile.
        #expect(levels.footprint(of: w, windowLevel: 0) == Window(x: 288, y: 288, width: 512, height: 512))
        #expect(levels.splitBlockSize(tileSize: 64, gridDefault: 64) == 1024)
        #expect(throws: ScaleTileError.self) { try ContextLevels([-1]) }
        #expect(throws: ScaleTileError.self) { try ContextLevels([]) }
    }

    @Test("manifest context read back is checked like the window: level, extent, path inside the folder")
    func manifestContextChecked() throws {
        var entry = ManifestEntry(id: "t", path: "tiles/L0/t.tif", level: 0, window: ManifestWindow(Window(x: 0, y: 0, width: 8, height: 8), volumetric: false),
                                  source: "s.tif", reason: .grid)
        let good = ManifestContext(level: 2, path: "tiles/L0/t_ctx2.tif", window: ManifestWindow(Window(x: -12, y: -12, width: 32, height: 32), volumetric: false))
        entry.context = [good]
        try entry.checked()
        for bad in [ManifestContext(level: 31, path: good.path, window: good.window),
                    ManifestContext(level: 2, path: "../t_ctx2.tif", window: good.window),
                    ManifestContext(level: 2, path: good.path, window: ManifestWindow(Window(x: 0, y: 0, width: 0, height: 32), volumetric: false)),
                    ManifestContext(level: 2, path: good.path, window: ManifestWindow(Window(x: -(1 << 50), y: 0, width: 32, height: 32), volumetric: false))] {
            entry.context = [bad]
            #expect(throws: ScaleTileError.self) { try entry.checked() }
        }
    }
}
