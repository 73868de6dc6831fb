/// What `scaletile COMMAND --help` says above the flags: one line, then the discussion.
///
/// Kept beside the flag table (``CommandLineFlag``), which holds each flag's own line, so the
/// command line declares flags and nothing it would have to keep in step with the library.
public struct CommandHelp: Sendable {
    public let abstract: String
    public let discussion: String

    public static let root = CommandHelp(
        abstract: "Scale-aware tiling and sampling of satellite scenes and medical stacks.",
        discussion: """
        Exit codes: 0 success; 64 invalid arguments; 65 invalid input data; 66 input not found; \
        69 unsupported input; 74 read/write error; 78 invalid preset; 130 interrupted (SIGINT); 143 terminated (SIGTERM); 1 anything else.
        """)

    public static let info = CommandHelp(
        abstract: "Describe a scene (any GDAL raster), a TIFF stack or a NIfTI/NRRD volume.",
        discussion: "A TIFF with several slices (ImageJ or OME metadata, or several full-resolution pages alike) is described as a stack; --as overrides.")

    public static let tile = CommandHelp(
        abstract: "Cut a scene into overlapping tiles, or a stack (and its mask) into overlapping patches.",
        discussion: """
        A TIFF is a stack when its ImageJ or OME metadata or its pages say it has several slices; \
        anything else is a scene read through GDAL (--as overrides). Scenes: tiles keep their \
        georeferencing; manifest.jsonl lists them (window in level-0 pixels, level, bounds, nodata \
        share), summary.json counts them and index.geojson holds their footprints. Stacks: patches \
        (--patch XxYxZ voxels, depth 1 for 2-D patches per slice, or --patch-mm) with their mask \
        patches; manifest.jsonl gives each patch's window in level-0 voxels, spacing and the \
        lesions it meets; summary.json the grid, the lesions and the scale audit.
        """)

    public static let sample = CommandHelp(
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

    public static let pyramid = CommandHelp(
        abstract: "Build the multiscale pyramid of a scene (one GeoTIFF per level) or a stack (OME-TIFF), each pixel an exact 2^level block.",
        discussion: """
        Level ℓ has the scene's origin, a pixel 2^ℓ times larger and ceil(W/2^ℓ) x ceil(H/2^ℓ) pixels; \
        every pixel is resampled by GDAL from its own full-resolution block (nodata left out), in one \
        streaming pass with bounded memory. Stacks are downsampled in X and Y (and Z with --scale-z), \
        average for images and nearest or mode for masks (--resampling nearest), with the spacing scaled \
        per level; --pyramid-layout subifd writes one OME-TIFF with each plane's levels as SubIFDs, \
        --pyramid-layout files one OME-TIFF stack per level.
        """)

    public static let analyze = CommandHelp(
        abstract: "The scale report of a label set: size histogram, COCO buckets, classes, class weights, overlap and levels.",
        discussion: """
        LABELS is a mask stack (its connected components are lesions, labelled slice by slice), a label \
        raster (one object per connected region of equal value), or a label file for a scene: COCO, YOLO, \
        Pascal VOC, CSV boxes, GeoJSON, GeoPackage, Shapefile. --image gives the scene's grid and CRS; \
        vectors and YOLO need it. Sizes are s = √n, n the object's pixel (box area) or voxel count. \
        --json prints lesions (masks) or objects (labels) with the statistics; warnings go to standard error.
        """)

    public static let run = CommandHelp(
        abstract: "Run a domain preset: check it, check the inputs against it, plan, write.",
        discussion: """
        The preset is checked first (keys, types, values), then every input is opened and checked \
        against input.expect, then the plan is made: nothing is written before all of that passes. \
        Each input's output goes to OUT/scenes/<name>/ (stacks: OUT/stacks/<name>/), exactly as \
        `scaletile tile`, `sample` or `pyramid` writes it; OUT/manifest.jsonl joins their manifests and OUT/summary.json records the preset \
        as it ran. Exit codes: 0 success; 64 invalid arguments (including --set); 65 invalid input \
        data; 66 input not found; 69 a job this build lacks; 74 read/write error; 78 invalid preset.
        """)

    public static let merge = CommandHelp(
        abstract: "Join the output folders of a run's shards into the folder the unsharded run writes.",
        discussion: """
        The shards must be K/N of one run (the same command, inputs and options), every K once. \
        Tiles keep their paths and bytes (hard-linked when on the same filesystem, else copied); \
        manifests and footprint indexes are joined in plan order; summary.json counts the whole run.
        """)

    public static let split = CommandHelp(
        abstract: "Assign a finished output's windows to leak-free, stratified splits, without reading a pixel.",
        discussion: """
        Windows are assigned by spatial blocks; windows straddling two splits are dropped (and, \
        for --layout yolo, windows showing another split's object). manifest.jsonl and \
        summary.json are rewritten in place; the layout is arranged inside OUT by hard links.
        """)

    public static let stitch = CommandHelp(
        abstract: "Map a model's per-tile box predictions back to the scene and merge them across overlaps and levels.",
        discussion: """
        OUT is a ScaleTile output folder (its manifest is the map). PRED is a folder of per-tile rasters \
        (GeoTIFF, PNG, JPEG or .npy named like the tiles: masks, probabilities, logits), composed into \
        DIR/mosaic.tif with the scene's size, geotransform and CRS; or boxes: a COCO results .json \
        (image_id of OUT's coco.json, or file_name; polygons as segmentation), a .jsonl keyed by manifest \
        id ({"id", "bbox" or "polygon", "score", "class"}), or a folder of YOLO .txt files named like the \
        tiles (class cx cy w h [conf]). Each box goes to level-0 pixels through its window and level; a box \
        touching a window border inside the scene is dropped when another window saw the object away from \
        its borders; the rest are merged class by class. DIR receives detections.coco.json, \
        detections.geojson and detections.csv. Stacks: a .jsonl of 3-D boxes ({"id", "box": [x, y, z, w, \
        h, d]}) in patch voxels gives detections.jsonl and detections.csv in voxels and world millimetres; \
        per-patch rasters give volume.tif, or volume.nii.gz with --mosaic-format nifti.
        """)

    public static let quicklook = CommandHelp(
        abstract: "One PNG of a run: the scene, its windows by level, its objects by fate, and a legend.",
        discussion: """
        The scene is reduced to --max-size pixels on its longest side and stretched between the 2nd and \
        98th percentiles of its valid pixels. Windows are outlined in one colour per level; objects are \
        filled green (whole in a window and in the size band), yellow (whole but out of band) or red \
        (only ever cut). --detections outlines stitched boxes (detections.coco.json of scaletile stitch). \
        Splits, when the manifest has them, shade their windows. For stacks and volumes: a montage of the \
        slices through each lesion's centre, with the patches crossing them and the lesions by fate.
        """)
}
