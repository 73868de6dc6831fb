import ArgumentParser
import Foundation
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile sample SOURCE --labels LABELS --out DIR --strategy S --count N --patch WxH[xD]`:
    /// scenes and stacks alike.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw training windows so objects of every size are seen whole, at a useful scale, as often as asked.",
            discussion: """
            Strategies (DESIGN.md §4): object-balanced (per-epoch quotas with weight n^(1-alpha), alpha 1 = every \
            object alike; each window holds its object whole at the finest level where it fits), scale-stratified \
            (equal counts per COCO size bucket), class-balanced, uniform, posneg (positive:negative, positives \
            size-proportional like MONAI), grid. --count is the number of positive windows; --negatives adds \
            windows with no object, on valid data. The audit (bias R, k-coverage, bucket balance, containment, \
            in-band share) ends the run and is in summary.json.

            Stacks (a TIFF with several slices, or --as stack): --labels is the lesion mask on the \
            image's grid (or --mask); --patch XxYxZ voxels (XxY for 2-D patches) or --patch-mm; \
            image and mask patches are written together, each window placed around a lesion holding \
            it whole at a random offset at the finest level where it fits. Negatives hold no lesion \
            voxel and lie on tissue: at least --min-tissue of their voxels above \
            --background-threshold in the image, or inside --tissue-mask.
            """)

        @Argument(help: "The scene (any GDAL raster) or the stack (a multi-page TIFF, ImageJ or OME).")
        var source: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var labelling: LabelOptions
        @OptionGroup(title: "Training") var training: TrainingOptions
        @OptionGroup var input: InputKindOption
        @OptionGroup(title: "Stacks (--patch is the window size of scenes too, WxH pixels, default 512x512)") var stack: StackPatchOptions

        @Option(help: helpText("object-balanced, scale-stratified, class-balanced, uniform, posneg, grid or weighted (with --weights).", "sampling.strategy"))
        var strategy: String?

        @Option(help: "Positive windows per epoch (posneg: all windows).")
        var count: Int

        @Option(help: helpText("object-balanced: object i is chosen with weight n_i^(1-alpha), n_i its size: 0 is size-proportional (what voxel-uniform samplers do), 1 gives every object the same quota, above 1 favours small objects (2 lifted a small detector's small-object AP where small objects were rare).", "sampling.alpha"))
        var alpha: Double?

        @Option(name: .customLong("min-per-object"), help: helpText("Every object whole in at least k windows.", "sampling.minPerObject"))
        var minPerObject: Int?

        @Option(help: "weighted: a raster of sampling weights covering the scene (any resolution; averaged onto a coarse grid).")
        var weights: String?

        @Option(help: helpText("Extra windows without objects, on valid data.", "sampling.negatives"))
        var negatives: Int?

        @Option(help: ArgumentHelp("posneg: positives to negatives. Default: 1:1.", valueName: "P:N"))
        var ratio: String?

        @Option(help: helpText("Levels windows may use: 0, 0-3 or auto (with --object-size).", "levels.levels"))
        var levels: String?

        @Option(help: "Tile format: gtiff, cog, png, jpeg or npy (scenes; default gtiff); tiff, ome-tiff or npy (stacks; default tiff).")
        var format: TileFormat?

        @Option(name: .customLong("co"), help: ArgumentHelp("GDAL creation option KEY=VALUE (repeatable).", valueName: "KEY=VALUE"))
        var creationOptionList: [String] = []

        @Option(help: "Bands in output order, 1-based (e.g. 3,2,1).")
        var bands: String?

        @Option(help: helpText("Seed of every random choice.", "seed"))
        var seed: UInt64?

        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?

        @Option(name: .customLong("max-memory"), help: ArgumentHelp("Memory budget for input-sized buffers: bytes or K/M/G/T (1024-based); default half the RAM or cgroup limit.", valueName: "SIZE"))
        var maxMemory: String?

        @Option(name: .customLong("background-threshold"), help: ArgumentHelp("Stacks: image voxels above this value are tissue, where negatives may lie (CT: -950 keeps lung and body, not air).", valueName: "V"))
        var backgroundThreshold: Double?

        @Option(name: .customLong("tissue-mask"), help: "Stacks: a mask on the image's grid whose non-zero voxels are tissue, where negatives may lie.")
        var tissueMask: String?

        @Option(name: .customLong("min-tissue"), help: helpText("Stacks: the least share of a negative patch's voxels that is tissue.", "sampling.minTissue"))
        var minTissue: Double?

        func run() throws {
            try reportingFailures {
                let values: [CommandLineRequest.Value] = labelling.values + stack.values + training.values + [
                    ("--as", input.kind?.rawValue), ("--strategy", strategy), ("--count", String(count)),
                    ("--alpha", alpha.map { String($0) }), ("--min-per-object", minPerObject.map(String.init)), ("--weights", weights),
                    ("--negatives", negatives.map(String.init)), ("--ratio", ratio), ("--levels", levels), ("--format", format?.rawValue),
                    ("--bands", bands), ("--seed", seed.map(String.init)), ("--threads", threads.map(String.init)), ("--max-memory", maxMemory),
                    ("--background-threshold", backgroundThreshold.map { String($0) }), ("--tissue-mask", tissueMask),
                    ("--min-tissue", minTissue.map { String($0) }),
                ] + creationOptionList.map { ("--co", $0) }
                let request = try CommandLineRequest(command: .sample, source: source, values: values)
                try CommandRunning.perform(request, output: output, progressLabel: request.kind == .stack ? "patches" : "windows")
            }
        }
    }
}
