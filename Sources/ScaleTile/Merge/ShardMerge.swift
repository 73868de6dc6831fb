import Foundation
import ScaleTileCore

/// `scaletile merge OUT... --out DIR`: the output folders of a run's shards joined into the
/// folder the unsharded run writes — the same files at the same paths, byte for byte.
///
/// The shards are checked first: their summaries must be of one command, name shards K/N of one
/// N with every K exactly once, and agree on everything but their counts
/// (``MergeableSummary/runIdentity``). Then every tile is hard-linked (or copied) to its path,
/// the manifests are joined in shard order (which is plan order, shards being contiguous
/// slices), `index.geojson` is joined the same way, and the merged summary is written.
public struct ShardMerge: Sendable {
    /// The shards' output folders, in any order.
    public let shards: [String]
    /// The merged folder.
    public let output: String
    /// Copy every file instead of hard-linking (`--copy`).
    public var alwaysCopy = false
    /// What to do with an output folder that already holds a run (`refuse` or `overwrite`).
    public var existingOutput: OutputFolder.ExistingOutput = .refuse

    public init(shards: [String], output: String) {
        self.shards = shards
        self.output = output
    }

    /// What a merge did, for `--json` and the closing line.
    public struct Report: Hashable, Sendable, Codable {
        /// The command the shards ran (`tile`, `run`).
        public var command: String
        /// N.
        public var shards: Int
        public var output: String
        /// Lines of the merged manifest.
        public var entries: Int
        /// Files hard-linked and copied from the shards.
        public var linked: Int
        public var copied: Int
    }

    /// Checks the shards and writes the merged folder.
    @discardableResult
    public func run() throws -> Report {
        guard !shards.isEmpty else { throw ScaleTileError.argument("merge", "give the shards' output folders") }
        let parts = try shards.map(ShardPart.init(folder:))
        let command = parts[0].command
        if let other = parts.first(where: { $0.command != command }) {
            throw ScaleTileError(.invalidInput, other.folder, "holds a '\(other.command)' run, \(parts[0].folder) a '\(command)' run: only shards of one run merge")
        }
        if let other = parts.first(where: { $0.kind != parts[0].kind }) {
            throw ScaleTileError(.invalidInput, other.folder, "holds a run over \(other.kind)s, \(parts[0].folder) over \(parts[0].kind)s: only shards of one run merge")
        }
        let ordered = try ShardMerge.inShardOrder(parts).map(\.folder)
        try checkOutputIsOutsideShards()
        // What can be checked without writing is checked before the merged folder is touched.
        let job = command == PresetRunSummary.command ? nil : try JobFolder(command: command, kind: parts[0].kind, folder: parts[0].folder)
        var written = OutputFolder.ownedNames
        if let job {
            try job.checkSummaries(parts: ordered, at: "")
        } else {
            let inputFolders = try ShardMerge.checkRun(ordered)
            // The input folders of the run merged here before go with it.
            if existingOutput == .overwrite { PresetRun.removeEarlierInputFolders(in: output) }
            // Only folders this merge creates are its to remove on failure.
            written += inputFolders.filter { !FileManager.default.fileExists(atPath: output + "/" + $0) }
        }

        let folder = try OutputFolder.prepare(output, existing: existingOutput)
        var placement = FilePlacement(alwaysCopy ? .copy : .linkOrCopy)
        do {
            // A signal while files are placed stops the merge between two files (see
            // `Interruption.stopIfRequested`), so the clean-up below removes what was placed.
            let entries = try Interruption.resumable {
                try job.map { try $0.merge(parts: ordered, at: "", into: folder, placement: &placement).entries }
                    ?? ShardMerge.mergeRun(ordered, into: folder, placement: &placement)
            }
            return Report(command: command, shards: ordered.count, output: output, entries: entries,
                          linked: placement.linked, copied: placement.copied)
        } catch {
            // A shard file found broken while merging: leave no half-merged folder.
            try? folder.remove(written)
            throw error
        }
    }

    /// The job a folder holds, by its summary's command and input kind.
    enum JobFolder {
        case tiles, pyramid

        init(command: String?, kind: InputKind, folder: String) throws {
            switch (command, kind) {
            case (TileSummary.command, _): self = .tiles
            case (PyramidSummary.command, _): self = .pyramid
            default:
                throw ScaleTileError(.unsupported, folder, "merging '\(command ?? "?")' outputs of \(kind)s is not in this build")
            }
        }

        /// Decodes the shards' summaries of this job at `relative` and merges them, writing nothing.
        func checkSummaries(parts: [String], at relative: String) throws {
            switch self {
            case .tiles: _ = try ShardMerge.mergedSummary(TileSummary.self, parts: parts, at: relative)
            case .pyramid: _ = try ShardMerge.mergedSummary(PyramidSummary.self, parts: parts, at: relative)
            }
        }

        /// Merges the job's folder; the audit of tiling jobs comes back for the run's targets.
        func merge(parts: [String], at relative: String, into out: OutputFolder,
                   placement: inout FilePlacement) throws -> (entries: Int, audit: (ScaleAudit?, [Int])?) {
            switch self {
            case .tiles:
                let (s, n) = try ShardMerge.mergeFolder(TileSummary.self, parts: parts, at: relative, into: out, placement: &placement)
                return (n, (s.audit, s.levels))
            case .pyramid:
                return (try ShardMerge.mergeFolder(PyramidSummary.self, parts: parts, at: relative, into: out, placement: &placement).1, nil)
            }
        }
    }

    /// Whether a job's summary is of a scene or a stack run: `tile` and `pyramid` summaries
    /// of stacks say `"kind": "stack"`, those of scenes say nothing.
    enum InputKind: String {
        case scene, stack

        init(summary: [String: Any]) {
            self = summary["kind"] as? String == "stack" ? .stack : .scene
        }
    }

    /// One shard's output folder and what its summary says about it.
    struct ShardPart {
        let folder: String
        let command: String
        let kind: InputKind
        let shard: Shard

        init(folder: String) throws {
            self.folder = folder
            let document = try ShardMerge.summaryObject(in: folder)
            guard let command = document["command"] as? String else {
                throw ScaleTileError(.invalidInput, folder + "/summary.json", "names no command: not a ScaleTile summary")
            }
            guard let text = document["shard"] as? String, let shard = try? Shard(parsing: text) else {
                throw ScaleTileError(.invalidInput, folder + "/summary.json", "names no shard K/N: '\(command)' outputs are not sharded")
            }
            self.command = command
            kind = InputKind(summary: document)
            self.shard = shard
        }
    }

    /// The parts sorted by K, once each, all of one N.
    static func inShardOrder(_ parts: [ShardPart]) throws -> [ShardPart] {
        let count = parts[0].shard.count
        if let other = parts.first(where: { $0.shard.count != count }) {
            throw ScaleTileError(.invalidInput, other.folder, "is shard \(other.shard) but \(parts[0].folder) is shard \(parts[0].shard): the shards of one run share N")
        }
        var byIndex: [Int: ShardPart] = [:]
        for part in parts {
            if let earlier = byIndex[part.shard.index] {
                throw ScaleTileError(.invalidInput, part.folder, "is shard \(part.shard), as is \(earlier.folder): each shard is merged once")
            }
            byIndex[part.shard.index] = part
        }
        let missing = (1...count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            throw ScaleTileError(.invalidInput, nil, "shard\(missing.count == 1 ? "" : "s") \(list) missing: merge needs all \(count) shards of the run")
        }
        return (1...count).map { byIndex[$0]! }
    }

    private func checkOutputIsOutsideShards() throws {
        let target = URL(fileURLWithPath: output).standardizedFileURL.path + "/"
        for shard in shards {
            let folder = URL(fileURLWithPath: shard).standardizedFileURL.path + "/"
            if target.hasPrefix(folder) || folder.hasPrefix(target) {
                throw ScaleTileError.argument("--out", "\(output) overlaps the shard folder \(shard): merge into a folder of its own")
            }
        }
    }

    // MARK: - Folders

    /// Merges one job's output folder from the shard folders holding it (`at` is its path
    /// inside each shard and inside the merged folder); returns its merged summary and the
    /// number of manifest lines.
    static func mergeFolder<S: MergeableSummary>(_ type: S.Type, parts: [String], at relative: String, into out: OutputFolder,
                                                 placement: inout FilePlacement) throws -> (S, Int) {
        let prefix = relative.isEmpty ? "" : relative + "/"
        let merged = try mergedSummary(S.self, parts: parts, at: relative)

        var manifest = Data()
        var ids = Set<String>()
        var placed = Set<String>()
        for part in parts {
            let folder = part + "/" + prefix
            let data = FileManager.default.contents(atPath: folder + "manifest.jsonl") ?? Data()
            let entries = try OutputFolder(path: String(folder.dropLast())).readManifest()
            for entry in entries {
                guard ids.insert(entry.id).inserted else {
                    throw ScaleTileError(.invalidInput, folder + "manifest.jsonl", "tile \(entry.id) is in more than one shard")
                }
                for file in [entry.path] + (entry.mask.map { [$0] } ?? []) + (entry.context ?? []).map(\.path) where !FileManager.default.fileExists(atPath: folder + file) {
                    throw ScaleTileError(.invalidInput, folder + file, "is in the shard's manifest but missing: did the shard finish?")
                }
            }
            manifest.append(data)
            for file in try filesToPlace(in: folder) {
                guard placed.insert(file).inserted else {
                    // Files every shard writes alike (pyramid levels a shard built, the YOLO class
                    // list) are placed once; anything else in two shards is a mistake.
                    guard FileManager.default.contentsEqual(atPath: folder + file, andPath: out.file(prefix + file)) else {
                        throw ScaleTileError(.invalidInput, folder + file, "is in more than one shard, with different contents")
                    }
                    continue
                }
                try Interruption.stopIfRequested()
                try placement.place(folder + file, at: out.file(prefix + file))
            }
        }
        try Interruption.stopIfRequested()
        try AtomicFile.write(manifest, to: out.file(prefix + "manifest.jsonl"))
        try mergeCOCO(parts.map { $0 + "/" + prefix + "coco.json" }, into: out.file(prefix + "coco.json"))

        for layer in ["index.geojson", "labels.geojson"] {
            let files = parts.map { $0 + "/" + prefix + layer }
            let present = files.filter { FileManager.default.fileExists(atPath: $0) }
            guard !present.isEmpty else { continue }
            guard present.count == files.count else {
                throw ScaleTileError(.invalidInput, files.first { !present.contains($0) }!, "is missing while other shards have one")
            }
            let data = try present.map { path -> Data in
                guard let data = FileManager.default.contents(atPath: path) else { throw ScaleTileError(.io, path, "cannot read the layer") }
                return data
            }
            try AtomicFile.write(try FootprintIndexMerge.merged(data, names: present), to: out.file(prefix + layer))
        }
        try out.writeDocument(merged, to: prefix + "summary.json")
        return (merged, ids.count)
    }

    /// The shards' summaries of one job at `relative` inside each, checked to be of one run
    /// and merged.
    static func mergedSummary<S: MergeableSummary>(_ type: S.Type, parts: [String], at relative: String) throws -> S {
        let prefix = relative.isEmpty ? "" : relative + "/"
        let summaries = try parts.map { try summary(S.self, in: $0 + "/" + prefix) }
        try S.requireOneRun(summaries, names: parts.map { $0 + "/" + prefix + "summary.json" })
        return try attributing(to: parts[0] + "/" + prefix + "summary.json") { try S.merged(summaries) }
    }

    /// The shards of `scaletile run` holding each input's folder, and the job in it.
    static func inputFolders(of run: PresetRunSummary, in parts: [String]) throws -> [(holders: [String], job: JobFolder)] {
        try run.inputs.map { input in
            let holders = parts.filter { FileManager.default.fileExists(atPath: $0 + "/" + input.folder + "/summary.json") }
            guard !holders.isEmpty else {
                throw ScaleTileError(.invalidInput, input.source, "no shard holds its folder \(input.folder): did every shard finish?")
            }
            let document = try summaryObject(in: holders[0] + "/" + input.folder)
            let job = try JobFolder(command: document["command"] as? String, kind: InputKind(summary: document), folder: holders[0] + "/" + input.folder)
            return (holders, job)
        }
    }

    /// Checks the shards of `scaletile run` as ``mergeRun(_:into:placement:)`` reads them,
    /// writing nothing; returns the input folders the merge will write.
    static func checkRun(_ parts: [String]) throws -> [String] {
        let merged = try mergedSummary(PresetRunSummary.self, parts: parts, at: "")
        for (input, folder) in zip(merged.inputs, try inputFolders(of: merged, in: parts)) {
            try folder.job.checkSummaries(parts: folder.holders, at: input.folder)
        }
        return merged.inputs.map(\.folder)
    }

    /// Merges the shards of `scaletile run`: each input's folder from the shards that hold it,
    /// then the run's joined manifest and summary. Returns the number of manifest lines.
    static func mergeRun(_ parts: [String], into out: OutputFolder, placement: inout FilePlacement) throws -> Int {
        var merged = try mergedSummary(PresetRunSummary.self, parts: parts, at: "")
        for (i, folder) in try inputFolders(of: merged, in: parts).enumerated() {
            let result = try folder.job.merge(parts: folder.holders, at: merged.inputs[i].folder, into: out, placement: &placement)
            // Audit targets are judged on the whole plan, as an unsharded run judges them.
            if let (audit, levels) = result.audit {
                merged.inputs[i].auditTargets = AuditTargetCheck.of(audit, levels: levels, against: merged.settings.target)
            }
        }
        var manifest = Data()
        var count = 0
        for part in parts {
            let data = FileManager.default.contents(atPath: part + "/manifest.jsonl") ?? Data()
            count += try OutputFolder(path: part).readManifest().count
            manifest.append(data)
        }
        try AtomicFile.write(manifest, to: out.file("manifest.jsonl"))
        try out.writeDocument(merged, to: "summary.json")
        return count
    }

    /// The files of a job's folder other than the documents merge rewrites, relative to it;
    /// leftovers of killed writes are not merged.
    static func filesToPlace(in folder: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw ScaleTileError(.notFound, folder, "cannot list the shard folder")
        }
        let documents: Set<String> = ["manifest.jsonl", "summary.json", "index.geojson", "labels.geojson", "coco.json"]
        var files: [String] = []
        while let item = walker.nextObject() as? String {
            let name = (item as NSString).lastPathComponent
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + item, isDirectory: &isFolder)
            if isFolder.boolValue || documents.contains(item) || name.hasPrefix(".") || name.contains(AtomicFile.partialMarker) { continue }
            files.append(item)
        }
        return files.sorted()
    }

    /// Joins the shards' `coco.json`: images and annotations in shard order, numbered again
    /// from 1 as one run numbers them (images in plan order, annotations in image order).
    static func mergeCOCO(_ files: [String], into path: String) throws {
        let present = files.filter { FileManager.default.fileExists(atPath: $0) }
        guard !present.isEmpty else { return }
        guard present.count == files.count else {
            throw ScaleTileError(.invalidInput, files.first { !present.contains($0) }!, "is missing while other shards have one")
        }
        var images: [COCODataset.Image] = []
        var categories: [COCODataset.Category]?
        try AtomicFile.produce(path) { temporary in
            var writer = try COCODataset.StreamWriter(path: temporary)
            var annotationID = 0
            for file in present {
                guard let data = FileManager.default.contents(atPath: file) else { throw ScaleTileError(.io, file, "cannot read the COCO file") }
                let part: COCODataset
                do {
                    part = try JSONDecoder().decode(COCODataset.self, from: data)
                } catch {
                    throw ScaleTileError(.invalidInput, file, "is not a COCO file a ScaleTile run writes (\(error))")
                }
                if let categories, categories != part.categories {
                    throw ScaleTileError(.invalidInput, file, "has other categories than the first shard's coco.json")
                }
                categories = part.categories
                var renumbered: [Int: Int] = [:]
                for var image in part.images {
                    renumbered[image.id] = images.count + 1
                    image.id = images.count + 1
                    images.append(image)
                }
                for var annotation in part.annotations {
                    annotationID += 1
                    annotation.id = annotationID
                    annotation.imageID = renumbered[annotation.imageID] ?? annotation.imageID
                    try writer.add(annotation)
                }
            }
            try writer.finish(categories: categories ?? [], images: images)
        }
    }

    static func summaryObject(in folder: String) throws -> [String: Any] {
        let path = folder + "/summary.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScaleTileError(.notFound, folder, "holds no summary.json: not a finished ScaleTile output folder")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ScaleTileError(.invalidInput, path, "is not a JSON object")
        }
        return object
    }

    static func summary<S: MergeableSummary>(_ type: S.Type, in folder: String) throws -> S {
        let path = folder + "summary.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScaleTileError(.notFound, path, "no summary: not a finished ScaleTile output folder")
        }
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            return try decoder.decode(S.self, from: data)
        } catch {
            throw ScaleTileError(.invalidInput, path, "is not a '\(S.command)' summary this build reads (\(error))")
        }
    }
}
