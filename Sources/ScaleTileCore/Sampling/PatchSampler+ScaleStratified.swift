extension PatchSampler {
    /// The quotas of scale-stratified sampling: `count` patches split equally among the COCO size
    /// buckets that have targets (or by `bucketShares`), then equally among each bucket's targets.
    ///
    /// Shares of buckets without targets are dropped and the rest renormalised, so a request
    /// for a distribution the data cannot give still spends every patch. With equal shares and
    /// `count` ≥ 2 × buckets the bucket balance (largest bucket count over smallest) is ≤ 1.5.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count or share, or shares
    ///   that give every present bucket nothing; ``ScaleTileError/Kind/invalidInput`` for invalid
    ///   targets.
    /// - Complexity: O(targets · log targets).
    public func scaleStratifiedQuotas(for targets: [SamplingTarget], count: Int,
                                      bucketShares: [SizeBucket: Double]? = nil) throws -> [Int] {
        try requireNonNegative(count, "--count")
        try validate(targets)
        if let bucketShares {
            guard bucketShares.values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw ScaleTileError.argument("bucket shares", "shares must be finite and non-negative")
            }
            let present = Set(targets.map(SizeBucket.init))
            guard present.contains(where: { bucketShares[$0, default: 0] > 0 }) || targets.isEmpty else {
                throw ScaleTileError.argument("bucket shares", "no share for the buckets the targets fill: \(present.sorted().map(\.rawValue))")
            }
        }
        return groupBalancedQuotas(targets, count: count, purpose: "scale-stratified",
                                   groupOf: SizeBucket.init, groupName: \.rawValue,
                                   groupWeight: { bucketShares?[$0, default: 0] ?? 1 })
    }

    /// Scale-stratified sampling: patches split equally among size buckets, then among the
    /// targets of each (see ``scaleStratifiedQuotas(for:count:bucketShares:)``), each target
    /// getting exactly its quota of patches holding it whole at a random offset, at the finest
    /// level where it fits.
    ///
    /// Unlike object-balanced sampling, patches that hold a target for a neighbour do not count
    /// toward its quota: the balance sought is among the buckets patches are placed for (the
    /// audit's ``ScaleAudit/targetedBucketBalance``), and crediting neighbours would move
    /// patches from bucket to bucket.
    ///
    /// - Throws: as ``scaleStratifiedQuotas(for:count:bucketShares:)``.
    public func scaleStratified(_ targets: [SamplingTarget], count: Int,
                                bucketShares: [SizeBucket: Double]? = nil) throws -> SamplingPlan {
        targetedPlan(targets, quotas: try scaleStratifiedQuotas(for: targets, count: count, bucketShares: bucketShares))
    }
}
