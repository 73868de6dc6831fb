import Foundation
import ScaleTileCore

/// `scaletile split OUT --split …`: splits a finished scene output without reading a pixel.
///
/// The windows are those of the manifest; the objects are re-read from the run's label file
/// (its geometry only, against the scene's metadata). Windows straddling two splits are
/// dropped (not shifted: their pixels are not read again), and for YOLO layouts windows
/// holding an ignore region too. `manifest.jsonl` and `summary.json` are rewritten atomically
/// in place; the layout is arranged inside OUT by hard links from `tiles/`. Nothing is
/// written before every check has passed.
public struct SplitJob: Sendable {
    /// The finished output folder.
    public let output: String
    public var split: SplitOptions
    public var layout: OutputLayout = .folder
    public var yoloIgnore: YOLOIgnore = .drop
    /// YOLO layouts: segmentation lines from the label file's outlines (`--yolo-segments`).
    public var yoloSegments = false
    public var seed: UInt64 = 0
    /// WebDataset layouts: samples per tar shard.
    public var samplesPerShard = OutputLayout.defaultSamplesPerShard

    public init(output: String, split: SplitOptions) {
        self.output = output
        self.split = split
    }

    /// Splits the folder and returns its new summary.
    @discardableResult
    public func run() throws -> TileSummary {
        try split.validate()
        if split.by == .source {
            throw ScaleTileError(.unsupported, "--split-by", "source splits whole inputs, and `split` re-splits one scene's output: split by source when running the inputs (scaletile run, split.by: source)")
        }
        if layout == .monai {
            throw ScaleTileError(.unsupported, "--layout", "monai lists image/mask pairs, whose masks mark the ignore regions of their split: tile with --split --mask-tiles --layout monai")
        }
        if yoloIgnore == .fill {
            throw ScaleTileError(.unsupported, "--yolo-ignore", "fill rewrites pixels, which `split` never reads: use drop")
        }
        if yoloSegments, layout != .yolo {
            throw ScaleTileError.argument("--yolo-segments", "shapes YOLO labels: give --layout yolo")
        }
        let folder = OutputFolder(path: output)
        guard folder.hasFile("manifest.jsonl"), folder.hasFile("summary.json"),
              let data = FileManager.default.contents(atPath: folder.file("summary.json")) else {
            throw ScaleTileError(.invalidInput, output, "is not a ScaleTile output folder (no manifest.jsonl and summary.json)")
        }
        var summary: TileSummary
        do {
            summary = try StableJSON.decoder().decode(TileSummary.self, from: data)
        } catch {
            if (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["command"] != nil {
                throw ScaleTileError(.unsupported, folder.file("summary.json"), "only scene tiling and sampling outputs can be split so far")
            }
            throw ScaleTileError(.invalidInput, folder.file("summary.json"), "is not a ScaleTile summary")
        }
        guard !summary.isStack, let size = summary.sceneSize, size.count == 2, let tileSize = summary.tileSize,
              case .pixels(let overlap) = summary.overlap else {
            throw ScaleTileError(.unsupported, folder.file("summary.json"), "only scene tiling and sampling outputs can be split so far")
        }
        if summary.shard != Shard.whole.description {
            throw ScaleTileError(.invalidInput, output, "holds shard \(summary.shard) of a run: merge the shards first (scaletile merge)")
        }
        if layout.needsLabels && summary.labels == nil {
            throw ScaleTileError.argument("--layout", "\(layout.rawValue) holds labels, and this run had none")
        }
        // Sizes from the summary drive the block grid: bounded as a scene GDAL opens, and the
        // tile as a window of it.
        guard size.allSatisfy({ (1...Int(Int32.max)).contains($0) }), (1...Int(Int32.max)).contains(tileSize),
              (0..<tileSize).contains(overlap) else {
            throw ScaleTileError(.invalidInput, folder.file("summary.json"), "has sceneSize \(size), tileSize \(tileSize) and overlap \(overlap), which no run writes")
        }
        var entries = try folder.readManifest()
        if entries.contains(where: { $0.mask != nil }) {
            // A mask tile marks the objects of other splits with 255; a new split would leave them stale.
            throw ScaleTileError(.unsupported, output, "holds mask tiles, whose ignore values belong to the split they were written with: tile again with --split and --mask-tiles")
        }
        // A window is a tile of its level: at most the tile size scaled to level 0, and touching
        // the scene. Anything else is an edited manifest, and would make the block grid unbounded.
        let scene = Window(x: 0, y: 0, width: size[0], height: size[1])
        for (i, entry) in entries.enumerated() {
            let w = entry.window.window, limit = tileSize << Swift.max(0, entry.level)
            guard w.width <= limit, w.height <= limit, w.intersection(scene) != nil else {
                throw ScaleTileError(.invalidInput, folder.file("manifest.jsonl"), "line \(i + 1): entry \(entry.id): window \(w) is not a level-\(entry.level) tile of the \(size[0])x\(size[1]) scene")
            }
        }
        // Objects from the label file, as the run read them: their whole boxes place them in blocks.
        var objects: SceneObjects?
        if let labels = summary.labels {
            let set = try LabelFiles.load(labels.path, image: summary.source)
            objects = SceneObjects(labels: set, minVisibleFraction: labels.minVisibleFraction, tileSize: tileSize)
        }
        let sceneSize = RasterSize(width: size[0], height: size[1])
        let planned = entries.map { PlannedWindow(id: $0.id, level: $0.level, window: $0.window.window, reason: $0.reason, targetID: $0.target) }
        // Context tiles are pixels of their window: their footprints stay in one split too.
        let context: ContextLevels?
        do {
            context = try summary.context.map { try ContextLevels($0.levels) }
        } catch let error as ScaleTileError {
            throw ScaleTileError(.invalidInput, folder.file("summary.json"), "context levels \(summary.context?.levels ?? []): \(error.message)")
        }
        let gridBlock = SplitBlockGrid.defaultSize(tileSize: tileSize, overlap: overlap, coarsestLevel: summary.levels.max() ?? 0)
        let blockSize = split.blockSize ?? context.map { $0.splitBlockSize(tileSize: tileSize, gridDefault: gridBlock) } ?? gridBlock
        let plan = SplitPlan(windows: planned, objects: objects?.targets ?? [], sourceSize: sceneSize, shares: split.shares,
                             blockSize: blockSize, seed: seed, shift: false, context: context)
        var kept: [ManifestEntry] = []
        var droppedForIgnore = 0
        for var entry in entries {
            guard let home = plan.windowSplits[entry.id] else { continue }
            entry.split = home
            if let objects, entry.objects != nil {
                // From the label set, as the run clipped them: an earlier split's choices do not matter.
                let (positives, ignore) = objects.manifestObjects(in: entry.window.window, level: Level(entry.level),
                                                                  isOwn: { plan.objectSplits[$0] == home })
                entry.objects = positives
                entry.ignore = ignore.isEmpty ? nil : ignore
            }
            if layout == .yolo, yoloIgnore == .drop, entry.ignore != nil {
                droppedForIgnore += 1
                continue
            }
            // Layouts link from the tiles the run wrote, wherever an earlier layout pointed.
            let original = "tiles/L\(entry.level)/" + (entry.path as NSString).lastPathComponent
            if entry.path != original, folder.hasFile(original) { entry.path = original }
            kept.append(entry)
        }
        for name in split.shares.names where !kept.contains(where: { $0.split == name }) {
            throw ScaleTileError(.invalidInput, output, "the \(name.rawValue) split is left with no window (\(kept.count) windows in blocks of \(blockSize) px): give a smaller --split-block or a larger share")
        }
        // Every check passed: from here on, write.
        for name in ["images", "annotations", "data.yaml", "datalist.json", "shards", "labels/train", "labels/val", "labels/test"] {
            try folder.remove([name])
        }
        entries = kept
        if layout != .folder {
            var arrangement = TrainingLayout(layout: layout, classNames: objects?.labels.classNames ?? [])
            if let objects { arrangement.slivers = { objects.slivers(in: $0.window.window, level: Level($0.level)) } }
            if yoloSegments, let objects { arrangement.segments = { try objects.segments(in: $0.window.window, level: Level($0.level)) } }
            arrangement.samplesPerShard = samplesPerShard
            entries = try arrangement.arrange(entries, in: folder)
        }
        let buckets = Dictionary((objects?.targets ?? []).map { ($0.id, SizeBucket($0)) }, uniquingKeysWith: { a, _ in a })
        summary.split = SplitSummary(entries: entries, buckets: buckets, shares: split.shares, by: split.by, blockSize: blockSize,
                                     seed: seed, beta: summary.labels?.classWeights?.beta ?? ClassWeights.defaultBeta,
                                     windowsDropped: plan.dropped, windowsShifted: 0, windowsDroppedForIgnore: droppedForIgnore)
        summary.layout = layout == .folder ? nil : layout.rawValue
        try folder.writeManifest(entries)
        try folder.writeDocument(summary, to: "summary.json")
        return summary
    }
}
