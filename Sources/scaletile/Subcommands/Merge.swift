import ArgumentParser
import Foundation
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile merge OUT... --out DIR [--copy]`.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join the output folders of a run's shards into the folder the unsharded run writes.",
            discussion: """
            The shards must be K/N of one run (the same command, inputs and options), every K once. \
            Tiles keep their paths and bytes (hard-linked when on the same filesystem, else copied); \
            manifests and footprint indexes are joined in plan order; summary.json counts the whole run.
            """)

        @Argument(help: "The shards' output folders, in any order.")
        var shards: [String]

        @Option(help: "The merged output folder (created if missing).")
        var out: String

        @Flag(help: "Copy every file instead of hard-linking it.")
        var copy = false

        @Flag(help: "Remove an earlier run's files from --out first.")
        var overwrite = false

        @Flag(help: "Print what was merged as JSON.")
        var json = false

        @Flag(help: "No closing line.")
        var quiet = false

        func validate() throws {
            if shards.isEmpty { throw ValidationError("give the shards' output folders") }
        }

        func run() throws {
            try reportingFailures {
                var merge = ShardMerge(shards: shards, output: out)
                merge.alwaysCopy = copy
                merge.existingOutput = overwrite ? .overwrite : .refuse
                let report = try merge.run()
                if json {
                    try StandardOutput.writeJSON(report)
                } else if !quiet {
                    StandardError.write("merged \(report.shards) shards (scaletile \(report.command)) into \(out): \(report.entries) manifest lines, \(report.linked) files linked, \(report.copied) copied\n")
                }
            }
        }
    }
}
