/// `summary.json`'s `split`: the shares asked, what each split holds, train-only class
/// weights, the leakage audit and where stratification fell short.
public struct SplitSummary: Hashable, Sendable, Codable {
    /// What one split holds.
    public struct Counts: Hashable, Sendable, Codable {
        /// Windows (tiles or patches) written.
        public var windows: Int
        /// Distinct objects that are a positive label in some window of the split.
        public var objects: Int
        /// Those objects per COCO size bucket.
        public var buckets: BucketCounts
        /// Those objects per class.
        public var classes: [String: Int]
        /// Positive labels over all windows (an object counts once per window it is in).
        public var labelsInWindows: Int

        public init(windows: Int, objects: Int, buckets: BucketCounts, classes: [String: Int], labelsInWindows: Int) {
            self.windows = windows
            self.objects = objects
            self.buckets = buckets
            self.classes = classes
            self.labelsInWindows = labelsInWindows
        }
    }

    /// `--split` as given.
    public var shares: SplitShares
    /// `blocks` or `source`.
    public var by: SplitUnit
    /// The block edge in level-0 pixels (`by: blocks`).
    public var blockSize: Int?
    public var seed: UInt64
    /// Per split name.
    public var splits: [String: Counts]
    /// Class weights from the positives of the training split's windows: the distribution a
    /// loss sees after sampling (the label set's own are under `labels.classWeights`).
    public var trainClassWeights: ClassWeights?
    public var leakage: LeakageAudit
    /// Buckets and classes a split does not hold as the targets ask, with the reason.
    public var stratificationShortfalls: [StratificationShortfall]

    /// The summary of `entries` (each carrying `split`), with `buckets` giving each object id's
    /// size bucket.
    public init(entries: [ManifestEntry], buckets: [String: SizeBucket], shares: SplitShares, by: SplitUnit, blockSize: Int?,
                seed: UInt64, beta: Double, windowsDropped: Int, windowsShifted: Int, windowsDroppedForIgnore: Int) {
        self.shares = shares
        self.by = by
        self.blockSize = blockSize
        self.seed = seed
        var splits: [String: Counts] = [:]
        var stratification: [SplitName: [String: [String: Int]]] = [:]
        var trainCounts: [String: Int] = [:]
        var ignored = Set<String>()
        var positions: [SplitName: [Int]] = [:]
        for (i, entry) in entries.enumerated() { if let split = entry.split { positions[split, default: []].append(i) } }
        for name in shares.names {
            let own = positions[name] ?? []
            var seen: [String: String] = [:]
            var occurrences = 0
            for entry in own.lazy.map({ entries[$0] }) {
                for object in entry.objects ?? [] {
                    seen[object.id] = object.class
                    occurrences += 1
                    if name == .train { trainCounts[object.class, default: 0] += 1 }
                }
                for object in entry.ignore ?? [] { ignored.insert(object.id) }
            }
            var bucketCounts = BucketCounts()
            var classes: [String: Int] = [:]
            for (id, className) in seen {
                if let bucket = buckets[id] { bucketCounts[bucket] += 1 }
                classes[className, default: 0] += 1
            }
            splits[name.rawValue] = Counts(windows: own.count, objects: seen.count, buckets: bucketCounts, classes: classes,
                                           labelsInWindows: occurrences)
            stratification[name] = [
                "bucket": Dictionary(uniqueKeysWithValues: SizeBucket.allCases.map { ($0.rawValue, bucketCounts[$0]) }.filter { $0.1 > 0 }),
                "class": classes,
            ]
        }
        self.splits = splits
        trainClassWeights = trainCounts.isEmpty ? nil : try? ClassWeights(counts: trainCounts, beta: beta)
        var sourcesWindows: [String: [(window: Window, split: SplitName)]] = [:]
        for entry in entries {
            guard let split = entry.split else { continue }
            // A window's context tiles are its pixels too (DESIGN.md §7).
            let footprint = (entry.context ?? []).reduce(entry.window.window) { $0.union($1.window.window) }
            sourcesWindows[entry.source, default: []].append((footprint, split))
        }
        leakage = LeakageAudit(
            sharedPixels: sourcesWindows.values.reduce(0) { $0 + LeakageAudit.sharedPixels($1) },
            objectsPositiveInTwoSplits: LeakageAudit.objectsInTwoSplits(entries.compactMap { e in
                e.split.map { (objects: (e.objects ?? []).map { "\(e.source)\u{0}\($0.id)" }, split: $0) }
            }),
            windowsDropped: windowsDropped, windowsShifted: windowsShifted, objectsTurnedIgnore: ignored.count,
            windowsDroppedForIgnore: windowsDroppedForIgnore)
        stratificationShortfalls = StratificationShortfall.find(counts: stratification, shares: shares)
    }
}
