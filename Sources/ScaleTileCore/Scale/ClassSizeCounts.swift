/// One row of the class × size-bucket table of a label set.
public struct ClassSizeCounts: Hashable, Sendable, Codable {
    /// The class name (or label value).
    public var className: String
    /// How many of its targets fall in each COCO bucket.
    public var buckets: BucketCounts
    /// How many targets the class has.
    public var count: Int { buckets.total }

    /// A row with its counts.
    public init(className: String, buckets: BucketCounts) {
        self.className = className
        self.buckets = buckets
    }

    /// The table for `targets`: one row per class present, sorted by class name.
    ///
    /// - Complexity: O(targets + classes · log classes).
    public static func table(for targets: [SamplingTarget]) -> [ClassSizeCounts] {
        var byClass: [String: BucketCounts] = [:]
        for target in targets {
            byClass[target.className, default: BucketCounts()][SizeBucket(target)] += 1
        }
        return byClass.keys.sorted().map { ClassSizeCounts(className: $0, buckets: byClass[$0]!) }
    }

    private enum CodingKeys: String, CodingKey {
        case className, buckets, count
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        className = try container.decode(String.self, forKey: .className)
        buckets = try container.decode(BucketCounts.self, forKey: .buckets)
    }

    /// Writes the row with its total, so readers of `analyze --json` need not add it up.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(className, forKey: .className)
        try container.encode(buckets, forKey: .buckets)
        try container.encode(count, forKey: .count)
    }
}
