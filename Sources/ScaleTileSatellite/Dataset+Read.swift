internal import CGDAL
import ScaleTileCore

extension Dataset {
    /// Reads the pixels of a window at a pyramid level, channel-first.
    ///
    /// `window` is in level-0 pixels; the result has the level's size of it
    /// (`level.window(fromBase:)`). Parts outside the raster are set to `fill`.
    ///
    /// Level ℓ > 0 comes from the source's own overview when its size is exactly the level's
    /// (and the dataset was opened with overviews available), else from GDAL's resampled read
    /// of the full-resolution pixels (through a second handle with the overviews hidden, so an
    /// inexact overview never stands in). The full-resolution region is split at the raster's edge
    /// so every level pixel summarises exactly its 2^ℓ block clipped to the raster
    /// (DESIGN.md §3); GDAL leaves nodata and masked pixels out of averages.
    ///
    /// - Parameters:
    ///   - bands: 1-based band numbers, in output order.
    ///   - pixelType: the buffer's sample type; nil keeps the first band's.
    public func read(_ window: Window, level: Level = .base, bands: [Int], pixelType: PixelType? = nil,
                     resampling: Resampling = .average, fill: Double = 0) throws -> RasterBuffer {
        precondition(!bands.isEmpty, "read needs at least one band")
        let first = try band(bands[0])
        for b in bands.dropFirst() { _ = try band(b) }
        guard let type = pixelType ?? first.pixelType else {
            throw ScaleTileError(.unsupported, path, "band \(bands[0]) has data type \(first.dataTypeName), which ScaleTile does not tile")
        }
        let target = level.window(fromBase: window)
        var buffer = RasterBuffer(pixelType: type, bandCount: bands.count, size: RasterSize(width: target.width, height: target.height))
        let levelSize = level.size(of: size)
        guard let valid = target.intersection(Window(size: levelSize)) else {
            buffer.fill(with: fill)
            return buffer
        }
        if valid != target { buffer.fill(with: fill) }
        let layout = BufferLayout(width: target.width, height: target.height, pixelType: type)
        let destination = (x: valid.x - target.x, y: valid.y - target.y)
        try buffer.bytes.withUnsafeMutableBytes { raw in
            if level.index == 0 {
                try rasterIO(source: valid, into: raw, layout: layout, at: destination, size: (valid.width, valid.height),
                             bands: bands, resampling: .nearest)
            } else if level.isMagnified {
                // Zoom-in: the full-resolution pixels under the window, resampled up by GDAL.
                try rasterIO(source: level.baseWindow(of: valid), into: raw, layout: layout, at: destination,
                             size: (valid.width, valid.height), bands: bands, resampling: resampling.forMagnifying)
            } else if overviews == .available, let overview = first.exactOverviewIndex(for: level) {
                try readOverview(overview, window: valid, into: raw, layout: layout, at: destination, bands: bands)
            } else if overviews == .available {
                // No overview is this level: resample the full-resolution pixels, never an overview.
                try fullResolution.get().readResampled(levelWindow: valid, level: level, into: raw, layout: layout,
                                                       at: destination, bands: bands, resampling: resampling)
            } else {
                try readResampled(levelWindow: valid, level: level, into: raw, layout: layout, at: destination,
                                  bands: bands, resampling: resampling)
            }
        }
        return buffer
    }

    /// Where decoded pixels go in a channel-first buffer of `width` x `height` per band.
    struct BufferLayout {
        let width: Int
        let height: Int
        let pixelType: PixelType
        var pixelSpacing: Int { pixelType.byteSize }
        var lineSpacing: Int { width * pixelType.byteSize }
        var bandSpacing: Int { width * height * pixelType.byteSize }
    }

    /// One `GDALDatasetRasterIOEx` call: `source` (dataset pixels) into the `size` rectangle at `at`.
    func rasterIO(source: Window, into raw: UnsafeMutableRawBufferPointer, layout: BufferLayout, at: (x: Int, y: Int),
                  size: (width: Int, height: Int), bands: [Int], resampling: Resampling) throws {
        let offset = (at.y * layout.width + at.x) * layout.pixelSpacing
        var bandMap = bands.map { Int32($0) }
        var extra = GDALRasterIOExtraArg.make(resampling)
        try gdalCheck(path, kind: .io, what: "reading \(source)") {
            GDALDatasetRasterIOEx(handle, GF_Read, Int32(source.x), Int32(source.y), Int32(source.width), Int32(source.height),
                                  raw.baseAddress! + offset, Int32(size.width), Int32(size.height), layout.pixelType.gdalType,
                                  Int32(bands.count), &bandMap, GSpacing(layout.pixelSpacing), GSpacing(layout.lineSpacing),
                                  GSpacing(layout.bandSpacing), &extra) == CE_None
        }
    }

    /// Reads a window of overview `index` of each band (same size: no resampling).
    private func readOverview(_ index: Int, window: Window, into raw: UnsafeMutableRawBufferPointer, layout: BufferLayout,
                              at: (x: Int, y: Int), bands: [Int]) throws {
        for (i, number) in bands.enumerated() {
            let band = try band(number)
            guard let overview = GDALGetOverview(band.handle, Int32(index)) else {
                throw ScaleTileError(.invalidInput, path, "band \(number) lacks overview \(index + 1) that band \(bands[0]) has")
            }
            let offset = i * layout.bandSpacing + (at.y * layout.width + at.x) * layout.pixelSpacing
            var extra = GDALRasterIOExtraArg.make(.nearest)
            try gdalCheck(path, kind: .io, what: "reading overview \(index + 1)") {
                GDALRasterIOEx(overview, GF_Read, Int32(window.x), Int32(window.y), Int32(window.width), Int32(window.height),
                               raw.baseAddress! + offset, Int32(window.width), Int32(window.height), layout.pixelType.gdalType,
                               GSpacing(layout.pixelSpacing), GSpacing(layout.lineSpacing), &extra) == CE_None
            }
        }
    }

    /// Resamples the full-resolution pixels under `levelWindow` (level pixels, inside the level grid).
    ///
    /// A last column or row of blocks cut by the raster edge is read separately into its one
    /// level pixel, so GDAL averages exactly the pixels of the clipped block.
    func readResampled(levelWindow: Window, level: Level, into raw: UnsafeMutableRawBufferPointer, layout: BufferLayout,
                               at: (x: Int, y: Int), bands: [Int], resampling: Resampling) throws {
        for column in EdgeSplit.pieces(start: levelWindow.x, count: levelWindow.width, factor: level.factor, limit: size.width) {
            for row in EdgeSplit.pieces(start: levelWindow.y, count: levelWindow.height, factor: level.factor, limit: size.height) {
                try rasterIO(source: Window(x: column.source, y: row.source, width: column.sourceLength, height: row.sourceLength),
                             into: raw, layout: layout, at: (at.x + column.offset, at.y + row.offset),
                             size: (column.length, row.length), bands: bands, resampling: resampling)
            }
        }
    }
}

extension GDALRasterIOExtraArg {
    /// GDAL's `INIT_RASTERIO_EXTRA_ARG` with a resampling algorithm.
    static func make(_ resampling: Resampling) -> GDALRasterIOExtraArg {
        var arg = GDALRasterIOExtraArg()
        arg.nVersion = Int32(RASTERIO_EXTRA_ARG_CURRENT_VERSION)
        arg.eResampleAlg = resampling.gdalRasterIOAlgorithm
        arg.pfnProgress = nil
        arg.pProgressData = nil
        arg.bFloatingPointWindowValidity = 0
        return arg
    }
}

extension Resampling {
    /// GDAL's RasterIO resampling (`GRIORA_*`).
    var gdalRasterIOAlgorithm: GDALRIOResampleAlg {
        switch self {
        case .nearest: return GRIORA_NearestNeighbour
        case .average: return GRIORA_Average
        case .mode: return GRIORA_Mode
        case .gauss: return GRIORA_Gauss
        case .bilinear: return GRIORA_Bilinear
        case .cubic: return GRIORA_Cubic
        case .cubicspline: return GRIORA_CubicSpline
        case .lanczos: return GRIORA_Lanczos
        case .rms: return GRIORA_RMS
        }
    }

    /// What magnifying with this resampling means: averaging methods (which summarise blocks)
    /// become bilinear interpolation; label-keeping ones stay nearest.
    var forMagnifying: Resampling {
        switch self {
        case .average, .rms, .gauss: return .bilinear
        case .mode: return .nearest
        default: return self
        }
    }

    /// GDAL's overview resampling name (`gdaladdo -r`).
    public var gdalOverviewName: String {
        switch self {
        case .nearest: return "NEAREST"
        case .average: return "AVERAGE"
        case .mode: return "MODE"
        case .gauss: return "GAUSS"
        case .bilinear: return "BILINEAR"
        case .cubic: return "CUBIC"
        case .cubicspline: return "CUBICSPLINE"
        case .lanczos: return "LANCZOS"
        case .rms: return "RMS"
        }
    }
}

extension Dataset {
    /// The validity mask (0 = nodata, 255 = valid) of a level-0 window inside the raster, from the
    /// mask band of band `band` (an internal mask, an alpha band, or derived from nodata).
    public func readValidityMask(_ window: Window, band: Int = 1) throws -> [UInt8] {
        try readMask(levelWindow: window, level: .base, band: try self.band(band))
    }
}

extension Dataset {
    /// One band, resampled by GDAL onto a grid of `size` covering the whole raster, as doubles.
    public func resampledBand(_ number: Int, to size: RasterSize, resampling: Resampling) throws -> [Double] {
        let band = try self.band(number)
        var values = [Double](repeating: 0, count: size.width * size.height)
        var extra = GDALRasterIOExtraArg.make(resampling)
        try values.withUnsafeMutableBytes { raw in
            try gdalCheck(path, what: "reading band \(number)") {
                GDALRasterIOEx(band.handle, GF_Read, 0, 0, Int32(self.size.width), Int32(self.size.height), raw.baseAddress!,
                               Int32(size.width), Int32(size.height), GDT_Float64, 0, 0, &extra) == CE_None
            }
        }
        return values
    }
}
