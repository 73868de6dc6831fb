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
        return identity
    }

    public static func merged(_ parts: [PresetRunSummary]) throws -> PresetRunSummary {
        guard var result = parts.first else {
            throw ScaleTileError(.invalidInput, nil, "no shard summaries to merge")
        }
        try requireOneRun(parts, names: parts.map { "shard \($0.shard)" })
        for part in parts.dropFirst() {
            for i in result.inputs.indices {
                result.inputs[i].inShard = try summedCount(result.inputs[i].inShard, part.inputs[i].inShard)
                result.inputs[i].written = try summedCount(result.inputs[i].written, part.inputs[i].written)
                result.inputs[i].resumed = try summedCount(result.inputs[i].resumed, part.inputs[i].resumed)
                result.inputs[i].skippedNodata = try summedCount(result.inputs[i].skippedNodata, part.inputs[i].skippedNodata)
            }
        }
        if let short = result.inputs.first(where: { $0.inShard != $0.planned }) {
            throw ScaleTileError(.invalidInput, nil, "the shards of \(short.source) hold \(short.inShard) of its \(short.planned) planned files: a shard is missing or was given twice")
        }
        result.totals = Counts(result.inputs)
        result.shard = Shard.whole.description
        return result
    }
}
