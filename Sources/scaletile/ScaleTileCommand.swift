import ArgumentParser
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
}
