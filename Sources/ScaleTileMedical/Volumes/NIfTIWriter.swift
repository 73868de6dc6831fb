import Foundation
internal import CNIfTI
import ScaleTileCore

/// Writes NIfTI-1 patches: `.nii.gz` (``ScaleTileCore/TileFormat/nifti``) or uncompressed `.nii`
/// (``ScaleTileCore/TileFormat/nii``).
///
/// A (C, Z, Y, X) buffer is already NIfTI's voxel order (X fastest, then Y, Z, time, and the
/// fifth dimension slowest), so the bytes go out unchanged after the 352-byte header; patches
/// with more than one channel are 5-D, (X, Y, Z, 1, C). The affine goes into the sform and,
/// as a quaternion, the qform (both code 1, scanner), so readers that prefer either agree;
/// units are millimetres. Equal inputs give byte-identical files (gzip without name or time).
public enum NIfTIWriter {
    /// Writes `patch` with voxel-to-world `affine` (converted to RAS, NIfTI's world) and voxel
    /// size `spacing` to `path` atomically; gzip-compressed when `compressed`.
    ///
    /// - Throws: ``ScaleTileError`` `.io` when the file cannot be written.
    public static func write(_ patch: RasterBuffer, affine: VoxelToWorld, spacing: Spacing, compressed: Bool, to path: String) throws {
        let header = headerBytes(of: patch, affine: affine.converted(to: .ras), spacing: spacing)
        try AtomicFile.produce(path) { temporary in
            if compressed {
                guard let file = st_gz_create(temporary) else {
                    throw ScaleTileError(.io, path, "cannot be created: \(String(cString: strerror(errno)))")
                }
                var ok = header.withUnsafeBytes { gzwrite(file, $0.baseAddress!, UInt32($0.count)) } == Int32(header.count)
                ok = ok && patch.bytes.withUnsafeBytes { raw in
                    var done = 0
                    while done < raw.count {
                        let n = Swift.min(raw.count - done, 1 << 30)
                        guard gzwrite(file, raw.baseAddress! + done, UInt32(n)) == Int32(n) else { return false }
                        done += n
                    }
                    return true
                }
                guard gzclose(file) == Z_OK, ok else {
                    throw ScaleTileError(.io, path, "cannot be written (gzip)")
                }
            } else {
                guard FileManager.default.createFile(atPath: temporary, contents: Data(header) + Data(patch.bytes)) else {
                    throw ScaleTileError(.io, path, "cannot be written: \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// The NIfTI-1 header (348 bytes) and an empty extension flag (4 bytes).
    static func headerBytes(of patch: RasterBuffer, affine: VoxelToWorld, spacing: Spacing) -> [UInt8] {
        var h = nifti_1_header()
        h.sizeof_hdr = 348
        let s = patch.size, channels = patch.bandCount
        let dims: [Int16] = channels > 1
            ? [5, Int16(s.width), Int16(s.height), Int16(s.depth), 1, Int16(channels), 1, 1]
            : [3, Int16(s.width), Int16(s.height), Int16(s.depth), 1, 1, 1, 1]
        withUnsafeMutableBytes(of: &h.dim) { $0.bindMemory(to: Int16.self).update(fromContentsOf: dims) }
        let (code, bits): (Int32, Int16) = {
            switch patch.pixelType {
            case .uint8: return (NIFTI_TYPE_UINT8, 8)
            case .int8: return (NIFTI_TYPE_INT8, 8)
            case .uint16: return (NIFTI_TYPE_UINT16, 16)
            case .int16: return (NIFTI_TYPE_INT16, 16)
            case .uint32: return (NIFTI_TYPE_UINT32, 32)
            case .int32: return (NIFTI_TYPE_INT32, 32)
            case .uint64: return (NIFTI_TYPE_UINT64, 64)
            case .int64: return (NIFTI_TYPE_INT64, 64)
            case .float32: return (NIFTI_TYPE_FLOAT32, 32)
            case .float64: return (NIFTI_TYPE_FLOAT64, 64)
            }
        }()
        h.datatype = Int16(code)
        h.bitpix = bits
        var m = nifti_dmat44()
        withUnsafeMutableBytes(of: &m.m) { $0.bindMemory(to: Double.self).update(fromContentsOf: Array(affine.matrix.joined())) }
        var qb = 0.0, qc = 0.0, qd = 0.0, qx = 0.0, qy = 0.0, qz = 0.0, dx = 0.0, dy = 0.0, dz = 0.0, qfac = 0.0
        nifti_dmat44_to_quatern(m, &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz, &qfac)
        let pixdim: [Float] = [Float(qfac), Float(dx), Float(dy), Float(dz), 1, 1, 1, 1]
        withUnsafeMutableBytes(of: &h.pixdim) { $0.bindMemory(to: Float.self).update(fromContentsOf: pixdim) }
        h.vox_offset = 352
        h.xyzt_units = Int8(NIFTI_UNITS_MM)
        h.qform_code = Int16(NIFTI_XFORM_SCANNER_ANAT)
        h.sform_code = Int16(NIFTI_XFORM_SCANNER_ANAT)
        (h.quatern_b, h.quatern_c, h.quatern_d) = (Float(qb), Float(qc), Float(qd))
        (h.qoffset_x, h.qoffset_y, h.qoffset_z) = (Float(qx), Float(qy), Float(qz))
        withUnsafeMutableBytes(of: &h.srow_x) { $0.bindMemory(to: Float.self).update(fromContentsOf: affine.matrix[0].map(Float.init)) }
        withUnsafeMutableBytes(of: &h.srow_y) { $0.bindMemory(to: Float.self).update(fromContentsOf: affine.matrix[1].map(Float.init)) }
        withUnsafeMutableBytes(of: &h.srow_z) { $0.bindMemory(to: Float.self).update(fromContentsOf: affine.matrix[2].map(Float.init)) }
        withUnsafeMutableBytes(of: &h.magic) { $0.copyBytes(from: Array("n+1\0".utf8)) }
        var bytes = withUnsafeBytes(of: &h) { Array($0) }
        bytes += [0, 0, 0, 0]
        return bytes
    }
}
