import Foundation
internal import CNIfTI
import ScaleTileCore

/// Writes one `.nii.gz` volume slice by slice, so a volume of any depth passes through the
/// memory of one slice (pyramid levels of NIfTI and NRRD volumes, nnU-Net cases).
///
/// NIfTI stores X fastest, then Y, then Z, then channels (a 5-D file, (X, Y, Z, 1, C)), so
/// appending the slices of channel 0 in order, then those of channel 1, writes the file front
/// to back; the header (``NIfTIWriter``'s, with the affine) goes first. The file is written
/// under a temporary name and renamed into place by ``finish()``; a stream dropped before that
/// removes its temporary file.
///
/// Not `Sendable`: it owns a zlib stream being written. Use it from one thread.
public final class NIfTIFileStream {
    /// The final path of the file.
    public let path: String
    /// Width, height and depth of the whole volume.
    public let size: RasterSize
    public let pixelType: PixelType
    /// Channels: slices of channel 0 come first, then those of channel 1, and so on.
    public let channels: Int
    /// Slices appended so far, over every channel.
    public private(set) var sliceCount = 0
    private let temporaryPath: String
    private var file: gzFile?

    /// Starts the file at `path` for a volume of `size` voxels and `channels` channels with `affine`.
    ///
    /// - Throws: ``ScaleTileError`` `.io` when the file cannot be created.
    public init(path: String, size: RasterSize, pixelType: PixelType, spacing: Spacing, affine: VoxelToWorld, channels: Int = 1) throws {
        precondition(channels >= 1, "at least one channel")
        self.path = path
        self.size = size
        self.pixelType = pixelType
        self.channels = channels
        temporaryPath = AtomicFile.temporaryPath(for: path)
        // A signal that ends the process removes the file being written (``Interruption``):
        // registered before it exists, so no moment leaves it behind.
        AtomicFile.beginWriting(temporaryPath)
        guard let file = st_gz_create(temporaryPath) else {
            AtomicFile.endWriting(temporaryPath)
            throw ScaleTileError(.io, path, "cannot be created: \(String(cString: strerror(errno)))")
        }
        self.file = file
        // A 1×1×1 buffer of the channel count: the header's rank (3-D, or 5-D with channels) and dim5.
        let shape = RasterBuffer(pixelType: pixelType, bandCount: channels, size: RasterSize(width: 1, height: 1))
        var header = NIfTIWriter.headerBytes(of: shape, affine: affine.converted(to: .ras), spacing: spacing)
        // The header was made for a 1×1×1 buffer: set the real grid (dim[1..3], int16 at 42).
        for (i, n) in [size.width, size.height, size.depth].enumerated() {
            withUnsafeBytes(of: Int16(n)) { header.replaceSubrange((42 + 2 * i)..<(44 + 2 * i), with: $0) }
        }
        try write(header)
    }

    deinit {
        if let file {
            gzclose(file)
            unlink(temporaryPath)
        }
        AtomicFile.endWriting(temporaryPath)
    }

    private func write<C: ContiguousBytes>(_ bytes: C) throws {
        let ok = bytes.withUnsafeBytes { raw in
            raw.isEmpty || gzwrite(file, raw.baseAddress!, UInt32(raw.count)) == Int32(raw.count)
        }
        guard ok else { throw ScaleTileError(.io, path, "cannot be written (gzip)") }
    }

    /// Appends the next slice: one band, one slice deep, the volume's width and height and type.
    public func append(_ slice: RasterBuffer) throws {
        precondition(slice.bandCount == 1 && slice.size == RasterSize(width: size.width, height: size.height)
                     && slice.pixelType == pixelType, "a slice of the volume")
        precondition(sliceCount < size.depth * channels, "no more slices than the volume's depth times its channels")
        try write(slice.bytes)
        sliceCount += 1
    }

    /// Closes the file and renames it into place; every slice must have been appended.
    public func finish() throws {
        precondition(sliceCount == size.depth * channels, "\(sliceCount) of \(size.depth * channels) slices appended")
        guard let file else { return }
        self.file = nil
        defer { AtomicFile.endWriting(temporaryPath) }
        guard gzclose(file) == Z_OK else {
            unlink(temporaryPath)
            throw ScaleTileError(.io, path, "cannot be written (gzip)")
        }
        guard rename(temporaryPath, path) == 0 else {
            unlink(temporaryPath)
            throw ScaleTileError(.io, path, "cannot move the finished file into place: \(String(cString: strerror(errno)))")
        }
    }
}
