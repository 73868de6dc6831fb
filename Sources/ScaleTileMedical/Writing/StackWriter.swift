import ScaleTileCore

/// Writes stack patches — channel-first (C, Z, Y, X) buffers — as ImageJ-flavoured TIFF,
/// OME-TIFF or `.npy` (DESIGN.md §3).
///
/// Every file is written atomically (under a temporary name, then renamed), and equal inputs
/// give byte-identical files: no timestamps, no writer versions, no UUIDs.
///
/// - ImageJ TIFF (``ScaleTileCore/TileFormat/tiff``): one page per plane, channels fastest, then
///   slices; an `ImageJ=` description with the channel and slice counts, unit and Z spacing;
///   X and Y spacing as 1/XResolution and 1/YResolution (ResolutionUnit none). Striped, since
///   ImageJ itself does not read tiles.
/// - OME-TIFF (``ScaleTileCore/TileFormat/omeTiff``): the same pages with OME-XML (DimensionOrder
///   XYCZT, physical sizes with their unit) in the first page, optionally tiled, and optionally
///   with pyramid levels as SubIFDs of each plane (NewSubfileType 1), as OME-TIFF pyramids are.
/// - `.npy` (``ScaleTileCore/TileFormat/npy``): the buffer as a (C, Z, Y, X) array; the spacing
///   travels in the manifest.
public struct StackWriter: Hashable, Sendable {
    /// How TIFF pages are compressed.
    public enum Compression: String, Hashable, Sendable, Codable, CaseIterable {
        /// Uncompressed strips or tiles.
        case none
        /// zlib/Deflate at zlib's default level, with horizontal differencing for integer samples.
        case deflate
    }

    /// The file format: `.tiff`, `.omeTiff` or `.npy`.
    public let format: TileFormat
    /// Compression of TIFF pages (ignored for `.npy`).
    public let compression: Compression
    /// Square tiles of this edge for OME-TIFF pages; nil writes strips.
    public let tileSize: Int?
    /// Always write BigTIFF. Without it, BigTIFF is chosen only when a file could pass 4 GB.
    public let bigTIFF: Bool

    /// A writer for `format`.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidArgument` for a format that is not a stack format,
    ///   or a tile size that is not a positive multiple of 16 or is asked of ImageJ TIFF.
    public init(format: TileFormat, compression: Compression = .deflate, tileSize: Int? = nil, bigTIFF: Bool = false) throws {
        guard format.suitsStacks else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) cannot hold stack patches; use tiff, ome-tiff, npy, nifti or nii")
        }
        if let tileSize {
            guard tileSize > 0, tileSize % 16 == 0 else {
                throw ScaleTileError.argument("tile size", "\(tileSize) is not a positive multiple of 16, as TIFF tiles must be")
            }
            guard format == .omeTiff else {
                throw ScaleTileError.argument("tile size", "tiles are for OME-TIFF patches; ImageJ reads only striped TIFF")
            }
        }
        self.format = format
        self.compression = compression
        self.tileSize = tileSize
        self.bigTIFF = bigTIFF
    }

    /// Whether files of this format hold samples of `pixelType` (OME-TIFF has no 64-bit
    /// integers), so a job can refuse before it writes anything.
    public func supports(_ pixelType: PixelType) -> Bool {
        format != .omeTiff || OMEMetadata.typeName(of: pixelType) != nil
    }

    /// Writes `patch` to `path`, replacing any file there.
    ///
    /// - Parameters:
    ///   - patch: the voxels, (C, Z, Y, X): one band per channel.
    ///   - spacing: the voxel size of `patch`, all positive.
    ///   - pyramid: downsampled copies of `patch`, largest first, each with the same channels,
    ///     slices and sample type (OME-TIFF only); they are written as given.
    /// - Throws: ``ScaleTileError`` `.invalidArgument` for a bad spacing or pyramid,
    ///   `.unsupported` for 64-bit integers in OME-TIFF, `.io` when writing fails.
    ///   - affine: the patch's voxel-to-world affine for NIfTI (nil: the spacing on the diagonal).
    public func write(_ patch: RasterBuffer, spacing: Spacing, to path: String, pyramid: [RasterBuffer] = [],
                      affine: VoxelToWorld? = nil) throws {
        try check(spacing, path: path)
        try check(pyramid, of: patch, path: path)
        switch format {
        case .nifti, .nii:
            let affine = affine ?? VoxelToWorld(columns: [[spacing.x, 0, 0], [0, spacing.y, 0], [0, 0, spacing.z]],
                                                origin: [0, 0, 0], space: .ras)
            try NIfTIWriter.write(patch, affine: affine, spacing: spacing, compressed: format == .nifti, to: path)
        case .npy:
            try AtomicFile.write(NumpyArrayFile.encode(patch, volumetric: true), to: path)
        case .tiff:
            let description = ImageJMetadata.description(channels: patch.bandCount, slices: patch.size.depth, spacing: spacing)
            try writeTIFF(patch, pyramid: [], description: description, resolution: (1 / spacing.x, 1 / spacing.y), to: path)
        default:
            let s = patch.size
            guard let description = OMEMetadata.document(width: s.width, height: s.height, channels: patch.bandCount,
                                                         slices: s.depth, pixelType: patch.pixelType, spacing: spacing) else {
                throw ScaleTileError(.unsupported, path, "OME-TIFF has no \(patch.pixelType.rawValue) sample type; write tiff or npy instead")
            }
            try writeTIFF(patch, pyramid: pyramid, description: description, resolution: nil, to: path)
        }
    }

    /// Pages channel fastest, then slice; each plane's pyramid levels follow it as SubIFDs.
    private func writeTIFF(_ patch: RasterBuffer, pyramid: [RasterBuffer], description: String,
                           resolution: (x: Double, y: Double)?, to path: String) throws {
        let channels = patch.bandCount, slices = patch.size.depth
        try AtomicFile.produce(path) { temporary in
            let pages = try PageWriter(creating: temporary, reportingAs: path, bigTIFF: needsBigTIFF(patch, pyramid))
            defer { pages.finish() }
            for z in 0..<slices {
                for c in 0..<channels {
                    var page = pageFormat(of: patch)
                    page.description = z == 0 && c == 0 ? description : nil
                    page.resolution = resolution
                    page.subIFDCount = pyramid.count
                    try write(plane: c * slices + z, of: patch, as: page, with: pages)
                    for level in pyramid {
                        var reduced = pageFormat(of: level)
                        reduced.isReducedResolution = true
                        try write(plane: c * slices + z, of: level, as: reduced, with: pages)
                    }
                }
            }
        }
    }

    func pageFormat(of buffer: RasterBuffer) -> PageWriter.PageFormat {
        pageFormat(width: buffer.size.width, height: buffer.size.height, pixelType: buffer.pixelType)
    }

    func pageFormat(width: Int, height: Int, pixelType: PixelType) -> PageWriter.PageFormat {
        // Tiles larger than the plane would be mostly padding; such small planes get strips.
        let tiles = tileSize.flatMap { $0 <= max(width, height) ? $0 : nil }
        return PageWriter.PageFormat(width: width, height: height, pixelType: pixelType,
                                     compression: compression, tileSize: tiles)
    }

    /// Writes plane `plane` (a channel's slice) of `buffer` as one page.
    private func write(plane: Int, of buffer: RasterBuffer, as page: PageWriter.PageFormat, with pages: PageWriter) throws {
        let planeBytes = buffer.size.width * buffer.size.height * buffer.pixelType.byteSize
        try buffer.bytes.withUnsafeBytes { bytes in
            try pages.write(page, pixels: UnsafeRawBufferPointer(rebasing: bytes[(plane * planeBytes)..<((plane + 1) * planeBytes)]))
        }
    }

    /// Classic TIFF offsets end at 4 GiB. The uncompressed size, with room for directories, bounds
    /// what Deflate writes (it expands incompressible data by well under 1%).
    private func needsBigTIFF(_ patch: RasterBuffer, _ pyramid: [RasterBuffer]) -> Bool {
        let pixelBytes = ([patch] + pyramid).reduce(0) { $0 + $1.bytes.count }
        return needsBigTIFF(pixelBytes: pixelBytes, pages: patch.bandCount * patch.size.depth * (1 + pyramid.count))
    }

    func needsBigTIFF(pixelBytes: Int, pages: Int) -> Bool {
        bigTIFF || Double(pixelBytes) * 1.01 + Double(pages) * 4096 + 65536 > Double(UInt32.max)
    }

    func check(_ spacing: Spacing, path: String) throws {
        for (axis, value) in [("x", spacing.x), ("y", spacing.y), ("z", spacing.z)] where !(value > 0 && value.isFinite) {
            throw ScaleTileError(.invalidArgument, path, "spacing \(axis) is \(value); a voxel size must be a positive number")
        }
    }

    private func check(_ pyramid: [RasterBuffer], of patch: RasterBuffer, path: String) throws {
        guard !pyramid.isEmpty else { return }
        guard format == .omeTiff else {
            throw ScaleTileError(.invalidArgument, path, "pyramid levels can only be written into OME-TIFF patches")
        }
        guard pyramid.count <= 64 else {
            throw ScaleTileError(.invalidArgument, path, "\(pyramid.count) pyramid levels given; at most 64 fit as SubIFDs")
        }
        var previous = patch.size
        for (i, level) in pyramid.enumerated() {
            let n = i + 1
            guard level.pixelType == patch.pixelType, level.bandCount == patch.bandCount, level.size.depth == patch.size.depth else {
                throw ScaleTileError(.invalidArgument, path, "pyramid level \(n) is \(level.bandCount) channels × \(level.size.depth) slices of \(level.pixelType.rawValue), the patch \(patch.bandCount) × \(patch.size.depth) of \(patch.pixelType.rawValue); levels are downsampled in X and Y only")
            }
            guard level.size.width <= previous.width, level.size.height <= previous.height else {
                throw ScaleTileError(.invalidArgument, path, "pyramid level \(n) is \(level.size.width)x\(level.size.height), larger than the level before it (\(previous.width)x\(previous.height))")
            }
            previous = level.size
        }
    }
}
