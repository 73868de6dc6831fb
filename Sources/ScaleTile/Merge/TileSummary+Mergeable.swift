import ScaleTileCore

extension TileSummary: MergeableSummary {
    public static let command = "tile"

    public var runIdentity: TileSummary {
        var identity = self
        identity.shard = ""
        identity.counts = Counts(planned: counts.planned, inShard: 0, written: 0, resumed: 0,
                                 skippedNodata: counts.skippedNodata.map { _ in 0 }, padded: counts.padded.map { _ in 0 })
        identity.audit = nil
        if identity.context != nil { identity.context?.tiles = 0; identity.context?.skipped = 0 }
        for i in identity.perLevel.indices {
            identity.perLevel[i].written = 0
            if identity.perLevel[i].skippedNodata != nil { identity.perLevel[i].skippedNodata = 0 }
        }
        if var lesions = identity.lesions {
            lesions.containedInSomePatch = 0
            lesions.neverWhole = 0
            for i in lesions.table.indices {
                lesions.table[i].patchesContaining = 0
                lesions.table[i].patchesTouching = 0
            }
            identity.lesions = lesions
        }
        return identity
    }

    /// Sums the shards' counts, per level and per lesion; `planned` and the grids are the whole
    /// plan's in every shard. The lesion counts and the audit are derived again from the sums.
    public static func merged(_ parts: [TileSummary]) throws -> TileSummary {
        guard var result = parts.first else {
            throw ScaleTileError(.invalidInput, nil, "no shard summaries to merge")
        }
        try requireOneRun(parts, names: parts.map { "shard \($0.shard)" })
        func sum(_ a: Int?, _ b: Int?) throws -> Int? { try a.map { try summedCount($0, b ?? 0) } }
        for part in parts.dropFirst() {
            var c = result.counts
            let p = part.counts
            c.inShard = try summedCount(c.inShard, p.inShard)
            c.written = try summedCount(c.written, p.written)
            c.resumed = try summedCount(c.resumed, p.resumed)
            c.skippedNodata = try sum(c.skippedNodata, p.skippedNodata)
            c.padded = try sum(c.padded, p.padded)
            result.counts = c
            if var context = result.context, let other = part.context {
                context.tiles = try summedCount(context.tiles, other.tiles)
                context.skipped = try summedCount(context.skipped, other.skipped)
                result.context = context
            }
            for i in result.perLevel.indices {
                result.perLevel[i].written = try summedCount(result.perLevel[i].written, part.perLevel[i].written)
                result.perLevel[i].skippedNodata = try sum(result.perLevel[i].skippedNodata, part.perLevel[i].skippedNodata)
            }
            if var lesions = result.lesions, let other = part.lesions {
                for i in lesions.table.indices {
                    lesions.table[i].patchesContaining = try summedCount(lesions.table[i].patchesContaining, other.table[i].patchesContaining)
                    lesions.table[i].patchesTouching = try summedCount(lesions.table[i].patchesTouching, other.table[i].patchesTouching)
                }
                result.lesions = lesions
            }
        }
        guard result.counts.inShard == result.counts.planned else {
            let noun = result.isStack ? "patches" : "tiles"
            throw ScaleTileError(.invalidInput, nil, "the shards of \(result.source) hold \(result.counts.inShard) of the \(result.counts.planned) planned \(noun): a shard is missing or was given twice")
        }
        if var lesions = result.lesions {
            lesions.containedInSomePatch = lesions.table.count { $0.patchesContaining > 0 }
            lesions.neverWhole = lesions.table.count { $0.patchesContaining == 0 }
            result.lesions = lesions
        }
        let audits = parts.compactMap(\.audit)
        if !audits.isEmpty { result.audit = try ScaleAudit.merged(audits) }
        result.shard = Shard.whole.description
        return result
    }
}
