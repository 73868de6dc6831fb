import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileMedical

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

        @Argument(help: "The scene: any raster GDAL reads.")
        var source: String

        @Option(help: "Output folder (created if missing).")
        var out: String

        @Option(help: "Levels to build: 1-4, 1,3 or fit (until a level fits one tile; auto is its alias here).")
        var levels: PyramidLevels = PyramidLevels(selection: .auto)

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

        @Flag(name: .customLong("scale-z"), help: "Stacks: levels downsample Z as well (near-isotropic stacks; needs --pyramid-layout files).")
        var scaleZ = false

        @Option(name: .customLong("pyramid-layout"), help: "Stacks: subifd (one OME-TIFF, levels as SubIFDs) or files (one OME-TIFF per level).")
        var pyramidLayout: StackPyramidJob.Layout?

        // The first release's spelling; --layout now names the trainer layouts (DESIGN.md §2).
        @Option(name: .customLong("layout"), help: .hidden)
        var legacyLayout: StackPyramidJob.Layout?

        /// `--pyramid-layout`, or the old `--layout` spelling (with one warning).
        var layout: StackPyramidJob.Layout? {
            if pyramidLayout == nil, legacyLayout != nil {
                StandardError.write("warning: pyramid --layout is now --pyramid-layout (--layout names the trainer layouts)\n")
            }
            return pyramidLayout ?? legacyLayout
        }

        @OptionGroup var input: InputKindOption

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Flag(help: "No progress bar.")
        var quiet = false

        func validate() throws {
            if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        }

        func run() throws {
            try reportingFailures {
                if try SourceKind.of(source, as: input.kind) == .stack {
                    try runStack()
                    return
                }
                if scaleZ || pyramidLayout != nil || legacyLayout != nil {
                    throw ScaleTileError(.invalidArgument, source, "\(scaleZ ? "--scale-z" : "--pyramid-layout") is for stacks, and this is a scene (pass --as stack to read a TIFF as a stack)")
                }
                var options = PyramidJob.Options()
                options.levels = levels.selection
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

        func runStack() throws {
            guard creationOptionList.isEmpty else {
                throw ScaleTileError(.invalidArgument, source, "--co is for scenes, and this is a stack (pass --as scene to read it through GDAL)")
            }
            var options = StackPyramidJob.Options()
            options.levels = levels.selection
            options.tileSize = tileSize
            options.scaleDepth = scaleZ
            options.layout = layout ?? (scaleZ ? .files : .subIFD)
            options.resampling = resampling
            options.existingOutput = resume ? .resume : (overwrite ? .overwrite : .refuse)
            let progress = TerminalProgress.make(label: "slices", quiet: quiet)
            let start = Date()
            let summary = try StackPyramidJob(source: source, output: out, options: options).run(progress: progress)
            progress?.finish()
            if json {
                try StandardOutput.writeJSON(summary)
            } else if !quiet {
                let lines = summary.levels.map { l in
                    "  level \(l.level): \(l.size[0]) x \(l.size[1]) x \(l.size[2]), spacing \(l.spacing)  \(l.path)\(l.subIFD.map { " (SubIFD \($0))" } ?? "")"
                }
                StandardError.write("pyramid of \(source) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n" + lines.joined(separator: "\n") + "\n")
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
