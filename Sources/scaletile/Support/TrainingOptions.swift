import ArgumentParser
import ScaleTile

extension OutputLayout: ExpressibleByArgument {}
extension YOLOIgnore: ExpressibleByArgument {}
extension SplitUnit: ExpressibleByArgument {}

/// Options that make an output ready for training: splits and layouts, shared by `tile`,
/// `sample` and `split`. On `tile` and `sample` they fill the preset fields `split.*` and
/// `output.*` (``CommandLineFlag``); `split` reads them itself.
struct TrainingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Leak-free, stratified splits of scene windows: train (required), val, test with shares summing to 1.", valueName: "train=0.8,val=0.1,test=0.1"))
    var split: String?

    @Option(name: .customLong("split-by"), help: "What a split assigns: blocks (square blocks of one scene; default) or source (whole inputs; the default for stacks and volumes in a run).")
    var splitBy: SplitUnit?

    @Option(name: .customLong("split-block"), help: ArgumentHelp("Block edge in level-0 pixels (default: (2·tile − overlap)·2^coarsest level).", valueName: "pixels"))
    var splitBlock: Int?

    @Option(help: "Folder arrangement: folder (tiles/; default), yolo (images/, labels/, data.yaml), coco (images/, annotations/), monai (datalist.json; stacks with a mask, npy or NIfTI patches), webdataset (shards/{split}-NNNNNN.tar) or nnunet (Dataset{ID}_{Name}/ of whole cases; scaletile run).")
    var layout: OutputLayout?

    @Option(name: .customLong("samples-per-shard"), help: "WebDataset layouts: samples per tar shard (default 1000).")
    var samplesPerShard: Int?

    @Option(name: .customLong("yolo-ignore"), help: "YOLO layouts: drop the windows showing another split's object (default), or fill its box with the nodata value.")
    var yoloIgnore: YOLOIgnore?

    @Option(name: .customLong("dataset-id"), help: "nnU-Net layouts: the dataset number, 1 to 999 (default 1).")
    var datasetId: Int?

    @Option(name: .customLong("dataset-name"), help: "nnU-Net layouts: the dataset name (default: the preset's name).")
    var datasetName: String?

    @Flag(name: .customLong("crop-foreground"), help: "nnU-Net layouts: crop each case to its mask's foreground box.")
    var cropForeground = false

    /// The values `tile` and `sample` hand to the preset model.
    var values: [CommandLineRequest.Value] {
        [("--split", split), ("--split-by", splitBy?.rawValue), ("--split-block", splitBlock.map { String($0) }),
         ("--layout", layout?.rawValue), ("--samples-per-shard", samplesPerShard.map { String($0) }),
         ("--yolo-ignore", yoloIgnore?.rawValue), ("--dataset-id", datasetId.map { String($0) }), ("--dataset-name", datasetName),
         ("--crop-foreground", cropForeground ? "true" : nil)]
    }

    /// The split request of `scaletile split`, or nil without `--split`.
    func splitOptions() throws -> SplitOptions? {
        guard let split else {
            if splitBlock != nil { throw ScaleTileError.argument("--split-block", "needs --split") }
            if splitBy != nil { throw ScaleTileError.argument("--split-by", "needs --split") }
            return nil
        }
        let options = SplitOptions(shares: try SplitShares(parsing: split), by: splitBy ?? .blocks, blockSize: splitBlock)
        try options.validate()
        return options
    }
}
