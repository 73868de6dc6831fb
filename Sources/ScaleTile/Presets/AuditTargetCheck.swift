import ScaleTileCore

/// A preset's audit targets (`target.*`) against one input's audit.
public struct AuditTargetCheck: Hashable, Sendable, Codable {
    /// One target: what was asked, what the run reached.
    public struct Result: Hashable, Sendable, Codable {
        /// The preset key, `target.coverage`.
        public var key: String
        /// The bound (a least share, or a largest ratio).
        public var target: Double
        /// The audited value; nil when the audit has none (no objects, nothing sampled).
        public var value: Double?
        public var met: Bool
    }

    public var results: [Result]

    /// The check of a run's audit (a scene's tiles or a stack's patches), when `target` sets
    /// any bound and the run has an audit; `levels` are the levels the run used.
    public static func of(_ audit: ScaleAudit?, levels: [Int], against target: Preset.Target) -> AuditTargetCheck? {
        let any = [target.contained, target.inBand, target.coverage, target.maxBias, target.maxBucketBalance].contains { $0 != nil }
        guard any, let audit else { return nil }
        return AuditTargetCheck(target, audit: audit, levels: levels)
    }
    /// Whether every target was met.
    public var met: Bool { results.allSatisfy(\.met) }

    /// Checks `audit` against `target`.
    ///
    /// - Parameters:
    ///   - levels: the levels the run used, which bound which objects are within reach for `inBand`.
    public init(_ target: Preset.Target, audit: ScaleAudit, levels: [Int]) {
        var results: [Result] = []
        let containable = audit.targets.filter(\.containable)
        func share(_ records: [ScaleAudit.TargetRecord], _ holds: (ScaleAudit.TargetRecord) -> Bool) -> Double? {
            records.isEmpty ? nil : Double(records.count(where: holds)) / Double(records.count)
        }
        func atLeast(_ key: String, _ bound: Double?, _ value: Double?) {
            guard let bound else { return }
            results.append(Result(key: key, target: bound, value: value, met: value.map { $0 >= bound - 1e-12 } ?? false))
        }
        func atMost(_ key: String, _ bound: Double?, _ value: Double?) {
            guard let bound else { return }
            results.append(Result(key: key, target: bound, value: value, met: value.map { $0 <= bound + 1e-12 } ?? false))
        }
        atLeast("target.contained", target.contained, share(containable) { $0.containmentCount > 0 })
        if let band = audit.sizeBand {
            let reachable = audit.targets.filter { band.finestLevel(forSize: $0.size, among: levels) != nil }
            atLeast("target.inBand", target.inBand, share(reachable) { ($0.inBandCount ?? 0) > 0 })
        } else {
            atLeast("target.inBand", target.inBand, nil)
        }
        atLeast("target.coverage", target.coverage, share(containable) { $0.containmentCount >= target.coverageK })
        atMost("target.maxBias", target.maxBias, audit.containableSamplingBias)
        atMost("target.maxBucketBalance", target.maxBucketBalance, audit.targetedBucketBalance)
        self.results = results
    }
}
