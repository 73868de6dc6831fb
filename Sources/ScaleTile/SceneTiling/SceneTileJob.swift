import Foundation
import Synchronization
import ScaleTileCore
import ScaleTileGDAL

/// `scaletile tile SCENE`: grid tiling of a GDAL raster with overlap, over one or more levels.
///
/// Data flow: validate the inputs (nothing is written before this succeeds) → plan the
/// windows from metadata alone → one reader thread decodes windows in panel order through
/// GDAL's bounded block cache and hands pixel buffers to `threads` encoder threads over a
/// bounded queue → each encoder writes its tile atomically → the manifest, summary and
/// footprint index are written in plan order, so output is identical for any thread count.
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
        /// The whole plan; ``shardRange`` is the part this process writes.
        public let plan: [PlannedWindow]
        /// Settable inside the module: a preset run over several scenes slices their plans
        /// together, so one scene's part is not always `options.shard`'s slice of its own plan.
        public internal(set) var shardRange: Range<Int>
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
        let rescale = try stretch(for: selected, pixelType: pixelType)
        let geoTransform = dataset.geoTransform
        let srs = dataset.spatialReference
        let encoder = try attributing(to: source) {
            try SceneTileEncoder(
                format: options.format, pixelType: pixelType, userOptions: options.creationOptions,
                spatialReference: srs, nodata: nodata.outputValues, colorInterpretations: selected.map(\.colorInterpretation),
                rescale: rescale)
        }
        let size = dataset.size
        let levels: [Level]
        switch options.levels {
        case .explicit(let numbers): levels = numbers.map { Level($0) }
        case .auto: levels = LevelSelection.pyramidLevels(for: size, tileSize: options.tileSize).map { Level($0) }
        }
        let stem = FileNames.stem(of: source)
        let plan = try GridPlanner.plan(
            rasterSize: size, tile: RasterSize(width: options.tileSize, height: options.tileSize),
            overlap: RasterSize(width: options.overlap, height: options.overlap, depth: 0),
            edge: options.edge, levels: levels, stem: stem)
        let block = selected[0].blockSize
        // Pixel-interleaved blocks carry every band of the file, selected or not.
        let allBandsBytes = dataset.bands.reduce(0) { $0 + ($1.pixelType?.byteSize ?? 8) }
        return Prepared(sceneSize: size, bands: bandNumbers, pixelType: pixelType, geoTransform: geoTransform,
                        spatialReference: srs, nodata: nodata, encoder: encoder, levels: levels, plan: plan,
                        shardRange: options.shard.range(ofPlanCount: plan.count),
                        blockSize: RasterSize(width: block.width, height: block.height),
                        bytesPerPixelAllBands: allBandsBytes, stem: stem)
    }

    private func stretch(for bands: [RasterBand], pixelType: PixelType) throws -> [ClosedRange<Double>]? {
        if let rescale = options.rescale { return bands.map { _ in rescale } }
        guard let p = options.stretchPercentiles else { return nil }
        return try bands.map { band in
            let values = try band.approximatePercentiles([p.low, p.high])
            return values[0]...Swift.max(values[1], values[0] + 1)
        }
    }

    /// Runs the job: writes this shard's tiles, then the manifest, summary and footprint index.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> SceneTileSummary {
        let prepared = try prepare()
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        return try execute(prepared, in: folder, progress: progress)
    }

    func execute(_ prepared: Prepared, in folder: OutputFolder, progress: (any ProgressObserver)?) throws -> SceneTileSummary {
        let work = Array(prepared.plan[prepared.shardRange])
        for level in Set(work.map(\.level)) { try folder.makeFolder("tiles/L\(level)") }

        // Panels sized to the block cache at the coarsest level read from full resolution.
        if ProcessInfo.processInfo.environment["GDAL_CACHEMAX"] == nil {
            GDALRuntime.blockCacheBytes = options.blockCacheBytes
        }
        let cacheBytes = GDALRuntime.blockCacheBytes
        let maxSpan = work.map { $0.window.width }.max() ?? options.tileSize
        let panelWidth = ReadOrder.panelWidth(
            cacheBytes: cacheBytes,
            windowSpan: RasterSize(width: maxSpan, height: maxSpan),
            blockSize: prepared.blockSize, bytesPerPixel: prepared.bytesPerPixelAllBands)
        let order = ReadOrder.panels(work.map(\.window), panelWidth: panelWidth)

        let results = Mutex([TileOutcome?](repeating: nil, count: work.count))
        let done = Atomic<Int>(0)
        // One decoded tile waiting per encoder keeps them busy; more would only hold memory.
        let queue = BoundedQueue<DecodedTile>(capacity: options.threads + 1)
        let source = self.source
        let options = self.options

        try WorkerThreads.run(count: options.threads + 1) { worker, failure in
            if worker == 0 {
                defer { queue.close() }
                let dataset = try Dataset(opening: source, overviews: options.useSourceOverviews ? .available : .ignored,
                                          decodeThreads: options.threads)
                for position in order where !failure.hasFailed {
                    let item = work[position]
                    let level = Level(item.level)
                    let buffer = try dataset.read(item.window, level: level, bands: prepared.bands, pixelType: prepared.pixelType,
                                                  resampling: options.resampling, fill: prepared.nodata.fillValue)
                    let nodataPixels = try prepared.nodata.nodataCount(in: buffer, window: item.window, level: level, dataset: dataset)
                    let fraction = Double(nodataPixels) / Double(buffer.size.pixelCount)
                    let relative = prepared.relativePath(of: item)
                    if let limit = options.maxNodataFraction, fraction > limit {
                        results.withLock { $0[position] = .skipped(nodataFraction: fraction) }
                        progress?.advance(to: done.add(1, ordering: .relaxed).newValue, of: work.count)
                    } else if options.existingOutput == .resume, folder.hasFile(relative) {
                        let entry = manifestEntry(item, prepared: prepared, relative: relative, nodataFraction: fraction)
                        results.withLock { $0[position] = .resumed(entry) }
                        progress?.advance(to: done.add(1, ordering: .relaxed).newValue, of: work.count)
                    } else {
                        queue.push(DecodedTile(position: position, buffer: buffer, nodataFraction: fraction))
                    }
                }
            } else {
                // Encoders drain the queue even after a failure so the reader never blocks forever.
                while let tile = queue.pop() {
                    guard !failure.hasFailed else { continue }
                    let item = work[tile.position]
                    let relative = prepared.relativePath(of: item)
                    let tileTransform = prepared.geoTransform.map { gt in
                        let level = Level(item.level)
                        return gt.scaled(by: level.factor).shifted(column: item.window.x / level.factor, row: item.window.y / level.factor)
                    }
                    do {
                        try prepared.encoder.write(tile.buffer, geoTransform: tileTransform, to: folder.file(relative))
                    } catch {
                        failure.record(error)
                        continue
                    }
                    let entry = manifestEntry(item, prepared: prepared, relative: relative, nodataFraction: tile.nodataFraction)
                    results.withLock { $0[tile.position] = .written(entry) }
                    progress?.advance(to: done.add(1, ordering: .relaxed).newValue, of: work.count)
                }
            }
        }

        let outcomes = results.withLock { $0 }.map { $0! }
        let entries = outcomes.compactMap(\.entry)
        try folder.writeManifest(entries)
        if prepared.geoTransform != nil {
            try FootprintIndex.write(entries.compactMap { e in
                e.bounds.map { FootprintIndex.Footprint(id: e.id, path: e.path, level: e.level, bounds: $0, nodataFraction: e.nodataFraction) }
            }, spatialReference: prepared.spatialReference, to: folder.file("index.geojson"))
        }
        let summary = SceneTileSummary(job: self, prepared: prepared, work: work, outcomes: outcomes)
        try folder.writeDocument(summary, to: "summary.json")
        return summary
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
            bounds = gt.scaled(by: level.factor).shifted(column: levelWindow.x, row: levelWindow.y)
                .bounds(width: levelWindow.width, height: levelWindow.height)
            crs = prepared.spatialReference?.shortName
        }
        return ManifestEntry(id: item.id, path: relative, level: item.level, window: ManifestWindow(item.window, volumetric: false),
                             source: source, bounds: bounds, crs: crs, nodataFraction: (nodataFraction * 1e6).rounded() / 1e6,
                             padded: padded ? true : nil, reason: item.reason)
    }
}

/// A decoded window on its way from the reader to an encoder.
struct DecodedTile: Sendable {
    let position: Int
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
