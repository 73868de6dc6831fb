import Foundation
import TestSupport
import ScaleTileCore

/// GDAL's command-line tools, as a reader independent of the code under test.
///
/// `GTIFF_DIR:n:path` opens page n (1-based) of a multi-page TIFF, and `gdal_translate -of ENVI`
/// writes a window's raw samples, band after band, in native byte order: exactly the layout of
/// a ``RasterBuffer`` band. Side files (`.aux.xml`) are switched off so that nothing is written
/// next to the shared data.
enum GDAL {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Whether `gdal_translate` and `gdalinfo` can be run.
    static let isAvailable: Bool = (try? run("gdalinfo", ["--version"])) != nil

    /// Runs a GDAL tool and returns its standard output; throws with its standard error on failure.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GDAL_PAM_ENABLED"] = "NO"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The samples of `window` (X and Y only) of page `page` (1-based) of `path`, bands in the
    /// order given (1-based; nil for all), band-sequential.
    static func samples(of path: String, page: Int, window: Window, bands: [Int]? = nil, in folder: TemporaryFolder) throws -> [UInt8] {
        let output = folder.file("gdal-\(UUID().uuidString).raw")
        // BSQ explicitly: gdal_translate would otherwise keep a pixel-interleaved source's interleaving.
        var arguments = ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-srcwin", "\(window.x)", "\(window.y)", "\(window.width)", "\(window.height)"]
        for band in bands ?? [] { arguments += ["-b", "\(band)"] }
        try run("gdal_translate", arguments + ["GTIFF_DIR:\(page):\(path)", output])
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: (output as NSString).deletingPathExtension + ".hdr")
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// The samples of a whole page: every band, band-sequential.
    static func page(_ page: Int, of path: String, width: Int, height: Int, in folder: TemporaryFolder) throws -> [UInt8] {
        try samples(of: path, page: page, window: Window(x: 0, y: 0, width: width, height: height), in: folder)
    }

    /// Samples of overview `level` (0 is the largest) of a page; GDAL exposes SubIFD pyramid levels as overviews.
    static func overview(_ level: Int, ofPage page: Int, of path: String, in folder: TemporaryFolder) throws -> [UInt8] {
        let output = folder.file("gdal-\(UUID().uuidString).raw")
        try run("gdal_translate", ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-ovr", "\(level)", "GTIFF_DIR:\(page):\(path)", output])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// `gdalinfo -json` of page `page`, parsed.
    static func info(of path: String, page: Int = 1) throws -> [String: Any] {
        let text = try run("gdalinfo", ["-json", "GTIFF_DIR:\(page):\(path)"])
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// A TIFF tag GDAL reports in the default metadata domain (`TIFFTAG_IMAGEDESCRIPTION`, …).
    static func tiffTag(_ name: String, of path: String, page: Int = 1) throws -> String? {
        let metadata = try info(of: path, page: page)["metadata"] as? [String: Any]
        return (metadata?[""] as? [String: Any])?[name] as? String
    }

    /// Writes `buffer` (depth 1: one page, its bands as samples) as a TIFF with `gdal_translate`
    /// and the creation options given, appending a page when `append` is set.
    static func writePage(_ buffer: RasterBuffer, to path: String, options: [String], append: Bool, in folder: TemporaryFolder) throws {
        precondition(buffer.size.depth == 1, "GDAL writes one page at a time")
        let raw = folder.file("source-\(UUID().uuidString).raw")
        try ENVI.write(buffer, to: raw)
        var arguments = ["-q", "-of", "GTiff"]
        for option in options + (append ? ["APPEND_SUBDATASET=YES"] : []) { arguments += ["-co", option] }
        try run("gdal_translate", arguments + [raw, path])
        try? FileManager.default.removeItem(atPath: raw)
        try? FileManager.default.removeItem(atPath: (raw as NSString).deletingPathExtension + ".hdr")
    }
}

/// ENVI raw + header: the simplest raster GDAL reads with any band count and sample type.
enum ENVI {
    static func write(_ buffer: RasterBuffer, to rawPath: String) throws {
        let code: Int
        switch buffer.pixelType {
        case .uint8: code = 1
        case .int16: code = 2
        case .int32: code = 3
        case .float32: code = 4
        case .float64: code = 5
        case .uint16: code = 12
        case .uint32: code = 13
        default: throw GDAL.Failure(description: "no ENVI type for \(buffer.pixelType)")
        }
        let header = """
            ENVI
            samples = \(buffer.size.width)
            lines = \(buffer.size.height)
            bands = \(buffer.bandCount)
            header offset = 0
            file type = ENVI Standard
            data type = \(code)
            interleave = bsq
            byte order = 0

            """
        try Data(buffer.bytes).write(to: URL(fileURLWithPath: rawPath))
        try Data(header.utf8).write(to: URL(fileURLWithPath: (rawPath as NSString).deletingPathExtension + ".hdr"))
    }
}
