import Foundation
import ScaleTileCore

/// What a command's run wrote: the job's own summary (what `--json` prints and `summary.json`
/// holds) and the lines a person reads after it.
public enum CommandOutcome: Sendable, Encodable {
    /// A tiling or sampling run, of any source.
    case tiles(TileSummary)
    /// A pyramid, of any source.
    case pyramid(PyramidSummary)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .tiles(let s): try s.encode(to: encoder)
        case .pyramid(let s): try s.encode(to: encoder)
        }
    }

    /// The shortfall line of an audit whose targets are not all whole in some window, with what to do.
    static func neverWhole(_ audit: ScaleAudit, window: String, noun: String = "objects", remedy: String) -> String {
        let whole = audit.targets.filter { $0.containmentCount == 0 }
        guard !whole.isEmpty else { return "" }
        let tooLarge = whole.filter { !$0.containable }.count
        return "warning: \(whole.count) \(noun) are whole in no \(window) (\(tooLarge) larger than a \(window) at every level used): \(remedy)\n"
    }

    /// Warnings to print even with `--quiet`.
    public var warnings: [String] {
        guard case .tiles(let s) = self else { return [] }
        return (s.labels?.warnings ?? []).map { "warning: \($0)" }
    }

    /// The closing lines of `command` into `out` after `seconds`: counts, then the audit table.
    public func report(of command: Preset.Job, out: String, source: String, seconds: Double) -> String {
        switch self {
        case .tiles(let s) where s.isStack:
            return s.patchReport(of: command, out: out, seconds: seconds)
        case .tiles(let s) where command == .sample:
            let remedy = "sample more (--count), use --strategy object-balanced, or add levels (--levels)"
            return "wrote \(s.counts.written) windows into \(out)\n" + (s.audit.map { Self.neverWhole($0, window: "window", remedy: remedy) + $0.table() } ?? "")
        case .tiles(let s):
            let t = s.counts
            let text = String(format: "wrote %d tiles into %@ in %.1f s (%d kept from an earlier run, %d skipped for nodata)\n",
                              t.written, out, seconds, t.resumed, t.skippedNodata ?? 0)
            let remedy = "add levels, a larger tile or --overlap auto"
            return text + (s.audit.map { Self.neverWhole($0, window: "tile", remedy: remedy) + $0.table() } ?? "")
        case .pyramid(let s):
            let lines = s.levels.map { l in
                let spacing = l.spacing.map { ", spacing \($0)" } ?? ""
                return "  level \(l.level): \(l.size.map(String.init).joined(separator: " x "))\(spacing)  \(l.path)\(l.subIFD.map { " (SubIFD \($0))" } ?? "")"
            }
            return "pyramid of \(source) in \(String(format: "%.1f", seconds)) s\n" + lines.joined(separator: "\n") + "\n"
        }
    }
}

extension PresetRun {
    /// Runs a command's one source straight into the output (``CommandLineRequest``) and
    /// returns its job's summary.
    public func runCommand(progress: (any ProgressObserver)? = nil) throws -> CommandOutcome {
        precondition(!writesInputFolders && inputs.count == 1, "runCommand is for a command's one source")
        if document.preset.output.layout == .nnunet {
            throw ScaleTileError.argument("--layout", "nnunet builds a dataset from several volumes and their masks: use scaletile run with input.paths and labels.path (--print-preset writes the preset of these flags)")
        }
        guard let unit = try plan().first else { throw ScaleTileError(.invalidArgument, nil, "no input") }
        switch unit.work {
        case .tiles(let job, var prepared):
            prepared.shardRange = unit.shardRange
            let folder = try OutputFolder.prepare(output, existing: existingOutput)
            return .tiles(try job.write(prepared, into: folder, progress: progress))
        case .pyramid(let job, _, _):
            return .pyramid(try job.run(progress: progress))
        }
    }
}

extension TileSummary {
    /// The closing lines of a stack run: counts, negatives, lesions larger than a patch, the audit.
    func patchReport(of command: Preset.Job, out: String, seconds: Double) -> String {
        let p = counts
        let masks = mask == nil ? "" : " with their masks"
        guard command == .sample else {
            var text = String(format: "wrote %d patches%@ into %@ in %.1f s (%d kept from an earlier run, %d padded)\n",
                              p.written, masks, out, seconds, p.resumed, p.padded ?? 0)
            if let lesions {
                text += "lesions: \(lesions.count), \(lesions.containedInSomePatch) whole in some patch, \(lesions.neverWhole) in none\n"
            }
            return text
        }
        var text = String(format: "wrote %d patches%@ into %@ in %.1f s (%d kept from an earlier run)\n", p.written, masks, out, seconds, p.resumed)
        if let sampling, sampling.negativesRequested > 0 {
            let tissue = sampling.tissue ?? "anywhere"
            let placement = tissue == "anywhere" ? "clear of lesions" : "on tissue (\(tissue))"
            text += "negatives: \(sampling.negativesPlaced) of \(sampling.negativesRequested) placed \(placement)\n"
        }
        if let audit {
            text += CommandOutcome.neverWhole(audit, window: "patch", noun: "lesions", remedy: "sample more (--count), use --strategy object-balanced, or a larger --patch")
        }
        if let sampling, !sampling.uncontained.isEmpty {
            text += "warning: \(sampling.uncontained.count) lesion(s) larger than a patch at every level got centred patches showing part of them: \(sampling.uncontained.prefix(10).joined(separator: ", "))\n"
        }
        return text + (audit?.table() ?? "")
    }
}
