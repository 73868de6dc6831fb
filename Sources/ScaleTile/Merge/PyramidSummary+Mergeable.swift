import ScaleTileCore

/// Pyramids are not split: a sharded preset run builds each input's pyramid in one shard, so
/// merging is finding that one part.
extension PyramidSummary: MergeableSummary {
    public static let command = "pyramid"

    public var shard: String { Shard.whole.description }

    public var runIdentity: PyramidSummary { self }

    public static func merged(_ parts: [PyramidSummary]) throws -> PyramidSummary {
        guard parts.count == 1 else {
            throw ScaleTileError(.invalidInput, parts.first?.source, "\(parts.count) shards built this pyramid; each pyramid is built by one shard")
        }
        return parts[0]
    }
}
