import Foundation
internal import CGDAL
import ScaleTileCore

/// An open GDAL raster dataset: a satellite scene or any other raster GDAL reads.
///
/// Not `Sendable`: a GDAL dataset handle must not be used by two threads at once, so each
/// worker opens its own `Dataset` for the same path (GDAL's block cache is shared anyway).
public final class Dataset {
    let handle: UnsafeMutableRawPointer
    /// The path or GDAL connection string the dataset was opened from.
    public let path: String
    /// How the dataset treats the source's own overviews.
    public let overviews: OverviewAccess
    /// The same file with its overviews hidden, opened on the first resampled read of a level
    /// no overview matches exactly: GDAL's RasterIO would otherwise serve that read from the
    /// nearest overview, whose pixels are not the level's block means (DESIGN.md §3).
    lazy var fullResolution: Result<Dataset, any Error> = Result {
        try Dataset(opening: path, overviews: .ignored, decodeThreads: decodeThreads)
    }
    private let decodeThreads: Int

    /// Whether reads may use the source's overviews.
    public enum OverviewAccess: Sendable {
        /// Overviews are listed and GDAL may pick one for downsampled reads.
        case available
        /// Overviews are hidden (GDAL's `OVERVIEW_LEVEL=NONE`): downsampled reads resample
        /// the full-resolution pixels, which gives exact 2^ℓ block averages.
        case ignored
    }

    /// Opens `path` read-only.
    ///
    /// - Parameters:
    ///   - overviews: whether the source's overviews may serve downsampled reads.
    ///   - decodeThreads: threads GDAL may use to decode the blocks of one read (GTiff `NUM_THREADS`).
    /// - Throws: ``ScaleTileError`` `.notFound` for a missing file, `.invalidInput` when GDAL
    ///   cannot read it as a raster.
    public init(opening path: String, overviews: OverviewAccess = .available, decodeThreads: Int = 1) throws {
        GDALRuntime.ensureConfigured()
        // A FIFO or device would block GDAL's first read; virtual names pass unchecked.
        try InputFile.check(path, expecting: .file, what: "a raster file")
        var options = CStringList()
        if overviews == .ignored { options.append("OVERVIEW_LEVEL=NONE") }
        if decodeThreads > 1 { options.append("NUM_THREADS=\(decodeThreads)") }
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        let opened = GDALOpenEx(path, UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR), nil, options.constPointer, nil)
        st_gdal_pop_errors()
        guard let opened else {
            let detail = messages.failures > 0 ? GDALMessage.text(of: &messages.first_error) : ""
            if detail.contains("not recognized as a supported file format") || detail.contains("not recognized as being in a supported file format") || detail.isEmpty {
                throw ScaleTileError(.invalidInput, path, "not a raster GDAL can read")
            }
            throw ScaleTileError(.invalidInput, path, "cannot be opened as a raster: \(Dataset.stripPath(detail, path))")
        }
        self.handle = opened
        self.path = path
        self.overviews = overviews
        self.decodeThreads = decodeThreads
        guard GDALGetRasterCount(opened) > 0 else {
            throw ScaleTileError(.invalidInput, path, "has no raster bands")
        }
        guard size.width > 0, size.height > 0 else {
            throw ScaleTileError(.invalidInput, path, "has no pixels (\(size.width)x\(size.height))")
        }
    }

    deinit { GDALClose(handle) }

    /// Width and height in pixels (depth 1).
    public var size: RasterSize {
        RasterSize(width: Int(GDALGetRasterXSize(handle)), height: Int(GDALGetRasterYSize(handle)))
    }

    /// Number of raster bands.
    public var bandCount: Int { Int(GDALGetRasterCount(handle)) }

    /// The bands, numbered from 1 as in GDAL.
    public var bands: [RasterBand] {
        (1...bandCount).map { RasterBand(handle: GDALGetRasterBand(handle, Int32($0))!, number: $0, dataset: self) }
    }

    /// Band `number` (1-based); throws when the file has fewer bands.
    public func band(_ number: Int) throws -> RasterBand {
        guard number >= 1, number <= bandCount else {
            throw ScaleTileError(.invalidArgument, path, "band \(number) requested, the file has \(bandCount) band\(bandCount == 1 ? "" : "s")")
        }
        return RasterBand(handle: GDALGetRasterBand(handle, Int32(number))!, number: number, dataset: self)
    }

    /// GDAL's short driver name (`GTiff`, `COG`, `PNG`, …).
    public var driverName: String {
        guard let driver = GDALGetDatasetDriver(handle) else { return "unknown" }
        return String(cString: GDALGetDriverShortName(driver))
    }

    /// The geotransform, or nil when the file has none (pixel space).
    public var geoTransform: GeoTransform? {
        var c = [Double](repeating: 0, count: 6)
        guard GDALGetGeoTransform(handle, &c) == CE_None else { return nil }
        return GeoTransform(c)
    }

    /// The coordinate reference system, or nil when the file has none.
    public var spatialReference: SpatialReference? {
        guard let srs = GDALGetSpatialRef(handle) else { return nil }
        return SpatialReference(borrowing: srs)
    }

    /// A metadata item (`domain` nil for the default domain).
    public func metadataItem(_ name: String, domain: String? = nil) -> String? {
        guard let value = GDALGetMetadataItem(handle, name, domain) else { return nil }
        return String(cString: value)
    }

    /// GDAL messages start with the path already printed first; drop the repeat.
    static func stripPath(_ message: String, _ path: String) -> String {
        var m = message
        for prefix in ["\(path): ", "`\(path)' ", "'\(path)' ", "\(path) "] where m.hasPrefix(prefix) {
            m.removeFirst(prefix.count)
        }
        return m
    }
}

/// One band of a ``Dataset``.
///
/// Holds its dataset alive; like the dataset, it belongs to one thread.
public struct RasterBand {
    let handle: UnsafeMutableRawPointer
    /// 1-based band number.
    public let number: Int
    let dataset: Dataset

    /// The sample type, or nil for complex types.
    public var pixelType: PixelType? {
        let type = GDALGetRasterDataType(handle)
        if type == GDT_Byte,
           let value = GDALGetMetadataItem(handle, "PIXELTYPE", "IMAGE_STRUCTURE"),
           String(cString: value) == "SIGNEDBYTE" {
            return .int8
        }
        return PixelType(gdal: type)
    }

    /// GDAL's name of the data type (`Byte`, `UInt16`, `CFloat32`, …).
    public var dataTypeName: String { String(cString: GDALGetDataTypeName(GDALGetRasterDataType(handle))) }

    /// The nodata value, or nil when the band has none.
    public var nodata: Double? {
        var has: Int32 = 0
        let value = GDALGetRasterNoDataValue(handle, &has)
        return has != 0 ? value : nil
    }

    /// The natural block (tile or strip) size.
    public var blockSize: (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        GDALGetBlockSize(handle, &w, &h)
        return (Int(w), Int(h))
    }

    /// GDAL's colour interpretation name (`Red`, `Gray`, `Alpha`, `Undefined`, …).
    public var colorInterpretation: String {
        String(cString: GDALGetColorInterpretationName(GDALGetRasterColorInterpretation(handle)))
    }

    /// Sizes of the band's overviews, largest first (empty when overviews are ignored).
    public var overviewSizes: [RasterSize] {
        (0..<Int(GDALGetOverviewCount(handle))).compactMap { i in
            guard let ov = GDALGetOverview(handle, Int32(i)) else { return nil }
            return RasterSize(width: Int(GDALGetRasterBandXSize(ov)), height: Int(GDALGetRasterBandYSize(ov)))
        }
    }

    /// The overview that is exactly `level` (DESIGN.md §3): its size is the level's and the
    /// band's size divides by 2^ℓ, so each of its pixels covers exactly one 2^ℓ block.
    public func exactOverviewIndex(for level: Level) -> Int? {
        let full = RasterSize(width: Int(GDALGetRasterBandXSize(handle)), height: Int(GDALGetRasterBandYSize(handle)))
        guard level.index > 0, full.width % level.factor == 0, full.height % level.factor == 0 else { return nil }
        return overviewIndex(matching: level.size(of: full))
    }

    /// How GDAL decides which pixels are valid.
    public var maskFlags: MaskFlags { MaskFlags(rawValue: Int(GDALGetMaskFlags(handle))) }

    /// The index of the overview whose size is exactly `size`, if any (an exact 2^ℓ level).
    ///
    /// A matching size alone does not make an overview an exact level: `gdaladdo` computes an
    /// overview of ceil(W/2) pixels from an odd W with a non-integer ratio. Callers that need
    /// exact levels use ``exactOverviewIndex(for:)``.
    public func overviewIndex(matching size: RasterSize) -> Int? {
        overviewSizes.firstIndex { $0.width == size.width && $0.height == size.height }
    }
}

/// GDAL's mask flags (`GMF_*`): where a band's validity mask comes from.
public struct MaskFlags: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// `GMF_ALL_VALID`: no pixel is nodata.
    public static let allValid = MaskFlags(rawValue: 0x01)
    /// `GMF_PER_DATASET`: one mask shared by all bands (an internal mask band).
    public static let perDataset = MaskFlags(rawValue: 0x02)
    /// `GMF_ALPHA`: the mask is an alpha band.
    public static let alpha = MaskFlags(rawValue: 0x04)
    /// `GMF_NODATA`: the mask comes from the nodata value.
    public static let nodata = MaskFlags(rawValue: 0x08)

    /// GDAL's names, as `gdalinfo -json` prints them.
    public var names: [String] {
        var n: [String] = []
        if contains(.allValid) { n.append("ALL_VALID") }
        if contains(.perDataset) { n.append("PER_DATASET") }
        if contains(.alpha) { n.append("ALPHA") }
        if contains(.nodata) { n.append("NODATA") }
        return n
    }
}
