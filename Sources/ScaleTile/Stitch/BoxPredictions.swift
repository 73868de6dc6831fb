import Foundation
import ScaleTileCore

/// The problems a prediction file may have that stitching survives, counted per kind: each kind
/// becomes one warning line (or, with `--strict`, the error).
public struct StitchWarnings: Hashable, Sendable, Codable {
    /// Predictions naming a tile, image or manifest id the output does not have.
    public var unknownTiles = 0
    /// Boxes reaching past their tile, clipped to it.
    public var clippedBoxes = 0
    /// Boxes with a NaN, infinite or negative score, or nothing left inside their tile, dropped.
    public var droppedBoxes = 0
    /// The first example of each kind, for the message.
    var examples: [String: String] = [:]

    public init() {}

    mutating func note(_ kind: WritableKeyPath<StitchWarnings, Int>, _ name: String, _ example: @autoclosure () -> String) {
        self[keyPath: kind] += 1
        if examples[name] == nil { examples[name] = example() }
    }

    /// One line per kind that occurred.
    public var lines: [String] {
        var out: [String] = []
        if unknownTiles > 0 { out.append("\(unknownTiles) predictions name tiles not in the manifest, ignored (first: \(examples["unknown"] ?? "?"))") }
        if clippedBoxes > 0 { out.append("\(clippedBoxes) boxes reach past their tile, clipped (first: \(examples["clipped"] ?? "?"))") }
        if droppedBoxes > 0 { out.append("\(droppedBoxes) boxes have a NaN, infinite or negative score or lie outside their tile, dropped (first: \(examples["dropped"] ?? "?"))") }
        return out
    }

    enum CodingKeys: String, CodingKey { case unknownTiles, clippedBoxes, droppedBoxes }
}

/// Reads box predictions made on a run's tiles and maps them to level-0 pixels
/// (DESIGN.md §7: origin of the window plus the box times 2^level).
///
/// Three forms: a COCO results `.json` (a list of `{image_id | file_name, category_id, bbox,
/// score}`, or a COCO dataset whose annotations may carry `score`); a `.jsonl` keyed by
/// manifest id (`{"id", "bbox", "score", "class" | "category_id"}` per box, or `{"id",
/// "detections": [...]}` per tile); a folder of YOLO `.txt` files named by tile stem
/// (`class cx cy w h [conf]`, normalised to the tile; no confidence means 1).
struct BoxPredictions {
    let run: StitchedRun
    var warnings = StitchWarnings()
    var detections: [Detection] = []

    init(run: StitchedRun) { self.run = run }

    mutating func read(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ScaleTileError(.notFound, path, "no such prediction file or folder")
        }
        if run.volume != nil, isFolder.boolValue || !path.lowercased().hasSuffix(".jsonl") {
            throw ScaleTileError(.unsupported, path, "boxes on stack patches are read from a .jsonl keyed by manifest id ({\"id\", \"box\": [x, y, z, w, h, d], \"score\", \"class\"})")
        }
        if isFolder.boolValue {
            try readYOLOFolder(path)
            return
        }
        // Mapped, not copied: the pages are the file's, and go when reading ends.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw ScaleTileError(.io, path, "cannot read the predictions")
        }
        switch (path as NSString).pathExtension.lowercased() {
        case "json": try readCOCO(data, path: path)
        case "jsonl": try readJSONLines(data, path: path)
        case "txt": try readYOLO(data, stem: StitchedRun.stem(path), path: path)
        default:
            throw ScaleTileError(.invalidArgument, path, "predictions are a COCO results .json, a .jsonl keyed by manifest id, or a folder of YOLO .txt files")
        }
    }

    /// Adds one box given in the tile file's own pixels as `[x, y, width, height]`, or one
    /// polygon (its outline in the tile's pixels; the box is then the polygon's bounds).
    private mutating func add(entry index: Int, bbox: [Double], polygon: [PixelPoint]? = nil, score: Double, className: String, origin: String) {
        let entry = run.entries[index]
        var bbox = bbox
        if let polygon {
            guard polygon.allSatisfy({ $0.x.isFinite && $0.y.isFinite }), let b = PolygonRing.bounds(polygon) else {
                warnings.note(\.droppedBoxes, "dropped", "\(origin): a polygon needs three finite points")
                return
            }
            bbox = [b.minX, b.minY, b.width, b.height]
        }
        guard score.isFinite, score >= 0, bbox.count == 4, bbox.allSatisfy(\.isFinite) else {
            warnings.note(\.droppedBoxes, "dropped", "\(origin): score \(score)")
            return
        }
        let scale = Level(entry.level).scale
        let w = entry.window.window
        let tile = PixelBox(minX: 0, minY: 0, maxX: Double(w.width) * scale, maxY: Double(w.height) * scale)
        var box = PixelBox(x: bbox[0], y: bbox[1], width: bbox[2], height: bbox[3])
        var outline = polygon
        // A box may touch the tile's far edge within rounding; only a real overhang is a problem.
        let slack = 1e-6 * Swift.max(tile.maxX, tile.maxY)
        if box.minX < -slack || box.minY < -slack || box.maxX > tile.maxX + slack || box.maxY > tile.maxY + slack {
            guard let inside = box.clipped(to: tile) else {
                warnings.note(\.droppedBoxes, "dropped", "\(origin): box \(bbox) outside the tile")
                return
            }
            if let ring = outline {
                guard let cut = PolygonRing.clipped(ring, to: tile), let bounds = PolygonRing.bounds(cut) else {
                    warnings.note(\.droppedBoxes, "dropped", "\(origin): polygon outside the tile")
                    return
                }
                outline = cut
                box = bounds
            } else {
                box = inside
            }
            warnings.note(\.clippedBoxes, "clipped", "\(origin): box \(bbox)")
        }
        guard box.width > 0, box.height > 0 else {
            warnings.note(\.droppedBoxes, "dropped", "\(origin): empty box \(bbox)")
            return
        }
        let toLevel0 = 1 / scale
        let level0 = PixelBox(minX: Double(w.x) + box.minX * toLevel0, minY: Double(w.y) + box.minY * toLevel0,
                              maxX: Double(w.x) + box.maxX * toLevel0, maxY: Double(w.y) + box.maxY * toLevel0)
        var detection = Detection(box: level0, score: score, className: className, window: w, level: entry.level, tiles: [index])
        detection.polygon = outline?.map { PixelPoint(x: Double(w.x) + $0.x * toLevel0, y: Double(w.y) + $0.y * toLevel0) }
        detections.append(detection)
    }

    /// The outline of a COCO `segmentation`: the largest of its polygons (several are parts of
    /// one object; stitching keeps one ring), nil for masks or no polygon.
    static func outline(_ segmentation: COCODataset.Segmentation?) -> [PixelPoint]? {
        guard case .polygons(let parts)? = segmentation else { return nil }
        let rings = parts.map { flat in stride(from: 0, to: flat.count - 1, by: 2).map { PixelPoint(x: flat[$0], y: flat[$0 + 1]) } }
        return rings.filter { $0.count >= 3 }.max { PolygonRing.area($0) < PolygonRing.area($1) }
    }

    /// The outline of a JSONL `polygon`: a ring `[[x, y], ...]` or GeoJSON Polygon coordinates
    /// `[[[x, y], ...], ...]` (the outer ring); a closing point equal to the first is dropped.
    static func outline(_ value: JSONLineValue?) -> [PixelPoint]? {
        guard var rings = value?.array, !rings.isEmpty else { return nil }
        if let first = rings[0].array?.first?.array, first.count >= 2 { rings = rings[0].array! }
        var ring = rings.map { p -> PixelPoint in
            let xy = p.array ?? []
            return PixelPoint(x: xy.count >= 2 ? xy[0].double ?? .nan : .nan, y: xy.count >= 2 ? xy[1].double ?? .nan : .nan)
        }
        if ring.count > 3, ring.first == ring.last { ring.removeLast() }
        return ring
    }

    /// Adds one stack box given in the patch file's own voxels as `[x, y, z, width, height, depth]`.
    private mutating func addVolumeBox(entry index: Int, box values: [Double], score: Double, className: String, origin: String) {
        let entry = run.entries[index]
        guard score.isFinite, score >= 0, values.count == 6, values.allSatisfy(\.isFinite) else {
            warnings.note(\.droppedBoxes, "dropped", "\(origin): score \(score)")
            return
        }
        let level = run.level(of: index)
        let w = entry.window.window, patch = level.window(fromBase: w)
        let factors = [Double(level.factor), Double(level.factor), Double(level.depthFactor)]
        let size = [Double(patch.width), Double(patch.height), Double(patch.depth)]
        var low = (0 ..< 3).map { values[$0] }, high = (0 ..< 3).map { values[$0] + values[$0 + 3] }
        let slack = 1e-6 * (size.max() ?? 1)
        if (0 ..< 3).contains(where: { low[$0] < -slack || high[$0] > size[$0] + slack }) {
            low = (0 ..< 3).map { Swift.max(0, low[$0]) }
            high = (0 ..< 3).map { Swift.min(size[$0], high[$0]) }
            guard (0 ..< 3).allSatisfy({ high[$0] > low[$0] }) else {
                warnings.note(\.droppedBoxes, "dropped", "\(origin): box \(values) outside the patch")
                return
            }
            warnings.note(\.clippedBoxes, "clipped", "\(origin): box \(values)")
        }
        guard (0 ..< 3).allSatisfy({ high[$0] > low[$0] }) else {
            warnings.note(\.droppedBoxes, "dropped", "\(origin): empty box \(values)")
            return
        }
        // Patch voxel p of the level is level-0 voxels [f·(o + p), f·(o + p + 1)); o·f is the
        // window's first voxel for the aligned windows ScaleTile writes.
        let start = [Double(patch.x) * factors[0], Double(patch.y) * factors[1], Double(patch.z) * factors[2]]
        let lo = (0 ..< 3).map { start[$0] + low[$0] * factors[$0] }, hi = (0 ..< 3).map { start[$0] + high[$0] * factors[$0] }
        var d = Detection(box: PixelBox(minX: lo[0], minY: lo[1], maxX: hi[0], maxY: hi[1]), score: score, className: className,
                          window: w, level: entry.level, tiles: [index])
        d.minZ = lo[2]; d.maxZ = hi[2]
        detections.append(d)
    }

    private func className(category: Int) -> String { run.categoryNames[category] ?? String(category) }

    private func className(number: Int) -> String {
        number >= 0 && number < run.classNumbers.count ? run.classNumbers[number] : String(number)
    }

    // MARK: COCO results

    private struct COCOResult: Decodable {
        var imageID: Int?
        var fileName: String?
        var categoryID: Int?
        var bbox: [Double]?
        var segmentation: COCODataset.Segmentation?
        var score: Double?
        enum CodingKeys: String, CodingKey {
            case bbox, score, segmentation
            case imageID = "image_id", fileName = "file_name", categoryID = "category_id"
        }
    }

    private struct COCODocument: Decodable {
        var images: [COCODataset.Image]?
        var annotations: [COCOResult]
    }

    private mutating func readCOCO(_ data: Data, path: String) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var results: [COCOResult]
        var imageNames: [Int: String] = [:]
        do {
            if let list = try? decoder.decode([COCOResult].self, from: data) {
                results = list
            } else {
                let document = try decoder.decode(COCODocument.self, from: data)
                results = document.annotations
                for image in document.images ?? [] { imageNames[image.id] = image.fileName }
            }
        } catch {
            throw ScaleTileError(.invalidInput, path, "not COCO results (\(OutputFolderReason.text(error)))")
        }
        for (k, r) in results.enumerated() {
            let index: Int?
            let name: String
            if let fileName = r.fileName {
                index = run.entry(named: fileName); name = fileName
            } else if let id = r.imageID {
                // A dataset document names its own images; a bare results list uses the run's coco.json ids.
                if let fileName = imageNames[id] { index = run.entry(named: fileName) } else { index = run.imageEntries[id] }
                name = "image_id \(id)"
            } else {
                index = nil; name = "result \(k + 1) without image_id or file_name"
            }
            guard let index else {
                warnings.note(\.unknownTiles, "unknown", name)
                continue
            }
            add(entry: index, bbox: r.bbox ?? [], polygon: Self.outline(r.segmentation), score: r.score ?? 1,
                className: className(category: r.categoryID ?? 0),
                origin: "\((path as NSString).lastPathComponent) result \(k + 1)")
        }
    }

    // MARK: JSON lines keyed by manifest id

    private struct LineBox: Decodable {
        var id: String?
        var bbox: [Double]?
        var score: Double?
        var `class`: String?
        var categoryID: Int?
        var detections: [LineBox]?
        enum CodingKeys: String, CodingKey {
            case id, bbox, score, `class`, detections
            case categoryID = "category_id"
        }
    }

    private mutating func readJSONLines(_ data: Data, path: String) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let name = (path as NSString).lastPathComponent
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            // About one box a line: reserving avoids the copies a growing list makes.
            detections.reserveCapacity(detections.count + bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + 1)
            var lineNumber = 0, start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: bytes[start ..< end])
                start = end + 1
                guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
                guard let record = JSONLineValue.parse(line) else {
                    // The fast reader failed: let JSONDecoder say what is wrong.
                    do { _ = try decoder.decode(LineBox.self, from: Data(line)) } catch {
                        throw ScaleTileError(.invalidInput, path, "line \(lineNumber): not a prediction (\(OutputFolderReason.text(error)))")
                    }
                    throw ScaleTileError(.invalidInput, path, "line \(lineNumber): not a prediction")
                }
                guard let id = record["id"]?.string else {
                    throw ScaleTileError(.invalidInput, path, "line \(lineNumber): no manifest id (key \"id\")")
                }
                guard let index = run.entry(id: id) else {
                    warnings.note(\.unknownTiles, "unknown", id)
                    continue
                }
                for box in record["detections"]?.array ?? [record] {
                    if run.volume != nil {
                        // Stacks: `box` [x, y, z, w, h, d], or a one-slice `bbox` [x, y, w, h] with `slice`.
                        let values: [Double]
                        if let six = (box["box"] ?? box["bbox"])?.array, six.count == 6 {
                            values = six.map { $0.double ?? .nan }
                        } else if let four = box["bbox"]?.array, four.count == 4, let slice = box["slice"]?.double {
                            let v = four.map { $0.double ?? .nan }
                            values = [v[0], v[1], slice, v[2], v[3], 1]
                        } else {
                            throw ScaleTileError(.invalidInput, path, "line \(lineNumber): a stack box is \"box\": [x, y, z, w, h, d] (or \"bbox\": [x, y, w, h] with \"slice\")")
                        }
                        addVolumeBox(entry: index, box: values, score: box["score"].map { $0.double ?? .nan } ?? 1,
                                     className: Self.label(box, className: className(category:)), origin: "\(name) line \(lineNumber)")
                        continue
                    }
                    let polygon = Self.outline(box["polygon"])
                    guard let values = box["bbox"]?.array ?? (polygon != nil ? [] : nil) else { continue }
                    let bbox = values.map { $0.double ?? .nan }
                    let label = Self.label(box, className: className(category:))
                    let score = box["score"].map { $0.double ?? .nan } ?? 1
                    add(entry: index, bbox: bbox, polygon: polygon, score: score, className: label, origin: "\(name) line \(lineNumber)")
                }
            }
        }
    }

    /// The class of a JSONL box: `class` (a name or a number), else `category_id`, else "0".
    private static func label(_ box: JSONLineValue, className: (Int) -> String) -> String {
        box["class"].flatMap { v -> String? in
            if case .number(let n) = v { return n == n.rounded() ? String(Int(n)) : String(n) }
            return v.string
        } ?? box["category_id"]?.double.map { className(Int($0)) } ?? "0"
    }

    // MARK: YOLO

    private mutating func readYOLOFolder(_ folder: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw ScaleTileError(.io, folder, "cannot list the folder")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.lowercased().hasSuffix(".txt"), (relative as NSString).lastPathComponent != "classes.txt" { files.append(relative) }
        }
        if files.isEmpty {
            throw ScaleTileError(.invalidInput, folder, "holds no YOLO .txt predictions")
        }
        // Sorted, so the merge sees the same order whatever order the file system lists.
        for relative in files.sorted() {
            let path = folder + "/" + relative
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ScaleTileError(.io, path, "cannot read the predictions")
            }
            try readYOLO(data, stem: StitchedRun.stem(relative), path: path)
        }
    }

    private mutating func readYOLO(_ data: Data, stem: String, path: String) throws {
        guard let index = run.entry(named: stem) else {
            warnings.note(\.unknownTiles, "unknown", (path as NSString).lastPathComponent)
            return
        }
        let entry = run.entries[index]
        let scale = Level(entry.level).scale
        let width = Double(entry.window.width) * scale, height = Double(entry.window.height) * scale
        let name = (path as NSString).lastPathComponent
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 5 || fields.count == 6, let number = Int(fields[0]) else {
                throw ScaleTileError(.invalidInput, path, "line \(n + 1): expected 'class cx cy w h [conf]'")
            }
            let values = fields.dropFirst().map { Double($0) ?? .nan }
            guard values.prefix(4).allSatisfy(\.isFinite) else {
                throw ScaleTileError(.invalidInput, path, "line \(n + 1): coordinates must be numbers")
            }
            let (cx, cy, w, h) = (values[0] * width, values[1] * height, values[2] * width, values[3] * height)
            add(entry: index, bbox: [cx - w / 2, cy - h / 2, w, h], score: values.count == 5 ? values[4] : 1,
                className: className(number: number), origin: "\(name) line \(n + 1)")
        }
    }
}
