import Foundation
import ScaleTileCore
import ScaleTileMedical

/// `scaletile tile STACK` and `scaletile sample STACK`: patches of a TIFF stack, optionally with
/// its mask, over one or more levels (DESIGN.md §2–§4). One job, its windows from the grid or
/// from a sampler (``StackTileOptions/sampling``): object-balanced and the other strategies
/// place patches around the mask's lesions, and negatives on tissue clear of every lesion.
///
/// Data flow: check the image, the mask and the options, label the mask's lesions slice by slice
/// (and, for negatives, count tissue per cell in one more pass, ``TissueMap``) and plan the
/// patch windows — all before anything is written → one reader thread reads each
/// patch's source region of image and mask (the same region, only the voxels the patch needs)
/// and hands them to `threads` encoder threads over a bounded queue (``ReadEncodePipeline``)
/// → an encoder computes the level voxels, pads, and writes image and mask patches atomically
/// → the manifest and summary are written in plan order, so output is byte-identical for any
/// thread count. Memory is a few patches' source regions whatever the stack's size.
public struct StackTileJob: Sendable {
    /// The image stack, as given.
    public let source: String
    /// The mask stack (labels or lesion mask) of the image, as given.
    public let mask: String?
    /// The output folder.
    public let output: String
    public let options: StackTileOptions

    public init(source: String, mask: String? = nil, output: String, options: StackTileOptions) {
        self.source = source
        self.mask = mask
        self.output = output
        self.options = options
    }

    /// The checked inputs, the lesions and the plan: everything decided before a voxel is written.
    public struct Prepared: Sendable {
        /// Width, height and depth of the stack.
        public let volumeSize: RasterSize
        /// 0-based channels written, in order.
        public let channels: [Int]
        public let pixelType: PixelType
        /// The level-0 voxel size.
        public let spacing: Spacing
        /// The source's voxel-to-world affine (NIfTI and NRRD volumes); nil for TIFF stacks.
        public let affine: VoxelToWorld?
        /// NIfTI's `scl_slope`/`scl_inter` when they change values; nil otherwise.
        public let valueScaling: ValueScaling?
        /// Whether image patches hold scaled values as Float32 (`--apply-scaling`).
        public let appliesScaling: Bool
        /// The patch size in voxels at every level.
        public let patch: RasterSize
        public let overlap: RasterSize
        public let levels: [Level]
        /// The mask's lesions (empty without a mask).
        public let lesions: LesionIndex
        /// The mask's sample type; nil without a mask.
        public let maskPixelType: PixelType?
        public var hasMask: Bool { maskPixelType != nil }
        /// The whole plan; ``shardRange`` is the part this process writes.
        public let plan: [PlannedWindow]
        /// Settable inside the module: a preset run over several stacks slices their plans
        /// together, so one stack's part is not always `options.shard`'s slice of its own plan.
        public internal(set) var shardRange: Range<Int>
        /// The sampler's plan and shortfalls, for sampling runs.
        public let sampling: SamplingPlan?
        let writer: StackWriter

        /// Where the image patch of plan entry `w` goes, relative to the output folder.
        public func imagePath(of w: PlannedWindow) -> String {
            "patches/L\(w.level)/\(w.id).\(writer.format.fileExtension)"
        }

        /// Where the mask patch of plan entry `w` goes.
        public func maskPath(of w: PlannedWindow) -> String {
            "patches/L\(w.level)/\(w.id)_mask.\(writer.format.fileExtension)"
        }

        /// The voxel-to-world affine of the patch of plan entry `w`: the source's affine A moved to
        /// the patch's first voxel and scaled to its level, A · [diag(f) | origin + (f − 1)/2]
        /// (DESIGN.md §7), in RAS as NIfTI patches hold it; nil for sources without an affine.
        public func patchAffine(of w: PlannedWindow) -> VoxelToWorld? {
            guard let affine else { return nil }
            let level = level(w.level)
            let levelWindow = level.window(fromBase: w.window)
            let f = [level.factor, level.factor, level.depthFactor]
            return affine.window(origin: [levelWindow.x * f[0], levelWindow.y * f[1], levelWindow.z * f[2]], factors: f)
                .converted(to: .ras)
        }

        /// Level `index` as this job uses it (scaling Z or not).
        public func level(_ index: Int) -> Level { levels.first { $0.index == index }! }
    }

    /// Opens and checks the inputs, labels the mask and computes the plan; writes nothing.
    public func prepare() throws -> Prepared {
        try options.validate()
        if options.layout == .monai, mask == nil {
            throw ScaleTileError.argument("--layout", "monai pairs each patch with its mask: give --mask")
        }
        let image = try MedicalSource.open(source)
        // Compressed volumes are decoded once here, so a corrupt or cut one fails before
        // anything is written (raw data was checked against the header at open).
        try (image as? MedicalVolume)?.checkData()
        let size = image.size
        guard image.timepointCount == 1 else {
            throw ScaleTileError(.unsupported, source, "has \(image.timepointCount) timepoints; ScaleTile patches one volume at a time, so split the timepoints into stacks first")
        }
        let channels = options.channels ?? Array(0 ..< image.channelCount)
        if let missing = channels.first(where: { $0 >= image.channelCount }) {
            throw ScaleTileError(.invalidArgument, source, "channel \(missing + 1) requested, the stack has \(image.channelCount == 1 ? "1 channel" : "\(image.channelCount) channels")")
        }
        var patch = options.patch ?? RasterSize(width: 1, height: 1)
        if let mm = options.patchMillimetres {
            patch = try attributing(to: source) {
                try image.spacing.voxelCounts(spanningMillimetres: (mm.x, mm.y, mm.z))
            }
            try StackTileOptions.check(patch: patch, overlap: options.overlap)
        }
        let writer = try StackWriter(format: options.format, compression: options.compression)

        var lesions: [Lesion] = []
        var maskPixelType: PixelType?
        if options.automaticOverlap, mask == nil {
            throw ScaleTileError.argument("--overlap", "auto chooses the overlap from the lesions of a mask: pass --mask, or give the overlap in voxels")
        }
        if let mask {
            let maskStack = try MedicalSource.open(mask)
            try StackCompanion.check(maskStack, path: mask, role: "mask", image: image, imagePath: source)
            guard maskStack.channelCount == 1, maskStack.timepointCount == 1 else {
                throw ScaleTileError(.invalidInput, mask, "has \(maskStack.channelCount) channels and \(maskStack.timepointCount) timepoints; a mask has one channel of labels for one volume")
            }
            guard !maskStack.pixelType.isFloatingPoint else {
                throw ScaleTileError(.invalidInput, mask, "has \(maskStack.pixelType.rawValue) samples; a mask needs integer labels")
            }
            lesions = try LesionIndex.lesions(of: maskStack, spacing: image.spacing, connectivity: options.connectivity)
            maskPixelType = maskStack.pixelType
        }

        // Scaled values are fractional: they are written as Float32, never rounded back.
        let imageType = options.applyScaling ? PixelType.float32 : image.pixelType
        for (path, type) in [(source, imageType), (mask ?? "", maskPixelType ?? image.pixelType)] where !writer.supports(type) {
            throw ScaleTileError(.unsupported, path, "has \(type.rawValue) samples, which OME-TIFF cannot hold: write tiff or npy patches")
        }
        var overlap = options.overlap
        if options.automaticOverlap {
            overlap = OverlapRecommendation(targets: lesions.map(\.samplingTarget), tileSize: patch).overlap
        }
        let levelNumbers: [Int]
        switch options.levels {
        case .explicit(let numbers): levelNumbers = numbers
        case .auto: levelNumbers = LevelSelection.pyramidLevels(for: size, tileSize: Swift.max(patch.width, patch.height))
        }
        let levels = levelNumbers.map { Level($0, scalesDepth: options.scaleDepth) }
        let stem = FileNames.stem(of: source)
        let plan: [PlannedWindow]
        var sampling: SamplingPlan?
        if options.layout == .nnunet {
            // nnU-Net takes whole cases: one window, the volume (written by NNUNetDataset).
            plan = [PlannedWindow(id: stem, level: 0, window: Window(size: size), reason: .grid)]
        } else if let request = options.sampling {
            if request.needsLesions, mask == nil {
                throw ScaleTileError.argument("--strategy", "\(request.strategy.name) places patches around lesions: give the mask with --labels (or --mask)")
            }
            let tissue = request.drawsNegatives ? try tissueMap(request.tissue, of: image, channel: channels[0]) : nil
            let sampler = try PatchSampler(rasterSize: size, patchSize: patch, levels: levels, seed: options.seed)
            let strategy = try request.weightMap.map { .weighted(try WeightVolume.load($0, imageSize: size)) } ?? request.strategy
            let drawn = try sampler.plan(strategy, targets: lesions.map(\.samplingTarget), count: request.count,
                                         negatives: request.negatives) { window in
                (tissue?.tissueShare(of: window) ?? 1) >= request.minTissueShare
            }
            // Sampler ids are unique within a stack; the stem keeps them unique across stacks.
            plan = drawn.windows.map { w in
                var w = w
                w.id = "\(stem)_\(w.id)"
                return w
            }
            sampling = drawn
        } else {
            plan = try GridPlanner.plan(rasterSize: size, tile: patch, overlap: overlap, edge: options.edge,
                                        levels: levels, stem: stem, volumetric: true)
        }
        // The largest source region one patch reads (coarser levels read 2^ℓ voxels per patch
        // voxel), for each buffer in flight: one per encoder, the queue's spare and the reader's.
        let voxelBytes = channels.count * image.pixelType.byteSize + (maskPixelType?.byteSize ?? 0)
        for level in levels {
            try options.maxMemory.check(
                [options.threads + 2, patch.width, level.factor, patch.height, level.factor, patch.depth, level.depthFactor, voxelBytes],
                figure: "\(options.threads + 2) regions of \(patch.volumeText) patch voxels at level \(level.index)", path: "--patch")
        }
        return Prepared(volumeSize: size, channels: channels, pixelType: image.pixelType, spacing: image.spacing,
                        affine: image.voxelToWorld, valueScaling: (image as? MedicalVolume)?.valueScaling,
                        appliesScaling: options.applyScaling,
                        patch: patch, overlap: overlap, levels: levels,
                        lesions: LesionIndex(lesions: lesions, windowSize: patch), maskPixelType: maskPixelType,
                        plan: plan, shardRange: options.shard.range(ofPlanCount: plan.count), sampling: sampling,
                        writer: writer)
    }

    /// Where the stack holds tissue, counted in one streaming pass over the image (or the tissue
    /// mask); nil when negatives may lie anywhere.
    private func tissueMap(_ tissue: StackSampling.Tissue, of image: any VoxelSource, channel: Int) throws -> TissueMap? {
        let stack: any VoxelSource, criterion: TissueMap.Criterion, streamed: Int
        switch tissue {
        case .anywhere:
            return nil
        case .imageAbove(let threshold):
            (stack, criterion, streamed) = (image, .above(threshold), channel)
        case .mask(let path):
            let tissueMask = try MedicalSource.open(path)
            try StackCompanion.check(tissueMask, path: path, role: "tissue mask", image: image, imagePath: source)
            (stack, criterion, streamed) = (tissueMask, .nonzero, 0)
        }
        var builder = TissueMap.Builder(volumeSize: image.size, cellSize: TissueMap.cellSize(covering: image.size),
                                        criterion: criterion)
        let pixelType = stack.pixelType
        try attributing(to: stack.path) {
            try stack.forEachSlice(channel: streamed) { _, samples in builder.append(slice: samples, pixelType: pixelType) }
        }
        return builder.finish()
    }

    /// Runs the job: writes this shard's patches, then the manifest and summary.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> StackTileSummary {
        let prepared = try prepare()
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        return try execute(prepared, in: folder, progress: progress)
    }

    func execute(_ prepared: Prepared, in folder: OutputFolder, progress: (any ProgressObserver)?) throws -> StackTileSummary {
        let work = Array(prepared.plan[prepared.shardRange])
        for level in Set(work.map(\.level)) { try folder.makeFolder("patches/L\(level)") }
        let job = self
        // Gzip volumes are decompressed once into scratch files here, removed when the run ends.
        let scratch = folder.file(Self.scratchFolderName)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // Slice by slice, so patches that share slices (a grid's overlap, a sampler's windows
        // around one lesion) find them in the stacks' block caches; outputs keep plan order.
        let order = ReadOrder.slices(work.map(\.window))
        let outcomes = try ReadEncodePipeline.run(
            itemCount: work.count, readOrder: order, encoders: options.threads,
            queueCapacity: queueCapacity(prepared), progress: progress, noun: "patches",
            openReader: { try StackPatchReader(image: job.source, mask: job.mask, channels: prepared.channels, scratchFolder: scratch) },
            read: { reader, position -> ReadEncodePipeline.Step<PatchSource, PatchOutcome> in
                let item = work[position]
                if job.options.existingOutput == .resume, folder.hasPatch(prepared.imagePath(of: item)),
                   !prepared.hasMask || folder.hasPatch(prepared.maskPath(of: item)) {
                    return .done(.resumed(job.manifestEntry(item, prepared: prepared)))
                }
                return .encode(try reader.read(item, level: prepared.level(item.level), volumeSize: prepared.volumeSize,
                                               padding: job.options.padding))
            },
            encode: { position, source in
                let item = work[position]
                try job.writePatches(source, of: item, prepared: prepared, in: folder)
                return .written(job.manifestEntry(item, prepared: prepared))
            })

        try folder.writeManifest(outcomes.map(\.entry))
        if options.layout == .monai {
            try MONAIDatalist(entries: outcomes.map(\.entry)).write(in: folder)
        }
        let summary = StackTileSummary(job: self, prepared: prepared, work: work, outcomes: outcomes)
        try folder.writeDocument(summary, to: "summary.json")
        warnAboutShortfalls(prepared, work: work, summary: summary)
        return summary
    }

    /// The folder, inside the output, where gzip volumes are decompressed for windowed reads.
    static let scratchFolderName = ".scratch"

    /// Shortfalls said once each, with the figures and what to change: negatives the tissue
    /// could not hold, patches that are mostly padding.
    private func warnAboutShortfalls(_ prepared: Prepared, work: [PlannedWindow], summary: StackTileSummary) {
        if let s = summary.sampling, s.negativesPlaced < s.negativesRequested {
            RunWarnings.add("\(source): \(s.negativesPlaced) of \(s.negativesRequested) negatives placed: no more \(prepared.patch.volumeText) patches fit on tissue clear of every lesion; ask for fewer (--negatives) or use a smaller --patch")
        }
        let volume = Window(size: prepared.volumeSize)
        var padded = 0, paddedShare = 0.0
        for w in work {
            let window = w.window
            func inside(_ start: Int, _ length: Int, _ limit: Int) -> Double {
                Double(Swift.max(0, Swift.min(start + length, limit) - Swift.max(start, 0))) / Double(Swift.max(1, length))
            }
            let share = inside(window.x, window.width, volume.width) * inside(window.y, window.height, volume.height)
                * inside(window.z, window.depth, volume.depth)
            if share < 0.5 { padded += 1; paddedShare += 1 - share }
        }
        if padded > 0 {
            let size = prepared.volumeSize
            RunWarnings.add("\(source): \(padded) of \(work.count) patches are mostly padding (on average \(Int((paddedShare / Double(padded) * 100).rounded())) % of their voxels): a \(prepared.patch.volumeText) patch on a \(size.width)x\(size.height)x\(size.depth) stack; use a smaller --patch")
        }
    }

    /// Bytes the decoded regions waiting for encoders may hold together.
    static let queueBudget = 96 << 20

    /// How many source regions may wait for an encoder: one per encoder and one more, unless
    /// regions are so large (patches at coarse levels read 2^ℓ times more voxels per axis) that
    /// fewer fit ``queueBudget``; never fewer than one.
    func queueCapacity(_ prepared: Prepared) -> Int {
        let voxelBytes = prepared.channels.count * prepared.pixelType.byteSize + (prepared.maskPixelType?.byteSize ?? 0)
        let largest = prepared.levels.map { level in
            let p = prepared.patch
            return p.width * level.factor * p.height * level.factor * p.depth * level.depthFactor * voxelBytes
        }.max() ?? 1
        return Swift.max(1, Swift.min(options.threads + 1, Self.queueBudget / Swift.max(1, largest)))
    }

    /// Level voxels, padding and the atomic writes of one patch (and its mask).
    private func writePatches(_ source: PatchSource, of item: PlannedWindow, prepared: Prepared, in folder: OutputFolder) throws {
        let level = prepared.level(item.level)
        let spacing = prepared.spacing.scaled(xy: level.factor, z: level.depthFactor)
        // Scaling is linear, so scaling before the level means equals scaling the means.
        let region = prepared.appliesScaling
            ? (prepared.valueScaling ?? ValueScaling(slope: 1, intercept: 0)).applied(to: source.image) : source.image
        let levelImage = try StackLevelVoxels.compute(region, level: level, resampling: options.imageResampling)
        let image = source.map.patch(from: levelImage, region: source.levelRegion, fill: options.padValue)
        if let mask = source.mask {
            let levelMask = try StackLevelVoxels.compute(mask, level: level, resampling: options.maskResampling)
            let maskPatch = source.map.with(padding: .constant).patch(from: levelMask, region: source.levelRegion, fill: 0)
            // The mask first: an image patch on disk then always has its mask (resume checks both).
            try prepared.writer.write(maskPatch, spacing: spacing, to: folder.file(prepared.maskPath(of: item)),
                                      affine: prepared.patchAffine(of: item))
        }
        try prepared.writer.write(image, spacing: spacing, to: folder.file(prepared.imagePath(of: item)),
                                  affine: prepared.patchAffine(of: item))
    }

    /// The manifest line of a patch.
    func manifestEntry(_ item: PlannedWindow, prepared: Prepared) -> ManifestEntry {
        let level = prepared.level(item.level)
        let levelWindow = level.window(fromBase: item.window)
        let padded = !Window(size: level.size(of: prepared.volumeSize)).contains(levelWindow)
        return ManifestEntry(
            id: item.id, path: prepared.imagePath(of: item), mask: prepared.hasMask ? prepared.maskPath(of: item) : nil,
            level: item.level, window: ManifestWindow(item.window, volumetric: true), source: source,
            padded: padded ? true : nil,
            lesions: prepared.hasMask ? prepared.lesions.lesions(meeting: item.window, level: level) : nil,
            reason: item.reason, target: item.targetID, spacing: prepared.spacing.scaled(xy: level.factor, z: level.depthFactor),
            affine: prepared.patchAffine(of: item)?.matrix)
    }
}

/// What the reader hands an encoder for one patch: the level-0 voxels of the region the patch
/// draws on, and how to turn them into the patch.
struct PatchSource: Sendable {
    /// Image voxels of the base region, the selected channels.
    let image: RasterBuffer
    /// Mask voxels of the same region.
    let mask: RasterBuffer?
    /// The patch's source map at its level (the image's padding).
    let map: PatchSourceMap
    /// The region in level voxels; `image` covers it at level 0.
    let levelRegion: Window
}

/// What became of one planned patch.
enum PatchOutcome: Sendable {
    case written(ManifestEntry)
    case resumed(ManifestEntry)

    var entry: ManifestEntry {
        switch self {
        case .written(let e), .resumed(let e): return e
        }
    }

    var isWritten: Bool { if case .written = self { return true } else { return false } }
}

/// The reader thread's state: the image and mask (stacks or volumes), open once.
final class StackPatchReader {
    let image: any VoxelSource
    let mask: (any VoxelSource)?
    let channels: [Int]

    init(image: String, mask: String?, channels: [Int], scratchFolder: String) throws {
        self.image = try MedicalSource.open(image, scratchFolder: scratchFolder)
        self.mask = try mask.map { try MedicalSource.open($0, scratchFolder: scratchFolder) }
        self.channels = channels
    }

    /// Reads the level-0 voxels patch `item` needs at `level`: the smallest part of the level
    /// grid its padded window draws on, expanded to its level-0 blocks and clipped to the stack.
    func read(_ item: PlannedWindow, level: Level, volumeSize: RasterSize, padding: Padding) throws -> PatchSource {
        let map = PatchSourceMap(window: level.window(fromBase: item.window), gridSize: level.size(of: volumeSize), padding: padding)
        // Grid windows start inside the grid, so every patch reads at least one voxel.
        guard let levelRegion = map.sourceRegion,
              let region = level.baseWindow(of: levelRegion).intersection(Window(size: volumeSize)) else {
            preconditionFailure("a grid window \(item.window) draws on no voxel of the stack")
        }
        let imageVoxels = try image.read(region, channels: channels)
        let maskVoxels = try mask?.read(region, channels: [0])
        return PatchSource(image: imageVoxels, mask: maskVoxels, map: map, levelRegion: levelRegion)
    }
}

extension OutputFolder {
    /// Whether a complete patch file is at `relative`: atomic writes make a regular file there
    /// complete, while a folder of that name (or nothing) is not.
    func hasPatch(_ relative: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: file(relative), isDirectory: &isFolder) && !isFolder.boolValue
    }
}

extension RasterSize {
    /// `256x256x25`: width, height and depth always, as messages about stacks name them.
    var volumeText: String { "\(width)x\(height)x\(depth)" }
}
