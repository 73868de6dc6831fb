import ArgumentParser
import ScaleTile

// Every text of `--help` is the library's (``CommandHelp``, ``CommandLineFlag``): a flag's
// line sits beside the preset field it fills, so the two cannot drift apart.

extension CommandConfiguration {
    init(_ help: CommandHelp, name: String? = nil, subcommands: [any ParsableCommand.Type] = []) {
        self.init(commandName: name, abstract: help.abstract, discussion: help.discussion,
                  version: subcommands.isEmpty ? "" : ScaleTileVersion.string, subcommands: subcommands)
    }
}

extension ArgumentHelp {
    /// The `--help` line of flag `name` of `command`, from the library's flag table.
    static func flag(_ name: String, _ command: Preset.Job = .tile) -> ArgumentHelp {
        let flag = CommandLineFlag.named(name, of: command)
        return ArgumentHelp(flag.helpText, valueName: flag.valueName)
    }
}

extension EdgePolicy: ExpressibleByArgument {}
extension TileFormat: ExpressibleByArgument {}
extension Resampling: ExpressibleByArgument {}
extension TIFFKind: ExpressibleByArgument {}
extension Padding: ExpressibleByArgument {}
extension OutputLayout: ExpressibleByArgument {}
extension YOLOIgnore: ExpressibleByArgument {}
extension SplitUnit: ExpressibleByArgument {}
extension DetectionMergeRule: ExpressibleByArgument {}
extension BoxMatchMetric: ExpressibleByArgument {}
extension RasterBlend: ExpressibleByArgument {}
extension RasterUpsampling: ExpressibleByArgument {}
extension MosaicFormat: ExpressibleByArgument {}

/// `--as scene|stack`: the reader an input gets when the DESIGN rule would pick the other one.
struct InputKindOption: ParsableArguments {
    @Option(name: .customLong("as"), help: .flag("--as")) var kind: TIFFKind?
}
