import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore

extension ScaleTileCommand {
    /// `scaletile pyramid SOURCE --out DIR [--levels ...] [--resampling ...]`.
    struct Pyramid: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a scene's multiscale pyramid: one GeoTIFF per level, each pixel an exact 2^level block.",
            discussion: """
            Level ℓ has the scene's origin, a pixel 2^ℓ times larger and ceil(W/2^ℓ) x ceil(H/2^ℓ) pixels; \
            every pixel is resampled by GDAL from its own full-resolution block (nodata left out), in one \
            streaming pass with bounded memory.
            """)

        @Argument(help: "The scene: any raster GDAL reads.")
        var source: String

        @Option(help: "Output folder (created if missing).")
        var out: String

        @Option(help: "Levels to build: 1-4, 1,3 or auto (until a level fits one tile).")
        var levels: LevelSelection = .auto

        @Option(name: .customLong("tile-size"), help: "The tile size auto aims for.")
        var tileSize: Int = 512

        @Option(help: "Resampling: average (images), nearest or mode (label rasters), gauss, cubic, lanczos, rms…")
        var resampling: Resampling = .average

        @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
        var creationOptionList: [String] = []

        @Flag(help: "Keep level files an earlier run finished.")
        var resume = false

        @Flag(help: "Remove an earlier run's files from --out first.")
        var overwrite = false

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            try reportingFailures {
                var options = PyramidJob.Options()
                options.levels = levels
                options.tileSize = tileSize
                options.resampling = resampling
                options.creationOptions = try creationOptions(creationOptionList)
                options.existingOutput = resume ? .resume : (overwrite ? .overwrite : .refuse)
                let progress = TerminalProgress.make(label: "strips", quiet: quiet)
                let start = Date()
                let summary = try PyramidJob(source: source, output: out, options: options).run(progress: progress)
                progress?.finish()
                if json {
                    try StandardOutput.writeJSON(summary)
                } else if !quiet {
                    let lines = summary.levels.map { l in "  level \(l.level): \(l.size[0]) x \(l.size[1])  \(l.path)" }
                    StandardError.write("pyramid of \(source) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n" + lines.joined(separator: "\n") + "\n")
                }
            }
        }
    }
}
