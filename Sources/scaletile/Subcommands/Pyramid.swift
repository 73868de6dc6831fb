import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile pyramid SOURCE --out DIR [--levels ...] [--resampling ...]`.
    struct Pyramid: ParsableCommand {
        static let configuration = CommandConfiguration(.pyramid)

        @Argument(help: "The scene (any raster GDAL reads), the stack or the volume. Several, a folder or a quoted glob: each into OUT/scenes/<stem>/ (stacks/<stem>/) with one joined manifest.") var sources: [String]
        @Option(help: "Output folder (created if missing).") var out: String?
        @Option(help: .flag("--levels", .pyramid)) var levels: String?
        @Option(name: .customLong("tile-size"), help: .flag("--tile-size", .pyramid)) var tileSize: Int?
        @Option(help: .flag("--resampling", .pyramid)) var resampling: Resampling?
        @Option(name: .customLong("co"), help: .flag("--co", .pyramid)) var creationOptionList: [String] = []
        @Flag(help: "Keep level files an earlier run finished.") var resume = false
        @Flag(help: "Remove an earlier run's files from --out first.") var overwrite = false
        @Flag(name: .customLong("scale-z"), help: .flag("--scale-z", .pyramid)) var scaleZ = false
        @Option(name: .customLong("pyramid-layout"), help: .flag("--pyramid-layout", .pyramid)) var pyramidLayout: String?
        @Option(name: .customLong("layout"), help: .hidden) var legacyLayout: String?
        @OptionGroup var input: InputKindOption
        @Flag(name: .customLong("print-preset"), help: "Print the preset these flags stand for (paths made absolute) and stop.") var printPreset = false
        @Flag(help: "Print the summary as JSON.") var json = false
        @Flag(help: "No progress bar.") var quiet = false

        func validate() throws {
            if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
            if out == nil, !printPreset { throw ValidationError("Missing expected argument '--out <out>'") }
        }

        func run() throws {
            try reportingFailures {
                let values: [CommandLineRequest.Value] = [
                    ("--as", input.kind?.rawValue), ("--levels", levels), ("--tile-size", tileSize.map(String.init)),
                    ("--resampling", resampling?.rawValue), ("--scale-z", scaleZ ? "true" : nil), ("--pyramid-layout", pyramidLayout),
                    ("--layout", legacyLayout),
                ] + creationOptionList.map { ("--co", $0) }
                let output = CommandRunning.Output(out: out, printPreset: printPreset, json: json, quiet: quiet,
                                                   existingOutput: resume ? .resume : (overwrite ? .overwrite : .refuse))
                try CommandRunning.perform(try CommandLineRequest(command: .pyramid, sources: sources, values: values), output: output)
            }
        }
    }
}
