import ArgumentParser
import Foundation
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile tile SOURCE --out DIR [options]`: scenes and stacks alike.
    struct Tile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut a scene into overlapping tiles, or a stack (and its mask) into overlapping patches.",
            discussion: """
            A TIFF is a stack when its ImageJ or OME metadata or its pages say it has several slices; \
            anything else is a scene read through GDAL (--as overrides). Scenes: tiles keep their \
            georeferencing; manifest.jsonl lists them (window in level-0 pixels, level, bounds, nodata \
            share), summary.json counts them and index.geojson holds their footprints. Stacks: patches \
            (--patch XxYxZ voxels, depth 1 for 2-D patches per slice, or --patch-mm) with their mask \
            patches; manifest.jsonl gives each patch's window in level-0 voxels, spacing and the \
            lesions it meets; summary.json the grid, the lesions and the scale audit.
            """)

        @Argument(help: "The scene (any raster GDAL reads) or the stack (a multi-page TIFF, ImageJ or OME).")
        var source: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var grid: GridOptions
        @OptionGroup var input: InputKindOption
        @OptionGroup(title: "Stacks") var stack: StackPatchOptions
        @OptionGroup(title: "Scene labels") var labelling: LabelOptions
        @OptionGroup(title: "Training") var training: TrainingOptions

        @Option(help: "Scenes: bands in output order, 1-based (e.g. 3,2,1); default all.")
        var bands: String?

        @Option(help: "Scenes: nodata value overriding the file's.")
        var nodata: Double?

        @Option(name: .customLong("max-nodata"), help: "Scenes: skip tiles whose nodata share exceeds this fraction (0–1).")
        var maxNodata: Double?

        @Option(help: ArgumentHelp("Scenes: linear stretch to 8 bits for png/jpeg tiles of 16-bit or float data.", valueName: "MIN:MAX"))
        var rescale: String?

        @Option(help: ArgumentHelp("Scenes: percentile stretch to 8 bits per band for png/jpeg tiles.", valueName: "LOW,HIGH"))
        var stretch: String?

        @Flag(name: .customLong("exact-levels"), help: "Scenes: compute levels above 0 from full resolution even when the file has overviews of the right size.")
        var exactLevels = false

        func run() throws {
            try reportingFailures {
                let values = grid.values + labelling.values + stack.values + training.values + [
                    ("--as", input.kind?.rawValue), ("--bands", bands), ("--nodata", nodata.map { String($0) }),
                    ("--max-nodata", maxNodata.map { String($0) }), ("--rescale", rescale), ("--stretch", stretch),
                    ("--exact-levels", exactLevels ? "true" : nil),
                ]
                let request = try CommandLineRequest(command: .tile, source: source, values: values)
                try CommandRunning.perform(request, output: output, progressLabel: request.kind == .stack ? "patches" : "tiles")
            }
        }
    }
}
