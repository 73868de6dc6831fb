import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile preset-keys`: the key reference of presets, generated from the options model
    /// (``PresetSchema``); `Domains/README.md` prints it and a test keeps the two in sync.
    struct PresetKeys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preset-keys", abstract: "Print the reference of every preset key (type, default, meaning) as a Markdown table.")

        func run() throws { StandardOutput.write(PresetSchema.markdownTable) }
    }
}
