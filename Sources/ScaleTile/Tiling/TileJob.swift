import Foundation
import ScaleTileCore
import ScaleTileMedical

/// `scaletile tile` and `scaletile sample` on any source: windows of a scene (GDAL), a TIFF
/// stack or a NIfTI/NRRD volume, over one or more levels, from a grid or a sampler, with the
/// labels or mask clipped in, audited, split and arranged for a trainer (DESIGN.md §2–§4).
///
/// One job for every kind of source. What differs between kinds is how a source is opened,
/// read and written — a ``WindowReading``: ``SceneWindows`` over GDAL, ``VolumeWindows`` over
/// the medical readers (``ScaleTileMedical/VoxelSource``). Everything else is this job's, once:
///
/// 1. `prepare()`: the kind opens and checks the source and its companions (labels, mask,
///    tissue mask) and names its targets (objects or lesions); ``TilePlanning`` decides the
///    levels, the overlap and the windows (grid, zoom-in or sampler), then the split — all
///    before anything is written;
/// 2. `write(_:into:progress:)`: one reader thread reads windows in the kind's read order and
///    hands them to `threads` encoders over a bounded queue (``ReadEncodePipeline``); each
///    encoder writes its files atomically;
/// 3. the layout, `manifest.jsonl`, the kind's exports and `summary.json` (``TileSummary``),
///    all in plan order, so output is byte-identical for any thread count.
public struct TileJob: Sendable {
    /// The source, as given.
    public let source: String
    /// The output folder.
    public let output: String
    public let options: TileOptions

    /// - Parameter mask: a stack's mask on its grid, the same as `options.labels` with that path.
    public init(source: String, mask: String? = nil, output: String, options: TileOptions) {
        self.source = source
        self.output = output
        var options = options
        if let mask { options.labels = TileLabels(path: mask) }
        self.options = options
    }

    /// The checked inputs and the plan: everything decided before a pixel is written.
    public struct Prepared: Sendable {
        /// Width, height (and depth, for stacks) of the source at level 0.
        public let size: RasterSize
        public let pixelType: PixelType
        /// The window in level pixels (voxels) at every level.
        public let window: RasterSize
        /// The overlap the grid used, in level pixels (after `--overlap auto`).
        public let overlap: RasterSize
        public let levels: [Level]
        /// The objects or lesions windows are placed for and audited against.
        public let targets: [SamplingTarget]
        /// The whole plan; ``shardRange`` is the part this process writes.
        public let plan: [PlannedWindow]
        /// Settable inside the module: a preset run over several sources slices their plans
        /// together, so one source's part is not always `options.shard`'s slice of its own plan.
        public internal(set) var shardRange: Range<Int>
        /// What `--overlap auto` and `--levels auto` decided from the labels.
        public let scaleChoices: ScaleChoices
        /// The sampler's plan and shortfalls, for sampling runs.
        public let sampling: SamplingPlan?
        /// The windows' splits (`--split`), and what making them leak-free dropped.
        public let split: SplitPlan?
        /// YOLO layouts with `--yolo-ignore drop`: windows dropped for holding an ignore region.
        public let droppedForIgnore: Int
        /// How the source is read and its windows written.
        let reading: any WindowReading

        /// Whether the source is a stack or volume (else a scene).
        public var isStack: Bool { reading is VolumeWindows }
        /// A scene's labelled objects, when labels were given.
        public var objects: SceneObjects? { (reading as? SceneWindows)?.objects }
        /// A stack's mask lesions (empty without a mask); nil for scenes.
        public var lesions: LesionIndex? { (reading as? VolumeWindows)?.lesions }
        /// A stack's 0-based channels written; nil for scenes.
        public var channels: [Int]? { (reading as? VolumeWindows)?.channels }
        /// Whether a stack has a mask.
        public var hasMask: Bool { (reading as? VolumeWindows)?.maskPixelType != nil }

        /// Level `index` as this job uses it (scaling Z or not).
        public func level(_ index: Int) -> Level { levels.first { $0.index == index } ?? Level(index) }
    }

    /// Opens and checks the inputs and computes the plan; writes nothing.
    public func prepare() throws -> Prepared {
        let stacks = try options.readAs ?? SourceKind.of(source, as: nil) == .stack
        var reading: any WindowReading = stacks
            ? try VolumeWindows(source: source, options: options)
            : try SceneWindows(source: source, options: options)
        let planning = TilePlanning(options: options, size: reading.size, window: reading.window, stem: FileNames.stem(of: source),
                                    targets: reading.targets, volumetric: stacks)
        let (gridLevels, levelRecommendation) = planning.levels()
        let (overlap, overlapRecommendation) = try planning.overlap(levels: gridLevels)
        var (plan, sampling) = try planning.windows(levels: gridLevels, overlap: overlap, reading: reading)
        var split: SplitPlan?
        var droppedForIgnore = 0
        if let request = options.split {
            (plan, split, droppedForIgnore) = try reading.split(plan, request: request, levels: gridLevels, overlap: overlap, options: options)
        }
        // Zoom-in windows bring their magnified levels (read from the source, resampled up).
        let magnified = Set(plan.map(\.level).filter { $0 < 0 }).sorted().map { Level($0) }
        let levels = magnified + gridLevels
        try reading.adopt(levels: levels, gridLevels: gridLevels, options: options)
        let prepared = Prepared(size: reading.size, pixelType: reading.pixelType, window: reading.window, overlap: overlap,
                                levels: levels, targets: reading.targets, plan: plan,
                                shardRange: options.shard.range(ofPlanCount: plan.count),
                                scaleChoices: ScaleChoices(overlap: overlapRecommendation, levels: levelRecommendation),
                                sampling: sampling, split: split, droppedForIgnore: droppedForIgnore, reading: reading)
        try reading.checkMemory(prepared, options: options)
        return prepared
    }

    /// Runs the job: writes this shard's windows, then the manifest, exports and summary.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> TileSummary {
        let prepared = try prepare()
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        return try write(prepared, into: folder, progress: progress)
    }

    /// Writes a prepared plan's shard into a prepared folder.
    func write(_ prepared: Prepared, into folder: OutputFolder, progress: (any ProgressObserver)?) throws -> TileSummary {
        try write(prepared, reading: prepared.reading, into: folder, progress: progress)
    }

    private func write<R: WindowReading>(_ prepared: Prepared, reading: R, into folder: OutputFolder,
                                        progress: (any ProgressObserver)?) throws -> TileSummary {
        let work = Array(prepared.plan[prepared.shardRange])
        for level in Set(work.map(\.level)) { try folder.makeFolder("\(reading.folderName)/L\(level)") }
        try reading.beforeReading(prepared, work: work, folder: folder, options: options)
        defer { reading.afterReading(folder: folder) }
        let options = self.options
        let outcomes: [TileOutcome] = try ReadEncodePipeline.run(
            itemCount: work.count, readOrder: reading.readOrder(work, prepared: prepared, options: options), encoders: options.threads,
            queueCapacity: reading.queueCapacity(prepared, options: options), progress: progress, noun: reading.folderName,
            openReader: { try reading.openReader(folder: folder, prepared: prepared, options: options) },
            read: { reader, position in try reading.read(work[position], with: reader, prepared: prepared, folder: folder, options: options) },
            encode: { position, decoded in try reading.write(decoded, of: work[position], prepared: prepared, folder: folder, options: options) })
        let entries = try reading.arrange(outcomes.compactMap(\.entry), prepared: prepared, folder: folder, options: options)
        try folder.writeManifest(entries)
        try reading.export(entries, prepared: prepared, folder: folder, options: options)
        var summary = TileSummary(job: self, prepared: prepared, work: work, outcomes: outcomes)
        reading.describe(&summary, prepared: prepared, work: work, outcomes: outcomes, options: options)
        try folder.writeDocument(summary, to: "summary.json")
        reading.warn(summary, prepared: prepared, work: work, options: options)
        return summary
    }
}

/// What became of one planned window.
enum TileOutcome: Sendable {
    case written(ManifestEntry)
    case resumed(ManifestEntry)
    case skipped(nodataFraction: Double)

    var entry: ManifestEntry? {
        switch self {
        case .written(let e), .resumed(let e): return e
        case .skipped: return nil
        }
    }

    var isWritten: Bool { if case .written = self { return true } else { return false } }
    var isResumed: Bool { if case .resumed = self { return true } else { return false } }
    var isSkipped: Bool { if case .skipped = self { return true } else { return false } }
}
