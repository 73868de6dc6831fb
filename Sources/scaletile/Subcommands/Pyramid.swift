import ArgumentParser
import Foundation
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile pyramid SOURCE --out DIR [--levels ...] [--resampling ...]`.
    struct Pyramid: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the multiscale pyramid of a scene (one GeoTIFF per level) or a stack (OME-TIFF), each pixel an exact 2^level block.",
            discussion: """
            Level ℓ has the scene's origin, a pixel 2^ℓ times larger and ceil(W/2^ℓ) x ceil(H/2^ℓ) pixels; \
            every pixel is resampled by GDAL from its own full-resolution block (nodata left out), in one \
            streaming pass with bounded memory. Stacks are downsampled in X and Y (and Z with --scale-z), \
            average for images and nearest or mode for masks (--resampling nearest), with the spacing scaled \
            per level; --pyramid-layout subifd writes one OME-TIFF with each plane's levels as SubIFDs, \
            --pyramid-layout files one OME-TIFF stack per level.
            """)

        @Argument(help: "The scene (any raster GDAL reads) or the stack.")
        var source: String

        @Option(help: "Output folder (created if missing).")
        var out: String?

        @Option(help: "Levels to build: 1-4, 1,3 or fit (until a level fits one tile; auto is its alias here). Default: fit.")
        var levels: PyramidLevels?

        @Option(name: .customLong("tile-size"), help: helpText("The tile size fit aims for.", "tiling.size"))
        var tileSize: Int?

        @Option(help: helpText("Resampling: average (images), nearest or mode (label rasters), gauss, cubic, lanczos, rms…", "levels.resampling"))
        var resampling: Resampling?

        @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
        var creationOptionList: [String] = []

        @Flag(help: "Keep level files an earlier run finished.")
        var resume = false

        @Flag(help: "Remove an earlier run's files from --out first.")
        var overwrite = false

        @Flag(name: .customLong("scale-z"), help: "Stacks: levels downsample Z as well (near-isotropic stacks; needs --pyramid-layout files).")
        var scaleZ = false

        @Option(name: .customLong("pyramid-layout"), help: "Stacks: subifd (one OME-TIFF, levels as SubIFDs) or files (one OME-TIFF per level). Default: files with --scale-z, else subifd.")
        var pyramidLayout: StackPyramidJob.Layout?

        // The first release's spelling; --layout now names the trainer layouts (DESIGN.md §2).
        @Option(name: .customLong("layout"), help: .hidden)
        var legacyLayout: StackPyramidJob.Layout?

        @OptionGroup var input: InputKindOption

        @Flag(name: .customLong("print-preset"), help: "Print the preset these flags stand for (paths made absolute) and stop.")
        var printPreset = false

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Flag(help: "No progress bar.")
        var quiet = false

        func validate() throws {
            if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
            if out == nil, !printPreset { throw ValidationError("Missing expected argument '--out <out>'") }
        }

        func run() throws {
            try reportingFailures {
                if pyramidLayout == nil, legacyLayout != nil {
                    StandardError.write("warning: pyramid --layout is now --pyramid-layout (--layout names the trainer layouts)\n")
                }
                let layout = (pyramidLayout ?? legacyLayout).map { $0 == .subIFD ? "subifd" : "files" }
                let values: [CommandLineRequest.Value] = [
                    ("--as", input.kind?.rawValue), ("--levels", levels?.selection.description),
                    ("--tile-size", tileSize.map(String.init)), ("--resampling", resampling?.rawValue),
                    ("--scale-z", scaleZ ? "true" : nil), ("--pyramid-layout", layout),
                ] + creationOptionList.map { ("--co", $0) }
                let request = try CommandLineRequest(command: .pyramid, source: source, values: values)
                let output = CommandRunning.Output(out: out, printPreset: printPreset, json: json, quiet: quiet,
                                                   existingOutput: resume ? .resume : (overwrite ? .overwrite : .refuse))
                try CommandRunning.perform(request, output: output, progressLabel: request.kind == .stack ? "slices" : "strips")
            }
        }
    }
}

/// `pyramid --levels`: a level list, or `fit` — levels until one fits a tile (`auto`, its
/// first-release spelling, is kept as an alias; in `tile` and `sample`, `auto` means the levels
/// `--object-size` asks for).
struct PyramidLevels: ExpressibleByArgument {
    let selection: LevelSelection

    init(selection: LevelSelection) { self.selection = selection }

    var defaultValueDescription: String { selection == .auto ? "fit" : selection.description }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "fit" { selection = .auto; return }
        guard let parsed = LevelSelection(argument: argument) else { return nil }
        selection = parsed
    }
}
