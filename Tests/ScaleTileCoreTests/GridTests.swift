import Testing
@testable import ScaleTileCore

@Suite("Tile grids")
struct GridTests {
    // The peers' grid (RESULTS.md §2a): 10980 px, 512-px tiles every 448 px → 25 starts.
    @Test func sentinelGridMatchesPeers() throws {
        let axis = try AxisTiling(length: 10980, tileSize: 512, overlap: 64, edge: .pad)
        #expect(axis.starts.count == 25)
        #expect(axis.starts.first == 0 && axis.starts[1] == 448 && axis.starts.last == 24 * 448)
        #expect(axis.starts.last! + 512 >= 10980)
    }

    @Test func shiftMovesTheLastTileInward() throws {
        let axis = try AxisTiling(length: 1000, tileSize: 256, overlap: 32, edge: .shift)
        // (1000 − 256) / 224 = 3.32 → 4 strides + 1 = 5 tiles; the last starts at 1000 − 256.
        #expect(axis.starts == [0, 224, 448, 672, 744])
        #expect(axis.starts.allSatisfy { $0 + 256 <= 1000 })
    }

    @Test func dropKeepsOnlyFullTiles() throws {
        let axis = try AxisTiling(length: 1000, tileSize: 256, overlap: 32, edge: .drop)
        #expect(axis.starts == [0, 224, 448, 672])
    }

    @Test(arguments: EdgePolicy.allCases)
    func smallRasterGetsOnePaddedTile(edge: EdgePolicy) throws {
        let axis = try AxisTiling(length: 100, tileSize: 256, overlap: 32, edge: edge)
        #expect(axis.starts == [0])
        #expect(axis.validLength(at: 0) == 100)
    }

    @Test(arguments: [EdgePolicy.shift, .pad])
    func coveringPoliciesCoverEveryPixel(edge: EdgePolicy) throws {
        for length in [1, 255, 256, 257, 700, 791, 718, 1024, 4099] {
            let axis = try AxisTiling(length: length, tileSize: 256, overlap: 48, edge: edge)
            var covered = [Bool](repeating: false, count: length)
            for s in axis.starts { for i in s..<min(s + 256, length) { covered[i] = true } }
            #expect(covered.allSatisfy { $0 }, "length \(length)")
        }
    }

    // DESIGN.md §4: with stride S = T − O every object no larger than O is whole in some tile.
    @Test(arguments: [EdgePolicy.shift, .pad])
    func objectsNoLargerThanTheOverlapAreWholeSomewhere(edge: EdgePolicy) throws {
        let length = 1300, tile = 200, overlap = 40
        let axis = try AxisTiling(length: length, tileSize: tile, overlap: overlap, edge: edge)
        for size in 1...overlap {
            for start in 0...(length - size) {
                let whole = axis.starts.contains { $0 <= start && start + size <= $0 + tile }
                #expect(whole, "object [\(start), \(start + size)) is cut by every tile")
                if !whole { return }
            }
        }
    }

    @Test func overlapMustBeSmallerThanTheTile() {
        #expect(throws: ScaleTileError.self) { try AxisTiling(length: 100, tileSize: 64, overlap: 64, edge: .shift) }
        #expect(throws: ScaleTileError.self) { try AxisTiling(length: 100, tileSize: 0, overlap: 0, edge: .shift) }
        #expect(throws: ScaleTileError.self) { try AxisTiling(length: 100, tileSize: 64, overlap: -1, edge: .shift) }
    }

    @Test func gridIsRowMajor() throws {
        let grid = try TileGrid(width: 600, height: 300, tileSize: 256, overlap: 0, edge: .pad)
        let w = grid.windows
        #expect(w.count == 3 * 2)
        #expect(w.map(\.x) == [0, 256, 512, 0, 256, 512])
        #expect(w.map(\.y) == [0, 0, 0, 256, 256, 256])
    }

    @Test func volumetricGridAddsSlices() throws {
        let grid = try TileGrid(size: RasterSize(width: 100, height: 100, depth: 50),
                                tile: RasterSize(width: 64, height: 64, depth: 32),
                                overlap: RasterSize(width: 16, height: 16, depth: 4), edge: .shift)
        #expect(grid.counts.slices == 2 && grid.windows.count == 2 * 2 * 2)
        #expect(Set(grid.windows.map(\.z)) == [0, 18])
    }

    @Test func panelsKeepPlanWindowsButReorderReads() {
        let windows = (0..<4).flatMap { row in (0..<4).map { col in Window(x: col * 100, y: row * 100, width: 100, height: 100) } }
        let order = ReadOrder.panels(windows, panelWidth: 200)
        #expect(order.count == windows.count && Set(order) == Set(windows.indices))
        // First panel (columns 0 and 1), top to bottom, before any window of the second panel.
        #expect(order.prefix(8).allSatisfy { windows[$0].x < 200 })
        #expect(order.prefix(2).map { windows[$0].y } == [0, 0])
    }
}
