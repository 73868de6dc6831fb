import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// What a quicklook shows, and where its legend's swatches are (tests and scripts read colours there).
public struct QuicklookReport: Sendable, Codable {
    /// One legend entry: what it names, its colour (8-bit RGB) and its swatch's centre in the picture.
    public struct LegendEntry: Sendable, Codable, Hashable {
        public var label: String
        public var colour: [UInt8]
        public var x: Int
        public var y: Int
    }
    public var path: String
    public var width: Int
    public var height: Int
    /// Level-0 pixels per picture pixel (1 when the scene fits unreduced).
    public var reduction: Double
    public var legend: [LegendEntry]
    /// Stacks: one montage panel per lesion — the slice drawn, its image's top-left corner in
    /// the picture and its scale (picture pixels per voxel).
    public struct Panel: Sendable, Codable, Hashable {
        public var lesion: String?
        public var slice: Int
        public var x: Int
        public var y: Int
        public var scale: Double
    }
    public var panels: [Panel]?

    init(path: String, width: Int, height: Int, reduction: Double, legend: [LegendEntry], panels: [Panel]? = nil) {
        self.path = path; self.width = width; self.height = height; self.reduction = reduction
        self.legend = legend; self.panels = panels
    }
}

/// `scaletile quicklook OUT [--out FILE.png]`: one picture of a run — the scene reduced and
/// stretched on its valid pixels, the windows outlined by level, the objects filled by fate
/// (whole and in band, whole but out of band, only cut), stitched detections outlined when
/// given, and a legend — drawn with cairo (``QuicklookCanvas``).
public struct QuicklookJob {
    /// The ScaleTile output folder.
    public var runFolder: String
    /// The PNG to write (default `OUT/quicklook.png`).
    public var output: String?
    /// The longest side of the scene in the picture, in pixels.
    public var maxSize = 1024
    /// A `detections.coco.json` from `scaletile stitch` to outline.
    public var detections: String?

    public init(run: String, output: String? = nil) {
        self.runFolder = run
        self.output = output
    }

    /// Window outline colours by level (level − the run's finest, cycling).
    public static let levelColours: [DrawingColour] = [
        DrawingColour(red: 0, green: 1, blue: 1), DrawingColour(red: 1, green: 0, blue: 1),
        DrawingColour(red: 1, green: 128 / 255, blue: 0), DrawingColour(red: 0, green: 0, blue: 1),
        DrawingColour(red: 1, green: 1, blue: 1),
    ]
    /// Object fills by fate.
    public static let inBand = DrawingColour(red: 0, green: 200 / 255, blue: 0)
    public static let wholeOutOfBand = DrawingColour(red: 1, green: 220 / 255, blue: 0)
    public static let onlyCut = DrawingColour(red: 230 / 255, green: 0, blue: 0)
    public static let detectionColour = DrawingColour(red: 1, green: 1, blue: 1)
    /// Split shades (drawn at ``splitAlpha`` over the windows of each split; opaque in the legend).
    public static let splitColours: [SplitName: DrawingColour] = [
        .train: DrawingColour(red: 30 / 255, green: 100 / 255, blue: 1),
        .val: DrawingColour(red: 170 / 255, green: 60 / 255, blue: 1),
        .test: DrawingColour(red: 160 / 255, green: 100 / 255, blue: 40 / 255),
    ]
    /// The opacity of split shading: the scene stays readable under it.
    public static let splitAlpha = 0.35
    static let panel = DrawingColour(red: 30 / 255, green: 30 / 255, blue: 30 / 255)
    static let legendWidth = 240

    private enum Fate: Int, CaseIterable { case inBand, wholeOutOfBand, onlyCut }

    private struct Summary: Decodable {
        struct Audit: Decodable {
            struct Target: Decodable { var id: String; var containmentCount: Int; var inBandCount: Int? }
            var targets: [Target]?
        }
        var audit: Audit?
    }

    public func run() throws -> QuicklookReport {
        let run = try StitchedRun(folder: runFolder)
        let path = output ?? runFolder + "/quicklook.png"
        guard maxSize >= 16 else { throw ScaleTileError.argument("--max-size", "must be at least 16, got \(maxSize)") }
        if run.volume != nil {
            return try StackQuicklook(run: run, runFolder: runFolder, maxSize: maxSize).draw(to: path)
        }
        guard !run.source.isEmpty, FileManager.default.fileExists(atPath: run.source) || DatasetName.isVirtual(run.source) else {
            throw ScaleTileError(.notFound, run.source.isEmpty ? runFolder : run.source, "the scene of \(runFolder) is not there to draw")
        }
        let dataset = try Dataset(opening: run.source)
        let scene = run.sceneSize
        let reduction = Swift.max(1, Double(Swift.max(scene.width, scene.height)) / Double(maxSize))
        let tw = Swift.max(1, Int((Double(scene.width) / reduction).rounded(.up)))
        let th = Swift.max(1, Int((Double(scene.height) / reduction).rounded(.up)))
        let rgb = try stretchedImage(dataset, width: tw, height: th)

        // Objects: their level-0 boxes from the manifest (whole appearances exactly; cut-only
        // objects as the union of their pieces), fates from the audit when there is one.
        var boxes: [String: PixelBox] = [:], whole: Set<String> = [], order: [String] = []
        for e in run.entries {
            let s = Level(e.level).scale, w = e.window
            for o in e.objects ?? [] {
                guard let b = o.bbox, b.count == 4 else { continue }
                let box = PixelBox(minX: Double(w.x) + b[0] / s, minY: Double(w.y) + b[1] / s,
                                   maxX: Double(w.x) + (b[0] + b[2]) / s, maxY: Double(w.y) + (b[1] + b[3]) / s)
                if boxes[o.id] == nil { order.append(o.id) }
                if !o.truncated {
                    whole.insert(o.id); boxes[o.id] = box
                } else if !whole.contains(o.id) {
                    boxes[o.id] = boxes[o.id].map { $0.union(box) } ?? box
                }
            }
        }
        let summaryData = FileManager.default.contents(atPath: runFolder + "/summary.json") ?? Data()
        let audit = (try? JSONDecoder().decode(Summary.self, from: summaryData))?.audit?.targets ?? []
        let auditByID = Dictionary(audit.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func fate(_ id: String) -> Fate {
            if let t = auditByID[id] {
                if t.containmentCount == 0 { return .onlyCut }
                if let inBand = t.inBandCount, inBand == 0 { return .wholeOutOfBand }
                return .inBand
            }
            return whole.contains(id) ? .inBand : .onlyCut
        }

        let levels = Array(Set(run.entries.map(\.level))).sorted()
        let splits = Array(Set(run.entries.compactMap(\.split))).sorted()
        let legendRows = 3 + levels.count + Fate.allCases.count + (detections == nil ? 0 : 2) + (splits.isEmpty ? 0 : 1 + splits.count)
        let width = tw + Self.legendWidth, height = Swift.max(th, 24 * legendRows + 20)
        let canvas = try QuicklookCanvas(width: width, height: height, background: Self.panel)
        canvas.image(rgb: rgb, width: tw, height: th, x: 0, y: 0)

        canvas.clip(x: 0, y: 0, width: Double(tw), height: Double(th))
        func rect(_ w: Window) -> (x: Double, y: Double, width: Double, height: Double) {
            let x0 = (Double(w.x) / reduction).rounded(), y0 = (Double(w.y) / reduction).rounded()
            let x1 = (Double(w.maxX) / reduction).rounded(), y1 = (Double(w.maxY) / reduction).rounded()
            return (x0, y0, x1 - x0, y1 - y0)
        }
        // Splits under everything else: each split's windows shaded once (their union).
        for split in splits {
            var shade = Self.splitColours[split]!
            shade.alpha = Self.splitAlpha
            canvas.fill(rectangles: run.entries.filter { $0.split == split }.map { rect($0.window.window) }, shade)
        }
        // Coarse levels first, so the finer windows' lines stay visible where they coincide.
        for level in levels.reversed() {
            let colour = Self.levelColours[(level - levels[0]) % Self.levelColours.count]
            for e in run.entries where e.level == level {
                let r = rect(e.window.window)
                canvas.outline(x: r.x, y: r.y, width: r.width, height: r.height, colour, lineWidth: 2)
            }
        }
        var fateCounts = [Int](repeating: 0, count: Fate.allCases.count)
        for id in order {
            guard let b = boxes[id] else { continue }
            let f = fate(id)
            fateCounts[f.rawValue] += 1
            // At least 2 picture pixels, so the smallest objects still show.
            let w = Swift.max(2, b.width / reduction), h = Swift.max(2, b.height / reduction)
            canvas.fill(x: b.minX / reduction, y: b.minY / reduction, width: w, height: h, [Self.inBand, Self.wholeOutOfBand, Self.onlyCut][f.rawValue])
        }
        var detectionCount = 0
        if let detections {
            for b in try Self.detectionBoxes(detections) {
                canvas.outline(x: b.minX / reduction, y: b.minY / reduction, width: b.width / reduction, height: b.height / reduction,
                               Self.detectionColour, lineWidth: 1)
                detectionCount += 1
            }
        }
        canvas.unclip()

        // The legend, on the panel right of the scene.
        var legend: [QuicklookReport.LegendEntry] = []
        let left = Double(tw + 16)
        var y = 28.0
        let title = (run.source as NSString).lastPathComponent
        canvas.text(title.count > 30 ? String(title.prefix(29)) + "…" : title, x: left, y: y, size: 14, DrawingColour(red: 1, green: 1, blue: 1))
        y += 26
        func row(_ label: String, _ colour: DrawingColour) {
            canvas.fill(x: left, y: y - 12, width: 16, height: 16, colour)
            canvas.text(label, x: left + 24, y: y + 1, size: 12, DrawingColour(red: 1, green: 1, blue: 1))
            legend.append(.init(label: label, colour: colour.bytes, x: Int(left) + 8, y: Int(y) - 4))
            y += 24
        }
        canvas.text("windows", x: left, y: y, size: 12, DrawingColour(red: 0.8, green: 0.8, blue: 0.8)); y += 22
        for level in levels {
            row("level \(level): \(run.entries.count { $0.level == level }) tiles", Self.levelColours[(level - levels[0]) % Self.levelColours.count])
        }
        canvas.text("objects", x: left, y: y, size: 12, DrawingColour(red: 0.8, green: 0.8, blue: 0.8)); y += 22
        row("whole, in band: \(fateCounts[0])", Self.inBand)
        row("whole, out of band: \(fateCounts[1])", Self.wholeOutOfBand)
        row("only cut: \(fateCounts[2])", Self.onlyCut)
        if !splits.isEmpty {
            canvas.text("splits (shaded)", x: left, y: y, size: 12, DrawingColour(red: 0.8, green: 0.8, blue: 0.8)); y += 22
            for split in splits { row("\(split.rawValue): \(run.entries.count { $0.split == split }) tiles", Self.splitColours[split]!) }
        }
        if detections != nil {
            canvas.text("predictions", x: left, y: y, size: 12, DrawingColour(red: 0.8, green: 0.8, blue: 0.8)); y += 22
            row("stitched: \(detectionCount)", Self.detectionColour)
        }
        try canvas.writePNG(to: path)
        return QuicklookReport(path: path, width: width, height: height, reduction: reduction, legend: legend)
    }

    /// The scene's first three bands (or its one band, grey) reduced by GDAL to `width` × `height`
    /// and stretched to 8 bits between the 2nd and 98th percentile of each band's valid pixels.
    private func stretchedImage(_ dataset: Dataset, width: Int, height: Int) throws -> [UInt8] {
        let bands = dataset.bandCount >= 3 ? [1, 2, 3] : [1, 1, 1]
        var out = [UInt8](repeating: 0, count: 3 * width * height)
        for (c, number) in bands.enumerated() {
            let values = try dataset.resampledBand(number, to: RasterSize(width: width, height: height), resampling: .average)
            let nodata = try dataset.band(number).nodata
            let valid = values.filter { !$0.isNaN && $0 != nodata }.sorted()
            guard !valid.isEmpty else { continue }
            let low = valid[Int(Double(valid.count - 1) * 0.02)], high = valid[Int(Double(valid.count - 1) * 0.98)]
            let span = Swift.max(high - low, 1e-12)
            for i in values.indices where !values[i].isNaN && values[i] != nodata {
                out[c * width * height + i] = UInt8(Swift.min(255, Swift.max(0, ((values[i] - low) / span * 255).rounded())))
            }
        }
        return out
    }

    private struct DetectionDocument: Decodable {
        struct Annotation: Decodable { var bbox: [Double] }
        var annotations: [Annotation]
    }

    static func detectionBoxes(_ path: String) throws -> [PixelBox] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ScaleTileError(.notFound, path, "no such detections file") }
        guard let document = try? JSONDecoder().decode(DetectionDocument.self, from: data) else {
            throw ScaleTileError(.invalidInput, path, "not a detections.coco.json of scaletile stitch")
        }
        return document.annotations.compactMap { $0.bbox.count == 4 ? PixelBox(x: $0.bbox[0], y: $0.bbox[1], width: $0.bbox[2], height: $0.bbox[3]) : nil }
    }
}
