import ScaleTileCore

/// One flag of `scaletile tile`, `sample` or `pyramid`, and the preset field it fills.
///
/// This table is the one place where the command line meets the options model: a flag has no
/// default and no parser of its own. Its value goes into the preset field as a `--set` would
/// (``PresetOverride``), so the field's default, parser and checks (``Preset``,
/// ``PresetSchema``) serve the flag, the preset key and a Swift caller alike, and
/// `--print-preset` can write any command as the preset that runs it.
public struct CommandLineFlag: Hashable, Sendable {
    /// How the flag's text becomes the field's YAML value.
    public enum Form: Hashable, Sendable {
        /// Read as YAML, as `--set` reads it: numbers, sizes (`96x96x32`), names.
        case yaml
        /// Taken as text whatever it looks like: paths, class fields, `MIN:MAX` ranges.
        case text
        /// A comma-separated list (`3,2,1`, `coco,yolo`) as a YAML list; `none` is empty.
        case list(quoted: Bool)
        /// A flag without a value: the field is `true`.
        case on
        /// `KEY=VALUE`, repeatable: one key of an open mapping (GDAL creation options).
        case keyValue
    }

    /// Which sources the flag is for: the other kind refuses it rather than ignore it.
    public enum Sources: Hashable, Sendable {
        case scenes, stacks, both
    }

    /// The flag as typed, `--tile-size`.
    public let name: String
    /// The preset field it fills, `tiling.size`.
    public let keyPath: String
    public let form: Form
    public let sources: Sources

    init(_ name: String, _ keyPath: String, _ form: Form = .yaml, _ sources: Sources = .both) {
        self.name = name
        self.keyPath = keyPath
        self.form = form
        self.sources = sources
    }
}

extension CommandLineFlag {
    /// The flags of `command`, in the order `--help` lists them.
    public static func flags(of command: Preset.Job) -> [CommandLineFlag] {
        switch command {
        case .tile: return grid + labels + stacks + sceneReading + [exactLevels] + training
        case .sample:
            return sampling + labels.filter { $0.name != "--zoom-in" } + stacks.filter { $0.name != "--patch" }
                + sceneReading.filter { $0.name == "--bands" } + training
        case .pyramid: return pyramid
        }
    }

    /// The flag of `command` that fills `keyPath`: the one the user gave when two fill it
    /// (`--labels`, `--mask`), else the first.
    static func flag(filling keyPath: String, of command: Preset.Job, given: Set<String> = []) -> CommandLineFlag? {
        let candidates = flags(of: command).filter { $0.keyPath == keyPath }
        return candidates.first { given.contains($0.name) } ?? candidates.first
    }

    private static let common: [CommandLineFlag] = [
        CommandLineFlag("--as", "input.as"),
        CommandLineFlag("--format", "output.format"),
        CommandLineFlag("--co", "output.creationOptions", .keyValue, .scenes),
        CommandLineFlag("--threads", "threads"),
        CommandLineFlag("--seed", "seed"),
        CommandLineFlag("--max-memory", "limits.maxMemory"),
    ]

    private static let grid: [CommandLineFlag] = common + [
        CommandLineFlag("--tile-size", "tiling.size", .yaml, .scenes),
        CommandLineFlag("--overlap", "tiling.overlap"),
        CommandLineFlag("--edge", "tiling.edge"),
        CommandLineFlag("--levels", "levels.levels", .text),
        CommandLineFlag("--resampling", "levels.resampling"),
    ]

    private static let labels: [CommandLineFlag] = [
        CommandLineFlag("--labels", "labels.path", .text),
        CommandLineFlag("--label-format", "labels.format", .yaml, .scenes),
        CommandLineFlag("--class-field", "labels.classField", .text, .scenes),
        CommandLineFlag("--classes", "labels.classes", .list(quoted: true), .scenes),
        CommandLineFlag("--min-visible", "labels.minVisible", .yaml, .scenes),
        CommandLineFlag("--export", "labels.exports", .list(quoted: false), .scenes),
        CommandLineFlag("--object-size", "target.objectSize", .text, .scenes),
        CommandLineFlag("--beta", "weights.beta"),
        CommandLineFlag("--zoom-in", "levels.zoomIn", .on, .scenes),
    ]

    private static let stacks: [CommandLineFlag] = [
        CommandLineFlag("--patch", "tiling.size", .yaml, .stacks),
        CommandLineFlag("--patch-mm", "tiling.sizeMm", .text, .stacks),
        CommandLineFlag("--mask", "labels.path", .text, .stacks),
        CommandLineFlag("--padding", "tiling.padding", .yaml, .stacks),
        CommandLineFlag("--pad-value", "tiling.padValue", .yaml, .stacks),
        CommandLineFlag("--scale-z", "levels.scaleZ", .on, .stacks),
        CommandLineFlag("--channels", "input.bands", .list(quoted: false), .stacks),
        CommandLineFlag("--mask-resampling", "levels.maskResampling", .yaml, .stacks),
        CommandLineFlag("--connectivity", "labels.connectivity", .yaml, .stacks),
        CommandLineFlag("--apply-scaling", "input.applyScaling", .on, .stacks),
    ]

    private static let sceneReading: [CommandLineFlag] = [
        CommandLineFlag("--bands", "input.bands", .list(quoted: false), .scenes),
        CommandLineFlag("--nodata", "input.nodata", .yaml, .scenes),
        CommandLineFlag("--max-nodata", "tiling.maxNodata", .yaml, .scenes),
        CommandLineFlag("--rescale", "output.rescale", .text, .scenes),
        CommandLineFlag("--stretch", "output.stretch", .text, .scenes),
    ]

    /// Splits and trainer layouts (issue 12): splits are for scenes so far; stacks take
    /// `--layout folder|monai`.
    private static let training: [CommandLineFlag] = [
        CommandLineFlag("--split", "split.shares", .text, .scenes),
        CommandLineFlag("--split-by", "split.by", .yaml, .scenes),
        CommandLineFlag("--split-block", "split.block", .yaml, .scenes),
        CommandLineFlag("--layout", "output.layout", .yaml, .both),
        CommandLineFlag("--samples-per-shard", "output.samplesPerShard", .yaml, .scenes),
        CommandLineFlag("--yolo-ignore", "output.yoloIgnore", .yaml, .scenes),
        CommandLineFlag("--dataset-id", "output.datasetId", .yaml, .stacks),
        CommandLineFlag("--dataset-name", "output.datasetName", .text, .stacks),
        CommandLineFlag("--crop-foreground", "output.cropForeground", .on, .stacks),
    ]

    private static let exactLevels = CommandLineFlag("--exact-levels", "levels.exact", .on, .scenes)

    private static let sampling: [CommandLineFlag] = common + [
        // Scenes take square windows WxW; stacks XxYxZ voxels.
        CommandLineFlag("--patch", "tiling.size", .yaml, .both),
        CommandLineFlag("--levels", "levels.levels", .text),
        CommandLineFlag("--strategy", "sampling.strategy"),
        CommandLineFlag("--count", "sampling.count"),
        CommandLineFlag("--alpha", "sampling.alpha"),
        CommandLineFlag("--min-per-object", "sampling.minPerObject"),
        CommandLineFlag("--weights", "sampling.map", .text),
        CommandLineFlag("--negatives", "sampling.negatives"),
        CommandLineFlag("--ratio", "sampling.ratio", .text),
        CommandLineFlag("--background-threshold", "sampling.backgroundThreshold", .yaml, .stacks),
        CommandLineFlag("--tissue-mask", "sampling.tissueMask", .text, .stacks),
        CommandLineFlag("--min-tissue", "sampling.minTissue", .yaml, .stacks),
    ]

    private static let pyramid: [CommandLineFlag] = [
        CommandLineFlag("--as", "input.as"),
        CommandLineFlag("--levels", "levels.levels", .text),
        CommandLineFlag("--tile-size", "tiling.size"),
        CommandLineFlag("--resampling", "levels.resampling"),
        CommandLineFlag("--co", "output.creationOptions", .keyValue, .scenes),
        CommandLineFlag("--scale-z", "levels.scaleZ", .on, .stacks),
        CommandLineFlag("--pyramid-layout", "levels.pyramidLayout", .yaml, .stacks),
    ]
}

extension CommandLineFlag {
    /// A preset's sentence about its keys (`tiling.overlap 600 must be smaller than
    /// tiling.size 512`) as a sentence about the flags of `command` that fill them, preferring
    /// the flags the user gave (`--overlap 600 must be smaller than --tile-size 512`).
    static func rewritten(_ message: String, of command: Preset.Job, given: Set<String>) -> String {
        var text = message
        // Longest first, so `tiling.sizeMm` is not read as `tiling.size` followed by `Mm`.
        let keyPaths = Set(flags(of: command).map(\.keyPath)).sorted { $0.count > $1.count }
        for keyPath in keyPaths {
            guard let flag = flag(filling: keyPath, of: command, given: given) else { continue }
            text = replacingWholeKey(keyPath, with: flag.name, in: text)
        }
        return text
    }

    /// The one-line error of a command about a preset problem.
    static func error(_ message: String, of command: Preset.Job, given: Set<String>) -> ScaleTileError {
        ScaleTileError(.invalidArgument, nil, rewritten(message, of: command, given: given))
    }

    /// `text` with every whole occurrence of `key` (not inside a longer key) replaced.
    private static func replacingWholeKey(_ key: String, with replacement: String, in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        func isKeyCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" } ?? false }
        while let range = rest.range(of: key) {
            let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            result += rest[..<range.lowerBound]
            // A key ends before a sentence's full stop, not before another key's letters.
            let afterIsKey = isKeyCharacter(after) && !(after == "." && (rest.index(after: range.upperBound) == rest.endIndex
                || rest[rest.index(after: range.upperBound)] == " "))
            result += (isKeyCharacter(before) || afterIsKey) ? String(rest[range]) : replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
