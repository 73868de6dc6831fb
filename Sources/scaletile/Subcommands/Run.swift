import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile run PRESET.yaml [--input ...] [--set key=value ...] [--out DIR] [--dry-run] [--json] [--shard K/N]`.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(.run)

        @Argument(help: "The preset file (YAML, version: 1).") var preset: String
        @Option(name: .customLong("input"), help: ArgumentHelp("An input replacing the preset's: a path, a glob (scenes/*.tif, expanded by scaletile) or @list.txt (one path per line, # comments). Repeatable.", valueName: "path|glob|@list")) var inputs: [String] = []
        @Option(help: "A label file replacing the preset's labels.path; {stem} stands for each input's name.") var labels: String?
        @Option(help: "Output folder (default: <preset name>-out in the current folder).") var out: String?
        @Option(name: .customLong("set"), help: ArgumentHelp("Override a preset field, the value read as YAML: tiling.size=256, levels.levels=0-2, input.paths=[a.tif,b.tif]. Repeatable.", valueName: "key.path=value")) var overrides: [String] = []
        @Flag(name: .customLong("dry-run"), help: "Print the plan (counts by input, level and reason) and write nothing.") var dryRun = false
        @Flag(name: .customLong("print-preset"), help: "Print the preset as it would run (overrides applied, every field, paths absolute) and stop.") var printPreset = false
        @Flag(help: "Print the result (or with --dry-run the plan) as JSON on standard output.") var json = false
        @Flag(help: "No progress bar, no closing line.") var quiet = false
        @Option(help: shardHelp, transform: shardFromArgument) var shard: Shard?
        @Flag(help: "Keep the complete tiles of an earlier run into the output folder and write only the missing ones.") var resume = false
        @Flag(help: "Remove an earlier run's files from the output folder first.") var overwrite = false
        @Option(help: "Worker threads (default: the preset's threads, else all cores).") var threads: Int?

        func validate() throws {
            if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        }

        func run() throws {
            try reportingFailures {
                let document = try PresetDocument(contentsOf: preset, overrides: overrides)
                if printPreset { return StandardOutput.write(try document.normalizedYAML()) }
                var run = try PresetRun(document: document, inputs: inputs.isEmpty ? nil : inputs, labels: labels, out: out, threads: threads)
                run.shard = shard ?? .whole
                run.existingOutput = resume ? .resume : (overwrite ? .overwrite : .refuse)
                try CommandRunning.perform(run, dryRun: dryRun, json: json, quiet: quiet)
            }
        }
    }
}
