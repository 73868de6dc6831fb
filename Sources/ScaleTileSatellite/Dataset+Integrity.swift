internal import CGDAL
import ScaleTileCore

extension Dataset {
    /// Checks that every block of every band, overview and mask lies inside the file, and
    /// that no two blocks of one band share bytes (shared or overlapping blocks decode the
    /// same pixels again and again: a crafted file multiplying the work and the objects its
    /// size implies).
    ///
    /// A truncated GeoTIFF whose directory sits at the start (COGs, most tiled files) opens
    /// fine and fails only when a missing block is decoded, possibly hours into a run. GDAL's
    /// GTiff driver reports each block's offset and byte count (`BLOCK_OFFSET_x_y`,
    /// `BLOCK_SIZE_x_y` in the `TIFF` metadata domain), so the check reads no pixels.
    /// Other drivers are not checked here; their read errors still stop a run cleanly.
    public func verifyBlocksPresent() throws {
        guard driverName == "GTiff" else { return }
        let fileSize = Int64(st_vsi_file_size(path))
        guard fileSize >= 0 else { return }
        for band in bands {
            try verify(band.handle, fileSize: fileSize, what: "band \(band.number)")
            for i in 0..<Int(GDALGetOverviewCount(band.handle)) {
                if let overview = GDALGetOverview(band.handle, Int32(i)) {
                    try verify(overview, fileSize: fileSize, what: "overview \(i + 1) of band \(band.number)")
                }
            }
        }
        if let first = bands.first, band0MaskIsStored(first), let mask = GDALGetMaskBand(first.handle) {
            try verify(mask, fileSize: fileSize, what: "the mask band")
        }
    }

    private func band0MaskIsStored(_ band: RasterBand) -> Bool {
        let flags = band.maskFlags
        return flags.contains(.perDataset) && !flags.contains(.alpha) && !flags.contains(.nodata)
    }

    private func verify(_ band: UnsafeMutableRawPointer, fileSize: Int64, what: String) throws {
        var bw: Int32 = 0, bh: Int32 = 0
        GDALGetBlockSize(band, &bw, &bh)
        guard bw > 0, bh > 0 else { return }
        let columns = (Int(GDALGetRasterBandXSize(band)) + Int(bw) - 1) / Int(bw)
        let rows = (Int(GDALGetRasterBandYSize(band)) + Int(bh) - 1) / Int(bh)
        // A GDAL error while listing blocks (a strip table of the wrong type) is the file's
        // problem, found here before anything is written, and said once.
        var spans: [(offset: Int64, end: Int64, x: Int, y: Int)] = []
        try withGDALErrors(path, kind: .invalidInput) {
        for y in 0..<rows {
            for x in 0..<columns {
                guard let offsetText = GDALGetMetadataItem(band, "BLOCK_OFFSET_\(x)_\(y)", "TIFF"),
                      let sizeText = GDALGetMetadataItem(band, "BLOCK_SIZE_\(x)_\(y)", "TIFF"),
                      let offset = Int64(String(cString: offsetText)), let size = Int64(String(cString: sizeText)) else {
                    continue  // sparse block (no data written): GDAL fills it, nothing is missing
                }
                let (end, overflow) = offset.addingReportingOverflow(size)
                if overflow || offset < 0 || size < 0 || end > fileSize {
                    throw ScaleTileError(.invalidInput, path,
                        "the file is truncated: block (\(x), \(y)) of \(what) ends at byte \(overflow ? "past 2^63" : String(end)), the file has \(fileSize) bytes")
                }
                if size > 0 { spans.append((offset, end, x, y)) }
            }
        }
        }
        spans.sort { $0.offset < $1.offset }
        var reach: (end: Int64, x: Int, y: Int)? = nil
        for span in spans {
            if let r = reach, span.offset < r.end {
                throw ScaleTileError(.invalidInput, path,
                    "damaged or crafted: blocks (\(r.x), \(r.y)) and (\(span.x), \(span.y)) of \(what) share the bytes at offset \(span.offset); overlapping blocks are refused")
            }
            if reach == nil || span.end > reach!.end { reach = (span.end, span.x, span.y) }
        }
    }
}

extension Dataset {
    /// Decodes every block of every band once, in file order, and returns how many blocks
    /// were decoded: a deep integrity check, and the decode cost of the scene (benchmarks).
    ///
    /// Bands are visited inside each block position, so a pixel-interleaved block (which holds
    /// every band) is decoded once and its other bands come from the cache.
    @discardableResult
    public func decodeEveryBlock() throws -> Int {
        let all = bands
        guard let first = all.first else { return 0 }
        let (bw, bh) = first.blockSize
        let columns = (size.width + bw - 1) / bw, rows = (size.height + bh - 1) / bh
        let largest = all.map { Int(GDALGetDataTypeSizeBytes(GDALGetRasterDataType($0.handle))) }.max() ?? 8
        var block = [UInt8](repeating: 0, count: bw * bh * largest)
        var decoded = 0
        for y in 0..<rows {
            for x in 0..<columns {
                for band in all {
                    try gdalCheck(path, kind: .invalidInput, what: "decoding block (\(x), \(y)) of band \(band.number)") {
                        GDALReadBlock(band.handle, Int32(x), Int32(y), &block) == CE_None
                    }
                    decoded += 1
                }
            }
        }
        return decoded
    }
}
