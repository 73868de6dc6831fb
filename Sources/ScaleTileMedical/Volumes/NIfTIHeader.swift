import Foundation
internal import CNIfTI
import ScaleTileCore

/// Reads a NIfTI-1 or NIfTI-2 header (the format's own C structs from nifti1.h and nifti2.h,
/// byte-swapped and turned into an affine by libnifti2) into a ``VolumeHeader``.
enum NIfTIHeader {
    /// The version of the NIfTI header at `path` (or its `.hdr` beside an `.img`); nil when
    /// it cannot be read or is not a NIfTI header.
    static func version(ofPath path: String) -> VolumeFormat? {
        guard let (headerPath, _) = try? files(of: path), let bytes = try? headerBytes(headerPath) else { return nil }
        switch sizeofHeader(bytes) {
        case (348, _): return .nifti1
        case (540, _): return .nifti2
        default: return nil
        }
    }

    /// The header file and the image file of `path`.
    static func files(of path: String) throws -> (header: String, image: String) {
        let lower = path.lowercased()
        func sibling(_ from: String, _ to: String) -> String {
            String(path.dropLast(from.count)) + (path.hasSuffix(from.uppercased()) ? to.uppercased() : to)
        }
        if lower.hasSuffix(".hdr") || lower.hasSuffix(".hdr.gz") {
            let from = lower.hasSuffix(".gz") ? ".hdr.gz" : ".hdr"
            let plain = sibling(from, ".img"), zipped = sibling(from, ".img.gz")
            return (path, FileManager.default.fileExists(atPath: plain) || !FileManager.default.fileExists(atPath: zipped) ? plain : zipped)
        }
        if lower.hasSuffix(".img") || lower.hasSuffix(".img.gz") {
            let from = lower.hasSuffix(".gz") ? ".img.gz" : ".img"
            let plain = sibling(from, ".hdr"), zipped = sibling(from, ".hdr.gz")
            return (FileManager.default.fileExists(atPath: plain) || !FileManager.default.fileExists(atPath: zipped) ? plain : zipped, path)
        }
        return (path, path)
    }

    /// The first 540 bytes (fewer in a short file), decompressed when gzip.
    static func headerBytes(_ path: String) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else {
            throw ScaleTileError(.notFound, path, "cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { gzclose(file) }
        var bytes = [UInt8](repeating: 0, count: 540)
        let n = bytes.withUnsafeMutableBytes { gzread(file, $0.baseAddress!, 540) }
        if n < 0 || st_gz_error(file) != nil {
            throw ScaleTileError(.invalidInput, path, "the gzip data is corrupt: \(st_gz_error(file).map { String(cString: $0) } ?? "unreadable")")
        }
        return Array(bytes[0..<Int(n)])
    }

    /// `sizeof_hdr` read in either byte order, and whether it needed swapping.
    private static func sizeofHeader(_ bytes: [UInt8]) -> (Int, swapped: Bool) {
        guard bytes.count >= 4 else { return (0, false) }
        let native = bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        if native == 348 || native == 540 { return (Int(native), false) }
        let swapped = native.byteSwapped
        if swapped == 348 || swapped == 540 { return (Int(swapped), true) }
        return (0, false)
    }

    /// The header of the NIfTI volume at `path`.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` for a short or unrecognised header, sizes
    ///   that disagree, zero or negative dimensions or voxel sizes, more than one of dimensions
    ///   4–7 above 1, or a non-finite affine; `.unsupported` for complex and 128-bit samples.
    static func read(_ path: String) throws -> VolumeHeader {
        let (headerPath, imagePath) = try files(of: path)
        guard FileManager.default.fileExists(atPath: headerPath) else {
            throw ScaleTileError(.notFound, headerPath, "no such file")
        }
        let bytes = try headerBytes(headerPath)
        let (sizeof, swapped) = sizeofHeader(bytes)
        guard sizeof > 0, bytes.count >= sizeof else {
            throw ScaleTileError(.invalidInput, path, bytes.count < 348
                ? "truncated: the NIfTI header needs 348 bytes, the file has \(bytes.count)"
                : "is not a NIfTI file: sizeof_hdr is neither 348 nor 540 in either byte order")
        }
        var fields: Fields
        if sizeof == 348 {
            var h = nifti_1_header()
            withUnsafeMutableBytes(of: &h) { $0.copyBytes(from: bytes[0..<348]) }
            if swapped { nifti_swap_as_nifti1(&h) }
            fields = Fields(h)
        } else {
            var h = nifti_2_header()
            withUnsafeMutableBytes(of: &h) { $0.copyBytes(from: bytes[0..<540]) }
            if swapped { nifti_swap_as_nifti2(&h) }
            fields = Fields(h)
        }
        let format: VolumeFormat = sizeof == 348 ? .nifti1 : .nifti2
        let isPair = headerPath != imagePath
        guard isPair || fields.isSingleFile else {
            throw ScaleTileError(.invalidInput, path, "is a NIfTI header for a separate .img file (magic '\(fields.magic)'), but has the name of a single-file .nii")
        }
        return try fields.volumeHeader(format: format, path: path, imagePath: imagePath, swapped: swapped)
    }

    /// The header fields ScaleTile uses, the same for NIfTI-1 and NIfTI-2.
    struct Fields {
        var dim: [Int]
        var pixdim: [Double]
        var datatype: Int
        var bitpix: Int
        var voxOffset: Double
        var sclSlope: Double
        var sclInter: Double
        var xyztUnits: Int
        var qformCode: Int
        var sformCode: Int
        var quatern: [Double]
        var qoffset: [Double]
        var srow: [[Double]]
        var magic: String
        var isSingleFile: Bool

        init(_ h: nifti_1_header) {
            var h = h
            dim = withUnsafeBytes(of: &h.dim) { Array($0.bindMemory(to: Int16.self)).map(Int.init) }
            pixdim = withUnsafeBytes(of: &h.pixdim) { Array($0.bindMemory(to: Float.self)).map(Double.init) }
            datatype = Int(h.datatype); bitpix = Int(h.bitpix); voxOffset = Double(h.vox_offset)
            sclSlope = Double(h.scl_slope); sclInter = Double(h.scl_inter); xyztUnits = Int(h.xyzt_units)
            qformCode = Int(h.qform_code); sformCode = Int(h.sform_code)
            quatern = [h.quatern_b, h.quatern_c, h.quatern_d].map(Double.init)
            qoffset = [h.qoffset_x, h.qoffset_y, h.qoffset_z].map(Double.init)
            srow = [withUnsafeBytes(of: &h.srow_x) { Array($0.bindMemory(to: Float.self)).map(Double.init) },
                    withUnsafeBytes(of: &h.srow_y) { Array($0.bindMemory(to: Float.self)).map(Double.init) },
                    withUnsafeBytes(of: &h.srow_z) { Array($0.bindMemory(to: Float.self)).map(Double.init) }]
            let m = withUnsafeBytes(of: &h.magic) { Array($0) }
            magic = String(decoding: m.prefix { $0 != 0 }, as: UTF8.self)
            isSingleFile = magic == "n+1"
        }

        init(_ h: nifti_2_header) {
            var h = h
            dim = withUnsafeBytes(of: &h.dim) { Array($0.bindMemory(to: Int64.self)).map(Int.init) }
            pixdim = withUnsafeBytes(of: &h.pixdim) { Array($0.bindMemory(to: Double.self)) }
            datatype = Int(h.datatype); bitpix = Int(h.bitpix); voxOffset = Double(h.vox_offset)
            sclSlope = h.scl_slope; sclInter = h.scl_inter; xyztUnits = Int(h.xyzt_units)
            qformCode = Int(h.qform_code); sformCode = Int(h.sform_code)
            quatern = [h.quatern_b, h.quatern_c, h.quatern_d]
            qoffset = [h.qoffset_x, h.qoffset_y, h.qoffset_z]
            srow = [withUnsafeBytes(of: &h.srow_x) { Array($0.bindMemory(to: Double.self)) },
                    withUnsafeBytes(of: &h.srow_y) { Array($0.bindMemory(to: Double.self)) },
                    withUnsafeBytes(of: &h.srow_z) { Array($0.bindMemory(to: Double.self)) }]
            let m = withUnsafeBytes(of: &h.magic) { Array($0) }
            magic = String(decoding: m.prefix { $0 != 0 && $0 != 0x0D }, as: UTF8.self)
            isSingleFile = magic == "n+2"
        }

        /// The sample type, and the samples per voxel (3 for RGB24, 4 for RGBA32).
        func pixelType(path: String) throws -> (PixelType, samplesPerVoxel: Int) {
            switch Int32(datatype) {
            case NIFTI_TYPE_UINT8: return (.uint8, 1)
            case NIFTI_TYPE_INT8: return (.int8, 1)
            case NIFTI_TYPE_UINT16: return (.uint16, 1)
            case NIFTI_TYPE_INT16: return (.int16, 1)
            case NIFTI_TYPE_UINT32: return (.uint32, 1)
            case NIFTI_TYPE_INT32: return (.int32, 1)
            case NIFTI_TYPE_UINT64: return (.uint64, 1)
            case NIFTI_TYPE_INT64: return (.int64, 1)
            case NIFTI_TYPE_FLOAT32: return (.float32, 1)
            case NIFTI_TYPE_FLOAT64: return (.float64, 1)
            case NIFTI_TYPE_RGB24: return (.uint8, 3)
            case NIFTI_TYPE_RGBA32: return (.uint8, 4)
            case NIFTI_TYPE_COMPLEX64, NIFTI_TYPE_COMPLEX128, NIFTI_TYPE_COMPLEX256, NIFTI_TYPE_FLOAT128:
                let name = [NIFTI_TYPE_COMPLEX64: "complex64", NIFTI_TYPE_COMPLEX128: "complex128",
                            NIFTI_TYPE_COMPLEX256: "complex256", NIFTI_TYPE_FLOAT128: "float128"][Int32(datatype)]!
                throw ScaleTileError(.unsupported, path, "holds \(name) voxels; ScaleTile reads integer, float32/64 and RGB(A) NIfTI volumes")
            default:
                throw ScaleTileError(.invalidInput, path, "has NIfTI datatype \(datatype), which the format does not define")
            }
        }

        func volumeHeader(format: VolumeFormat, path: String, imagePath: String, swapped: Bool) throws -> VolumeHeader {
            let rank = dim[0]
            guard (1...7).contains(rank) else {
                throw ScaleTileError(.invalidInput, path, "declares \(rank) dimensions (dim[0]); NIfTI allows 1 to 7")
            }
            var extent = [Int](repeating: 1, count: 8)
            for axis in 1...rank {
                guard dim[axis] > 0 else {
                    throw ScaleTileError(.invalidInput, path, "dimension \(axis) has size \(dim[axis]); sizes must be at least 1")
                }
                extent[axis] = dim[axis]
            }
            let extra = (4...7).filter { extent[$0] > 1 }
            guard extra.count <= 1 else {
                throw ScaleTileError(.invalidInput, path, "has \(extra.count) extra dimensions above 1 (\(extra.map { "dim\($0)=\(extent[$0])" }.joined(separator: ", "))); ScaleTile reads a volume with time points (dim4) or channels (dim5), not both")
            }
            if let axis = extra.first, axis > 5 {
                throw ScaleTileError(.invalidInput, path, "has dimension \(axis) of size \(extent[axis]); ScaleTile reads time points in dimension 4 and channels in dimension 5 only")
            }
            let (pixelType, samplesPerVoxel) = try pixelType(path: path)
            guard bitpix == pixelType.byteSize * 8 * samplesPerVoxel else {
                throw ScaleTileError(.invalidInput, path, "says \(bitpix) bits per voxel, but its datatype \(datatype) has \(pixelType.byteSize * 8 * samplesPerVoxel)")
            }
            for axis in 1...3 where !(pixdim[axis] > 0 && pixdim[axis].isFinite) && (axis <= rank) {
                throw ScaleTileError(.invalidInput, path, "has voxel size \(pixdim[axis]) along axis \(axis) (pixdim[\(axis)]); sizes must be positive")
            }
            let spacingValues = (1...3).map { $0 <= rank ? pixdim[$0] : 1 }
            let unit: String
            switch Int32(xyztUnits) & 0x07 {
            case NIFTI_UNITS_METER: unit = "m"
            case NIFTI_UNITS_MICRON: unit = "um"
            default: unit = "mm" // NIFTI_UNITS_MM, or unset: NIfTI readers take millimetres
            }

            let affine: VoxelToWorld, source: String
            if sformCode > 0 {
                affine = VoxelToWorld(matrix: srow + [[0, 0, 0, 1]], space: .ras)
                source = "sform"
            } else if qformCode > 0 {
                let qfac = pixdim[0] < 0 ? -1.0 : 1.0
                var m = nifti_quatern_to_dmat44(quatern[0], quatern[1], quatern[2], qoffset[0], qoffset[1], qoffset[2],
                                                spacingValues[0], spacingValues[1], spacingValues[2], qfac)
                let rows = withUnsafeBytes(of: &m.m) { Array($0.bindMemory(to: Double.self)) }
                affine = VoxelToWorld(matrix: (0..<4).map { Array(rows[($0 * 4)..<($0 * 4 + 4)]) }, space: .ras)
                source = "qform"
            } else {
                affine = VoxelToWorld(columns: [[spacingValues[0], 0, 0], [0, spacingValues[1], 0], [0, 0, spacingValues[2]]],
                                      origin: [0, 0, 0], space: .ras)
                source = "pixdim"
            }
            guard affine.isFinite else {
                throw ScaleTileError(.invalidInput, path, "has a voxel-to-world affine (\(source)) with NaN or infinite entries: \(affine.text)")
            }
            guard voxOffset >= 0, voxOffset.isFinite, voxOffset == voxOffset.rounded() else {
                throw ScaleTileError(.invalidInput, path, "has vox_offset \(voxOffset); it must be a whole number of bytes")
            }

            let (nx, ny, nz) = (extent[1], extent[2], extent[3])
            let timepoints = extent[4], channels = extent[5] * samplesPerVoxel
            let s = samplesPerVoxel
            let voxels = nx * ny * nz
            // RGB(A) samples are interleaved per voxel; dim5 channels follow the time points.
            let strides = (x: s, y: nx * s, z: nx * ny * s,
                           channel: s > 1 ? 1 : voxels * timepoints, timepoint: voxels * s)
            let gzip = imagePath.lowercased().hasSuffix(".gz")
            let layout = VolumeDataLayout(dataPath: imagePath, fileOffset: 0, decodedSkip: Int(voxOffset), isGzip: gzip,
                                          swapsBytes: swapped && pixelType.byteSize > 1, sampleBytes: pixelType.byteSize,
                                          strides: strides, elementCount: voxels * timepoints * extent[5] * s)
            let scaling = sclSlope != 0 && sclSlope.isFinite && sclInter.isFinite && !(sclSlope == 1 && sclInter == 0)
                ? ValueScaling(slope: sclSlope, intercept: sclInter) : nil
            return VolumeHeader(format: format, size: RasterSize(width: nx, height: ny, depth: nz),
                                channelCount: channels, timepointCount: timepoints, pixelType: pixelType,
                                spacing: Spacing(x: spacingValues[0], y: spacingValues[1], z: spacingValues[2], unit: unit),
                                voxelToWorld: affine, valueScaling: scaling, layout: layout, affineSource: source)
        }
    }
}
