import ScaleTileCore

extension PresetRunSummary: MergeableSummary {
    public static let command = "run"

    public var runIdentity: PresetRunSummary {
        var identity = self
        identity.shard = ""
        for i in identity.inputs.indices {
            identity.inputs[i].inShard = 0
            identity.inputs[i].written = 0
            identity.inputs[i].resumed = 0
            identity.inputs[i].skippedNodata = 0
            identity.inputs[i].auditTargets = nil
        }
        identity.totals = Counts(identity.inputs)
        // A source split is one assignment for every shard; only the windows each shard wrote differ.
        if var split = identity.split {
            for i in split.sources.indices { split.sources[i].windows = 0 }
            for name in split.splits.keys { split.splits[name]!.windows = 0 }
            split.sourcesInTwoSplits = 0
            identity.split = split
        }
        return identity
    }

    public static func merged(_ parts: [PresetRunSummary]) throws -> PresetRunSummary {
        guard var result = parts.first else {
            throw ScaleTileError(.invalidInput, nil, "no shard summaries to merge")
        }
        try requireOneRun(parts, names: parts.map { "shard \($0.shard)" })
        for part in parts.dropFirst() {
            for i in result.inputs.indices {
                result.inputs[i].inShard += part.inputs[i].inShard
                result.inputs[i].written += part.inputs[i].written
                result.inputs[i].resumed += part.inputs[i].resumed
                result.inputs[i].skippedNodata += part.inputs[i].skippedNodata
            }
            if var split = result.split, let other = part.split {
                for i in split.sources.indices { split.sources[i].windows += other.sources[i].windows }
                for (name, counts) in other.splits { split.splits[name]?.windows += counts.windows }
                split.sourcesInTwoSplits += other.sourcesInTwoSplits
                result.split = split
            }
        }
        if let short = result.inputs.first(where: { $0.inShard != $0.planned }) {
            throw ScaleTileError(.invalidInput, short.source, "the shards hold \(short.inShard) of its \(short.planned) planned files: a shard is missing or was given twice")
        }
        result.totals = Counts(result.inputs)
        result.shard = Shard.whole.description
        return result
    }
}
