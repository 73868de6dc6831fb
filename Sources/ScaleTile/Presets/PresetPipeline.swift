import Foundation
import ScaleTileCore

/// What a preset runs on each input: the one place where a preset's domain, job and input
/// reading become a ScaleTile job and its options.
///
/// Every job runs on scenes and stacks alike: tiling and sampling (``TileJob``, labels or
/// masks and the audit included) and pyramids (``PyramidJob``). A new job
/// is a new case, its options built from the preset like ``tileOptions(_:)``, and its branch in
/// ``PresetRun``.
public enum PresetPipeline: Sendable {
    /// `job: tile` and `job: sample` on scenes, stacks and volumes: one job, its windows from
    /// the grid or a sampler, as `scaletile tile` and `sample` write them. Each input gets its
    /// own label file or mask (`labels.path`) and tissue mask (``PresetRun``).
    case tiling(TileOptions)
    /// `job: pyramid` on scenes, stacks and volumes: the exact levels, as `scaletile pyramid`
    /// writes them.
    case pyramid(PyramidJob.Options)

    /// The pipeline of a preset.
    ///
    /// - Parameters:
    ///   - hasLabels: whether the run has labels (the preset's or `--labels`).
    ///   - threads: `--threads`, over the preset's `threads`.
    /// - Throws: ``ScaleTileError/Kind/unsupported``, about the preset, for what this build lacks.
    public init(_ document: PresetDocument, hasLabels: Bool, threads: Int? = nil) throws {
        let preset = document.preset
        if preset.usesTilingOverlap, preset.tiling.overlap == .auto, !hasLabels {
            throw ScaleTileError(.invalidPreset, document.location(of: "tiling.overlap"),
                                 "tiling.overlap auto picks the overlap from the \(preset.readsStacks ? "lesions' sizes: give labels.path (the mask)" : "objects' sizes: give labels.path") or --labels")
        }
        if preset.job == .sample, !hasLabels, Self.placesAroundObjects(preset.sampling.strategy) {
            // The strategy's line, or the job's when the strategy is the default.
            throw ScaleTileError(.invalidPreset, document.location(ofFirst: ["sampling.strategy", "job"]),
                                 "sampling.strategy \(preset.sampling.strategy.rawValue) places windows around \(preset.readsStacks ? "lesions: give labels.path (the mask)" : "objects: give labels.path") or --labels")
        }
        switch (preset.job, preset.readsStacks) {
        case (.tile, let stacks), (.sample, let stacks):
            var options = try stacks ? attributing(to: document.location(of: "tiling.size")) { try PresetPipeline.tileOptions(preset) }
                : PresetPipeline.tileOptions(preset)
            if preset.job == .sample {
                let weightMap = preset.sampling.strategy == .weighted ? try Self.weightMap(document) : nil
                let grid = options.overlap(stacks: stacks)
                let strategy = try weightMap.map { _ in SamplingStrategy.uniform } ?? attributing(to: document.location(of: "sampling.strategy")) {
                    try preset.sampling.strategy(tilingOverlap: grid, edge: options.edge)
                }
                let tissue: TileSampling.Tissue = stacks ? preset.sampling.backgroundThreshold.map { .imageAbove($0) } ?? .anywhere : .anywhere
                options.sampling = TileSampling(strategy: strategy, count: preset.sampling.count, negatives: preset.sampling.negatives,
                                                tissue: tissue, minTissueShare: stacks ? preset.sampling.minTissue : 0.5, weightMap: weightMap)
                // Sampled windows are placed, not laid on a grid: only the grid strategy uses the overlap.
                options.overlap = RasterSize(width: 0, height: 0, depth: 0)
                options.automaticOverlap = false
            }
            if let threads { options.threads = threads }
            self = .tiling(options)
        case (.pyramid, _):
            self = .pyramid(try PresetPipeline.pyramidOptions(preset))
        }
    }

    /// `sampling.map` of a weighted preset, resolved against the preset's folder.
    static func weightMap(_ document: PresetDocument) throws -> String {
        guard let map = document.preset.sampling.map else {
            throw ScaleTileError(.invalidPreset, document.location(of: "sampling.strategy"),
                                 "sampling.strategy weighted draws window centres from a raster of weights: give sampling.map")
        }
        return document.resolvedPath(map)
    }

    static func placesAroundObjects(_ strategy: Preset.Sampling.Strategy) -> Bool {
        switch strategy {
        case .uniform, .grid, .weighted: return false
        default: return true
        }
    }

    /// The `scaletile tile` and `sample` options a preset stands for; every field is the
    /// preset's, so a run writes what the command writes with the same values. A scene's
    /// `tiling.size` is its square tile; a stack's is the patch (depth 1, 2-D patches slice by
    /// slice, unless it gives `WxHxD`), `input.bands` its channels, `levels.scaleZ` whether
    /// levels halve Z too.
    public static func tileOptions(_ preset: Preset) throws -> TileOptions {
        var o = TileOptions()
        let stacks = preset.readsStacks
        o.readAs = stacks ? .stack : .scene
        let size = preset.tiling.size
        let zero = RasterSize(width: 0, height: 0, depth: 0)
        if stacks {
            o.window = RasterSize(width: size.width, height: size.height, depth: size.depth ?? 1)
            o.overlap = preset.usesTilingOverlap ? preset.tiling.overlap.voxels(patchDepth: size.depth ?? 1) ?? zero : zero
            if let mm = preset.tiling.sizeMm {
                o.window = nil
                o.windowMillimetres = SIMD3(mm[0], mm[1], mm[2])
            }
        } else {
            // checkValues() made sure scenes have a square size and one overlap.
            let edge = size.squareEdge ?? size.width
            o.window = RasterSize(width: edge, height: edge)
            // Sampled windows are placed, not laid on a grid: they share nothing.
            let shared = preset.usesTilingOverlap ? preset.tiling.overlap.planarPixels ?? 0 : 0
            o.overlap = RasterSize(width: shared, height: shared, depth: 0)
        }
        o.automaticOverlap = preset.usesTilingOverlap && preset.tiling.overlap == .auto
        o.edge = preset.tiling.edge
        o.padding = preset.tiling.padding
        o.padValue = preset.tiling.padValue
        o.levels = preset.levels.levels
        o.scaleDepth = preset.levels.scaleZ
        o.resampling = preset.levels.resampling
        o.maskResampling = preset.levels.maskResampling
        o.useSourceOverviews = !preset.levels.exact
        o.objectSize = preset.target.objectSize
        o.zoomIn = preset.levels.zoomIn
        o.bands = preset.input.bands
        o.nodata = preset.input.nodata
        o.maxNodataFraction = preset.tiling.maxNodata
        o.rescale = preset.output.rescale
        o.stretchPercentiles = preset.output.stretch.map { (low: $0.low, high: $0.high) }
        o.applyScaling = preset.input.applyScaling
        o.connectivity = preset.labels.connectivity.flatMap(Connectivity.init(neighbourCount:)) ?? .full
        o.classWeightBeta = preset.weights.beta
        o.seed = preset.seed
        o.format = preset.tileFormat
        o.creationOptions = Self.creationOptions(preset)
        o.layout = preset.output.layout
        o.samplesPerShard = preset.output.samplesPerShard
        o.yoloIgnore = preset.output.yoloIgnore
        o.maskTiles = preset.output.maskTiles
        o.yoloSegments = preset.output.yoloSegments
        o.contextLevels = try preset.context.contextLevels()
        o.contextOutput = preset.context.as
        if let threads = preset.threads { o.threads = threads }
        o.maxMemory = try preset.limits.memoryBudget()
        if stacks {
            if preset.split.shares != nil, preset.split.unit(readsStacks: true) == .blocks {
                throw ScaleTileError(.unsupported, "split.by", "blocks are for scenes: stacks and volumes are split by source (whole inputs)")
            }
            try VolumeWindows.validate(o)
        } else {
            o.split = preset.split.options
            // Labels are per input and added by PresetRun; everything else is checked now.
            var check = o
            if check.automaticOverlap || check.zoomIn || check.layout.needsLabels || check.maskTiles || check.yoloSegments {
                check.labels = TileLabels(path: "", exports: Set(preset.labels.exports))
            }
            try SceneWindows.validate(check)
        }
        return o
    }

    /// `output.creationOptions` with GDAL's upper-case keys (validation refused two spellings
    /// of one key, such as `compress` and `COMPRESS`).
    static func creationOptions(_ preset: Preset) -> [String: String] {
        Dictionary(preset.output.creationOptions.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The `scaletile pyramid` options a preset stands for: a stack's levels in one OME-TIFF
    /// with SubIFDs, or one file per level as `levels.scaleZ` levels need.
    public static func pyramidOptions(_ preset: Preset) throws -> PyramidJob.Options {
        var o = PyramidJob.Options()
        o.readAs = preset.readsStacks ? .stack : .scene
        o.levels = preset.levels.levels
        o.tileSize = preset.tiling.size.width
        o.creationOptions = Self.creationOptions(preset)
        o.scaleDepth = preset.levels.scaleZ
        switch preset.levels.pyramidLayout {
        case .auto: o.layout = preset.levels.scaleZ ? .files : .subIFD
        case .subifd: o.layout = .subIFD
        case .files: o.layout = .files
        }
        o.resampling = preset.levels.resampling
        o.maxMemory = try preset.limits.memoryBudget()
        return o
    }

    /// Whether inputs are stacks.
    var readsStacks: Bool {
        switch self {
        case .tiling(let options): return options.readAs == .stack
        case .pyramid(let options): return options.readAs == .stack
        }
    }

    /// The folder, inside the run's output, of one input's output: `scenes/<stem>` or
    /// `stacks/<stem>`.
    public func inputFolder(of source: String) -> String {
        (readsStacks ? "stacks/" : "scenes/") + FileNames.stem(of: source)
    }
}
