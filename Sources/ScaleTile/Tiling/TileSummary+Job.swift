import ScaleTileCore

extension TileSummary {
    /// The common part of a run's summary; the source's kind adds its own
    /// (``WindowReading/describe(_:prepared:work:outcomes:options:)``).
    init(job: TileJob, prepared: TileJob.Prepared, work: [PlannedWindow], outcomes: [TileOutcome]) {
        let o = job.options
        kind = prepared.isStack ? Self.stackKind : nil
        source = job.source
        dataType = prepared.pixelType.rawValue
        format = o.format(stacks: prepared.isStack).rawValue
        edge = o.edge.rawValue
        levels = prepared.levels.map(\.index)
        shard = o.shard.description
        overlap = prepared.isStack ? .voxels(prepared.overlap) : .pixels(prepared.overlap.width)
        perLevel = []
        if o.layout != .folder { layout = o.layout.rawValue }
        context = ContextSummary(options: o, work: work, outcomes: outcomes)
    }
}
