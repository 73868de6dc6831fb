import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// `scaletile tile SCENE`: grid tiling of a GDAL raster with overlap, over one or more levels.
///
/// Data flow: validate the inputs (nothing is written before this succeeds) → plan the
/// windows from metadata alone → make sure every level has a source (the scene itself, its
/// own exact-factor overviews, or level files built once by ``PyramidBuilder``) → one reader
/// thread decodes windows, level by level in panel order through GDAL's bounded block cache,
/// and hands pixel buffers to `threads` encoder threads over a bounded queue → each encoder
/// writes its tile atomically → the manifest, summary and footprint index are written in
/// plan order, so output is identical for any thread count.
public struct SceneTileJob: Sendable {
    /// The scene, as given.
    public let source: String
    /// The output folder.
    public let output: String
    public let options: SceneTileOptions

    public init(source: String, output: String, options: SceneTileOptions) {
        self.source = source
        self.output = output
        self.options = options
    }

    /// Where the pixels of one level are read from.
    public enum LevelSource: Hashable, Sendable {
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

    /// The validated inputs and the plan: everything decided before a pixel is read.
    public struct Prepared: Sendable {
        public let sceneSize: RasterSize
        public let bands: [Int]
        public let pixelType: PixelType
        public let geoTransform: GeoTransform?
        public let spatialReference: SpatialReference?
        public let nodata: NodataDefinition
        public let encoder: SceneTileEncoder
        public let levels: [Level]
        /// Where each level's pixels come from.
        public let levelSources: [Int: LevelSource]
        /// The whole plan; ``shardRange`` is the part this process writes.
        public let plan: [PlannedWindow]
        /// Settable inside the module: a preset run over several scenes slices their plans
        /// together, so one scene's part is not always `options.shard`'s slice of its own plan.
        public internal(set) var shardRange: Range<Int>
        /// The overlap the grid used (level pixels), after `--overlap auto`.
        public let overlap: Int
        /// The labelled objects, when labels were given.
        public let objects: SceneObjects?
        /// Warnings from reading the labels (dropped boxes, objects outside the scene).
        public let labelWarnings: [String]
        /// What `--overlap auto` and `--levels auto` decided from the labels.
        public let scaleChoices: ScaleChoices
        /// The sampler's plan and shortfalls, for sampling runs.
        public let sampling: SamplingPlan?
        /// The windows' splits (`--split`), and what making them leak-free dropped.
        public let split: SplitPlan?
        /// YOLO layouts with `--yolo-ignore drop`: windows dropped for holding an ignore region.
        public let droppedForIgnore: Int
        let sceneGeometry: SceneGeometry
        let colorInterpretations: [String]
        /// Block size of the first selected band (drives the read order).
        let blockSize: RasterSize
        let bytesPerPixelAllBands: Int
        let stem: String

        /// Where the tile of plan entry `w` goes, relative to the output folder.
        public func relativePath(of w: PlannedWindow) -> String {
            "tiles/L\(w.level)/\(w.id).\(encoder.format.fileExtension)"
        }
    }

    /// Opens and checks the inputs and computes the plan; writes nothing.
    public func prepare() throws -> Prepared {
        try options.validate()
        let dataset = try Dataset(opening: source)
        try dataset.verifyBlocksPresent()
        let bandNumbers = options.bands ?? Array(1...dataset.bandCount)
        let selected = try bandNumbers.map { try dataset.band($0) }
        guard let pixelType = selected[0].pixelType else {
            throw ScaleTileError(.unsupported, source, "band \(bandNumbers[0]) is \(selected[0].dataTypeName), which ScaleTile does not tile")
        }
        let nodata = try NodataDefinition(dataset: dataset, bands: bandNumbers, override: options.nodata)
        let rescale = try stretch(for: selected, pixelType: pixelType, nodata: nodata, dataset: dataset)
        let geoTransform = dataset.geoTransform
        let srs = dataset.spatialReference
        let encoder = try attributing(to: source) {
            try SceneTileEncoder(
                format: options.format, pixelType: pixelType, userOptions: options.creationOptions,
                spatialReference: srs, nodata: nodata.outputValues, colorInterpretations: selected.map(\.colorInterpretation),
                rescale: rescale)
        }
        let size = dataset.size
        let stem = FileNames.stem(of: source)
        let geometry = SceneGeometry(dataset)
        var objects: SceneObjects?
        var warnings: [String] = []
        if let labelOptions = options.labels {
            let set = try LabelSet.load(path: labelOptions.path, scene: geometry, options: labelOptions.read)
            warnings = set.warnings.map(\.description)
            objects = SceneObjects(labels: set, minVisibleFraction: labelOptions.minVisibleFraction, tileSize: options.tileSize)
        }
        let planning = SceneTilePlanning(options: options, sceneSize: size, stem: stem, objects: objects)
        let (gridLevels, levelRecommendation) = planning.levels()
        let (overlap, overlapRecommendation) = planning.overlap(levels: gridLevels)
        guard overlap < options.tileSize else {
            throw ScaleTileError.argument("--overlap", "\(overlap) must be smaller than the tile size \(options.tileSize)")
        }
        var levelSources: [Int: LevelSource] = [:]
        for level in gridLevels {
            let exactOverview = options.useSourceOverviews
                && selected.allSatisfy { $0.exactOverviewIndex(for: level) != nil }
            levelSources[level.index] = level.index == 0 || exactOverview ? .scene : .built(PyramidJob.relativePath(stem: stem, level: level.index))
        }
        var (plan, sampling) = try planning.windows(levels: gridLevels, overlap: overlap) {
            try ValidityGrid(dataset: dataset, bands: bandNumbers, nodata: nodata)
        }
        var split: SplitPlan?
        var droppedForIgnore = 0
        if let request = options.split {
            let coarsest = gridLevels.map(\.index).max() ?? 0
            let made = SplitPlan(windows: plan, objects: objects?.targets ?? [], sourceSize: size, shares: request.shares,
                                 blockSize: request.blockSize ?? SplitBlockGrid.defaultSize(tileSize: options.tileSize, overlap: overlap, coarsestLevel: coarsest),
                                 seed: options.seed, shift: true)
            plan = made.windows
            if options.layout == .yolo, options.yoloIgnore == .drop, let objects {
                // YOLO labels cannot say "ignore": a window showing another split's object is not written.
                plan = plan.filter { w in
                    let home = made.windowSplits[w.id]
                    return objects.manifestObjects(in: w.window, level: Level(w.level), isOwn: { made.objectSplits[$0] == home }).ignore.isEmpty
                }
                droppedForIgnore = made.windows.count - plan.count
            }
            for name in request.shares.names where !plan.contains(where: { made.windowSplits[$0.id] == name }) {
                throw ScaleTileError(.invalidInput, source, "the \(name.rawValue) split is left with no window (\(plan.count) windows in blocks of \(made.blocks.size) px): give a smaller --split-block or a larger share")
            }
            split = made
        }
        // Zoom-in windows bring their magnified levels (read from the scene, resampled up).
        let magnified = Set(plan.map(\.level).filter { $0 < 0 }).sorted().map { Level($0) }
        for level in magnified { levelSources[level.index] = .scene }
        let levels = magnified + gridLevels
        // Buffers in flight: one per encoder, the queue's spare and the reader's, each possibly
        // converted once more by the encoder.
        try options.maxMemory.check(
            [options.threads + 2, 2, options.tileSize, options.tileSize, bandNumbers.count, pixelType.byteSize],
            figure: "\(options.threads + 2) buffers (and their encoded copies) of \(options.tileSize)x\(options.tileSize) pixels x \(bandNumbers.count) \(pixelType.rawValue) bands",
            path: "--tile-size")
        let block = selected[0].blockSize
        // Pixel-interleaved blocks carry every band of the file, selected or not.
        let allBandsBytes = dataset.bands.reduce(0) { $0 + ($1.pixelType?.byteSize ?? 8) }
        return Prepared(sceneSize: size, bands: bandNumbers, pixelType: pixelType, geoTransform: geoTransform,
                        spatialReference: srs, nodata: nodata, encoder: encoder, levels: levels, levelSources: levelSources,
                        plan: plan, shardRange: options.shard.range(ofPlanCount: plan.count), overlap: overlap,
                        objects: objects, labelWarnings: warnings,
                        scaleChoices: ScaleChoices(overlap: overlapRecommendation, levels: levelRecommendation),
                        sampling: sampling, split: split, droppedForIgnore: droppedForIgnore, sceneGeometry: geometry,
                        colorInterpretations: selected.map(\.colorInterpretation),
                        blockSize: RasterSize(width: block.width, height: block.height),
                        bytesPerPixelAllBands: allBandsBytes, stem: stem)
    }

    private func stretch(for bands: [RasterBand], pixelType: PixelType, nodata: NodataDefinition,
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

    /// Runs the job: builds missing levels, writes this shard's tiles, then the manifest, summary and footprint index.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> TileSummary {
        let prepared = try prepare()
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        return try write(prepared, into: folder, progress: progress)
    }

    /// Writes a prepared plan's shard into a prepared folder: the levels it needs, then its tiles.
    func write(_ prepared: Prepared, into folder: OutputFolder, progress: (any ProgressObserver)?) throws -> TileSummary {
        try buildLevels(prepared, in: folder)
        return try execute(prepared, in: folder, progress: progress)
    }

    /// Builds, in one streaming pass, the level files this shard reads and that are not there yet.
    func buildLevels(_ prepared: Prepared, in folder: OutputFolder) throws {
        let needed = Set(prepared.plan[prepared.shardRange].map(\.level))
        let targets = prepared.levels.compactMap { level -> PyramidBuilder.Target? in
            guard needed.contains(level.index), case .built(let relative) = prepared.levelSources[level.index],
                  !folder.hasFile(relative) else { return nil }
            return PyramidBuilder.Target(level: level, path: folder.file(relative))
        }
        guard !targets.isEmpty else { return }
        try folder.makeFolder("levels")
        let builder = PyramidBuilder(
            source: source, bands: prepared.bands, pixelType: prepared.pixelType, nodata: prepared.nodata,
            resampling: options.resampling, targets: targets, geoTransform: prepared.geoTransform,
            spatialReference: prepared.spatialReference, colorInterpretations: prepared.colorInterpretations,
            creationOptions: [:])
        try builder.build()
    }

    func execute(_ prepared: Prepared, in folder: OutputFolder, progress: (any ProgressObserver)?) throws -> TileSummary {
        let work = Array(prepared.plan[prepared.shardRange])
        for level in Set(work.map(\.level)) { try folder.makeFolder("tiles/L\(level)") }
        if ProcessInfo.processInfo.environment["GDAL_CACHEMAX"] == nil {
            GDALRuntime.blockCacheBytes = options.blockCacheBytes
        }
        let order = readOrder(work, prepared: prepared, cacheBytes: GDALRuntime.blockCacheBytes)

        let source = self.source
        let options = self.options
        let outcomes: [TileOutcome] = try ReadEncodePipeline.run(
            itemCount: work.count, readOrder: order, encoders: options.threads, progress: progress,
            openReader: { LevelReaders(source: source, folder: folder, prepared: prepared, options: options) },
            read: { (readers: LevelReaders, position: Int) -> ReadEncodePipeline.Step<DecodedTile, TileOutcome> in
                let item = work[position]
                let (buffer, fraction) = try readers.read(item)
                let relative = prepared.relativePath(of: item)
                if let limit = options.maxNodataFraction, fraction > limit {
                    return .done(.skipped(nodataFraction: fraction))
                }
                if options.existingOutput == .resume, folder.hasFile(relative) {
                    return .done(.resumed(manifestEntry(item, prepared: prepared, relative: relative, nodataFraction: fraction)))
                }
                return .encode(DecodedTile(buffer: buffer, nodataFraction: fraction))
            },
            encode: { (position: Int, tile: DecodedTile) -> TileOutcome in
                let item = work[position]
                let relative = prepared.relativePath(of: item)
                let level = Level(item.level)
                let levelWindow = level.window(fromBase: item.window)
                let tileTransform = prepared.geoTransform.map {
                    level.geoTransform(of: $0).shifted(column: levelWindow.x, row: levelWindow.y)
                }
                var buffer = tile.buffer
                if options.layout == .yolo, options.yoloIgnore == .fill, let split = prepared.split, let objects = prepared.objects {
                    // YOLO cannot mark another split's object: its pixels become the fill value instead.
                    let home = split.windowSplits[item.id]
                    for object in objects.manifestObjects(in: item.window, level: level, isOwn: { split.objectSplits[$0] == home }).ignore {
                        guard let b = object.bbox, b.count == 4 else { continue }
                        let x0 = Int(b[0].rounded(.down)), y0 = Int(b[1].rounded(.down))
                        let x1 = Int((b[0] + b[2]).rounded(.up)), y1 = Int((b[1] + b[3]).rounded(.up))
                        buffer.fill(Window(x: x0, y: y0, width: x1 - x0, height: y1 - y0), with: prepared.nodata.fillValue)
                    }
                }
                try prepared.encoder.write(buffer, geoTransform: tileTransform, to: folder.file(relative))
                return .written(manifestEntry(item, prepared: prepared, relative: relative, nodataFraction: tile.nodataFraction))
            })
        var entries = outcomes.compactMap(\.entry)
        if options.layout != .folder {
            let objects = prepared.objects
            var layout = TrainingLayout(layout: options.layout, classNames: objects?.labels.classNames ?? [])
            if let objects { layout.slivers = { objects.slivers(in: $0.window.window, level: Level($0.level)) } }
            layout.samplesPerShard = options.samplesPerShard
            layout.removesPackedFiles = true
            entries = try layout.arrange(entries, in: folder)
        }
        try folder.writeManifest(entries)
        if prepared.geoTransform != nil {
            try FootprintIndex.write(entries.compactMap { e in
                e.bounds.map { FootprintIndex.Footprint(id: e.id, path: e.path, level: e.level, bounds: $0, nodataFraction: e.nodataFraction) }
            }, spatialReference: prepared.spatialReference, to: folder.file("index.geojson"))
        }
        if let objects = prepared.objects {
            try DetectionExports(objects: objects, formats: options.labels?.exports ?? [])
                .write(entries: entries, tileSize: RasterSize(width: options.tileSize, height: options.tileSize),
                       scene: prepared.sceneGeometry, in: folder)
        }
        let summary = TileSummary(job: self, prepared: prepared, work: work, outcomes: outcomes)
        try folder.writeDocument(summary, to: "summary.json")
        if let s = summary.sampling, s.negativesPlaced < s.negativesRequested {
            // A shortfall said once, with what to change.
            RunWarnings.add("\(source): \(s.negativesPlaced) of \(s.negativesRequested) negatives placed: only so many \(options.tileSize)-pixel windows lie on valid pixels clear of every object; ask for fewer (--negatives), use a smaller window, or raise --max-nodata")
        }
        return summary
    }

    /// Level by level; within a level, panels sized so the blocks of that level's source that
    /// the reader needs fit the cache (see ``ReadOrder``).
    func readOrder(_ work: [PlannedWindow], prepared: Prepared, cacheBytes: Int) -> [Int] {
        var order: [Int] = []
        for level in prepared.levels {
            let positions = work.indices.filter { work[$0].level == level.index }
            guard !positions.isEmpty else { continue }
            // Magnified windows are few and read from full resolution: order them by their level-0 place.
            let windows = positions.map { level.isMagnified ? work[$0].window : level.window(fromBase: work[$0].window) }
            let (block, bytesPerPixel): (RasterSize, Int) = {
                if case .built = prepared.levelSources[level.index] {
                    return (RasterSize(width: 256, height: 256), prepared.bands.count * prepared.pixelType.byteSize)
                }
                return (prepared.blockSize, prepared.bytesPerPixelAllBands)
            }()
            let panel = ReadOrder.panelWidth(cacheBytes: cacheBytes, windowSpan: RasterSize(width: options.tileSize, height: options.tileSize),
                                             blockSize: block, bytesPerPixel: bytesPerPixel)
            order += ReadOrder.panels(windows, panelWidth: panel).map { positions[$0] }
        }
        return order
    }

    /// The manifest line of a tile.
    func manifestEntry(_ item: PlannedWindow, prepared: Prepared, relative: String, nodataFraction: Double) -> ManifestEntry {
        let level = Level(item.level)
        let levelWindow = level.window(fromBase: item.window)
        let levelSize = level.size(of: prepared.sceneSize)
        let padded = levelWindow.maxX > levelSize.width || levelWindow.maxY > levelSize.height
        var bounds: Bounds?
        var crs: String?
        if let gt = prepared.geoTransform {
            bounds = level.geoTransform(of: gt).shifted(column: levelWindow.x, row: levelWindow.y)
                .bounds(width: levelWindow.width, height: levelWindow.height)
            crs = prepared.spatialReference?.shortName
        }
        var entry = ManifestEntry(id: item.id, path: relative, level: item.level, window: ManifestWindow(item.window, volumetric: false),
                                  source: source, bounds: bounds, crs: crs, nodataFraction: (nodataFraction * 1e6).rounded() / 1e6,
                                  padded: padded ? true : nil,
                                  objects: prepared.objects.map { $0.manifestObjects(in: item.window, level: level) },
                                  reason: item.reason, target: item.targetID)
        if let split = prepared.split {
            let home = split.windowSplits[item.id]
            entry.split = home
            if let objects = prepared.objects {
                // Objects of another split are shown, never labelled: ignore regions.
                let (positives, ignore) = objects.manifestObjects(in: item.window, level: level, isOwn: { split.objectSplits[$0] == home })
                entry.objects = positives
                entry.ignore = ignore.isEmpty ? nil : ignore
            }
        }
        return entry
    }
}

/// The reader thread's open datasets: the scene, and each built level file once it is needed.
///
/// Not Sendable (GDAL handles): created and used on the reader thread only.
final class LevelReaders {
    let source: String
    let folder: OutputFolder
    let prepared: SceneTileJob.Prepared
    let options: SceneTileOptions
    private var scene: Dataset?
    private var levelFiles: [Int: (dataset: Dataset, nodata: NodataDefinition)] = [:]

    init(source: String, folder: OutputFolder, prepared: SceneTileJob.Prepared, options: SceneTileOptions) {
        self.source = source
        self.folder = folder
        self.prepared = prepared
        self.options = options
    }

    /// The pixels of a planned window at its level, and the share of them that is nodata.
    func read(_ item: PlannedWindow) throws -> (RasterBuffer, Double) {
        let level = Level(item.level)
        let fill = prepared.nodata.fillValue
        let buffer: RasterBuffer
        let nodataPixels: Int
        switch prepared.levelSources[item.level] ?? .scene {
        case .scene:
            if scene == nil {
                // Decoding is about an eighth of the work (DEFLATE decodes far faster than it encodes):
                // one GDAL decode thread per four encoders keeps the reader ahead without holding
                // more blocks in flight than needed.
                scene = try Dataset(opening: source, overviews: options.useSourceOverviews ? .available : .ignored,
                                    decodeThreads: Swift.max(1, options.threads / 4))
            }
            buffer = try scene!.read(item.window, level: level, bands: prepared.bands, pixelType: prepared.pixelType,
                                     resampling: options.resampling, fill: fill)
            nodataPixels = try prepared.nodata.nodataCount(in: buffer, window: item.window, level: level, dataset: scene!)
        case .built(let relative):
            if levelFiles[item.level] == nil {
                let dataset = try Dataset(opening: folder.file(relative), overviews: .ignored)
                let bands = Array(1...dataset.bandCount)
                levelFiles[item.level] = (dataset, try NodataDefinition(dataset: dataset, bands: bands, override: options.nodata))
            }
            let (dataset, nodata) = levelFiles[item.level]!
            let window = level.window(fromBase: item.window)
            buffer = try dataset.read(window, bands: Array(1...dataset.bandCount), pixelType: prepared.pixelType, fill: fill)
            nodataPixels = try nodata.nodataCount(in: buffer, window: window, level: .base, dataset: dataset)
        }
        return (buffer, Double(nodataPixels) / Double(buffer.size.pixelCount))
    }
}

/// A decoded window on its way from the reader to an encoder.
struct DecodedTile: Sendable {
    let buffer: RasterBuffer
    let nodataFraction: Double
}

/// What became of one planned tile.
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
}
