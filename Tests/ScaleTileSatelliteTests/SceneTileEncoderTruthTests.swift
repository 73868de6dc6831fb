import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// Tiles `SceneTileEncoder` writes, read back by `gdalinfo -json -checksum` (and numpy for
/// `.npy`), against the same window cut from the source by `gdal_translate -srcwin`.
@Suite("Scene tiles against gdalinfo", .serialized,
       .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct SceneTileEncoderTruthTests {
    /// A window of a shared-data scene written as one tile.
    struct Case: Sendable, CustomTestStringConvertible {
        let format: TileFormat
        let file: String
        let window: Window
        let bands: [Int]
        var options: [String: String] = [:]
        var testDescription: String {
            "\(format.rawValue) of \(URL(fileURLWithPath: file).lastPathComponent) \(window) bands \(bands) \(options)"
        }
    }

    static let rgb = DatasetReadTruthTests.rgb
    static let uint16 = DatasetReadTruthTests.uint16
    static let float32 = DatasetReadTruthTests.float32

    /// Reads `c.window` and writes it with an encoder set up as the tiling job sets it up: the
    /// tile's own geotransform, the scene's CRS, the bands' nodata and colour interpretation.
    static func writeTile(_ c: Case, rescale: [ClosedRange<Double>]? = nil, in folder: TemporaryFolder) throws -> String {
        let dataset = try Dataset(opening: SharedData.path(c.file))
        let buffer = try dataset.read(c.window, bands: c.bands)
        let rule = try NodataDefinition(dataset: dataset, bands: c.bands)
        let encoder = try SceneTileEncoder(format: c.format, pixelType: buffer.pixelType, userOptions: c.options,
                                           spatialReference: dataset.spatialReference, nodata: rule.outputValues,
                                           colorInterpretations: try c.bands.map { try dataset.band($0).colorInterpretation },
                                           rescale: rescale)
        let path = folder.file("tile.\(c.format.fileExtension)")
        try encoder.write(buffer, geoTransform: dataset.geoTransform?.shifted(column: c.window.x, row: c.window.y), to: path)
        return path
    }

    /// `gdal_translate -srcwin` of the same window into a GeoTIFF: the truth for georeferencing
    /// and pixels (`extra` adds options such as `-ot Byte -scale`).
    static func translated(_ c: Case, extra: [String] = [], in folder: TemporaryFolder) throws -> [String: Any] {
        let out = folder.file("truth-\(UUID().uuidString).tif")
        var arguments = ["-q", "-srcwin", "\(c.window.x)", "\(c.window.y)", "\(c.window.width)", "\(c.window.height)"]
        for b in c.bands { arguments += ["-b", "\(b)"] }
        try GDALRaw.run("gdal_translate", arguments + extra + [SharedData.path(c.file), out])
        return try GDALTruth.info(out, checksum: true)
    }

    static func bands(_ info: [String: Any]) -> [[String: Any]] { info["bands"] as? [[String: Any]] ?? [] }

    /// The CRS of `path` as a PROJ string, as `gdalinfo -json -proj4` reports it (PAM on).
    static func proj4(_ path: String) throws -> String {
        let result = try ExternalCommand.run("gdalinfo", ["-json", "-proj4", path])
        let info = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        return ((info?["coordinateSystem"] as? [String: Any])?["proj4"] as? String ?? "").trimmingCharacters(in: .whitespaces)
    }

    static let georeferenced = [
        Case(format: .gtiff, file: rgb, window: Window(x: 200, y: 100, width: 512, height: 512), bands: [1, 2, 3]),
        Case(format: .gtiff, file: uint16, window: Window(x: 300, y: 200, width: 256, height: 320), bands: [3, 1]),
        Case(format: .gtiff, file: uint16, window: Window(x: 0, y: 0, width: 512, height: 512), bands: [1, 2, 3],
             options: ["TILED": "YES"]),
        Case(format: .gtiff, file: float32, window: Window(x: 0, y: 500, width: 300, height: 258), bands: [1]),
        Case(format: .cog, file: uint16, window: Window(x: 512, y: 512, width: 512, height: 512), bands: [1, 2]),
    ]

    /// GeoTIFF and COG tiles: gdalinfo reads the window's size, geotransform, CRS, data type,
    /// nodata, colour interpretation and checksums, and the layout the options ask for.
    @Test(arguments: georeferenced)
    func georeferencedTileIsTheSourceWindow(_ c: Case) throws {
        let folder = TemporaryFolder()
        let tile = try Self.writeTile(c, in: folder)
        let got = try GDALTruth.info(tile, checksum: true)
        let truth = try Self.translated(c, in: folder)
        #expect(got["size"] as? [Int] == [c.window.width, c.window.height])
        #expect(got["driverShortName"] as? String == "GTiff")
        let gt = try #require(got["geoTransform"] as? [Double])
        let expectedGT = try #require(truth["geoTransform"] as? [Double])
        #expect(zip(gt, expectedGT).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }, "\(gt) vs gdal_translate's \(expectedGT)")
        let wkt = (got["coordinateSystem"] as? [String: Any])?["wkt"] as? String
        #expect(wkt != nil && wkt == (truth["coordinateSystem"] as? [String: Any])?["wkt"] as? String)
        let (gb, tb) = (Self.bands(got), Self.bands(truth))
        #expect(gb.count == c.bands.count)
        for (g, t) in zip(gb, tb) {
            #expect(g["type"] as? String == t["type"] as? String)
            #expect(g["checksum"] as? Int == t["checksum"] as? Int, "band \(g["band"] ?? "?")")
            #expect(String(describing: g["noDataValue"] ?? "none") == String(describing: t["noDataValue"] ?? "none"))
            #expect(g["colorInterpretation"] as? String == t["colorInterpretation"] as? String)
        }
        let structure = ((got["metadata"] as? [String: Any])?["IMAGE_STRUCTURE"] as? [String: String]) ?? [:]
        #expect(structure["COMPRESSION"] == "DEFLATE")
        let block = gb.first?["block"] as? [Int] ?? []
        switch (c.format, c.options["TILED"]) {
        case (.cog, _):
            #expect(structure["LAYOUT"] == "COG")
            #expect(block == [256, 256])
        case (_, "YES"):
            #expect(block == [256, 256])
        default:
            // DESIGN §2: strips by default, each the tile's full width.
            #expect(block.first == c.window.width && (block.last ?? 0) < c.window.height, "block \(block)")
        }
    }

    /// PNG of 8-bit data: the window's pixels (no georeferencing inside the file).
    @Test func pngTileIsTheSourceWindow() throws {
        let folder = TemporaryFolder()
        let c = Case(format: .png, file: Self.rgb, window: Window(x: 100, y: 300, width: 256, height: 256), bands: [1, 2, 3])
        let tile = try Self.writeTile(c, in: folder)
        let got = try GDALTruth.info(tile, checksum: true)
        let truth = try Self.translated(c, in: folder)
        #expect(got["driverShortName"] as? String == "PNG")
        #expect(got["size"] as? [Int] == [256, 256])
        #expect(Self.bands(got).map { $0["type"] as? String } == ["Byte", "Byte", "Byte"])
        #expect(Self.bands(got).map { $0["checksum"] as? Int } == Self.bands(truth).map { $0["checksum"] as? Int })
    }

    /// PNG of 16-bit data with a rescale: the pixels `gdal_translate -ot Byte -scale` gives.
    @Test func rescaledPNGIsGDALTranslateScale() throws {
        let folder = TemporaryFolder()
        let c = Case(format: .png, file: Self.uint16, window: Window(x: 128, y: 640, width: 300, height: 200), bands: [1])
        let tile = try Self.writeTile(c, rescale: [7000...12000], in: folder)
        let got = try GDALTruth.info(tile, checksum: true)
        let truth = try Self.translated(c, extra: ["-ot", "Byte", "-scale", "7000", "12000", "0", "255"], in: folder)
        #expect(Self.bands(got).map { $0["type"] as? String } == ["Byte"])
        #expect(Self.bands(got).first?["checksum"] as? Int == Self.bands(truth).first?["checksum"] as? Int)
        // The stretch must not be trivial: the window spans more than one output value.
        let raw = try GDALRaw.bytes(tile, Window(x: 0, y: 0, width: 300, height: 200), band: "1", scratch: folder)
        #expect(Set(raw).count > 10)
    }

    /// JPEG is lossy: its pixels are what `gdal_translate -of JPEG` makes of the window (same
    /// codec, same defaults), and stay close to the source's.
    @Test func jpegTileIsCloseToTheSourceWindow() throws {
        let folder = TemporaryFolder()
        let c = Case(format: .jpeg, file: Self.rgb, window: Window(x: 300, y: 300, width: 256, height: 192), bands: [1, 2, 3])
        let tile = try Self.writeTile(c, in: folder)
        let got = try GDALTruth.info(tile, checksum: true)
        let truth = try Self.translated(c, extra: ["-of", "JPEG"], in: folder)
        #expect(Self.bands(got).map { $0["checksum"] as? Int } == Self.bands(truth).map { $0["checksum"] as? Int })
        #expect(got["driverShortName"] as? String == "JPEG")
        #expect(got["size"] as? [Int] == [256, 192])
        #expect(Self.bands(got).count == 3)
        for b in 1...3 {
            let written = try GDALRaw.bytes(tile, Window(x: 0, y: 0, width: 256, height: 192), band: "\(b)", scratch: folder)
            let source = try GDALRaw.bytes(SharedData.path(c.file), c.window, band: "\(b)", scratch: folder)
            let meanError = zip(written, source).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(source.count)
            #expect(meanError < 10, "band \(b): mean absolute error \(meanError)")
        }
    }

    /// `.npy` read by numpy: (C, Y, X) in the source's type, the bytes gdal_translate cuts.
    @Test(arguments: [
        Case(format: .npy, file: rgb, window: Window(x: 64, y: 32, width: 200, height: 120), bands: [2, 3]),
        Case(format: .npy, file: uint16, window: Window(x: 700, y: 900, width: 100, height: 124), bands: [1, 2, 3]),
        Case(format: .npy, file: float32, window: Window(x: 0, y: 600, width: 128, height: 64), bands: [1]),
    ])
    func npyTileIsReadByNumpy(_ c: Case) throws {
        let folder = TemporaryFolder()
        let tile = try Self.writeTile(c, in: folder)
        var rawFiles: [String] = []
        for (i, b) in c.bands.enumerated() {
            let raw = folder.file("band\(i).bin")
            try GDALRaw.bytes(SharedData.path(c.file), c.window, band: "\(b)", scratch: folder).write(to: URL(fileURLWithPath: raw))
            rawFiles.append(raw)
        }
        let type = try Dataset(opening: SharedData.path(c.file)).band(c.bands[0]).dataTypeName
        let numpyType = ["Byte": "uint8", "UInt16": "uint16", "Float32": "float32"][type] ?? type
        let script = """
        import sys, numpy as np
        tile, dtype, height, width = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        a = np.load(tile)
        truth = np.stack([np.fromfile(f, dtype=dtype).reshape(height, width) for f in sys.argv[5:]])
        assert a.shape == truth.shape, f"shape {a.shape}, expected {truth.shape}"
        assert a.dtype == np.dtype(dtype), f"dtype {a.dtype}, expected {dtype}"
        assert np.array_equal(a, truth, equal_nan=a.dtype.kind == "f"), "values differ"
        print(a.shape, a.dtype)
        """
        let result = try ClientPython.run(script, [tile, numpyType, "\(c.window.height)", "\(c.window.width)"] + rawFiles)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                == "(\(c.bands.count), \(c.window.height), \(c.window.width)) \(numpyType)")
    }

    /// A CRS GeoTIFF keys cannot hold in GDAL 3.6 (Equal Earth) goes into `<tile>.aux.xml`,
    /// moved into place with the tile: gdalinfo reads the same CRS as from a file
    /// `gdal_translate -a_srs` made, and no temporary file is left.
    @Test func crsOutsideGeoTIFFKeysTravelsInTheSidecar() throws {
        let folder = TemporaryFolder()
        let srs = try SpatialReference(userInput: "EPSG:8857")
        let dataset = try Dataset(opening: SharedData.path(Self.rgb))
        let window = Window(x: 0, y: 0, width: 200, height: 150)
        let buffer = try dataset.read(window, bands: [1, 2, 3])
        let encoder = try SceneTileEncoder(format: .gtiff, pixelType: .uint8, spatialReference: srs, nodata: [0, 0, 0],
                                           colorInterpretations: ["Red", "Green", "Blue"])
        let tile = folder.file("tiles/ee.tif")
        try FileManager.default.createDirectory(atPath: folder.file("tiles"), withIntermediateDirectories: true)
        let transform = GeoTransform(originX: -1_000_000, originY: 2_000_000, pixelWidth: 30, pixelHeight: -30)
        try encoder.write(buffer, geoTransform: transform, to: tile)
        // The truth: gdal_translate assigning the same CRS and corners (PAM on, as GDAL's tools run).
        let truthFile = folder.file("truth.tif")
        let made = try ExternalCommand.run("gdal_translate", ["-q", "-srcwin", "0", "0", "200", "150", "-a_srs", "EPSG:8857",
                                                              "-a_ullr", "-1000000", "2000000", "-994000", "1995500",
                                                              SharedData.path(Self.rgb), truthFile])
        try #require(made.status == 0, "\(made.standardError)")
        let truthHasSidecar = FileManager.default.fileExists(atPath: truthFile + ".aux.xml")
        #expect(encoder.crsNeedsSidecar == truthHasSidecar, "GDAL's own tools need a sidecar: \(truthHasSidecar)")
        if truthHasSidecar { #expect(FileManager.default.fileExists(atPath: tile + ".aux.xml")) }
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.file("tiles")).sorted()
        #expect(written == (truthHasSidecar ? ["ee.tif", "ee.tif.aux.xml"] : ["ee.tif"]), "only the tile and its sidecar: \(written)")
        let got = try GDALTruth.info(tile, checksum: true), truth = try GDALTruth.info(truthFile, checksum: true)
        // The same CRS, compared as PROJ strings: after other tiles were written in the same
        // process, the sidecar's WKT (GDAL 3.6) spells the datum without its ensemble and drops
        // the EPSG ID, which changes the text but not the CRS.
        #expect(try Self.proj4(tile) == Self.proj4(truthFile))
        #expect(try Self.proj4(tile).contains("+proj=eqearth"))
        #expect(got["geoTransform"] as? [Double] == truth["geoTransform"] as? [Double])
        #expect(Self.bands(got).map { $0["checksum"] as? Int } == Self.bands(truth).map { $0["checksum"] as? Int })
    }
}
