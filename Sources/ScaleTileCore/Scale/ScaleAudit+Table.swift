import Foundation

extension ScaleAudit {
    /// The audit as a short fixed-width table for the end of a run.
    ///
    /// ```
    /// scale audit: 2000 windows, 40 targets
    ///   contained whole in ≥ 1 window       36 of 40    90.0%
    ///   1-coverage                          36 of 40    90.0%
    ///   5-coverage                          36 of 40    90.0%
    ///   sampling bias R                            ∞
    ///   R over the 36 containable               1.04
    ///   ...
    /// ```
    public func table() -> String {
        var lines = ["scale audit: \(windowCount) windows, \(targetCount) targets"]
        func row(_ label: String, _ value: String, _ note: String = "") {
            lines.append("  " + label.padding(36) + value.padding(10, leading: true) + (note.isEmpty ? "" : "   " + note))
        }
        func ofTargets(_ count: Int, _ share: Double?) -> (String, String) {
            ("\(count) of \(targetCount)", share.map { String(format: "%.1f%%", $0 * 100) } ?? "–")
        }
        let contained = targets.count { $0.containmentCount > 0 }
        let (count, percent) = ofTargets(contained, containedShare)
        row("contained whole in ≥ 1 window", count, percent)
        if let sizeBand, let inBandShare {
            let (count, percent) = ofTargets(targets.count { ($0.inBandCount ?? 0) > 0 }, inBandShare)
            row("in band \(sizeBand) in ≥ 1 window", count, percent)
        }
        if let weightFit {
            row("weight fit (TV distance)", String(format: "%.3f", weightFit), "0: centres follow the map block for block")
        }
        for figure in coverage {
            let (count, percent) = ofTargets(figure.targetCount, figure.share)
            row("\(figure.k)-coverage", count, percent)
        }
        // A plain grid places no window for a target: the sampler's figures do not apply.
        if sampled {
            row("sampling bias R", Self.ratio(samplingBias))
            if containableCount < targetCount {
                row("R over the \(containableCount) containable", Self.ratio(containableSamplingBias))
            }
            row("bucket balance, all occurrences", Self.ratio(bucketBalance), Self.bucketList(bucketOccurrences))
            row("bucket balance, own targets", Self.ratio(targetedBucketBalance), Self.bucketList(targetedBucketCounts))
            row("size slope", sizeSlope.map { String(format: "%.2f", $0) } ?? "–", "0 size-blind, 1 size-proportional")
        }

        lines.append("")
        lines.append("  " + "size s".padding(16) + "targets".padding(10, leading: true) + "in windows".padding(12, leading: true))
        for (before, after) in zip(histogramBefore.bins, histogramAfter.bins) {
            let range = "[\(Int(before.minSize)), \(Int(before.maxSize)))"
            lines.append("  " + range.padding(16) + "\(before.count)".padding(10, leading: true)
                         + "\(after.count)".padding(12, leading: true))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A ratio for people: two decimals, ∞ (some count is 0), or a dash when undefined.
    private static func ratio(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value.isInfinite ? "∞" : String(format: "%.2f", value)
    }

    private static func bucketList(_ counts: BucketCounts) -> String {
        SizeBucket.allCases.map { "\($0.rawValue) \(counts[$0])" }.joined(separator: "  ")
    }
}

extension String {
    /// The string padded with spaces to `width` characters (at the front when `leading`);
    /// longer strings are left whole so no figure is ever cut.
    fileprivate func padding(_ width: Int, leading: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - count))
        return leading ? fill + self : self + fill
    }
}
