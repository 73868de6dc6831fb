import Foundation
import ScaleTileCore

/// The file formats a ``MedicalVolume`` reads.
public enum VolumeFormat: String, Hashable, Sendable, Codable {
    /// NIfTI-1 (`.nii`, `.nii.gz`, or a `.hdr`/`.img` pair).
    case nifti1 = "NIfTI-1"
    /// NIfTI-2, the same with 64-bit sizes.
    case nifti2 = "NIfTI-2"
    /// NRRD with an attached or detached (`.nhdr`) header.
    case nrrd = "NRRD"

    /// The format `path` is in, judged by its name and, for NRRD, its first bytes; nil for
    /// anything else (TIFF stacks, scenes).
    public static func of(path: String) -> VolumeFormat? {
        let name = path.lowercased()
        for suffix in [".nii", ".nii.gz", ".hdr", ".hdr.gz", ".img", ".img.gz"] where name.hasSuffix(suffix) {
            return NIfTIHeader.version(ofPath: path) ?? (suffix.hasPrefix(".nii") ? .nifti1 : nil)
        }
        if name.hasSuffix(".nrrd") || name.hasSuffix(".nhdr") { return .nrrd }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 8)) ?? Data()
        if start.starts(with: Array("NRRD000".utf8)) { return .nrrd }
        return nil
    }
}

/// What a volume's header says, whatever the format: everything but the voxels.
struct VolumeHeader: Sendable {
    var format: VolumeFormat
    /// Voxels along X, Y and Z (NIfTI `dim[1...3]`, NRRD's spatial `sizes`).
    var size: RasterSize
    /// Values per voxel: NIfTI's 5th dimension, NRRD's one non-spatial axis unless it is `time`.
    var channelCount: Int
    /// Volumes in the file: NIfTI's 4th dimension, NRRD's `time` axis.
    var timepointCount: Int
    var pixelType: PixelType
    /// Millimetres between voxel centres along X, Y and Z.
    var spacing: Spacing
    /// Voxel indices to world millimetres, in the file's own convention (RAS or LPS).
    var voxelToWorld: VoxelToWorld
    /// NIfTI's `scl_slope` and `scl_inter` when the slope is set (non-zero, finite).
    var valueScaling: ValueScaling?
    var layout: VolumeDataLayout
    /// Where the affine came from: `sform`, `qform`, `pixdim`, `space directions`, `spacings`.
    var affineSource: String
    /// `raw` or `gzip`.
    var encoding: String { layout.isGzip ? "gzip" : "raw" }
}

/// NIfTI's linear scaling of stored values, `scl_slope · stored + scl_inter`: reported, and
/// applied only when asked (to floating-point output).
public struct ValueScaling: Hashable, Sendable, Codable {
    public var slope: Double
    public var intercept: Double

    public init(slope: Double, intercept: Double) {
        self.slope = slope
        self.intercept = intercept
    }
}

extension ValueScaling {
    /// `buffer`'s samples as `Float32` values `slope · stored + intercept`, computed in
    /// `Float64` as nibabel's `get_fdata()` does, then rounded to the nearest float.
    ///
    /// - Complexity: O(samples).
    public func applied(to buffer: RasterBuffer) -> RasterBuffer {
        var output = RasterBuffer(pixelType: .float32, bandCount: buffer.bandCount, size: buffer.size)
        let bandLength = buffer.size.pixelCount
        output.bytes.withUnsafeMutableBytes { raw in
            let samples = raw.bindMemory(to: Float.self)
            for band in 0 ..< buffer.bandCount {
                let offset = band * bandLength
                buffer.forEachSample(band: band) { i, value in samples[offset + i] = Float(value * slope + intercept) }
            }
        }
        return output
    }
}
