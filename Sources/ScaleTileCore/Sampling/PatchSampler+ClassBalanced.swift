extension PatchSampler {
    /// The quotas of class-balanced sampling: `count` patches split equally among the classes
    /// present (largest remainders, ties by the seed), then equally among each class's targets.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count;
    ///   ``ScaleTileError/Kind/invalidInput`` for invalid targets.
    /// - Complexity: O(targets · log targets).
    public func classBalancedQuotas(for targets: [SamplingTarget], count: Int) throws -> [Int] {
        try requireNonNegative(count, "--count")
        try validate(targets)
        return groupBalancedQuotas(targets, count: count, purpose: "class-balanced",
                                   groupOf: \.className, groupName: { $0 }, groupWeight: { _ in 1 })
    }

    /// Class-balanced sampling: patches split equally among classes, then among the targets of
    /// each (see ``classBalancedQuotas(for:count:)``), each target getting exactly its quota of
    /// patches holding it whole at a random offset, at the finest level where it fits.
    ///
    /// - Throws: as ``classBalancedQuotas(for:count:)``.
    public func classBalanced(_ targets: [SamplingTarget], count: Int) throws -> SamplingPlan {
        targetedPlan(targets, quotas: try classBalancedQuotas(for: targets, count: count))
    }
}
