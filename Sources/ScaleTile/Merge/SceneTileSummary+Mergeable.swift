import ScaleTileCore

extension SceneTileSummary: MergeableSummary {
    public static let command = "tile"

    public var runIdentity: SceneTileSummary {
        var identity = self
        identity.shard = ""
        identity.tiles.inShard = 0
        identity.tiles.written = 0
        identity.tiles.resumed = 0
        identity.tiles.skippedNodata = 0
        identity.audit = nil
        for i in identity.perLevel.indices {
            identity.perLevel[i].written = 0
            identity.perLevel[i].skippedNodata = 0
        }
        return identity
    }

    /// Sums the shards' counts; `planned` and the grids are the whole plan's in every shard.
    public static func merged(_ parts: [SceneTileSummary]) throws -> SceneTileSummary {
        guard var result = parts.first else {
            throw ScaleTileError(.invalidInput, nil, "no shard summaries to merge")
        }
        try requireOneRun(parts, names: parts.map { "shard \($0.shard)" })
        for part in parts.dropFirst() {
            result.tiles.inShard += part.tiles.inShard
            result.tiles.written += part.tiles.written
            result.tiles.resumed += part.tiles.resumed
            result.tiles.skippedNodata += part.tiles.skippedNodata
            for i in result.perLevel.indices {
                result.perLevel[i].written += part.perLevel[i].written
                result.perLevel[i].skippedNodata += part.perLevel[i].skippedNodata
            }
        }
        guard result.tiles.inShard == result.tiles.planned else {
            throw ScaleTileError(.invalidInput, result.source, "the shards hold \(result.tiles.inShard) of the \(result.tiles.planned) planned tiles: a shard is missing or was given twice")
        }
        let audits = parts.compactMap(\.audit)
        if !audits.isEmpty { result.audit = try ScaleAudit.merged(audits) }
        result.shard = Shard.whole.description
        return result
    }
}

extension PyramidSummary: MergeableSummary {
    public static let command = "pyramid"

    /// Pyramids are not split: a sharded preset run builds each input's pyramid in one shard.
    public var shard: String { Shard.whole.description }

    public var runIdentity: PyramidSummary { self }

    public static func merged(_ parts: [PyramidSummary]) throws -> PyramidSummary {
        guard parts.count == 1 else {
            throw ScaleTileError(.invalidInput, parts.first?.source, "\(parts.count) shards built this pyramid; each pyramid is built by one shard")
        }
        return parts[0]
    }
}
