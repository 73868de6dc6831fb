/// How well drawn window centres follow a weight map (the `weighted` strategy's audit,
/// `audit.weightFit`): the total-variation distance between the map's mass and the centres
/// over a coarse grid of blocks, 4 × 4 over a scene and 4 × 4 × 4 over a volume.
///
/// A block covers level-0 pixels [⌊b·W/4⌋, ⌊(b+1)·W/4⌋) on each axis. The map's mass in a
/// block is each cell's weight spread evenly over the cell's pixels inside the raster (as the
/// sampler draws a pixel uniformly within its cell); the centres' mass is the share of
/// windows whose centre lies in the block. TV = ½ Σ |p − q|: 0 when the draws follow the map
/// block for block, 1 when they fall where the map has no weight.
public enum WeightFit {
    /// Blocks per axis.
    public static let blocksPerAxis = 4

    /// The distance for `windows` (level-0 extents) drawn from `map` over a raster of `rasterSize`.
    ///
    /// - Complexity: O(cells + windows).
    public static func distance(map: ProbabilityGrid, rasterSize: RasterSize, windows: [Window]) -> Double? {
        guard !windows.isEmpty else { return nil }
        let axes = [rasterSize.width, rasterSize.height, rasterSize.depth]
        let blocks = axes.map { $0 > 1 ? Swift.min(blocksPerAxis, $0) : 1 }
        func bounds(_ axis: Int) -> [Int] { (0...blocks[axis]).map { $0 * axes[axis] / blocks[axis] } }
        let edges = (0..<3).map(bounds)
        let blockCount = blocks[0] * blocks[1] * blocks[2]

        // The map's mass per block: each cell's weight in proportion to its pixels in the block.
        var expected = [Double](repeating: 0, count: blockCount)
        let total = map.weights.reduce(0, +)
        for (index, weight) in map.weights.enumerated() where weight > 0 {
            let cell = map.cellWindow(index, clippedTo: rasterSize)
            let cellStart = [cell.x, cell.y, cell.z], cellEnd = [cell.maxX, cell.maxY, cell.maxZ]
            let cellPixels = Double(cell.width) * Double(cell.height) * Double(Swift.max(cell.depth, 1))
            // Overlap of the cell with each block, per axis.
            let shares: [[(block: Int, pixels: Int)]] = (0..<3).map { axis in
                (0..<blocks[axis]).compactMap { b in
                    let overlap = Swift.min(cellEnd[axis], edges[axis][b + 1]) - Swift.max(cellStart[axis], edges[axis][b])
                    return overlap > 0 ? (b, overlap) : nil
                }
            }
            for sx in shares[0] { for sy in shares[1] { for sz in shares[2] {
                let pixels = Double(sx.pixels) * Double(sy.pixels) * Double(sz.pixels)
                expected[(sz.block * blocks[1] + sy.block) * blocks[0] + sx.block] += weight / total * pixels / cellPixels
            } } }
        }

        // The centres' share per block.
        var drawn = [Double](repeating: 0, count: blockCount)
        func block(of coordinate: Double, axis: Int) -> Int {
            let b = Int((coordinate * Double(blocks[axis]) / Double(axes[axis])).rounded(.down))
            return Swift.min(Swift.max(b, 0), blocks[axis] - 1)
        }
        for w in windows {
            let centre = [Double(w.x) + Double(w.width) / 2, Double(w.y) + Double(w.height) / 2, Double(w.z) + Double(w.depth) / 2]
            let b = (0..<3).map { block(of: centre[$0], axis: $0) }
            drawn[(b[2] * blocks[1] + b[1]) * blocks[0] + b[0]] += 1 / Double(windows.count)
        }
        return 0.5 * zip(expected, drawn).reduce(0) { $0 + abs($1.0 - $1.1) }
    }
}
