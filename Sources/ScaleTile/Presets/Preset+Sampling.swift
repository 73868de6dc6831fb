import ScaleTileCore

extension Preset {
    /// `sampling`: the sampler of `job: sample` and its parameters (DESIGN.md §4).
    public struct Sampling: Hashable, Sendable, Codable {
        /// The `--strategy` names.
        public enum Strategy: String, Hashable, Sendable, Codable, CaseIterable {
            case objectBalanced = "object-balanced"
            case scaleStratified = "scale-stratified"
            case classBalanced = "class-balanced"
            case uniform
            case posneg
            case grid
            case weighted
        }

        /// The sampler.
        public var strategy: Strategy = .objectBalanced
        /// Patches per epoch (for `posneg`, its negatives included; `grid` ignores it).
        public var count: Int = 1000
        /// object-balanced: target i is chosen with weight n_i^(1−α); 0 is voxel-uniform, 1
        /// object-uniform, above 1 favours small objects.
        public var alpha: Double = 1
        /// object-balanced: every object gets at least this many patches.
        public var minPerObject: Int = 0
        /// Extra negative patches (without foreground), for every strategy.
        public var negatives: Int = 0
        /// posneg: `P:N` positive to negative patches.
        public var ratio = PositiveNegativeRatio(positive: 1, negative: 1)
        /// scale-stratified: the share of patches per COCO size bucket (`small`, `medium`,
        /// `large`); nil gives every bucket present an equal share.
        public var bucketShares: [SizeBucket: Double]? = nil
        /// weighted: a raster of sampling weights, relative to the preset file; nil: none.
        public var map: String? = nil
        /// Stacks: negatives lie where image voxels are above this value (CT: HU above air;
        /// MRI: signal above the empty background); nil: no threshold.
        public var backgroundThreshold: Double? = nil
        /// Stacks: a tissue or body mask on the image's grid, relative to the preset file,
        /// `{stem}` for the input's name; negatives lie on its non-zero voxels. Nil: none.
        public var tissueMask: String? = nil
        /// Stacks: the least share of a negative's voxels that must be tissue.
        public var minTissue: Double = 0.5

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case strategy, count, alpha, minPerObject, negatives, ratio, bucketShares, map
            case backgroundThreshold, tissueMask, minTissue
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Sampling()
            strategy = try c.decodeChoice(Strategy.self, forKey: .strategy) ?? d.strategy
            count = try c.decodeIfPresent(Int.self, forKey: .count) ?? d.count
            alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? d.alpha
            minPerObject = try c.decodeIfPresent(Int.self, forKey: .minPerObject) ?? d.minPerObject
            negatives = try c.decodeIfPresent(Int.self, forKey: .negatives) ?? d.negatives
            if let (positive, negative) = try c.decodePair(forKey: .ratio, separator: ":", form: "P:N, such as 1:1 or 2:1") {
                guard let ratio = PositiveNegativeRatio(reading: positive, negative) else {
                    throw PresetDecoding.mismatch(c, .ratio, "must be P:N with whole numbers, not both 0")
                }
                self.ratio = ratio
            }
            if let shares = try c.decodeIfPresent([String: Double].self, forKey: .bucketShares) {
                var buckets: [SizeBucket: Double] = [:]
                for (name, share) in shares {
                    guard let bucket = SizeBucket(rawValue: name) else {
                        throw PresetDecoding.mismatch(c, .bucketShares, "must map small, medium and large to shares, not '\(name)'")
                    }
                    buckets[bucket] = share
                }
                bucketShares = buckets
            }
            map = try c.decodeIfPresent(String.self, forKey: .map) ?? d.map
            backgroundThreshold = try c.decodeIfPresent(Double.self, forKey: .backgroundThreshold) ?? d.backgroundThreshold
            tissueMask = try c.decodeIfPresent(String.self, forKey: .tissueMask) ?? d.tissueMask
            minTissue = try c.decodeIfPresent(Double.self, forKey: .minTissue) ?? d.minTissue
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(strategy, forKey: .strategy)
            try c.encode(count, forKey: .count)
            try c.encode(alpha, forKey: .alpha)
            try c.encode(minPerObject, forKey: .minPerObject)
            try c.encode(negatives, forKey: .negatives)
            try c.encode(ratio.description, forKey: .ratio)
            let shares = bucketShares.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) }
            try c.encodeIfPresent(shares, forKey: .bucketShares)
            try c.encodeIfPresent(map, forKey: .map)
            try c.encodeIfPresent(backgroundThreshold, forKey: .backgroundThreshold)
            try c.encodeIfPresent(tissueMask, forKey: .tissueMask)
            try c.encode(minTissue, forKey: .minTissue)
        }

        /// The core sampler this section names; `tilingOverlap` and `edge` serve the `grid` strategy.
        ///
        /// - Throws: ``ScaleTileError/Kind/unsupported`` for `weighted`, whose map replaces the
        ///   strategy on scenes and stacks alike (``PresetPipeline``), so it never comes here.
        public func strategy(tilingOverlap: RasterSize, edge: EdgePolicy) throws -> SamplingStrategy {
            switch strategy {
            case .objectBalanced: return .objectBalanced(alpha: alpha, minPerObject: minPerObject)
            case .scaleStratified: return .scaleStratified(bucketShares: bucketShares)
            case .classBalanced: return .classBalanced
            case .uniform: return .uniform
            case .posneg: return .positiveNegative(positive: ratio.positive, negative: ratio.negative)
            case .grid: return .grid(overlap: tilingOverlap, edge: edge)
            case .weighted:
                throw ScaleTileError(.unsupported, nil, "the weighted sampler draws from its map (sampling.map), which replaces the strategy")
            }
        }
    }

    /// `P:N` positive to negative patches.
    public struct PositiveNegativeRatio: Hashable, Sendable, CustomStringConvertible {
        public var positive: Int
        public var negative: Int

        /// `positive : negative`.
        public init(positive: Int, negative: Int) {
            self.positive = positive
            self.negative = negative
        }

        /// The ratio of two numbers read from text: whole, non-negative, not both 0.
        init?(reading positive: Double, _ negative: Double) {
            guard positive >= 0, negative >= 0, positive + negative > 0,
                  positive == positive.rounded(), negative == negative.rounded(),
                  positive < 1e9, negative < 1e9 else { return nil }
            self.positive = Int(positive)
            self.negative = Int(negative)
        }

        public var description: String { "\(positive):\(negative)" }
    }

    /// `weights`: class weighting of the summary (DESIGN.md §4).
    public struct Weights: Hashable, Sendable, Codable {
        /// β of the effective number of samples (Cui et al. 2019), in [0, 1).
        public var beta: Double = ClassWeights.defaultBeta

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case beta
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            beta = try c.decodeIfPresent(Double.self, forKey: .beta) ?? Weights().beta
        }
    }
}
