import ScaleTileCore

/// What `--dry-run` prints: the plan's windows counted by level, reason and (with labels) the
/// size bucket of the object each window was placed for.
public struct CommandPlanReport: Encodable, Sendable {
    public struct Count: Encodable, Sendable {
        public let level: Int
        public let reason: String
        public let bucket: String?
        public let windows: Int
    }

    public let windows: Int
    public let inShard: Int
    public let counts: [Count]
    /// A grid of stack patches is described by its geometry instead (and `--json` lists its windows).
    private(set) var stackGrid: (text: String, windows: [PlannedWindow])?

    enum CodingKeys: String, CodingKey { case windows, inShard, counts }

    public func encode(to encoder: any Encoder) throws {
        if let stackGrid {
            try stackGrid.windows.encode(to: encoder)
            return
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(windows, forKey: .windows)
        try c.encode(inShard, forKey: .inShard)
        try c.encode(counts, forKey: .counts)
    }

    /// The report of a command's plan (one unit: its one source).
    public init(_ unit: PresetRun.Unit, command: Preset.Job, source: String) {
        switch unit.work {
        case .tiles(_, let prepared) where prepared.isStack && command == .tile && prepared.sampling == nil:
            self.init(plan: prepared.plan, shardRange: unit.shardRange, targets: [])
            let work = Array(prepared.plan[unit.shardRange])
            let v = prepared.size, p = prepared.window, o = prepared.overlap
            var lines = ["plan for \(source): \(v.width) x \(v.height) x \(v.depth) voxels, patches \(p.width) x \(p.height) x \(p.depth) sharing \(o.width) x \(o.height) x \(o.depth), \(work.count) of \(prepared.plan.count) patches in this shard"]
            for level in prepared.levels {
                let count = work.filter { $0.level == level.index }.count
                let size = level.size(of: v)
                lines.append("  level \(level.index) (scale 1/\(level.factor)\(level.scalesDepth ? " in X, Y and Z" : " in X and Y"), \(size.width) x \(size.height) x \(size.depth)): \(count) grid patches")
            }
            if prepared.hasMask { lines.append("  mask: \(prepared.targets.count) lesions") }
            stackGrid = (text: lines.joined(separator: "\n") + "\n", windows: work)
        case .tiles(_, let prepared):
            self.init(plan: prepared.plan, shardRange: unit.shardRange, targets: prepared.targets)
        case .pyramid:
            self.init(plan: [], shardRange: 0..<0, targets: [])
        }
    }

    private init(plan: [PlannedWindow], shardRange: Range<Int>, targets: [SamplingTarget]) {
        let work = plan[shardRange]
        let bucketOf = Dictionary(targets.map { ($0.id, SizeBucket($0).rawValue) }, uniquingKeysWith: { a, _ in a })
        var tally: [String: (Int, String, String?, Int)] = [:]
        for w in work {
            let bucket = w.targetID.flatMap { bucketOf[$0] }
            let key = "\(w.level)|\(w.reason.rawValue)|\(bucket ?? "")"
            tally[key, default: (w.level, w.reason.rawValue, bucket, 0)].3 += 1
        }
        windows = plan.count
        inShard = work.count
        counts = tally.values.sorted { ($0.0, $0.1, $0.2 ?? "") < ($1.0, $1.1, $1.2 ?? "") }
            .map { Count(level: $0.0, reason: $0.1, bucket: $0.2, windows: $0.3) }
        stackGrid = nil
    }

    /// The plan as people read it.
    public var text: String {
        if let stackGrid { return stackGrid.text }
        var lines = ["plan: \(windows) windows, \(inShard) in this shard"]
        for c in counts {
            lines.append("  level \(c.level)  \(c.reason)\(c.bucket.map { "  \($0) objects" } ?? "")  \(c.windows)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
