extension PatchSampler {
    /// Uniform sampling: `count` patches at uniformly random origins, each at a level drawn
    /// uniformly from the allowed ones, blind to the labels.
    ///
    /// The windows carry the reason ``WindowReason/grid``, the one reason for windows placed
    /// without regard to targets; their ids, `uniform-<k>`, tell them from grid tiles.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count.
    /// - Complexity: O(count).
    public func uniform(count: Int) throws -> SamplingPlan {
        try requireNonNegative(count, "--count")
        var random = randomStream("uniform")
        let levels = geometry.levels
        let windows = (0..<count).map { draw in
            let level = levels[random.integer(in: 0...(levels.count - 1))]
            return PlannedWindow(id: "uniform-\(draw)", level: level.index,
                                 window: geometry.randomPatch(at: level, using: &random), reason: .grid)
        }
        return SamplingPlan(windows: windows)
    }
}
