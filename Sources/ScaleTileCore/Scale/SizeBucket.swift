/// The COCO size buckets, by area (DESIGN.md §4): small < 32², medium < 96², large ≥ 96².
///
/// A target's area is its pixel count n (box area for scene objects). Stacks use their voxel
/// count, so a lesion's bucket follows s = √n as for every other scale figure; the thresholds
/// were made for 2-D areas and are only a coarse split for volumes.
public enum SizeBucket: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Area below 32² = 1024 pixels.
    case small
    /// Area from 32² up to, not including, 96² = 9216 pixels.
    case medium
    /// Area of 96² pixels or more.
    case large

    /// The bucket of an area in level-0 pixels.
    public init(area: Double) {
        if area < 32 * 32 {
            self = .small
        } else if area < 96 * 96 {
            self = .medium
        } else {
            self = .large
        }
    }

    /// The bucket of a target, by its pixel (voxel) count.
    public init(_ target: SamplingTarget) {
        self.init(area: target.pixelCount)
    }

    public static func < (a: SizeBucket, b: SizeBucket) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A count for each COCO size bucket: `{"small": …, "medium": …, "large": …}` in JSON.
public struct BucketCounts: Hashable, Sendable, Codable {
    /// Count in the small bucket.
    public var small: Int
    /// Count in the medium bucket.
    public var medium: Int
    /// Count in the large bucket.
    public var large: Int

    /// Counts given bucket by bucket (all zero by default).
    public init(small: Int = 0, medium: Int = 0, large: Int = 0) {
        self.small = small
        self.medium = medium
        self.large = large
    }

    /// How many targets fall in each bucket.
    ///
    /// - Complexity: O(targets).
    public init(targets: some Sequence<SamplingTarget>) {
        self.init()
        for target in targets { self[SizeBucket(target)] += 1 }
    }

    /// The count of one bucket.
    public subscript(bucket: SizeBucket) -> Int {
        get {
            switch bucket {
            case .small: small
            case .medium: medium
            case .large: large
            }
        }
        set {
            switch bucket {
            case .small: small = newValue
            case .medium: medium = newValue
            case .large: large = newValue
            }
        }
    }

    /// Sum over the buckets.
    public var total: Int { small + medium + large }

    /// The buckets with a non-zero count, smallest first.
    public var occupiedBuckets: [SizeBucket] { SizeBucket.allCases.filter { self[$0] > 0 } }

    /// Bucket balance: the largest count over the smallest among `buckets` (DESIGN.md §4).
    ///
    /// `buckets` are the buckets that exist among the targets; the counts are what sampling
    /// gave them. The balance is ∞ when one of them got nothing while another got some, and
    /// nil when there is no bucket or every count is zero (nothing to compare).
    public func balance(over buckets: [SizeBucket]) -> Double? {
        imbalanceRatio(of: buckets.map { self[$0] })
    }
}
