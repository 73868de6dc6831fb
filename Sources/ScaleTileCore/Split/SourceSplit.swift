/// `--split-by source`: whole inputs (scenes, stacks, volumes, nnU-Net cases) assigned to
/// splits, so the windows of one source never lie in two splits.
///
/// A source is one block holding all its windows and objects: ``StratifiedAssignment`` places
/// the sources, seeded, so that each split's objects per size bucket and class follow the whole
/// set as far as whole sources allow. A split the stratification leaves empty takes the source
/// with the fewest windows from the split holding the most sources, so every split named gets
/// at least one source whenever there are as many sources as splits.
public struct SourceSplit: Hashable, Sendable {
    /// What one source holds.
    public struct Source: Hashable, Sendable {
        /// The source's name (its path, as the run reads it).
        public var name: String
        /// Its objects or lesions, whose buckets and classes stratify the assignment.
        public var objects: [SamplingTarget]
        /// Its planned windows.
        public var windows: Int

        public init(name: String, objects: [SamplingTarget], windows: Int) {
            self.name = name
            self.objects = objects
            self.windows = windows
        }

        /// Objects per stratification label (`bucket:small`, `class:1`).
        var labelCounts: [String: Int] {
            var counts: [String: Int] = [:]
            for object in objects { for label in SplitPlan.labels(of: object) { counts[label, default: 0] += 1 } }
            return counts
        }
    }

    /// The sources, in the order given.
    public let sources: [Source]
    /// The split of each source, in the order of ``sources``.
    public let splits: [SplitName]
    public let shares: SplitShares
    public let seed: UInt64

    /// Assigns `sources` to the splits of `shares`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` about `--split-by` when there are
    ///   fewer sources than splits: whole sources cannot fill them.
    public init(sources: [Source], shares: SplitShares, seed: UInt64) throws {
        let names = shares.names
        guard sources.count >= names.count else {
            throw ScaleTileError.argument("--split-by", "source gives each of the \(names.count) splits (\(shares)) whole inputs, and this run has \(sources.count) input\(sources.count == 1 ? "" : "s"): give at least \(names.count) inputs, or split by blocks (scenes)")
        }
        let units = sources.map { StratifiedAssignment.Unit(labelCounts: $0.labelCounts, objects: $0.objects.count, windows: $0.windows) }
        var assigned = StratifiedAssignment.assign(units, shares: shares, seed: seed)
        for name in names where !assigned.contains(name) {
            // The split holding the most sources (ties: the first named) gives up its smallest.
            let donor = names.max { a, b in
                (assigned.filter { $0 == a }.count, names.firstIndex(of: b)!) < (assigned.filter { $0 == b }.count, names.firstIndex(of: a)!)
            }!
            let moved = assigned.indices.filter { assigned[$0] == donor }
                .min { (sources[$0].windows, sources[$0].objects.count, $0) < (sources[$1].windows, sources[$1].objects.count, $1) }!
            assigned[moved] = name
        }
        self.sources = sources
        splits = assigned
        self.shares = shares
        self.seed = seed
    }

    /// The split of the source named `name`.
    public func split(of name: String) -> SplitName? {
        sources.firstIndex { $0.name == name }.map { splits[$0] }
    }
}

/// `summary.json`'s `split` of a run split by source: which split each source went to, what each
/// split holds, that no source lies in two, and where stratification fell short.
public struct SourceSplitSummary: Hashable, Sendable, Codable {
    /// What one split holds.
    public struct Counts: Hashable, Sendable, Codable {
        /// Whole sources.
        public var sources: Int
        /// Windows (tiles, patches or cases) written from them.
        public var windows: Int
        /// Their objects or lesions.
        public var objects: Int
        /// Those per COCO size bucket.
        public var buckets: BucketCounts
        /// Those per class (label value for masks).
        public var classes: [String: Int]
    }

    /// One source and its split.
    public struct SourceRecord: Hashable, Sendable, Codable {
        public var source: String
        public var split: SplitName
        public var windows: Int
        public var objects: Int
    }

    /// `--split` as given.
    public var shares: SplitShares
    /// Always `source`.
    public var by: SplitUnit = .source
    public var seed: UInt64
    /// Per split name.
    public var splits: [String: Counts]
    /// Per source, in input order.
    public var sources: [SourceRecord]
    /// Sources whose windows lie in two splits or more, from the manifest (0: leak-free).
    public var sourcesInTwoSplits: Int
    /// Buckets and classes a split does not hold as the targets ask, with the reason.
    public var stratificationShortfalls: [StratificationShortfall]

    /// The summary of `split`, with `entries` the run's manifest (each carrying `split`) giving
    /// the windows written.
    public init(_ split: SourceSplit, entries: [ManifestEntry]) {
        shares = split.shares
        seed = split.seed
        var windows: [String: Int] = [:]
        var entrySplits: [String: Set<SplitName>] = [:]
        for entry in entries {
            windows[entry.source, default: 0] += 1
            if let s = entry.split { entrySplits[entry.source, default: []].insert(s) }
        }
        sourcesInTwoSplits = entrySplits.values.filter { $0.count > 1 }.count
        sources = zip(split.sources, split.splits).map {
            SourceRecord(source: $0.name, split: $1, windows: windows[$0.name] ?? 0, objects: $0.objects.count)
        }
        var counts: [String: Counts] = [:]
        var stratification: [SplitName: [String: [String: Int]]] = [:]
        for name in split.shares.names {
            var c = Counts(sources: 0, windows: 0, objects: 0, buckets: BucketCounts(), classes: [:])
            for (source, s) in zip(split.sources, split.splits) where s == name {
                c.sources += 1
                c.windows += windows[source.name] ?? 0
                c.objects += source.objects.count
                for object in source.objects {
                    c.buckets[SizeBucket(object)] += 1
                    c.classes[object.className, default: 0] += 1
                }
            }
            counts[name.rawValue] = c
            stratification[name] = [
                "bucket": Dictionary(uniqueKeysWithValues: SizeBucket.allCases.map { ($0.rawValue, c.buckets[$0]) }.filter { $0.1 > 0 }),
                "class": c.classes,
            ]
        }
        splits = counts
        stratificationShortfalls = StratificationShortfall.find(counts: stratification, shares: split.shares)
    }
}
