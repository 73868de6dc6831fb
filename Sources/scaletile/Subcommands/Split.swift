import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile split OUT --split train=0.8,val=0.2 [--layout L]`.
    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(.split)

        @Argument(help: "The output folder of a scene tiling or sampling run.") var out: String
        @OptionGroup(title: "Training") var training: TrainingOptions
        @Option(help: "Seed of the block assignment.") var seed: UInt64 = 0
        @Flag(help: "Print the split summary as JSON.") var json = false
        @Flag(help: "No closing line.") var quiet = false

        func run() throws {
            try reportingFailures {
                guard let request = try SplitOptions(split: training.split, by: training.splitBy, block: training.splitBlock) else {
                    throw ScaleTileError.argument("--split", "is required: give shares such as train=0.8,val=0.2")
                }
                if training.maskTiles {
                    throw ScaleTileError.argument("--mask-tiles", "split never reads a pixel: give --mask-tiles when tiling or sampling")
                }
                var job = SplitJob(output: out, split: request)
                job.layout = training.layout ?? .folder
                job.yoloIgnore = training.yoloIgnore ?? .drop
                job.yoloSegments = training.yoloSegments
                job.seed = seed
                job.samplesPerShard = training.samplesPerShard ?? OutputLayout.defaultSamplesPerShard
                let summary = try job.run()
                if json { try StandardOutput.writeJSON(summary.split) } else if !quiet { StandardError.write(job.closingLine(summary)) }
            }
        }
    }
}
