import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileMedical

extension ScaleTileCommand {
    /// `scaletile tile SOURCE --out DIR [options]`: scenes and stacks alike.
    struct Tile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut a scene into overlapping tiles, or a stack (and its mask) into overlapping patches.",
            discussion: """
            A TIFF is a stack when its ImageJ or OME metadata or its pages say it has several slices; \
            anything else is a scene read through GDAL (--as overrides). Scenes: tiles keep their \
            georeferencing; manifest.jsonl lists them (window in level-0 pixels, level, bounds, nodata \
            share), summary.json counts them and index.geojson holds their footprints. Stacks: patches \
            (--patch XxYxZ voxels, depth 1 for 2-D patches per slice, or --patch-mm) with their mask \
            patches; manifest.jsonl gives each patch's window in level-0 voxels, spacing and the \
            lesions it meets; summary.json the grid, the lesions and the scale audit.
            """)

        @Argument(help: "The scene (any raster GDAL reads) or the stack (a multi-page TIFF, ImageJ or OME).")
        var source: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var grid: GridOptions
        @OptionGroup var input: InputKindOption
        @OptionGroup(title: "Stacks") var stack: StackPatchOptions
        @OptionGroup(title: "Scene labels") var labelling: LabelOptions

        @Option(help: "Scenes: bands in output order, 1-based (e.g. 3,2,1); default all.")
        var bands: String?

        @Option(help: "Scenes: nodata value overriding the file's.")
        var nodata: Double?

        @Option(name: .customLong("max-nodata"), help: "Scenes: skip tiles whose nodata share exceeds this fraction (0–1).")
        var maxNodata: Double?

        @Option(help: ArgumentHelp("Scenes: linear stretch to 8 bits for png/jpeg tiles of 16-bit or float data.", valueName: "MIN:MAX"))
        var rescale: String?

        @Option(help: ArgumentHelp("Scenes: percentile stretch to 8 bits per band for png/jpeg tiles.", valueName: "LOW,HIGH"))
        var stretch: String?

        @Flag(name: .customLong("exact-levels"), help: "Scenes: compute levels above 0 from full resolution even when the file has overviews of the right size.")
        var exactLevels = false

        func run() throws {
            try reportingFailures {
                if try SourceKind.of(source, as: input.kind) == .stack {
                    try runStack()
                } else {
                    try runScene()
                }
            }
        }

        // MARK: - Scenes

        func runScene() throws {
            if let option = stack.givenOption {
                throw ScaleTileError(.invalidArgument, source, "\(option) is for stacks, and this is a scene (pass --as stack to read a TIFF as a stack)")
            }
            let options = try sceneOptions()
            let job = SceneTileJob(source: source, output: output.out, options: options)
            if output.dryRun {
                try printPlan(try job.prepare())
                return
            }
            let progress = TerminalProgress.make(label: "tiles", quiet: output.quiet)
            let start = Date()
            let summary = try job.run(progress: progress)
            progress?.finish()
            for warning in summary.labels?.warnings ?? [] { StandardError.write("warning: \(warning)\n") }
            if output.json {
                try StandardOutput.writeJSON(summary)
            } else if !output.quiet {
                let t = summary.tiles
                StandardError.write(String(format: "wrote %d tiles into %@ in %.1f s (%d kept from an earlier run, %d skipped for nodata)\n",
                                           t.written, output.out, Date().timeIntervalSince(start), t.resumed, t.skippedNodata))
                if let audit = summary.audit {
                    let whole = audit.targets.filter { $0.containmentCount == 0 }
                    if !whole.isEmpty {
                        let tooLarge = whole.filter { !$0.containable }.count
                        StandardError.write("warning: \(whole.count) objects are whole in no tile (\(tooLarge) larger than a tile at every level used): add levels, a larger tile or --overlap auto\n")
                    }
                    StandardError.write(audit.table())
                }
            }
        }

        func sceneOptions() throws -> SceneTileOptions {
            var o = SceneTileOptions()
            o.tileSize = grid.tileSize
            if grid.overlap?.lowercased() == "auto" {
                o.overlapIsAuto = true
            } else {
                o.overlap = try Tile.scalarOverlap(grid.overlap ?? "64")
            }
            o.labels = try labelling.sceneLabels()
            o.classWeightBeta = labelling.beta
            o.objectSize = try labelling.band()
            o.zoomIn = labelling.zoomIn
            o.seed = grid.seed
            o.edge = grid.edge
            o.levels = grid.levels
            o.bands = try bands.map(bandList)
            o.format = grid.format ?? .gtiff
            o.creationOptions = try creationOptions(grid.creationOptions)
            if let threads = grid.threads { o.threads = threads }
            o.maxMemory = try grid.memoryBudget()
            o.nodata = nodata
            o.maxNodataFraction = maxNodata
            o.rescale = try rescale.map { try numberRange($0, option: "--rescale") }
            if let stretch {
                let p = stretch.split(separator: ",").compactMap { Double($0) }
                guard p.count == 2 else { throw ScaleTileError.argument("--stretch", "'\(stretch)' is not LOW,HIGH percentiles such as 2,98") }
                o.stretchPercentiles = (p[0], p[1])
            }
            o.resampling = grid.resampling
            o.useSourceOverviews = !exactLevels
            o.existingOutput = output.existingOutput
            o.shard = output.shard ?? .whole
            try o.validate()
            return o
        }

        /// Scenes share one overlap for X and Y: `N`, or `NxN`.
        static func scalarOverlap(_ text: String) throws -> Int {
            let parts = text.lowercased().split(separator: "x").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                throw ScaleTileError.argument("--overlap", "'\(text)' is not a number of pixels")
            }
            guard Set(parts.map { $0! }).count == 1 else {
                throw ScaleTileError.argument("--overlap", "scenes take one overlap for X and Y, got \(text)")
            }
            return parts[0]!
        }

        func printPlan(_ prepared: SceneTileJob.Prepared) throws {
            try PlanReport(prepared: prepared).print(json: output.json)
        }

        // MARK: - Stacks

        func runStack() throws {
            let sceneOnly: [(String, Bool)] = [("--bands", bands != nil), ("--nodata", nodata != nil), ("--max-nodata", maxNodata != nil),
                                               ("--rescale", rescale != nil), ("--stretch", stretch != nil),
                                               ("--exact-levels", exactLevels), ("--co", !grid.creationOptions.isEmpty)]
            if let (option, _) = sceneOnly.first(where: { $0.1 }) {
                throw ScaleTileError(.invalidArgument, source, "\(option) is for scenes, and this is a stack (pass --as scene to read it through GDAL)")
            }
            let mask = try labelling.stackMask(stack.mask, source: source)
            let job = StackTileJob(source: source, mask: mask, output: output.out, options: try stackOptions())
            if output.dryRun {
                try printPlan(try job.prepare())
                return
            }
            let progress = TerminalProgress.make(label: "patches", quiet: output.quiet)
            let start = Date()
            let summary = try job.run(progress: progress)
            progress?.finish()
            if output.json {
                try StandardOutput.writeJSON(summary)
            } else if !output.quiet {
                let p = summary.patches
                var text = String(format: "wrote %d patches%@ into %@ in %.1f s (%d kept from an earlier run, %d padded)\n",
                                  p.written, summary.mask == nil ? "" : " with their masks", output.out,
                                  Date().timeIntervalSince(start), p.resumed, p.padded)
                if let lesions = summary.lesions {
                    text += "lesions: \(lesions.count), \(lesions.containedInSomePatch) whole in some patch, \(lesions.neverWhole) in none\n"
                }
                StandardError.write(text)
            }
        }

        func stackOptions() throws -> StackTileOptions {
            var o = StackTileOptions()
            try stack.apply(to: &o)
            let planar = o.patch?.depth == 1
            switch grid.overlap?.lowercased() {
            case nil: break
            case "auto": o.automaticOverlap = true
            case let text?:
                let parts = try sizeParts(text, option: "--overlap", as: Int.self, allowed: [1, 2, 3])
                // One number is every axis of the patch; a 2-D patch has no Z to share.
                switch parts.count {
                case 1: o.overlap = RasterSize(width: parts[0], height: parts[0], depth: planar ? 0 : parts[0])
                case 2: o.overlap = RasterSize(width: parts[0], height: parts[1], depth: 0)
                default: o.overlap = RasterSize(width: parts[0], height: parts[1], depth: parts[2])
                }
            }
            o.edge = grid.edge
            o.levels = grid.levels
            o.format = grid.format ?? .tiff
            o.imageResampling = grid.resampling
            o.classWeightBeta = labelling.beta
            if let threads = grid.threads { o.threads = threads }
            o.maxMemory = try grid.memoryBudget()
            o.existingOutput = output.existingOutput
            o.shard = output.shard ?? .whole
            try o.validate()
            return o
        }

        func printPlan(_ prepared: StackTileJob.Prepared) throws {
            let work = prepared.plan[prepared.shardRange]
            if output.json {
                try StandardOutput.writeJSON(Array(work))
                return
            }
            let v = prepared.volumeSize, p = prepared.patch, o = prepared.overlap
            var lines = ["plan for \(source): \(v.width) x \(v.height) x \(v.depth) voxels, patches \(p.width) x \(p.height) x \(p.depth) sharing \(o.width) x \(o.height) x \(o.depth), \(work.count) of \(prepared.plan.count) patches in this shard"]
            for level in prepared.levels {
                let count = work.filter { $0.level == level.index }.count
                let size = level.size(of: v)
                lines.append("  level \(level.index) (scale 1/\(level.factor)\(level.scalesDepth ? " in X, Y and Z" : " in X and Y"), \(size.width) x \(size.height) x \(size.depth)): \(count) grid patches")
            }
            if prepared.hasMask {
                lines.append("  mask: \(prepared.lesions.lesions.count) lesions")
            }
            StandardOutput.write(lines.joined(separator: "\n") + "\n")
        }
    }
}

/// Options of `tile` that only stacks take.
struct StackPatchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Patch size in voxels: XxYxZ, or XxY for 2-D patches slice by slice.", valueName: "XxYxZ"))
    var patch: String?

    @Option(name: .customLong("patch-mm"), help: ArgumentHelp("Patch size in millimetres, converted with the stack's spacing (nearest voxel, at least 1).", valueName: "XxYxZ"))
    var patchMillimetres: String?

    @Option(help: "The mask stack (labels or lesions) of the image: same width, height and depth; patched with the same windows.")
    var mask: String?

    @Option(help: "Filling of image voxels past the stack's edge: constant (--pad-value), edge (replicate) or reflect (mirror, as numpy). Masks take 0.")
    var padding: Padding = .constant

    @Option(name: .customLong("pad-value"), help: "The value of constant padding.")
    var padValue: Double = 0

    @Flag(name: .customLong("scale-z"), help: "Levels downsample Z as well as X and Y (near-isotropic stacks).")
    var scaleZ = false

    @Option(help: "Channels in output order, 1-based (e.g. 2,1); default all.")
    var channels: String?

    @Option(name: .customLong("mask-resampling"), help: "Resampling of mask levels above 0: nearest or mode (X and Y only).")
    var maskResampling: Resampling = .nearest

    @Option(help: "Voxels forming one lesion: 6, 18 or 26 neighbours (4 or 8 in a plane).")
    var connectivity: Int = 26

    /// The first stack option given, for the error a scene gives.
    var givenOption: String? {
        let given: [(String, Bool)] = [("--patch", patch != nil), ("--patch-mm", patchMillimetres != nil), ("--mask", mask != nil),
                                       ("--padding", padding != .constant), ("--pad-value", padValue != 0), ("--scale-z", scaleZ),
                                       ("--channels", channels != nil)]
        return given.first { $0.1 }?.0
    }
}
