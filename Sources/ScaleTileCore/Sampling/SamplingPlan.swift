/// What a sampler planned: the windows, and what it could not do.
public struct SamplingPlan: Hashable, Sendable, Codable {
    /// The planned windows, in a stable order.
    public var windows: [PlannedWindow]
    /// Targets larger than a patch at every allowed level: they got patches centred on them,
    /// which show only part of them.
    public var uncontainedTargetIDs: [String]
    /// Negative windows asked for.
    public var negativesRequested: Int
    /// Negative windows placed; fewer than requested when valid background was hard to find.
    public var negativesPlaced: Int
    /// `weighted` plans: how far the drawn centres are from the map's mass (``WeightFit``).
    public var weightFit: Double?

    /// A plan with its shortfalls.
    public init(windows: [PlannedWindow], uncontainedTargetIDs: [String] = [],
                negativesRequested: Int = 0, negativesPlaced: Int = 0) {
        self.windows = windows
        self.uncontainedTargetIDs = uncontainedTargetIDs
        self.negativesRequested = negativesRequested
        self.negativesPlaced = negativesPlaced
    }

    /// Negative windows asked for but not found within the attempt budget.
    public var negativeShortfall: Int { negativesRequested - negativesPlaced }

    /// This plan followed by `other`'s windows, with both shortfalls.
    public func appending(_ other: SamplingPlan) -> SamplingPlan {
        var joined = SamplingPlan(windows: windows + other.windows,
                                  uncontainedTargetIDs: uncontainedTargetIDs + other.uncontainedTargetIDs,
                                  negativesRequested: negativesRequested + other.negativesRequested,
                                  negativesPlaced: negativesPlaced + other.negativesPlaced)
        // The fit is the weighted draw's; negatives are placed by another rule.
        joined.weightFit = weightFit ?? other.weightFit
        return joined
    }
}
