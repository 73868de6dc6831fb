import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore

extension ScaleTileCommand {
    /// `scaletile tile SOURCE --out DIR [options]`.
    struct Tile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut a scene into overlapping tiles (optionally over several pyramid levels).",
            discussion: """
            Tiles keep their georeferencing; manifest.jsonl lists them (window in level-0 pixels, \
            level, bounds, nodata share), summary.json counts them and index.geojson holds their footprints.
            """)

        @Argument(help: "The scene: any raster GDAL reads.")
        var source: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var grid: GridOptions

        @Option(help: "Bands in output order, 1-based (e.g. 3,2,1); default all.")
        var bands: String?

        @Option(help: "Nodata value overriding the file's.")
        var nodata: Double?

        @Option(name: .customLong("max-nodata"), help: "Skip tiles whose nodata share exceeds this fraction (0–1).")
        var maxNodata: Double?

        @Option(help: ArgumentHelp("Linear stretch to 8 bits for png/jpeg tiles of 16-bit or float data.", valueName: "MIN:MAX"))
        var rescale: String?

        @Option(help: ArgumentHelp("Percentile stretch to 8 bits per band for png/jpeg tiles.", valueName: "LOW,HIGH"))
        var stretch: String?

        @Flag(name: .customLong("exact-levels"), help: "Compute levels above 0 from full resolution even when the file has overviews of the right size.")
        var exactLevels = false

        func run() throws {
            try reportingFailures {
                let options = try sceneOptions()
                let job = SceneTileJob(source: source, output: output.out, options: options)
                if output.dryRun {
                    try printPlan(try job.prepare())
                    return
                }
                let progress = TerminalProgress.make(label: "tiles", quiet: output.quiet)
                let start = Date()
                let summary = try job.run(progress: progress)
                progress?.finish()
                if output.json {
                    try StandardOutput.writeJSON(summary)
                } else if !output.quiet {
                    let t = summary.tiles
                    StandardError.write(String(format: "wrote %d tiles into %@ in %.1f s (%d kept from an earlier run, %d skipped for nodata)\n",
                                               t.written, output.out, Date().timeIntervalSince(start), t.resumed, t.skippedNodata))
                }
            }
        }

        func sceneOptions() throws -> SceneTileOptions {
            var o = SceneTileOptions()
            o.tileSize = grid.tileSize
            o.overlap = try Tile.scalarOverlap(grid.overlap)
            o.edge = grid.edge
            o.levels = grid.levels
            o.bands = try bands.map(bandList)
            o.format = grid.format ?? .gtiff
            o.creationOptions = try creationOptions(grid.creationOptions)
            if let threads = grid.threads { o.threads = threads }
            o.nodata = nodata
            o.maxNodataFraction = maxNodata
            o.rescale = try rescale.map { try numberRange($0, option: "--rescale") }
            if let stretch {
                let p = stretch.split(separator: ",").compactMap { Double($0) }
                guard p.count == 2 else { throw ScaleTileError.argument("--stretch", "'\(stretch)' is not LOW,HIGH percentiles such as 2,98") }
                o.stretchPercentiles = (p[0], p[1])
            }
            o.resampling = grid.resampling
            o.useSourceOverviews = !exactLevels
            o.existingOutput = output.existingOutput
            o.shard = output.shard ?? .whole
            try o.validate()
            return o
        }

        /// Scenes share one overlap for X and Y: `N`, or `NxN`.
        static func scalarOverlap(_ text: String) throws -> Int {
            let parts = text.lowercased().split(separator: "x").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                throw ScaleTileError.argument("--overlap", "'\(text)' is not a number of pixels")
            }
            guard Set(parts.map { $0! }).count == 1 else {
                throw ScaleTileError.argument("--overlap", "scenes take one overlap for X and Y, got \(text)")
            }
            return parts[0]!
        }

        func printPlan(_ prepared: SceneTileJob.Prepared) throws {
            let work = prepared.plan[prepared.shardRange]
            if output.json {
                try StandardOutput.writeJSON(Array(work))
                return
            }
            var lines = ["plan for \(source): \(prepared.sceneSize.width) x \(prepared.sceneSize.height) pixels, \(work.count) of \(prepared.plan.count) windows in this shard"]
            for level in prepared.levels {
                let count = work.filter { $0.level == level.index }.count
                let size = level.size(of: prepared.sceneSize)
                lines.append("  level \(level.index) (scale 1/\(level.factor), \(size.width) x \(size.height)): \(count) grid tiles")
            }
            StandardOutput.write(lines.joined(separator: "\n") + "\n")
        }
    }
}
