import ScaleTileCore

/// `summary.json` of `scaletile run`: the preset as it ran, and what was written per input.
///
/// Each input's own folder holds the summary of its job (``TileSummary``, ``PyramidSummary``);
/// this one joins them. Like them it holds no timings, so equal runs write equal summaries.
public struct PresetRunSummary: Hashable, Sendable, Codable {
    public var command = "run"
    /// The preset's `name`.
    public var preset: String
    /// The preset file, as given.
    public var presetFile: String
    /// The preset with every default filled in and every `--set` applied.
    public var settings: Preset
    /// `--set` overrides as given, in order.
    public var overrides: [String]
    /// `K/N`.
    public var shard: String
    /// One record per input, in input order, whether or not this shard wrote it.
    public var inputs: [InputRecord]
    /// The sums of the records' counts.
    public var totals: Counts
    /// The split of whole inputs (`split.by: source`); nil otherwise.
    public var split: SourceSplitSummary?
    /// The nnU-Net dataset folder written (`--layout nnunet`), relative to the output; nil otherwise.
    public var dataset: String?
    /// Whether every input met every audit target of the preset (nil when there are none).
    public var auditTargetsMet: Bool? {
        let checks = inputs.compactMap(\.auditTargets)
        return checks.isEmpty ? nil : checks.allSatisfy(\.met)
    }

    /// What a run did with one input. Counts are tiles for `job: tile` and level files for
    /// `job: pyramid`.
    public struct InputRecord: Hashable, Sendable, Codable {
        /// The input, as the job read it.
        public var source: String
        /// Its folder, relative to the run's output folder.
        public var folder: String
        /// In the input's whole plan (all shards).
        public var planned = 0
        /// In this shard's slice.
        public var inShard = 0
        /// Written by this run.
        public var written = 0
        /// Complete files an earlier run left, kept (`--resume`).
        public var resumed = 0
        /// Not written for their nodata share (`tiling.maxNodata`).
        public var skippedNodata = 0
        /// The preset's audit targets against the input's audit (labelled runs with `target.*` set).
        public var auditTargets: AuditTargetCheck?

        public init(source: String, folder: String) {
            self.source = source
            self.folder = folder
        }
    }

    /// Counts summed over the inputs.
    public struct Counts: Hashable, Sendable, Codable {
        public var inputs = 0
        public var planned = 0
        public var inShard = 0
        public var written = 0
        public var resumed = 0
        public var skippedNodata = 0

        /// The sums of `records`.
        public init(_ records: [InputRecord]) {
            inputs = records.count
            for r in records {
                planned += r.planned
                inShard += r.inShard
                written += r.written
                resumed += r.resumed
                skippedNodata += r.skippedNodata
            }
        }
    }

    init(document: PresetDocument, shard: Shard, inputs: [InputRecord]) {
        preset = document.preset.name
        presetFile = document.file
        settings = document.preset
        overrides = document.overrides.map(\.argument)
        self.shard = shard.description
        self.inputs = inputs
        totals = Counts(inputs)
    }
}

extension PresetRunSummary {
    /// The closing lines of a run into `output`: what was written, then each audit target.
    /// A missed target is printed even when `quiet`: the run worked, but not as well as the
    /// preset promises.
    public func report(output: String, seconds: Double, quiet: Bool) -> String {
        var text = ""
        if !quiet {
            let t = totals
            text += String(format: "%@: wrote %d %@ for %d input%@ into %@ in %.1f s (%d kept from an earlier run, %d skipped for nodata)\n",
                           preset, t.written, writtenNoun, t.inputs, t.inputs == 1 ? "" : "s", output, seconds, t.resumed, t.skippedNodata)
        }
        let checks = inputs.compactMap { input in input.auditTargets.map { (input.folder, $0) } }
        guard shard == Shard.whole.description else {
            // A shard's audit covers its slice only: the run's targets are met or missed by the whole.
            if !checks.isEmpty, !quiet { text += "audit targets: checked on the whole run once the shards are merged (scaletile merge)\n" }
            return text
        }
        for (folder, check) in checks {
            for r in check.results where !r.met || !quiet {
                let value = r.value.map { String(format: "%.3g", $0) } ?? "none"
                text += "\(r.met ? "met" : "warning: missed"): \(folder): \(r.key) \(String(format: "%.3g", r.target)), audited \(value)\n"
            }
        }
        return text
    }

    /// What the counts count: level files, tiles, windows, or patches (with their masks: two files each).
    var writtenNoun: String {
        if settings.job == .pyramid { return "level files" }
        guard inputs.contains(where: { $0.folder.hasPrefix("stacks/") }) else { return settings.job == .sample ? "windows" : "tiles" }
        return settings.labels.path == nil ? "patches" : "patches with their masks"
    }
}
