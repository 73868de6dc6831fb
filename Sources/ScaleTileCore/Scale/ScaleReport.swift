/// The scale report of a label set: what `scaletile analyze` prints (DESIGN.md §2, §4).
///
/// JSON keys are camelCase: `targetCount`, `histogram`, `buckets`, `classSizes`,
/// `classWeights`, and, when a tile size or a size band was given, `overlap` and `levels`.
public struct ScaleReport: Hashable, Sendable, Codable {
    /// How many objects or lesions were analysed.
    public var targetCount: Int
    /// Sizes s = √n in power-of-two bins.
    public var histogram: SizeHistogram
    /// Targets per COCO size bucket.
    public var buckets: BucketCounts
    /// Targets per class and size bucket, one row per class.
    public var classSizes: [ClassSizeCounts]
    /// Loss weights per class.
    public var classWeights: ClassWeights
    /// The overlap that keeps objects whole on a grid of the given tile size.
    public var overlap: OverlapRecommendation?
    /// The levels that bring objects into the given size band.
    public var levels: LevelRecommendation?

    /// The report for `targets`.
    ///
    /// - Parameters:
    ///   - tileSize: the grid's tile size; gives ``overlap``.
    ///   - overlapLimit: the largest overlap to recommend per axis (default: half the tile).
    ///   - band: the `--object-size` band; gives ``levels``.
    ///   - candidateLevels: the levels the band may use (default 0–10, a 1024× range).
    ///   - beta: β of the effective-number class weights.
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a β outside [0, 1).
    /// - Complexity: O(targets · candidate levels).
    public init(targets: [SamplingTarget], tileSize: RasterSize? = nil, overlapLimit: RasterSize? = nil,
                band: ObjectSizeBand? = nil, candidateLevels: [Int] = Array(0...10),
                beta: Double = ClassWeights.defaultBeta) throws {
        targetCount = targets.count
        histogram = SizeHistogram(targets: targets)
        buckets = BucketCounts(targets: targets)
        classSizes = ClassSizeCounts.table(for: targets)
        classWeights = try ClassWeights(targets: targets, beta: beta)
        overlap = tileSize.map { OverlapRecommendation(targets: targets, tileSize: $0, overlapLimit: overlapLimit) }
        levels = band.map { LevelRecommendation(targets: targets, band: $0, candidateLevels: candidateLevels) }
    }
}
