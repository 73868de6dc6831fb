import Foundation

/// `summary.json`'s audit: figures that do not apply are left out, an unbounded ratio is
/// `null` with a flag (`samplingBiasUnbounded: true`) — JSON has no ∞, and the string
/// "Infinity" reads as text to every other tool.
extension ScaleAudit {
    enum CodingKeys: String, CodingKey {
        case windowCount, targetCount, sizeBand, band, weightFit, containedShare, inBandShare, coverage, samplingBias, samplingBiasUnbounded
        case containableCount, containableSamplingBias, containableSamplingBiasUnbounded, bucketOccurrences
        case bucketBalance, bucketBalanceUnbounded, targetedBucketCounts, targetedBucketBalance, targetedBucketBalanceUnbounded
        case sizeSlope, histogramBefore, histogramAfter, targets, sampled
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func ratio(_ value: Double?, _ key: CodingKeys, _ flag: CodingKeys) throws {
            guard let value else { return }
            if value.isInfinite {
                try c.encodeNil(forKey: key)
                try c.encode(true, forKey: flag)
            } else {
                try c.encode(value, forKey: key)
            }
        }
        try c.encode(windowCount, forKey: .windowCount)
        try c.encode(targetCount, forKey: .targetCount)
        try c.encodeIfPresent(sizeBand, forKey: .sizeBand)
        try c.encodeIfPresent(weightFit, forKey: .weightFit)
        try c.encodeIfPresent(containedShare, forKey: .containedShare)
        try c.encodeIfPresent(inBandShare, forKey: .inBandShare)
        try c.encode(coverage, forKey: .coverage)
        try ratio(samplingBias, .samplingBias, .samplingBiasUnbounded)
        try c.encode(containableCount, forKey: .containableCount)
        try ratio(containableSamplingBias, .containableSamplingBias, .containableSamplingBiasUnbounded)
        try c.encode(bucketOccurrences, forKey: .bucketOccurrences)
        try ratio(bucketBalance, .bucketBalance, .bucketBalanceUnbounded)
        if sampled { try c.encode(targetedBucketCounts, forKey: .targetedBucketCounts) }
        try ratio(targetedBucketBalance, .targetedBucketBalance, .targetedBucketBalanceUnbounded)
        try c.encodeIfPresent(sizeSlope, forKey: .sizeSlope)
        try c.encode(histogramBefore, forKey: .histogramBefore)
        try c.encode(histogramAfter, forKey: .histogramAfter)
        try c.encode(targets, forKey: .targets)
        try c.encode(sampled, forKey: .sampled)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func ratio(_ key: CodingKeys, _ flag: CodingKeys) throws -> Double? {
            if try c.decodeIfPresent(Bool.self, forKey: flag) == true { return .infinity }
            return try c.decodeIfPresent(Double.self, forKey: key)
        }
        windowCount = try c.decode(Int.self, forKey: .windowCount)
        targetCount = try c.decode(Int.self, forKey: .targetCount)
        // `band` is the first release's name of the size band: merge reads either.
        sizeBand = try c.decodeIfPresent(ObjectSizeBand.self, forKey: .sizeBand) ?? c.decodeIfPresent(ObjectSizeBand.self, forKey: .band)
        weightFit = try c.decodeIfPresent(Double.self, forKey: .weightFit)
        containedShare = try c.decodeIfPresent(Double.self, forKey: .containedShare)
        inBandShare = try c.decodeIfPresent(Double.self, forKey: .inBandShare)
        coverage = try c.decode([Coverage].self, forKey: .coverage)
        samplingBias = try ratio(.samplingBias, .samplingBiasUnbounded)
        containableCount = try c.decode(Int.self, forKey: .containableCount)
        containableSamplingBias = try ratio(.containableSamplingBias, .containableSamplingBiasUnbounded)
        bucketOccurrences = try c.decode(BucketCounts.self, forKey: .bucketOccurrences)
        bucketBalance = try ratio(.bucketBalance, .bucketBalanceUnbounded)
        targetedBucketCounts = try c.decodeIfPresent(BucketCounts.self, forKey: .targetedBucketCounts) ?? BucketCounts()
        targetedBucketBalance = try ratio(.targetedBucketBalance, .targetedBucketBalanceUnbounded)
        sizeSlope = try c.decodeIfPresent(Double.self, forKey: .sizeSlope)
        histogramBefore = try c.decode(SizeHistogram.self, forKey: .histogramBefore)
        histogramAfter = try c.decode(SizeHistogram.self, forKey: .histogramAfter)
        targets = try c.decode([TargetRecord].self, forKey: .targets)
        // Summaries written before the flag existed kept every figure: read them as sampled.
        sampled = try c.decodeIfPresent(Bool.self, forKey: .sampled) ?? true
    }
}
