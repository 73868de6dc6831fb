import ScaleTileCore

/// What `scaletile info --json` reports for a TIFF stack or a NIfTI/NRRD volume (DESIGN.md §2),
/// with stable camelCase keys: one type with optional parts. Every voxel source has the stack
/// keys; a TIFF stack (`kind: "stack"`) adds its storage (flavour, pages, blocks, compression),
/// a volume (`kind: "volume"`) its format, voxel-to-world affine (DESIGN.md §7) and encoding.
public struct StackInfo: Hashable, Sendable, Codable {
    /// `stack` (TIFF) or `volume` (NIfTI, NRRD); scenes report `scene`.
    public var kind: String
    /// The path as given.
    public var path: String
    /// Voxels along X.
    public var width: Int
    /// Voxels along Y.
    public var height: Int
    /// Slices (Z).
    public var depth: Int
    /// Channels, counting samples interleaved in a page.
    public var channels: Int
    /// Timepoints.
    public var timepoints: Int
    /// The sample type as GDAL names it (`Byte`, `UInt16`, `Int16`, `Float32`, …).
    public var dataType: String
    /// Voxel size and unit (`mm`, `um`, `pixel` without metadata).
    public var spacing: Spacing

    // TIFF stacks
    /// `plain`, `imagej` or `ome`.
    public var flavour: StackFlavour?
    /// Pages in the file's main chain.
    public var pages: Int?
    /// Whether the slices are tiled (else striped).
    public var tiled: Bool?
    /// `[width, height]` of a tile, or of a strip (the page width and the rows per strip).
    public var blockSize: [Int]?
    /// The first slice's compression: `none`, `deflate`, `lzw`, `jpeg`, `zstd`, …
    public var compression: String?
    /// Whether the file is a BigTIFF.
    public var bigTIFF: Bool?
    /// How interleaved channels are stored: `contig` or `separate`.
    public var planarConfig: PlanarConfiguration?

    // Volumes
    /// `NIfTI-1`, `NIfTI-2` or `NRRD`.
    public var format: VolumeFormat?
    /// The voxel-to-world affine, 4×4 row-major, world in ``space``.
    public var affine: [[Double]]?
    /// `RAS` or `LPS`: the world convention of ``affine``.
    public var space: WorldSpace?
    /// The direction each voxel axis grows toward, nibabel's axis codes (`RAS`, `LPS`, …).
    public var orientation: String?
    /// Where the affine came from: `sform`, `qform`, `pixdim`, `space directions` or `spacings`.
    public var affineSource: String?
    /// `raw` or `gzip`.
    public var encoding: String?
    /// NIfTI's `scl_slope`/`scl_inter` when they change values (not applied).
    public var valueScaling: ValueScaling?

    /// The common part of a voxel source's description.
    init(kind: String, source: any VoxelSource) {
        self.kind = kind
        path = source.path
        (width, height, depth) = (source.size.width, source.size.height, source.size.depth)
        channels = source.channelCount
        timepoints = source.timepointCount
        dataType = source.pixelType.rawValue
        spacing = source.spacing
    }
}

extension TIFFStack {
    /// The stack's description for `scaletile info`; storage details are the first slice's.
    public var info: StackInfo {
        let first = pages[layout.pages[0]]
        var info = StackInfo(kind: "stack", source: self)
        info.flavour = flavour
        info.pages = pageCount
        info.tiled = first.isTiled
        info.blockSize = [first.blockWidth, first.blockHeight]
        info.compression = first.compression.name
        info.bigTIFF = isBigTIFF
        info.planarConfig = first.planar
        return info
    }
}
