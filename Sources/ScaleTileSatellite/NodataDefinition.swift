internal import CGDAL
import ScaleTileCore

/// How ScaleTile decides that a pixel of a band selection is nodata.
///
/// Like rasterio's dataset mask, a pixel is nodata only when every selected band says so.
/// The rule comes from, in order: `--nodata V` for all bands; the bands' nodata values;
/// a mask or alpha band (an internal GeoTIFF mask, as in a COG); else no pixel is nodata.
/// Pixels outside the raster always count as nodata.
public struct NodataDefinition: Hashable, Sendable {
    /// Where validity comes from.
    public enum Source: Hashable, Sendable {
        /// Every pixel inside the raster is valid.
        case none
        /// Per selected band, its nodata value (nil: that band is always valid).
        case values([Double?])
        /// The mask band of the first selected band (per-dataset mask or alpha).
        case maskBand
    }

    /// The rule.
    public let source: Source
    /// The nodata value to write into each output band, when there is one.
    public let outputValues: [Double?]

    /// The rule for `bands` of `dataset`, with an optional value overriding the file's.
    public init(dataset: Dataset, bands: [Int], override: Double? = nil) throws {
        if let override {
            source = .values(bands.map { _ in override })
            outputValues = bands.map { _ in override }
            return
        }
        let selected = try bands.map { try dataset.band($0) }
        let values = selected.map(\.nodata)
        outputValues = values
        if values.contains(where: { $0 != nil }) {
            source = .values(values)
        } else if selected.contains(where: { !$0.maskFlags.contains(.allValid) }) {
            source = .maskBand
        } else {
            source = .none
        }
    }

    /// The value padding is filled with: the first band's nodata value, else 0.
    public var fillValue: Double { outputValues.first.flatMap { $0 } ?? 0 }

    /// Counts nodata pixels of `buffer`, read for level-0 `window` at `level` from `dataset`.
    ///
    /// - Complexity: O(pixels × bands) for value rules; one extra mask read for mask rules.
    public func nodataCount(in buffer: RasterBuffer, window: Window, level: Level, dataset: Dataset) throws -> Int {
        let target = level.window(fromBase: window)
        guard let valid = target.intersection(Window(size: level.size(of: dataset.size))) else {
            return target.width * target.height
        }
        let outside = target.width * target.height - valid.width * valid.height
        let region = Window(x: valid.x - target.x, y: valid.y - target.y, width: valid.width, height: valid.height)
        switch source {
        case .none:
            return outside
        case .values(let values):
            return outside + NodataDefinition.countMatching(buffer, region: region, values: values)
        case .maskBand:
            let mask = try dataset.readMask(levelWindow: valid, level: level, band: try dataset.band(1))
            return outside + mask.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        }
    }

    /// Validity of every pixel of a buffer read for level-0 `window` at `level` (true = valid);
    /// pixels outside the raster are invalid.
    public func validity(of buffer: RasterBuffer, window: Window, level: Level, dataset: Dataset) throws -> [Bool] {
        let target = level.window(fromBase: window)
        var valid = [Bool](repeating: false, count: target.width * target.height)
        guard let inside = target.intersection(Window(size: level.size(of: dataset.size))) else { return valid }
        let region = Window(x: inside.x - target.x, y: inside.y - target.y, width: inside.width, height: inside.height)
        switch source {
        case .none:
            for y in region.y..<region.maxY { for x in region.x..<region.maxX { valid[y * target.width + x] = true } }
        case .values(let values):
            for y in region.y..<region.maxY { for x in region.x..<region.maxX { valid[y * target.width + x] = true } }
            NodataDefinition.forEachMatching(buffer, region: region, values: values) { valid[$0] = false }
        case .maskBand:
            let mask = try dataset.readMask(levelWindow: inside, level: level, band: try dataset.band(1))
            for y in 0..<inside.height {
                for x in 0..<inside.width where mask[y * inside.width + x] != 0 {
                    valid[(region.y + y) * target.width + region.x + x] = true
                }
            }
        }
        return valid
    }

    /// Pixels of `region` where every band equals its nodata value (NaN matches NaN).
    static func countMatching(_ buffer: RasterBuffer, region: Window, values: [Double?]) -> Int {
        var count = 0
        forEachMatching(buffer, region: region, values: values) { _ in count += 1 }
        return count
    }

    /// Calls `body(pixel index in the buffer)` for each pixel of `region` where every band
    /// equals its nodata value.
    static func forEachMatching(_ buffer: RasterBuffer, region: Window, values: [Double?], _ body: (Int) -> Void) {
        guard values.allSatisfy({ $0 != nil }) else { return }  // a band without nodata is always valid
        let width = buffer.size.width
        let bandPixels = buffer.size.width * buffer.size.height
        buffer.bytes.withUnsafeBytes { raw in
            func visit<T: BinaryFloatingPoint>(_: T.Type) {
                let p = raw.bindMemory(to: T.self)
                let nodata = values.map { T($0!) }
                for y in region.y..<region.maxY {
                    for x in region.x..<region.maxX {
                        var all = true
                        for b in 0..<nodata.count {
                            let v = p[b * bandPixels + y * width + x]
                            if !(v == nodata[b] || (v.isNaN && nodata[b].isNaN)) { all = false; break }
                        }
                        if all { body(y * width + x) }
                    }
                }
            }
            func visit<T: FixedWidthInteger>(_: T.Type) {
                let p = raw.bindMemory(to: T.self)
                // A nodata value the type cannot hold never matches.
                let nodata: [T?] = values.map { v in T(exactly: v!) }
                guard nodata.allSatisfy({ $0 != nil }) else { return }
                let exact = nodata.map { $0! }
                for y in region.y..<region.maxY {
                    let row = y * width
                    for x in region.x..<region.maxX {
                        var all = true
                        for b in 0..<exact.count where p[b * bandPixels + row + x] != exact[b] { all = false; break }
                        if all { body(row + x) }
                    }
                }
            }
            switch buffer.pixelType {
            case .uint8: visit(UInt8.self)
            case .int8: visit(Int8.self)
            case .uint16: visit(UInt16.self)
            case .int16: visit(Int16.self)
            case .uint32: visit(UInt32.self)
            case .int32: visit(Int32.self)
            case .uint64: visit(UInt64.self)
            case .int64: visit(Int64.self)
            case .float32: visit(Float.self)
            case .float64: visit(Double.self)
            }
        }
    }
}

extension Dataset {
    /// The validity mask (0 = nodata) of `band` over `levelWindow` (level pixels, inside the grid).
    ///
    /// At level ℓ > 0 the mask is averaged over each block; a level pixel is nodata only when
    /// its whole block is, matching how image levels leave nodata out of averages.
    func readMask(levelWindow: Window, level: Level, band: RasterBand) throws -> [UInt8] {
        guard let mask = GDALGetMaskBand(band.handle) else { return [] }
        var out = [UInt8](repeating: 0, count: levelWindow.width * levelWindow.height)
        if level.isMagnified {
            // Each full-resolution mask pixel becomes 2^k × 2^k level pixels.
            let source = level.baseWindow(of: levelWindow)
            var extra = GDALRasterIOExtraArg.make(.nearest)
            try out.withUnsafeMutableBytes { raw in
                try gdalCheck(path, what: "reading the mask") {
                    GDALRasterIOEx(mask, GF_Read, Int32(source.x), Int32(source.y), Int32(source.width), Int32(source.height),
                                   raw.baseAddress!, Int32(levelWindow.width), Int32(levelWindow.height), GDT_Byte,
                                   1, GSpacing(levelWindow.width), &extra) == CE_None
                }
            }
            return out
        }
        let levelSize = level.size(of: size)
        var source = mask
        // A mask overview serves only when it is exactly the level (see `exactOverviewIndex(for:)`).
        if level.index > 0, overviews == .available, size.width % level.factor == 0, size.height % level.factor == 0 {
            for i in 0..<Int(GDALGetOverviewCount(mask)) {
                if let ov = GDALGetOverview(mask, Int32(i)), Int(GDALGetRasterBandXSize(ov)) == levelSize.width,
                   Int(GDALGetRasterBandYSize(ov)) == levelSize.height {
                    source = ov
                    break
                }
            }
        }
        if source == mask, level.index > 0, overviews == .available {
            // GDAL would serve the averaged read from an inexact mask overview: read the twin without overviews.
            let twin = try fullResolution.get()
            return try twin.readMask(levelWindow: levelWindow, level: level, band: try twin.band(band.number))
        }
        // From the full-resolution mask, blocks of 2^ℓ averaged as floats (one valid pixel in a
        // block of 1024 must not round to 0); from an overview of the mask, 1:1.
        let fromBase = source == mask
        let f = fromBase ? level.factor : 1
        let limit = fromBase ? size : levelSize
        var averaged = [Float](repeating: 0, count: out.count)
        try averaged.withUnsafeMutableBytes { raw in
            for column in EdgeSplit.pieces(start: levelWindow.x, count: levelWindow.width, factor: f, limit: limit.width) {
                for row in EdgeSplit.pieces(start: levelWindow.y, count: levelWindow.height, factor: f, limit: limit.height) {
                    var extra = GDALRasterIOExtraArg.make(f > 1 ? .average : .nearest)
                    let offset = (row.offset * levelWindow.width + column.offset) * MemoryLayout<Float>.stride
                    try gdalCheck(path, what: "reading the mask") {
                        GDALRasterIOEx(source, GF_Read, Int32(column.source), Int32(row.source), Int32(column.sourceLength), Int32(row.sourceLength),
                                       raw.baseAddress! + offset, Int32(column.length), Int32(row.length), GDT_Float32,
                                       GSpacing(MemoryLayout<Float>.stride), GSpacing(levelWindow.width * MemoryLayout<Float>.stride), &extra) == CE_None
                    }
                }
            }
        }
        for i in out.indices { out[i] = averaged[i] > 0 ? 255 : 0 }
        return out
    }
}

/// Splits a run of level pixels into the whole 2^ℓ blocks and the last block the raster edge cuts.
enum EdgeSplit {
    /// For level pixels `start ..< start + count` at `factor`, the full-resolution source runs and
    /// where they land: whole blocks in one piece, a clipped last block as one level pixel.
    static func pieces(start: Int, count: Int, factor: Int, limit: Int) -> [(source: Int, sourceLength: Int, offset: Int, length: Int)] {
        let s0 = start * factor, s1 = Swift.min((start + count) * factor, limit)
        guard s1 > s0 else { return [] }
        let whole = (s1 - s0) / factor
        var result: [(Int, Int, Int, Int)] = []
        if whole > 0 { result.append((s0, whole * factor, 0, whole)) }
        if s0 + whole * factor < s1 { result.append((s0 + whole * factor, s1 - s0 - whole * factor, whole, 1)) }
        return result
    }
}
