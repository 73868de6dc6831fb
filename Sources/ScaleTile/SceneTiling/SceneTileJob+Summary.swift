import ScaleTileCore

extension TileSummary {
    /// The summary of a scene run: the common part, the scene's size, bands and tile size, its
    /// labels, what `auto` chose, and per level where the pixels came from.
    init(job: SceneTileJob, prepared: SceneTileJob.Prepared, work: [PlannedWindow], outcomes: [TileOutcome]) {
        let o = job.options
        source = job.source
        dataType = prepared.pixelType.rawValue
        format = o.format.rawValue
        edge = o.edge.rawValue
        levels = prepared.levels.map(\.index)
        shard = o.shard.description
        overlap = .pixels(prepared.overlap)
        sceneSize = [prepared.sceneSize.width, prepared.sceneSize.height]
        bands = prepared.bands
        tileSize = o.tileSize
        maxNodataFraction = o.maxNodataFraction
        func count(_ match: (TileOutcome) -> Bool, level: Int? = nil) -> Int {
            zip(work, outcomes).filter { (level == nil || $0.0.level == level) && match($0.1) }.count
        }
        let isWritten: (TileOutcome) -> Bool = { if case .written = $0 { return true } else { return false } }
        let isResumed: (TileOutcome) -> Bool = { if case .resumed = $0 { return true } else { return false } }
        let isSkipped: (TileOutcome) -> Bool = { if case .skipped = $0 { return true } else { return false } }
        tiles = Counts(planned: prepared.plan.count, inShard: work.count, written: count(isWritten),
                       resumed: count(isResumed), skippedNodata: count(isSkipped))
        let written = zip(work, outcomes).filter { $0.1.entry != nil }.map(\.0)
        if let objects = prepared.objects, let labelOptions = o.labels {
            labels = Labels(path: labelOptions.path, objects: objects.targets.count, classes: objects.labels.objectCountsByClass,
                            classWeights: try? ClassWeights(targets: objects.targets, beta: o.classWeightBeta),
                            minVisibleFraction: labelOptions.minVisibleFraction,
                            exports: labelOptions.exports.map(\.rawValue).sorted(), warnings: prepared.labelWarnings)
            audit = ScaleAudit(targets: objects.targets, windows: written, sizeBand: o.objectSize,
                                  coverageK: TileSummary.coverageK(of: o.sampling?.strategy))
        }
        if let fit = prepared.sampling?.weightFit {
            // Computed over the whole plan, so every shard reports the same figure and a merge keeps it.
            if audit == nil { audit = ScaleAudit(targets: [], windows: written) }
            audit?.weightFit = fit
        }
        if let request = o.split, let plan = prepared.split {
            let buckets = Dictionary((prepared.objects?.targets ?? []).map { ($0.id, SizeBucket($0)) }, uniquingKeysWith: { a, _ in a })
            split = SplitSummary(entries: outcomes.compactMap(\.entry), buckets: buckets, shares: request.shares, by: request.by,
                                 blockSize: plan.blocks.size, seed: o.seed, beta: o.classWeightBeta, windowsDropped: plan.dropped,
                                 windowsShifted: plan.shifted, windowsDroppedForIgnore: prepared.droppedForIgnore)
        }
        if o.layout != .folder { layout = o.layout.rawValue }
        if prepared.scaleChoices.overlap != nil || prepared.scaleChoices.levels != nil { scale = prepared.scaleChoices }
        if let request = o.sampling, let plan = prepared.sampling {
            sampling = Sampling(strategy: request.strategyName, count: request.count, seed: o.seed,
                                negativesRequested: plan.negativesRequested, negativesPlaced: plan.negativesPlaced,
                                uncontainedObjects: plan.uncontainedTargetIDs)
        }
        perLevel = prepared.levels.map { level -> LevelCounts in
            let size = level.size(of: prepared.sceneSize)
            // Magnified levels hold zoom-in windows, not a grid.
            let grid = level.isMagnified ? nil : try? TileGrid(width: size.width, height: size.height, tileSize: o.tileSize, overlap: prepared.overlap, edge: o.edge)
            return LevelCounts(level: level.index, scale: level.scale, levelSize: [size.width, size.height],
                               grid: [grid?.counts.columns ?? 0, grid?.counts.rows ?? 0],
                               source: (prepared.levelSources[level.index] ?? .scene).summaryName,
                               planned: prepared.plan.filter { $0.level == level.index }.count,
                               written: count({ isWritten($0) || isResumed($0) }, level: level.index),
                               skippedNodata: count(isSkipped, level: level.index))
        }
    }
}
