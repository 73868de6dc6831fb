import ScaleTileCore
import ScaleTileMedical

/// `summary.json` of a stack patching or sampling run: the grid or the sampler, what was
/// written, the lesions and how the patches hold them (DESIGN.md §3, §4).
///
/// Holds no timings, so two runs with the same inputs and options write identical summaries.
/// Lesion counts and the audit are of this run's patches, as the files in its folder show
/// them: for a shard, its slice of the plan; `scaletile merge` adds the shards' counts up and
/// derives the audit again (``ScaleAudit/merged(_:)``), which gives the unsharded run's figures.
public struct StackTileSummary: Hashable, Sendable, Codable {
    public var command = "tile"
    public var kind = "stack"
    public var source: String
    public var mask: String?
    /// `[width, height, depth]` of the stack.
    public var volumeSize: [Int]
    /// 1-based channels written.
    public var channels: [Int]
    public var dataType: String
    /// NIfTI's `scl_slope`/`scl_inter` of the source, when they change values.
    public var valueScaling: ValueScaling?
    /// Whether image patches hold the scaled values as Float32 (`--apply-scaling`); nil when
    /// the source has no scaling and none was asked for.
    public var scalingApplied: Bool?
    /// The level-0 voxel size.
    public var spacing: Spacing
    /// `[x, y, z]` voxels of a patch at every level.
    public var patch: [Int]
    /// `[x, y, z]` millimetres, when the patch was given with `--patch-mm`.
    public var patchMillimetres: [Double]?
    /// `[x, y, z]` voxels shared by neighbouring patches.
    public var overlap: [Int]
    public var edge: String
    public var padding: String
    public var padValue: Double
    public var format: String
    public var levels: [Int]
    public var scaleDepth: Bool
    public var imageResampling: String
    public var maskResampling: String?
    /// `K/N`.
    public var shard: String
    public var patches: Counts
    public var perLevel: [LevelCounts]
    /// The sampler and what it could not do, for `scaletile sample`.
    public var sampling: Sampling?
    /// The mask's lesions and how many patches hold each (with a mask).
    public var lesions: LesionSummary?
    /// The scale audit of the written patches against the lesions (with a mask): containment,
    /// bias R, k-coverage, bucket balance, size slope, histograms before and after.
    public var audit: ScaleAudit?

    /// A sampling run's request and its shortfalls.
    public struct Sampling: Hashable, Sendable, Codable {
        public var strategy: String
        /// Positive patches asked for (`posneg`: all patches).
        public var count: Int
        /// object-balanced: α and the least patches per lesion.
        public var alpha: Double?
        public var minPerObject: Int?
        public var seed: UInt64
        /// Where negatives may lie: `anywhere`, `image above V` or `mask PATH`.
        public var tissue: String
        /// The least share of a negative's voxels that is tissue.
        public var minTissueShare: Double
        public var negativesRequested: Int
        public var negativesPlaced: Int
        /// Lesions larger than a patch at every level: their patches show only part of them.
        public var uncontainedLesions: [String]
    }

    public struct Counts: Hashable, Sendable, Codable {
        /// Windows in the whole plan (all shards).
        public var planned: Int
        /// Windows of this shard.
        public var inShard: Int
        /// Patches written by this run.
        public var written: Int
        /// Complete patches a previous run left, kept (`--resume`).
        public var resumed: Int
        /// Patches of this shard that overhang the stack and were padded.
        public var padded: Int
    }

    public struct LevelCounts: Hashable, Sendable, Codable {
        public var level: Int
        public var scale: Double
        /// `[width, height, depth]` of the level's grid.
        public var levelSize: [Int]
        /// The voxel size at the level.
        public var spacing: Spacing
        /// `[columns, rows, slices]` of patches.
        public var grid: [Int]
        public var planned: Int
        /// Written or kept in this shard.
        public var written: Int
    }

    /// The lesions of the mask, in the whole plan's patches.
    public struct LesionSummary: Hashable, Sendable, Codable {
        /// Connected components of the mask.
        public var count: Int
        /// Their voxels.
        public var voxels: Int
        /// `"26-connected"` and so on.
        public var connectivity: String
        /// How many lesions carry each label value.
        public var byLabel: [String: Int]
        /// Lesions per COCO size bucket (by voxel count).
        public var buckets: BucketCounts
        /// Loss weights per label value: inverse frequency and effective number of lesions.
        public var classWeights: ClassWeights?
        /// Lesions wholly inside at least one patch.
        public var containedInSomePatch: Int
        /// Lesions no patch holds whole (larger than a patch, or cut by every patch).
        public var neverWhole: Int
        /// One record per lesion.
        public var table: [LesionRecord]
    }

    /// One lesion and the patches that hold it.
    public struct LesionRecord: Hashable, Sendable, Codable {
        public var id: Int
        public var label: Int
        public var voxels: Int
        public var bbox: Window
        public var equivalentDiameter: Double
        /// Patches of this run holding its bounding box whole.
        public var patchesContaining: Int
        /// Patches of this run meeting its bounding box.
        public var patchesTouching: Int
    }

    init(job: StackTileJob, prepared: StackTileJob.Prepared, work: [PlannedWindow], outcomes: [PatchOutcome]) {
        let o = job.options
        source = job.source
        mask = job.mask
        let size = prepared.volumeSize
        volumeSize = [size.width, size.height, size.depth]
        channels = prepared.channels.map { $0 + 1 }
        dataType = prepared.pixelType.rawValue
        valueScaling = prepared.valueScaling
        scalingApplied = prepared.valueScaling != nil || prepared.appliesScaling ? prepared.appliesScaling : nil
        spacing = prepared.spacing
        patch = [prepared.patch.width, prepared.patch.height, prepared.patch.depth]
        patchMillimetres = o.patchMillimetres.map { [$0.x, $0.y, $0.z] }
        overlap = [prepared.overlap.width, prepared.overlap.height, prepared.overlap.depth]
        edge = o.edge.rawValue
        padding = o.padding.rawValue
        padValue = o.padValue
        format = o.format.rawValue
        levels = prepared.levels.map(\.index)
        scaleDepth = o.scaleDepth
        imageResampling = o.imageResampling.rawValue
        maskResampling = prepared.hasMask ? o.maskResampling.rawValue : nil
        shard = o.shard.description
        let entries = outcomes.map(\.entry)
        patches = Counts(planned: prepared.plan.count, inShard: work.count, written: outcomes.count(where: \.isWritten),
                         resumed: outcomes.count { !$0.isWritten }, padded: entries.count { $0.padded == true })
        perLevel = prepared.levels.map { level in
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
        audit = ScaleAudit(targets: targets, windows: work, coverageK: Self.coverageK(of: o.sampling))
    }

    /// The k of `--min-per-object k`, the coverage a sampling run promises, when above 0.
    static func coverageK(of sampling: StackSampling?) -> Int? {
        guard case let .objectBalanced(_, k)? = sampling?.strategy, k > 0 else { return nil }
        return k
    }
}
