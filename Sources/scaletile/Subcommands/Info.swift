import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile info PATH [--json]`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(.info)

        @Argument(help: "A raster file or GDAL dataset name (/vsicurl/…, /vsis3/…), a TIFF stack or a NIfTI/NRRD volume.") var path: String
        @Flag(help: "Print JSON (keys documented in the README).") var json = false
        @OptionGroup var input: InputKindOption

        func run() throws {
            try reportingFailures {
                let description = try SourceDescription.of(path, as: input.kind)
                if json { try StandardOutput.writeJSON(description) } else { StandardOutput.write(description.text) }
            }
        }
    }
}
