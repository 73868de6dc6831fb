/// The pyramid levels a target size band needs (DESIGN.md §4, "in-band").
///
/// Each target is assigned the finest candidate level ℓ where s·2^-ℓ lies in [MIN, MAX]. The
/// rest are counted by why no level serves them: too small even at the finest candidate level
/// (zoom-in candidates: a smaller window resampled up), too large even at the coarsest
/// (out of reach), or falling between two candidate levels, which happens when MAX < 2·MIN or
/// when the candidate levels skip one.
public struct LevelRecommendation: Hashable, Sendable, Codable {
    /// How many targets a level serves.
    public struct LevelUse: Hashable, Sendable, Codable {
        /// The level ℓ.
        public var level: Int
        /// Targets whose finest in-band level is ℓ.
        public var targetCount: Int

        /// A level and its target count.
        public init(level: Int, targetCount: Int) {
            self.level = level
            self.targetCount = targetCount
        }
    }

    /// The band the levels were chosen for.
    public var band: ObjectSizeBand
    /// The levels that were allowed, finest first.
    public var candidateLevels: [Int]
    /// The levels that serve at least one target, finest first: the recommendation.
    public var levels: [LevelUse]
    /// Targets below MIN even at the finest candidate level.
    public var zoomInCount: Int
    /// Targets above MAX even at the coarsest candidate level.
    public var outOfReachCount: Int
    /// Targets above MAX at one candidate level and below MIN at the next coarser one.
    public var betweenLevelsCount: Int

    /// The levels `targets` need to be in `band`, chosen among `candidateLevels`.
    ///
    /// - Precondition: `candidateLevels` is not empty and holds levels in 0...30.
    /// - Complexity: O(targets · candidate levels).
    public init(targets: [SamplingTarget], band: ObjectSizeBand, candidateLevels: [Int]) {
        let candidates = Array(Set(candidateLevels)).sorted()
        precondition(!candidates.isEmpty, "at least one candidate level")
        var useCounts: [Int: Int] = [:]
        var zoomIn = 0, outOfReach = 0, between = 0
        for target in targets {
            let size = target.size
            if let level = band.finestLevel(forSize: size, among: candidates) {
                useCounts[level, default: 0] += 1
            } else if size * Level(candidates.first!).scale < band.min {
                zoomIn += 1
            } else if size * Level(candidates.last!).scale > band.max {
                outOfReach += 1
            } else {
                between += 1
            }
        }
        self.band = band
        self.candidateLevels = candidates
        levels = useCounts.keys.sorted().map { LevelUse(level: $0, targetCount: useCounts[$0]!) }
        zoomInCount = zoomIn
        outOfReachCount = outOfReach
        betweenLevelsCount = between
    }

    /// The recommended level numbers, finest first.
    public var recommendedLevels: [Int] { levels.map(\.level) }
}
