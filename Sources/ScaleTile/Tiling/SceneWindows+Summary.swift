import ScaleTileCore

extension SceneWindows {
    /// A scene's part of the summary: its size, bands and tile size, its labels and their audit,
    /// what `auto` chose, the split, and per level where the pixels came from.
    func describe(_ s: inout TileSummary, prepared: TileJob.Prepared, work: [PlannedWindow], outcomes: [TileOutcome],
                  options o: TileOptions) {
        s.sceneSize = [size.width, size.height]
        s.bands = bands
        s.tileSize = o.tileSize
        s.maxNodataFraction = o.maxNodataFraction
        func count(_ match: (TileOutcome) -> Bool, level: Int? = nil) -> Int {
            zip(work, outcomes).filter { (level == nil || $0.0.level == level) && match($0.1) }.count
        }
        s.context?.sources = contextSources(of: prepared.plan)  // the whole plan's, alike in every shard
        s.tiles = TileSummary.Counts(planned: prepared.plan.count, inShard: work.count, written: count(\.isWritten),
                                     resumed: count(\.isResumed), skippedNodata: count(\.isSkipped))
        let written = zip(work, outcomes).filter { $0.1.entry != nil }.map(\.0)
        if let objects, let labelOptions = o.labels {
            s.labels = TileSummary.Labels(path: labelOptions.path, objects: objects.targets.count, classes: objects.labels.objectCountsByClass,
                            classWeights: try? ClassWeights(targets: objects.targets, beta: o.classWeightBeta),
                            minVisibleFraction: labelOptions.minVisibleFraction,
                            exports: labelOptions.exports.map(\.rawValue).sorted(), warnings: labelWarnings)
            s.audit = ScaleAudit(targets: objects.targets, windows: written, sizeBand: o.objectSize,
                                  coverageK: TileSummary.coverageK(of: o.sampling?.strategy))
        }
        if let fit = prepared.sampling?.weightFit {
            // Computed over the whole plan, so every shard reports the same figure and a merge keeps it.
            if s.audit == nil { s.audit = ScaleAudit(targets: [], windows: written) }
            s.audit?.weightFit = fit
        }
        if let request = o.split, let plan = prepared.split {
            let buckets = Dictionary((objects?.targets ?? []).map { ($0.id, SizeBucket($0)) }, uniquingKeysWith: { a, _ in a })
            s.split = SplitSummary(entries: outcomes.compactMap(\.entry), buckets: buckets, shares: request.shares, by: request.by,
                                 blockSize: plan.blocks.size, seed: o.seed, beta: o.classWeightBeta, windowsDropped: plan.dropped,
                                 windowsShifted: plan.shifted, windowsDroppedForIgnore: prepared.droppedForIgnore)
        }
        if prepared.scaleChoices.overlap != nil || prepared.scaleChoices.levels != nil { s.scale = prepared.scaleChoices }
        if let request = o.sampling, let plan = prepared.sampling {
            s.sampling = TileSummary.Sampling(strategy: request.strategyName, count: request.count, seed: o.seed,
                                negativesRequested: plan.negativesRequested, negativesPlaced: plan.negativesPlaced,
                                uncontainedObjects: plan.uncontainedTargetIDs)
        }
        s.perLevel = prepared.levels.map { level -> TileSummary.LevelCounts in
            let size = level.size(of: size)
            // Magnified levels hold zoom-in windows, not a grid.
            let grid = level.isMagnified ? nil : try? TileGrid(width: size.width, height: size.height, tileSize: o.tileSize, overlap: prepared.overlap.width, edge: o.edge)
            return TileSummary.LevelCounts(level: level.index, scale: level.scale, levelSize: [size.width, size.height],
                               grid: [grid?.counts.columns ?? 0, grid?.counts.rows ?? 0],
                               source: (levelSources[level.index] ?? .scene).summaryName,
                               planned: prepared.plan.filter { $0.level == level.index }.count,
                               written: count({ $0.isWritten || $0.isResumed }, level: level.index),
                               skippedNodata: count(\.isSkipped, level: level.index))
        }
    }
}
