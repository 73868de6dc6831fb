import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// `scaletile pyramid SCENE --out DIR`: the scene's multiscale pyramid, one GeoTIFF per level.
///
/// Level ℓ (ℓ ≥ 1) is written to `levels/<stem>_L<ℓ>.tif`: a grid of ceil(W/2^ℓ) × ceil(H/2^ℓ)
/// pixels with the scene's origin and a pixel 2^ℓ times larger, each pixel resampled by GDAL
/// from exactly its 2^ℓ × 2^ℓ block of full-resolution pixels (nodata left out). Level 0 is the
/// scene itself and is not copied.
public struct PyramidJob: Sendable {
    public struct Options: Sendable {
        /// Levels to build (`auto`: until a level fits in one tile of `tileSize`).
        public var levels: LevelSelection = .auto
        /// Tile size that `auto` aims for.
        public var tileSize = 512
        /// Resampling of image levels (label rasters want `nearest` or `mode`).
        public var resampling: Resampling = .average
        /// GDAL creation options over the defaults (DEFLATE, predictor, 256-px blocks).
        public var creationOptions: [String: String] = [:]
        public var existingOutput: OutputFolder.ExistingOutput = .refuse
        /// The budget the strips and level blocks in flight are checked against before the
        /// build starts (`--max-memory`; preset `limits.maxMemory`).
        public var maxMemory = MemoryBudget.systemDefault
        public init() {}
    }

    public let source: String
    public let output: String
    public let options: Options

    public init(source: String, output: String, options: Options) {
        self.source = source
        self.output = output
        self.options = options
    }

    /// Builds the levels and writes `manifest.jsonl` (one line per level file) and `summary.json`.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> PyramidSummary {
        guard options.tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(options.tileSize)") }
        let dataset = try Dataset(opening: source)
        try dataset.verifyBlocksPresent()
        let size = dataset.size
        let levelNumbers: [Int]
        switch options.levels {
        case .auto: levelNumbers = LevelSelection.pyramidLevels(for: size, tileSize: options.tileSize)
        case .explicit(let numbers): levelNumbers = numbers
        }
        let built = levelNumbers.filter { $0 > 0 }
        guard !built.isEmpty else {
            throw ScaleTileError.argument("--levels", "a pyramid needs a level above 0 (level 0 is the scene itself)")
        }
        let bands = Array(1...dataset.bandCount)
        let selected = try bands.map { try dataset.band($0) }
        guard let pixelType = selected[0].pixelType else {
            throw ScaleTileError(.unsupported, source, "band 1 is \(selected[0].dataTypeName), which ScaleTile does not resample")
        }
        let nodata = try NodataDefinition(dataset: dataset, bands: bands)
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        try folder.makeFolder("levels")
        let stem = FileNames.stem(of: source)
        let targets = built.map { PyramidBuilder.Target(level: Level($0), path: folder.file(Self.relativePath(stem: stem, level: $0))) }
            .filter { !(options.existingOutput == .resume && FileManager.default.fileExists(atPath: $0.path)) }
        let builder = PyramidBuilder(
            source: source, bands: bands, pixelType: pixelType, nodata: nodata, resampling: options.resampling,
            targets: targets, geoTransform: dataset.geoTransform, spatialReference: dataset.spatialReference,
            colorInterpretations: selected.map(\.colorInterpretation), creationOptions: options.creationOptions,
            maxMemory: options.maxMemory)
        // A signal stops the build between strips: levels not finished are dropped, and
        // `--resume` builds them (finished level files are kept).
        try Interruption.resumable { try builder.build(progress: progress) }
        if let signal = Interruption.requestedSignal {
            let finished = built.filter { FileManager.default.fileExists(atPath: folder.file(Self.relativePath(stem: stem, level: $0))) }
            throw Interrupted(signal: signal, completed: finished.count, total: built.count, noun: "levels")
        }

        let gt = dataset.geoTransform
        let entries = built.map { number -> ManifestEntry in
            ManifestEntry(
                id: "\(stem)_L\(number)", path: Self.relativePath(stem: stem, level: number), level: number,
                window: ManifestWindow(Window(size: size), volumetric: false), source: source,
                bounds: gt?.bounds(width: size.width, height: size.height),
                crs: dataset.spatialReference?.shortName, reason: .grid)
        }
        try folder.writeManifest(entries)
        let summary = PyramidSummary(
            source: source, sceneSize: [size.width, size.height], resampling: options.resampling.rawValue,
            levels: ([0] + built).map { number in
                let level = Level(number)
                let s = level.size(of: size)
                return PyramidSummary.LevelFile(
                    level: number, scale: level.scale, size: [s.width, s.height],
                    pixelSize: gt.map { [$0.pixelWidth * Double(level.factor), $0.pixelHeight * Double(level.factor)] },
                    path: number == 0 ? source : Self.relativePath(stem: stem, level: number),
                    fromSourceFile: number == 0)
            })
        try folder.writeDocument(summary, to: "summary.json")
        return summary
    }

    /// `levels/<stem>_L<ℓ>.tif`.
    static func relativePath(stem: String, level: Int) -> String { "levels/\(stem)_L\(level).tif" }
}

/// `summary.json` of a pyramid run.
public struct PyramidSummary: Hashable, Sendable, Codable {
    public var command = "pyramid"
    public var source: String
    public var sceneSize: [Int]
    public var resampling: String
    public var levels: [LevelFile]

    public struct LevelFile: Hashable, Sendable, Codable {
        public var level: Int
        public var scale: Double
        /// `[width, height]` of the level grid.
        public var size: [Int]
        /// `[x, y]` pixel size in CRS units, when the scene is georeferenced.
        public var pixelSize: [Double]?
        /// The file: relative to the output folder, or the source for level 0.
        public var path: String
        /// Level 0 is the source file itself.
        public var fromSourceFile: Bool
    }
}
