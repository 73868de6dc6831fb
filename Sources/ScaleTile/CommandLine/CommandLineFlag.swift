import ScaleTileCore

/// One flag of `scaletile tile`, `sample` or `pyramid`, and the preset field it fills.
///
/// This table is the one place where the command line meets the options model: a flag has no
/// default and no parser of its own. Its value goes into the preset field as a `--set` would
/// (``PresetOverride``), so the field's default, parser and checks (``Preset``,
/// ``PresetSchema``) serve the flag, the preset key and a Swift caller alike, and
/// `--print-preset` can write any command as the preset that runs it.
public struct CommandLineFlag: Hashable, Sendable {
    /// How the flag's text becomes the field's YAML value.
    public enum Form: Hashable, Sendable {
        /// Read as YAML, as `--set` reads it: numbers, sizes (`96x96x32`), names.
        case yaml
        /// Taken as text whatever it looks like: paths, class fields, `MIN:MAX` ranges.
        case text
        /// A comma-separated list (`3,2,1`, `coco,yolo`) as a YAML list; `none` is empty.
        case list(quoted: Bool)
        /// A flag without a value: the field is `true`.
        case on
        /// `KEY=VALUE`, repeatable: one key of an open mapping (GDAL creation options).
        case keyValue
    }

    /// Which sources the flag is for: the other kind refuses it rather than ignore it.
    public enum Sources: Hashable, Sendable {
        case scenes, stacks, both
    }

    /// The flag as typed, `--tile-size`.
    public let name: String
    /// The preset field it fills, `tiling.size`.
    public let keyPath: String
    public let form: Form
    public let sources: Sources
    /// What `--help` says of the flag; ``helpText`` adds the field's default.
    public let help: String
    /// The value's placeholder in `--help` (`MIN:MAX`), when the flag's own name says too little.
    public let valueName: String?
    /// Whether `--help` names the preset field's default after the text.
    let showsDefault: Bool

    init(_ name: String, _ keyPath: String, _ form: Form = .yaml, _ sources: Sources = .both,
         _ help: String, value valueName: String? = nil, showsDefault: Bool = false) {
        self.name = name
        self.keyPath = keyPath
        self.form = form
        self.sources = sources
        self.help = help
        self.valueName = valueName
        self.showsDefault = showsDefault
    }

    /// The help text, with the default of the field it fills where that says something.
    public var helpText: String {
        guard showsDefault, let field = PresetSchema.field(keyPath) else { return help }
        return "\(help) Default: \(field.defaultValue)."
    }

    /// Flag `name` of `command`, for its `--help` line.
    public static func named(_ name: String, of command: Preset.Job) -> CommandLineFlag {
        guard let flag = flags(of: command).first(where: { $0.name == name }) else {
            preconditionFailure("\(name) is not a flag of scaletile \(command.rawValue)")
        }
        return flag
    }
}

extension CommandLineFlag {
    /// The flags of `command`, in the order `--help` lists them.
    public static func flags(of command: Preset.Job) -> [CommandLineFlag] {
        switch command {
        case .tile: return grid + labels + stacks + sceneReading + [exactLevels] + training + context
        case .sample:
            return sampling + labels.filter { $0.name != "--zoom-in" } + stacks.filter { $0.name != "--patch" }
                + sceneReading.filter { $0.name == "--bands" } + training + context
        case .pyramid: return pyramid
        }
    }

    /// The flag of `command` that fills `keyPath`: the one the user gave when two fill it
    /// (`--labels`, `--mask`), else the first.
    static func flag(filling keyPath: String, of command: Preset.Job, given: Set<String> = []) -> CommandLineFlag? {
        let candidates = flags(of: command).filter { $0.keyPath == keyPath }
        return candidates.first { given.contains($0.name) } ?? candidates.first
    }

    private static let common: [CommandLineFlag] = [
        CommandLineFlag("--as", "input.as", .yaml, .both, "Read the input as a scene (GDAL) or a stack (libtiff) whatever its layout suggests."),
        CommandLineFlag("--format", "output.format", .yaml, .both, "Tile format: gtiff, cog, png, jpeg or npy (scenes; default gtiff); tiff, ome-tiff, npy or nifti (stacks; default tiff)."),
        CommandLineFlag("--co", "output.creationOptions", .keyValue, .scenes, "GDAL creation option KEY=VALUE (repeatable).", value: "KEY=VALUE"),
        CommandLineFlag("--threads", "threads", .yaml, .both, "Worker threads (default: all cores)."),
        CommandLineFlag("--seed", "seed", .yaml, .both, "Seed of every random choice.", showsDefault: true),
        CommandLineFlag("--max-memory", "limits.maxMemory", .yaml, .both, "Memory budget for input-sized buffers: bytes or K/M/G/T (1024-based).", value: "SIZE", showsDefault: true),
    ]

    private static let grid: [CommandLineFlag] = common + [
        CommandLineFlag("--tile-size", "tiling.size", .yaml, .scenes, "Tile edge in pixels (scenes).", showsDefault: true),
        CommandLineFlag("--overlap", "tiling.overlap", .yaml, .both, "Pixels shared by neighbouring tiles: N, XxY or XxYxZ (stacks), or auto (from the labels' or lesions' sizes); default 64 for scenes, 0 for stacks."),
        CommandLineFlag("--edge", "tiling.edge", .yaml, .both, "Edge policy: shift (last tile moved inward), pad (overhang filled with nodata) or drop.", showsDefault: true),
        CommandLineFlag("--levels", "levels.levels", .text, .both, "Levels to tile: 0, 0,2,3, 0-3 or auto (from --object-size); 2^-level scale each.", showsDefault: true),
        CommandLineFlag("--resampling", "levels.resampling", .yaml, .both, "Resampling of levels above 0 (average, nearest, mode, gauss, cubic, lanczos, …).", showsDefault: true),
    ]

    private static let labels: [CommandLineFlag] = [
        CommandLineFlag("--labels", "labels.path", .text, .both, "Labels: GeoJSON/GeoPackage/Shapefile, COCO JSON, YOLO txt, Pascal VOC XML, CSV boxes or a label raster; a stack's lesion mask."),
        CommandLineFlag("--label-format", "labels.format", .yaml, .scenes, "auto (from the file), coco, yolo, voc, csv, vector or raster.", showsDefault: true),
        CommandLineFlag("--class-field", "labels.classField", .text, .scenes, "Attribute holding the class of vector labels (default: class, category, label or building)."),
        CommandLineFlag("--classes", "labels.classes", .list(quoted: true), .scenes, "Class names in order (YOLO class numbers; others must be among them), comma-separated."),
        CommandLineFlag("--min-visible", "labels.minVisible", .yaml, .scenes, "An object is a tile's label when at least this share of its box is inside.", showsDefault: true),
        CommandLineFlag("--export", "labels.exports", .list(quoted: false), .scenes, "Label exports besides the manifest: coco, yolo, geojson (comma-separated; default coco)."),
        CommandLineFlag("--object-size", "target.objectSize", .text, .scenes, "Size band objects should have at their level, in pixels (with --levels auto).", value: "MIN:MAX"),
        CommandLineFlag("--beta", "weights.beta", .yaml, .both, "β of the effective-number class weights the summary reports (Cui et al. 2019), in [0, 1).", value: "beta", showsDefault: true),
        CommandLineFlag("--zoom-in", "levels.zoomIn", .on, .scenes, "Objects smaller than --object-size's minimum even at full resolution get magnified windows (level −k: a smaller window resampled up)."),
    ]

    private static let stacks: [CommandLineFlag] = [
        CommandLineFlag("--patch", "tiling.size", .yaml, .stacks, "Patch size in voxels: XxYxZ, or XxY for 2-D patches slice by slice.", value: "XxYxZ"),
        CommandLineFlag("--patch-mm", "tiling.sizeMm", .text, .stacks, "Patch size in millimetres, converted with the stack's spacing (nearest voxel, at least 1).", value: "XxYxZ"),
        CommandLineFlag("--mask", "labels.path", .text, .stacks, "The mask stack (labels or lesions) of the image: same width, height and depth; patched with the same windows."),
        CommandLineFlag("--padding", "tiling.padding", .yaml, .stacks, "Filling of image voxels past the stack's edge: constant (--pad-value), edge (replicate) or reflect (mirror, as numpy). Masks take 0.", showsDefault: true),
        CommandLineFlag("--pad-value", "tiling.padValue", .yaml, .stacks, "The value of constant padding.", showsDefault: true),
        CommandLineFlag("--scale-z", "levels.scaleZ", .on, .stacks, "Levels downsample Z as well as X and Y (near-isotropic stacks)."),
        CommandLineFlag("--channels", "input.bands", .list(quoted: false), .stacks, "Channels in output order, 1-based (e.g. 2,1); default all."),
        CommandLineFlag("--mask-resampling", "levels.maskResampling", .yaml, .stacks, "Resampling of mask levels above 0: nearest or mode (X and Y only).", showsDefault: true),
        CommandLineFlag("--connectivity", "labels.connectivity", .yaml, .stacks, "Voxels forming one lesion: 6, 18 or 26 neighbours (4 or 8 in a plane). Default: 26 (8 in a plane)."),
        CommandLineFlag("--apply-scaling", "input.applyScaling", .on, .stacks, "NIfTI: apply scl_slope/scl_inter and write image patches as Float32 (default: keep stored values)."),
    ]

    private static let sceneReading: [CommandLineFlag] = [
        CommandLineFlag("--bands", "input.bands", .list(quoted: false), .scenes, "Scenes: bands in output order, 1-based (e.g. 3,2,1); default all."),
        CommandLineFlag("--nodata", "input.nodata", .yaml, .scenes, "Scenes: nodata value overriding the file's."),
        CommandLineFlag("--max-nodata", "tiling.maxNodata", .yaml, .scenes, "Scenes: skip tiles whose nodata share exceeds this fraction (0–1)."),
        CommandLineFlag("--rescale", "output.rescale", .text, .scenes, "Scenes: linear stretch to 8 bits for png/jpeg tiles of 16-bit or float data.", value: "MIN:MAX"),
        CommandLineFlag("--stretch", "output.stretch", .text, .scenes, "Scenes: percentile stretch to 8 bits per band for png/jpeg tiles.", value: "LOW,HIGH"),
    ]

    /// Splits and trainer layouts (issue 12): splits are for scenes so far; stacks take
    /// `--layout folder|monai`.
    private static let training: [CommandLineFlag] = [
        CommandLineFlag("--split", "split.shares", .text, .both, "Leak-free, stratified splits: of a scene's windows by blocks, of several inputs by whole inputs; train (required), val, test with shares summing to 1.", value: "train=0.8,val=0.1,test=0.1"),
        CommandLineFlag("--split-by", "split.by", .yaml, .both, "What a split assigns: blocks (square blocks of one scene; default) or source (whole inputs; the default for stacks and volumes in a run)."),
        CommandLineFlag("--split-block", "split.block", .yaml, .scenes, "Block edge in level-0 pixels (default: (2·tile − overlap)·2^coarsest level; with --context-levels at least 2·tile·2^coarsest context level).", value: "pixels"),
        CommandLineFlag("--layout", "output.layout", .yaml, .both, "Folder arrangement: folder (tiles/; default), yolo (images/, labels/, data.yaml), coco (images/, annotations/), monai (datalist.json; stacks with a mask, npy or NIfTI patches; scenes with --mask-tiles, npy tiles), webdataset (shards/{split}-NNNNNN.tar) or nnunet (Dataset{ID}_{Name}/ of whole cases; scaletile run)."),
        CommandLineFlag("--samples-per-shard", "output.samplesPerShard", .yaml, .scenes, "WebDataset layouts: samples per tar shard (default 1000)."),
        CommandLineFlag("--yolo-ignore", "output.yoloIgnore", .yaml, .scenes, "YOLO layouts: drop the windows showing another split's object (default), or fill its box with the nodata value."),
        CommandLineFlag("--mask-tiles", "output.maskTiles", .on, .scenes, "Scenes: write beside each tile its mask tile (<id>_mask.<ext>, Byte): the label raster's pixels, or the vector labels rasterised (0 background, 1…N classes, 255 another split's objects). Needs --labels."),
        CommandLineFlag("--yolo-segments", "output.yoloSegments", .on, .scenes, "YOLO layouts and exports: polygon labels as segmentation lines (class x1 y1 x2 y2 …), outlines clipped to the tile (largest part, no holes); boxes become their four corners."),
        CommandLineFlag("--dataset-id", "output.datasetId", .yaml, .stacks, "nnU-Net layouts: the dataset number, 1 to 999 (default 1)."),
        CommandLineFlag("--dataset-name", "output.datasetName", .text, .stacks, "nnU-Net layouts: the dataset name (default: the preset's name)."),
        CommandLineFlag("--crop-foreground", "output.cropForeground", .on, .stacks, "nnU-Net layouts: crop each case to its mask's foreground box."),
    ]

    /// Multi-scale context (issue 12), for scenes and stacks alike.
    private static let context: [CommandLineFlag] = [
        CommandLineFlag("--context-levels", "context.levels", .list(quoted: false), .both, "Multi-scale context: absolute levels (e.g. 2,4); each window gets, at every listed level coarser than its own, a tile of its size centred on its centre, filled past the source.", value: "LEVELS"),
        CommandLineFlag("--context-as", "context.as", .yaml, .both, "Context tiles as files beside the window ({id}_ctx{level}.{ext}; default) or as channels appended to the window's file (its own first, then each level finest first)."),
    ]

    private static let exactLevels = CommandLineFlag("--exact-levels", "levels.exact", .on, .scenes, "Scenes: compute levels above 0 from full resolution even when the file has overviews of the right size.")

    private static let sampling: [CommandLineFlag] = common + [
        // Scenes take square windows WxW; stacks XxYxZ voxels.
        CommandLineFlag("--patch", "tiling.size", .yaml, .both, "Window size: WxW pixels for scenes (default 512x512), XxYxZ voxels for stacks (XxY for 2-D patches slice by slice).", value: "XxYxZ"),
        CommandLineFlag("--tile-size", "tiling.size", .yaml, .scenes, "Scenes: the window edge in pixels, as tile's --tile-size (the same as --patch WxW).", showsDefault: true),
        CommandLineFlag("--levels", "levels.levels", .text, .both, "Levels windows may use: 0, 0-3 or auto (with --object-size).", showsDefault: true),
        CommandLineFlag("--strategy", "sampling.strategy", .yaml, .both, "object-balanced, scale-stratified, class-balanced, uniform, posneg, grid or weighted (with --weights).", showsDefault: true),
        CommandLineFlag("--count", "sampling.count", .yaml, .both, "Positive windows per epoch (posneg: all windows)."),
        CommandLineFlag("--alpha", "sampling.alpha", .yaml, .both, "object-balanced: object i is chosen with weight n_i^(1-alpha), n_i its size: 0 is size-proportional (what voxel-uniform samplers do), 1 gives every object the same quota, above 1 favours small objects (2 lifted a small detector's small-object AP where small objects were rare).", showsDefault: true),
        CommandLineFlag("--min-per-object", "sampling.minPerObject", .yaml, .both, "Every object whole in at least k windows.", showsDefault: true),
        CommandLineFlag("--weights", "sampling.map", .text, .both, "weighted: a raster of sampling weights covering the scene or a volume covering the stack (any resolution; averaged onto a coarse grid)."),
        CommandLineFlag("--negatives", "sampling.negatives", .yaml, .both, "Extra windows without objects, on valid data.", showsDefault: true),
        CommandLineFlag("--ratio", "sampling.ratio", .text, .both, "posneg: positives to negatives. Default: 1:1.", value: "P:N"),
        CommandLineFlag("--background-threshold", "sampling.backgroundThreshold", .yaml, .stacks, "Stacks: image voxels above this value are tissue, where negatives may lie (CT: -950 keeps lung and body, not air).", value: "V"),
        CommandLineFlag("--tissue-mask", "sampling.tissueMask", .text, .stacks, "Stacks: a mask on the image's grid whose non-zero voxels are tissue, where negatives may lie."),
        CommandLineFlag("--min-tissue", "sampling.minTissue", .yaml, .stacks, "Stacks: the least share of a negative patch's voxels that is tissue.", showsDefault: true),
    ]

    private static let pyramid: [CommandLineFlag] = [
        CommandLineFlag("--as", "input.as", .yaml, .both, "Read the input as a scene (GDAL) or a stack (libtiff) whatever its layout suggests."),
        CommandLineFlag("--levels", "levels.levels", .text, .both, "Levels to build: 1-4, 1,3 or fit (until a level fits one tile; auto is its alias here). Default: fit."),
        CommandLineFlag("--tile-size", "tiling.size", .yaml, .both, "The tile size fit aims for.", showsDefault: true),
        CommandLineFlag("--resampling", "levels.resampling", .yaml, .both, "Resampling: average (images), nearest or mode (label rasters), gauss, cubic, lanczos, rms…", showsDefault: true),
        CommandLineFlag("--co", "output.creationOptions", .keyValue, .scenes, "GDAL creation option KEY=VALUE (repeatable).", value: "KEY=VALUE"),
        CommandLineFlag("--scale-z", "levels.scaleZ", .on, .stacks, "Stacks: levels downsample Z as well (near-isotropic stacks; needs --pyramid-layout files)."),
        CommandLineFlag("--max-memory", "limits.maxMemory", .yaml, .both, "Memory budget for input-sized buffers (strips, slabs, level blocks): bytes or K/M/G/T (1024-based).", value: "SIZE", showsDefault: true),
        CommandLineFlag("--pyramid-layout", "levels.pyramidLayout", .yaml, .stacks, "Stacks: subifd (one OME-TIFF, levels as SubIFDs) or files (one OME-TIFF per level). Default: files with --scale-z, else subifd."),
    ]
}

extension CommandLineFlag {
    /// A preset's sentence about its keys (`tiling.overlap 600 must be smaller than
    /// tiling.size 512`) as a sentence about the flags of `command` that fill them, preferring
    /// the flags the user gave (`--overlap 600 must be smaller than --tile-size 512`).
    static func rewritten(_ message: String, of command: Preset.Job, given: Set<String>) -> String {
        var text = message
        // Longest first, so `tiling.sizeMm` is not read as `tiling.size` followed by `Mm`.
        let keyPaths = Set(flags(of: command).map(\.keyPath)).sorted { $0.count > $1.count }
        for keyPath in keyPaths {
            guard let flag = flag(filling: keyPath, of: command, given: given) else { continue }
            text = replacingWholeKey(keyPath, with: flag.name, in: text)
        }
        return text
    }

    /// The one-line error of a command about a preset problem.
    static func error(_ message: String, of command: Preset.Job, given: Set<String>) -> ScaleTileError {
        ScaleTileError(.invalidArgument, nil, rewritten(message, of: command, given: given))
    }

    /// `text` with every whole occurrence of `key` (not inside a longer key) replaced.
    private static func replacingWholeKey(_ key: String, with replacement: String, in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        func isKeyCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" } ?? false }
        while let range = rest.range(of: key) {
            let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            result += rest[..<range.lowerBound]
            // A key ends before a sentence's full stop, not before another key's letters.
            let afterIsKey = isKeyCharacter(after) && !(after == "." && (rest.index(after: range.upperBound) == rest.endIndex
                || rest[rest.index(after: range.upperBound)] == " "))
            result += (isKeyCharacter(before) || afterIsKey) ? String(rest[range]) : replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
