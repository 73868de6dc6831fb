import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore

extension ScaleTileCommand {
    /// `scaletile sample SOURCE --labels LABELS --out DIR --strategy S --count N --patch WxH[xD]`.
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
            """)

        @Argument(help: "The scene (any GDAL raster).")
        var source: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var labelling: LabelOptions

        @Option(help: "object-balanced, scale-stratified, class-balanced, uniform, posneg or grid.")
        var strategy: String = "object-balanced"

        @Option(help: "Positive windows per epoch (posneg: all windows).")
        var count: Int

        @Option(help: ArgumentHelp("Window size in pixels: WxH (square for scenes).", valueName: "WxH"))
        var patch: String = "512x512"

        @Option(help: "object-balanced: weight n^(1-alpha) per object; 1 gives every object the same quota, 0 is size-proportional.")
        var alpha: Double = 1

        @Option(name: .customLong("min-per-object"), help: "Every object whole in at least k windows.")
        var minPerObject: Int = 0

        @Option(help: "Extra windows without objects, on valid data.")
        var negatives: Int = 0

        @Option(help: ArgumentHelp("posneg: positives to negatives.", valueName: "P:N"))
        var ratio: String = "1:1"

        @Option(help: "Levels windows may use: 0, 0-3 or auto (with --object-size).")
        var levels: LevelSelection = .explicit([0])

        @Option(help: "Tile format: gtiff, cog, png, jpeg or npy.")
        var format: TileFormat = .gtiff

        @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
        var creationOptionList: [String] = []

        @Option(help: "Bands in output order, 1-based (e.g. 3,2,1).")
        var bands: String?

        @Option(help: "Seed of every random choice.")
        var seed: UInt64 = 0

        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?

        func run() throws {
            try reportingFailures {
                var o = SceneTileOptions()
                let sides = patch.lowercased().split(separator: "x").compactMap { Int($0) }
                guard sides.count == 2, sides[0] == sides[1], sides[0] > 0 else {
                    throw ScaleTileError.argument("--patch", "scene windows are square WxW pixels, got '\(patch)'")
                }
                o.tileSize = sides[0]
                o.overlap = 0
                o.levels = levels
                o.format = format
                o.creationOptions = try creationOptions(creationOptionList)
                o.bands = try bands.map(bandList)
                o.labels = try labelling.sceneLabels()
                o.objectSize = try labelling.band()
                o.seed = seed
                if let threads { o.threads = threads }
                o.existingOutput = output.existingOutput
                o.shard = output.shard ?? .whole
                o.sampling = SceneSampling(strategy: try samplingStrategy(), count: count, negatives: negatives)
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
            case "posneg":
                let parts = ratio.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 0, parts[1] >= 0, parts[0] + parts[1] > 0 else {
                    throw ScaleTileError.argument("--ratio", "'\(ratio)' is not P:N with whole numbers")
                }
                return .positiveNegative(positive: parts[0], negative: parts[1])
            default:
                throw ScaleTileError.argument("--strategy", "'\(strategy)' is not object-balanced, scale-stratified, class-balanced, uniform, posneg or grid")
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
        let work = prepared.plan[prepared.shardRange]
        let bucketOf = Dictionary((prepared.objects?.targets ?? []).map { ($0.id, SizeBucket($0).rawValue) }, uniquingKeysWith: { a, _ in a })
        var tally: [String: (Int, String, String?, Int)] = [:]
        for w in work {
            let bucket = w.targetID.flatMap { bucketOf[$0] }
            let key = "\(w.level)|\(w.reason.rawValue)|\(bucket ?? "")"
            tally[key, default: (w.level, w.reason.rawValue, bucket, 0)].3 += 1
        }
        windows = prepared.plan.count
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
