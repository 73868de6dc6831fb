import Foundation

/// How a plan treats objects or lesions of different sizes (DESIGN.md §4): per-target
/// containment, lesion sampling bias R, k-coverage, containment and in-band shares, bucket
/// balance, size slope, and size histograms before and after sampling.
///
/// A target is *contained* in a window when its whole bounding box lies inside the window's
/// level-0 extent, and *in-band* there when, in addition, s·2^-level lies in the size band.
/// Every window is counted for every target it contains, whatever it was placed for, because
/// that is what training sees. Ratios that compare counts (R, bucket balance) are ∞ when the
/// smallest count is 0 and the largest is not, and absent (nil) when every count is 0. In
/// JSON an unbounded ratio is `null` beside a flag (`samplingBiasUnbounded: true`), never the
/// string "Infinity".
///
/// Figures that describe a sampler — R, k-coverage past k = 1, bucket balances, the size
/// slope — do not apply to a plain grid (no window placed for a target, none a negative):
/// there they are nil, left out of the table and of `summary.json`.
public struct ScaleAudit: Hashable, Sendable, Codable {
    /// The audit of one target.
    public struct TargetRecord: Hashable, Sendable, Codable {
        /// The target's id.
        public var id: String
        /// Its class name.
        public var className: String
        /// s = √n.
        public var size: Double
        /// Its COCO size bucket.
        public var bucket: SizeBucket
        /// Windows containing it whole.
        public var containmentCount: Int
        /// Windows containing it whole with its size in the band there (nil without a band).
        public var inBandCount: Int?
        /// Whether its box fits within the extent of at least one window, that is whether any
        /// window of this plan's sizes could contain it.
        public var containable: Bool

        /// A target's record.
        public init(id: String, className: String, size: Double, bucket: SizeBucket, containmentCount: Int,
                    inBandCount: Int?, containable: Bool) {
            self.id = id
            self.className = className
            self.size = size
            self.bucket = bucket
            self.containmentCount = containmentCount
            self.inBandCount = inBandCount
            self.containable = containable
        }
    }

    /// k-coverage: the targets contained whole in at least k windows.
    public struct Coverage: Hashable, Sendable, Codable {
        /// k.
        public var k: Int
        /// How many targets are contained in ≥ k windows.
        public var targetCount: Int
        /// Their share of all targets (nil when there are no targets).
        public var share: Double?

        /// A coverage figure.
        public init(k: Int, targetCount: Int, share: Double?) {
            self.k = k
            self.targetCount = targetCount
            self.share = share
        }
    }

    /// Windows audited.
    public var windowCount: Int
    /// Targets audited.
    public var targetCount: Int
    /// The object-size band (`--object-size`, `target.objectSize`) of the in-band figures,
    /// when one was given. (`band` in summaries of the first release.)
    public var sizeBand: ObjectSizeBand?
    /// How well weighted draws follow their map (``WeightFit``), for the `weighted` strategy.
    public var weightFit: Double?
    /// Share of targets contained whole in at least one window.
    public var containedShare: Double?
    /// Share of targets in-band in at least one window (nil without a band).
    public var inBandShare: Double?
    /// k-coverage for k = 1, 5 and any requested k, in increasing k.
    public var coverage: [Coverage]
    /// R: containment count of the most-contained target over that of the least-contained.
    public var samplingBias: Double?
    /// Targets whose box fits within some window's extent.
    public var containableCount: Int
    /// R over the containable targets only: the bias a sampler is answerable for, without the
    /// targets no window of this size could hold.
    public var containableSamplingBias: Double?
    /// Per size bucket, how many times its targets are contained in windows (a target counts
    /// once per window containing it).
    public var bucketOccurrences: BucketCounts
    /// Bucket balance of ``bucketOccurrences`` over the buckets that have targets.
    public var bucketBalance: Double?
    /// Per size bucket, the windows placed for one of its targets that contain that target.
    /// Unlike ``bucketOccurrences`` this leaves out targets caught in another target's window,
    /// so it measures the sampler's quotas; in dense scenes the two differ widely.
    public var targetedBucketCounts: BucketCounts
    /// Bucket balance of ``targetedBucketCounts`` over the buckets that have targets.
    public var targetedBucketBalance: Double?
    /// Least-squares slope of ln(containment count + 1) against ln n (n the pixel or voxel
    /// count) over the containable targets: about 0 when sampling ignores size, near 1 when it
    /// is proportional to size as with voxel-uniform samplers (less, as the + 1 lifts the
    /// smallest counts), about 1 − α for object-balanced quotas. Targets no window could hold
    /// are left out, or the largest, never contained, would pull the slope down whatever the
    /// sampler did. Nil with fewer than two distinct sizes.
    public var sizeSlope: Double?
    /// Target sizes s = √n in power-of-two bins.
    public var histogramBefore: SizeHistogram
    /// The same bins counting containments: each target as many times as windows contain it.
    public var histogramAfter: SizeHistogram
    /// One record per target, in input order.
    public var targets: [TargetRecord]
    /// Whether some window was placed by a sampler (for a target, or as a negative); false
    /// for a plain grid, where the sampler's figures do not apply.
    public var sampled: Bool

    /// Audits `windows` against `targets`.
    ///
    /// - Parameters:
    ///   - sizeBand: the `--object-size` band for the in-band figures.
    ///   - coverageK: a k-coverage to report besides k = 1 and 5.
    /// - Complexity: O(windows · (cells per window + targets per cell) + targets · distinct
    ///   window sizes), using a ``TargetIndex`` with cells of the median window size rather
    ///   than testing every window against every target.
    public init(targets: [SamplingTarget], windows: [PlannedWindow], sizeBand band: ObjectSizeBand? = nil, coverageK: Int? = nil) {
        let boxes = targets.map(\.bbox)
        var containment = Array(repeating: 0, count: targets.count)
        var inBand = Array(repeating: 0, count: targets.count)
        var targeted = BucketCounts()
        let position = Dictionary(targets.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })

        if !windows.isEmpty, !targets.isEmpty {
            let index = TargetIndex(boxes: boxes, cellSize: Self.medianSize(of: windows.map(\.window)))
            for planned in windows {
                for i in index.boxes(containedIn: planned.window) {
                    containment[i] += 1
                    if let band, band.contains(size: targets[i].size, atLevel: planned.level) { inBand[i] += 1 }
                }
                if let id = planned.targetID, let i = position[id], planned.window.contains(boxes[i]) {
                    targeted[SizeBucket(targets[i])] += 1
                }
            }
        }

        let windowSizes = Set(windows.map(\.window.size))
        let records = targets.indices.map { i in
            let box = boxes[i]
            let containable = windowSizes.contains {
                $0.width >= box.width && $0.height >= box.height && $0.depth >= box.depth
            }
            return TargetRecord(id: targets[i].id, className: targets[i].className, size: targets[i].size,
                                bucket: SizeBucket(targets[i]), containmentCount: containment[i],
                                inBandCount: band == nil ? nil : inBand[i], containable: containable && !box.isEmpty)
        }
        self.init(records: records, targetedBucketCounts: targeted, windowCount: windows.count, sizeBand: band,
                  coverageKs: [1, 5] + (coverageK.map { [$0] } ?? []),
                  sampled: windows.contains { $0.targetID != nil || $0.reason != .grid })
    }

    /// Every figure derived from the per-target records, so an audit assembled from shards
    /// (``merged(_:)``) is the one an unsharded run computes, to the last bit.
    init(records: [TargetRecord], targetedBucketCounts targeted: BucketCounts, windowCount: Int, sizeBand band: ObjectSizeBand?,
         coverageKs: [Int], sampled: Bool) {
        let containment = records.map(\.containmentCount)
        let share = { (count: Int) -> Double? in records.isEmpty ? nil : Double(count) / Double(records.count) }
        var present = BucketCounts()
        var occurrences = BucketCounts()
        for record in records {
            present[record.bucket] += 1
            occurrences[record.bucket] += record.containmentCount
        }
        self.windowCount = windowCount
        targetCount = records.count
        self.sizeBand = band
        containedShare = share(containment.count { $0 > 0 })
        inBandShare = band == nil ? nil : share(records.count { ($0.inBandCount ?? 0) > 0 })
        coverage = Set(coverageKs).sorted().map { k in
            let count = containment.count { $0 >= k }
            return Coverage(k: k, targetCount: count, share: share(count))
        }
        samplingBias = imbalanceRatio(of: containment)
        containableCount = records.count { $0.containable }
        containableSamplingBias = imbalanceRatio(of: records.filter(\.containable).map(\.containmentCount))
        bucketOccurrences = occurrences
        bucketBalance = occurrences.balance(over: present.occupiedBuckets)
        targetedBucketCounts = targeted
        targetedBucketBalance = targeted.balance(over: present.occupiedBuckets)
        // n = s² (pixels or voxels): the slope is of log containment against log size in n.
        let containable = records.filter(\.containable)
        sizeSlope = Self.slope(x: containable.map { Foundation.log($0.size * $0.size) },
                               y: containable.map { Foundation.log(Double($0.containmentCount) + 1) })
        histogramBefore = SizeHistogram(sizes: records.map(\.size))
        histogramAfter = SizeHistogram(sizes: records.map(\.size), weights: containment)
        targets = records
        self.sampled = sampled
        if !sampled {
            // A grid places no window for a target: only containment describes it.
            coverage = coverage.filter { $0.k == 1 }
            samplingBias = nil
            containableSamplingBias = nil
            bucketBalance = nil
            targetedBucketBalance = nil
            sizeSlope = nil
        }
    }

    /// The audit of several shards' windows over the same targets: per-target counts and
    /// window counts add up; every other figure is derived again.
    ///
    /// - Throws: when the parts do not audit the same targets in the same order.
    public static func merged(_ parts: [ScaleAudit]) throws -> ScaleAudit {
        guard var records = parts.first?.targets else {
            throw ScaleTileError(.invalidInput, nil, "no audits to merge")
        }
        var targeted = BucketCounts()
        var windowCount = 0
        for (p, part) in parts.enumerated() {
            guard part.targets.map(\.id) == records.map(\.id), part.sizeBand == parts[0].sizeBand else {
                throw ScaleTileError(.invalidInput, nil, "shard \(p + 1) audits other objects than shard 1")
            }
            if p > 0 {
                for i in records.indices {
                    records[i].containmentCount += part.targets[i].containmentCount
                    if let n = part.targets[i].inBandCount { records[i].inBandCount = (records[i].inBandCount ?? 0) + n }
                    records[i].containable = records[i].containable || part.targets[i].containable
                }
            }
            for bucket in SizeBucket.allCases { targeted[bucket] += part.targetedBucketCounts[bucket] }
            windowCount += part.windowCount
        }
        var merged = ScaleAudit(records: records, targetedBucketCounts: targeted, windowCount: windowCount,
                                sizeBand: parts[0].sizeBand, coverageKs: parts[0].coverage.map(\.k), sampled: parts.contains { $0.sampled })
        // Every shard computed the fit over the whole plan.
        merged.weightFit = parts.lazy.compactMap(\.weightFit).first
        return merged
    }

    /// The k-coverage share for `k`, when it was computed.
    public func coverageShare(k: Int) -> Double? {
        coverage.first { $0.k == k }?.share
    }

    /// The per-axis median of window sizes: index cells of about one window keep queries to a
    /// few cells each.
    private static func medianSize(of windows: [Window]) -> RasterSize {
        func median(_ values: [Int]) -> Int { max(1, values.sorted()[values.count / 2]) }
        return RasterSize(width: median(windows.map(\.width)), height: median(windows.map(\.height)),
                          depth: median(windows.map(\.depth)))
    }

    /// The ordinary least-squares slope of y on x over the finite points; nil when fewer than
    /// two distinct x remain.
    private static func slope(x: [Double], y: [Double]) -> Double? {
        let points = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard Set(points.map(\.0)).count >= 2 else { return nil }
        let meanX = points.reduce(0) { $0 + $1.0 } / Double(points.count)
        let meanY = points.reduce(0) { $0 + $1.1 } / Double(points.count)
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        return sxy / sxx
    }
}
