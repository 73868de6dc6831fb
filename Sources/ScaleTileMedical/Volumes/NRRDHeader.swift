import Foundation
internal import CTeem
import ScaleTileCore

/// Reads a NRRD header through teem (attached or detached, raw or gzip data) into a
/// ``VolumeHeader``; the data stays on disk.
enum NRRDHeader {
    /// The header of the NRRD at `path`.
    ///
    /// Three axes that teem places in space (a space direction, or kind `domain`/`space`) are X,
    /// Y and Z, fastest first; one more axis of size above 1 is time points when its kind is
    /// `time`, else channels. The affine's columns are the space directions and its origin the
    /// space origin, in the file's space: `right-anterior-superior` (RAS) and
    /// `left-posterior-superior` (LPS) as they are, `left-anterior-superior` converted to RAS;
    /// without a space, the axes' spacings on the diagonal in RAS.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` when teem cannot parse the header, sizes or
    ///   spacings are not positive, more than one non-spatial axis is above 1, or the affine is
    ///   not finite; `.unsupported` for encodings other than raw and gzip, block samples, or
    ///   data in several files.
    static func read(_ path: String) throws -> VolumeHeader {
        guard let nrrd = nrrdNew() else { throw ScaleTileError(.io, path, "teem could not allocate a header") }
        defer { nrrdNuke(nrrd) }
        guard let nio = nrrdIoStateNew() else { throw ScaleTileError(.io, path, "teem could not allocate a reader") }
        defer { nrrdIoStateNix(nio) }
        var message: UnsafeMutablePointer<CChar>?
        if st_nrrd_load_header(nrrd, nio, path, &message) != 0 {
            let text = message.map { String(cString: $0) } ?? "no reason given"
            free(message)
            // teem's messages stack "[nrrd] func: …" lines; the innermost one is the cause.
            let cause = text.split(separator: "\n").last.map { String($0).replacingOccurrences(of: #"^\[nrrd\] [A-Za-z_]+: "#, with: "", options: .regularExpression) } ?? text
            throw ScaleTileError(.invalidInput, path, "is not a readable NRRD: \(cause)")
        }
        let attachedOffset = st_nrrd_take_data_offset(nio)
        let n = nrrd.pointee

        guard st_nrrd_encoding_is_raw(nio) != 0 || st_nrrd_encoding_is_gzip(nio) != 0 else {
            throw ScaleTileError(.unsupported, path, "stores its voxels with the '\(String(cString: st_nrrd_encoding_name(nio)))' encoding; ScaleTile reads raw and gzip NRRD data")
        }
        let isGzip = st_nrrd_encoding_is_gzip(nio) != 0
        let pixelType: PixelType
        switch Int(n.type) {
        case 1: pixelType = .int8
        case 2: pixelType = .uint8
        case 3: pixelType = .int16
        case 4: pixelType = .uint16
        case 5: pixelType = .int32
        case 6: pixelType = .uint32
        case 7: pixelType = .int64
        case 8: pixelType = .uint64
        case 9: pixelType = .float32
        case 10: pixelType = .float64
        default: throw ScaleTileError(.unsupported, path, "holds 'block' samples of \(n.blockSize) bytes; ScaleTile reads integer and floating-point NRRD volumes")
        }

        let rank = Int(n.dim)
        let axes = withUnsafeBytes(of: n.axis) { Array($0.bindMemory(to: NrrdAxisInfo.self).prefix(rank)) }
        let spaceDim = Int(n.spaceDim)
        func direction(_ a: NrrdAxisInfo) -> [Double]? {
            guard spaceDim > 0 else { return nil }
            let d = withUnsafeBytes(of: a.spaceDirection) { Array($0.bindMemory(to: Double.self).prefix(spaceDim)) }
            return d.allSatisfy(\.isNaN) ? nil : d
        }
        for (i, a) in axes.enumerated() where a.size < 1 {
            throw ScaleTileError(.invalidInput, path, "axis \(i) has size \(a.size); sizes must be at least 1")
        }
        // Spatial axes: those with a space direction; without a space, kinds domain/space/unknown.
        var spatial = axes.indices.filter { direction(axes[$0]) != nil }
        if spaceDim == 0 {
            spatial = axes.indices.filter { [0, 1, 2].contains(Int(axes[$0].kind)) }
            if spatial.count > 3 { spatial = Array(spatial.prefix(3)) }
        }
        guard (1...3).contains(spatial.count) else {
            throw ScaleTileError(.invalidInput, path, "has \(spatial.count) spatial axes; ScaleTile reads volumes with 1 to 3")
        }
        let others = axes.indices.filter { !spatial.contains($0) }
        let extra = others.filter { axes[$0].size > 1 }
        guard extra.count <= 1 else {
            throw ScaleTileError(.invalidInput, path, "has \(extra.count) non-spatial axes above 1 (\(extra.map { "axis \($0): \(axes[$0].size)" }.joined(separator: ", "))); ScaleTile reads a volume with time points or channels, not both")
        }

        // Element strides of every axis, fastest first.
        var strides = [Int](repeating: 1, count: rank)
        for i in 1..<Swift.max(1, rank) { strides[i] = strides[i - 1] * axes[i - 1].size }
        let elementCount = axes.reduce(1) { $0 * $1.size }
        func stride(_ k: Int) -> Int { k < spatial.count ? strides[spatial[k]] : 0 }
        func extent(_ k: Int) -> Int { k < spatial.count ? axes[spatial[k]].size : 1 }
        let extraAxis = extra.first
        let isTime = extraAxis.map { Int(axes[$0].kind) == 3 } ?? false // nrrdKindTime
        let extraStride = extraAxis.map { strides[$0] } ?? 0

        // The affine, from space directions and origin, or from spacings.
        var columns: [[Double]] = []
        var space = WorldSpace.ras
        var source = "spacings"
        let affine: VoxelToWorld
        if spaceDim > 0 {
            guard spaceDim == 3 else {
                throw ScaleTileError(.unsupported, path, "has a \(spaceDim)-dimensional space; ScaleTile reads volumes in 3-D space")
            }
            for k in 0..<3 {
                columns.append(k < spatial.count ? direction(axes[spatial[k]])! : [0, 0, 0])
            }
            let origin = withUnsafeBytes(of: n.spaceOrigin) { Array($0.bindMemory(to: Double.self).prefix(3)) }.map { $0.isNaN ? 0 : $0 }
            var flipX = false
            switch Int(n.space) {
            case 5, 8: space = .lps          // left-posterior-superior(-time)
            case 4, 7: flipX = true          // left-anterior-superior(-time): X negated into RAS
            default: space = .ras            // right-anterior-superior(-time), scanner-xyz, 3D-…-handed
            }
            if Int(n.space) == 9 { space = .lps } // scanner-xyz is LPS (nrrdEnums.h)
            var origin3 = origin
            if flipX {
                columns = columns.map { [-$0[0], $0[1], $0[2]] }
                origin3[0] = -origin3[0]
            }
            // Axes teem left without a direction (fewer than three spatial axes) step 1 along
            // the remaining world axis.
            for k in spatial.count..<3 { columns[k][k] = 1 }
            source = "space directions"
            affine = VoxelToWorld(columns: columns, origin: origin3, space: space)
        } else {
            for k in 0..<3 {
                let s = k < spatial.count ? axes[spatial[k]].spacing : 1
                var c = [0.0, 0, 0]
                c[k] = s.isNaN ? 1 : s
                columns.append(c)
            }
            affine = VoxelToWorld(columns: columns, origin: [0, 0, 0], space: .ras)
        }
        do {
            guard affine.isFinite else {
                throw ScaleTileError(.invalidInput, path, "has a voxel-to-world affine with NaN or infinite entries: \(affine.text)")
            }
            let spacing = (0..<3).map { k in
                let c = affine.column(k)
                return (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).squareRoot()
            }
            for (k, s) in spacing.enumerated() where !(s > 0) {
                throw ScaleTileError(.invalidInput, path, "has voxel size \(s) along spatial axis \(k); sizes must be positive")
            }
            let unitName = spaceDim > 0 ? (n.spaceUnits.0.map { String(cString: $0) } ?? "mm") : (axes[spatial[0]].units.map { String(cString: $0) } ?? "mm")

            // The data: attached after the header, or in one detached file.
            let dataPath: String
            var fileOffset: Int
            switch st_nrrd_data_file_count(nio) {
            case 0:
                dataPath = path
                fileOffset = attachedOffset
            case 1:
                let name = String(cString: nio.pointee.dataFN[0]!)
                let base = nio.pointee.path.map { String(cString: $0) } ?? "."
                dataPath = name.hasPrefix("/") ? name : base + "/" + name
                fileOffset = 0
            default:
                throw ScaleTileError(.unsupported, path, "spreads its voxels over \(st_nrrd_data_file_count(nio)) data files; ScaleTile reads one")
            }
            let byteCount = elementCount * pixelType.byteSize
            fileOffset = try skipLines(Int(nio.pointee.lineSkip), in: dataPath, from: fileOffset, volume: path)
            var decodedSkip = Int(nio.pointee.byteSkip)
            if decodedSkip == -1 {
                guard !isGzip else {
                    throw ScaleTileError(.invalidInput, path, "says 'byte skip: -1' with gzip data, which the format does not allow")
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: dataPath)[.size] as? Int) ?? 0
                decodedSkip = Swift.max(0, size - fileOffset - byteCount)
            }
            let swaps = pixelType.byteSize > 1 && Int(nio.pointee.endian) != (1.littleEndian == 1 ? 1234 : 4321) && Int(nio.pointee.endian) != 0
            let layout = VolumeDataLayout(dataPath: dataPath, fileOffset: fileOffset, decodedSkip: decodedSkip, isGzip: isGzip,
                                          swapsBytes: swaps, sampleBytes: pixelType.byteSize,
                                          strides: (x: stride(0), y: stride(1), z: stride(2),
                                                    channel: isTime ? 0 : extraStride, timepoint: isTime ? extraStride : 0),
                                          elementCount: elementCount)
            let extraSize = extraAxis.map { axes[$0].size } ?? 1
            return VolumeHeader(format: .nrrd, size: RasterSize(width: extent(0), height: extent(1), depth: extent(2)),
                                channelCount: isTime ? 1 : extraSize, timepointCount: isTime ? extraSize : 1,
                                pixelType: pixelType,
                                spacing: Spacing(x: spacing[0], y: spacing[1], z: spacing[2], unit: unitName),
                                voxelToWorld: affine, valueScaling: nil, layout: layout, affineSource: source)
        }
    }

    /// The offset after `count` more lines from `offset` in `file`.
    private static func skipLines(_ count: Int, in file: String, from offset: Int, volume: String) throws -> Int {
        guard count > 0 else { return offset }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ScaleTileError(.notFound, file, "cannot be opened (the data file of \(volume))")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        var position = offset, lines = 0
        while lines < count, let chunk = try handle.read(upToCount: 4096), !chunk.isEmpty {
            for byte in chunk {
                position += 1
                if byte == 0x0A { lines += 1; if lines == count { break } }
            }
        }
        return position
    }
}
