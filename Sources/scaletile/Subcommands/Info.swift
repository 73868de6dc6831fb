import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile info PATH [--json]`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe a scene (any GDAL raster) or a TIFF stack.",
            discussion: "A TIFF with several slices (ImageJ or OME metadata, or several full-resolution pages alike) is described as a stack; --as overrides.")

        @Argument(help: "A raster file or GDAL dataset name (/vsicurl/…, /vsis3/…).")
        var path: String

        @Flag(help: "Print JSON (keys documented in the README).")
        var json = false

        @OptionGroup var input: InputKindOption

        func run() throws {
            try reportingFailures {
                let description = try SourceDescription.of(path, as: input.kind)
                if json { try StandardOutput.writeJSON(description) } else { StandardOutput.write(description.text) }
            }
        }
    }
}
