import Foundation
import ScaleTileCore
import ScaleTileSatellite
import ScaleTileMedical

/// `scaletile run PRESET`: a preset's job over one or more inputs, into one output folder.
///
/// Order of work: the preset is checked (``PresetDocument``), then the pipeline chosen
/// (``PresetPipeline``), then the inputs expanded, opened, checked against `input.expect`
/// and planned — all before anything is written. Then each input's job writes its slice of
/// the plan into its own folder, and the run writes the joined manifest and its summary:
///
/// ```
/// OUT/                       --out, plus output.path
///   manifest.jsonl           every input's lines, paths relative to OUT
///   summary.json             PresetRunSummary: the preset as run, counts per input
///   scenes/<stem>/           one input's output, exactly what `scaletile tile` (or
///   stacks/<stem>/           `scaletile sample`, `scaletile pyramid`) writes for it with the
///                            same options: scenes for satellite presets, stacks for medical ones
/// ```
///
/// With ``shard`` K/N the inputs' plans are laid end to end and sliced once (``ShardSlices``);
/// an input whose plan this shard does not touch gets no folder. `scaletile merge` joins the
/// shards' folders into the folder of an unsharded run.
public struct PresetRun: Sendable {
    /// The checked preset.
    public let document: PresetDocument
    /// What runs on each input.
    public let pipeline: PresetPipeline
    /// The inputs, expanded, in order.
    public let inputs: [String]
    /// The folder the run writes: `--out` (default `<name>-out`) plus `output.path`.
    public let output: String
    /// The slice of the joined plan this process runs.
    public var shard: Shard = .whole
    /// What to do with an output folder that already holds a run.
    public var existingOutput: OutputFolder.ExistingOutput = .refuse
    /// `--labels`, replacing the preset's `labels.path` for every input.
    public let labelsOverride: String?
    /// Whether each input writes into its own folder, `scenes/<stem>` or `stacks/<stem>`, under
    /// a joined manifest and the run's summary (`scaletile run`); a command's one source
    /// writes straight into the output instead (``CommandLineRequest``).
    public let writesInputFolders: Bool
    /// `split.shares` when whole inputs are split (`split.by: source`, the default for stacks):
    /// each input's windows all go to its split (``SourceSplit``); nil otherwise.
    let sourceShares: SplitShares?

    /// A run of `document`.
    ///
    /// - Parameters:
    ///   - inputs: `--input` values (paths, globs, `@lists`) relative to `currentDirectory`,
    ///     replacing the preset's `input.paths`; nil keeps the preset's.
    ///   - labels: `--labels`, replacing the preset's `labels.path`.
    ///   - out: `--out`; nil writes `<name>-out` in `currentDirectory`.
    ///   - threads: `--threads`, over the preset's.
    /// - Throws: ``ScaleTileError/Kind/unsupported`` for pipelines this build lacks, before
    ///   any input is looked at; then input expansion errors.
    public init(document: PresetDocument, inputs: [String]? = nil, labels: String? = nil, out: String? = nil,
                threads: Int? = nil, currentDirectory: String = FileManager.default.currentDirectoryPath) throws {
        let preset = document.preset
        self.document = document
        labelsOverride = labels.map { PresetInputs.absolute($0, in: currentDirectory) }
        pipeline = try PresetPipeline(document, hasLabels: labels != nil || preset.labels.path != nil, threads: threads)
        if let inputs {
            self.inputs = try PresetInputs.expand(inputs, relativeTo: currentDirectory, origin: "--input")
        } else {
            self.inputs = try PresetInputs.expand(preset.input.paths, relativeTo: document.folder,
                                                  origin: document.location(of: "input.paths"))
        }
        guard !self.inputs.isEmpty else {
            throw ScaleTileError(.invalidArgument, document.file, "names no input: set input.paths in the preset or give --input")
        }
        let base = out ?? PresetInputs.absolute(FileNames.sanitized(preset.name) + "-out", in: currentDirectory)
        output = preset.output.path.isEmpty ? base : base + "/" + preset.output.path
        writesInputFolders = true
        sourceShares = try Self.sourceShares(document, pipeline)
    }

    /// The run of a command's flags: on its one source, as typed, straight into `out`; on
    /// several (`inputFolders`), each into its folder under `out`, as a preset run writes them.
    init(commandLine document: PresetDocument, pipeline: PresetPipeline, sources: [String], inputFolders: Bool, out: String) throws {
        self.document = document
        self.pipeline = pipeline
        inputs = sources
        output = out
        labelsOverride = nil
        writesInputFolders = inputFolders
        sourceShares = try Self.sourceShares(document, pipeline)
    }

    /// The shares of a split by whole inputs, checked against the pipeline.
    static func sourceShares(_ document: PresetDocument, _ pipeline: PresetPipeline) throws -> SplitShares? {
        let split = document.preset.split
        guard let shares = split.shares, split.unit(readsStacks: pipeline.readsStacks) == .source else { return nil }
        if document.preset.output.layout == .nnunet, shares[.val] > 0 {
            throw ScaleTileError.argument("--split", "nnunet takes train and test shares only: nnU-Net makes its own validation folds from imagesTr")
        }
        switch pipeline {
        case .tiling(let options) where options.readAs != .stack && options.layout != .folder:
            throw ScaleTileError(.unsupported, "--split-by", "source arranges scene tiles in the folder layout so far: use --layout folder, or split by blocks")
        case .pyramid:
            return nil  // a pyramid has no windows to split
        default:
            return shares
        }
    }

    /// One input's part of the run.
    public struct Unit: Sendable {
        /// The input, as the job reads it.
        public let source: String
        /// Its folder, relative to the run's output: `scenes/<stem>` or `stacks/<stem>`.
        public let folder: String
        /// The windows (tiles) or level files of the input's whole plan.
        public let planCount: Int
        /// The positions of its plan this shard writes.
        public let shardRange: Range<Int>
        /// The split all its windows go to, when whole inputs are split.
        public internal(set) var split: SplitName?
        let work: Work

        enum Work: Sendable {
            case tiles(TileJob, TileJob.Prepared)
            case pyramid(PyramidJob, levels: [Level], size: RasterSize)
        }

        /// Whether this shard writes the input's folder: it has windows in the shard, or its plan
        /// is empty and this is shard 1, which writes the folders of inputs without windows.
        func isWritten(by shard: Shard) -> Bool {
            !shardRange.isEmpty || (planCount == 0 && shard.index == 1)
        }
    }

    /// The label file of one input: `--labels`, else the preset's `labels.path` with `{stem}`
    /// replaced by the input's name, relative to the preset file.
    func labelsPath(for source: String) -> String? {
        if let labelsOverride { return labelsOverride }
        guard let path = document.preset.labels.path else { return nil }
        return document.resolvedPath(path.replacingOccurrences(of: "{stem}", with: FileNames.stem(of: source)))
    }

    /// The tissue mask of one input: the preset's `sampling.tissueMask` with `{stem}` replaced
    /// by the input's name, relative to the preset file.
    func tissueMaskPath(for source: String) -> String? {
        document.preset.sampling.tissueMask.map {
            document.resolvedPath($0.replacingOccurrences(of: "{stem}", with: FileNames.stem(of: source)))
        }
    }

    /// Opens and checks every input and plans the run; writes nothing.
    public func plan() throws -> [Unit] { try planned().units }

    /// The units, and the split of whole inputs when the preset asks for one.
    func planned() throws -> (units: [Unit], split: SourceSplit?) {
        var prepared: [(source: String, folder: String, count: Int, work: Unit.Work)] = []
        for source in inputs {
            let folder = writesInputFolders ? pipeline.inputFolder(of: source) : ""
            let output = writesInputFolders ? self.output + "/" + folder : self.output
            switch pipeline {
            case .tiling(var options):
                if options.readAs == .stack {
                    try document.checkExpectations(of: try MedicalSource.open(source), source: source)
                    if let tissueMask = tissueMaskPath(for: source) { options.sampling?.tissue = .mask(tissueMask) }
                    options.labels = labelsPath(for: source).map { TileLabels(path: $0) }
                } else {
                    try document.checkExpectations(of: try Dataset(opening: source), source: source)
                    if let path = labelsPath(for: source) { options.labels = document.preset.labels.tileLabels(path: path) }
                }
                options.shard = shard
                options.existingOutput = existingOutput
                let job = TileJob(source: source, output: output, options: options)
                let plan = try job.prepare()
                prepared.append((source, folder, plan.plan.count, .tiles(job, plan)))
            case .pyramid(var options):
                let stacks = options.readAs == .stack
                let size: RasterSize
                if stacks {
                    let stack = try MedicalSource.open(source)
                    try document.checkExpectations(of: stack, source: source)
                    size = stack.size
                } else {
                    let dataset = try Dataset(opening: source)
                    try document.checkExpectations(of: dataset, source: source)
                    size = dataset.size
                }
                options.existingOutput = existingOutput
                let levels = try pyramidLevels(options.levels, size: size, tileSize: options.tileSize, levelZero: stacks ? "the stack" : "the scene")
                let job = PyramidJob(source: source, output: output, options: options)
                // A pyramid is built in one streaming pass, so each input is one unit of the plan.
                prepared.append((source, folder, 1, .pyramid(job, levels: levels.map { Level($0, scalesDepth: options.scaleDepth) }, size: size)))
            }
        }
        let ranges = ShardSlices.ranges(planCounts: prepared.map(\.count), shard: shard)
        var units = zip(prepared, ranges).map { Unit(source: $0.source, folder: $0.folder, planCount: $0.count, shardRange: $1, work: $0.work) }
        guard let sourceShares else { return (units, nil) }
        let split = try SourceSplit(sources: units.map { SourceSplit.Source(name: $0.source, objects: $0.objects, windows: $0.planCount) },
                                    shares: sourceShares, seed: document.preset.seed)
        for i in units.indices { units[i].split = split.splits[i] }
        return (units, split)
    }

    /// The levels above 0 a pyramid of a `size` input builds.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidPreset`` when there is none.
    private func pyramidLevels(_ selection: LevelSelection, size: RasterSize, tileSize: Int, levelZero: String) throws -> [Int] {
        let numbers: [Int]
        switch selection {
        case .auto: numbers = LevelSelection.pyramidLevels(for: size, tileSize: tileSize)
        case .explicit(let explicit): numbers = explicit
        }
        guard numbers.contains(where: { $0 > 0 }) else {
            throw ScaleTileError(.invalidPreset, document.location(of: "levels.levels"),
                                 "a pyramid needs a level above 0 (level 0 is \(levelZero) itself)")
        }
        return numbers.filter { $0 > 0 }
    }

    /// Runs the preset: this shard's tiles, every written input's folder, the joined manifest
    /// and the run's summary.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> PresetRunSummary {
        if document.preset.output.layout == .nnunet, pipeline.readsStacks {
            return try NNUNetDataset(run: self).write(progress: progress)
        }
        let (units, sourceSplit) = try planned()
        if existingOutput == .overwrite { removeEarlierInputFolders() }
        let folder = try OutputFolder.prepare(output, existing: existingOutput)
        let written = units.filter { $0.isWritten(by: shard) }
        // Every input's folder is checked before the first tile is written.
        var unitFolders: [String: OutputFolder] = [:]
        for unit in written {
            unitFolders[unit.folder] = try OutputFolder.prepare(folder.file(unit.folder), existing: existingOutput)
        }

        let total = written.reduce(0) { $0 + $1.shardRange.count }
        var done = 0
        var records: [PresetRunSummary.InputRecord] = []
        var manifest: [ManifestEntry] = []
        for unit in units {
            var record = PresetRunSummary.InputRecord(source: unit.source, folder: unit.folder)
            guard let unitFolder = unitFolders[unit.folder] else {
                record.planned = unit.planned
                records.append(record)
                continue
            }
            switch unit.work {
            case .tiles(let job, var prepared):
                prepared.shardRange = unit.shardRange
                let observer = progress.map { OffsetProgress(base: done, total: total, observer: $0) }
                record.count(try job.write(prepared, into: unitFolder, progress: observer), against: document.preset.target)
            case .pyramid(let job, let levels, _):
                let summary = try job.run()
                record.planned = levels.count
                record.inShard = levels.count
                record.written = summary.levels.count - 1
                progress?.advance(to: done + 1, of: total)
            }
            done += unit.shardRange.count
            records.append(record)
            var entries = try unitFolder.readManifest()
            if let split = unit.split {
                // Every window of a source lies in the source's split.
                entries = entries.map { var e = $0; e.split = split; return e }
                try unitFolder.writeManifest(entries)
                if document.preset.output.layout == .monai { try MONAIDatalist(entries: entries).write(in: unitFolder) }
            }
            manifest += entries.map { $0.relocated(under: unit.folder) }
        }
        try folder.writeManifest(manifest)
        if writesInputFolders, document.preset.output.layout == .monai {
            // One datalist over every input (stack patches, or scene tiles with mask tiles), paths relative to the run's folder.
            try MONAIDatalist(entries: manifest).write(in: folder)
        }
        var summary = PresetRunSummary(document: document, shard: shard, inputs: records)
        summary.split = sourceSplit.map { SourceSplitSummary($0, entries: manifest) }
        try folder.writeDocument(summary, to: "summary.json")
        return summary
    }
}

extension PresetRun {
    /// With `--overwrite`, the input folders the earlier run's summary lists, so that folders of
    /// inputs this run does not have do not linger. Only folders holding a ScaleTile summary
    /// go: `--out` may be a folder with other things in it, even the inputs.
    func removeEarlierInputFolders() { PresetRun.removeEarlierInputFolders(in: output) }

    /// ``removeEarlierInputFolders()`` for the run (or merged run) in `output`.
    static func removeEarlierInputFolders(in output: String) {
        guard let data = FileManager.default.contents(atPath: output + "/summary.json"),
              let earlier = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              earlier["command"] as? String == PresetRunSummary.command,
              let inputs = earlier["inputs"] as? [[String: Any]] else { return }
        for folder in inputs.compactMap({ $0["folder"] as? String }) {
            let parts = folder.split(separator: "/")
            guard parts.count == 2, ["scenes", "stacks"].contains(parts[0]), !parts[1].hasPrefix(".") else { continue }
            if FileManager.default.fileExists(atPath: output + "/" + folder + "/summary.json") {
                try? FileManager.default.removeItem(atPath: output + "/" + folder)
            }
        }
    }
}

extension PresetRun.Unit {
    /// The input's objects or lesions, which stratify a split by whole inputs.
    var objects: [SamplingTarget] {
        switch work {
        case .tiles(_, let prepared): return prepared.targets
        case .pyramid: return []
        }
    }

    /// The unit's planned tiles or level files, for inputs this shard does not write.
    var planned: Int {
        switch work {
        case .tiles: return planCount
        case .pyramid(_, let levels, _): return levels.count
        }
    }
}

extension ManifestEntry {
    /// The entry with its files' paths relative to the folder holding `folder`.
    func relocated(under folder: String) -> ManifestEntry {
        var entry = self
        entry.path = folder + "/" + path
        entry.mask = mask.map { folder + "/" + $0 }
        return entry
    }
}

/// Progress of one input's job, reported as part of the whole run's.
struct OffsetProgress: ProgressObserver {
    let base: Int
    let total: Int
    let observer: any ProgressObserver

    func advance(to done: Int, of _: Int) {
        observer.advance(to: base + done, of: total)
    }
}

extension PresetRunSummary.InputRecord {
    /// Takes the counts and audit targets of the input's tiling or sampling run.
    mutating func count(_ summary: TileSummary, against target: Preset.Target) {
        let c = summary.counts
        (planned, inShard, written, resumed) = (c.planned, c.inShard, c.written, c.resumed)
        skippedNodata = c.skippedNodata ?? 0
        auditTargets = AuditTargetCheck.of(summary.audit, levels: summary.levels, against: target)
    }
}
