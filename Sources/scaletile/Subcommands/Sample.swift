import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileMedical

extension ScaleTileCommand {
    /// `scaletile sample SOURCE --labels LABELS --out DIR --strategy S --count N --patch WxH[xD]`:
    /// scenes and stacks alike.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw training windows so objects of every size are seen whole, at a useful scale, as often as asked.",
            discussion: """
            Strategies (DESIGN.md §4): object-balanced (per-epoch quotas with weight n^(1-alpha), alpha 1 = every \
            object alike; each window holds its object whole at the finest level where it fits), scale-stratified \
            (equal counts per COCO size bucket), class-balanced, uniform, posneg (positive:negative, positives \
            size-proportional like MONAI), grid. --count is the number of positive windows; --negatives adds \
            windows with no object, on valid data. The audit (bias R, k-coverage, bucket balance, containment, \
            in-band share) ends the run and is in summary.json.

            Stacks (a TIFF with several slices, or --as stack): --labels is the lesion mask on the \
            image's grid (or --mask); --patch XxYxZ voxels (XxY for 2-D patches) or --patch-mm; \
            image and mask patches are written together, each window placed around a lesion holding \
            it whole at a random offset at the finest level where it fits. Negatives hold no lesion \
            voxel and lie on tissue: at least --min-tissue of their voxels above \
            --background-threshold in the image, or inside --tissue-mask.
            """)

        @Argument(help: "The scene (any GDAL raster) or the stack (a multi-page TIFF, ImageJ or OME).")
        var source: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var labelling: LabelOptions
        @OptionGroup(title: "Training") var training: TrainingOptions
        @OptionGroup var input: InputKindOption
        @OptionGroup(title: "Stacks (--patch is the window size of scenes too, WxH pixels, default 512x512)") var stack: StackPatchOptions

        @Option(help: "object-balanced, scale-stratified, class-balanced, uniform, posneg, grid or weighted (with --weights).")
        var strategy: String = "object-balanced"

        @Option(help: "Positive windows per epoch (posneg: all windows).")
        var count: Int

        @Option(help: "object-balanced: weight n^(1-alpha) per object; 1 gives every object the same quota, 0 is size-proportional.")
        var alpha: Double = 1

        @Option(name: .customLong("min-per-object"), help: "Every object whole in at least k windows.")
        var minPerObject: Int = 0

        @Option(help: "weighted: a raster of sampling weights covering the scene (any resolution; averaged onto a coarse grid).")
        var weights: String?

        @Option(help: "Extra windows without objects, on valid data.")
        var negatives: Int = 0

        @Option(help: ArgumentHelp("posneg: positives to negatives.", valueName: "P:N"))
        var ratio: String = "1:1"

        @Option(help: "Levels windows may use: 0, 0-3 or auto (with --object-size).")
        var levels: LevelSelection = .explicit([0])

        @Option(help: "Tile format: gtiff, cog, png, jpeg or npy (scenes; default gtiff); tiff, ome-tiff or npy (stacks; default tiff).")
        var format: TileFormat?

        @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
        var creationOptionList: [String] = []

        @Option(help: "Bands in output order, 1-based (e.g. 3,2,1).")
        var bands: String?

        @Option(help: "Seed of every random choice.")
        var seed: UInt64 = 0

        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?

        @Option(name: .customLong("background-threshold"), help: ArgumentHelp("Stacks: image voxels above this value are tissue, where negatives may lie (CT: -950 keeps lung and body, not air).", valueName: "V"))
        var backgroundThreshold: Double?

        @Option(name: .customLong("tissue-mask"), help: "Stacks: a mask on the image's grid whose non-zero voxels are tissue, where negatives may lie.")
        var tissueMask: String?

        @Option(name: .customLong("min-tissue"), help: "Stacks: the least share of a negative patch's voxels that is tissue.")
        var minTissue: Double = 0.5

        func run() throws {
            try reportingFailures {
                if labelling.zoomIn {
                    throw ScaleTileError.argument("--zoom-in", "is for scale-aware tiling (scaletile tile); samplers place each window at the finest level where its object fits")
                }
                if try SourceKind.of(source, as: input.kind) == .stack {
                    try runStack()
                } else {
                    try runScene()
                }
            }
        }

        // MARK: - Scenes

        func runScene() throws {
            let stackOnly: [(String, Bool)] = [("--patch-mm", stack.patchMillimetres != nil), ("--mask", stack.mask != nil),
                                               ("--padding", stack.padding != .constant), ("--pad-value", stack.padValue != 0),
                                               ("--scale-z", stack.scaleZ), ("--channels", stack.channels != nil),
                                               ("--background-threshold", backgroundThreshold != nil), ("--tissue-mask", tissueMask != nil)]
            if let (option, _) = stackOnly.first(where: { $0.1 }) {
                throw ScaleTileError(.invalidArgument, source, "\(option) is for stacks, and this is a scene (pass --as stack to read a TIFF as a stack)")
            }
            var o = SceneTileOptions()
            let patch = stack.patch ?? "512x512"
            let sides = patch.lowercased().split(separator: "x").compactMap { Int($0) }
            guard sides.count == 2, sides[0] == sides[1], sides[0] > 0 else {
                throw ScaleTileError.argument("--patch", "scene windows are square WxW pixels, got '\(patch)'")
            }
            o.tileSize = sides[0]
            o.overlap = 0
            o.levels = levels
            o.format = format ?? .gtiff
            o.creationOptions = try creationOptions(creationOptionList)
            o.bands = try bands.map(bandList)
            o.labels = try labelling.sceneLabels()
            o.classWeightBeta = labelling.beta
            o.objectSize = try labelling.band()
            try training.apply(to: &o)
            o.seed = seed
            if let threads { o.threads = threads }
            o.existingOutput = output.existingOutput
            o.shard = output.shard ?? .whole
            if weights != nil, strategy != "weighted" {
                throw ScaleTileError.argument("--weights", "is the probability raster of --strategy weighted, not of \(strategy)")
            }
            o.sampling = SceneSampling(strategy: try samplingStrategy(), count: count, negatives: negatives, weightMap: weights)
            try o.validate()
            let job = SceneTileJob(source: source, output: output.out, options: o)
            if output.dryRun {
                let prepared = try job.prepare()
                try PlanReport(prepared: prepared).print(json: output.json)
                return
            }
            let progress = TerminalProgress.make(label: "windows", quiet: output.quiet)
            let summary = try job.run(progress: progress)
            progress?.finish()
            for warning in summary.labels?.warnings ?? [] { StandardError.write("warning: \(warning)\n") }
            if output.json {
                try StandardOutput.writeJSON(summary)
            } else if !output.quiet {
                StandardError.write("wrote \(summary.tiles.written) windows into \(output.out)\n")
                if let audit = summary.audit { StandardError.write(audit.table()) }
            }
        }

        // MARK: - Stacks

        func runStack() throws {
            let sceneOnly: [(String, Bool)] = [("--bands", bands != nil), ("--co", !creationOptionList.isEmpty),
                                               ("--weights", weights != nil), ("--strategy weighted", strategy == "weighted")]
            if let (option, _) = sceneOnly.first(where: { $0.1 }) {
                throw ScaleTileError(.invalidArgument, source, "\(option) is for scenes, and this is a stack (pass --as scene to read it through GDAL)")
            }
            let mask = try labelling.stackMask(stack.mask, source: source)
            var o = StackTileOptions()
            try stack.apply(to: &o)
            o.levels = levels
            o.format = format ?? .tiff
            o.seed = seed
            o.classWeightBeta = labelling.beta
            if let threads { o.threads = threads }
            o.existingOutput = output.existingOutput
            o.shard = output.shard ?? .whole
            if backgroundThreshold != nil, tissueMask != nil {
                throw ScaleTileError.argument("--tissue-mask", "--tissue-mask and --background-threshold both say where tissue is: give one")
            }
            let tissue: StackSampling.Tissue = tissueMask.map { .mask($0) } ?? backgroundThreshold.map { .imageAbove($0) } ?? .anywhere
            o.sampling = StackSampling(strategy: try samplingStrategy(), count: count, negatives: negatives,
                                       tissue: tissue, minTissueShare: minTissue)
            try training.apply(to: &o)
            try o.validate()
            let job = StackTileJob(source: source, mask: mask, output: output.out, options: o)
            if output.dryRun {
                try PlanReport(prepared: try job.prepare()).print(json: output.json)
                return
            }
            let progress = TerminalProgress.make(label: "patches", quiet: output.quiet)
            let start = Date()
            let summary = try job.run(progress: progress)
            progress?.finish()
            if output.json {
                try StandardOutput.writeJSON(summary)
            } else if !output.quiet {
                var text = String(format: "wrote %d patches%@ into %@ in %.1f s (%d kept from an earlier run)\n",
                                  summary.patches.written, summary.mask == nil ? "" : " with their masks", output.out,
                                  Date().timeIntervalSince(start), summary.patches.resumed)
                if let s = summary.sampling, s.negativesRequested > 0 {
                    let placement = s.tissue == "anywhere" ? "clear of lesions" : "on tissue (\(s.tissue))"
                    text += "negatives: \(s.negativesPlaced) of \(s.negativesRequested) placed \(placement)\n"
                }
                if let s = summary.sampling, !s.uncontainedLesions.isEmpty {
                    text += "warning: \(s.uncontainedLesions.count) lesion(s) larger than a patch at every level got centred patches showing part of them: \(s.uncontainedLesions.prefix(10).joined(separator: ", "))\n"
                }
                StandardError.write(text)
                if let audit = summary.audit { StandardError.write(audit.table()) }
            }
        }

        func samplingStrategy() throws -> SamplingStrategy {
            switch strategy {
            case "object-balanced":
                guard alpha >= 0 else { throw ScaleTileError.argument("--alpha", "must not be negative, got \(alpha)") }
                return .objectBalanced(alpha: alpha, minPerObject: minPerObject)
            case "scale-stratified": return .scaleStratified()
            case "class-balanced": return .classBalanced
            case "uniform": return .uniform
            case "grid": return .grid(overlap: RasterSize(width: 0, height: 0, depth: 0))
            case "weighted":
                // The map is read once the scene's size is known; `.uniform` stands until then.
                guard weights != nil else { throw ScaleTileError.argument("--strategy", "weighted draws window centres from a probability raster: give --weights FILE") }
                return .uniform
            case "posneg":
                let parts = ratio.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 0, parts[1] >= 0, parts[0] + parts[1] > 0 else {
                    throw ScaleTileError.argument("--ratio", "'\(ratio)' is not P:N with whole numbers")
                }
                return .positiveNegative(positive: parts[0], negative: parts[1])
            default:
                throw ScaleTileError.argument("--strategy", "'\(strategy)' is not object-balanced, scale-stratified, class-balanced, uniform, posneg, grid or weighted")
            }
        }
    }
}

/// What `--dry-run` prints: the plan's windows counted by level, reason and (with labels) the
/// size bucket of the object each window was placed for.
struct PlanReport: Encodable {
    struct Count: Encodable { let level: Int; let reason: String; let bucket: String?; let windows: Int }
    let windows: Int
    let inShard: Int
    let counts: [Count]

    init(prepared: SceneTileJob.Prepared) {
        self.init(plan: prepared.plan, shardRange: prepared.shardRange, targets: prepared.objects?.targets ?? [])
    }

    init(prepared: StackTileJob.Prepared) {
        self.init(plan: prepared.plan, shardRange: prepared.shardRange, targets: prepared.lesions.lesions.map(\.samplingTarget))
    }

    private init(plan: [PlannedWindow], shardRange: Range<Int>, targets: [SamplingTarget]) {
        let work = plan[shardRange]
        let bucketOf = Dictionary(targets.map { ($0.id, SizeBucket($0).rawValue) }, uniquingKeysWith: { a, _ in a })
        var tally: [String: (Int, String, String?, Int)] = [:]
        for w in work {
            let bucket = w.targetID.flatMap { bucketOf[$0] }
            let key = "\(w.level)|\(w.reason.rawValue)|\(bucket ?? "")"
            tally[key, default: (w.level, w.reason.rawValue, bucket, 0)].3 += 1
        }
        windows = plan.count
        inShard = work.count
        counts = tally.values.sorted { ($0.0, $0.1, $0.2 ?? "") < ($1.0, $1.1, $1.2 ?? "") }
            .map { Count(level: $0.0, reason: $0.1, bucket: $0.2, windows: $0.3) }
    }

    func print(json: Bool) throws {
        if json { try StandardOutput.writeJSON(self); return }
        var lines = ["plan: \(windows) windows, \(inShard) in this shard"]
        for c in counts {
            lines.append("  level \(c.level)  \(c.reason)\(c.bucket.map { "  \($0) objects" } ?? "")  \(c.windows)")
        }
        StandardOutput.write(lines.joined(separator: "\n") + "\n")
    }
}
