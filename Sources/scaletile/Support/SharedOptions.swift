import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore

/// Options of every command that writes an output folder.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output folder (created if missing).")
    var out: String

    @Flag(help: "Keep the complete tiles of an earlier run into --out and write only the missing ones.")
    var resume = false

    @Flag(help: "Remove an earlier run's files from --out first.")
    var overwrite = false

    @Flag(name: .customLong("dry-run"), help: "Print the plan (counts by level and reason) and write nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @Flag(help: "No progress bar, no final table.")
    var quiet = false

    @Option(help: shardHelp, transform: shardFromArgument)
    var shard: Shard?

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    var existingOutput: OutputFolder.ExistingOutput {
        resume ? .resume : (overwrite ? .overwrite : .refuse)
    }
}

/// Grid options shared by `tile` and presets: tile size, overlap, edge, levels, format.
struct GridOptions: ParsableArguments {
    @Option(name: .customLong("tile-size"), help: "Tile edge in pixels.")
    var tileSize: Int = 512

    @Option(help: ArgumentHelp("Pixels shared by neighbouring tiles: N, XxY or XxYxZ (stacks), or auto (stacks with a mask); default 64 for scenes, 0 for stacks.", valueName: "overlap"))
    var overlap: String?

    @Option(help: "Edge policy: shift (last tile moved inward), pad (overhang filled with nodata) or drop.")
    var edge: EdgePolicy = .shift

    @Option(help: "Levels to tile: 0, 0,2,3, 0-3 or auto (2^-level scale each).")
    var levels: LevelSelection = .explicit([0])

    @Option(help: "Tile format: gtiff, cog, png, jpeg, npy (scenes); tiff, ome-tiff, npy (stacks).")
    var format: TileFormat?

    @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
    var creationOptions: [String] = []

    @Option(help: "Resampling of levels above 0 (average, nearest, mode, gauss, cubic, lanczos, …).")
    var resampling: Resampling = .average

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(name: .customLong("max-memory"), help: ArgumentHelp("Memory budget for input-sized buffers: bytes or K/M/G/T (1024-based); default half the RAM or cgroup limit.", valueName: "SIZE"))
    var maxMemory: String?

    /// The budget `--max-memory` gives, or the default.
    func memoryBudget() throws -> MemoryBudget {
        try maxMemory.map { try MemoryBudget(parsing: $0) } ?? .systemDefault
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
