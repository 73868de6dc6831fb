import Testing
@testable import ScaleTileCore

/// The tissue map's share of a window against a voxel-by-voxel count of the same volume.
@Suite("Tissue map")
struct TissueMapTests {
    /// A 37 × 29 × 11 volume, tissue where a seeded stream says so (about 60 %).
    static let size = RasterSize(width: 37, height: 29, depth: 11)
    static let tissue: [Bool] = {
        var random = SeededRandom(seed: 5)
        return (0 ..< size.pixelCount).map { _ in random.unit() < 0.6 }
    }()

    static func counted(_ window: Window) -> Double {
        var count = 0
        for z in window.z ..< window.maxZ {
            for y in window.y ..< window.maxY {
                for x in window.x ..< window.maxX where x >= 0 && y >= 0 && z >= 0 && x < size.width && y < size.height && z < size.depth {
                    if tissue[(z * size.height + y) * size.width + x] { count += 1 }
                }
            }
        }
        return Double(count) / Double(window.pixelCount)
    }

    /// The map built through the slice builder, as jobs build it, from 8-bit slices (1 = tissue).
    static func map(cellSize: RasterSize) -> TissueMap {
        var builder = TissueMap.Builder(volumeSize: size, cellSize: cellSize, criterion: .above(0.5))
        for z in 0 ..< size.depth {
            let slice = (0 ..< size.width * size.height).map { UInt8(tissue[z * size.width * size.height + $0] ? 1 : 0) }
            slice.withUnsafeBytes { builder.append(slice: $0, pixelType: .uint8) }
        }
        return builder.finish()
    }

    @Test func oneVoxelCellsGiveExactShares() {
        let map = Self.map(cellSize: RasterSize(width: 1, height: 1, depth: 1))
        var random = SeededRandom(seed: 9)
        for _ in 0 ..< 300 {
            let w = Window(x: random.integer(in: -5 ... 36), y: random.integer(in: -5 ... 28), z: random.integer(in: -3 ... 10),
                           width: random.integer(in: 1 ... 20), height: random.integer(in: 1 ... 20), depth: random.integer(in: 1 ... 6))
            #expect(abs(map.tissueShare(of: w) - Self.counted(w)) < 1e-12, "\(w)")
        }
    }

    // Coarse cells: exact on windows made of whole cells; elsewhere within the share of the
    // window's voxels that lie in its partly covered cells.
    @Test func coarseCellsAreExactOnWholeCellsAndCloseElsewhere() {
        let cell = RasterSize(width: 4, height: 4, depth: 2)
        let map = Self.map(cellSize: cell)
        #expect(map.shape == RasterSize(width: 10, height: 8, depth: 6))
        for w in [Window(x: 0, y: 0, z: 0, width: 8, height: 12, depth: 4), Window(x: 4, y: 8, z: 2, width: 33, height: 21, depth: 9),
                  Window(size: Self.size)] {
            #expect(abs(map.tissueShare(of: w) - Self.counted(w)) < 1e-12, "\(w)")
        }
        let w = Window(x: 3, y: 5, z: 1, width: 19, height: 13, depth: 7)
        // Cells cut by the window: at most 3 + 3 voxels per row in X, and so on; a loose bound.
        let boundary = 1 - Double((19 - 6) * (13 - 6) * (7 - 2)) / Double(19 * 13 * 7)
        #expect(abs(map.tissueShare(of: w) - Self.counted(w)) <= boundary)
    }

    @Test func cellsGrowInXAndYFirstToStayWithinTheBudget() {
        #expect(TissueMap.cellSize(covering: RasterSize(width: 512, height: 512, depth: 256)) == RasterSize(width: 4, height: 4, depth: 1))
        #expect(TissueMap.cellSize(covering: RasterSize(width: 352, height: 272, depth: 24)) == RasterSize(width: 1, height: 1, depth: 1))
        #expect(TissueMap.cellSize(covering: RasterSize(width: 4, height: 4, depth: 64), maximumCells: 8)
                == RasterSize(width: 4, height: 4, depth: 8))
    }
}
