import Foundation
import ScaleTileCore

/// Everything `scaletile tile` takes for a scene, with the defaults of DESIGN.md §2.
public struct SceneTileOptions: Sendable {
    /// Tile edge in pixels (at every level).
    public var tileSize = 512
    /// Pixels shared by neighbouring tiles.
    public var overlap = 64
    /// What happens at the right and bottom edges.
    public var edge: EdgePolicy = .shift
    /// The levels to tile.
    public var levels: LevelSelection = .explicit([0])
    /// 1-based bands in output order; nil keeps all.
    public var bands: [Int]?
    /// Tile file format.
    public var format: TileFormat = .gtiff
    /// GDAL creation options overriding the defaults (`--co`).
    public var creationOptions: [String: String] = [:]
    /// Worker threads (encoders); the reader runs beside them.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// A nodata value overriding the file's (`--nodata`).
    public var nodata: Double?
    /// Tiles whose nodata share exceeds this are not written (`--max-nodata`); nil keeps all.
    public var maxNodataFraction: Double?
    /// Linear stretch to 8 bits for PNG/JPEG (`--rescale MIN:MAX`), all bands alike.
    public var rescale: ClosedRange<Double>?
    /// Percentile stretch to 8 bits (`--stretch LOW,HIGH`), per band, computed once per scene.
    public var stretchPercentiles: (low: Double, high: Double)?
    /// Resampling of image levels above 0.
    public var resampling: Resampling = .average
    /// Whether the source's exact-factor overviews serve levels above 0 (else exact block averages).
    public var useSourceOverviews = true
    /// What to do with an output folder that already holds a run.
    public var existingOutput: OutputFolder.ExistingOutput = .refuse
    /// The slice of the plan this process runs.
    public var shard: Shard = .whole
    /// Memory for GDAL's block cache; the read order adapts to it (bytes).
    public var blockCacheBytes = 32 << 20

    public init() {}

    /// Checks the values that need no input file.
    public func validate() throws {
        guard tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(tileSize)") }
        guard overlap >= 0 else { throw ScaleTileError.argument("--overlap", "must not be negative, got \(overlap)") }
        guard overlap < tileSize else {
            throw ScaleTileError.argument("--overlap", "\(overlap) must be smaller than the tile size \(tileSize)")
        }
        guard threads >= 1 else { throw ScaleTileError.argument("--threads", "must be at least 1, got \(threads)") }
        if let f = maxNodataFraction, !(0...1).contains(f) {
            throw ScaleTileError.argument("--max-nodata", "is a fraction from 0 to 1, got \(f)")
        }
        if let bands, bands.contains(where: { $0 < 1 }) {
            throw ScaleTileError.argument("--bands", "band numbers start at 1, got \(bands.map(String.init).joined(separator: ","))")
        }
        if let rescale, !(rescale.upperBound > rescale.lowerBound) {
            throw ScaleTileError.argument("--rescale", "needs MIN < MAX, got \(rescale.lowerBound):\(rescale.upperBound)")
        }
        if let s = stretchPercentiles, !(0 <= s.low && s.low < s.high && s.high <= 100) {
            throw ScaleTileError.argument("--stretch", "needs percentiles 0 ≤ LOW < HIGH ≤ 100, got \(s.low),\(s.high)")
        }
        guard format.suitsScenes else {
            throw ScaleTileError.argument("--format", "\(format.rawValue) is for stacks; scenes take gtiff, cog, png, jpeg or npy")
        }
    }
}
