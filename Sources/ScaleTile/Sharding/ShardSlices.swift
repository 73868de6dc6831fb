import ScaleTileCore

/// One shard of a run over several inputs: a contiguous slice of their plans laid end to end.
///
/// Slicing the joined plan, rather than each input's plan, keeps every shard on few inputs:
/// with a folder of scenes, shard K opens only the scenes its slice touches for pixels, and
/// the shards' slices, concatenated in shard order, are the joined plan in order.
public enum ShardSlices {
    /// For each input, the positions of its own plan that belong to `shard`.
    ///
    /// - Parameter planCounts: the number of windows in each input's plan, in input order.
    /// - Complexity: O(inputs).
    public static func ranges(planCounts: [Int], shard: Shard) -> [Range<Int>] {
        let total = planCounts.reduce(0, +)
        let slice = shard.range(ofPlanCount: total)
        var offset = 0
        return planCounts.map { count in
            let lower = min(max(slice.lowerBound - offset, 0), count)
            let upper = min(max(slice.upperBound - offset, 0), count)
            offset += count
            return lower..<upper
        }
    }
}
