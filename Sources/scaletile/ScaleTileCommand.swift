import ArgumentParser
import ScaleTile

/// The `scaletile` command: a thin root over one file per subcommand (`Subcommands/`).
@main
struct ScaleTileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        .root, name: "scaletile",
        subcommands: [Info.self, Tile.self, Pyramid.self, Analyze.self, Sample.self, Run.self, Merge.self, Split.self, Stitch.self,
                      Quicklook.self, PresetKeys.self])

    /// A mistyped subcommand gets one line naming the nearest one, not a usage dump.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
            let hint = Spelling.nearest(to: first, among: names).map { "; did you mean '\($0)'?" } ?? "; see 'scaletile --help'"
            StandardError.write("error: '\(first)' is not a scaletile command\(hint)\n")
            Self.exit(withError: ExitCode.validationFailure)
        }
        main(arguments)
    }
}
