import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// Scenes for ``TileJob``: any raster GDAL reads, its labelled objects, and tiles that keep its
/// georeferencing.
///
/// Levels above 0 come from the scene (level 0, or its own exact-factor overviews) or from level
/// files built once by ``PyramidBuilder``; the reader visits each level in panels that fit
/// GDAL's bounded block cache (``ReadOrder``); encoders write GeoTIFF, COG, PNG, JPEG or `.npy`
/// tiles (``SceneTileEncoder``); beside the manifest go the footprints (`index.geojson`) and
/// the label exports (COCO, YOLO, GeoJSON).
struct SceneWindows: WindowReading {
    let source: String
    let size: RasterSize
    let pixelType: PixelType
    let window: RasterSize
    /// 1-based bands written.
    let bands: [Int]
    let geoTransform: GeoTransform?
    let spatialReference: SpatialReference?
    let nodata: NodataDefinition
    let encoder: SceneTileEncoder
    /// The labelled objects, when labels were given.
    let objects: SceneObjects?
    /// Warnings from reading the labels (dropped boxes, objects outside the scene).
    let labelWarnings: [String]
    let sceneGeometry: SceneGeometry
    let colorInterpretations: [String]
    /// Block size of the first selected band (drives the read order).
    let blockSize: RasterSize
    let bytesPerPixelAllBands: Int
    let stem: String
    /// The mask tiles beside the tiles (`--mask-tiles`), nil without.
    let masks: SceneMaskTiles?
    /// Where each level's pixels come from; set once the job has chosen the levels.
    private(set) var levelSources: [Int: LevelSource] = [:]
    /// `--context-levels` and `--context-as`; nil: no context.
    let context: ContextLevels?
    let contextOutput: ContextOutput
    /// `--context-as channels`: the encoders of tiles with 1, 2, … context levels appended.
    let contextEncoders: [Int: SceneTileEncoder]

    var targets: [SamplingTarget] { objects?.targets ?? [] }
    var folderName: String { "tiles" }

    /// Where the pixels of one level are read from.
    enum LevelSource: Hashable, Sendable {
        /// The scene: level 0, or an overview of the scene whose size is exactly the level's.
        case scene
        /// A level file built by this job (`levels/<stem>_L<ℓ>.tif`, relative to the output folder).
        case built(String)

        /// The name written to `summary.json`.
        var summaryName: String {
            switch self {
            case .scene: return "scene"
            case .built: return "built"
            }
        }
    }

    /// Opens and checks the scene, its bands, nodata, encoder and labels; writes nothing.
    init(source: String, options: TileOptions) throws {
        try Self.validate(options)
        self.source = source
        context = options.contextLevels
        contextOutput = options.contextOutput
        let dataset = try Dataset(opening: source)
        try dataset.verifyBlocksPresent()
        let bandNumbers = options.bands ?? Array(1...dataset.bandCount)
        let selected = try bandNumbers.map { try dataset.band($0) }
        guard let pixelType = selected[0].pixelType else {
            throw ScaleTileError(.unsupported, source, "band \(bandNumbers[0]) is \(selected[0].dataTypeName), which ScaleTile does not tile")
        }
        let nodata = try NodataDefinition(dataset: dataset, bands: bandNumbers, override: options.nodata)
        let rescale = try Self.stretch(source: source, options: options, bands: selected, nodata: nodata, dataset: dataset)
        let srs = dataset.spatialReference
        encoder = try attributing(to: source) {
            try SceneTileEncoder(
                format: options.format(stacks: false), pixelType: pixelType, userOptions: options.creationOptions,
                spatialReference: srs, nodata: nodata.outputValues, colorInterpretations: selected.map(\.colorInterpretation),
                rescale: rescale)
        }
        size = dataset.size
        stem = FileNames.stem(of: source)
        sceneGeometry = SceneGeometry(dataset)
        if let labelOptions = options.labels {
            let set = try LabelSet.load(path: labelOptions.path, scene: sceneGeometry, options: labelOptions.read)
            labelWarnings = set.warnings.map(\.description)
            objects = SceneObjects(labels: set, minVisibleFraction: labelOptions.minVisibleFraction, tileSize: options.tileSize)
        } else {
            (labelWarnings, objects) = ([], nil)
        }
        if options.maskTiles, let labelOptions = options.labels, let objects {
            masks = try SceneMaskTiles(labelPath: labelOptions.path, format: try LabelSet.resolvedFormat(of: labelOptions.path, labelOptions.read.format),
                                       objects: objects, tileEncoder: encoder, creationOptions: options.creationOptions, spatialReference: srs)
        } else {
            masks = nil
        }
        self.pixelType = pixelType
        window = RasterSize(width: options.tileSize, height: options.tileSize)
        bands = bandNumbers
        geoTransform = dataset.geoTransform
        spatialReference = srs
        self.nodata = nodata
        colorInterpretations = selected.map(\.colorInterpretation)
        let block = selected[0].blockSize
        blockSize = RasterSize(width: block.width, height: block.height)
        // Pixel-interleaved blocks carry every band of the file, selected or not.
        bytesPerPixelAllBands = dataset.bands.reduce(0) { $0 + ($1.pixelType?.byteSize ?? 8) }
        let tileEncoder = encoder
        contextEncoders = try attributing(to: source) {
            try Self.contextEncoders(tileEncoder, pixelType: pixelType, context: options.contextLevels, output: options.contextOutput)
        }
    }

    /// Checks the options a scene takes, before the scene is opened.
    static func validate(_ o: TileOptions) throws {
        let tileSize = o.tileSize
        if let window = o.window, window.width != window.height || window.depth > 1 {
            throw ScaleTileError.argument("--tile-size", "scene tiles are square, got \(window.width)x\(window.height)")
        }
        let overlap = o.overlap(stacks: false).width
        guard tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(tileSize)") }
        guard overlap >= 0 else { throw ScaleTileError.argument("--overlap", "must not be negative, got \(overlap)") }
        guard overlap < tileSize else {
            throw ScaleTileError.argument("--overlap", "\(overlap) must be smaller than the tile size \(tileSize)")
        }
        guard o.threads >= 1 else { throw ScaleTileError.argument("--threads", "must be at least 1, got \(o.threads)") }
        // The smallest tile buffer there can be (one byte per pixel): refuses absurd sizes
        // before any plan arithmetic on them; the job checks the real figure once it knows the bands.
        try o.maxMemory.check([tileSize, tileSize], figure: "a \(tileSize)x\(tileSize) tile would", path: "--tile-size")
        try ClassWeights.check(beta: o.classWeightBeta, option: "--beta")
        if let f = o.maxNodataFraction, !(0...1).contains(f) {
            throw ScaleTileError.argument("--max-nodata", "is a fraction from 0 to 1, got \(f)")
        }
        if let bands = o.bands, bands.contains(where: { $0 < 1 }) {
            throw ScaleTileError.argument("--bands", "band numbers start at 1, got \(bands.map(String.init).joined(separator: ","))")
        }
        if let rescale = o.rescale, !(rescale.upperBound > rescale.lowerBound) {
            throw ScaleTileError.argument("--rescale", "needs MIN < MAX, got \(rescale.lowerBound):\(rescale.upperBound)")
        }
        if let s = o.stretchPercentiles, !(0 <= s.low && s.low < s.high && s.high <= 100) {
            throw ScaleTileError.argument("--stretch", "needs percentiles 0 ≤ LOW < HIGH ≤ 100, got \(s.low),\(s.high)")
        }
        if o.automaticOverlap && o.labels == nil {
            throw ScaleTileError.argument("--overlap", "auto picks the overlap from the objects' sizes: give --labels")
        }
        if o.zoomIn && (o.labels == nil || o.objectSize == nil) {
            throw ScaleTileError.argument("--zoom-in", "magnifies objects below --object-size's minimum: give --labels and --object-size")
        }
        guard (1...8).contains(o.maxZoom) else { throw ScaleTileError.argument("--max-zoom", "is 1 to 8 levels, got \(o.maxZoom)") }
        if let labels = o.labels, !(0...1).contains(labels.minVisibleFraction) {
            throw ScaleTileError.argument("--min-visible", "is a fraction from 0 to 1, got \(labels.minVisibleFraction)")
        }
        if let sampling = o.sampling {
            guard sampling.count >= 0, sampling.negatives >= 0 else {
                throw ScaleTileError.argument("--count", "counts must not be negative")
            }
            if o.labels == nil, sampling.needsTargets {
                throw ScaleTileError.argument("--strategy", "\(sampling.strategy.name) places windows around objects: give --labels")
            }
        }
        if o.layout.needsLabels && o.labels == nil {
            throw ScaleTileError.argument("--layout", "\(o.layout.rawValue) holds labels: give --labels")
        }
        if o.yoloSegments {
            guard let labels = o.labels else {
                throw ScaleTileError.argument("--yolo-segments", "writes the objects' outlines: give --labels")
            }
            guard o.layout == .yolo || labels.exports.contains(.yolo) else {
                throw ScaleTileError.argument("--yolo-segments", "shapes YOLO labels: give --layout yolo or --export yolo")
            }
        }
        if o.layout == .nnunet {
            throw ScaleTileError.argument("--layout", "nnunet builds a dataset of whole volumes and masks: use it on stacks and volumes")
        }
        if o.maskTiles && o.labels == nil {
            throw ScaleTileError.argument("--mask-tiles", "cuts or rasterises the labels beside each tile: give --labels (a label raster or vector labels)")
        }
        if o.layout == .monai {
            guard o.maskTiles else {
                throw ScaleTileError.argument("--layout", "monai lists image/mask pairs: add --mask-tiles (with --labels) to write a mask beside each scene tile")
            }
            guard o.format(stacks: false) == .npy else {
                throw ScaleTileError.argument("--layout", "monai lists .npy scene tiles and masks (MONAI's NumpyReader): give --format npy")
            }
        }
        if o.shard != .whole, o.split != nil || o.layout != .folder {
            // Each shard would arrange only its part, and merge joins files, not layouts.
            throw ScaleTileError.argument("--shard", "splits and layouts cover the whole run: merge the shards, then run scaletile split OUT --split … --layout …")
        }
        guard o.samplesPerShard >= 1 else {
            throw ScaleTileError.argument("--samples-per-shard", "must be at least 1, got \(o.samplesPerShard)")
        }
        if let split = o.split {
            try split.validate()
            if split.by == .source {
                throw ScaleTileError(.unsupported, "--split-by", "source (whole inputs) splits a run over several inputs: use scaletile run, or split by blocks")
            }
        }
        try validateContext(o)
        let format = o.format(stacks: false)
        guard format.suitsScenes else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for stacks; scenes take gtiff, cog, png, jpeg or npy")
        }
    }

    /// The 8-bit stretch of PNG/JPEG tiles: `--rescale`, or `--stretch` percentiles of valid pixels.
    private static func stretch(source: String, options: TileOptions, bands: [RasterBand], nodata: NodataDefinition,
                                dataset: Dataset) throws -> [ClosedRange<Double>]? {
        if let rescale = options.rescale { return bands.map { _ in rescale } }
        guard let p = options.stretchPercentiles else { return nil }
        if case .maskBand = nodata.source {
            // A mask band is GDAL's to apply; its approximate histogram stands.
            return try bands.map { band in
                let values = try band.approximatePercentiles([p.low, p.high])
                return values[0]...Swift.max(values[1], values[0] + 1)
            }
        }
        // Percentiles of valid pixels only: nodata (from the file or --nodata) is left out,
        // or fill would pull the low percentile down and wash the tiles out.
        let sample = StretchSample.size(for: dataset.size)
        var zeroShare = 0.0
        let ranges = try bands.enumerated().map { index, band -> ClosedRange<Double> in
            let values = try dataset.resampledBand(band.number, to: sample, resampling: .nearest)
            var excluded: Double? = nil
            if case .values(let list) = nodata.source, index < list.count { excluded = list[index] }
            let valid = values.filter { value in
                guard !value.isNaN else { return false }
                return excluded.map { value != $0 } ?? true
            }
            if excluded == nil, !values.isEmpty {
                zeroShare = Swift.max(zeroShare, Double(values.count { $0 == 0 }) / Double(values.count))
            }
            guard let percentiles = StretchSample.percentiles(valid, [p.low, p.high]) else {
                throw ScaleTileError(.invalidInput, source, "band \(band.number) has no valid pixels to take --stretch percentiles from")
            }
            return percentiles[0]...Swift.max(percentiles[1], percentiles[0] + 1)
        }
        if case .none = nodata.source, zeroShare >= 0.05 {
            RunWarnings.add("\(source): \(Int((zeroShare * 100).rounded())) % of the pixels are 0 and no nodata is set, so --stretch takes them as data; if 0 is fill, add --nodata 0")
        }
        return ranges
    }

    // MARK: Planning

    func weightedStrategy(_ map: String) throws -> SamplingStrategy {
        .weighted(try WeightMap.load(map, sceneSize: size))
    }

    func negativePlaces(_ request: TileSampling) throws -> ((Window) -> Bool)? {
        let isPositiveNegative = { if case .positiveNegative = request.strategy { return true } else { return false } }()
        guard request.negatives > 0 || isPositiveNegative else { return nil }
        let grid = try ValidityGrid(dataset: try Dataset(opening: source), bands: bands, nodata: nodata)
        return { grid.isValid($0, maxNodata: request.maxNodataForNegatives) }
    }

    func split(_ plan: [PlannedWindow], request: SplitOptions, levels: [Level], overlap: RasterSize,
               options: TileOptions) throws -> ([PlannedWindow], SplitPlan?, Int) {
        let coarsest = levels.map(\.index).max() ?? 0
        let gridBlock = SplitBlockGrid.defaultSize(tileSize: window.width, overlap: overlap.width, coarsestLevel: coarsest)
        let made = SplitPlan(windows: plan, objects: targets, sourceSize: size, shares: request.shares,
                             blockSize: request.blockSize ?? context.map { $0.splitBlockSize(tileSize: window.width, gridDefault: gridBlock) } ?? gridBlock,
                             seed: options.seed, shift: true, context: context)
        var kept = made.windows
        if options.layout == .yolo, options.yoloIgnore == .drop, let objects {
            // YOLO labels cannot say "ignore": a window showing another split's object is not written.
            kept = kept.filter { w in
                let home = made.windowSplits[w.id]
                return objects.manifestObjects(in: w.window, level: Level(w.level), isOwn: { made.objectSplits[$0] == home }).ignore.isEmpty
            }
        }
        for name in request.shares.names where !kept.contains(where: { made.windowSplits[$0.id] == name }) {
            throw ScaleTileError(.invalidInput, source, "the \(name.rawValue) split is left with no window (\(kept.count) windows in blocks of \(made.blocks.size) px): give a smaller --split-block or a larger share")
        }
        return (kept, made, made.windows.count - kept.count)
    }

    mutating func adopt(levels: [Level], gridLevels: [Level], options: TileOptions) throws {
        let dataset = try Dataset(opening: source)
        let selected = try bands.map { try dataset.band($0) }
        // Context levels are read through the same level sources as the windows.
        let contextOnly = (context?.levels ?? []).filter { index in !gridLevels.contains { $0.index == index } }.map { Level($0) }
        for level in gridLevels + contextOnly {
            let exactOverview = options.useSourceOverviews && selected.allSatisfy { $0.exactOverviewIndex(for: level) != nil }
            levelSources[level.index] = level.index == 0 || exactOverview ? .scene : .built(PyramidJob.relativePath(stem: stem, level: level.index))
        }
        for level in levels where level.isMagnified { levelSources[level.index] = .scene }
    }

    func checkMemory(_ prepared: TileJob.Prepared, options: TileOptions) throws {
        // Buffers in flight: one per encoder, the queue's spare and the reader's, each possibly
        // converted once more by the encoder.
        let t = options.tileSize
        // A window travels with its context tiles.
        let tilesPerWindow = 1 + (context?.levels.count ?? 0)
        try options.maxMemory.check(
            [options.threads + 2, 2, t, t, tilesPerWindow, bands.count, pixelType.byteSize],
            figure: "\(options.threads + 2) buffers (and their encoded copies) of \(t)x\(t) pixels x \(bands.count) \(pixelType.rawValue) bands",
            path: "--tile-size")
    }

    // MARK: Reading and writing

    /// Builds, in one streaming pass, the level files this shard reads and that are not there
    /// yet, and sizes GDAL's block cache.
    func beforeReading(_ prepared: TileJob.Prepared, work: [PlannedWindow], folder: OutputFolder, options: TileOptions) throws {
        let contextLevels = contextLevels(of: work)
        let needed = Set(work.map(\.level) + contextLevels.map(\.index))
        let targets = (prepared.levels + contextLevels.filter { !prepared.levels.contains($0) }).compactMap { level -> PyramidBuilder.Target? in
            guard needed.contains(level.index), case .built(let relative) = levelSources[level.index],
                  !folder.hasFile(relative) else { return nil }
            return PyramidBuilder.Target(level: level, path: folder.file(relative))
        }
        if !targets.isEmpty {
            try folder.makeFolder("levels")
            let builder = PyramidBuilder(
                source: source, bands: bands, pixelType: pixelType, nodata: nodata,
                resampling: options.resampling, targets: targets, geoTransform: geoTransform,
                spatialReference: spatialReference, colorInterpretations: colorInterpretations,
                creationOptions: [:])
            try builder.build()
        }
        if ProcessInfo.processInfo.environment["GDAL_CACHEMAX"] == nil {
            GDALRuntime.blockCacheBytes = options.blockCacheBytes
        }
    }

    func afterReading(folder: OutputFolder) {}

    /// Level by level; within a level, panels sized so the blocks of that level's source that
    /// the reader needs fit the cache (see ``ReadOrder``).
    func readOrder(_ work: [PlannedWindow], prepared: TileJob.Prepared, options: TileOptions) -> [Int] {
        var order: [Int] = []
        for level in prepared.levels {
            let positions = work.indices.filter { work[$0].level == level.index }
            guard !positions.isEmpty else { continue }
            // Magnified windows are few and read from full resolution: order them by their level-0 place.
            let windows = positions.map { level.isMagnified ? work[$0].window : level.window(fromBase: work[$0].window) }
            let (block, bytesPerPixel): (RasterSize, Int) = {
                if case .built = levelSources[level.index] {
                    return (RasterSize(width: 256, height: 256), bands.count * pixelType.byteSize)
                }
                return (blockSize, bytesPerPixelAllBands)
            }()
            let panel = ReadOrder.panelWidth(cacheBytes: GDALRuntime.blockCacheBytes, windowSpan: window,
                                             blockSize: block, bytesPerPixel: bytesPerPixel)
            order += ReadOrder.panels(windows, panelWidth: panel).map { positions[$0] }
        }
        return order
    }

    func queueCapacity(_ prepared: TileJob.Prepared, options: TileOptions) -> Int? { nil }

    func openReader(folder: OutputFolder, prepared: TileJob.Prepared, options: TileOptions) throws -> LevelReaders {
        LevelReaders(scene: self, folder: folder, options: options)
    }

    func read(_ item: PlannedWindow, with readers: LevelReaders, prepared: TileJob.Prepared, folder: OutputFolder,
              options: TileOptions) throws -> ReadEncodePipeline.Step<DecodedTile, TileOutcome> {
        let (buffer, fraction) = try readers.read(item)
        let relative = relativePath(of: item)
        if let limit = options.maxNodataFraction, fraction > limit {
            return .done(.skipped(nodataFraction: fraction))
        }
        if options.existingOutput == .resume, folder.hasFile(relative), masks.map({ folder.hasFile($0.relativePath(of: item)) }) ?? true,
           hasContextFiles(of: item, in: folder) {
            return .done(.resumed(manifestEntry(item, prepared: prepared, nodataFraction: fraction)))
        }
        return .encode(DecodedTile(buffer: buffer, nodataFraction: fraction, mask: try readers.readMask(item),
                                   context: try readContext(of: item, with: readers)))
    }

    func write(_ tile: DecodedTile, of item: PlannedWindow, prepared: TileJob.Prepared, folder: OutputFolder,
               options: TileOptions) throws -> TileOutcome {
        let level = Level(item.level)
        let levelWindow = level.window(fromBase: item.window)
        let tileTransform = geoTransform.map { level.geoTransform(of: $0).shifted(column: levelWindow.x, row: levelWindow.y) }
        var buffer = tile.buffer
        if options.layout == .yolo, options.yoloIgnore == .fill, let split = prepared.split, let objects {
            // YOLO cannot mark another split's object: its pixels become the fill value instead.
            let home = split.windowSplits[item.id]
            for object in objects.manifestObjects(in: item.window, level: level, isOwn: { split.objectSplits[$0] == home }).ignore {
                guard let b = object.bbox, b.count == 4 else { continue }
                let x0 = Int(b[0].rounded(.down)), y0 = Int(b[1].rounded(.down))
                let x1 = Int((b[0] + b[2]).rounded(.up)), y1 = Int((b[1] + b[3]).rounded(.up))
                buffer.fill(Window(x: x0, y: y0, width: x1 - x0, height: y1 - y0), with: nodata.fillValue)
            }
        }
        if let masks, let objects {
            // The mask first: a tile on disk then always has its mask (resume checks both).
            let home = prepared.split?.windowSplits[item.id]
            let mask = try masks.mask(of: item, read: tile.mask, objects: objects,
                                      isOwn: { index in prepared.split.map { $0.objectSplits[index] == home } ?? true })
            try masks.encoder.write(mask, geoTransform: tileTransform, to: folder.file(masks.relativePath(of: item)))
        }
        try writeWithContext(buffer, context: tile.context, of: item, geoTransform: tileTransform, folder: folder)
        return .written(manifestEntry(item, prepared: prepared, nodataFraction: tile.nodataFraction))
    }

    /// Where the tile of plan entry `w` goes, relative to the output folder.
    func relativePath(of w: PlannedWindow) -> String {
        "tiles/L\(w.level)/\(w.id).\(encoder.format.fileExtension)"
    }

    /// The manifest line of a tile.
    func manifestEntry(_ item: PlannedWindow, prepared: TileJob.Prepared, nodataFraction: Double) -> ManifestEntry {
        let level = Level(item.level)
        let levelWindow = level.window(fromBase: item.window)
        let levelSize = level.size(of: size)
        let padded = levelWindow.maxX > levelSize.width || levelWindow.maxY > levelSize.height
        var bounds: Bounds?
        var crs: String?
        if let gt = geoTransform {
            bounds = level.geoTransform(of: gt).shifted(column: levelWindow.x, row: levelWindow.y)
                .bounds(width: levelWindow.width, height: levelWindow.height)
            crs = spatialReference?.shortName
        }
        var entry = ManifestEntry(id: item.id, path: relativePath(of: item), mask: masks?.relativePath(of: item), level: item.level, window: ManifestWindow(item.window, volumetric: false),
                                  source: source, bounds: bounds, crs: crs, nodataFraction: (nodataFraction * 1e6).rounded() / 1e6,
                                  padded: padded ? true : nil,
                                  objects: objects.map { $0.manifestObjects(in: item.window, level: level) },
                                  reason: item.reason, target: item.targetID)
        entry.context = manifestContext(of: item)
        if let split = prepared.split {
            let home = split.windowSplits[item.id]
            entry.split = home
            if let objects {
                // Objects of another split are shown, never labelled: ignore regions.
                let (positives, ignore) = objects.manifestObjects(in: item.window, level: level, isOwn: { split.objectSplits[$0] == home })
                entry.objects = positives
                entry.ignore = ignore.isEmpty ? nil : ignore
            }
        }
        return entry
    }

    // MARK: Beside the manifest

    func arrange(_ entries: [ManifestEntry], prepared: TileJob.Prepared, folder: OutputFolder, options: TileOptions) throws -> [ManifestEntry] {
        guard options.layout != .folder else { return entries }
        var layout = TrainingLayout(layout: options.layout, classNames: objects?.labels.classNames ?? [])
        if let objects { layout.slivers = { objects.slivers(in: $0.window.window, level: Level($0.level)) } }
        if options.yoloSegments, let objects { layout.segments = { try objects.segments(in: $0.window.window, level: Level($0.level)) } }
        layout.samplesPerShard = options.samplesPerShard
        layout.removesPackedFiles = true
        return try layout.arrange(entries, in: folder)
    }

    func export(_ entries: [ManifestEntry], prepared: TileJob.Prepared, folder: OutputFolder, options: TileOptions) throws {
        if geoTransform != nil {
            try FootprintIndex.write(entries.compactMap { e in
                e.bounds.map { FootprintIndex.Footprint(id: e.id, path: e.path, level: e.level, bounds: $0, nodataFraction: e.nodataFraction) }
            }, spatialReference: spatialReference, to: folder.file("index.geojson"))
        }
        if let objects {
            try DetectionExports(objects: objects, formats: options.labels?.exports ?? [], yoloSegments: options.yoloSegments)
                .write(entries: entries, tileSize: window, scene: sceneGeometry, in: folder)
        }
    }

    func warn(_ summary: TileSummary, prepared: TileJob.Prepared, work: [PlannedWindow], options: TileOptions) {
        if let s = summary.sampling, s.negativesPlaced < s.negativesRequested {
            RunWarnings.add("\(source): \(s.negativesPlaced) of \(s.negativesRequested) negatives placed: only so many \(options.tileSize)-pixel windows lie on valid pixels clear of every object; ask for fewer (--negatives), use a smaller window, or raise --max-nodata")
        }
    }
}

/// The reader thread's open datasets: the scene, and each built level file once it is needed.
///
/// Not Sendable (GDAL handles): created and used on the reader thread only.
final class LevelReaders {
    let scene: SceneWindows
    let folder: OutputFolder
    let options: TileOptions
    private var dataset: Dataset?
    private var levelFiles: [Int: (dataset: Dataset, nodata: NodataDefinition)] = [:]
    private var labelRaster: LabelRasterWindows?

    init(scene: SceneWindows, folder: OutputFolder, options: TileOptions) {
        self.scene = scene
        self.folder = folder
        self.options = options
    }

    /// The pixels of a planned window at its level, and the share of them that is nodata.
    func read(_ item: PlannedWindow) throws -> (RasterBuffer, Double) {
        let level = Level(item.level)
        let fill = scene.nodata.fillValue
        let buffer: RasterBuffer
        let nodataPixels: Int
        switch scene.levelSources[item.level] ?? .scene {
        case .scene:
            if dataset == nil {
                // Decoding is about an eighth of the work (DEFLATE decodes far faster than it encodes):
                // one GDAL decode thread per four encoders keeps the reader ahead without holding
                // more blocks in flight than needed.
                dataset = try Dataset(opening: scene.source, overviews: options.useSourceOverviews ? .available : .ignored,
                                      decodeThreads: Swift.max(1, options.threads / 4))
            }
            buffer = try dataset!.read(item.window, level: level, bands: scene.bands, pixelType: scene.pixelType,
                                       resampling: options.resampling, fill: fill)
            nodataPixels = try scene.nodata.nodataCount(in: buffer, window: item.window, level: level, dataset: dataset!)
        case .built(let relative):
            if levelFiles[item.level] == nil {
                let file = try Dataset(opening: folder.file(relative), overviews: .ignored)
                let bands = Array(1...file.bandCount)
                levelFiles[item.level] = (file, try NodataDefinition(dataset: file, bands: bands, override: options.nodata))
            }
            let (file, nodata) = levelFiles[item.level]!
            let window = level.window(fromBase: item.window)
            buffer = try file.read(window, bands: Array(1...file.bandCount), pixelType: scene.pixelType, fill: fill)
            nodataPixels = try nodata.nodataCount(in: buffer, window: window, level: .base, dataset: file)
        }
        return (buffer, Double(nodataPixels) / Double(buffer.size.pixelCount))
    }
}

/// A decoded tile on its way from the reader to an encoder.
struct DecodedTile: Sendable {
    let buffer: RasterBuffer
    let nodataFraction: Double
    /// The label raster's pixels of the window, when mask tiles are cut from one.
    var mask: RasterBuffer? = nil
    /// Its context tiles, finest first (`--context-levels`).
    var context: [RasterBuffer] = []
}

extension LevelReaders {
    /// The label raster's pixels of a planned window at its level, when mask tiles are cut
    /// from a label raster; nil otherwise (vector masks are rasterised by the encoders).
    func readMask(_ item: PlannedWindow) throws -> RasterBuffer? {
        guard let masks = scene.masks, case .raster(let path) = masks.source else { return nil }
        if labelRaster == nil { labelRaster = try LabelRasterWindows(path: path) }
        return try labelRaster!.read(item.window, level: Level(item.level))
    }
}
