import Foundation
import ScaleTileCore

/// What every medical job reads voxels through: a TIFF stack, a NIfTI or a NRRD volume.
///
/// The shape of GDAL's driver model: a reader answers a few questions about its volume and
/// reads windows and slices; jobs (`tile`, `sample`, `analyze`, `pyramid`) use nothing else, so
/// a new format is one more conforming type plus a line in ``MedicalSource/open(_:scratchFolder:)``.
///
/// Not `Sendable`: readers keep file handles, decode caches and stream positions. Open one per
/// task.
public protocol VoxelSource: AnyObject {
    /// The path as given.
    var path: String { get }
    /// Width (X), height (Y) and depth (Z, slices).
    var size: RasterSize { get }
    /// Channels per voxel.
    var channelCount: Int { get }
    /// Timepoints.
    var timepointCount: Int { get }
    /// The sample type.
    var pixelType: PixelType { get }
    /// The physical size of a voxel.
    var spacing: Spacing { get }
    /// The voxel-to-world affine of volumes that have one (NIfTI, NRRD); nil for TIFF stacks.
    var voxelToWorld: VoxelToWorld? { get }

    /// Reads a window of voxels, channel-first (C, Z, Y, X), in native byte order; voxels of
    /// the window outside the volume are `fill`.
    func read(_ window: Window, channels: [Int]?, timepoint: Int, fill: Double) throws -> RasterBuffer

    /// Calls `body` with each slice of one channel in turn, from slice 0 up, as contiguous
    /// row-major samples in native byte order; memory stays at about one slice.
    func forEachSlice(channel: Int, timepoint: Int, _ body: (_ z: Int, _ samples: UnsafeRawBufferPointer) throws -> Void) throws
}

extension VoxelSource {
    /// Reads `window` of `channels` (all when nil) at timepoint 0, filling outside voxels with 0.
    public func read(_ window: Window, channels: [Int]? = nil) throws -> RasterBuffer {
        try read(window, channels: channels, timepoint: 0, fill: 0)
    }

    /// Each slice of channel `channel` at timepoint 0.
    public func forEachSlice(channel: Int = 0, _ body: (_ z: Int, _ samples: UnsafeRawBufferPointer) throws -> Void) throws {
        try forEachSlice(channel: channel, timepoint: 0, body)
    }
}

extension TIFFStack: VoxelSource {
    /// TIFF stacks carry spacing but no orientation.
    public var voxelToWorld: VoxelToWorld? { nil }
}

/// Opens the right reader for a medical input.
public enum MedicalSource {
    /// The reader of `path`: a ``MedicalVolume`` for NIfTI and NRRD files, else a ``TIFFStack``.
    ///
    /// - Parameter scratchFolder: where a gzip volume may decompress its voxels once, so windows
    ///   are read by seeking (jobs pass a folder under their output); nil reads gzip volumes by
    ///   streaming, which suits slice-by-slice passes and writes nothing.
    public static func open(_ path: String, scratchFolder: String? = nil) throws -> any VoxelSource {
        if VolumeFormat.of(path: path) != nil {
            return try MedicalVolume(opening: path, scratchFolder: scratchFolder)
        }
        return try TIFFStack(opening: path)
    }
}
