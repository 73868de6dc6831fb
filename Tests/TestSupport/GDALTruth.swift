import Foundation

/// Independent truth from GDAL's own command-line tools: what `gdalinfo` reports of a file.
public enum GDALTruth {
    /// `gdalinfo -json [-checksum]` of `path`, parsed.
    public static func info(_ path: String, checksum: Bool = false) throws -> [String: Any] {
        // PAM stays on: a tile whose CRS GeoTIFF keys cannot hold carries it in `.aux.xml`.
        let result = try ExternalCommand.run("gdalinfo", ["-json"] + (checksum ? ["-checksum"] : []) + [path])
        guard result.status == 0, let data = result.standardOutput.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TruthError.failed("gdalinfo \(path): \(result.standardError)")
        }
        return object
    }

    /// Per-band checksums `gdalinfo -checksum` reports.
    public static func checksums(_ path: String) throws -> [Int] {
        let bands = try info(path, checksum: true)["bands"] as? [[String: Any]] ?? []
        return bands.compactMap { $0["checksum"] as? Int }
    }

    /// Per-band checksums of a window of `path`, cut by `gdal_translate -srcwin` into `scratch`.
    public static func windowChecksums(_ path: String, x: Int, y: Int, width: Int, height: Int, bands: [Int]? = nil,
                                       scratch: String) throws -> [Int] {
        let out = scratch + "/srcwin-\(UUID().uuidString).tif"
        defer { try? FileManager.default.removeItem(atPath: out) }
        var args = ["-q", "-srcwin", "\(x)", "\(y)", "\(width)", "\(height)"]
        for b in bands ?? [] { args += ["-b", "\(b)"] }
        let result = try ExternalCommand.run("gdal_translate", args + [path, out], environment: ["GDAL_PAM_ENABLED": "NO"])
        guard result.status == 0 else { throw TruthError.failed("gdal_translate: \(result.standardError)") }
        return try checksums(out)
    }

    /// The raw samples of one band of a window, little-endian, as `gdal_translate -of ENVI` writes them.
    public static func windowBytes(_ path: String, x: Int, y: Int, width: Int, height: Int, band: Int, scratch: String) throws -> Data {
        let out = scratch + "/raw-\(UUID().uuidString).bin"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: out.replacingOccurrences(of: ".bin", with: ".hdr"))
        }
        let result = try ExternalCommand.run("gdal_translate", ["-q", "-of", "ENVI", "-b", "\(band)", "-srcwin", "\(x)", "\(y)", "\(width)", "\(height)", path, out],
                                             environment: ["GDAL_PAM_ENABLED": "NO"])
        guard result.status == 0, let data = FileManager.default.contents(atPath: out) else {
            throw TruthError.failed("gdal_translate -of ENVI: \(result.standardError)")
        }
        return data
    }

    public enum TruthError: Error, CustomStringConvertible {
        case failed(String)
        public var description: String { if case .failed(let m) = self { return m }; return "" }
    }
}
