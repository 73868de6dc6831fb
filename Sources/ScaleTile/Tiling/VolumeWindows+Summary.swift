import ScaleTileCore

extension VolumeWindows {
    /// A stack's part of the summary: its size, channels, spacing, patch and padding, the
    /// sampler, and its mask's lesions with the patches holding each and their audit.
    func describe(_ s: inout TileSummary, prepared: TileJob.Prepared, work: [PlannedWindow], outcomes: [TileOutcome],
                  options o: TileOptions) {
        let size = self.size
        s.mask = mask
        s.volumeSize = [size.width, size.height, size.depth]
        s.channels = channels.map { $0 + 1 }
        s.valueScaling = valueScaling
        s.scalingApplied = valueScaling != nil || appliesScaling ? appliesScaling : nil
        s.spacing = spacing
        s.patch = [window.width, window.height, window.depth]
        s.patchMillimetres = o.windowMillimetres.map { [$0.x, $0.y, $0.z] }
        s.padding = o.padding.rawValue
        s.padValue = o.padValue
        s.scaleDepth = o.scaleDepth
        s.imageResampling = o.resampling.rawValue
        s.maskResampling = hasMask ? o.maskResampling.rawValue : nil
        let entries = outcomes.compactMap(\.entry)
        s.patches = TileSummary.Counts(planned: prepared.plan.count, inShard: work.count, written: outcomes.count(where: \.isWritten),
                         resumed: outcomes.count { !$0.isWritten }, padded: entries.count { $0.padded == true })
        s.perLevel = prepared.levels.map { level -> TileSummary.LevelCounts in
            let levelSize = level.size(of: size)
            let grid = try? TileGrid(size: levelSize, tile: window, overlap: prepared.overlap, edge: o.edge)
            return TileSummary.LevelCounts(level: level.index, scale: level.scale, levelSize: [levelSize.width, levelSize.height, levelSize.depth],
                               spacing: spacing.scaled(xy: level.factor, z: level.depthFactor),
                               grid: [grid?.counts.columns ?? 0, grid?.counts.rows ?? 0, grid?.counts.slices ?? 0],
                               planned: prepared.plan.count { $0.level == level.index },
                               written: entries.count { $0.level == level.index })
        }
        if let request = o.sampling, let plan = prepared.sampling {
            var alpha: Double?, minPerObject: Int?
            if case let .objectBalanced(a, k) = request.strategy { (alpha, minPerObject) = (a, k) }
            s.sampling = TileSummary.Sampling(strategy: request.weightMap != nil ? "weighted" : request.strategy.name, count: request.count, alpha: alpha, minPerObject: minPerObject,
                                seed: o.seed, tissue: request.tissueDescription, minTissueShare: request.minTissueShare,
                                negativesRequested: plan.negativesRequested, negativesPlaced: plan.negativesPlaced,
                                uncontainedLesions: plan.uncontainedTargetIDs)
        }
        // The fit is over the whole plan: every shard reports it, and a merge keeps it.
        let weightFit = prepared.sampling?.weightFit
        defer {
            if let weightFit {
                if s.audit == nil { s.audit = ScaleAudit(targets: [], windows: work) }
                s.audit?.weightFit = weightFit
            }
        }
        guard hasMask else { return }
        let lesions = self.lesions.lesions
        var containing = [Int](repeating: 0, count: lesions.count)
        var touching = [Int](repeating: 0, count: lesions.count)
        // Every planned patch of this run is written or kept, so `work` is what the folder holds.
        for window in work {
            for i in self.lesions.lesions(containedIn: window.window) { containing[i] += 1 }
            for i in self.lesions.lesions(intersecting: window.window) { touching[i] += 1 }
        }
        let targets = lesions.map(\.samplingTarget)
        s.lesions = TileSummary.LesionSummary(
            count: lesions.count, voxels: lesions.reduce(0) { $0 + $1.voxels },
            connectivity: "\(o.connectivity.neighbourCount(isPlanar: size.depth == 1))-connected",
            byLabel: lesions.reduce(into: [:]) { $0[String($1.label), default: 0] += 1 },
            buckets: BucketCounts(targets: targets),
            classWeights: try? ClassWeights(targets: targets, beta: o.classWeightBeta),
            containedInSomePatch: containing.count { $0 > 0 }, neverWhole: containing.count { $0 == 0 },
            table: lesions.indices.map { i in
                let lesion = lesions[i]
                return TileSummary.LesionRecord(id: lesion.id, label: lesion.label, voxels: lesion.voxels, bbox: lesion.bbox,
                                    equivalentDiameter: (lesion.equivalentDiameter * 1e6).rounded() / 1e6,
                                    patchesContaining: containing[i], patchesTouching: touching[i])
            })
        s.audit = ScaleAudit(targets: targets, windows: work, coverageK: TileSummary.coverageK(of: o.sampling?.strategy))
    }
}
