import Foundation
import Testing
import ScaleTileCore
import TestSupport

/// Pixels as GDAL's command-line tools give them, read back without any parser of ScaleTile's:
/// `gdal_translate -of ENVI` writes a headerless run of samples (native byte order), which the
/// tests read as plain bytes.
enum GDALRaw {
    /// The raw samples of one band of `window` of `path`, as `gdal_translate -of ENVI` writes them.
    ///
    /// - Parameters:
    ///   - band: a `-b` value: `1`, `2`, … or `mask` (the validity mask of band 1, 0 or 255).
    ///   - outputType: `-ot` (`Float64` to compute with), nil keeps the band's own type.
    ///   - overview: `-ovr` (0 = the first overview). `window` stays in level-0 pixels (GDAL 3.6's
    ///     gdal_translate applies `-srcwin` before `-ovr`); the output has the overview's resolution.
    static func bytes(_ path: String, _ window: Window, band: String, outputType: String? = nil, overview: Int? = nil,
                      scratch: TemporaryFolder) throws -> Data {
        let out = scratch.file("raw-\(UUID().uuidString).bin")
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: out.replacingOccurrences(of: ".bin", with: ".hdr"))
        }
        var arguments = ["-q", "-of", "ENVI", "-b", band,
                         "-srcwin", "\(window.x)", "\(window.y)", "\(window.width)", "\(window.height)"]
        if let outputType { arguments += ["-ot", outputType] }
        if let overview { arguments += ["-ovr", "\(overview)"] }
        let result = try ExternalCommand.run("gdal_translate", arguments + [path, out], environment: ["GDAL_PAM_ENABLED": "NO"])
        try #require(result.status == 0, "gdal_translate \(arguments.joined(separator: " ")) \(path): \(result.standardError)")
        return try #require(FileManager.default.contents(atPath: out))
    }

    /// One band of `window` as doubles (`gdal_translate -ot Float64`), row-major.
    static func values(_ path: String, _ window: Window, band: String, overview: Int? = nil, scratch: TemporaryFolder) throws -> [Double] {
        let data = try bytes(path, window, band: band, outputType: "Float64", overview: overview, scratch: scratch)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    /// Runs a GDAL tool and requires it to succeed.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try ExternalCommand.run(tool, arguments, environment: ["GDAL_PAM_ENABLED": "NO"])
        try #require(result.status == 0, "\(tool) \(arguments.joined(separator: " ")): \(result.standardError)")
    }
}

/// The exact level ℓ of a region, computed here from level-0 pixels: each level pixel is the
/// mean of the valid pixels of its 2^ℓ × 2^ℓ block clipped to the raster (DESIGN.md §3).
struct BlockMeans {
    /// Per level pixel, the mean, or nil when no pixel of the block is valid.
    let means: [Double?]
    let width: Int
    let height: Int

    /// - Parameters:
    ///   - base: the level-0 pixels of `region` (row-major), `region` starting on a block corner.
    ///   - valid: whether a level-0 pixel counts (nodata and masked pixels do not).
    init(base: [Double], region: Window, factor: Int, valid: (Int) -> Bool) {
        width = (region.width + factor - 1) / factor
        height = (region.height + factor - 1) / factor
        var sums = [Double](repeating: 0, count: width * height)
        var counts = [Int](repeating: 0, count: width * height)
        for y in 0..<region.height {
            for x in 0..<region.width where valid(y * region.width + x) {
                let i = (y / factor) * width + x / factor
                sums[i] += base[y * region.width + x]
                counts[i] += 1
            }
        }
        means = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : nil }
    }
}

/// How many bytes of `a` and `b` differ (the lengths must match). Compared here, not by
/// `#expect(a == b)`, whose failure message diffs the two collections at quadratic cost.
func differingBytes(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Int {
    guard a.count == b.count else { return max(a.count, b.count) }
    return zip(a, b).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
}
