import Foundation
import ScaleTileCore
import ScaleTileMedical

/// Stacks and volumes for ``TileJob``: TIFF stacks (plain, ImageJ, OME, BigTIFF), NIfTI and NRRD
/// volumes — any ``ScaleTileMedical/VoxelSource`` — with an optional mask whose connected
/// components are the lesions, and patches that keep the spacing (and affine).
///
/// The lesion index (``LesionIndex``) streams the mask slice by slice before anything is
/// written; negatives use a ``TissueMap`` counted in one more pass. The reader reads each
/// patch's source region of image and mask (only the voxels the patch needs) slice by slice,
/// so overlapping patches share decoded blocks; an encoder computes the level voxels
/// (``StackLevelVoxels``), pads, and writes image and mask patches (``StackWriter``). Memory is
/// a few patches' source regions whatever the stack's size.
struct VolumeWindows: WindowReading {
    let source: String
    let mask: String?
    let size: RasterSize
    let pixelType: PixelType
    /// The patch in voxels at every level.
    let window: RasterSize
    /// 0-based channels written, in order.
    let channels: [Int]
    /// The level-0 voxel size.
    let spacing: Spacing
    /// The source's voxel-to-world affine (NIfTI and NRRD volumes); nil for TIFF stacks.
    let affine: VoxelToWorld?
    /// NIfTI's `scl_slope`/`scl_inter` when they change values; nil otherwise.
    let valueScaling: ValueScaling?
    /// Whether image patches hold scaled values as Float32 (`--apply-scaling`).
    let appliesScaling: Bool
    /// The mask's lesions (empty without a mask).
    let lesions: LesionIndex
    /// The mask's sample type; nil without a mask.
    let maskPixelType: PixelType?
    let writer: StackWriter
    /// Where negatives may lie, counted when the plan draws negatives.
    private let tissue: TissueMap?
    /// The levels as the job uses them (scaling Z or not); set once it has chosen them.
    private(set) var levels: [Level] = []
    /// `--context-levels` and `--context-as`; nil: no context.
    let context: ContextLevels?
    let contextOutput: ContextOutput
    /// Whether levels downsample Z (`--scale-z`), for context tiles as for patches.
    let scalesDepth: Bool

    var targets: [SamplingTarget] { lesions.lesions.map(\.samplingTarget) }
    var folderName: String { "patches" }
    var hasMask: Bool { maskPixelType != nil }

    /// The folder, inside the output, where gzip volumes are decompressed for windowed reads.
    static let scratchFolderName = ".scratch"

    /// Opens and checks the image and mask, labels the mask's lesions and, for negatives, counts
    /// the tissue; writes nothing.
    init(source: String, options: TileOptions) throws {
        try Self.validate(options)
        let mask = options.labels?.path
        if options.layout == .monai, mask == nil {
            throw ScaleTileError.argument("--layout", "monai pairs each patch with its mask: give --mask")
        }
        let image = try MedicalSource.open(source)
        // Compressed volumes are decoded once here, so a corrupt or cut one fails before
        // anything is written (raw data was checked against the header at open).
        try (image as? MedicalVolume)?.checkData()
        guard image.timepointCount == 1 else {
            throw ScaleTileError(.unsupported, source, "has \(image.timepointCount) timepoints; ScaleTile patches one volume at a time, so split the timepoints into stacks first")
        }
        let channels = options.bands.map { $0.map { $0 - 1 } } ?? Array(0 ..< image.channelCount)
        if let missing = channels.first(where: { $0 >= image.channelCount }) {
            throw ScaleTileError(.invalidArgument, source, "channel \(missing + 1) requested, the stack has \(image.channelCount == 1 ? "1 channel" : "\(image.channelCount) channels")")
        }
        var patch = options.window ?? RasterSize(width: 1, height: 1)
        if let mm = options.windowMillimetres {
            patch = try attributing(to: source) {
                try image.spacing.voxelCounts(spanningMillimetres: (mm.x, mm.y, mm.z))
            }
            try Self.check(patch: patch, overlap: options.overlap(stacks: true))
        }
        writer = try StackWriter(format: options.format(stacks: true), compression: options.compression)

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
        if let request = options.sampling {
            if request.needsTargets, mask == nil {
                throw ScaleTileError.argument("--strategy", "\(request.strategy.name) places patches around lesions: give the mask with --labels (or --mask)")
            }
            tissue = request.drawsNegatives ? try Self.tissueMap(request.tissue, of: image, source: source, channel: channels[0]) : nil
        } else {
            tissue = nil
        }
        self.source = source
        self.mask = mask
        context = options.contextLevels
        contextOutput = options.contextOutput
        scalesDepth = options.scaleDepth
        size = image.size
        pixelType = image.pixelType
        window = patch
        self.channels = channels
        spacing = image.spacing
        affine = image.voxelToWorld
        valueScaling = (image as? MedicalVolume)?.valueScaling
        appliesScaling = options.applyScaling
        self.lesions = LesionIndex(lesions: lesions, windowSize: patch)
        self.maskPixelType = maskPixelType
    }

    /// Checks the options a stack takes, before it is opened.
    static func validate(_ o: TileOptions) throws {
        try ClassWeights.check(beta: o.classWeightBeta, option: "--beta")
        switch (o.window, o.windowMillimetres) {
        case (nil, nil): throw ScaleTileError.argument("--patch", "a stack needs a patch size: --patch XxYxZ voxels or --patch-mm XxYxZ")
        case (.some, .some): throw ScaleTileError.argument("--patch-mm", "give the patch size once: --patch in voxels or --patch-mm, not both")
        default: break
        }
        let overlap = o.overlap(stacks: true)
        if let patch = o.window {
            try check(patch: patch, overlap: overlap)
            try o.maxMemory.check([patch.width, patch.height, patch.depth], figure: "a \(patch.volumeText) patch would", path: "--patch")
        }
        for (axis, value) in [("X", overlap.width), ("Y", overlap.height), ("Z", overlap.depth)] where value < 0 {
            throw ScaleTileError.argument("--overlap", "the \(axis) overlap must not be negative, got \(value)")
        }
        guard o.threads >= 1 else { throw ScaleTileError.argument("--threads", "must be at least 1, got \(o.threads)") }
        if o.maskTiles {
            throw ScaleTileError.argument("--mask-tiles", "writes mask tiles beside scene tiles; a stack's mask is patched with it (--mask)")
        }
        let format = o.format(stacks: true)
        switch o.layout {
        case .folder: break
        case .monai:
            guard [.npy, .nifti, .nii].contains(format) else {
                throw ScaleTileError.argument("--layout", "monai lists .npy or NIfTI patches (MONAI's NumpyReader, NibabelReader): give --format npy, nifti or nii")
            }
        case .nnunet:
            break  // whole cases, written by the run (NNUNetDataset), not by this job
        case .yolo, .coco, .webdataset:
            throw ScaleTileError.argument("--layout", "\(o.layout.rawValue) is for scene tiles so far; stacks take folder, monai or nnunet")
        }
        guard o.padValue.isFinite else { throw ScaleTileError.argument("--pad-value", "must be a finite number, got \(o.padValue)") }
        guard format.suitsStacks else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for scenes; stack patches are tiff, ome-tiff, npy, nifti or nii")
        }
        if let bands = o.bands, bands.contains(where: { $0 < 1 }) {
            throw ScaleTileError.argument("--channels", "channel numbers start at 1")
        }
        try StackLevelVoxels.check(o.resampling, scalesDepth: o.scaleDepth, option: "--resampling")
        try StackLevelVoxels.check(o.maskResampling, scalesDepth: o.scaleDepth, option: "--mask-resampling")
        guard o.maskResampling.preservesLabels else {
            throw ScaleTileError.argument("--mask-resampling", "masks keep their labels: use nearest or mode, not \(o.maskResampling.rawValue)")
        }
        if o.split != nil {
            throw ScaleTileError(.unsupported, "--split", "stacks and volumes split by whole inputs: give several inputs to scaletile run (split.by: source)")
        }
        try o.sampling?.validate()
    }

    /// Every patch side is positive and every overlap smaller than its side.
    static func check(patch: RasterSize, overlap: RasterSize) throws {
        let axes = [("X", "width", patch.width, overlap.width), ("Y", "height", patch.height, overlap.height),
                    ("Z", "depth", patch.depth, overlap.depth)]
        for (axis, _, side, _) in axes where side < 1 {
            throw ScaleTileError.argument("--patch", "the \(axis) size must be at least 1 voxel, got \(side)")
        }
        for (axis, name, side, shared) in axes where shared >= side {
            throw ScaleTileError.argument("--overlap", "the \(axis) overlap \(shared) must be smaller than the patch \(name) \(side)")
        }
    }

    /// Where the stack holds tissue, counted in one streaming pass over the image (or the tissue
    /// mask); nil when negatives may lie anywhere.
    private static func tissueMap(_ tissue: TileSampling.Tissue, of image: any VoxelSource, source: String, channel: Int) throws -> TissueMap? {
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

    // MARK: Planning

    func weightedStrategy(_ map: String) throws -> SamplingStrategy {
        .weighted(try WeightVolume.load(map, imageSize: size))
    }

    func negativePlaces(_ request: TileSampling) throws -> ((Window) -> Bool)? {
        let tissue = self.tissue
        return { (tissue?.tissueShare(of: $0) ?? 1) >= request.minTissueShare }
    }

    func split(_ plan: [PlannedWindow], request: SplitOptions, levels: [Level], overlap: RasterSize,
               options: TileOptions) throws -> ([PlannedWindow], SplitPlan?, Int) {
        (plan, nil, 0)  // refused by validate(_:): stacks split by whole inputs, in the run
    }

    mutating func adopt(levels: [Level], gridLevels: [Level], options: TileOptions) throws {
        self.levels = levels
    }

    func checkMemory(_ prepared: TileJob.Prepared, options: TileOptions) throws {
        // The largest source region one patch reads (coarser levels read 2^ℓ voxels per patch
        // voxel), for each buffer in flight: one per encoder, the queue's spare and the reader's.
        let voxelBytes = channels.count * pixelType.byteSize + (maskPixelType?.byteSize ?? 0)
        let patch = window
        if context != nil {
            // A patch travels with the source regions of its context tiles.
            try options.maxMemory.check([options.threads + 2, contextRegionVoxels(), channels.count, pixelType.byteSize],
                                        figure: "\(options.threads + 2) context regions of \(patch.volumeText) patches at levels \(context!)", path: "--context-levels")
        }
        for level in levels {
            try options.maxMemory.check(
                [options.threads + 2, patch.width, level.factor, patch.height, level.factor, patch.depth, level.depthFactor, voxelBytes],
                figure: "\(options.threads + 2) regions of \(patch.volumeText) patch voxels at level \(level.index)", path: "--patch")
        }
    }

    // MARK: Reading and writing

    func beforeReading(_ prepared: TileJob.Prepared, work: [PlannedWindow], folder: OutputFolder, options: TileOptions) throws {}

    /// Gzip volumes were decompressed into scratch files for windowed reads: removed at the end.
    func afterReading(folder: OutputFolder) {
        try? FileManager.default.removeItem(atPath: folder.file(Self.scratchFolderName))
    }

    /// Slice by slice, so patches that share slices (a grid's overlap, a sampler's windows
    /// around one lesion) find them in the stacks' block caches; outputs keep plan order.
    func readOrder(_ work: [PlannedWindow], prepared: TileJob.Prepared, options: TileOptions) -> [Int] {
        ReadOrder.slices(work.map(\.window))
    }

    /// Bytes the decoded regions waiting for encoders may hold together.
    static let queueBudget = 96 << 20

    /// One region per encoder and one more, unless regions are so large (patches at coarse
    /// levels read 2^ℓ times more voxels per axis) that fewer fit ``queueBudget``; never fewer than one.
    func queueCapacity(_ prepared: TileJob.Prepared, options: TileOptions) -> Int? {
        let voxelBytes = channels.count * pixelType.byteSize + (maskPixelType?.byteSize ?? 0)
        let largest = levels.map { level in
            window.width * level.factor * window.height * level.factor * window.depth * level.depthFactor * voxelBytes
        }.max() ?? 1
        let contextBytes = contextRegionVoxels() * channels.count * pixelType.byteSize
        return Swift.max(1, Swift.min(options.threads + 1, Self.queueBudget / Swift.max(1, largest + contextBytes)))
    }

    func openReader(folder: OutputFolder, prepared: TileJob.Prepared, options: TileOptions) throws -> StackPatchReader {
        try StackPatchReader(image: source, mask: mask, channels: channels, scratchFolder: folder.file(Self.scratchFolderName))
    }

    func read(_ item: PlannedWindow, with reader: StackPatchReader, prepared: TileJob.Prepared, folder: OutputFolder,
              options: TileOptions) throws -> ReadEncodePipeline.Step<PatchSource, TileOutcome> {
        if options.existingOutput == .resume, folder.hasPatch(imagePath(of: item)), !hasMask || folder.hasPatch(maskPath(of: item)),
           hasContextFiles(of: item, in: folder) {
            return .done(.resumed(manifestEntry(item)))
        }
        var patch = try reader.read(item, level: level(item.level), volumeSize: size, padding: options.padding)
        patch.context = try readContext(of: item, with: reader, padding: options.padding)
        return .encode(patch)
    }

    /// Level voxels, padding and the atomic writes of one patch (and its mask).
    func write(_ source: PatchSource, of item: PlannedWindow, prepared: TileJob.Prepared, folder: OutputFolder,
               options: TileOptions) throws -> TileOutcome {
        let level = level(item.level)
        let levelSpacing = spacing.scaled(xy: level.factor, z: level.depthFactor)
        // Scaling is linear, so scaling before the level means equals scaling the means.
        let region = appliesScaling ? (valueScaling ?? ValueScaling(slope: 1, intercept: 0)).applied(to: source.image) : source.image
        let levelImage = try StackLevelVoxels.compute(region, level: level, resampling: options.resampling)
        let image = source.map.patch(from: levelImage, region: source.levelRegion, fill: options.padValue)
        if let mask = source.mask {
            let levelMask = try StackLevelVoxels.compute(mask, level: level, resampling: options.maskResampling)
            let maskPatch = source.map.with(padding: .constant).patch(from: levelMask, region: source.levelRegion, fill: 0)
            // The mask first: an image patch on disk then always has its mask (resume checks both).
            try writer.write(maskPatch, spacing: levelSpacing, to: folder.file(maskPath(of: item)), affine: patchAffine(of: item))
        }
        let contextPatches = try contextPatches(source.context, of: item, like: image, options: options)
        try writeWithContext(image, context: contextPatches, of: item, spacing: levelSpacing, folder: folder)
        return .written(manifestEntry(item))
    }

    /// Level `index` as this job uses it (scaling Z or not).
    func level(_ index: Int) -> Level { levels.first { $0.index == index }! }

    /// Where the image patch of plan entry `w` goes, relative to the output folder.
    func imagePath(of w: PlannedWindow) -> String {
        "patches/L\(w.level)/\(w.id).\(writer.format.fileExtension)"
    }

    /// Where the mask patch of plan entry `w` goes.
    func maskPath(of w: PlannedWindow) -> String {
        "patches/L\(w.level)/\(w.id)_mask.\(writer.format.fileExtension)"
    }

    /// The voxel-to-world affine of the patch of plan entry `w`: the source's affine A moved to
    /// the patch's first voxel and scaled to its level, A · [diag(f) | origin + (f − 1)/2]
    /// (DESIGN.md §7), in RAS as NIfTI patches hold it; nil for sources without an affine.
    func patchAffine(of w: PlannedWindow) -> VoxelToWorld? {
        guard let affine else { return nil }
        let level = level(w.level)
        let levelWindow = level.window(fromBase: w.window)
        let f = [level.factor, level.factor, level.depthFactor]
        return affine.window(origin: [levelWindow.x * f[0], levelWindow.y * f[1], levelWindow.z * f[2]], factors: f)
            .converted(to: .ras)
    }

    /// The manifest line of a patch.
    func manifestEntry(_ item: PlannedWindow) -> ManifestEntry {
        let level = level(item.level)
        let levelWindow = level.window(fromBase: item.window)
        let padded = !Window(size: level.size(of: size)).contains(levelWindow)
        var entry = ManifestEntry(
            id: item.id, path: imagePath(of: item), mask: hasMask ? maskPath(of: item) : nil,
            level: item.level, window: ManifestWindow(item.window, volumetric: true), source: source,
            padded: padded ? true : nil,
            lesions: hasMask ? lesions.lesions(meeting: item.window, level: level) : nil,
            reason: item.reason, target: item.targetID, spacing: spacing.scaled(xy: level.factor, z: level.depthFactor),
            affine: patchAffine(of: item)?.matrix)
        entry.context = manifestContext(of: item)
        return entry
    }

    // MARK: Beside the manifest

    func arrange(_ entries: [ManifestEntry], prepared: TileJob.Prepared, folder: OutputFolder, options: TileOptions) throws -> [ManifestEntry] {
        entries
    }

    func export(_ entries: [ManifestEntry], prepared: TileJob.Prepared, folder: OutputFolder, options: TileOptions) throws {
        if options.layout == .monai {
            try MONAIDatalist(entries: entries).write(in: folder)
        }
    }

    /// Shortfalls said once each, with the figures and what to change: negatives the tissue
    /// could not hold, patches that are mostly padding.
    func warn(_ summary: TileSummary, prepared: TileJob.Prepared, work: [PlannedWindow], options: TileOptions) {
        if let s = summary.sampling, s.negativesPlaced < s.negativesRequested {
            RunWarnings.add("\(source): \(s.negativesPlaced) of \(s.negativesRequested) negatives placed: no more \(window.volumeText) patches fit on tissue clear of every lesion; ask for fewer (--negatives) or use a smaller --patch")
        }
        let volume = Window(size: size)
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
            RunWarnings.add("\(source): \(padded) of \(work.count) patches are mostly padding (on average \(Int((paddedShare / Double(padded) * 100).rounded())) % of their voxels): a \(window.volumeText) patch on a \(size.width)x\(size.height)x\(size.depth) stack; use a smaller --patch")
        }
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
    /// The sources of its context tiles, finest first (`--context-levels`).
    var context: [ContextPatchSource?] = []
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
