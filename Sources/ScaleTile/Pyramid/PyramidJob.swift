import Foundation
import ScaleTileCore
import ScaleTileMedical

/// `scaletile pyramid SOURCE --out DIR`: the exact multiscale pyramid of any source, each
/// level-ℓ pixel (voxel) the summary of exactly its 2^ℓ block of level-0 pixels, clipped to the
/// source, nodata left out (DESIGN.md §3). Level 0 is the source itself and is not copied.
///
/// One job for every kind of source; what a kind needs is its builder:
/// - scenes (``buildScene(progress:)``): one GeoTIFF per level, `levels/<stem>_L<ℓ>.tif`, with
///   the scene's origin and a pixel 2^ℓ times larger, resampled by GDAL in one streaming pass
///   (``PyramidBuilder``);
/// - stacks and volumes (``buildVolume(progress:)``): X and Y halved ℓ times (and Z with
///   `scaleDepth`), averages for images and nearest or mode for masks (``StackLevelVoxels``),
///   the spacing scaled per level; TIFF stacks as one OME-TIFF with SubIFD levels or one
///   OME-TIFF per level (``Layout``), NIfTI and NRRD volumes as one `.nii.gz` per level with
///   the level's affine.
///
/// Both write `manifest.jsonl` (one line per level) and the one ``PyramidSummary``.
public struct PyramidJob: Sendable {
    /// How a stack's levels are stored.
    public enum Layout: String, Hashable, Sendable, Codable, CaseIterable {
        /// One OME-TIFF holding every level, each plane's levels as its SubIFDs.
        case subIFD = "subifd"
        /// One OME-TIFF stack per level.
        case files
    }

    public struct Options: Sendable {
        /// Levels to build (`auto`, spelled `fit` on the command line: until a level fits in
        /// one tile of `tileSize`).
        public var levels: LevelSelection = .auto
        /// The tile size `auto` aims for.
        public var tileSize = 512
        /// Resampling of image levels (label rasters and masks want `nearest` or `mode`).
        public var resampling: Resampling = .average
        /// Scenes: GDAL creation options over the defaults (DEFLATE, predictor, 256-px blocks).
        public var creationOptions: [String: String] = [:]
        /// Stacks: whether levels downsample Z too.
        public var scaleDepth = false
        /// Stacks: how the levels are stored (volumes always get one file per level).
        public var layout: Layout = .subIFD
        /// Stacks: compression of the pages.
        public var compression: StackWriter.Compression = .deflate
        /// Stacks: tile edge of pages larger than it (viewers read tiled pyramids fastest).
        public var pageTileSize: Int? = 256
        /// Read the source as a scene or a stack whatever the DESIGN rule says (`--as`).
        public var readAs: TIFFKind?
        public var existingOutput: OutputFolder.ExistingOutput = .refuse
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

    /// Builds the levels and writes `manifest.jsonl` and `summary.json`.
    @discardableResult
    public func run(progress: (any ProgressObserver)? = nil) throws -> PyramidSummary {
        guard options.tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(options.tileSize)") }
        let stacks = try (options.readAs ?? SourceKind.of(source, as: nil)) == .stack
        return stacks ? try buildVolume(progress: progress) : try buildScene(progress: progress)
    }

    /// The levels above 0 to build for a source of `size`.
    ///
    /// - Throws: ``ScaleTileError`` naming `--levels` when there is none.
    func levelsAboveZero(for size: RasterSize, levelZero: String) throws -> [Int] {
        let numbers: [Int]
        switch options.levels {
        case .auto: numbers = LevelSelection.pyramidLevels(for: size, tileSize: options.tileSize)
        case .explicit(let explicit): numbers = explicit
        }
        let built = numbers.filter { $0 > 0 }
        guard !built.isEmpty else {
            let hint = options.levels == .auto && levelZero == "the stack"
                ? ": the stack already fits one \(options.tileSize)-voxel tile, so name the levels, e.g. --levels 1-2" : ""
            throw ScaleTileError.argument("--levels", "a pyramid needs a level above 0 (level 0 is \(levelZero) itself)\(hint)")
        }
        return built
    }
}

/// `summary.json` of a pyramid run, for every kind of source: one type with optional parts.
/// Every pyramid has the source, the resampling and the levels; a scene adds its size, a stack
/// or volume (`kind: "stack"`) its size, channels, sample type, layout and whether Z is scaled.
public struct PyramidSummary: Hashable, Sendable, Codable {
    public var command = "pyramid"
    /// `stack` for stacks and volumes; absent for scenes.
    public var kind: String?
    public var source: String
    /// Scenes: `[width, height]`.
    public var sceneSize: [Int]?
    /// Stacks: `[width, height, depth]`.
    public var volumeSize: [Int]?
    /// Stacks: channels of each level.
    public var channels: Int?
    /// Stacks: the sample type of each level.
    public var dataType: String?
    /// Stacks: `subifd` or `files`.
    public var layout: String?
    public var resampling: String
    /// Stacks: whether levels downsample Z too.
    public var scaleDepth: Bool?
    /// Level 0 (the source) and every level built.
    public var levels: [LevelFile]

    public struct LevelFile: Hashable, Sendable, Codable {
        public var level: Int
        public var scale: Double
        /// `[width, height]` (`[width, height, depth]` for stacks) of the level grid.
        public var size: [Int]
        /// Scenes: `[x, y]` pixel size in CRS units, when the scene is georeferenced.
        public var pixelSize: [Double]?
        /// Stacks: the voxel size at the level.
        public var spacing: Spacing?
        /// The file holding the level: relative to the output folder, or the source for level 0.
        public var path: String
        /// Scenes: level 0 is the source file itself.
        public var fromSourceFile: Bool?
        /// Stacks, `subifd` layout: the SubIFD index of the level in each page (1 for the first
        /// level above 0); GDAL shows it as overview `subIFD − 1`.
        public var subIFD: Int?
    }
}
