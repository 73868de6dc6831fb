import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile tile SOURCE --out DIR [options]`: scenes and stacks alike.
    struct Tile: ParsableCommand {
        static let configuration = CommandConfiguration(.tile)

        @Argument(help: "The scene (any raster GDAL reads), the stack (a multi-page TIFF, ImageJ or OME) or the volume (NIfTI, NRRD). Several, a folder or a quoted glob: each into OUT/scenes/<stem>/ (stacks/<stem>/) with one joined manifest.") var sources: [String]
        @OptionGroup var output: OutputOptions
        @OptionGroup var grid: GridOptions
        @OptionGroup var input: InputKindOption
        @OptionGroup(title: "Stacks") var stack: StackPatchOptions
        @OptionGroup(title: "Scene labels") var labelling: LabelOptions
        @OptionGroup(title: "Training") var training: TrainingOptions
        @OptionGroup(title: "Context") var context: ContextOptions
        @Option(help: .flag("--bands")) var bands: String?
        @Option(help: .flag("--nodata")) var nodata: Double?
        @Option(name: .customLong("max-nodata"), help: .flag("--max-nodata")) var maxNodata: Double?
        @Option(help: .flag("--rescale")) var rescale: String?
        @Option(help: .flag("--stretch")) var stretch: String?
        @Flag(name: .customLong("exact-levels"), help: .flag("--exact-levels")) var exactLevels = false

        func run() throws {
            try reportingFailures {
                let values = grid.values + labelling.values + stack.values + training.values + context.values + [
                    ("--as", input.kind?.rawValue), ("--bands", bands), ("--nodata", nodata.map { String($0) }),
                    ("--max-nodata", maxNodata.map { String($0) }), ("--rescale", rescale), ("--stretch", stretch),
                    ("--exact-levels", exactLevels ? "true" : nil),
                ]
                try CommandRunning.perform(try CommandLineRequest(command: .tile, sources: sources, values: values), output: output)
            }
        }
    }
}
