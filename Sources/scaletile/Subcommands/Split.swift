import ArgumentParser
import Foundation
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile split OUT --split train=0.8,val=0.2 [--layout L]`.
    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a finished output's windows to leak-free, stratified splits, without reading a pixel.",
            discussion: """
            Windows are assigned by spatial blocks; windows straddling two splits are dropped (and, \
            for --layout yolo, windows showing another split's object). manifest.jsonl and \
            summary.json are rewritten in place; the layout is arranged inside OUT by hard links.
            """)

        @Argument(help: "The output folder of a scene tiling or sampling run.")
        var out: String

        @OptionGroup(title: "Training") var training: TrainingOptions

        @Option(help: "Seed of the block assignment.")
        var seed: UInt64 = 0

        @Flag(help: "Print the split summary as JSON.")
        var json = false

        @Flag(help: "No closing line.")
        var quiet = false

        func run() throws {
            try reportingFailures {
                guard let request = try training.splitOptions() else {
                    throw ScaleTileError.argument("--split", "is required: give shares such as train=0.8,val=0.2")
                }
                var job = SplitJob(output: out, split: request)
                job.layout = training.layout ?? .folder
                job.yoloIgnore = training.yoloIgnore ?? .drop
                job.seed = seed
                job.samplesPerShard = training.samplesPerShard ?? OutputLayout.defaultSamplesPerShard
                let summary = try job.run()
                if json {
                    try StandardOutput.writeJSON(summary.split)
                } else if !quiet, let split = summary.split {
                    let counts = request.shares.names.map { "\($0.rawValue) \(split.splits[$0.rawValue]?.windows ?? 0)" }.joined(separator: ", ")
                    StandardError.write("split \(out): \(counts) windows; \(split.leakage.windowsDropped) dropped straddling two splits, \(split.leakage.windowsDroppedForIgnore) for ignore regions\n")
                }
            }
        }
    }
}
