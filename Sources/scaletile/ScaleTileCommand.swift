import ArgumentParser
import Foundation
import ScaleTile

/// The `scaletile` command: a thin root over one file per subcommand (`Subcommands/`).
@main
struct ScaleTileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaletile",
        abstract: "Scale-aware tiling and sampling of satellite scenes and medical stacks.",
        discussion: """
        Exit codes: 0 success; 64 invalid arguments; 65 invalid input data; 66 input not found; \
        69 unsupported input; 74 read/write error; 78 invalid preset; 130 interrupted (SIGINT); 143 terminated (SIGTERM); 1 anything else.
        """,
        version: ScaleTileVersion.string,
        subcommands: [Info.self, Tile.self, Pyramid.self, Analyze.self, Sample.self, Run.self, Merge.self, Split.self, Stitch.self, Quicklook.self,
                      PresetKeys.self])

    /// A mistyped subcommand gets one line naming the nearest one, not a usage dump.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
            let hint = Spelling.nearest(to: first, among: names).map { "; did you mean '\($0)'?" } ?? "; see 'scaletile --help'"
            StandardError.write("error: '\(first)' is not a scaletile command\(hint)\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        main(arguments)
    }
}
