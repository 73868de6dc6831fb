/// A sampling strategy and its parameters: what `--strategy` names (DESIGN.md §2, §4).
public enum SamplingStrategy: Hashable, Sendable {
    /// Quotas proportional to n^(1−α) per target, raised to `minPerObject`, as floors on how
    /// many patches contain each target whole.
    case objectBalanced(alpha: Double = 1, minPerObject: Int = 0)
    /// Equal quotas per COCO size bucket (or the given shares), then per target.
    case scaleStratified(bucketShares: [SizeBucket: Double]? = nil)
    /// Equal quotas per class, then per target.
    case classBalanced
    /// Random windows blind to the labels.
    case uniform
    /// `positive : negative` patches, positives size-proportional (α = 0), like MONAI.
    case positiveNegative(positive: Int = 1, negative: Int = 1)
    /// The regular grid at every allowed level.
    case grid(overlap: RasterSize, edge: EdgePolicy = .shift)
    /// Centres drawn from a coarse probability map.
    case weighted(ProbabilityGrid)

    /// The `--strategy` name: `object-balanced`, `scale-stratified`, `class-balanced`,
    /// `uniform`, `posneg`, `grid`, `weighted`.
    public var name: String {
        switch self {
        case .objectBalanced: "object-balanced"
        case .scaleStratified: "scale-stratified"
        case .classBalanced: "class-balanced"
        case .uniform: "uniform"
        case .positiveNegative: "posneg"
        case .grid: "grid"
        case .weighted: "weighted"
        }
    }
}

extension PatchSampler {
    /// The plan of one epoch: `strategy` with `count` patches, then `negatives` extra negative
    /// windows.
    ///
    /// For `posneg`, `count` includes its own negatives; for `grid`, it is how many of the grid's
    /// tiles are drawn (all of them when the grid has no more). Negatives are extra for every strategy, with `isValid` deciding which windows
    /// lie on valid data (see ``negatives(count:avoiding:attemptsPerWindow:isValid:)``).
    ///
    /// - Throws: what the strategy's own method throws.
    public func plan(_ strategy: SamplingStrategy, targets: [SamplingTarget], count: Int, negatives: Int = 0,
                     attemptsPerNegative: Int = PatchSampler.defaultNegativeAttempts,
                     isValid: (Window) -> Bool = { _ in true }) throws -> SamplingPlan {
        try requireNonNegative(negatives, "--negatives")
        let main: SamplingPlan
        switch strategy {
        case let .objectBalanced(alpha, minPerObject):
            main = try objectBalanced(targets, count: count, alpha: alpha, minPerObject: minPerObject)
        case let .scaleStratified(bucketShares):
            main = try scaleStratified(targets, count: count, bucketShares: bucketShares)
        case .classBalanced:
            main = try classBalanced(targets, count: count)
        case .uniform:
            main = try uniform(count: count)
        case let .positiveNegative(positive, negative):
            // Its own negatives and the extra ones in one draw, so ids and windows do not repeat.
            return try positiveNegative(targets, count: count, positive: positive, negative: negative,
                                        extraNegatives: negatives, attemptsPerWindow: attemptsPerNegative, isValid: isValid)
        case let .grid(overlap, edge):
            main = try grid(overlap: overlap, edge: edge, count: count)
        case let .weighted(map):
            main = try weighted(count: count, map: map)
        }
        guard negatives > 0 else { return main }
        return main.appending(try self.negatives(count: negatives, avoiding: targets,
                                                 attemptsPerWindow: attemptsPerNegative, isValid: isValid))
    }
}
