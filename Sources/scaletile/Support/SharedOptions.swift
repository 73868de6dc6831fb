import ArgumentParser
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

    @Option(help: "Run shard K of N (1 ≤ K ≤ N) of the plan; `scaletile merge` joins the shards.")
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
}
