import Foundation
import ScaleTileCore

extension AnalysisReport {
    /// Class rows shown before the rest are summarised in one line: an instance mask has a
    /// "class" per instance, and a table of 125 of them helps nobody.
    static let shownClassRows = 12

    /// The report as a short table for people (what `analyze` prints without `--json`).
    ///
    /// ```
    /// mask2d.tif: 125 objects in a label raster 512 x 512, 8-connected
    ///
    ///   size s          count   small   medium   large
    ///   [4, 8)              9       9        0       0
    ///   ...
    /// ```
    public func table() -> String {
        let noun = targetNoun
        var lines: [String] = []
        var what: String
        switch kind {
        case .mask: what = "a mask stack"
        case .labelRaster: what = "a label raster"
        case .labels: what = "\(format ?? "label") labels"
        }
        if let size { what += " " + size.map(String.init).joined(separator: " x ") }
        if let spacing, spacing.unit != "pixel" { what += " at \(Self.number(spacing.x)) x \(Self.number(spacing.y)) x \(Self.number(spacing.z)) \(spacing.unit)" }
        if let connectivity { what += ", \(connectivity)-connected" }
        lines.append("\((source as NSString).lastPathComponent): \(targetCount.counted(noun.singular, noun.plural)) in \(what)")
        guard targetCount > 0 else { return lines.joined(separator: "\n") + "\n" }

        lines.append("")
        let unit = kind == .mask ? "√voxels" : "√pixels"
        lines.append("  " + "size s (\(unit))".padded(18) + "count".padded(7, leading: true))
        let most = histogram.bins.map(\.count).max() ?? 1
        for bin in histogram.bins {
            let bar = String(repeating: "█", count: bin.count == 0 ? 0 : Swift.max(1, bin.count * 40 / Swift.max(1, most)))
            lines.append("  " + "[\(Int(bin.minSize)), \(Int(bin.maxSize)))".padded(18) + "\(bin.count)".padded(7, leading: true) + "  " + bar)
        }

        lines.append("")
        lines.append("  " + "class".padded(14) + "small".padded(8, leading: true) + "medium".padded(8, leading: true)
                     + "large".padded(8, leading: true) + "total".padded(8, leading: true)
                     + "weight 1/n".padded(12, leading: true) + "weight eff.n".padded(14, leading: true))
        let weights = Dictionary(classWeights.classes.map { ($0.className, $0) }, uniquingKeysWith: { a, _ in a })
        for row in classSizes.prefix(Self.shownClassRows) {
            let w = weights[row.className]
            lines.append("  " + row.className.padded(14) + "\(row.buckets.small)".padded(8, leading: true)
                         + "\(row.buckets.medium)".padded(8, leading: true) + "\(row.buckets.large)".padded(8, leading: true)
                         + "\(row.count)".padded(8, leading: true)
                         + (w.map { String(format: "%.3f", $0.inverseFrequency) } ?? "–").padded(12, leading: true)
                         + (w.map { String(format: "%.3f", $0.effectiveNumber) } ?? "–").padded(14, leading: true))
        }
        if classSizes.count > Self.shownClassRows {
            let rest = classSizes.count - Self.shownClassRows
            lines.append("  … \(rest.counted("more class", "more classes"))\(kind == .labels ? "" : " (if the values are instance ids, --instances counts them as one class)")")
        }
        if classSizes.count > 1 {
            lines.append("  " + "all".padded(14) + "\(buckets.small)".padded(8, leading: true) + "\(buckets.medium)".padded(8, leading: true)
                         + "\(buckets.large)".padded(8, leading: true) + "\(buckets.total)".padded(8, leading: true))
        }
        lines.append("  (COCO buckets by area n: small < 32², medium < 96², large ≥ 96²; weights normalised to mean 1, β = \(Self.number(classWeights.beta)))")

        lines.append("")
        if let o = overlap {
            let t = o.tileSize, v = o.overlap
            let tile = t.depth > 1 && (size?.count ?? 0) == 3 ? "\(t.width) x \(t.height) x \(t.depth)" : "\(t.width) x \(t.height)"
            let shared = t.depth > 1 && (size?.count ?? 0) == 3 ? "\(v.width) x \(v.height) x \(v.depth)" : "\(v.width) x \(v.height)"
            var line = "  overlap for \(tile) tiles: \(shared) keeps \(o.guaranteedCount) of \(targetCount) whole in some tile"
            if o.largerThanTileCount > 0 { line += "; \(o.largerThanTileCount) larger than a tile" }
            if o.notGuaranteedCount > 0 { line += "; \(o.notGuaranteedCount) above the overlap cap" }
            lines.append(line)
        }
        if let l = levels {
            let used = l.levels.map { "\($0.level) (\($0.targetCount))" }.joined(separator: ", ")
            var line = "  levels for sizes \(l.band): \(used.isEmpty ? "none" : used)"
            if l.zoomInCount > 0 { line += "; \(l.zoomInCount) below \(Self.number(l.band.min)) even at level \(l.candidateLevels.first ?? 0) (zoom-in candidates)" }
            if l.outOfReachCount > 0 { line += "; \(l.outOfReachCount) above \(Self.number(l.band.max)) at every level" }
            if l.betweenLevelsCount > 0 { line += "; \(l.betweenLevelsCount) between two levels" }
            lines.append(line)
        } else {
            lines.append("  levels: give --object-size MIN:MAX (the size an object should have in a tile) to get the levels it needs")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0.5`, `3`, `0.999`: a number as people write it.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(value)
    }
}

extension String {
    /// The string padded with spaces to `width` characters (at the front when `leading`);
    /// longer strings are kept whole.
    func padded(_ width: Int, leading: Bool = false) -> String {
        let fill = String(repeating: " ", count: Swift.max(0, width - count))
        return leading ? fill + self : self + fill
    }
}
