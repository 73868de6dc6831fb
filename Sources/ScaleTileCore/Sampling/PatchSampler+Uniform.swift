extension PatchSampler {
    /// Uniform sampling: `count` patches at uniformly random origins, each at a level drawn
    /// uniformly from the allowed ones, blind to the labels.
    ///
    /// The windows carry the reason ``WindowReason/random``; their ids are `uniform-<k>`.
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
                                 window: geometry.randomPatch(at: level, using: &random), reason: .random)
        }
        return SamplingPlan(windows: windows)
    }
}
