import Foundation
internal import CGDAL
import ScaleTileCore

/// One pyramid level written as its own GeoTIFF, block by block.
///
/// Blocks arrive complete (see ``BlockAssembler``) and go straight to the file with
/// `GDALWriteBlock`, bypassing the block cache that other threads share: with band
/// interleaving every block is independent, so the file's bytes depend only on the order the
/// blocks are given, never on which thread evicted what. The file is written under a
/// temporary name and renamed by ``finish()``.
public final class LevelRasterFile {
    private var handle: UnsafeMutableRawPointer?
    /// Final path of the file.
    public let path: String
    private let temporary: String
    /// Block size of the file (the assembler must use the same).
    public let blockSize: RasterSize
    public let bandCount: Int
    public let pixelType: PixelType
    private let hasMask: Bool

    /// Creates the file for a level grid of `size`.
    ///
    /// - Parameters:
    ///   - geoTransform: the level's transform (the scene's, scaled by 2^ℓ), nil for pixel space.
    ///   - withMask: writes an internal mask band (sources whose validity is a mask, not nodata).
    ///   - creationOptions: GTiff options merged over DEFLATE, the type's predictor and 256-px blocks.
    public init(path: String, size: RasterSize, bandCount: Int, pixelType: PixelType, geoTransform: GeoTransform?,
                spatialReference: SpatialReference?, nodata: [Double?], colorInterpretations: [String], withMask: Bool,
                creationOptions: [String: String] = [:]) throws {
        GDALRuntime.ensureConfigured()
        self.path = path
        self.temporary = AtomicFile.temporaryPath(for: path)
        self.bandCount = bandCount
        self.pixelType = pixelType
        self.hasMask = withMask
        var options = SceneTileEncoder.defaultOptions(format: .gtiff, pixelType: pixelType)
        options["INTERLEAVE"] = "BAND"
        options["BIGTIFF"] = "IF_SAFER"
        options.merge(creationOptions) { _, user in user }
        // Blocks must be band-separate and tiled for GDALWriteBlock to write each one on its own.
        options["INTERLEAVE"] = "BAND"
        options["TILED"] = "YES"
        let bw = Int(options["BLOCKXSIZE"] ?? "256") ?? 256, bh = Int(options["BLOCKYSIZE"] ?? "256") ?? 256
        blockSize = RasterSize(width: bw, height: bh)
        // Sizes come from summaries and headers: GDAL takes 32-bit extents and GTiff 65,535 bands.
        guard let width = Int32(exactly: size.width), let height = Int32(exactly: size.height), width > 0, height > 0,
              (1...65_535).contains(bandCount) else {
            throw ScaleTileError(.invalidInput, path, "a GeoTIFF of \(size) pixels and \(bandCount) bands cannot be written (at most 2^31-1 pixels a side, 65535 bands)")
        }
        guard let driver = GDALGetDriverByName("GTiff") else { throw ScaleTileError(.unsupported, path, "this GDAL has no GTiff driver") }
        let list = CStringList(options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        var created: UnsafeMutableRawPointer?
        // Registered before it exists: a signal that ends the process removes it (``AtomicFile``).
        AtomicFile.beginWriting(temporary)
        do {
            try gdalCheck(path, what: "creating the level file") {
                created = GDALCreate(driver, temporary, width, height, Int32(bandCount), pixelType.gdalType, list.pointer)
                return created != nil
            }
        } catch {
            AtomicFile.endWriting(temporary)
            throw error
        }
        handle = created
        if var c = geoTransform?.coefficients { GDALSetGeoTransform(created, &c) }
        if let srs = spatialReference?.makeHandle() {
            GDALSetSpatialRef(created, srs)
            OSRDestroySpatialReference(srs)
        }
        for b in 0..<bandCount {
            let band = GDALGetRasterBand(created, Int32(b + 1))
            if b < nodata.count, let value = nodata[b] { GDALSetRasterNoDataValue(band, value) }
            if b < colorInterpretations.count {
                GDALSetRasterColorInterpretation(band, GDALGetColorInterpretationByName(colorInterpretations[b]))
            }
        }
        if withMask {
            // Inside the file: GDAL 3.6 otherwise writes an external `.msk` beside the temporary
            // name, which the rename into place leaves behind and the level file never sees.
            CPLSetThreadLocalConfigOption("GDAL_TIFF_INTERNAL_MASK", "YES")
            defer { CPLSetThreadLocalConfigOption("GDAL_TIFF_INTERNAL_MASK", nil) }
            try gdalCheck(path, what: "creating the mask band") { GDALCreateDatasetMaskBand(created, Int32(GMF_PER_DATASET)) == CE_None }
        }
    }

    /// Writes one complete block (block-size pixels, channel-first) and, when the file has one, its mask block.
    public func write(_ block: BlockAssembler.Block, mask: BlockAssembler.Block? = nil) throws {
        guard let handle else { return }
        let bytesPerBand = blockSize.width * blockSize.height * pixelType.byteSize
        try block.pixels.bytes.withUnsafeBytes { raw in
            for b in 0..<bandCount {
                let band = GDALGetRasterBand(handle, Int32(b + 1))
                try gdalCheck(path, what: "writing block (\(block.column), \(block.row))") {
                    GDALWriteBlock(band, Int32(block.column), Int32(block.row), UnsafeMutableRawPointer(mutating: raw.baseAddress! + b * bytesPerBand)) == CE_None
                }
            }
        }
        if let mask, hasMask, let maskBand = GDALGetMaskBand(GDALGetRasterBand(handle, 1)) {
            try mask.pixels.bytes.withUnsafeBytes { raw in
                try gdalCheck(path, what: "writing mask block (\(mask.column), \(mask.row))") {
                    GDALWriteBlock(maskBand, Int32(mask.column), Int32(mask.row), UnsafeMutableRawPointer(mutating: raw.baseAddress!)) == CE_None
                }
            }
        }
    }

    /// Closes the file and moves it to its final name.
    public func finish() throws {
        guard let handle else { return }
        self.handle = nil
        try gdalCheck(path, what: "closing the level file") { GDALClose(handle); return true }
        defer { AtomicFile.endWriting(temporary) }
        guard rename(temporary, path) == 0 else {
            throw ScaleTileError(.io, path, "cannot move the finished level file into place (\(String(cString: strerror(errno))))")
        }
    }

    /// Closes the file and copies it into place as a Cloud Optimized GeoTIFF through GDAL's COG
    /// driver (DEFLATE, 256-px blocks, overviews made by the driver), removing the plain one.
    /// A COG's layout (overviews before the full resolution) cannot be written block by block,
    /// hence the copy.
    public func finishCloudOptimized() throws {
        guard let handle else { return }
        self.handle = nil
        defer { unlink(temporary) }
        try gdalCheck(path, what: "closing the level file") { GDALClose(handle); return true }
        guard let driver = GDALGetDriverByName("COG") else { throw ScaleTileError(.unsupported, path, "this GDAL has no COG driver") }
        let copy = AtomicFile.temporaryPath(for: path) + ".cog"
        let options = CStringList(["BIGTIFF=IF_SAFER", "BLOCKSIZE=\(blockSize.width)", "COMPRESS=DEFLATE",
                                   "PREDICTOR=YES"])
        try gdalCheck(path, what: "writing the cloud optimized GeoTIFF") {
            guard let source = GDALOpen(temporary, GA_ReadOnly) else { return false }
            defer { GDALClose(source) }
            guard let out = GDALCreateCopy(driver, copy, source, 0, options.pointer, nil, nil) else { return false }
            GDALClose(out)
            return true
        }
        guard rename(copy, path) == 0 else {
            unlink(copy)
            throw ScaleTileError(.io, path, "cannot move the finished file into place (\(String(cString: strerror(errno))))")
        }
    }

    deinit {
        if let handle {
            GDALClose(handle)
            unlink(temporary)
            AtomicFile.endWriting(temporary)
        }
    }
}
