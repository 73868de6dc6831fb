import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile merge OUT... --out DIR [--copy]`.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(.merge)

        @Argument(help: "The shards' output folders, in any order.") var shards: [String]
        @Option(help: "The merged output folder (created if missing).") var out: String
        @Flag(help: "Copy every file instead of hard-linking it.") var copy = false
        @Flag(help: "Remove an earlier run's files from --out first.") var overwrite = false
        @Flag(help: "Print what was merged as JSON.") var json = false
        @Flag(help: "No closing line.") var quiet = false

        func validate() throws {
            if shards.isEmpty { throw ValidationError("give the shards' output folders") }
        }

        func run() throws {
            try reportingFailures {
                var merge = ShardMerge(shards: shards, output: out)
                merge.alwaysCopy = copy
                merge.existingOutput = overwrite ? .overwrite : .refuse
                let report = try merge.run()
                if json { try StandardOutput.writeJSON(report) } else if !quiet { StandardError.write(report.closingLine) }
            }
        }
    }
}
