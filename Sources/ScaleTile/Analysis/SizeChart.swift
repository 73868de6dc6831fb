import Foundation
import ScaleTileCore

/// The size distribution of an analysis as an SVG bar chart (`analyze --chart FILE.svg`).
///
/// One bar per power-of-two size bin (s = √n; one bin is one pyramid level), stacked by class,
/// with a count axis, bin labels and a legend: something a person can open in a browser and
/// read. The most frequent classes get their own colour; the rest share one grey "other".
/// Plain SVG text with no dependency, and no timestamps, so equal reports give equal files.
public enum SizeChart {
    /// Classes coloured individually; further classes are drawn as "other".
    static let colouredClasses = 9
    /// Tableau 10, which stays distinguishable for most colour-blind readers; grey is "other".
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
    static let otherColour = "#bab0ac"

    /// The SVG document for `report`.
    public static func svg(for report: AnalysisReport) -> String {
        let bins = report.histogram.bins
        let width = 760.0, height = 420.0
        let left = 70.0, right = 200.0, top = 50.0, bottom = 70.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom

        // Classes by count, largest first; ties by name so the picture is deterministic.
        let ranked = report.classHistograms.sorted {
            let a = $0.counts.reduce(0, +), b = $1.counts.reduce(0, +)
            return a != b ? a > b : $0.className < $1.className
        }
        var series = ranked.prefix(colouredClasses).enumerated().map { (i, c) in (name: c.className, colour: palette[i], counts: c.counts) }
        if ranked.count > 2 * colouredClasses {
            // Dozens of classes (an instance mask's ids, say) make confetti, not a picture: one series.
            series = [(name: "all \(ranked.count) classes", colour: palette[0], counts: bins.map(\.count))]
        } else if ranked.count > colouredClasses {
            var other = [Int](repeating: 0, count: bins.count)
            for c in ranked.dropFirst(colouredClasses) { for (i, n) in c.counts.enumerated() { other[i] += n } }
            series.append((name: "other (\(ranked.count - colouredClasses) classes)", colour: otherColour, counts: other))
        }

        let most = bins.map(\.count).max() ?? 0
        let step = niceStep(for: most)
        let axisMax = Double(Swift.max(step, Int((Double(most) / Double(step)).rounded(.up)) * step))
        let slot = bins.isEmpty ? plotWidth : plotWidth / Double(bins.count)
        let barWidth = slot * 0.78
        func y(_ count: Double) -> Double { top + plotHeight - count / axisMax * plotHeight }

        let noun = report.targetNoun.plural
        let unit = report.kind == .mask ? "voxels" : "pixels"
        var svg: [String] = []
        svg.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(fmt(width))" height="\##(fmt(height))" viewBox="0 0 \##(fmt(width)) \##(fmt(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"##)
        svg.append(##"<rect x="0" y="0" width="\##(fmt(width))" height="\##(fmt(height))" fill="#ffffff"/>"##)
        let title = "\((report.source as NSString).lastPathComponent): \(report.targetCount) \(noun) by size"
        svg.append(##"<text x="\##(fmt(left))" y="28" font-size="15" font-weight="bold">\##(escaped(title))</text>"##)

        // Count axis with grid lines.
        for tick in stride(from: 0, through: Int(axisMax), by: step) {
            let ty = y(Double(tick))
            svg.append(##"<line class="grid" x1="\##(fmt(left))" y1="\##(fmt(ty))" x2="\##(fmt(left + plotWidth))" y2="\##(fmt(ty))" stroke="#e0e0e0"/>"##)
            svg.append(##"<text class="tick" x="\##(fmt(left - 8))" y="\##(fmt(ty + 4))" text-anchor="end">\##(tick)</text>"##)
        }
        svg.append(##"<line x1="\##(fmt(left))" y1="\##(fmt(top))" x2="\##(fmt(left))" y2="\##(fmt(top + plotHeight))" stroke="#333333"/>"##)
        svg.append(##"<line x1="\##(fmt(left))" y1="\##(fmt(top + plotHeight))" x2="\##(fmt(left + plotWidth))" y2="\##(fmt(top + plotHeight))" stroke="#333333"/>"##)
        svg.append(##"<text x="18" y="\##(fmt(top + plotHeight / 2))" transform="rotate(-90 18 \##(fmt(top + plotHeight / 2)))" text-anchor="middle">\##(escaped("number of \(noun)"))</text>"##)
        svg.append(##"<text x="\##(fmt(left + plotWidth / 2))" y="\##(fmt(height - 18))" text-anchor="middle">\##(escaped("size s = √(\(unit)), power-of-two bins (one bin = one pyramid level)"))</text>"##)

        // The --object-size band behind the bars: where on the size axis objects are wanted.
        if let band = report.levels?.band, let first = bins.first {
            func x(_ size: Double) -> Double {
                Swift.min(Swift.max(left + (log2(size) - Double(first.exponent)) * slot, left), left + plotWidth)
            }
            let x0 = x(band.min), x1 = x(band.max)
            if x1 > x0 {
                svg.append(##"<rect class="band" x="\##(fmt(x0))" y="\##(fmt(top))" width="\##(fmt(x1 - x0))" height="\##(fmt(plotHeight))" fill="#59a14f" fill-opacity="0.12" stroke="#59a14f" stroke-dasharray="4 3"><title>\##(escaped("--object-size band \(band)"))</title></rect>"##)
                svg.append(##"<text class="band" x="\##(fmt((x0 + x1) / 2))" y="\##(fmt(top - 6))" text-anchor="middle" font-size="11" fill="#3b7a34">\##(escaped("object-size band \(band)"))</text>"##)
            }
        }

        // Stacked bars, one slot per bin.
        for (i, bin) in bins.enumerated() {
            let x = left + Double(i) * slot + (slot - barWidth) / 2
            var base = 0
            for s in series where s.counts[i] > 0 {
                let y0 = y(Double(base + s.counts[i])), y1 = y(Double(base))
                svg.append(##"<rect class="bar" x="\##(fmt(x))" y="\##(fmt(y0))" width="\##(fmt(barWidth))" height="\##(fmt(y1 - y0))" fill="\##(s.colour)"><title>\##(escaped("\(s.name): \(s.counts[i]) with s in [\(Int(bin.minSize)), \(Int(bin.maxSize)))"))</title></rect>"##)
                base += s.counts[i]
            }
            let cx = left + Double(i) * slot + slot / 2
            if bin.count > 0 {
                svg.append(##"<text class="count" x="\##(fmt(cx))" y="\##(fmt(y(Double(bin.count)) - 4))" text-anchor="middle" font-size="10">\##(bin.count)</text>"##)
            }
            svg.append(##"<text class="bin" x="\##(fmt(cx))" y="\##(fmt(top + plotHeight + 16))" text-anchor="middle" font-size="11">\##(Int(bin.minSize))–\##(Int(bin.maxSize))</text>"##)
        }

        // Legend.
        let legendX = left + plotWidth + 20
        svg.append(##"<text x="\##(fmt(legendX))" y="\##(fmt(top + 4))" font-weight="bold">\##(report.kind == .mask ? "label" : "class")</text>"##)
        for (i, s) in series.enumerated() {
            let ly = top + 18 + Double(i) * 18
            svg.append(##"<rect class="legend" x="\##(fmt(legendX))" y="\##(fmt(ly - 10))" width="12" height="12" fill="\##(s.colour)"/>"##)
            svg.append(##"<text x="\##(fmt(legendX + 18))" y="\##(fmt(ly))">\##(escaped(String(s.name.prefix(24))))</text>"##)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// A tick step of 1, 2 or 5 times a power of ten giving about five ticks up to `maximum`.
    static func niceStep(for maximum: Int) -> Int {
        guard maximum > 5 else { return 1 }
        let rough = Double(maximum) / 5
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].first { $0 * power >= rough }! * power
        return Swift.max(1, Int(step))
    }

    /// A coordinate with at most one decimal, so files do not carry float noise.
    static func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// Text made safe inside an XML element or attribute.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
