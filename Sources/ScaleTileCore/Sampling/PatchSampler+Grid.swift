extension PatchSampler {
    /// The regular grid of patches (see ``TileGrid``) at every allowed level, finest first.
    ///
    /// `overlap` is in pixels of each level, like the patch size. Ids are `grid-<level>-<k>`
    /// with k the tile's row-major position in its level's grid.
    ///
    /// - Throws: what ``TileGrid/init(size:tile:overlap:edge:)`` throws for an overlap that is
    ///   negative or not smaller than the patch.
    /// - Complexity: O(tiles).
    public func grid(overlap: RasterSize, edge: EdgePolicy = .shift) throws -> SamplingPlan {
        var windows: [PlannedWindow] = []
        for level in geometry.levels {
            let grid = try TileGrid(size: level.size(of: geometry.rasterSize), tile: geometry.patchSize,
                                    overlap: overlap, edge: edge)
            for (position, tile) in grid.windows.enumerated() {
                windows.append(PlannedWindow(id: "grid-\(level.index)-\(position)", level: level.index,
                                             window: level.baseWindow(of: tile), reason: .grid))
            }
        }
        return SamplingPlan(windows: windows)
    }

    /// `count` tiles of the grid (all of them when it has no more), drawn without replacement
    /// and seeded, kept in grid order so reads stay local: `--count` means the same for the
    /// grid as for every other strategy.
    public func grid(overlap: RasterSize, edge: EdgePolicy = .shift, count: Int) throws -> SamplingPlan {
        try requireNonNegative(count, "--count")
        let all = try grid(overlap: overlap, edge: edge).windows
        guard count < all.count else { return SamplingPlan(windows: all) }
        // A partial Fisher–Yates shuffle picks `count` distinct positions.
        var random = randomStream("grid")
        var positions = Array(all.indices)
        for i in 0..<count { positions.swapAt(i, random.integer(in: i...(positions.count - 1))) }
        return SamplingPlan(windows: positions[..<count].sorted().map { all[$0] })
    }
}
