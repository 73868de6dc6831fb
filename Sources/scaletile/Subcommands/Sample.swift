import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile sample SOURCE --labels LABELS --out DIR --strategy S --count N --patch WxH[xD]`:
    /// scenes and stacks alike.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(.sample)

        @Argument(help: "The scene (any GDAL raster), the stack (a multi-page TIFF, ImageJ or OME) or the volume (NIfTI, NRRD). Several, a folder or a quoted glob: each into OUT/scenes/<stem>/ (stacks/<stem>/) with one joined manifest.") var sources: [String]
        @OptionGroup var output: OutputOptions
        @OptionGroup var labelling: LabelOptions
        @OptionGroup(title: "Training") var training: TrainingOptions
        @OptionGroup(title: "Context") var context: ContextOptions
        @OptionGroup var input: InputKindOption
        @OptionGroup(title: "Windows and stacks (--patch is the window of scenes too: WxW pixels, default 512x512)") var stack: StackPatchOptions
        @Option(name: .customLong("tile-size"), help: .flag("--tile-size", .sample)) var tileSize: Int?
        @Option(help: .flag("--strategy", .sample)) var strategy: String?
        @Option(help: .flag("--count", .sample)) var count: Int
        @Option(help: .flag("--alpha", .sample)) var alpha: Double?
        @Option(name: .customLong("min-per-object"), help: .flag("--min-per-object", .sample)) var minPerObject: Int?
        @Option(help: .flag("--weights", .sample)) var weights: String?
        @Option(help: .flag("--negatives", .sample)) var negatives: Int?
        @Option(help: .flag("--ratio", .sample)) var ratio: String?
        @Option(help: .flag("--levels", .sample)) var levels: String?
        @Option(help: .flag("--format", .sample)) var format: TileFormat?
        @Option(name: .customLong("co"), help: .flag("--co", .sample)) var creationOptionList: [String] = []
        @Option(help: .flag("--bands", .sample)) var bands: String?
        @Option(help: .flag("--seed", .sample)) var seed: UInt64?
        @Option(help: .flag("--threads", .sample)) var threads: Int?
        @Option(name: .customLong("max-memory"), help: .flag("--max-memory", .sample)) var maxMemory: String?
        @Option(name: .customLong("background-threshold"), help: .flag("--background-threshold", .sample)) var backgroundThreshold: Double?
        @Option(name: .customLong("tissue-mask"), help: .flag("--tissue-mask", .sample)) var tissueMask: String?
        @Option(name: .customLong("min-tissue"), help: .flag("--min-tissue", .sample)) var minTissue: Double?

        func run() throws {
            try reportingFailures {
                let values: [CommandLineRequest.Value] = labelling.values + stack.values + training.values + context.values + [
                    ("--as", input.kind?.rawValue), ("--tile-size", tileSize.map(String.init)), ("--strategy", strategy), ("--count", String(count)),
                    ("--alpha", alpha.map { String($0) }), ("--min-per-object", minPerObject.map(String.init)), ("--weights", weights),
                    ("--negatives", negatives.map(String.init)), ("--ratio", ratio), ("--levels", levels), ("--format", format?.rawValue),
                    ("--bands", bands), ("--seed", seed.map(String.init)), ("--threads", threads.map(String.init)), ("--max-memory", maxMemory),
                    ("--background-threshold", backgroundThreshold.map { String($0) }), ("--tissue-mask", tissueMask),
                    ("--min-tissue", minTissue.map { String($0) }),
                ] + creationOptionList.map { ("--co", $0) }
                try CommandRunning.perform(try CommandLineRequest(command: .sample, sources: sources, values: values), output: output)
            }
        }
    }
}
