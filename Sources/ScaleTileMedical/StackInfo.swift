import ScaleTileCore

/// What `scaletile info STACK --json` reports for a TIFF stack (DESIGN.md §2), with stable
/// camelCase keys.
public struct StackInfo: Hashable, Sendable, Codable {
    /// Always `stack` (scenes report `scene`).
    public var kind: String = "stack"
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
    /// `plain`, `imagej` or `ome`.
    public var flavour: StackFlavour
    /// Pages in the file's main chain.
    public var pages: Int
    /// Whether the slices are tiled (else striped).
    public var tiled: Bool
    /// `[width, height]` of a tile, or of a strip (the page width and the rows per strip).
    public var blockSize: [Int]
    /// The first slice's compression: `none`, `deflate`, `lzw`, `jpeg`, `zstd`, …
    public var compression: String
    /// Whether the file is a BigTIFF.
    public var bigTIFF: Bool
    /// How interleaved channels are stored: `contig` or `separate`.
    public var planarConfig: PlanarConfiguration
}

extension TIFFStack {
    /// The stack's description for `scaletile info`; storage details are the first slice's.
    public var info: StackInfo {
        let first = pages[layout.pages[0]]
        return StackInfo(
            path: path, width: size.width, height: size.height, depth: size.depth,
            channels: channelCount, timepoints: timepointCount, dataType: pixelType.rawValue,
            spacing: spacing, flavour: flavour, pages: pageCount,
            tiled: first.isTiled, blockSize: [first.blockWidth, first.blockHeight],
            compression: first.compression.name, bigTIFF: isBigTIFF, planarConfig: first.planar)
    }
}
