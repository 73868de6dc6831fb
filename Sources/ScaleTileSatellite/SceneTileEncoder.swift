import Foundation
internal import CGDAL
import ScaleTileCore

/// Writes scene tiles: GeoTIFF, COG, PNG, JPEG through GDAL, `.npy` directly.
///
/// A value with no GDAL handle inside, so every worker thread can hold one; each `write`
/// creates its own in-memory GDAL dataset over the buffer and copies it out with the
/// driver's `CreateCopy`, to a temporary name that is renamed into place when complete.
public struct SceneTileEncoder: Sendable {
    public let format: TileFormat
    /// Creation options passed to the GDAL driver (defaults merged with the user's `--co`).
    public let creationOptions: [String: String]
    /// CRS written into georeferenced tiles.
    public let spatialReference: SpatialReference?
    /// Nodata per output band, written into georeferenced tiles.
    public let nodata: [Double?]
    /// GDAL colour interpretation names per output band (`Red`, …), kept in the tiles.
    public let colorInterpretations: [String]
    /// Per-band linear stretch to 8 bits (`--rescale`, `--stretch`) for PNG/JPEG.
    public let rescale: [ClosedRange<Double>]?
    /// True when GDAL cannot store the CRS in GeoTIFF keys (GDAL 3.6 and Equal Earth, for
    /// one): each tile then carries it in a `.aux.xml` sidecar, written and moved with it.
    public let crsNeedsSidecar: Bool

    /// - Throws: when the options cannot make that format (16-bit to JPEG without rescaling, …).
    public init(format: TileFormat, pixelType: PixelType, userOptions: [String: String] = [:],
                spatialReference: SpatialReference?, nodata: [Double?], colorInterpretations: [String],
                rescale: [ClosedRange<Double>]? = nil) throws {
        guard format.suitsScenes else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for stacks; scenes take gtiff, cog, png, jpeg or npy")
        }
        if (format == .png || format == .jpeg), pixelType != .uint8, rescale == nil {
            throw ScaleTileError(.invalidArgument, nil, "\(format.rawValue) tiles hold 8-bit samples and the scene is \(pixelType.rawValue): add --rescale MIN:MAX or --stretch LOW,HIGH, or use --format gtiff, cog or npy")
        }
        let bands = colorInterpretations.count
        if format == .jpeg, bands != 1, bands != 3 {
            throw ScaleTileError(.invalidArgument, nil, "jpeg tiles hold 1 or 3 bands and \(bands) are selected: choose them with --bands (e.g. 3,2,1), or use --format gtiff, cog or npy")
        }
        if format == .png, !(1...4).contains(bands) {
            throw ScaleTileError(.invalidArgument, nil, "png tiles hold 1 to 4 bands and \(bands) are selected: choose them with --bands, or use --format gtiff, cog or npy")
        }
        self.format = format
        var options = SceneTileEncoder.defaultOptions(format: format, pixelType: pixelType)
        self.creationOptions = options.merging(userOptions) { _, user in user }
        self.spatialReference = spatialReference
        self.nodata = nodata
        self.colorInterpretations = colorInterpretations
        self.rescale = rescale
        self.crsNeedsSidecar = format.isGeoreferenced && spatialReference.map { !SceneTileEncoder.geoTIFFKeepsCRS($0) } ?? false
    }

    /// Whether a GeoTIFF written by this GDAL reads back with the same CRS (probed in memory).
    static func geoTIFFKeepsCRS(_ srs: SpatialReference) -> Bool {
        GDALRuntime.ensureConfigured()
        let probe = "/vsimem/scaletile-crs-probe-\(UInt64.random(in: 0...UInt64.max)).tif"
        defer { VSIUnlink(probe) }
        var pixel: [UInt8] = [0]
        return pixel.withUnsafeMutableBytes { raw -> Bool in
            guard let memory = try? InMemoryRaster(wrapping: raw, pixelType: .uint8, bandCount: 1, size: RasterSize(width: 1, height: 1)),
                  let driver = GDALGetDriverByName("GTiff") else { return false }
            memory.setGeoreferencing(GeoTransform.identity, srs)
            var messages = st_gdal_errors()
            st_gdal_push_errors(&messages)
            defer { st_gdal_pop_errors() }
            guard let out = GDALCreateCopy(driver, probe, memory.handle, 0, nil, nil, nil) else { return false }
            GDALClose(out)
            guard let back = GDALOpen(probe, GA_ReadOnly) else { return false }
            defer { GDALClose(back) }
            guard let written = GDALGetSpatialRef(back) else { return false }
            return SpatialReference(borrowing: written).epsg == srs.epsg && srs.epsg != nil
                || SpatialReference(borrowing: written).wkt == srs.wkt
        }
    }

    /// DESIGN.md §2 defaults: DEFLATE, PREDICTOR=2 for integers and 3 for floats, in strips.
    ///
    /// Strips are the layout measured cheapest to write and then read whole once, which is how
    /// training code reads a tile: on 81 512-px uint16 tiles of 3 bands (GDAL 3.6, one thread)
    /// writing took 24 ms of CPU per tile in strips against 50 ms with 256-px blocks and 50 ms
    /// with one 512-px block, and a whole-tile GDAL read 4.7 ms against 2.9 and 3.5 ms
    /// (README, "Output"). `--co TILED=YES` gives 256-px blocks back.
    public static func defaultOptions(format: TileFormat, pixelType: PixelType) -> [String: String] {
        switch format {
        case .gtiff:
            var options = ["COMPRESS": "DEFLATE", "PREDICTOR": pixelType.isFloatingPoint ? "3" : "2"]
            if pixelType == .int8 { options["PIXELTYPE"] = "SIGNEDBYTE" }
            return options
        case .cog:
            // Training tiles are read whole; overviews inside each would only cost time and space.
            return ["COMPRESS": "DEFLATE", "PREDICTOR": "YES", "BLOCKSIZE": "256", "OVERVIEWS": "NONE"]
        default:
            return [:]
        }
    }

    /// Writes `buffer` to `path` atomically; `geoTransform` is the tile's own (nil: none written).
    public func write(_ buffer: RasterBuffer, geoTransform: GeoTransform?, to path: String) throws {
        if format == .npy {
            try AtomicFile.write(NumpyArrayFile.encode(buffer, volumetric: false), to: path)
            return
        }
        try AtomicFile.produce(path) { temporary in
            if crsNeedsSidecar {
                // PAM is off process-wide; turn it on for this thread's write only, so GDAL puts the
                // CRS in `<tile>.aux.xml`, then move the sidecar before the tile (tile present ⇒ sidecar present).
                CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", "YES")
                defer { CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", nil) }
                try writeWithGDAL(buffer, geoTransform: geoTransform, to: temporary, reportedPath: path)
                guard rename(temporary + ".aux.xml", path + ".aux.xml") == 0 else {
                    throw ScaleTileError(.io, path + ".aux.xml", "cannot move the CRS sidecar into place")
                }
            } else {
                try writeWithGDAL(buffer, geoTransform: geoTransform, to: temporary, reportedPath: path)
            }
        }
    }

    private var driverName: String {
        switch format {
        case .gtiff: return "GTiff"
        case .cog: return "COG"
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        default: return "GTiff"
        }
    }

    private func writeWithGDAL(_ buffer: RasterBuffer, geoTransform: GeoTransform?, to temporary: String, reportedPath: String) throws {
        if format == .gtiff, rescale == nil {
            try writeGeoTIFFBlocks(buffer, geoTransform: geoTransform, to: temporary, reportedPath: reportedPath)
            return
        }
        // GDAL only reads the MEM bands here, so the buffer is wrapped without a copy.
        try buffer.bytes.withUnsafeBytes { readOnly in
            let raw = UnsafeMutableRawBufferPointer(mutating: readOnly)
            let memory = try InMemoryRaster(wrapping: raw, pixelType: buffer.pixelType, bandCount: buffer.bandCount, size: buffer.size)
            if format.isGeoreferenced {
                memory.setGeoreferencing(geoTransform, spatialReference)
            }
            for (i, value) in nodata.enumerated() where i < buffer.bandCount {
                if let value { GDALSetRasterNoDataValue(GDALGetRasterBand(memory.handle, Int32(i + 1)), value) }
            }
            for (i, name) in colorInterpretations.enumerated() where i < buffer.bandCount {
                GDALSetRasterColorInterpretation(GDALGetRasterBand(memory.handle, Int32(i + 1)), GDALGetColorInterpretationByName(name))
            }
            if let rescale, buffer.pixelType != .uint8 || format == .png || format == .jpeg {
                try translateRescaled(memory, rescale: rescale, to: temporary, reportedPath: reportedPath)
                return
            }
            guard let driver = GDALGetDriverByName(driverName) else {
                throw ScaleTileError(.unsupported, reportedPath, "this GDAL has no \(driverName) driver")
            }
            let options = CStringList(creationOptions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            try gdalCheck(reportedPath, what: "writing the tile") {
                guard let out = GDALCreateCopy(driver, temporary, memory.handle, 0, options.pointer, nil, nil) else { return false }
                GDALClose(out)
                return true
            }
        }
    }

    /// PNG/JPEG of non-8-bit data: GDAL's `gdal_translate -ot Byte -scale_N` over the buffer.
    private func translateRescaled(_ memory: InMemoryRaster, rescale: [ClosedRange<Double>], to temporary: String, reportedPath: String) throws {
        var arguments = ["-of", driverName, "-ot", "Byte"]
        for (i, range) in rescale.enumerated() {
            arguments += ["-scale_\(i + 1)", "\(range.lowerBound)", "\(range.upperBound)", "0", "255"]
        }
        for (key, value) in creationOptions.sorted(by: { $0.key < $1.key }) { arguments += ["-co", "\(key)=\(value)"] }
        let argv = CStringList(arguments)
        try gdalCheck(reportedPath, what: "rescaling the tile") {
            guard let options = GDALTranslateOptionsNew(argv.pointer, nil) else { return false }
            defer { GDALTranslateOptionsFree(options) }
            var usageError: Int32 = 0
            guard let out = GDALTranslate(temporary, memory.handle, options, &usageError) else { return false }
            GDALClose(out)
            return usageError == 0
        }
    }
}

/// A GDAL `MEM` dataset over memory ScaleTile owns (no copy), closed on deinit.
final class InMemoryRaster {
    let handle: UnsafeMutableRawPointer

    /// Wraps a channel-first buffer of `bandCount` bands of `size`.
    init(wrapping raw: UnsafeMutableRawBufferPointer, pixelType: PixelType, bandCount: Int, size: RasterSize) throws {
        GDALRuntime.ensureConfigured()
        guard let driver = GDALGetDriverByName("MEM"),
              let ds = GDALCreate(driver, "", Int32(size.width), Int32(size.height), 0, pixelType.gdalType, nil) else {
            throw ScaleTileError(.io, nil, "GDAL could not create an in-memory raster")
        }
        handle = ds
        let bandBytes = size.width * size.height * pixelType.byteSize
        for b in 0..<bandCount {
            let address = UInt(bitPattern: raw.baseAddress! + b * bandBytes)
            let options = CStringList(["DATAPOINTER=0x" + String(address, radix: 16),
                                       "PIXELOFFSET=\(pixelType.byteSize)", "LINEOFFSET=\(size.width * pixelType.byteSize)"])
            guard GDALAddBand(ds, pixelType.gdalType, options.pointer) == CE_None else {
                throw ScaleTileError(.io, nil, "GDAL could not wrap band \(b + 1) in memory")
            }
        }
        if pixelType == .int8 {
            for b in 1...bandCount {
                GDALSetMetadataItem(GDALGetRasterBand(ds, Int32(b)), "PIXELTYPE", "SIGNEDBYTE", "IMAGE_STRUCTURE")
            }
        }
    }

    func setGeoreferencing(_ geoTransform: GeoTransform?, _ spatialReference: SpatialReference?) {
        if var c = geoTransform?.coefficients { GDALSetGeoTransform(handle, &c) }
        if let srs = spatialReference?.makeHandle() {
            GDALSetSpatialRef(handle, srs)
            OSRDestroySpatialReference(srs)
        }
    }

    deinit { GDALClose(handle) }
}
