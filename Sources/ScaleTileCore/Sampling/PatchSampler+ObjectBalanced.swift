import Foundation

extension PatchSampler {
    /// The per-epoch quotas of object-balanced sampling with exponent α (DESIGN.md §4).
    ///
    /// `count` positive patches are split among targets in proportion to n_i^(1−α) by largest
    /// remainders (ties broken by the seed), then every quota is raised to at least
    /// `minPerObject`, so the total is `count` or more. α = 0 is size-proportional, what
    /// voxel-uniform samplers give in expectation; α = 1 is target-uniform.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count or minimum, or an α
    ///   that makes a weight infinite; ``ScaleTileError/Kind/invalidInput`` for invalid targets.
    /// - Complexity: O(targets · log targets).
    public func objectBalancedQuotas(for targets: [SamplingTarget], count: Int, alpha: Double = 1,
                                     minPerObject: Int = 0) throws -> [Int] {
        try requireNonNegative(count, "--count")
        try requireNonNegative(minPerObject, "--min-per-object")
        try validate(targets)
        guard !targets.isEmpty else { return [] }
        let weights = targets.map { Foundation.pow($0.pixelCount, 1 - alpha) }
        guard alpha.isFinite, weights.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ScaleTileError.argument("--alpha", "\(alpha) gives target weights n^(1−α) that are zero or infinite")
        }
        var ties = randomStream("quota/object-balanced")
        return Apportionment.largestRemainder(total: count, weights: weights, tieBreaking: &ties)
            .map { max($0, minPerObject) }
    }

    /// Object-balanced sampling: Σ q_i patches (see
    /// ``objectBalancedQuotas(for:count:alpha:minPerObject:)``) such that every target that fits
    /// a patch is contained whole in at least its quota q_i of them at its own level, the
    /// finest level where it fits. A patch holds the target it was placed for whole at a
    /// uniformly random offset, at that target's own level.
    ///
    /// Patches placed for a neighbour that hold a target whole at the target's own level count
    /// toward its quota, because the lesion sampling bias R counts every patch containing a
    /// lesion; a target in a cluster may so get fewer patches of its own than q_i, and the
    /// patches saved go to the targets contained least relative to their quotas (see the
    /// two rounds of `containmentQuotaPlan`). Targets larger than a patch at every allowed
    /// level get q_i patches centred on them and are listed in
    /// ``SamplingPlan/uncontainedTargetIDs``.
    ///
    /// - Throws: as ``objectBalancedQuotas(for:count:alpha:minPerObject:)``.
    /// - Complexity: O(T log T + P · (log T + cells per patch + targets per cell)) for T
    ///   targets and P patches, with a ``TargetIndex`` for the containment credits.
    public func objectBalanced(_ targets: [SamplingTarget], count: Int, alpha: Double = 1,
                               minPerObject: Int = 0) throws -> SamplingPlan {
        let quotas = try objectBalancedQuotas(for: targets, count: count, alpha: alpha, minPerObject: minPerObject)
        return containmentQuotaPlan(targets, quotas: quotas)
    }
}
