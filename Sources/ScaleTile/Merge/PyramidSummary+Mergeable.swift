import ScaleTileCore

/// The summary of a job that is never split: a sharded preset run builds each input's pyramid
/// in one shard, so merging is finding that one part.
protocol UnsplitSummary: MergeableSummary {
    var source: String { get }
}

extension UnsplitSummary {
    public var shard: String { Shard.whole.description }

    public var runIdentity: Self { self }

    public static func merged(_ parts: [Self]) throws -> Self {
        guard parts.count == 1 else {
            throw ScaleTileError(.invalidInput, parts.first?.source, "\(parts.count) shards built this pyramid; each pyramid is built by one shard")
        }
        return parts[0]
    }
}

extension PyramidSummary: UnsplitSummary {
    public static let command = "pyramid"
}

extension StackPyramidSummary: UnsplitSummary {
    public static let command = "pyramid"
}
