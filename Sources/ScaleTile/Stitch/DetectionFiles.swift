import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// Writes stitched detections as COCO (scene pixels), GeoJSON (scene CRS or WGS 84) and CSV.
///
/// The files are written as text streams, one detection per line, through a buffered file
/// (not built in memory nor through `JSONEncoder`): a million detections cost seconds and a
/// few megabytes. Keys are in sorted order, as everywhere in ScaleTile's JSON.
struct DetectionFiles {
    let run: StitchedRun
    let toWGS84: Bool
    /// Class names in output order: the run's categories first (keeping their ids), then new ones by name.
    private let classIDs: [String: Int]
    private let classes: [String]

    init(run: StitchedRun, toWGS84: Bool) throws {
        self.run = run
        self.toWGS84 = toWGS84
        if toWGS84, run.spatialReference == nil {
            throw ScaleTileError.argument("--to-wgs84", "the scene of \(run.folder) has no CRS")
        }
        var ids: [String: Int] = [:]
        for (id, name) in run.categoryNames.sorted(by: { $0.key < $1.key }) where ids[name] == nil { ids[name] = id }
        classIDs = ids
        classes = ids.sorted { $0.value < $1.value }.map(\.key)
    }

    /// Writes the three files into `folder` (created when missing); returns their names.
    func write(_ detections: [Detection], into folder: String) throws -> [String] {
        var ids = classIDs
        var categories = classes
        for d in detections where ids[d.className] == nil {
            ids[d.className] = (ids.values.max() ?? 0) + 1
            categories.append(d.className)
        }
        // Map coordinates first: a CRS problem is found before any file is written.
        let (corners, starts) = try mapRings(detections)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ScaleTileError(.io, folder, "cannot create the output folder")
        }
        try TextStream.write(folder + "/detections.coco.json") { try coco(detections, ids: ids, categories: categories, to: &$0) }
        try TextStream.write(folder + "/detections.geojson") { try geoJSON(detections, points: corners, starts: starts, to: &$0) }
        try TextStream.write(folder + "/detections.csv") { try csv(detections, to: &$0) }
        return ["detections.coco.json", "detections.geojson", "detections.csv"]
    }

    /// Stacks: writes `detections.jsonl` (one box a line: `box` [x, y, z, w, h, d] in level-0
    /// voxels, `world` [minX, minY, minZ, maxX, maxY, maxZ] in millimetres — the bounds of the
    /// box's eight corners through the source's voxel-to-world affine, RAS for NIfTI and NRRD,
    /// the spacing for TIFF stacks — `class`, `id`, `score`, `tiles`) and `detections.csv` with
    /// the same columns; returns their names.
    func writeVolume(_ detections: [Detection], into folder: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ScaleTileError(.io, folder, "cannot create the output folder")
        }
        let worlds = detections.map(worldBounds)
        try TextStream.write(folder + "/detections.jsonl") { out in
            for k in detections.indices {
                let d = detections[k]
                out.append("{\"box\":[")
                for (n, v) in [d.box.minX, d.box.minY, d.minZ, d.box.width, d.box.height, d.depth].enumerated() {
                    if n > 0 { out.append(",") }
                    out.append(v, decimals: 6)
                }
                out.append("],\"class\":"); out.append(TextStream.quoted(d.className))
                out.append(",\"id\":"); out.append(k + 1)
                out.append(",\"score\":"); out.append(d.score, decimals: 6)
                out.append(",\"tiles\":["); appendTiles(d.tiles, quoted: true, to: &out)
                out.append("],\"world\":[")
                for (n, v) in worlds[k].enumerated() {
                    if n > 0 { out.append(",") }
                    out.append(v, decimals: 4)
                }
                out.append("]}\n")
                try out.flushIfFull()
            }
        }
        try TextStream.write(folder + "/detections.csv") { out in
            try out.write("id,class,score,x,y,z,width,height,depth,world_min_x,world_min_y,world_min_z,world_max_x,world_max_y,world_max_z,tiles\n")
            for k in detections.indices {
                let d = detections[k]
                out.append(k + 1); out.append(","); out.append(Self.csvField(d.className)); out.append(",")
                out.append(d.score, decimals: 6)
                for v in [d.box.minX, d.box.minY, d.minZ, d.box.width, d.box.height, d.depth] { out.append(","); out.append(v, decimals: 6) }
                for v in worlds[k] { out.append(","); out.append(v, decimals: 4) }
                out.append(","); out.append(Self.csvField(d.tiles.map { run.entries[$0].id }.joined(separator: ";"))); out.append("\n")
                try out.flushIfFull()
            }
        }
        return ["detections.jsonl", "detections.csv"]
    }

    /// The world bounds of a stack box: its eight voxel-edge corners through the affine.
    private func worldBounds(_ d: Detection) -> [Double] {
        var low = [Double](repeating: .infinity, count: 3), high = [Double](repeating: -.infinity, count: 3)
        for x in [d.box.minX, d.box.maxX] {
            for y in [d.box.minY, d.box.maxY] {
                for z in [d.minZ, d.maxZ] {
                    let p = run.world([x, y, z])
                    for a in 0 ..< 3 { low[a] = Swift.min(low[a], p[a]); high[a] = Swift.max(high[a], p[a]) }
                }
            }
        }
        return low + high
    }

    // MARK: COCO

    private func coco(_ detections: [Detection], ids: [String: Int], categories: [String], to out: inout TextStream) throws {
        let name = run.source.isEmpty ? "scene" : (run.source as NSString).lastPathComponent
        try out.write("{\"annotations\":[")
        // Indices, not `enumerated()`: copying each detection would retain its strings and arrays.
        for k in detections.indices {
            let b = detections[k].box
            out.append(k == 0 ? "\n{\"area\":" : ",\n{\"area\":")
            out.append(detections[k].polygon.map(PolygonRing.area) ?? b.area, decimals: 6)
            out.append(",\"bbox\":[")
            out.append(b.minX, decimals: 6); out.append(",")
            out.append(b.minY, decimals: 6); out.append(",")
            out.append(b.width, decimals: 6); out.append(",")
            out.append(b.height, decimals: 6)
            out.append("],\"category_id\":"); out.append(ids[detections[k].className]!)
            out.append(",\"id\":"); out.append(k + 1)
            out.append(",\"image_id\":1,\"iscrowd\":0,\"score\":"); out.append(detections[k].score, decimals: 6)
            if let ring = detections[k].polygon {
                out.append(",\"segmentation\":[[")
                for (n, p) in ring.enumerated() {
                    if n > 0 { out.append(",") }
                    out.append(p.x, decimals: 6); out.append(","); out.append(p.y, decimals: 6)
                }
                out.append("]]")
            }
            out.append(",\"tiles\":["); appendTiles(detections[k].tiles, quoted: true, to: &out); out.append("]}")
            try out.flushIfFull()
        }
        try out.write("\n],\"categories\":[" + categories.map { "{\"id\":\(ids[$0]!),\"name\":\(TextStream.quoted($0))}" }.joined(separator: ","))
        try out.write("],\"images\":[{\"file_name\":\(TextStream.quoted(name)),\"height\":\(run.sceneSize.height),\"id\":1,\"width\":\(run.sceneSize.width)}]}\n")
    }

    private func appendTiles(_ tiles: [Int], quoted: Bool, to out: inout TextStream) {
        for (k, t) in tiles.enumerated() {
            if k > 0 { out.append(quoted ? "," : ";") }
            out.append(quoted ? TextStream.quoted(run.entries[t].id) : run.entries[t].id)
        }
    }

    // MARK: CSV

    private func csv(_ detections: [Detection], to out: inout TextStream) throws {
        try out.write("id,class,score,x,y,width,height,tiles\n")
        let safeIDs = !run.entries.contains { $0.id.contains(where: { $0 == "," || $0 == "\"" || $0 == ";" || $0 == "\n" }) }
        var fields: [String: String] = [:]
        for k in detections.indices {
            let b = detections[k].box, className = detections[k].className
            out.append(k + 1); out.append(",")
            if fields[className] == nil { fields[className] = Self.csvField(className) }
            out.append(fields[className]!); out.append(",")
            out.append(detections[k].score, decimals: 6); out.append(",")
            out.append(b.minX, decimals: 6); out.append(",")
            out.append(b.minY, decimals: 6); out.append(",")
            out.append(b.width, decimals: 6); out.append(",")
            out.append(b.height, decimals: 6); out.append(",")
            if safeIDs {
                appendTiles(detections[k].tiles, quoted: false, to: &out)
            } else {
                out.append(Self.csvField(detections[k].tiles.map { run.entries[$0].id }.joined(separator: ";")))
            }
            out.append("\n")
            try out.flushIfFull()
        }
    }

    private static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    // MARK: GeoJSON

    /// One ring per detection in map coordinates (the scene's CRS, or WGS 84 longitude/latitude),
    /// all in one list, ring k at `starts[k] ..< starts[k + 1]`: the polygon when the prediction
    /// had one, else the box's four corners; counter-clockwise on a north-up map (RFC 7946's
    /// exterior-ring order).
    private func mapRings(_ detections: [Detection]) throws -> (points: [PixelPoint], starts: [Int]) {
        let transform = run.geoTransform ?? .identity
        var points: [PixelPoint] = [], starts: [Int] = [0]
        points.reserveCapacity(detections.count * 4)
        starts.reserveCapacity(detections.count + 1)
        for d in detections {
            let ring = d.polygon ?? [PixelPoint(x: d.box.minX, y: d.box.minY), PixelPoint(x: d.box.minX, y: d.box.maxY),
                                     PixelPoint(x: d.box.maxX, y: d.box.maxY), PixelPoint(x: d.box.maxX, y: d.box.minY)]
            var mapped = ring.map { p -> PixelPoint in
                let m = transform.apply(column: p.x, row: p.y)
                return PixelPoint(x: m.x, y: m.y)
            }
            if d.polygon != nil, PolygonRing.signedArea(mapped) < 0 { mapped.reverse() }
            points.append(contentsOf: mapped)
            starts.append(points.count)
        }
        if toWGS84, let srs = run.spatialReference {
            points = try attributing(to: run.folder) { try srs.transform(points, to: try SpatialReference.wgs84) }
        }
        return (points, starts)
    }

    private func geoJSON(_ detections: [Detection], points: [PixelPoint], starts: [Int], to out: inout TextStream) throws {
        var crsName: String?
        if toWGS84 {
            crsName = "urn:ogc:def:crs:OGC:1.3:CRS84"
        } else if let epsg = run.spatialReference?.epsg {
            crsName = "urn:ogc:def:crs:EPSG::\(epsg)"
        }
        try out.write("{\"type\":\"FeatureCollection\"," + (crsName.map { "\"crs\":{\"properties\":{\"name\":\"\($0)\"},\"type\":\"name\"}," } ?? "") + "\"features\":[")
        let decimals = toWGS84 ? 9 : 4
        var names: [String: String] = [:]
        for k in detections.indices {
            out.append(k == 0 ? "\n{\"geometry\":{\"coordinates\":[[" : ",\n{\"geometry\":{\"coordinates\":[[")
            let count = starts[k + 1] - starts[k]
            for n in 0 ... count {
                let p = points[starts[k] + n % count]
                out.append(n == 0 ? "[" : ",[")
                out.append(p.x, decimals: decimals); out.append(",")
                out.append(p.y, decimals: decimals); out.append("]")
            }
            out.append("]],\"type\":\"Polygon\"},\"properties\":{\"class\":")
            let className = detections[k].className
            if names[className] == nil { names[className] = TextStream.quoted(className) }
            out.append(names[className]!)
            out.append(",\"id\":"); out.append(k + 1)
            out.append(",\"score\":"); out.append(detections[k].score, decimals: 6)
            out.append(",\"tiles\":["); appendTiles(detections[k].tiles, quoted: true, to: &out); out.append("]},\"type\":\"Feature\"}")
            try out.flushIfFull()
        }
        try out.write("\n]}\n")
    }
}

/// A text file written through a 1 MB buffer under a temporary name, renamed when complete.
struct TextStream {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []

    /// Runs `body` with a stream into `path`'s temporary file, then moves it into place.
    static func write(_ path: String, _ body: (inout TextStream) throws -> Void) throws {
        try AtomicFile.produce(path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
                throw ScaleTileError(.io, path, "cannot create the file")
            }
            var stream = TextStream(handle: handle, path: path)
            stream.buffer.reserveCapacity(1 << 20)
            try body(&stream)
            try stream.flush()
            try handle.close()
        }
    }

    /// Appends `text` and flushes a full buffer.
    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        try flushIfFull()
    }

    /// Appends without flushing (callers flush once per record).
    mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    mutating func append(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(value.magnitude), minimumCount: 1)
    }

    /// `value` rounded to `decimals` places, trailing zeros (and a bare point) left out:
    /// `266`, `0.9`, `12.345678`. Exact decimal digits of the rounded value, the same on every platform.
    mutating func append(_ value: Double, decimals: Int) {
        let scale = Self.powersOfTen[decimals]
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 0x1p53 else { buffer.append(contentsOf: String(value).utf8); return }
        let n = UInt64(scaled), unit = UInt64(scale)
        if value < 0 && n != 0 { buffer.append(UInt8(ascii: "-")) }
        appendDigits(n / unit, minimumCount: 1)
        var fraction = n % unit, places = decimals
        guard fraction != 0 else { return }
        while fraction % 10 == 0 { fraction /= 10; places -= 1 }
        buffer.append(UInt8(ascii: "."))
        appendDigits(fraction, minimumCount: places)
    }

    private mutating func appendDigits(_ value: UInt64, minimumCount: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0, v = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat { raw[count] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; count += 1 } while v > 0
            while count < minimumCount { raw[count] = UInt8(ascii: "0"); count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[k]) }
        }
    }

    mutating func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch { throw ScaleTileError(.io, path, "cannot write (\(error.localizedDescription))") }
        buffer.removeAll(keepingCapacity: true)
    }

    private static let powersOfTen: [Double] = (0 ... 15).map { pow(10, Double($0)) }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
