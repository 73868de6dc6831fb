import ScaleTileCore

extension StackTileSummary: MergeableSummary {
    public static let command = "tile"

    public var runIdentity: StackTileSummary {
        var identity = self
        identity.shard = ""
        identity.patches.inShard = 0
        identity.patches.written = 0
        identity.patches.resumed = 0
        identity.patches.padded = 0
        identity.audit = nil
        for i in identity.perLevel.indices { identity.perLevel[i].written = 0 }
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
    /// plan's in every shard. The audit is derived again from the summed per-lesion counts.
    public static func merged(_ parts: [StackTileSummary]) throws -> StackTileSummary {
        guard var result = parts.first else {
            throw ScaleTileError(.invalidInput, nil, "no shard summaries to merge")
        }
        try requireOneRun(parts, names: parts.map { "shard \($0.shard)" })
        for part in parts.dropFirst() {
            result.patches.inShard += part.patches.inShard
            result.patches.written += part.patches.written
            result.patches.resumed += part.patches.resumed
            result.patches.padded += part.patches.padded
            for i in result.perLevel.indices { result.perLevel[i].written += part.perLevel[i].written }
            if var lesions = result.lesions, let other = part.lesions {
                for i in lesions.table.indices {
                    lesions.table[i].patchesContaining += other.table[i].patchesContaining
                    lesions.table[i].patchesTouching += other.table[i].patchesTouching
                }
                result.lesions = lesions
            }
        }
        guard result.patches.inShard == result.patches.planned else {
            throw ScaleTileError(.invalidInput, result.source, "the shards hold \(result.patches.inShard) of the \(result.patches.planned) planned patches: a shard is missing or was given twice")
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

extension StackPyramidSummary: MergeableSummary {
    public static let command = "pyramid"

    /// Pyramids are not split: a sharded preset run builds each input's pyramid in one shard.
    public var shard: String { Shard.whole.description }

    public var runIdentity: StackPyramidSummary { self }

    public static func merged(_ parts: [StackPyramidSummary]) throws -> StackPyramidSummary {
        guard parts.count == 1 else {
            throw ScaleTileError(.invalidInput, parts.first?.source, "\(parts.count) shards built this pyramid; each pyramid is built by one shard")
        }
        return parts[0]
    }
}
