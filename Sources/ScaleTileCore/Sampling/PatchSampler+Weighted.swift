extension PatchSampler {
    /// Weighted sampling: `count` patches whose centres are drawn from `map`: a cell with
    /// probability proportional to its weight, then a pixel uniformly within the cell; each patch
    /// at a level drawn uniformly from the allowed ones.
    ///
    /// A patch is centred on its pixel as nearly as the level's pixels allow, then moved inside
    /// the level's raster, so near the edges the centre shifts inward (the patch never
    /// overhangs a raster at least its size). Windows carry the reason ``WindowReason/random``
    /// (placed without regard to individual targets) and ids `weighted-<k>`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count or a map whose
    ///   shape is not ``ProbabilityGrid/shape(covering:cellSize:)`` of the raster.
    /// - Complexity: O(cells + count · log cells).
    public func weighted(count: Int, map: ProbabilityGrid) throws -> SamplingPlan {
        try requireNonNegative(count, "--count")
        let expected = ProbabilityGrid.shape(covering: geometry.rasterSize, cellSize: map.cellSize)
        guard map.shape == expected else {
            throw ScaleTileError.argument("probability map", "\(map.shape) cells of \(map.cellSize) do not cover the raster \(geometry.rasterSize): it needs \(expected)")
        }
        // Cumulative weights: cell c is drawn when u·total falls in [cumulative[c − 1], cumulative[c]),
        // which zero-weight cells, with an empty interval, never hold.
        var cumulative: [Double] = []
        cumulative.reserveCapacity(map.weights.count)
        var total = 0.0
        for weight in map.weights {
            total += weight
            cumulative.append(total)
        }
        var random = randomStream("weighted")
        let levels = geometry.levels
        var windows: [PlannedWindow] = []
        windows.reserveCapacity(count)
        for draw in 0..<count {
            let u = random.unit() * total
            var cell = cumulative.partitioningIndex { $0 > u }
            // u < total, but rounding can leave it at the last sum; take the last positive cell.
            if cell == cumulative.count { cell = map.weights.lastIndex { $0 > 0 }! }
            let pixels = map.cellWindow(cell, clippedTo: geometry.rasterSize)
            let x = random.integer(in: pixels.x...(pixels.maxX - 1))
            let y = random.integer(in: pixels.y...(pixels.maxY - 1))
            let z = random.integer(in: pixels.z...(pixels.maxZ - 1))
            let level = levels[random.integer(in: 0...(levels.count - 1))]
            windows.append(PlannedWindow(id: "weighted-\(draw)", level: level.index,
                                         window: geometry.patch(centredAtX: x, y: y, z: z, at: level), reason: .random))
        }
        var plan = SamplingPlan(windows: windows)
        plan.weightFit = WeightFit.distance(map: map, rasterSize: geometry.rasterSize, windows: windows.map(\.window))
        return plan
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then
    /// true along the array; `endIndex` when it never holds.
    ///
    /// - Complexity: O(log n).
    fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
