import ScaleTileCore

extension TileSummary {
    /// The summary of a stack or volume run: the common part, the stack's size, channels,
    /// spacing, patch and padding, and its mask's lesions with the patches holding each.
    init(job: StackTileJob, prepared: StackTileJob.Prepared, work: [PlannedWindow], outcomes: [PatchOutcome]) {
        let o = job.options
        kind = Self.stackKind
        source = job.source
        mask = job.mask
        dataType = prepared.pixelType.rawValue
        format = o.format.rawValue
        edge = o.edge.rawValue
        levels = prepared.levels.map(\.index)
        shard = o.shard.description
        overlap = .voxels(prepared.overlap)
        let size = prepared.volumeSize
        volumeSize = [size.width, size.height, size.depth]
        channels = prepared.channels.map { $0 + 1 }
        valueScaling = prepared.valueScaling
        scalingApplied = prepared.valueScaling != nil || prepared.appliesScaling ? prepared.appliesScaling : nil
        spacing = prepared.spacing
        patch = [prepared.patch.width, prepared.patch.height, prepared.patch.depth]
        patchMillimetres = o.patchMillimetres.map { [$0.x, $0.y, $0.z] }
        padding = o.padding.rawValue
        padValue = o.padValue
        scaleDepth = o.scaleDepth
        imageResampling = o.imageResampling.rawValue
        maskResampling = prepared.hasMask ? o.maskResampling.rawValue : nil
        if o.layout != .folder { layout = o.layout.rawValue }
        let entries = outcomes.map(\.entry)
        patches = Counts(planned: prepared.plan.count, inShard: work.count, written: outcomes.count(where: \.isWritten),
                         resumed: outcomes.count { !$0.isWritten }, padded: entries.count { $0.padded == true })
        perLevel = prepared.levels.map { level -> LevelCounts in
            let levelSize = level.size(of: size)
            let grid = try? TileGrid(size: levelSize, tile: prepared.patch, overlap: prepared.overlap, edge: o.edge)
            return LevelCounts(level: level.index, scale: level.scale, levelSize: [levelSize.width, levelSize.height, levelSize.depth],
                               spacing: prepared.spacing.scaled(xy: level.factor, z: level.depthFactor),
                               grid: [grid?.counts.columns ?? 0, grid?.counts.rows ?? 0, grid?.counts.slices ?? 0],
                               planned: prepared.plan.count { $0.level == level.index },
                               written: entries.count { $0.level == level.index })
        }
        if let request = o.sampling, let plan = prepared.sampling {
            var alpha: Double?, minPerObject: Int?
            if case let .objectBalanced(a, k) = request.strategy { (alpha, minPerObject) = (a, k) }
            sampling = Sampling(strategy: request.weightMap != nil ? "weighted" : request.strategy.name, count: request.count, alpha: alpha, minPerObject: minPerObject,
                                seed: o.seed, tissue: request.tissueDescription, minTissueShare: request.minTissueShare,
                                negativesRequested: plan.negativesRequested, negativesPlaced: plan.negativesPlaced,
                                uncontainedLesions: plan.uncontainedTargetIDs)
        }
        // The fit is over the whole plan: every shard reports it, and a merge keeps it.
        let weightFit = prepared.sampling?.weightFit
        defer {
            if let weightFit {
                if audit == nil { audit = ScaleAudit(targets: [], windows: work) }
                audit?.weightFit = weightFit
            }
        }
        guard prepared.hasMask else { return }
        let lesions = prepared.lesions.lesions
        var containing = [Int](repeating: 0, count: lesions.count)
        var touching = [Int](repeating: 0, count: lesions.count)
        // Every planned patch of this run is written or kept, so `work` is what the folder holds.
        for window in work {
            for i in prepared.lesions.lesions(containedIn: window.window) { containing[i] += 1 }
            for i in prepared.lesions.lesions(intersecting: window.window) { touching[i] += 1 }
        }
        let targets = lesions.map(\.samplingTarget)
        self.lesions = LesionSummary(
            count: lesions.count, voxels: lesions.reduce(0) { $0 + $1.voxels },
            connectivity: "\(o.connectivity.neighbourCount(isPlanar: size.depth == 1))-connected",
            byLabel: lesions.reduce(into: [:]) { $0[String($1.label), default: 0] += 1 },
            buckets: BucketCounts(targets: targets),
            classWeights: try? ClassWeights(targets: targets, beta: o.classWeightBeta),
            containedInSomePatch: containing.count { $0 > 0 }, neverWhole: containing.count { $0 == 0 },
            table: lesions.indices.map { i in
                let lesion = lesions[i]
                return LesionRecord(id: lesion.id, label: lesion.label, voxels: lesion.voxels, bbox: lesion.bbox,
                                    equivalentDiameter: (lesion.equivalentDiameter * 1e6).rounded() / 1e6,
                                    patchesContaining: containing[i], patchesTouching: touching[i])
            })
        audit = ScaleAudit(targets: targets, windows: work, coverageK: Self.coverageK(of: o.sampling?.strategy))
    }
}
