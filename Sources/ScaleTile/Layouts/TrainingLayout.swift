import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import ScaleTileCore

/// Arranges a written output for a trainer (DESIGN.md §3 layouts): tiles are hard-linked from
/// `tiles/` into `images/{split}/` (no byte copied), labels written beside them, and the
/// manifest's `path` pointed at the linked file.
///
/// Everything comes from the manifest lines (positives in `objects`, ignore regions in
/// `ignore`), so `scaletile tile` and `scaletile split` arrange a folder the same way.
struct TrainingLayout: Sendable {
    let layout: OutputLayout
    /// Class names in the label set's order: YOLO class numbers and COCO category ids − 1.
    let classNames: [String]
    /// Extra COCO ignore regions of a tile (slivers below `--min-visible`), when known.
    var slivers: (@Sendable (ManifestEntry) -> [ContainedObject])? = nil
    /// YOLO segmentation lines (`--yolo-segments`): the outlines of a tile's objects by id, in
    /// the tile's pixels (``SceneObjects/segments(in:level:)``); nil writes boxes.
    var segments: (@Sendable (ManifestEntry) throws -> [String: [PixelPoint]])? = nil
    /// WebDataset: samples per shard.
    var samplesPerShard = OutputLayout.defaultSamplesPerShard
    /// WebDataset at tiling time: the tiles live only in the shards, so the files the encoders
    /// wrote are removed once packed (`scaletile split` keeps them: they are its input).
    var removesPackedFiles = false

    /// Without `--split` every window is a training window.
    static func splitName(of entry: ManifestEntry) -> SplitName { entry.split ?? .train }

    /// Links the tiles, writes the layout's label files, and returns the entries with their new paths.
    func arrange(_ entries: [ManifestEntry], in folder: OutputFolder) throws -> [ManifestEntry] {
        guard layout != .folder else { return entries }
        if layout == .webdataset { return try writeWebDataset(entries, in: folder) }
        if layout == .monai {
            // Patches stay where they were written; the datalist points at them.
            try MONAIDatalist(entries: entries).write(in: folder)
            return entries
        }
        let names = Set(entries.map(Self.splitName)).sorted()
        for name in names { try folder.makeFolder("images/\(name.rawValue)") }
        // Scene mask tiles go to masks/{split}/ under their own names (`<id>_mask.<ext>`), context
        // files (`--context-as files`) to context/{split}/ (`<id>_ctx<ℓ>.<ext>`).
        for name in Set(entries.filter { $0.mask != nil }.map(Self.splitName)).sorted() { try folder.makeFolder("masks/\(name.rawValue)") }
        for name in Set(entries.filter { !$0.contextFiles.isEmpty }.map(Self.splitName)).sorted() { try folder.makeFolder("context/\(name.rawValue)") }
        let arranged = entries.map { entry in
            var entry = entry
            let split = Self.splitName(of: entry).rawValue
            entry.path = "images/\(split)/\((entry.path as NSString).lastPathComponent)"
            entry.mask = entry.mask.map { "masks/\(split)/\(($0 as NSString).lastPathComponent)" }
            entry.context = entry.context?.map { tile in
                var tile = tile
                if tile.channels == nil { tile.path = "context/\(split)/\((tile.path as NSString).lastPathComponent)" }
                return tile
            }
            return entry
        }
        // Linking the tiles and writing the label files are each one file-system call per
        // tile, in different folders: on two threads the kernel does both at once.
        let layout = self.layout
        try Self.concurrently({
            for (entry, linked) in zip(entries, arranged) {
                if linked.path != entry.path { try Self.link(folder.file(entry.path), to: folder.file(linked.path)) }
                if let mask = entry.mask, let linkedMask = linked.mask, linkedMask != mask {
                    try Self.link(folder.file(mask), to: folder.file(linkedMask))
                }
                for (tile, linkedTile) in zip(entry.contextFiles, linked.contextFiles) where linkedTile.path != tile.path {
                    try Self.link(folder.file(tile.path), to: folder.file(linkedTile.path))
                }
            }
        }, {
            switch layout {
            case .folder, .monai, .webdataset, .nnunet: break
            case .yolo: try self.writeYOLO(arranged, splits: names, in: folder)
            case .coco: try self.writeCOCO(arranged, splits: names, in: folder)
            }
        })
        return arranged
    }

    /// Runs two pieces of work at once and throws the first one's error, if any, else the second's.
    static func concurrently(_ first: @escaping @Sendable () throws -> Void, _ second: @escaping @Sendable () throws -> Void) throws {
        let errors = Mutex<[Int: any Error]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do { try (k == 0 ? first : second)() } catch { errors.withLock { $0[k] = error } }
        }
        if let error = errors.withLock({ $0[0] ?? $0[1] }) { throw error }
    }

    /// A hard link (an existing link or file at `target` is replaced). POSIX `link(2)`: a
    /// layout makes one per tile, and Foundation's file manager costs several calls each.
    static func link(_ source: String, to target: String) throws {
        if Glibc.link(source, target) == 0 { return }
        if errno == EEXIST {
            var a = stat(), b = stat()
            // Already the same file: nothing to do.
            if stat(source, &a) == 0, stat(target, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev { return }
            if unlink(target) == 0, Glibc.link(source, target) == 0 { return }
        }
        throw ScaleTileError(.io, target, "cannot hard-link the tile \(source) here (\(String(cString: strerror(errno)))); the layout needs the output on one file system")
    }

    /// Writes a label file atomically (temporary name, then rename) with plain POSIX calls:
    /// Foundation's `createFile` adds an fsync and a second rename per file, which on a
    /// 100,000-tile layout costs minutes.
    static func writeSmallFile(_ text: String, to path: String) throws {
        try AtomicFile.produce(path) { temporary in
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw ScaleTileError(.io, path, "cannot write the file (\(String(cString: strerror(errno))))") }
            defer { close(fd) }
            var bytes = Array(text.utf8)
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw ScaleTileError(.io, path, "cannot write the file (\(String(cString: strerror(errno))))") }
        }
    }

    /// Packs the tiles (with their mask tiles and context files) and their manifest lines into tar shards per split,
    /// `samplesPerShard` samples each, in plan order; keys are ids with `.` replaced by `_`
    /// (WebDataset groups members by the text before the first dot).
    private func writeWebDataset(_ entries: [ManifestEntry], in folder: OutputFolder) throws -> [ManifestEntry] {
        try folder.makeFolder("shards")
        var result = entries
        let bySplit = Dictionary(grouping: entries.indices, by: { Self.splitName(of: entries[$0]) })
        for name in bySplit.keys.sorted() {
            let positions = bySplit[name]!
            for (shard, start) in stride(from: 0, to: positions.count, by: samplesPerShard).enumerated() {
                let shardPath = "shards/\(name.rawValue)-" + String(format: "%06d", shard) + ".tar"
                try AtomicFile.produce(folder.file(shardPath)) { temporary in
                    let writer = try TarShardWriter(path: temporary)
                    for position in positions[start..<Swift.min(start + samplesPerShard, positions.count)] {
                        var entry = entries[position]
                        let key = entry.id.replacingOccurrences(of: ".", with: "_")
                        let image = try Self.contents(folder.file(entry.path))
                        let imageMember = "\(key).\((entry.path as NSString).pathExtension)"
                        var maskMember: (String, [UInt8])?
                        if let mask = entry.mask {
                            maskMember = ("\(key).mask.\((mask as NSString).pathExtension)", try Self.contents(folder.file(mask)))
                            entry.mask = shardPath + "#" + maskMember!.0
                        }
                        // Context files (`--context-as files`) as `{key}.ctx<ℓ>.{ext}`.
                        var contextMembers: [(String, [UInt8])] = []
                        entry.context = try entry.context?.map { tile in
                            guard tile.channels == nil else { return tile }
                            var tile = tile
                            let member = "\(key).ctx\(tile.level).\((tile.path as NSString).pathExtension)"
                            contextMembers.append((member, try Self.contents(folder.file(tile.path))))
                            tile.path = shardPath + "#" + member
                            return tile
                        }
                        entry.path = shardPath + "#" + imageMember
                        try writer.add(imageMember, bytes: image)
                        if let (member, bytes) = maskMember { try writer.add(member, bytes: bytes) }
                        for (member, bytes) in contextMembers { try writer.add(member, bytes: bytes) }
                        try writer.add("\(key).json", bytes: Array(try StableJSON.line(entry)))
                        result[position] = entry
                    }
                    try writer.finish()
                }
            }
        }
        if removesPackedFiles {
            for entry in entries {
                unlink(folder.file(entry.path))
                if let mask = entry.mask { unlink(folder.file(mask)) }
                for tile in entry.contextFiles { unlink(folder.file(tile.path)) }
            }
        }
        return result
    }

    static func contents(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScaleTileError(.io, path, "cannot read the tile to pack it")
        }
        return Array(data)
    }

    /// The tile's size in its own pixels.
    static func tileSize(of entry: ManifestEntry) -> (width: Double, height: Double) {
        let scale = Level(entry.level).scale
        return (Double(entry.window.width) * scale, Double(entry.window.height) * scale)
    }

    private func writeYOLO(_ entries: [ManifestEntry], splits: [SplitName], in folder: OutputFolder) throws {
        let classNumber = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        for name in splits { try folder.makeFolder("labels/\(name.rawValue)") }
        for entry in entries {
            let (width, height) = Self.tileSize(of: entry)
            let outlines = try segments?(entry)
            let lines = (entry.objects ?? []).compactMap { object -> String? in
                guard let b = object.bbox, b.count == 4, let number = classNumber[object.class] else { return nil }
                if let outlines {
                    return outlines[object.id].map { Self.segmentLine(number, $0, width: width, height: height) }
                }
                let values = [(b[0] + b[2] / 2) / width, (b[1] + b[3] / 2) / height, b[2] / width, b[3] / height]
                return "\(number) " + values.map { String(format: "%.6f", $0) }.joined(separator: " ")
            }
            // Ultralytics reads an image without a label file as background: tiles with no box
            // get none, which spares a file per empty tile in large runs.
            guard !lines.isEmpty else { continue }
            let stem = ((entry.path as NSString).lastPathComponent as NSString).deletingPathExtension
            try Self.writeSmallFile(lines.map { $0 + "\n" }.joined(),
                                    to: folder.file("labels/\(Self.splitName(of: entry).rawValue)/\(stem).txt"))
        }
        var yaml = "# Ultralytics dataset written by ScaleTile\n"
        yaml += "path: \(Self.quoted(URL(fileURLWithPath: folder.path).standardizedFileURL.path))\n"
        yaml += "train: images/train\n"
        // Without a val split Ultralytics still needs one: the training images stand in.
        yaml += "val: images/\(splits.contains(.val) ? "val" : "train")\n"
        if splits.contains(.test) { yaml += "test: images/test\n" }
        yaml += "names:\n" + classNames.enumerated().map { "  \($0): \(Self.quoted($1))\n" }.joined()
        try AtomicFile.write(Data(yaml.utf8), to: folder.file("data.yaml"))
    }

    /// A YOLO segmentation line, `class x1 y1 x2 y2 …`: the outline's vertices normalised to
    /// the tile (clamped to [0, 1], so rounding never leaves it).
    static func segmentLine(_ number: Int, _ outline: [PixelPoint], width: Double, height: Double) -> String {
        var line = "\(number)"
        for point in outline {
            line += String(format: " %.6f %.6f", Swift.min(1, Swift.max(0, point.x / width)), Swift.min(1, Swift.max(0, point.y / height)))
        }
        return line
    }

    private func writeCOCO(_ entries: [ManifestEntry], splits: [SplitName], in folder: OutputFolder) throws {
        try folder.makeFolder("annotations")
        let categoryID = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0 + 1) })
        let categories = classNames.enumerated().map { COCODataset.Category(id: $0 + 1, name: $1) }
        for name in splits {
            try AtomicFile.produce(folder.file("annotations/instances_\(name.rawValue).json")) { temporary in
                var writer = try COCODataset.StreamWriter(path: temporary)
                var images: [COCODataset.Image] = []
                var annotationID = 0
                for entry in entries where Self.splitName(of: entry) == name {
                    let (width, height) = Self.tileSize(of: entry)
                    let imageID = images.count + 1
                    images.append(COCODataset.Image(id: imageID, fileName: (entry.path as NSString).lastPathComponent,
                                                    width: Int(width.rounded()), height: Int(height.rounded()), windowID: entry.id))
                    // Another split's objects are listed once, whether slivers or not.
                    let ignored = Set((entry.ignore ?? []).map(\.id))
                    let ownSlivers = (slivers?(entry) ?? []).filter { !ignored.contains($0.id) }
                    let regions = (entry.objects ?? []).map { ($0, 0) } + ((entry.ignore ?? []) + ownSlivers).map { ($0, 1) }
                    for (object, crowd) in regions {
                        guard let b = object.bbox, b.count == 4 else { continue }
                        annotationID += 1
                        try writer.add(COCODataset.Annotation(
                            id: annotationID, imageID: imageID, categoryID: categoryID[object.class] ?? 0, bbox: b,
                            segmentation: .polygons([[b[0], b[1], b[0] + b[2], b[1], b[0] + b[2], b[1] + b[3], b[0], b[1] + b[3]]]),
                            area: b[2] * b[3], iscrowd: crowd))
                    }
                }
                try writer.finish(categories: categories, images: images)
            }
        }
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension ManifestEntry {
    /// The context tiles written as files of their own (`--context-as files`), which a layout
    /// moves or packs beside the tile; channels of the tile's own file move with it.
    var contextFiles: [ManifestContext] { (context ?? []).filter { $0.channels == nil } }
}
