import ArgumentParser
import Foundation
import ScaleTile

/// Options of every command that writes an output folder.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output folder (created if missing).")
    var out: String?

    @Flag(help: "Keep the complete tiles of an earlier run into --out and write only the missing ones.")
    var resume = false

    @Flag(help: "Remove an earlier run's files from --out first.")
    var overwrite = false

    @Flag(name: .customLong("dry-run"), help: "Print the plan (counts by level and reason) and write nothing.")
    var dryRun = false

    @Flag(name: .customLong("print-preset"), help: "Print the preset these flags stand for (paths made absolute) and stop: `scaletile run` on it writes the same files.")
    var printPreset = false

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @Flag(help: "No progress bar, no final table.")
    var quiet = false

    @Option(help: shardHelp, transform: shardFromArgument)
    var shard: Shard?

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if out == nil, !printPreset { throw ValidationError("Missing expected argument '--out <out>'") }
    }

    var existingOutput: OutputFolder.ExistingOutput {
        resume ? .resume : (overwrite ? .overwrite : .refuse)
    }
}

/// Grid options of `tile`: tile size, overlap, edge, levels, format. Defaults are the preset
/// fields' (``PresetSchema``), shown in `--help`.
struct GridOptions: ParsableArguments {
    @Option(name: .customLong("tile-size"), help: helpText("Tile edge in pixels (scenes).", "tiling.size"))
    var tileSize: Int?

    @Option(help: ArgumentHelp("Pixels shared by neighbouring tiles: N, XxY or XxYxZ (stacks), or auto (from the labels' or lesions' sizes); default 64 for scenes, 0 for stacks.", valueName: "overlap"))
    var overlap: String?

    @Option(help: helpText("Edge policy: shift (last tile moved inward), pad (overhang filled with nodata) or drop.", "tiling.edge"))
    var edge: EdgePolicy?

    @Option(help: helpText("Levels to tile: 0, 0,2,3, 0-3 or auto (from --object-size); 2^-level scale each.", "levels.levels"))
    var levels: String?

    @Option(help: "Tile format: gtiff, cog, png, jpeg, npy (scenes; default gtiff); tiff, ome-tiff, npy (stacks; default tiff).")
    var format: TileFormat?

    @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
    var creationOptions: [String] = []

    @Option(help: helpText("Resampling of levels above 0 (average, nearest, mode, gauss, cubic, lanczos, …).", "levels.resampling"))
    var resampling: Resampling?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: helpText("Seed of every random choice.", "seed"))
    var seed: UInt64?

    var values: [CommandLineRequest.Value] {
        [("--tile-size", tileSize.map(String.init)), ("--overlap", overlap), ("--edge", edge?.rawValue), ("--levels", levels),
         ("--format", format?.rawValue), ("--resampling", resampling?.rawValue), ("--threads", threads.map(String.init)),
         ("--seed", seed.map(String.init))] + creationOptions.map { ("--co", $0) }
    }
}

/// `--help` text with the default of the preset field the flag fills.
func helpText(_ text: String, _ keyPath: String) -> ArgumentHelp {
    ArgumentHelp(PresetSchema.field(keyPath).map { "\(text) Default: \($0.defaultValue)." } ?? text)
}

/// `--shard K/N` or `--shard auto`, shared by every command that writes a plan.
let shardHelp = ArgumentHelp(
    "Run shard K of N (1 ≤ K ≤ N) of the plan, or `auto`: the slot of a Slurm job array or a Kubernetes Indexed Job (SCALETILE_SHARD_COUNT gives N there). `scaletile merge` joins the shards.",
    valueName: "K/N|auto")

/// Parses `--shard`, reading the job-array variables for `auto`.
@Sendable
func shardFromArgument(_ text: String) throws -> Shard {
    do {
        return try ShardRequest(parsing: text).resolved(in: ProcessInfo.processInfo.environment)
    } catch let error as ScaleTileError {
        // Argument parser quotes the option and the value itself; add only what is wrong.
        throw ShardArgumentError(description: error.message)
    }
}

/// The reason a `--shard` value was refused, as argument parser prints it after the value.
struct ShardArgumentError: Error, CustomStringConvertible {
    let description: String
}
