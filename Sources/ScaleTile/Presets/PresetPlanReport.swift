import ScaleTileCore

/// What `scaletile run --dry-run` prints: the plan of a run, counted by input, level and
/// reason, decided from metadata alone with nothing written.
public struct PresetPlanReport: Hashable, Sendable, Codable {
    /// The preset's `name`.
    public var preset: String
    /// `tile`, `pyramid` or `sample`.
    public var job: String
    /// `K/N`.
    public var shard: String
    /// The folder the run would write.
    public var output: String
    public var inputs: [InputPlan]
    /// Sums over the inputs.
    public var totals: Totals

    /// The plan of one input.
    public struct InputPlan: Hashable, Sendable, Codable {
        public var source: String
        /// Its folder inside the output.
        public var folder: String
        /// `[width, height]` in pixels (stacks: `[width, height, depth]` in voxels).
        public var size: [Int]
        /// Windows (tiles) or level files of its whole plan.
        public var planned: Int
        /// Those in this shard.
        public var inShard: Int
        public var levels: [LevelPlan]
    }

    /// The plan at one level.
    public struct LevelPlan: Hashable, Sendable, Codable {
        public var level: Int
        /// 2^-level.
        public var scale: Double
        /// `[width, height]` of the level (stacks: with its depth).
        public var size: [Int]
        /// Windows (or level files) planned at this level, over all shards.
        public var planned: Int
        /// Those in this shard.
        public var inShard: Int
        /// Windows in this shard by why they were chosen (`grid`, `object`, `negative`, …).
        public var reasons: [String: Int]
    }

    /// Sums over the inputs.
    public struct Totals: Hashable, Sendable, Codable {
        public var inputs: Int
        public var planned: Int
        public var inShard: Int
    }
}

extension PresetRun {
    /// The dry-run report of a planned run.
    public func report(_ units: [Unit]) -> PresetPlanReport {
        let inputs = units.map { unit -> PresetPlanReport.InputPlan in
            switch unit.work {
            case .tiles(_, let prepared):
                let work = prepared.plan[unit.shardRange]
                let axes = { (size: RasterSize) in prepared.isStack ? [size.width, size.height, size.depth] : [size.width, size.height] }
                let levels = prepared.levels.map { level -> PresetPlanReport.LevelPlan in
                    let inShard = work.filter { $0.level == level.index }
                    return PresetPlanReport.LevelPlan(
                        level: level.index, scale: level.scale, size: axes(level.size(of: prepared.size)),
                        planned: prepared.plan.count { $0.level == level.index }, inShard: inShard.count,
                        reasons: Dictionary(grouping: inShard, by: \.reason.rawValue).mapValues(\.count))
                }
                return PresetPlanReport.InputPlan(
                    source: unit.source, folder: unit.folder, size: axes(prepared.size),
                    planned: prepared.plan.count, inShard: work.count, levels: levels)
            case .pyramid(let job, let levelList, let size):
                let inShard = unit.shardRange.isEmpty ? 0 : 1
                let axes = { (s: RasterSize) in job.options.readAs == .stack ? [s.width, s.height, s.depth] : [s.width, s.height] }
                let levels = levelList.map { level -> PresetPlanReport.LevelPlan in
                    PresetPlanReport.LevelPlan(level: level.index, scale: level.scale, size: axes(level.size(of: size)),
                                               planned: 1, inShard: inShard, reasons: inShard > 0 ? ["level": 1] : [:])
                }
                return PresetPlanReport.InputPlan(source: unit.source, folder: unit.folder, size: axes(size),
                                                  planned: levelList.count, inShard: inShard * levelList.count, levels: levels)
            }
        }
        return PresetPlanReport(
            preset: document.preset.name, job: document.preset.job.rawValue, shard: shard.description, output: output,
            inputs: inputs,
            totals: .init(inputs: inputs.count, planned: inputs.reduce(0) { $0 + $1.planned }, inShard: inputs.reduce(0) { $0 + $1.inShard }))
    }
}

extension PresetPlanReport {
    /// The plan as people read it.
    public var text: String {
        var lines = ["plan of preset '\(preset)' (job \(job), shard \(shard)) into \(output): \(totals.inputs) input\(totals.inputs == 1 ? "" : "s"), \(totals.planned) planned, \(totals.inShard) in this shard"]
        for input in inputs {
            let unit = input.size.count == 3 ? "voxels" : "pixels"
            lines.append("  \(input.source) → \(input.folder): \(input.size.map(String.init).joined(separator: " x ")) \(unit), \(input.planned) planned, \(input.inShard) in this shard")
            for level in input.levels {
                let reasons = level.reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                let scale = level.scale > 1 ? "\(Int(level.scale))x" : "1/\(Int((1 / level.scale).rounded()))"
                lines.append("    level \(level.level) (scale \(scale), \(level.size.map(String.init).joined(separator: " x "))): \(level.planned) planned, \(level.inShard) in this shard\(reasons.isEmpty ? "" : ": " + reasons)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
