import ArgumentParser
import ScaleTile
import ScaleTileCore

extension OutputLayout: ExpressibleByArgument {}
extension YOLOIgnore: ExpressibleByArgument {}
extension SplitUnit: ExpressibleByArgument {}

/// Options that make an output ready for training: splits and layouts, shared by `tile`,
/// `sample` and `split`.
struct TrainingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Leak-free, stratified splits: train (required), val, test with shares summing to 1.", valueName: "train=0.8,val=0.1,test=0.1"))
    var split: String?

    @Option(name: .customLong("split-by"), help: "What a split assigns: blocks (square blocks of one source) or source (whole inputs).")
    var splitBy: SplitUnit = .blocks

    @Option(name: .customLong("split-block"), help: ArgumentHelp("Block edge in level-0 pixels (default: (2·tile − overlap)·2^coarsest level).", valueName: "pixels"))
    var splitBlock: Int?

    @Option(help: "Folder arrangement: folder (tiles/), yolo (images/, labels/, data.yaml), coco (images/, annotations/), monai (datalist.json; stacks with a mask, npy patches) or webdataset (shards/{split}-NNNNNN.tar).")
    var layout: OutputLayout = .folder

    @Option(name: .customLong("samples-per-shard"), help: "WebDataset layouts: samples per tar shard.")
    var samplesPerShard: Int = OutputLayout.defaultSamplesPerShard

    @Option(name: .customLong("yolo-ignore"), help: "YOLO layouts: drop the windows holding an ignore region (another split's object), or fill its pixels.")
    var yoloIgnore: YOLOIgnore = .drop

    /// The split request, or nil without `--split`.
    func splitOptions() throws -> SplitOptions? {
        guard let split else {
            if splitBlock != nil { throw ScaleTileError.argument("--split-block", "needs --split") }
            if splitBy != .blocks { throw ScaleTileError.argument("--split-by", "needs --split") }
            return nil
        }
        let options = SplitOptions(shares: try SplitShares(parsing: split), by: splitBy, blockSize: splitBlock)
        try options.validate()
        return options
    }

    /// Sets the training fields of scene options.
    func apply(to options: inout SceneTileOptions) throws {
        options.split = try splitOptions()
        options.layout = layout
        options.yoloIgnore = yoloIgnore
        options.samplesPerShard = samplesPerShard
    }

    /// Sets the training fields of stack options: the layout; splits are for scenes so far.
    func apply(to options: inout StackTileOptions) throws {
        let sceneOnly: [(String, Bool)] = [("--split", split != nil), ("--split-block", splitBlock != nil), ("--split-by", splitBy != .blocks),
                                           ("--yolo-ignore", yoloIgnore != .drop)]
        if let (option, _) = sceneOnly.first(where: { $0.1 }) {
            throw ScaleTileError(.unsupported, option, "splits are for scenes so far, and this is a stack")
        }
        options.layout = layout
    }
}
