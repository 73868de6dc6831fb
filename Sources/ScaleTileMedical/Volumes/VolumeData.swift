import Foundation
internal import CNIfTI
import ScaleTileCore

/// Where a volume's voxels are and how they are stored: one data file, raw or gzip, starting at
/// a byte offset, in one byte order, with the element strides of each axis.
struct VolumeDataLayout: Sendable {
    /// The file holding the voxels (the volume itself, a `.img`, or a NRRD's detached data file).
    var dataPath: String
    /// Where the stored stream (raw bytes or gzip members) begins in the file.
    var fileOffset: Int
    /// Decoded bytes to skip before the first voxel (NIfTI's `vox_offset` inside a `.nii.gz`,
    /// a NRRD's `byte skip` after decompression).
    var decodedSkip: Int
    /// Whether the stream is gzip-compressed.
    var isGzip: Bool
    /// Whether samples are stored in the other byte order than this machine's.
    var swapsBytes: Bool
    /// Bytes of one sample.
    var sampleBytes: Int
    /// Element strides of X, Y, Z, channel and timepoint.
    var strides: (x: Int, y: Int, z: Int, channel: Int, timepoint: Int)
    /// Elements in the whole data.
    var elementCount: Int

    /// Bytes of voxel data the header promises.
    var byteCount: Int { elementCount * sampleBytes }
}

/// Reads a volume's voxels by byte range without ever holding the whole volume.
///
/// Raw data is read where it lies, with `pread`. Gzip data is decoded by a forward-only stream
/// (one sequential pass when ranges are asked in order, as slice-by-slice reads do) until
/// ``decompress(into:)`` has written it once to a scratch file, after which ranges are read
/// from there; the scratch file is removed with the reader.
///
/// Not `Sendable`: it keeps a file descriptor and a stream position. Open one per task.
final class VolumeDataReader {
    let layout: VolumeDataLayout
    /// The volume's path, for messages.
    let volumePath: String
    private var descriptor: Int32 = -1
    private var scratchPath: String?
    private var stream: GzipForwardStream?

    init(layout: VolumeDataLayout, volumePath: String) throws {
        self.layout = layout
        self.volumePath = volumePath
        if layout.dataPath != volumePath, !FileManager.default.fileExists(atPath: layout.dataPath) {
            throw ScaleTileError(.notFound, volumePath, "its data file \(layout.dataPath) is missing")
        }
        if !layout.isGzip {
            descriptor = open(layout.dataPath, O_RDONLY)
            guard descriptor >= 0 else {
                throw ScaleTileError(.notFound, layout.dataPath, "cannot be opened: \(String(cString: strerror(errno)))")
            }
            var status = stat()
            fstat(descriptor, &status)
            let available = Int(status.st_size) - layout.fileOffset - layout.decodedSkip
            guard available >= layout.byteCount else {
                throw ScaleTileError(.invalidInput, volumePath, "truncated: the header promises \(layout.byteCount) bytes of voxels, \(layout.dataPath == volumePath ? "the file" : (layout.dataPath as NSString).lastPathComponent) holds \(Swift.max(0, available))")
            }
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if let scratchPath { unlink(scratchPath) }
    }

    /// Whether ranges are read from a file by seeking (raw data, or gzip data once decompressed).
    var seeks: Bool { descriptor >= 0 }

    /// Decodes gzip data once into a scratch file in `folder` (created if needed) so later reads
    /// seek; does nothing for raw data or when done already.
    ///
    /// - Throws: `.invalidInput` naming the volume when the gzip data is corrupt or ends early;
    ///   `.io` when the scratch file cannot be written.
    func decompress(into folder: String) throws {
        guard layout.isGzip, descriptor < 0 else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + UUID().uuidString + ".voxels"
        let out = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        guard out >= 0 else {
            throw ScaleTileError(.io, path, "cannot be created as a scratch file: \(String(cString: strerror(errno)))")
        }
        scratchPath = path
        descriptor = out
        let source = try GzipForwardStream(layout: layout, volumePath: volumePath)
        try source.forEachChunk { chunk in
            var written = 0
            while written < chunk.count {
                let n = write(out, chunk.baseAddress! + written, chunk.count - written)
                guard n > 0 else {
                    throw ScaleTileError(.io, path, "cannot be written: \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
    }

    /// Reads the whole data once, checking that it is all there and decodes; writes nothing.
    func checkAll() throws {
        guard layout.isGzip, descriptor < 0 else { return }
        let source = try GzipForwardStream(layout: layout, volumePath: volumePath)
        try source.forEachChunk { _ in }
    }

    /// Copies `count` bytes starting `offset` bytes into the voxel data to `destination`, in
    /// the file's byte order.
    func read(at offset: Int, count: Int, into destination: UnsafeMutableRawPointer) throws {
        if descriptor >= 0 {
            let base = scratchPath == nil ? layout.fileOffset + layout.decodedSkip : 0
            var done = 0
            while done < count {
                let n = pread(descriptor, destination + done, count - done, off_t(base + offset + done))
                guard n > 0 else {
                    throw ScaleTileError(.io, volumePath, "voxels cannot be read at byte \(base + offset + done): \(n < 0 ? String(cString: strerror(errno)) : "the file ended")")
                }
                done += n
            }
            return
        }
        if stream == nil || stream!.position > offset {
            stream = try GzipForwardStream(layout: layout, volumePath: volumePath)
        }
        try stream!.read(at: offset, count: count, into: destination)
    }
}

/// A gzip stream read forward only, in decoded-voxel offsets (the layout's skip applied).
final class GzipForwardStream {
    private let file: gzFile
    private let volumePath: String
    private let byteCount: Int
    /// Decoded voxel bytes passed so far.
    private(set) var position = 0
    private var discard = [UInt8](repeating: 0, count: 1 << 20)

    init(layout: VolumeDataLayout, volumePath: String) throws {
        let fd = open(layout.dataPath, O_RDONLY)
        guard fd >= 0 else {
            throw ScaleTileError(.notFound, layout.dataPath, "cannot be opened: \(String(cString: strerror(errno)))")
        }
        guard lseek(fd, off_t(layout.fileOffset), SEEK_SET) >= 0, let file = st_gz_dopen(fd) else {
            close(fd)
            throw ScaleTileError(.io, layout.dataPath, "cannot be read as gzip")
        }
        _ = gzbuffer(file, 1 << 17)
        self.file = file
        self.volumePath = volumePath
        self.byteCount = layout.byteCount
        position = -layout.decodedSkip
        try skip(to: 0)
    }

    deinit { gzclose(file) }

    private func fill(_ destination: UnsafeMutableRawPointer, count: Int) throws {
        var done = 0
        while done < count {
            let n = gzread(file, destination + done, UInt32(Swift.min(count - done, 1 << 30)))
            if n < 0 || st_gz_error(file) != nil {
                let reason = st_gz_error(file).map { String(cString: $0) } ?? "unreadable"
                throw ScaleTileError(.invalidInput, volumePath, "the gzip data is corrupt (\(reason)) after \(Swift.max(0, position + done)) bytes of voxels")
            }
            if n == 0 {
                throw ScaleTileError(.invalidInput, volumePath, "truncated: the gzip data ends after \(Swift.max(0, position + done)) of \(byteCount) bytes of voxels")
            }
            done += Int(n)
        }
        position += count
    }

    private func skip(to offset: Int) throws {
        while position < offset {
            let n = Swift.min(offset - position, discard.count)
            try discard.withUnsafeMutableBytes { try fill($0.baseAddress!, count: n) }
        }
    }

    /// Copies `count` decoded bytes from `offset` (not before ``position``) to `destination`.
    func read(at offset: Int, count: Int, into destination: UnsafeMutableRawPointer) throws {
        precondition(offset >= position, "a forward stream cannot go back")
        try skip(to: offset)
        try fill(destination, count: count)
    }

    /// Passes every decoded voxel byte, in order, a megabyte at a time.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while position < byteCount {
            let n = Swift.min(byteCount - position, buffer.count)
            try buffer.withUnsafeMutableBytes { raw in
                try fill(raw.baseAddress!, count: n)
                try body(UnsafeRawBufferPointer(rebasing: raw[0..<n]))
            }
        }
    }
}

/// Reverses the bytes of each of `count` samples of `size` bytes at `base`.
func swapSampleBytes(_ base: UnsafeMutableRawPointer, count: Int, size: Int) {
    switch size {
    case 2:
        let p = base.bindMemory(to: UInt16.self, capacity: count)
        for i in 0..<count { p[i] = p[i].byteSwapped }
    case 4:
        let p = base.bindMemory(to: UInt32.self, capacity: count)
        for i in 0..<count { p[i] = p[i].byteSwapped }
    case 8:
        let p = base.bindMemory(to: UInt64.self, capacity: count)
        for i in 0..<count { p[i] = p[i].byteSwapped }
    default:
        break
    }
}
