import Foundation
import ScaleTileCore

/// Writes one stack file slice by slice, so a volume of any depth passes through the memory of
/// one slice (whole-stack pyramids; ``StackWriter`` writes a patch held in memory at once).
///
/// The file is the one ``StackWriter`` would write for the whole volume — same pages, tags and
/// metadata, channels fastest then slices, each plane's pyramid levels as its SubIFDs — so the
/// two are interchangeable for readers. It is written under a temporary name and renamed into
/// place by ``finish()``; a stream dropped before that removes its temporary file, so a
/// failed run leaves nothing under the final name.
///
/// Not `Sendable`: it owns a libtiff handle being written. Use it from one thread.
public final class StackFileStream {
    /// The final path of the file.
    public let path: String
    /// Width, height and depth of the whole stack.
    public let size: RasterSize
    /// Channels per slice.
    public let channelCount: Int
    /// The sample type.
    public let pixelType: PixelType
    /// X × Y sizes of the pyramid levels each plane carries as SubIFDs, largest first.
    public let pyramidSizes: [RasterSize]
    /// Slices appended so far.
    public private(set) var sliceCount = 0

    private let writer: StackWriter
    private let temporaryPath: String
    private var pages: PageWriter?
    private let description: String
    private let resolution: (x: Double, y: Double)?

    /// Starts the file at `path` for a stack of `size` voxels and `channels` channels.
    ///
    /// - Parameters:
    ///   - writer: the format (`.tiff` or `.omeTiff`), compression and tiling.
    ///   - spacing: the voxel size of the stack, all positive.
    ///   - pyramidSizes: X × Y sizes of the downsampled copies of every plane (OME-TIFF only).
    /// - Throws: ``ScaleTileError`` `.invalidArgument` for `.npy` (its channel-first layout
    ///   cannot be written slice by slice), a bad spacing, or pyramid levels outside OME-TIFF;
    ///   `.unsupported` for a sample type OME-TIFF lacks; `.io` when the file cannot be created.
    public init(writer: StackWriter, path: String, size: RasterSize, channels: Int, pixelType: PixelType,
                spacing: Spacing, pyramidSizes: [RasterSize] = []) throws {
        guard writer.format == .tiff || writer.format == .omeTiff else {
            throw ScaleTileError.argument("--format", "\(writer.format.rawValue) cannot be written slice by slice; use tiff or ome-tiff")
        }
        precondition(size.pixelCount > 0 && channels > 0, "a stack needs voxels")
        try writer.check(spacing, path: path)
        if !pyramidSizes.isEmpty, writer.format != .omeTiff {
            throw ScaleTileError(.invalidArgument, path, "pyramid levels can only be written into OME-TIFF files")
        }
        switch writer.format {
        case .tiff:
            description = ImageJMetadata.description(channels: channels, slices: size.depth, spacing: spacing)
            resolution = (1 / spacing.x, 1 / spacing.y)
        default:
            guard let document = OMEMetadata.document(width: size.width, height: size.height, channels: channels,
                                                      slices: size.depth, pixelType: pixelType, spacing: spacing) else {
                throw ScaleTileError(.unsupported, path, "OME-TIFF has no \(pixelType.rawValue) sample type; write tiff instead")
            }
            description = document
            resolution = nil
        }
        self.writer = writer
        self.path = path
        self.size = size
        self.channelCount = channels
        self.pixelType = pixelType
        self.pyramidSizes = pyramidSizes
        temporaryPath = AtomicFile.temporaryPath(for: path)
        let planeBytes = ([RasterSize(width: size.width, height: size.height)] + pyramidSizes)
            .reduce(0) { $0 + $1.width * $1.height * pixelType.byteSize }
        let bigTIFF = writer.needsBigTIFF(pixelBytes: planeBytes * channels * size.depth,
                                          pages: channels * size.depth * (1 + pyramidSizes.count))
        // A signal that ends the process removes the file being written (``Interruption``):
        // registered before it exists, so no moment leaves it behind.
        AtomicFile.beginWriting(temporaryPath)
        do {
            pages = try PageWriter(creating: temporaryPath, reportingAs: path, bigTIFF: bigTIFF)
        } catch {
            AtomicFile.endWriting(temporaryPath)
            throw error
        }
    }

    deinit {
        if let pages {
            pages.finish()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
        AtomicFile.endWriting(temporaryPath)
    }

    /// Appends the next slice: `slice` holds its channels (C, 1, Y, X), and `pyramid` one
    /// buffer per pyramid size, the same channels, in the order of ``pyramidSizes``.
    public func append(_ slice: RasterBuffer, pyramid: [RasterBuffer] = []) throws {
        guard let pages else { preconditionFailure("append after finish") }
        precondition(sliceCount < size.depth, "\(size.depth) slices already appended")
        precondition(slice.size == RasterSize(width: size.width, height: size.height) && slice.bandCount == channelCount
                     && slice.pixelType == pixelType, "the slice does not match the stack")
        precondition(pyramid.map { RasterSize(width: $0.size.width, height: $0.size.height) } == pyramidSizes
                     && pyramid.allSatisfy { $0.size.depth == 1 && $0.bandCount == channelCount && $0.pixelType == pixelType },
                     "the pyramid levels do not match the declared sizes")
        for channel in 0 ..< channelCount {
            var page = writer.pageFormat(of: slice)
            page.description = sliceCount == 0 && channel == 0 ? description : nil
            page.resolution = resolution
            page.subIFDCount = pyramid.count
            try write(plane: channel, of: slice, as: page, with: pages)
            for level in pyramid {
                var reduced = writer.pageFormat(of: level)
                reduced.isReducedResolution = true
                try write(plane: channel, of: level, as: reduced, with: pages)
            }
        }
        sliceCount += 1
    }

    /// Closes the file and moves it to ``path``.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidArgument` when fewer slices were appended than the
    ///   stack has (the file is then removed); `.io` when the rename fails.
    public func finish() throws {
        guard let pages else { return }
        pages.finish()
        self.pages = nil
        defer { AtomicFile.endWriting(temporaryPath) }
        guard sliceCount == size.depth else {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw ScaleTileError(.invalidArgument, path, "\(sliceCount) of \(size.depth) slices were written")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw ScaleTileError(.io, path, "cannot move the finished file into place (\(reason))")
        }
    }

    private func write(plane: Int, of buffer: RasterBuffer, as page: PageWriter.PageFormat, with pages: PageWriter) throws {
        let planeBytes = buffer.size.width * buffer.size.height * buffer.pixelType.byteSize
        try buffer.bytes.withUnsafeBytes { bytes in
            try pages.write(page, pixels: UnsafeRawBufferPointer(rebasing: bytes[(plane * planeBytes) ..< ((plane + 1) * planeBytes)]))
        }
    }
}

@available(*, unavailable, message: "a StackFileStream owns a libtiff handle being written; use it from one thread")
extension StackFileStream: Sendable {}
