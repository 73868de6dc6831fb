import Foundation
import ScaleTileCore
import ScaleTileMedical

// What the thin subcommands of `scaletile` print and how they read the flags that are not
// preset fields: each subcommand parses, calls the entry point here or the job's, and prints.

extension ScaleTileError.Kind {
    /// The process exit code for this class of failure (sysexits.h numbers, which
    /// swift-argument-parser already uses for usage errors).
    public var exitCode: Int32 {
        switch self {
        case .invalidArgument: return 64  // EX_USAGE
        case .invalidInput: return 65     // EX_DATAERR
        case .notFound: return 66         // EX_NOINPUT
        case .unsupported: return 69      // EX_UNAVAILABLE
        case .io: return 74               // EX_IOERR
        case .invalidPreset: return 78    // EX_CONFIG
        }
    }
}

extension AnalyzeJob.Options {
    /// The options of `scaletile analyze`, each flag's value checked with the flag named.
    public init(image: String?, kind: TIFFKind?, connectivity: Int, objectSize: String?, tileSize: Int?, instances: Bool,
                beta: Double, labelFormat: String?, classField: String?, chart: String?) throws {
        self.init()
        self.image = image
        self.kind = kind
        guard let parsed = Connectivity(neighbourCount: connectivity) else {
            throw ScaleTileError.argument("--connectivity", "\(connectivity) is not a connectivity: use 6, 18 or 26 (volumes), 4 or 8 (planes)")
        }
        self.connectivity = parsed
        band = try objectSize.map { try ObjectSizeBand(parsing: $0) }
        if let tileSize {
            guard tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(tileSize)") }
            self.tileSize = RasterSize(width: tileSize, height: tileSize, depth: tileSize)
        }
        self.instances = instances
        try ClassWeights.check(beta: beta, option: "--beta")
        self.beta = beta
        if let labelFormat {
            guard let format = LabelFormat(rawValue: labelFormat.lowercased()) else {
                throw ScaleTileError.argument("--label-format", "'\(labelFormat)' is not one of coco, yolo, voc, csv, vector, raster")
            }
            self.format = format
        }
        self.classField = classField
        if let chart, !chart.lowercased().hasSuffix(".svg") {
            throw ScaleTileError.argument("--chart", "'\(chart)' should name an .svg file")
        }
        self.chart = chart
    }
}

extension SplitOptions {
    /// The split `--split`, `--split-by` and `--split-block` ask for; nil without `--split`.
    public init?(split: String?, by: SplitUnit?, block: Int?) throws {
        guard let split else {
            if block != nil { throw ScaleTileError.argument("--split-block", "needs --split") }
            if by != nil { throw ScaleTileError.argument("--split-by", "needs --split") }
            return nil
        }
        self.init(shares: try SplitShares(parsing: split), by: by ?? .blocks, blockSize: block)
        try validate()
    }
}

extension SplitJob {
    /// The closing line of `scaletile split`: windows per split and what was dropped.
    public func closingLine(_ summary: TileSummary) -> String {
        guard let s = summary.split else { return "" }
        let counts = split.shares.names.map { "\($0.rawValue) \(s.splits[$0.rawValue]?.windows ?? 0)" }.joined(separator: ", ")
        return "split \(output): \(counts) windows; \(s.leakage.windowsDropped) dropped straddling two splits, \(s.leakage.windowsDroppedForIgnore) for ignore regions\n"
    }
}

extension ShardMerge.Report {
    /// The closing line of `scaletile merge`.
    public var closingLine: String {
        "merged \(shards) shards (scaletile \(command)) into \(output): \(entries) manifest lines, \(linked) files linked, \(copied) copied\n"
    }
}

extension StitchReport {
    /// The closing line of `scaletile stitch` into `out`.
    public func closingLine(out: String) -> String {
        if files.contains("detections.csv") {
            return "stitched \(predictions) boxes into \(detections) detections (\(borderSuppressed) cut by inner borders dropped) in \(out)\n"
        }
        return "stitched \(predictions) rasters into \(out)/\(files.joined())\n"
    }
}

/// Standard error, written whole (`fputs(…, stderr)` does not compile in Swift 6 mode).
public enum StandardError {
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether standard error is a terminal (progress bars only then).
    public static var isTerminal: Bool { isatty(2) != 0 }
}

/// Standard output, for results (`--json` documents, tables).
public enum StandardOutput {
    public static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public static func writeJSON<T: Encodable>(_ value: T) throws {
        FileHandle.standardOutput.write(try StableJSON.document(value))
    }
}
