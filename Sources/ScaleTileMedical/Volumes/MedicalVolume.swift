import Foundation
import ScaleTileCore

/// A NIfTI-1, NIfTI-2 or NRRD volume: voxels plus spacing and a voxel-to-world affine.
///
/// Opening reads and checks the header only (through nifticlib's header structs or teem);
/// the voxels stay on disk and are read by window: raw data by seeking, gzip data by a
/// forward stream, or — given a scratch folder — decompressed once into a scratch file there on
/// the first window read and read by seeking from then on (the file is removed with the volume).
///
/// Not `Sendable`: it keeps a file descriptor and a stream position. Open one per task.
public final class MedicalVolume: VoxelSource {
    public let path: String
    public let format: VolumeFormat
    public let size: RasterSize
    public let channelCount: Int
    public let timepointCount: Int
    public let pixelType: PixelType
    public let spacing: Spacing
    /// The voxel-to-world affine, in the file's world convention.
    public let affine: VoxelToWorld
    public var voxelToWorld: VoxelToWorld? { affine }
    /// NIfTI's `scl_slope`/`scl_inter` when they change values; reported, not applied.
    public let valueScaling: ValueScaling?
    /// Where the affine came from (`sform`, `qform`, `pixdim`, `space directions`, `spacings`).
    public let affineSource: String
    /// `raw` or `gzip`.
    public let encoding: String

    let header: VolumeHeader
    let data: VolumeDataReader
    private let scratchFolder: String?

    /// Opens the volume at `path` and checks its header and, for raw data, that the file holds
    /// every voxel the header promises.
    ///
    /// - Throws: ``ScaleTileError`` `.notFound`, `.invalidInput` (one line naming the file),
    ///   or `.unsupported`.
    public init(opening path: String, scratchFolder: String? = nil) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ScaleTileError(.notFound, path, "no such file")
        }
        guard !isFolder.boolValue else { throw ScaleTileError(.invalidInput, path, "is a folder, not a volume") }
        guard let format = VolumeFormat.of(path: path) else {
            throw ScaleTileError(.invalidInput, path, "is neither a NIfTI nor a NRRD volume")
        }
        header = format == .nrrd ? try NRRDHeader.read(path) : try NIfTIHeader.read(path)
        self.path = path
        self.format = header.format
        size = header.size
        channelCount = header.channelCount
        timepointCount = header.timepointCount
        pixelType = header.pixelType
        spacing = header.spacing
        affine = header.voxelToWorld
        valueScaling = header.valueScaling
        affineSource = header.affineSource
        encoding = header.encoding
        self.scratchFolder = scratchFolder
        data = try VolumeDataReader(layout: header.layout, volumePath: path)
    }

    /// Reads every voxel once, in order, to check that compressed data is whole and decodes;
    /// raw data was checked at open. Writes nothing.
    public func checkData() throws { try data.checkAll() }

    public func read(_ window: Window, channels: [Int]?, timepoint: Int, fill: Double) throws -> RasterBuffer {
        let channels = channels ?? Array(0..<channelCount)
        guard !window.isEmpty, !channels.isEmpty else {
            throw ScaleTileError(.invalidArgument, path, "cannot read the empty window \(window)")
        }
        for c in channels where !(0..<channelCount).contains(c) {
            throw ScaleTileError(.invalidArgument, path, "channel \(c) requested, the volume has \(channelCount == 1 ? "1 channel (0)" : "\(channelCount) channels (0 to \(channelCount - 1))")")
        }
        guard (0..<timepointCount).contains(timepoint) else {
            throw ScaleTileError(.invalidArgument, path, "timepoint \(timepoint) requested, the volume has \(timepointCount == 1 ? "1 timepoint (0)" : "\(timepointCount) timepoints (0 to \(timepointCount - 1))")")
        }
        if let scratchFolder { try data.decompress(into: scratchFolder) }
        var buffer = RasterBuffer(pixelType: pixelType, bandCount: channels.count, size: window.size)
        if !Window(size: size).contains(window), fill != 0 { buffer.fill(with: fill) }
        guard let inside = window.intersection(Window(size: size)) else { return buffer }
        let es = pixelType.byteSize
        let rowBytes = window.width * es
        try buffer.bytes.withUnsafeMutableBytes { output in
            for (band, channel) in channels.enumerated() {
                for z in inside.z..<inside.maxZ {
                    let destination = { (y: Int) in
                        output.baseAddress! + ((band * window.depth + (z - window.z)) * window.height + (y - window.y)) * rowBytes
                            + (inside.x - window.x) * es
                    }
                    if rowsAreAdjacent, inside.height > 1 {
                        try readRows(inside, z: z, channel: channel, timepoint: timepoint, into: destination)
                        continue
                    }
                    for y in inside.y..<inside.maxY {
                        try readRow(y: y, z: z, x: inside.x, count: inside.width, channel: channel, timepoint: timepoint, into: destination(y))
                    }
                }
            }
        }
        return buffer
    }

    /// Whether a slice's rows follow each other in the data (one channel's voxels, X fastest).
    private var rowsAreAdjacent: Bool {
        header.layout.strides.x == 1 && header.layout.strides.y == size.width
    }

    /// The rows of `window` in slice `z`, read in one call: the bytes from its first voxel to
    /// its last, rows of the whole width between them, so a patch costs a read per slice, not
    /// per row (a 96-row patch of a gzip volume's scratch file: 96 times fewer calls).
    private func readRows(_ window: Window, z: Int, channel: Int, timepoint: Int,
                          into destination: (Int) -> UnsafeMutableRawPointer) throws {
        let l = header.layout
        let es = l.sampleBytes
        let first = window.x + window.y * l.strides.y + z * l.strides.z + channel * l.strides.channel + timepoint * l.strides.timepoint
        let span = ((window.height - 1) * size.width + window.width) * es
        if gather.count < span { gather = [UInt8](repeating: 0, count: span) }
        try gather.withUnsafeMutableBytes { raw in
            try data.read(at: first * es, count: span, into: raw.baseAddress!)
            for row in 0..<window.height {
                let target = destination(window.y + row)
                target.copyMemory(from: raw.baseAddress! + row * size.width * es, byteCount: window.width * es)
                if l.swapsBytes { swapSampleBytes(target, count: window.width, size: es) }
            }
        }
    }

    public func forEachSlice(channel: Int, timepoint: Int, _ body: (_ z: Int, _ samples: UnsafeRawBufferPointer) throws -> Void) throws {
        guard (0..<channelCount).contains(channel), (0..<timepointCount).contains(timepoint) else {
            throw ScaleTileError(.invalidArgument, path, "channel \(channel), timepoint \(timepoint) requested, the volume has \(channelCount) channels and \(timepointCount) timepoints")
        }
        let rowBytes = size.width * pixelType.byteSize
        var slice = [UInt8](repeating: 0, count: rowBytes * size.height)
        for z in 0..<size.depth {
            try slice.withUnsafeMutableBytes { raw in
                if rowsAreAdjacent, size.height > 1 {
                    try readRows(Window(x: 0, y: 0, z: z, width: size.width, height: size.height, depth: 1), z: z,
                                 channel: channel, timepoint: timepoint) { raw.baseAddress! + $0 * rowBytes }
                    return
                }
                for y in 0..<size.height {
                    try readRow(y: y, z: z, x: 0, count: size.width, channel: channel, timepoint: timepoint,
                                into: raw.baseAddress! + y * rowBytes)
                }
            }
            try slice.withUnsafeBytes { try body(z, $0) }
        }
    }

    /// Gathered bytes of rows whose voxels are not adjacent (interleaved channels); reused.
    private var gather = [UInt8]()

    /// Reads `count` voxels of row (y, z) from column `x` into `destination`, in native order.
    private func readRow(y: Int, z: Int, x: Int, count: Int, channel: Int, timepoint: Int,
                         into destination: UnsafeMutableRawPointer) throws {
        let l = header.layout
        let es = l.sampleBytes
        let first = x * l.strides.x + y * l.strides.y + z * l.strides.z + channel * l.strides.channel + timepoint * l.strides.timepoint
        if l.strides.x == 1 {
            try data.read(at: first * es, count: count * es, into: destination)
        } else {
            let span = ((count - 1) * l.strides.x + 1) * es
            if gather.count < span { gather = [UInt8](repeating: 0, count: span) }
            try gather.withUnsafeMutableBytes { raw in
                try data.read(at: first * es, count: span, into: raw.baseAddress!)
                for i in 0..<count {
                    (destination + i * es).copyMemory(from: raw.baseAddress! + i * l.strides.x * es, byteCount: es)
                }
            }
        }
        if l.swapsBytes { swapSampleBytes(destination, count: count, size: es) }
    }
}

@available(*, unavailable, message: "a MedicalVolume keeps a file descriptor and a stream position; open one per task")
extension MedicalVolume: Sendable {}
