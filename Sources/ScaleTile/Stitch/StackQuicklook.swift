import Foundation
import ScaleTileCore
import ScaleTileMedical
import ScaleTileSatellite

/// The quicklook of a stack or volume run: a montage of one panel per lesion — the slice
/// through the lesion's centre, stretched on its own 2nd–98th percentiles, with the patches
/// crossing that slice outlined by level and the lesions crossing it outlined by fate — and the
/// legend. Drawn with cairo (``QuicklookCanvas``), as the scene's.
struct StackQuicklook {
    let run: StitchedRun
    let runFolder: String
    let maxSize: Int

    /// Panels shown at most: a montage of more would be too small to judge.
    static let panelLimit = 24
    static let gap = 6
    static let titleHeight = 18
    /// Lesion outlines by fate, with the scene's fate colours; `missed` is a lesion no patch meets.
    static let missed = DrawingColour(red: 150 / 255, green: 150 / 255, blue: 150 / 255)

    private struct Summary: Decodable {
        struct Lesions: Decodable {
            struct Record: Decodable { var id: Int; var bbox: Window; var patchesContaining: Int; var patchesTouching: Int }
            var table: [Record]
        }
        struct Audit: Decodable {
            struct Target: Decodable { var id: String; var inBandCount: Int? }
            var targets: [Target]?
        }
        var lesions: Lesions?
        var audit: Audit?
    }

    private struct Lesion {
        let id: Int
        let box: Window
        let fate: Int
    }

    func draw(to path: String) throws -> QuicklookReport {
        guard let volume = run.volume else { preconditionFailure("not a stack output") }
        guard !run.source.isEmpty, FileManager.default.fileExists(atPath: run.source) else {
            throw ScaleTileError(.notFound, run.source.isEmpty ? runFolder : run.source, "the volume of \(runFolder) is not there to draw")
        }
        let data = FileManager.default.contents(atPath: runFolder + "/summary.json") ?? Data()
        let summary = try? JSONDecoder().decode(Summary.self, from: data)
        let inBand = Dictionary((summary?.audit?.targets ?? []).map { ($0.id, $0.inBandCount) }, uniquingKeysWith: { a, _ in a })
        let lesions = (summary?.lesions?.table ?? []).map { r -> Lesion in
            let fate: Int
            if r.patchesTouching == 0 { fate = 3 } else if r.patchesContaining == 0 { fate = 2 } else if inBand[String(r.id)] == .some(0) { fate = 1 } else { fate = 0 }
            return Lesion(id: r.id, box: r.bbox, fate: fate)
        }
        let fateColours = [QuicklookJob.inBand, QuicklookJob.wholeOutOfBand, QuicklookJob.onlyCut, Self.missed]
        // One panel per lesion (its centre slice), or the middle slice when there are none.
        let shown = Array(lesions.prefix(Self.panelLimit))
        let slices = shown.isEmpty ? [volume.size.depth / 2] : shown.map { $0.box.z + $0.box.depth / 2 }
        let columns = Int(Double(slices.count).squareRoot().rounded(.up)), rows = (slices.count + columns - 1) / columns
        let cell = Swift.max(64, Swift.min(256, maxSize / columns))
        let scale = Double(cell) / Double(Swift.max(volume.size.width, volume.size.height))
        let pw = Swift.max(1, Int((Double(volume.size.width) * scale).rounded())), ph = Swift.max(1, Int((Double(volume.size.height) * scale).rounded()))
        let levels = Array(Set(run.entries.map(\.level))).sorted()
        let montageWidth = Self.gap + columns * (pw + Self.gap), montageHeight = Self.gap + rows * (Self.titleHeight + ph + Self.gap)
        let legendRows = 4 + levels.count + fateColours.count
        let width = montageWidth + QuicklookJob.legendWidth, height = Swift.max(montageHeight, 24 * legendRows + 20)
        let canvas = try QuicklookCanvas(width: width, height: height, background: QuicklookJob.panel)
        let source = try MedicalSource.open(run.source)
        let white = DrawingColour(red: 1, green: 1, blue: 1)

        var panels: [QuicklookReport.Panel] = []
        for (k, z) in slices.enumerated() {
            let px = Self.gap + (k % columns) * (pw + Self.gap), top = Self.gap + (k / columns) * (Self.titleHeight + ph + Self.gap)
            let py = top + Self.titleHeight
            let title = shown.isEmpty ? "slice \(z) (no lesions)" : "lesion \(shown[k].id) · slice \(z)"
            canvas.text(title, x: Double(px), y: Double(top + 13), size: 12, white)
            let slice = try source.read(Window(x: 0, y: 0, z: z, width: volume.size.width, height: volume.size.height, depth: 1), channels: [0])
            canvas.image(rgb: Self.stretched(slice.samples(band: 0), size: volume.size, width: pw, height: ph), width: pw, height: ph, x: px, y: py)
            canvas.clip(x: Double(px), y: Double(py), width: Double(pw), height: Double(ph))
            func rect(_ w: Window) -> (Double, Double, Double, Double) {
                let x0 = (Double(px) + Double(w.x) * scale).rounded(), y0 = (Double(py) + Double(w.y) * scale).rounded()
                let x1 = (Double(px) + Double(w.maxX) * scale).rounded(), y1 = (Double(py) + Double(w.maxY) * scale).rounded()
                return (x0, y0, x1 - x0, y1 - y0)
            }
            // Coarse levels first, as in the scene's picture; then the lesions on top.
            for level in levels.reversed() {
                let colour = QuicklookJob.levelColours[(level - levels[0]) % QuicklookJob.levelColours.count]
                for e in run.entries where e.level == level {
                    let w = e.window.window
                    guard w.z <= z, z < w.maxZ else { continue }
                    let (x, y, rw, rh) = rect(w)
                    canvas.outline(x: x, y: y, width: rw, height: rh, colour, lineWidth: 2)
                }
            }
            for lesion in lesions where lesion.box.z <= z && z < lesion.box.maxZ {
                let (x, y, rw, rh) = rect(lesion.box)
                canvas.outline(x: x, y: y, width: Swift.max(2, rw), height: Swift.max(2, rh), fateColours[lesion.fate], lineWidth: 2)
            }
            canvas.unclip()
            panels.append(.init(lesion: shown.isEmpty ? nil : String(shown[k].id), slice: z, x: px, y: py, scale: scale))
        }

        var legend: [QuicklookReport.LegendEntry] = []
        let left = Double(montageWidth + 16)
        var y = 28.0
        let name = (run.source as NSString).lastPathComponent
        canvas.text(name.count > 30 ? String(name.prefix(29)) + "…" : name, x: left, y: y, size: 14, white)
        y += 26
        func row(_ label: String, _ colour: DrawingColour) {
            canvas.fill(x: left, y: y - 12, width: 16, height: 16, colour)
            canvas.text(label, x: left + 24, y: y + 1, size: 12, white)
            legend.append(.init(label: label, colour: colour.bytes, x: Int(left) + 8, y: Int(y) - 4))
            y += 24
        }
        let grey = DrawingColour(red: 0.8, green: 0.8, blue: 0.8)
        canvas.text("patches", x: left, y: y, size: 12, grey); y += 22
        for level in levels {
            row("level \(level): \(run.entries.count { $0.level == level }) patches", QuicklookJob.levelColours[(level - levels[0]) % QuicklookJob.levelColours.count])
        }
        canvas.text(lesions.count > shown.count ? "lesions (\(shown.count) of \(lesions.count) shown)" : "lesions", x: left, y: y, size: 12, grey); y += 22
        let counts = (0 ..< 4).map { f in lesions.count { $0.fate == f } }
        row("whole, in band: \(counts[0])", fateColours[0])
        row("whole, out of band: \(counts[1])", fateColours[1])
        row("only cut: \(counts[2])", fateColours[2])
        row("in no patch: \(counts[3])", fateColours[3])
        try canvas.writePNG(to: path)
        return QuicklookReport(path: path, width: width, height: height, reduction: 1 / scale, legend: legend, panels: panels)
    }

    /// A slice reduced (or enlarged) to `width` × `height` by taking the voxel under each
    /// picture pixel's centre, stretched to 8 bits between its 2nd and 98th percentiles, grey.
    static func stretched(_ values: [Double], size: RasterSize, width: Int, height: Int) -> [UInt8] {
        let sorted = values.filter { !$0.isNaN }.sorted()
        var out = [UInt8](repeating: 0, count: 3 * width * height)
        guard !sorted.isEmpty else { return out }
        let low = sorted[Int(Double(sorted.count - 1) * 0.02)], high = sorted[Int(Double(sorted.count - 1) * 0.98)]
        let span = Swift.max(high - low, 1e-12)
        for j in 0 ..< height {
            let y = Swift.min(size.height - 1, Int((Double(j) + 0.5) * Double(size.height) / Double(height)))
            for i in 0 ..< width {
                let x = Swift.min(size.width - 1, Int((Double(i) + 0.5) * Double(size.width) / Double(width)))
                let v = values[y * size.width + x]
                let byte = v.isNaN ? 0 : UInt8(Swift.min(255, Swift.max(0, ((v - low) / span * 255).rounded())))
                for c in 0 ..< 3 { out[c * width * height + j * width + i] = byte }
            }
        }
        return out
    }
}
