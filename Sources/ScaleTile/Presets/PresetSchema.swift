/// The documented form of a version 1 preset: every field, its type, its default and its meaning.
///
/// This table is what `Domains/README.md` prints (``markdownTable``), what unknown keys are
/// checked against, and what type errors quote (`tiling.size must be a number of pixels, WxH
/// or WxHxD`). Tests hold it to the ``Preset`` types: the same keys, and each default here
/// decodes to the default the type has.
public enum PresetSchema {
    /// One field of a preset.
    public struct Field: Hashable, Sendable {
        /// The dotted key path, `tiling.overlap`.
        public let path: String
        /// What the value must be, as the end of "must be …".
        public let type: String
        /// The default, as YAML; `~` (null) for an absent value.
        public let defaultValue: String
        /// What the field does.
        public let meaning: String
        /// Whether the value is a mapping with keys of the user's choosing (GDAL creation options).
        public let isOpenMapping: Bool

        init(_ path: String, _ type: String, _ defaultValue: String, _ meaning: String, isOpenMapping: Bool = false) {
            self.path = path
            self.type = type
            self.defaultValue = defaultValue
            self.meaning = meaning
            self.isOpenMapping = isOpenMapping
        }
    }

    /// Every field, section by section.
    public static let fields: [Field] = [
        Field("version", "1", "(required)", "The preset format version. Other versions are refused rather than misread."),
        Field("name", "text", "the file name without `.yaml`", "A short name; the default output folder is `<name>-out`."),
        Field("description", "text", "\"\"", "What the preset is for, for people."),
        Field("domain", "satellite or medical", "satellite", "The kind of data: scenes through GDAL, or medical stacks through libtiff."),
        Field("job", "tile, pyramid or sample", "tile", "Grid tiles or patches (`scaletile tile`), one file per level (`scaletile pyramid`), or scale-aware training patches (`scaletile sample`)."),

        Field("input.paths", "a path or a list of paths", "[]", "Input files, globs (`scenes/*.tif`) or list files (`@scenes.txt`), relative to the preset file. `--input` replaces them; empty means `--input` is required."),
        Field("input.as", "auto, scene or stack", "auto", "How inputs are read; `auto` follows the domain (satellite: scene, medical: stack)."),
        Field("input.bands", "a list of band numbers", "~", "Bands in output order, 1-based (`[4, 3, 2]`); `~` keeps every band."),
        Field("input.nodata", "a number", "~", "A nodata value overriding the file's; `~` keeps the file's."),
        Field("input.applyScaling", "true or false", "false", "NIfTI volumes: apply `scl_slope`/`scl_inter` (value = slope × stored + intercept, as nibabel's `get_fdata()`) and write image patches as Float32; `false` keeps the stored values and reports the scaling in `summary.json`. `--apply-scaling` sets it."),
        Field("input.expect.bands", "a whole number", "~", "The band (or channel) count every input must have; `~` accepts any."),
        Field("input.expect.dataType", "Byte, Int8, UInt16, Int16, UInt32, Int32, UInt64, Int64, Float32 or Float64", "~", "The sample type every input must have; `~` accepts any."),
        Field("input.expect.spacing", "a list of numbers", "~", "Pixel size `[x, y]` in the scene's CRS units (stacks: voxel spacing `[x, y, z]`) every input must have; `~` accepts any."),
        Field("input.expect.spacingTolerance", "a number", "0.01", "How far the spacing may be from `input.expect.spacing`, relative (0.01 is 1 %)."),

        Field("labels.path", "a path", "~", "The label file of each input, relative to the preset file; `{stem}` stands for the input's name without extension (`labels/{stem}.geojson`). `--labels` replaces it."),
        Field("labels.format", "auto, coco, yolo, voc, csv, vector or raster", "auto", "The label format; `auto` finds it from the name and content."),
        Field("labels.classField", "text", "~", "Vectors: the attribute holding the class; `~` looks for `class`, `category`, `label` or `building`."),
        Field("labels.classes", "a list of class names", "[]", "The class list in order (YOLO class numbers index it); empty takes the file's classes."),
        Field("labels.minVisible", "a number from 0 to 1", "0.5", "An object is a label of a tile when at least this share of its box is inside; a smaller remnant is a COCO ignore region."),
        Field("labels.connectivity", "6, 18 or 26 (4 or 8 in a plane)", "~", "Stacks: neighbours that join mask voxels into one lesion; `~` is full connectivity (26, or 8 in a plane)."),
        Field("labels.exports", "a list of coco, yolo and geojson", "[coco]", "Label exports besides the manifest: `coco.json`, `labels/*.txt`, `labels.geojson` (clipped, scene CRS)."),

        Field("levels.levels", "a level list such as 0, 0,2,3, 0-3, [0, 1, 2] or auto", "0", "The pyramid levels to work on; level ℓ has scale 2^-ℓ. `job: pyramid` defaults to `auto`: levels until one fits a tile (`tiling.size`)."),
        Field("levels.resampling", "nearest, average, mode, gauss, bilinear, cubic, cubicspline, lanczos or rms", "average", "Resampling of image levels above 0 (labels always use nearest or mode)."),
        Field("levels.exact", "true or false", "false", "Compute levels above 0 from full resolution even when the file has overviews of the exact size."),
        Field("levels.scaleZ", "true or false", "false", "Stacks: downsample Z with X and Y (near-isotropic volumes)."),
        Field("levels.maskResampling", "nearest or mode", "nearest", "Stacks: resampling of mask levels above 0 (never an average)."),
        Field("levels.pyramidLayout", "auto, subifd or files", "auto", "Stack pyramids: each plane's levels as SubIFDs of one OME-TIFF, or one OME-TIFF per level; `auto` is `files` with `levels.scaleZ`, else `subifd`."),
        Field("levels.zoomIn", "true or false", "false", "Scenes: objects below `target.objectSize`'s minimum even at level 0 get magnified windows (level −k: a smaller window resampled up)."),

        Field("tiling.size", "a number of pixels, WxH or WxHxD", "512", "Tile edge (scenes take square tiles) or patch size of stacks."),
        Field("tiling.overlap", "a number, XxY, XxYxZ or auto", "64", "Pixels shared by neighbouring tiles, smaller than the size on every axis; one number is shared along Z too on 3-D patches, `XxY` shares none; `auto` picks it from the label sizes. Grid tiles use it; sampled windows and pyramids ignore it. Stacks default to 0 (patches abut)."),
        Field("tiling.edge", "shift, pad or drop", "shift", "The last tile at the right and bottom edges: moved inward, padded with nodata, or dropped."),
        Field("tiling.maxNodata", "a number from 0 to 1", "~", "Tiles with a larger nodata share are not written; `~` keeps every tile."),
        Field("tiling.sizeMm", "a size in millimetres: N or XxYxZ", "~", "Stacks: the patch size in millimetres, converted with each stack's spacing (nearest voxel, at least 1); replaces `tiling.size`."),
        Field("tiling.padding", "constant, edge or reflect", "constant", "Stacks: how image voxels past the edge are filled (`tiling.padValue`, the edge voxel, or a mirror as numpy's reflect); masks take 0."),
        Field("tiling.padValue", "a number", "0", "Stacks: the value of `constant` padding."),

        Field("target.objectSize", "MIN:MAX in pixels, such as 16:96", "~", "The size range an object should have, in pixels of the level it is seen at; `~`: no size band."),
        Field("target.contained", "a number from 0 to 1", "~", "Audit target: least share of the objects a window can hold that are whole in some window."),
        Field("target.inBand", "a number from 0 to 1", "~", "Audit target: least share of the objects within the levels' reach that are whole at a level where their size is in `target.objectSize`."),
        Field("target.coverageK", "a whole number", "5", "k of the k-coverage audit target."),
        Field("target.coverage", "a number from 0 to 1", "~", "Audit target: least share of the objects a window can hold that are whole in at least `target.coverageK` windows."),
        Field("target.maxBias", "a number", "~", "Audit target: largest sampling bias R (most / least contained object) over the objects a window can hold."),
        Field("target.maxBucketBalance", "a number", "~", "Audit target: largest max/min of windows placed per COCO size bucket (scale-stratified sampling)."),

        Field("sampling.strategy", "object-balanced, scale-stratified, class-balanced, uniform, posneg, grid or weighted", "object-balanced", "The sampler of `job: sample`."),
        Field("sampling.count", "a whole number", "1000", "Patches per epoch (`posneg`: its negatives included; `grid`: tiles drawn from the grid, all when it has fewer)."),
        Field("sampling.alpha", "a number", "1", "object-balanced: object i is chosen with weight n_i^(1−α); 0 is voxel-uniform, 1 object-uniform, above 1 favours small objects."),
        Field("sampling.minPerObject", "a whole number", "0", "object-balanced: patches every object gets at least."),
        Field("sampling.negatives", "a whole number", "0", "Extra patches without foreground, for every strategy."),
        Field("sampling.ratio", "P:N, such as 1:1 or 2:1", "1:1", "posneg: positive to negative patches."),
        Field("sampling.bucketShares", "a mapping of small, medium and large to shares", "~", "scale-stratified: the share of patches per COCO size bucket; `~` shares equally among the buckets present."),
        Field("sampling.map", "a path", "~", "weighted: a raster of sampling weights over the scene, or a weight volume (TIFF stack, NIfTI, NRRD) over the stack, at any resolution, relative to the preset file; the summary's `audit.weightFit` says how well the draws follow it."),
        Field("sampling.backgroundThreshold", "a number", "~", "Stacks: negatives lie where image voxels (first channel) are above this value, such as −950 HU in CT or 20 in an MRI whose background is 0; `~`: anywhere clear of lesions."),
        Field("sampling.tissueMask", "a path", "~", "Stacks: a tissue or body mask on the image's grid, relative to the preset file (`{stem}` as in `labels.path`); negatives lie on its non-zero voxels. Replaces `sampling.backgroundThreshold`."),
        Field("sampling.minTissue", "a number from 0 to 1", "0.5", "Stacks: the least share of a negative patch's voxels that must be tissue."),

        Field("weights.beta", "a number", "0.999", "β of the effective-number class weights (Cui et al. 2019), in [0, 1)."),

        Field("output.path", "a relative path", "\"\"", "A folder inside `--out` to write into; it may not leave `--out` (no `..`, not absolute)."),
        Field("output.format", "auto, gtiff, cog, png, jpeg, npy, tiff or ome-tiff", "auto", "Tile format; `auto` is gtiff for scenes and tiff for stacks."),
        Field("output.creationOptions", "a mapping of GDAL creation options", "{}", "Creation options over the defaults (DEFLATE, predictor, strips), as `--co` gives them.", isOpenMapping: true),
        Field("output.rescale", "MIN:MAX, such as 0:3000", "~", "png/jpeg of 16-bit or float data: a linear stretch of every band to 8 bits."),
        Field("output.stretch", "LOW,HIGH percentiles, such as 2,98", "~", "png/jpeg: a percentile stretch of each band to 8 bits."),

        Field("output.layout", "folder, yolo, coco, monai, webdataset or nnunet", "folder", "How the output is arranged for a trainer: `tiles/` (folder), `images/{split}/` + `labels/{split}/` + `data.yaml` (yolo), `images/{split}/` + `annotations/instances_{split}.json` (coco), `datalist.json` beside the patches (monai: stacks with a mask, `npy`, `nifti` or `nii` patches; scenes with `output.maskTiles`, `npy` tiles), tar shards `shards/{split}-NNNNNN.tar` (webdataset, scenes), or an nnU-Net v2 raw dataset `Dataset{ID}_{Name}/` of whole volumes and masks (nnunet, `scaletile run`). `--layout` replaces it."),
        Field("output.samplesPerShard", "a whole number", "1000", "webdataset: samples per tar shard. `--samples-per-shard` replaces it."),
        Field("output.yoloSegments", "true or false", "false", "yolo layouts and YOLO exports: polygon labels as segmentation lines (`class x1 y1 x2 y2 …`, normalised to the tile), each outline clipped to the tile by OGR, its largest part kept without holes; objects with only a box become its four corners. `--yolo-segments` sets it."),
        Field("output.yoloIgnore", "drop or fill", "drop", "yolo with splits: a window showing another split's object is not written (drop), or written with the object's box filled with the nodata value (fill). `--yolo-ignore` replaces it."),
        Field("output.maskTiles", "true or false", "false", "Scenes with labels: beside each tile its mask tile (`<id>_mask.<ext>`, one Byte band on the tile's grid): a label raster's pixels, or vector labels rasterised by GDAL (0 background, 1…N the class in class order, 255 another split's objects), listed as `mask` in the manifest. `--mask-tiles` sets it."),

        Field("output.datasetId", "a whole number from 1 to 999", "1", "nnunet: the dataset number, written with three digits (`Dataset001_…`). `--dataset-id` replaces it."),
        Field("output.datasetName", "letters, digits and -", "~", "nnunet: the dataset name (`Dataset001_<name>`); `~` takes the preset's `name` without other characters. `--dataset-name` replaces it."),
        Field("output.cropForeground", "true or false", "false", "nnunet: crop each case (image channels and mask) to the bounding box of the mask's non-background voxels, the affine moved to the crop's first voxel. `--crop-foreground` sets it."),

        Field("split.shares", "NAME=SHARE pairs summing to 1, such as train=0.8,val=0.2", "~", "Leak-free, stratified splits of the windows: `train` (required), `val`, `test`; `~`: no split. `--split` replaces it."),
        Field("split.by", "blocks or source", "~", "What a split assigns: square blocks of each scene, or whole inputs (scenes, stacks, volumes), seeded and stratified by their objects' size buckets and classes; `~` is blocks for scenes and source for stacks and volumes. `--split-by` replaces it."),
        Field("split.block", "a whole number", "~", "The block edge in level-0 pixels; `~`: (2·tile − overlap)·2^coarsest level, and with `context.levels` at least 2·tile·2^coarsest context level."),

        Field("context.levels", "a list of level numbers", "[]", "Multi-scale context: absolute levels; each window gets, at every listed level coarser than its own, a tile of its size in pixels centred on its centre (nodata or padding past the source); levels not coarser are skipped and counted. `[]`: no context. `--context-levels` replaces it."),
        Field("context.as", "files or channels", "files", "How context tiles are written: `{id}_ctx{ℓ}.{ext}` beside the window (files), or as extra channels of the window's file, its own first, then each context level finest first (channels). `--context-as` replaces it."),

        Field("seed", "a whole number", "0", "Seed of every random choice."),
        Field("threads", "a whole number", "~", "Worker threads; `~` uses every core. `--threads` replaces it."),
        Field("limits.maxMemory", "bytes, or a size with K, M, G or T (1024-based), such as 8G", "~", "Memory budget every input-sized buffer (tiles or patches in flight, mask slices) is checked against; `~` is half the RAM, or of the cgroup limit. `--max-memory` replaces it."),
    ]

    /// The field at `path`, if there is one.
    public static func field(_ path: String) -> Field? { byPath[path] }

    /// Whether `path` names a section (a mapping of fields), such as `tiling` or `input.expect`.
    public static func isSection(_ path: String) -> Bool { sections.contains(path) }

    /// The keys allowed directly under a section (`""` for the top level).
    public static func keys(under section: String) -> [String] {
        let prefix = section.isEmpty ? "" : section + "."
        var keys: [String] = []
        for path in fields.map(\.path) + sections.sorted() where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if !rest.contains("."), !keys.contains(String(rest)) { keys.append(String(rest)) }
        }
        return keys
    }

    /// The reference table of `Domains/README.md`: field, type, default, meaning.
    public static var markdownTable: String {
        var lines = ["| field | type | default | meaning |", "|---|---|---|---|"]
        for f in fields {
            let defaultText = f.defaultValue.hasPrefix("(") || f.defaultValue.hasPrefix("the ") ? f.defaultValue : "`\(f.defaultValue)`"
            lines.append("| `\(f.path)` | \(f.type) | \(defaultText) | \(f.meaning) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let byPath = Dictionary(uniqueKeysWithValues: fields.map { ($0.path, $0) })

    private static let sections: Set<String> = {
        var result = Set<String>()
        for f in fields {
            var parts = f.path.split(separator: ".").dropLast()
            while !parts.isEmpty {
                result.insert(parts.joined(separator: "."))
                parts = parts.dropLast()
            }
        }
        return result
    }()
}
