import Foundation
import ScaleTileCore

/// What a preset runs on each input: the one place where a preset's domain, job and input
/// reading become a ScaleTile job and its options.
///
/// Every job runs on scenes and stacks alike: tiling and sampling (``SceneTileJob``,
/// ``StackTileJob``, labels or masks and the audit included) and pyramids (``PyramidJob``,
/// ``StackPyramidJob``). A new job is a new case, its options built from the preset like
/// ``sceneTileOptions(_:)``, and its branch in ``PresetRun``.
public enum PresetPipeline: Sendable {
    /// `job: tile` on scenes (grid tiles, as `scaletile tile` writes them) and `job: sample`
    /// on scenes (as `scaletile sample` writes them): one job, its windows from the grid or a
    /// sampler. Each input gets its own label file (``PresetRun``).
    case sceneTiling(SceneTileOptions)
    /// `job: pyramid` on scenes: one GeoTIFF per level, as `scaletile pyramid` writes them.
    case scenePyramid(PyramidJob.Options)
    /// `job: tile` and `job: sample` on stacks: image and mask patches, as `scaletile tile` and
    /// `scaletile sample` write them for a stack. Each input gets its own mask (`labels.path`)
    /// and, for negatives, its own tissue mask (``PresetRun``).
    case stackTiling(StackTileOptions)
    /// `job: pyramid` on stacks: the stack's levels as OME-TIFF, as `scaletile pyramid` writes them.
    case stackPyramid(StackPyramidJob.Options)

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
        case (.tile, false), (.sample, false):
            var options = try PresetPipeline.sceneTileOptions(preset)
            if preset.job == .sample {
                if preset.sampling.strategy == .weighted {
                    // The map is read once the scene's size is known, as `--weights` is.
                    options.sampling = SceneSampling(strategy: .uniform, count: preset.sampling.count, negatives: preset.sampling.negatives,
                                                     weightMap: try Self.weightMap(document))
                } else {
                    let strategy = try attributing(to: document.location(of: "sampling.strategy")) {
                        try preset.sampling.strategy(tilingOverlap: RasterSize(width: options.overlap, height: options.overlap, depth: 0), edge: options.edge)
                    }
                    options.sampling = SceneSampling(strategy: strategy, count: preset.sampling.count, negatives: preset.sampling.negatives)
                }
                options.overlap = 0
            }
            if let threads { options.threads = threads }
            self = .sceneTiling(options)
        case (.pyramid, false):
            self = .scenePyramid(PresetPipeline.pyramidOptions(preset))
        case (.tile, true), (.sample, true):
            var options = try attributing(to: document.location(of: "tiling.size")) { try PresetPipeline.stackTileOptions(preset) }
            if preset.job == .sample {
                let grid = options.overlap
                let weightMap = preset.sampling.strategy == .weighted ? try Self.weightMap(document) : nil
                let strategy = try weightMap.map { _ in SamplingStrategy.uniform } ?? attributing(to: document.location(of: "sampling.strategy")) {
                    try preset.sampling.strategy(tilingOverlap: grid, edge: options.edge)
                }
                let tissue: StackSampling.Tissue = preset.sampling.backgroundThreshold.map { .imageAbove($0) } ?? .anywhere
                options.sampling = StackSampling(strategy: strategy, count: preset.sampling.count, negatives: preset.sampling.negatives,
                                                 tissue: tissue, minTissueShare: preset.sampling.minTissue, weightMap: weightMap)
                // Sampled patches are placed, not laid on a grid: only the grid strategy uses the overlap.
                options.overlap = RasterSize(width: 0, height: 0, depth: 0)
                options.automaticOverlap = false
            }
            if let threads { options.threads = threads }
            self = .stackTiling(options)
        case (.pyramid, true):
            self = .stackPyramid(PresetPipeline.stackPyramidOptions(preset))
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

    /// The `scaletile tile` options a preset stands for; every field is the preset's, so a run
    /// writes what `scaletile tile` writes with the same values.
    public static func sceneTileOptions(_ preset: Preset) throws -> SceneTileOptions {
        var o = SceneTileOptions()
        // checkValues() made sure scenes have a square size and one overlap.
        o.tileSize = preset.tiling.size.squareEdge ?? preset.tiling.size.width
        // Sampled windows are placed, not laid on a grid: they share nothing.
        o.overlap = preset.usesTilingOverlap ? preset.tiling.overlap.planarPixels ?? 0 : 0
        o.overlapIsAuto = preset.usesTilingOverlap && preset.tiling.overlap == .auto
        o.objectSize = preset.target.objectSize
        o.zoomIn = preset.levels.zoomIn
        o.seed = preset.seed
        o.classWeightBeta = preset.weights.beta
        o.edge = preset.tiling.edge
        o.levels = preset.levels.levels
        o.resampling = preset.levels.resampling
        o.useSourceOverviews = !preset.levels.exact
        o.bands = preset.input.bands
        o.nodata = preset.input.nodata
        o.maxNodataFraction = preset.tiling.maxNodata
        o.format = preset.tileFormat
        o.creationOptions = Self.creationOptions(preset)
        o.rescale = preset.output.rescale
        o.stretchPercentiles = preset.output.stretch.map { (low: $0.low, high: $0.high) }
        o.split = preset.split.options
        o.layout = preset.output.layout
        o.samplesPerShard = preset.output.samplesPerShard
        o.yoloIgnore = preset.output.yoloIgnore
        if let threads = preset.threads { o.threads = threads }
        o.maxMemory = try preset.limits.memoryBudget()
        // Labels are per input and added by PresetRun; everything else is checked now.
        var check = o
        if check.overlapIsAuto || check.zoomIn || check.layout.needsLabels { check.labels = SceneLabelOptions(path: "") }
        try check.validate()
        return o
    }

    /// `output.creationOptions` with GDAL's upper-case keys (validation refused two spellings
    /// of one key, such as `compress` and `COMPRESS`).
    static func creationOptions(_ preset: Preset) -> [String: String] {
        Dictionary(preset.output.creationOptions.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The `scaletile pyramid` options a preset stands for.
    public static func pyramidOptions(_ preset: Preset) -> PyramidJob.Options {
        var o = PyramidJob.Options()
        o.levels = preset.levels.levels
        o.tileSize = preset.tiling.size.width
        o.resampling = preset.levels.resampling
        o.creationOptions = Self.creationOptions(preset)
        return o
    }

    /// The `scaletile tile STACK` options a preset stands for: `tiling.size` is the patch
    /// (depth 1, 2-D patches slice by slice, unless it gives `WxHxD`), `input.bands` the
    /// channels, `levels.scaleZ` whether levels halve Z too.
    public static func stackTileOptions(_ preset: Preset) throws -> StackTileOptions {
        var o = StackTileOptions()
        let size = preset.tiling.size
        o.patch = RasterSize(width: size.width, height: size.height, depth: size.depth ?? 1)
        if preset.usesTilingOverlap {
            o.automaticOverlap = preset.tiling.overlap == .auto
            o.overlap = preset.tiling.overlap.voxels(patchDepth: size.depth ?? 1) ?? o.overlap
        }
        if let mm = preset.tiling.sizeMm {
            o.patch = nil
            o.patchMillimetres = SIMD3(mm[0], mm[1], mm[2])
        }
        o.padding = preset.tiling.padding
        o.padValue = preset.tiling.padValue
        o.maskResampling = preset.levels.maskResampling
        o.connectivity = preset.labels.connectivity.flatMap(Connectivity.init(neighbourCount:)) ?? .full
        o.edge = preset.tiling.edge
        o.levels = preset.levels.levels
        o.scaleDepth = preset.levels.scaleZ
        o.imageResampling = preset.levels.resampling
        o.channels = preset.input.bands?.map { $0 - 1 }
        o.applyScaling = preset.input.applyScaling
        o.format = preset.tileFormat
        o.seed = preset.seed
        o.classWeightBeta = preset.weights.beta
        if let threads = preset.threads { o.threads = threads }
        if preset.split.shares != nil, preset.split.unit(readsStacks: true) == .blocks {
            throw ScaleTileError(.unsupported, "split.by", "blocks are for scenes: stacks and volumes are split by source (whole inputs)")
        }
        o.layout = preset.output.layout
        o.maxMemory = try preset.limits.memoryBudget()
        try o.validate()
        return o
    }

    /// The `scaletile pyramid STACK` options a preset stands for: one OME-TIFF per level, as
    /// `levels.scaleZ` levels need.
    public static func stackPyramidOptions(_ preset: Preset) -> StackPyramidJob.Options {
        var o = StackPyramidJob.Options()
        o.levels = preset.levels.levels
        o.tileSize = preset.tiling.size.width
        o.scaleDepth = preset.levels.scaleZ
        switch preset.levels.pyramidLayout {
        case .auto: o.layout = preset.levels.scaleZ ? .files : .subIFD
        case .subifd: o.layout = .subIFD
        case .files: o.layout = .files
        }
        o.resampling = preset.levels.resampling
        return o
    }

    /// Whether inputs are stacks.
    var readsStacks: Bool {
        switch self {
        case .sceneTiling, .scenePyramid: return false
        case .stackTiling, .stackPyramid: return true
        }
    }

    /// The folder, inside the run's output, of one input's output: `scenes/<stem>` or
    /// `stacks/<stem>`.
    public func inputFolder(of source: String) -> String {
        (readsStacks ? "stacks/" : "scenes/") + FileNames.stem(of: source)
    }
}
