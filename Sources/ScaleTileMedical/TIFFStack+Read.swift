internal import CTIFF
import ScaleTileCore

extension TIFFStack {
    /// Reads a window of voxels, channel-first: (C, Z, Y, X).
    ///
    /// Only the pages of the window's slices are loaded, and of each page only the strips or
    /// tiles the window overlaps are decoded. The window may overhang the volume (in X, Y or Z):
    /// voxels outside it are set to `fill`.
    ///
    /// - Parameters:
    ///   - window: the voxels to read; its size is the result's ``RasterBuffer/size``.
    ///   - channels: 0-based channels, in the order wanted; nil for all.
    ///   - timepoint: 0-based timepoint.
    ///   - fill: the value of voxels outside the volume (converted to the sample type, clamped).
    /// - Returns: a buffer with one band per requested channel.
    /// - Throws: ``ScaleTileError`` `.invalidArgument` for an empty window or a channel or
    ///   timepoint the stack does not have; `.io` when a strip or tile cannot be decoded.
    /// - Complexity: decodes each overlapped strip or tile once per slice (once per channel
    ///   when channels are stored in separate planes or pages).
    public func read(_ window: Window, channels: [Int]? = nil, timepoint: Int = 0, fill: Double = 0) throws -> RasterBuffer {
        let channels = channels ?? Array(0..<channelCount)
        guard !window.isEmpty else {
            throw ScaleTileError(.invalidArgument, path, "cannot read the empty window \(window)")
        }
        guard !channels.isEmpty else {
            throw ScaleTileError(.invalidArgument, path, "no channel requested")
        }
        for channel in channels { try checkChannel(channel) }
        try checkTimepoint(timepoint)

        var buffer = RasterBuffer(pixelType: pixelType, bandCount: channels.count, size: window.size)
        let volume = Window(size: size)
        if !volume.contains(window), fill != 0 { buffer.fill(with: fill) }
        guard let inside = window.intersection(volume) else { return buffer }

        let sampleBytes = pixelType.byteSize
        let rowBytes = window.width * sampleBytes
        try buffer.bytes.withUnsafeMutableBytes { output in
            for z in inside.z..<inside.maxZ {
                // Channels that share a page (interleaved samples) are served by one pass over
                // its blocks; requests are grouped by page, in the order first asked for.
                var requests: [(page: Int, targets: [SampleTarget])] = []
                for (band, channel) in channels.enumerated() {
                    let page = layout.page(channel: channel / samplesPerPixel, slice: z, timepoint: timepoint)
                    let planeStart = (band * window.depth + (z - window.z)) * window.height + (inside.y - window.y)
                    let target = SampleTarget(sample: channel % samplesPerPixel,
                                              destination: output.baseAddress! + planeStart * rowBytes + (inside.x - window.x) * sampleBytes)
                    if let i = requests.firstIndex(where: { $0.page == page }) {
                        requests[i].targets.append(target)
                    } else {
                        requests.append((page, [target]))
                    }
                }
                for request in requests {
                    try copy(page: request.page, columns: inside.x..<inside.maxX, rows: inside.y..<inside.maxY,
                             into: request.targets, destinationRowBytes: rowBytes)
                }
            }
        }
        return buffer
    }

    /// Reads one whole slice of one channel into `samples` as contiguous row-major samples
    /// (``sliceByteCount`` bytes, native byte order), reusing the array's storage.
    ///
    /// For streaming consumers that want one slice at a time (a lesion index walking a mask):
    /// striped pages with one sample per pixel are decoded straight into `samples`, with no copy.
    public func readSlice(_ z: Int, channel: Int = 0, timepoint: Int = 0, into samples: inout [UInt8]) throws {
        try checkChannel(channel)
        try checkTimepoint(timepoint)
        guard z >= 0, z < size.depth else {
            throw ScaleTileError(.invalidArgument, path, "slice \(z) requested, the stack has slices 0 to \(size.depth - 1)")
        }
        if samples.count != sliceByteCount {
            samples = [UInt8](repeating: 0, count: sliceByteCount)
        }
        let page = layout.page(channel: channel / samplesPerPixel, slice: z, timepoint: timepoint)
        let rowBytes = size.width * pixelType.byteSize
        try samples.withUnsafeMutableBytes { output in
            try copy(page: page, columns: 0..<size.width, rows: 0..<size.height,
                     into: [SampleTarget(sample: channel % samplesPerPixel, destination: output.baseAddress!)],
                     destinationRowBytes: rowBytes)
        }
    }

    /// Calls `body` with each slice of one channel in turn, from slice 0 up, as contiguous
    /// row-major samples; one slice buffer is reused throughout, so memory stays at one slice
    /// however deep the stack is. The bytes are valid only during the call.
    public func forEachSlice(channel: Int = 0, timepoint: Int = 0,
                             _ body: (_ z: Int, _ samples: UnsafeRawBufferPointer) throws -> Void) throws {
        var samples = [UInt8](repeating: 0, count: sliceByteCount)
        for z in 0..<size.depth {
            try readSlice(z, channel: channel, timepoint: timepoint, into: &samples)
            try samples.withUnsafeBytes { try body(z, $0) }
        }
    }

    // MARK: - Checks

    private func checkChannel(_ channel: Int) throws {
        guard channel >= 0, channel < channelCount else {
            throw ScaleTileError(.invalidArgument, path, "channel \(channel) requested, the stack has \(channelCount == 1 ? "1 channel (0)" : "\(channelCount) channels (0 to \(channelCount - 1))")")
        }
    }

    private func checkTimepoint(_ timepoint: Int) throws {
        guard timepoint >= 0, timepoint < timepointCount else {
            throw ScaleTileError(.invalidArgument, path, "timepoint \(timepoint) requested, the stack has \(timepointCount == 1 ? "1 timepoint (0)" : "\(timepointCount) timepoints (0 to \(timepointCount - 1))")")
        }
    }
}

/// Where one sample of a page's pixels goes: `sample` is its index within the pixel, and
/// `destination` the output position of the region's first pixel.
struct SampleTarget {
    let sample: Int
    let destination: UnsafeMutableRawPointer
}

extension TIFFStack {
    /// Copies the region `columns` × `rows` of page `index` into each target, rows
    /// `destinationRowBytes` apart, decoding each overlapped strip or tile once per plane.
    func copy(page index: Int, columns: Range<Int>, rows: Range<Int>, into targets: [SampleTarget], destinationRowBytes: Int) throws {
        let page = pages[index]
        let sampleBytes = pixelType.byteSize
        let blockPixelBytes = page.samplesPerBlockPixel * sampleBytes
        let blockRowBytes = page.blockWidth * blockPixelBytes

        // Contiguous pages keep every sample in one plane of blocks; separate ones, one plane per sample.
        let planes: [(sample: Int, targets: [SampleTarget])] = page.planar == .contig
            ? [(0, targets)]
            : Dictionary(grouping: targets, by: \.sample).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

        for plane in planes {
            for blockRow in (rows.lowerBound / page.blockHeight)...((rows.upperBound - 1) / page.blockHeight) {
                let blockTop = blockRow * page.blockHeight
                let blockRows = blockTop..<min(blockTop + page.blockHeight, page.height)
                let rowsHere = rows.clamped(to: blockRows)
                for blockColumn in (columns.lowerBound / page.blockWidth)...((columns.upperBound - 1) / page.blockWidth) {
                    let blockLeft = blockColumn * page.blockWidth
                    let columnsHere = columns.clamped(to: blockLeft..<min(blockLeft + page.blockWidth, page.width))
                    let block = page.blockNumber(column: blockColumn, row: blockRow, sample: plane.sample)
                    let outputOffset = (rowsHere.lowerBound - rows.lowerBound) * destinationRowBytes
                        + (columnsHere.lowerBound - columns.lowerBound) * sampleBytes

                    let decoded: UnsafeMutableRawPointer
                    if let cached = blockCache.lookup(DecodedBlockCache.Key(page: index, block: block)) {
                        // A cached block needs neither libtiff's directory nor a decode.
                        decoded = cached.baseAddress!
                    } else {
                        try load(page: index)
                        if TIFFGetStrileByteCount(file.handle, UInt32(block)) == 0 {
                            // A sparse block (no data written, as GDAL allows): it reads as zeros.
                            for target in plane.targets {
                                for row in 0..<rowsHere.count {
                                    (target.destination + outputOffset + row * destinationRowBytes)
                                        .initializeMemory(as: UInt8.self, repeating: 0, count: columnsHere.count * sampleBytes)
                                }
                            }
                            continue
                        }
                        // A strip that spans the page and the region's full width, with one sample per
                        // pixel, has the output's layout already: decode it in place, with no copy.
                        if !page.isTiled, page.samplesPerBlockPixel == 1, plane.targets.count == 1,
                           columnsHere.count == page.width, destinationRowBytes == blockRowBytes, rowsHere == blockRows {
                            try decode(block: block, of: page, into: plane.targets[0].destination + outputOffset,
                                       byteCount: blockRows.count * blockRowBytes)
                            continue
                        }
                        decoded = try decodedBlock(block, page: index, rows: blockRows.count)
                    }
                    let firstByte = (rowsHere.lowerBound - blockTop) * blockRowBytes + (columnsHere.lowerBound - blockLeft) * blockPixelBytes
                    for target in plane.targets {
                        let sampleOffset = page.planar == .contig ? target.sample * sampleBytes : 0
                        for row in 0..<rowsHere.count {
                            copySamples(from: decoded + firstByte + row * blockRowBytes + sampleOffset,
                                        stride: blockPixelBytes, count: columnsHere.count,
                                        to: target.destination + outputOffset + row * destinationRowBytes, sampleBytes: sampleBytes)
                        }
                    }
                }
            }
        }
    }

    /// Makes page `index` libtiff's current directory.
    private func load(page index: Int) throws {
        guard currentPage != index else { return }
        currentPage = nil
        file.clearErrors()
        guard TIFFSetSubDirectory(file.handle, pages[index].offset) == 1 else {
            throw ScaleTileError(.io, path, "page \(index + 1) cannot be read: \(file.failure("libtiff gave no reason"))")
        }
        let page = pages[index]
        if PageDirectory.decodesYCbCrAsRGB(photometric: page.photometric, compression: page.compression) {
            // A pseudo-tag: libtiff forgets it with each directory it loads.
            _ = st_tiff_set_u16(file.handle, UInt32(TIFFTAG_JPEGCOLORMODE), UInt16(JPEGCOLORMODE_RGB))
        }
        currentPage = index
    }

    /// Strip or tile `block` of page `index` (the current page) decoded: from the block cache,
    /// else decoded into it, or into the scratch buffer when the cache cannot hold it.
    private func decodedBlock(_ block: Int, page index: Int, rows: Int) throws -> UnsafeMutableRawPointer {
        let page = pages[index]
        let key = DecodedBlockCache.Key(page: index, block: block)
        guard blockCache.admits(page.blockByteCount) else {
            return try decodeIntoScratch(block: block, of: page, rows: rows)
        }
        let entry = blockCache.insert(key, byteCount: page.blockByteCount)
        let byteCount = page.isTiled ? page.blockByteCount : rows * page.blockWidth * page.samplesPerBlockPixel * pixelType.byteSize
        do {
            try decode(block: block, of: page, into: entry.baseAddress!, byteCount: byteCount)
        } catch {
            blockCache.remove(key)
            throw error
        }
        return entry.baseAddress!
    }

    /// Decodes strip or tile `block` of the current page into the scratch buffer.
    private func decodeIntoScratch(block: Int, of page: PageDirectory, rows: Int) throws -> UnsafeMutableRawPointer {
        if scratch.count < page.blockByteCount {
            scratch.deallocate()
            scratch = .allocate(byteCount: page.blockByteCount, alignment: 16)
        }
        // A strip's last rows may be missing from the page's last strip; a tile is always whole.
        let byteCount = page.isTiled ? page.blockByteCount : rows * page.blockWidth * page.samplesPerBlockPixel * pixelType.byteSize
        try decode(block: block, of: page, into: scratch.baseAddress!, byteCount: byteCount)
        return scratch.baseAddress!
    }

    /// Decodes strip or tile `block` of the current page into `destination`, which holds `byteCount` bytes.
    private func decode(block: Int, of page: PageDirectory, into destination: UnsafeMutableRawPointer, byteCount: Int) throws {
        file.clearErrors()
        blocksDecoded += 1
        let decoded = page.isTiled
            ? TIFFReadEncodedTile(file.handle, UInt32(block), destination, tmsize_t(byteCount))
            : TIFFReadEncodedStrip(file.handle, UInt32(block), destination, tmsize_t(byteCount))
        guard decoded == tmsize_t(byteCount), file.firstError == nil else {
            let what = page.isTiled ? "tile" : "strip"
            let reason = file.firstError ?? "\(max(decoded, 0)) of \(byteCount) bytes decoded"
            throw ScaleTileError(.io, path, "page \(page.number), \(what) \(block) cannot be decoded: \(reason)")
        }
    }
}

/// Copies `count` samples of `sampleBytes` bytes, `stride` bytes apart in the source, to
/// consecutive places in the destination: one row of one channel out of interleaved pixels.
@inline(__always)
private func copySamples(from source: UnsafeRawPointer, stride: Int, count: Int, to destination: UnsafeMutableRawPointer, sampleBytes: Int) {
    if stride == sampleBytes {
        destination.copyMemory(from: source, byteCount: count * sampleBytes)
        return
    }
    func gather<T>(_: T.Type) {
        for i in 0..<count {
            destination.storeBytes(of: source.loadUnaligned(fromByteOffset: i * stride, as: T.self), toByteOffset: i * sampleBytes, as: T.self)
        }
    }
    switch sampleBytes {
    case 1: gather(UInt8.self)
    case 2: gather(UInt16.self)
    case 4: gather(UInt32.self)
    default: gather(UInt64.self)
    }
}
