import ScaleTileCore

/// How the output folder is arranged for a trainer (`--layout`, preset `output.layout`).
public enum OutputLayout: String, Hashable, Sendable, Codable, CaseIterable {
    /// Today's folder: `tiles/L{ℓ}/`, `coco.json`, `labels/`.
    case folder
    /// `images/{split}/`, `labels/{split}/` and `data.yaml` (Ultralytics).
    case yolo
    /// `images/{split}/` and `annotations/instances_{split}.json` (pycocotools, Detectron2, MMDetection).
    case coco
    /// `datalist.json` (MONAI's Decathlon lists of image/label pairs), patches written in place.
    case monai
    /// `shards/{split}-NNNNNN.tar` (WebDataset): `{key}.{ext}`, `{key}.mask.{ext}`, `{key}.json`.
    case webdataset
    /// `Dataset{ID}_{Name}/` (nnU-Net v2 raw): whole cases of volumes and masks, `imagesTr/`,
    /// `labelsTr/`, `imagesTs/`, `dataset.json` (``NNUNetDataset``).
    case nnunet

    /// Whether the layout holds labels, so a run without labels cannot make it.
    public var needsLabels: Bool { self == .yolo || self == .coco }

    /// Samples per WebDataset shard unless `--samples-per-shard` says otherwise.
    public static let defaultSamplesPerShard = 1000
}

/// What a YOLO layout does with an ignore region, which YOLO labels cannot express
/// (`--yolo-ignore`).
public enum YOLOIgnore: String, Hashable, Sendable, Codable, CaseIterable {
    /// Windows holding an ignore region are not written.
    case drop
    /// The ignore region's pixels are filled with the nodata (or fill) value.
    case fill
}

/// `--split`, `--split-by`, `--split-block` (preset `split.shares`, `split.by`, `split.block`).
public struct SplitOptions: Hashable, Sendable {
    /// The splits and their shares.
    public var shares: SplitShares
    /// Blocks of one source, or whole sources.
    public var by: SplitUnit
    /// The block edge in level-0 pixels; nil derives it from tile size, overlap and levels.
    public var blockSize: Int?

    public init(shares: SplitShares, by: SplitUnit = .blocks, blockSize: Int? = nil) {
        self.shares = shares
        self.by = by
        self.blockSize = blockSize
    }

    /// Checks what needs no input.
    public func validate() throws {
        if let blockSize, blockSize < 1 {
            throw ScaleTileError.argument("--split-block", "must be a positive number of level-0 pixels, got \(blockSize)")
        }
    }
}
