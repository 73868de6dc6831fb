import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile info PATH [--json]`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(.info)

        @Argument(help: "A raster file or GDAL dataset name (/vsicurl/…, /vsis3/…), a TIFF stack or a NIfTI/NRRD volume; several, a folder or a quoted glob are described in turn (--json: an array).") var paths: [String]
        @Flag(help: "Print JSON (keys documented in the README).") var json = false
        @OptionGroup var input: InputKindOption

        func run() throws {
            try reportingFailures {
                let inputs = try InputList(paths)
                let descriptions = try inputs.paths.map { try SourceDescription.of($0, as: input.kind) }
                if json { return try inputs.isBatch ? StandardOutput.writeJSON(descriptions) : StandardOutput.writeJSON(descriptions[0]) }
                StandardOutput.write(inputs.joined(descriptions.map(\.text)))
            }
        }
    }
}
