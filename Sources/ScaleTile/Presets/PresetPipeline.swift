import Foundation
import ScaleTileCore

/// What a preset runs on each input: the one place where a preset's domain, job and input
/// reading become a ScaleTile job and its options.
///
/// Scene tiling and sampling (``SceneTileJob``, labels and audit included) and scene pyramids
/// (``PyramidJob``) are wired. The other
/// combinations are named here and refused with ``ScaleTileError/Kind/unsupported`` until their
/// jobs exist; wiring one is a new case, its options built from the preset like
/// ``sceneTileOptions(_:)``, and its branch in ``PresetRun``.
public enum PresetPipeline: Sendable {
    /// `job: tile` on scenes (grid tiles, as `scaletile tile` writes them) and `job: sample`
    /// on scenes (as `scaletile sample` writes them): one job, its windows from the grid or a
    /// sampler. Each input gets its own label file (``PresetRun``).
    case sceneTiling(SceneTileOptions)
    /// `job: pyramid` on scenes: one GeoTIFF per level, as `scaletile pyramid` writes them.
    case scenePyramid(PyramidJob.Options)

    /// The pipeline of a preset.
    ///
    /// - Parameters:
    ///   - hasLabels: whether the run has labels (the preset's or `--labels`).
    ///   - threads: `--threads`, over the preset's `threads`.
    /// - Throws: ``ScaleTileError/Kind/unsupported``, about the preset, for what this build lacks.
    public init(_ document: PresetDocument, hasLabels: Bool, threads: Int? = nil) throws {
        let preset = document.preset
        func missing(_ what: String, at keyPaths: String...) -> ScaleTileError {
            ScaleTileError(.unsupported, document.location(ofFirst: keyPaths), "\(what) is not in this build yet")
        }
        switch (preset.job, preset.readsStacks) {
        case (.tile, false), (.sample, false):
            if preset.tiling.overlap == .auto, !hasLabels {
                throw ScaleTileError(.invalidPreset, document.location(of: "tiling.overlap"),
                                     "tiling.overlap auto picks the overlap from the objects' sizes: give labels.path or --labels")
            }
            var options = try PresetPipeline.sceneTileOptions(preset)
            if preset.job == .sample {
                guard hasLabels || !Self.placesAroundObjects(preset.sampling.strategy) else {
                    throw ScaleTileError(.invalidPreset, document.location(of: "sampling.strategy"),
                                         "sampling.strategy \(preset.sampling.strategy.rawValue) places windows around objects: give labels.path or --labels")
                }
                let strategy = try attributing(to: document.location(of: "sampling.strategy")) {
                    try preset.sampling.strategy(tilingOverlap: RasterSize(width: options.overlap, height: options.overlap, depth: 0), edge: options.edge)
                }
                options.sampling = SceneSampling(strategy: strategy, count: preset.sampling.count, negatives: preset.sampling.negatives)
                options.overlap = 0
            }
            if let threads { options.threads = threads }
            self = .sceneTiling(options)
        case (.pyramid, false):
            self = .scenePyramid(PresetPipeline.pyramidOptions(preset))
        case (.tile, true):
            throw missing("the medical tiling job (job: tile on stacks)", at: "job", "domain", "input.as")
        case (.pyramid, true):
            throw missing("the stack pyramid job (job: pyramid on stacks)", at: "job", "domain", "input.as")
        case (.sample, true):
            throw missing("sampling stacks from a preset (job: sample on stacks)", at: "job", "domain", "input.as")
        }
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
        o.overlap = preset.tiling.overlap.uniformPixels ?? 0
        o.overlapIsAuto = preset.tiling.overlap == .auto
        o.objectSize = preset.target.objectSize
        o.seed = preset.seed
        o.edge = preset.tiling.edge
        o.levels = preset.levels.levels
        o.resampling = preset.levels.resampling
        o.useSourceOverviews = !preset.levels.exact
        o.bands = preset.input.bands
        o.nodata = preset.input.nodata
        o.maxNodataFraction = preset.tiling.maxNodata
        o.format = preset.tileFormat
        o.creationOptions = Dictionary(uniqueKeysWithValues: preset.output.creationOptions.map { ($0.key.uppercased(), $0.value) })
        o.rescale = preset.output.rescale
        o.stretchPercentiles = preset.output.stretch.map { (low: $0.low, high: $0.high) }
        if let threads = preset.threads { o.threads = threads }
        // Labels are per input and added by PresetRun; everything else is checked now.
        var check = o
        if check.overlapIsAuto { check.labels = SceneLabelOptions(path: "") }
        try check.validate()
        return o
    }

    /// The `scaletile pyramid` options a preset stands for.
    public static func pyramidOptions(_ preset: Preset) -> PyramidJob.Options {
        var o = PyramidJob.Options()
        o.levels = preset.levels.levels
        o.tileSize = preset.tiling.size.width
        o.resampling = preset.levels.resampling
        o.creationOptions = Dictionary(uniqueKeysWithValues: preset.output.creationOptions.map { ($0.key.uppercased(), $0.value) })
        return o
    }

    /// The folder, inside the run's output, of one input's output: `scenes/<stem>`.
    public static func inputFolder(of source: String) -> String {
        "scenes/" + FileNames.stem(of: source)
    }
}
