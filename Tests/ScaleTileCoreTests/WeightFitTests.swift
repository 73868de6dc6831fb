import Testing
@testable import ScaleTileCore

/// `audit.weightFit`: the total-variation distance between a weight map's mass and the drawn
/// centres over 4 × 4 (× 4) blocks, checked against block probabilities known by construction.
@Suite("Weighted sampling follows its map")
struct WeightFitTests {
    /// A map whose cells are constant within each block, so block b's probability is its
    /// weight times its cell count over the total, by hand.
    static func blockMap(raster: RasterSize, cell: RasterSize, weightOfBlock: (Int, Int, Int) -> Double) throws -> (ProbabilityGrid, [Double]) {
        let shape = ProbabilityGrid.shape(covering: raster, cellSize: cell)
        let blocksZ = raster.depth > 1 ? 4 : 1
        var weights: [Double] = []
        for k in 0..<shape.depth { for j in 0..<shape.height { for i in 0..<shape.width {
            weights.append(weightOfBlock(i * 4 / shape.width, j * 4 / shape.height, k * blocksZ / shape.depth))
        } } }
        let cellsPerBlock = Double(shape.pixelCount) / Double(16 * blocksZ)
        var probabilities: [Double] = []
        for bz in 0..<blocksZ { for by in 0..<4 { for bx in 0..<4 { probabilities.append(weightOfBlock(bx, by, bz) * cellsPerBlock) } } }
        let total = probabilities.reduce(0, +)
        return (try ProbabilityGrid(cellSize: cell, shape: shape, weights: weights), probabilities.map { $0 / total })
    }

    /// TV distance recomputed in the test from the windows' centres and the known probabilities.
    static func distance(_ windows: [Window], raster: RasterSize, probabilities: [Double]) -> Double {
        let blocksZ = raster.depth > 1 ? 4 : 1
        var counts = [Double](repeating: 0, count: probabilities.count)
        for w in windows {
            let cx = (w.x * 2 + w.width) * 4 / (2 * raster.width), cy = (w.y * 2 + w.height) * 4 / (2 * raster.height)
            let cz = blocksZ == 1 ? 0 : (w.z * 2 + w.depth) * 4 / (2 * raster.depth)
            counts[(cz * 4 + cy) * 4 + cx] += 1
        }
        return 0.5 * zip(counts, probabilities).reduce(0) { $0 + abs($1.0 / Double(windows.count) - $1.1) }
    }

    @Test func twentyThousandCentresOnARasterFitTheirMap() throws {
        let raster = RasterSize(width: 1024, height: 1024)
        let (map, probabilities) = try Self.blockMap(raster: raster, cell: RasterSize(width: 64, height: 64)) { x, y, _ in
            Double((x * 3 + y * 5) % 7)   // 0 to 6: some blocks never drawn
        }
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 32, height: 32), seed: 11)
        let windows = try sampler.weighted(count: 20_000, map: map).windows.map(\.window)
        let fit = try #require(WeightFit.distance(map: map, rasterSize: raster, windows: windows))
        #expect(fit <= 0.03, "fit \(fit)")
        #expect(abs(fit - Self.distance(windows, raster: raster, probabilities: probabilities)) < 1e-9)

        // The measure can fail: the same centres against a map that puts its mass elsewhere.
        let (other, _) = try Self.blockMap(raster: raster, cell: RasterSize(width: 64, height: 64)) { x, y, _ in x == 0 && y == 0 ? 1 : 0 }
        #expect(try #require(WeightFit.distance(map: other, rasterSize: raster, windows: windows)) > 0.9)
    }

    @Test func twentyThousandCentresInAVolumeFitTheirMap() throws {
        let raster = RasterSize(width: 128, height: 128, depth: 64)
        let (map, probabilities) = try Self.blockMap(raster: raster, cell: RasterSize(width: 16, height: 16, depth: 8)) { x, y, z in
            Double(1 + (x + 2 * y + 3 * z) % 4)
        }
        let sampler = try PatchSampler(rasterSize: raster, patchSize: RasterSize(width: 8, height: 8, depth: 4), seed: 5)
        let windows = try sampler.weighted(count: 20_000, map: map).windows.map(\.window)
        let fit = try #require(WeightFit.distance(map: map, rasterSize: raster, windows: windows))
        #expect(fit <= 0.05, "fit \(fit)")
        #expect(abs(fit - Self.distance(windows, raster: raster, probabilities: probabilities)) < 1e-9)
    }

    @Test func cellsAcrossBlockEdgesSpreadTheirWeight() throws {
        // One cell of 300 × 1 pixels over a 300-pixel-wide raster straddles blocks at 75, 150, 225:
        // a quarter of its mass in each of the first row's blocks.
        let raster = RasterSize(width: 300, height: 4)
        let map = try ProbabilityGrid(cellSize: RasterSize(width: 300, height: 1), shape: RasterSize(width: 1, height: 4), weights: [1, 0, 0, 0])
        let windows = (0..<4).map { Window(x: $0 * 75 + 30, y: 0, width: 2, height: 1) }
        #expect(try #require(WeightFit.distance(map: map, rasterSize: raster, windows: windows)) < 1e-12)
        #expect(WeightFit.distance(map: map, rasterSize: raster, windows: []) == nil)
    }
}
