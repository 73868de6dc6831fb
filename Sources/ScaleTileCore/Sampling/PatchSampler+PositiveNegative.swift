extension PatchSampler {
    /// Positive/negative sampling in the manner of MONAI's `RandCropByPosNegLabel`, for
    /// comparisons: `count` patches split `positive : negative` by largest remainders (ties by
    /// the seed), positives by size-proportional quotas (object-balanced α = 0) and negatives as
    /// in ``negatives(count:avoiding:attemptsPerWindow:isValid:)``.
    ///
    /// At α = 0 each target's quota is proportional to its pixel (voxel) count, the expected
    /// share a voxel-uniform choice of patch centres gives it, so the scale bias of those
    /// samplers is reproduced. Each target gets exactly its quota of patches of its own, as
    /// centre hits are counted there; unlike ``objectBalanced(_:count:alpha:minPerObject:)``,
    /// patches holding it for a neighbour are not credited. Two differences remain, both
    /// deliberate: the split and the quotas are exact per epoch rather than independent draws,
    /// and a positive holds its target whole at a random offset rather than being centred on a
    /// random foreground voxel.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count or ratio, or a
    ///   ratio of 0 : 0; ``ScaleTileError/Kind/invalidInput`` for invalid targets.
    public func positiveNegative(_ targets: [SamplingTarget], count: Int, positive: Int = 1, negative: Int = 1,
                                 attemptsPerWindow: Int = PatchSampler.defaultNegativeAttempts,
                                 isValid: (Window) -> Bool = { _ in true }) throws -> SamplingPlan {
        try positiveNegative(targets, count: count, positive: positive, negative: negative, extraNegatives: 0,
                             attemptsPerWindow: attemptsPerWindow, isValid: isValid)
    }

    /// Positive/negative sampling with `extraNegatives` more negatives drawn in the same run, so
    /// they continue the ratio's own negatives (same stream, following ids) instead of
    /// repeating them.
    func positiveNegative(_ targets: [SamplingTarget], count: Int, positive: Int, negative: Int, extraNegatives: Int,
                          attemptsPerWindow: Int, isValid: (Window) -> Bool) throws -> SamplingPlan {
        try requireNonNegative(count, "--count")
        guard positive >= 0, negative >= 0, positive + negative > 0 else {
            throw ScaleTileError.argument("pos:neg", "\(positive):\(negative) is not a ratio of non-negative counts, not both 0")
        }
        var ties = randomStream("quota/posneg")
        let split = Apportionment.largestRemainder(total: count, weights: [Double(positive), Double(negative)], tieBreaking: &ties)
        let quotas = try objectBalancedQuotas(for: targets, count: targets.isEmpty ? 0 : split[0], alpha: 0)
        let negatives = try negatives(count: split[1] + extraNegatives, avoiding: targets,
                                      attemptsPerWindow: attemptsPerWindow, isValid: isValid)
        return targetedPlan(targets, quotas: quotas).appending(negatives)
    }
}
