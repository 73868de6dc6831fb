import ArgumentParser
import ScaleTile

/// Options of every command that writes an output folder.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output folder (created if missing).") var out: String?
    @Flag(help: "Keep the complete tiles of an earlier run into --out and write only the missing ones.") var resume = false
    @Flag(help: "Remove an earlier run's files from --out first.") var overwrite = false
    @Flag(name: .customLong("dry-run"), help: "Print the plan (counts by level and reason) and write nothing.") var dryRun = false
    @Flag(name: .customLong("print-preset"), help: "Print the preset these flags stand for (paths made absolute) and stop: `scaletile run` on it writes the same files.") var printPreset = false
    @Flag(help: "Print the result as JSON on standard output.") var json = false
    @Flag(help: "No progress bar, no final table.") var quiet = false
    @Option(help: shardHelp, transform: shardFromArgument) var shard: Shard?

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if out == nil, !printPreset { throw ValidationError("Missing expected argument '--out <out>'") }
    }

    var existingOutput: OutputFolder.ExistingOutput { resume ? .resume : (overwrite ? .overwrite : .refuse) }
}

/// Grid options of `tile`: tile size, overlap, edge, levels, format.
struct GridOptions: ParsableArguments {
    @Option(name: .customLong("tile-size"), help: .flag("--tile-size")) var tileSize: Int?
    @Option(help: .flag("--overlap")) var overlap: String?
    @Option(help: .flag("--edge")) var edge: EdgePolicy?
    @Option(help: .flag("--levels")) var levels: String?
    @Option(help: .flag("--format")) var format: TileFormat?
    @Option(name: .customLong("co"), help: .flag("--co")) var creationOptions: [String] = []
    @Option(help: .flag("--resampling")) var resampling: Resampling?
    @Option(help: .flag("--threads")) var threads: Int?
    @Option(name: .customLong("max-memory"), help: .flag("--max-memory")) var maxMemory: String?
    @Option(help: .flag("--seed")) var seed: UInt64?

    var values: [CommandLineRequest.Value] {
        [("--tile-size", tileSize.map(String.init)), ("--overlap", overlap), ("--edge", edge?.rawValue), ("--levels", levels),
         ("--format", format?.rawValue), ("--resampling", resampling?.rawValue), ("--threads", threads.map(String.init)),
         ("--seed", seed.map(String.init)), ("--max-memory", maxMemory)] + creationOptions.map { ("--co", $0) }
    }
}

/// Options about labels, shared by `tile` and `sample`: a scene's objects, or a stack's mask.
struct LabelOptions: ParsableArguments {
    @Option(help: .flag("--labels")) var labels: String?
    @Option(name: .customLong("label-format"), help: .flag("--label-format")) var labelFormat: String?
    @Option(name: .customLong("class-field"), help: .flag("--class-field")) var classField: String?
    @Option(help: .flag("--classes")) var classes: String?
    @Option(name: .customLong("min-visible"), help: .flag("--min-visible")) var minVisible: Double?
    @Option(help: .flag("--export")) var export: String?
    @Option(name: .customLong("object-size"), help: .flag("--object-size")) var objectSize: String?
    @Option(help: .flag("--beta")) var beta: Double?
    @Flag(name: .customLong("zoom-in"), help: .flag("--zoom-in")) var zoomIn = false

    var values: [CommandLineRequest.Value] {
        [("--labels", labels), ("--label-format", labelFormat), ("--class-field", classField), ("--classes", classes),
         ("--min-visible", minVisible.map { String($0) }), ("--export", export), ("--object-size", objectSize),
         ("--beta", beta.map { String($0) }), ("--zoom-in", zoomIn ? "true" : nil)]
    }
}

/// Options of `tile` and `sample` that only stacks take.
struct StackPatchOptions: ParsableArguments {
    @Option(help: .flag("--patch")) var patch: String?
    @Option(name: .customLong("patch-mm"), help: .flag("--patch-mm")) var patchMillimetres: String?
    @Option(help: .flag("--mask")) var mask: String?
    @Option(help: .flag("--padding")) var padding: Padding?
    @Option(name: .customLong("pad-value"), help: .flag("--pad-value")) var padValue: Double?
    @Flag(name: .customLong("scale-z"), help: .flag("--scale-z")) var scaleZ = false
    @Option(help: .flag("--channels")) var channels: String?
    @Option(name: .customLong("mask-resampling"), help: .flag("--mask-resampling")) var maskResampling: Resampling?
    @Option(help: .flag("--connectivity")) var connectivity: Int?
    @Flag(name: .customLong("apply-scaling"), help: .flag("--apply-scaling")) var applyScaling = false

    var values: [CommandLineRequest.Value] {
        [("--patch", patch), ("--patch-mm", patchMillimetres), ("--mask", mask), ("--padding", padding?.rawValue),
         ("--pad-value", padValue.map { String($0) }), ("--scale-z", scaleZ ? "true" : nil), ("--channels", channels),
         ("--mask-resampling", maskResampling?.rawValue), ("--connectivity", connectivity.map(String.init)),
         ("--apply-scaling", applyScaling ? "true" : nil)]
    }
}

/// Splits and layouts, shared by `tile`, `sample` and `split`: on `tile` and `sample` they fill
/// the preset fields `split.*` and `output.*`; `split` reads them itself.
struct TrainingOptions: ParsableArguments {
    @Option(help: .flag("--split")) var split: String?
    @Option(name: .customLong("split-by"), help: .flag("--split-by")) var splitBy: SplitUnit?
    @Option(name: .customLong("split-block"), help: .flag("--split-block")) var splitBlock: Int?
    @Option(help: .flag("--layout")) var layout: OutputLayout?
    @Option(name: .customLong("samples-per-shard"), help: .flag("--samples-per-shard")) var samplesPerShard: Int?
    @Option(name: .customLong("yolo-ignore"), help: .flag("--yolo-ignore")) var yoloIgnore: YOLOIgnore?
    @Flag(name: .customLong("yolo-segments"), help: .flag("--yolo-segments")) var yoloSegments = false
    @Option(name: .customLong("dataset-id"), help: .flag("--dataset-id")) var datasetId: Int?
    @Option(name: .customLong("dataset-name"), help: .flag("--dataset-name")) var datasetName: String?
    @Flag(name: .customLong("crop-foreground"), help: .flag("--crop-foreground")) var cropForeground = false
    @Flag(name: .customLong("mask-tiles"), help: .flag("--mask-tiles")) var maskTiles = false

    var values: [CommandLineRequest.Value] {
        [("--split", split), ("--split-by", splitBy?.rawValue), ("--split-block", splitBlock.map { String($0) }),
         ("--layout", layout?.rawValue), ("--samples-per-shard", samplesPerShard.map { String($0) }),
         ("--yolo-ignore", yoloIgnore?.rawValue), ("--yolo-segments", yoloSegments ? "true" : nil), ("--dataset-id", datasetId.map { String($0) }), ("--dataset-name", datasetName),
         ("--crop-foreground", cropForeground ? "true" : nil), ("--mask-tiles", maskTiles ? "true" : nil)]
    }
}

/// `--shard K/N` or `--shard auto`, shared by every command that writes a plan.
let shardHelp = ArgumentHelp(
    "Run shard K of N (1 ≤ K ≤ N) of the plan, or `auto`: the slot of a Slurm job array or a Kubernetes Indexed Job (SCALETILE_SHARD_COUNT gives N there). `scaletile merge` joins the shards.",
    valueName: "K/N|auto")

/// Parses `--shard`, reading the job-array variables for `auto`.
@Sendable
func shardFromArgument(_ text: String) throws -> Shard {
    do {
        return try ShardRequest.shard(fromArgument: text)
    } catch let error as ScaleTileError {
        // Argument parser quotes the option and the value itself; add only what is wrong.
        throw ShardArgumentError(description: error.message)
    }
}

/// The reason a `--shard` value was refused, as argument parser prints it after the value.
struct ShardArgumentError: Error, CustomStringConvertible {
    let description: String
}
