import Foundation
import ScaleTileCore
import ScaleTileMedical
import Yams

/// `scaletile tile|sample|pyramid SOURCE [flags]` as the library sees it: the flags become the
/// preset they stand for (``CommandLineFlag``), and that preset runs on the one source through
/// the same pipeline as `scaletile run` (``PresetPipeline``, ``PresetRun``), writing straight
/// into `--out`. So a flag and a preset key are one field, with one default and one check, and
/// `--print-preset` writes the preset that does what the flags do.
public struct CommandLineRequest: Sendable {
    /// `tile`, `sample` or `pyramid`.
    public let command: Preset.Job
    /// The source as typed (the first, when there are several).
    public let source: String
    /// Every source: the one as typed, or what several arguments, folders and globs expand to.
    public let sources: [String]
    /// Whether the command runs over several sources (or a folder or glob), writing each into
    /// `OUT/scenes/<stem>/` or `OUT/stacks/<stem>/` with one joined manifest, as `run` does.
    public let isBatch: Bool
    /// Whether the source is read as a scene (GDAL) or a stack (libtiff).
    public let kind: TIFFKind
    /// The preset the flags stand for, checked.
    public let document: PresetDocument
    /// What runs on the source.
    public let pipeline: PresetPipeline
    /// The flags given, for messages.
    let given: Set<String>

    /// A flag the user gave: its name as typed and its value (nil for a flag not given;
    /// `true` for a switch that is on). Repeat the name for repeatable flags (`--co`).
    public typealias Value = (name: String, value: String?)

    /// The request of `command` on `source` with `values`.
    ///
    /// - Throws: ``ScaleTileError`` naming the flag or the source: a flag for the other kind of
    ///   source, a value the field does not take, fields that disagree. Nothing is opened but
    ///   the source's first bytes (to tell a scene from a stack).
    public init(command: Preset.Job, source: String, values: [Value]) throws {
        try self.init(command: command, sources: [source], values: values)
    }

    /// The request of `command` on several sources: paths, folders (their raster, stack and
    /// volume files) and quoted globs, all of one kind.
    ///
    /// - Throws: what ``init(command:source:values:)`` throws, and for sources of two kinds or
    ///   a folder or glob with no file in it.
    public init(command: Preset.Job, sources arguments: [String], values: [Value]) throws {
        guard let first = arguments.first else { throw ScaleTileError.argument("SOURCE", "give at least one source") }
        isBatch = arguments.count > 1 || arguments.contains { PresetInputs.isFolder($0) || PresetInputs.isPattern($0) }
        sources = isBatch ? try PresetInputs.expand(arguments, relativeTo: FileManager.default.currentDirectoryPath, origin: "SOURCE") : [first]
        let source = sources[0]
        var values = values.filter { $0.value != nil }
        if command == .pyramid, let legacy = values.firstIndex(where: { $0.name == "--layout" }) {
            // The first release's spelling; --layout now names the trainer layouts (DESIGN.md §2).
            RunWarnings.add("pyramid --layout is now --pyramid-layout (--layout names the trainer layouts)")
            if !values.contains(where: { $0.name == "--pyramid-layout" }) { values.append(("--pyramid-layout", values[legacy].value)) }
            values.remove(at: legacy)
        }
        if command == .pyramid, let i = values.firstIndex(where: { $0.name == "--levels" }), values[i].value?.lowercased() == "fit" {
            // `fit` is the pyramid's word for `auto`: levels until one fits a tile.
            values[i].value = "auto"
        }
        self.command = command
        self.source = source
        given = Set(values.map(\.name))
        let readAs = values.last { $0.name == "--as" }?.value.flatMap(TIFFKind.init(rawValue:))
        kind = try SourceKind.of(source, as: readAs)
        for other in sources.dropFirst() where try SourceKind.of(other, as: readAs) != kind {
            throw ScaleTileError(.invalidArgument, other, "is read as a \(kind == .stack ? "scene" : "stack") and \(source) as a \(kind.rawValue): one command takes sources of one kind (--as reads them all as one)")
        }
        try CommandLineRequest.checkApplies(values, command: command, kind: kind, source: source)

        var overrides: [PresetOverride] = []
        for (name, value) in values {
            guard let flag = CommandLineFlag.flags(of: command).first(where: { $0.name == name }), let value else { continue }
            overrides += try CommandLineRequest.overrides(flag, value)
        }
        let domain: Preset.Domain = kind == .stack ? .medical : .satellite
        let paths = sources.map(PresetOverride.quotedScalar).joined(separator: ", ")
        overrides.insert(try PresetOverride(flag: "SOURCE", keyPath: "input.paths", value: "[\(paths)]"), at: 0)
        // Several sources are named after their folder (a glob's or a file's), like a preset's run.
        let name = FileNames.stem(of: PresetInputs.isFolder(first) ? first : isBatch ? (source as NSString).deletingLastPathComponent : source)
        let document = try CommandLineRequest.translatingErrors(of: command, given: given) {
            try PresetDocument(commandLine: command, domain: domain, name: name, overrides: overrides)
        }
        self.document = document
        let hasLabels = document.preset.labels.path != nil
        pipeline = try CommandLineRequest.translatingErrors(of: command, given: given) {
            try PresetPipeline(document, hasLabels: hasLabels)
        }
    }

    /// What the progress bar counts: tiles, windows, patches, strips or slices.
    public var progressNoun: String {
        switch (command, kind) {
        case (.pyramid, .stack): return "slices"
        case (.pyramid, _): return "strips"
        case (_, .stack): return "patches"
        case (.sample, _): return "windows"
        case (.tile, _): return "tiles"
        }
    }

    /// A run of the request into `out`.
    public func run(out: String, shard: Shard = .whole, existingOutput: OutputFolder.ExistingOutput = .refuse) throws -> PresetRun {
        var run = try PresetRun(commandLine: document, pipeline: pipeline, sources: sources, inputFolders: isBatch, out: out)
        run.shard = shard
        run.existingOutput = existingOutput
        return run
    }

    /// Runs `body`, turning its errors about preset keys into errors about this command's flags.
    public func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        try CommandLineRequest.translatingErrors(of: command, given: given, body)
    }

    static func translatingErrors<T>(of command: Preset.Job, given: Set<String>, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ScaleTileError {
            // Locations inside the made-up preset (`scaletile tile`, `--overlap 600`) say less
            // than the sentence, which now names the flags.
            if let path = error.path, path.hasPrefix("scaletile ") || path.hasPrefix("-") {
                error.message = CommandLineFlag.rewritten(error.message, of: command, given: given)
                if path.hasPrefix("scaletile ") || error.message.hasPrefix("-") { error.path = nil }
            }
            if error.kind == .invalidPreset { error.kind = .invalidArgument }
            throw error
        }
    }

    // MARK: - Flags to overrides

    /// The overrides one flag's value stands for.
    static func overrides(_ flag: CommandLineFlag, _ value: String) throws -> [PresetOverride] {
        switch flag.form {
        case .yaml:
            return [try PresetOverride(flag: flag.name, keyPath: flag.keyPath, value: value)]
        case .text:
            return [try PresetOverride(flag: flag.name, keyPath: flag.keyPath, value: value, quoted: true)]
        case .on:
            return [try PresetOverride(flag: flag.name, keyPath: flag.keyPath, value: "true")]
        case .list(let quoted):
            let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "none" }
            let yaml = "[" + items.map { quoted ? PresetOverride.quotedScalar($0) : $0 }.joined(separator: ", ") + "]"
            return [try PresetOverride(flag: flag.name, keyPath: flag.keyPath, value: yaml)]
        case .keyValue:
            let parts = value.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(".") else {
                throw ScaleTileError.argument(flag.name, "'\(value)' is not KEY=VALUE")
            }
            return [try PresetOverride(flag: flag.name, keyPath: flag.keyPath + "." + parts[0].uppercased(), value: String(parts[1]), quoted: true)]
        }
    }

    /// Flags for the other kind of source, and those this command refuses, are errors rather
    /// than silently ignored.
    static func checkApplies(_ values: [Value], command: Preset.Job, kind: TIFFKind, source: String) throws {
        let flags = CommandLineFlag.flags(of: command)
        for (name, _) in values {
            if command == .sample, name == "--zoom-in" {
                throw ScaleTileError.argument("--zoom-in", "is for scale-aware tiling (scaletile tile); samplers place each window at the finest level where its object fits")
            }
            guard let flag = flags.first(where: { $0.name == name }) else { continue }
            switch (flag.sources, kind) {
            case (.stacks, .scene):
                throw ScaleTileError(.invalidArgument, source, "\(name) is for stacks, and this is a scene (pass --as stack to read a TIFF as a stack)")
            case (.scenes, .stack) where flag.keyPath.hasPrefix("labels.") || ["target.objectSize", "levels.zoomIn"].contains(flag.keyPath):
                throw ScaleTileError(.invalidArgument, source, "\(name) is for scene labels, and this is a stack: its labels are a mask on its grid (pass --as scene to read it through GDAL)")
            case (.scenes, .stack):
                throw ScaleTileError(.invalidArgument, source, "\(name) is for scenes, and this is a stack (pass --as scene to read it through GDAL)")
            default:
                break
            }
        }
        if values.contains(where: { $0.name == "--tile-size" }), values.contains(where: { $0.name == "--patch" }) {
            throw ScaleTileError.argument("--tile-size", "gives the window size as --patch does: give one of them")
        }
        if kind == .stack {
            let labels = values.last { $0.name == "--labels" }?.value, mask = values.last { $0.name == "--mask" }?.value
            if let labels, let mask, labels != mask {
                throw ScaleTileError.argument("--mask", "a stack's labels are its mask: give --labels or --mask, not two different files")
            }
            if values.contains(where: { $0.name == "--patch" }), values.contains(where: { $0.name == "--patch-mm" }) {
                throw ScaleTileError.argument("--patch-mm", "gives the patch size in millimetres and --patch in voxels: give one, not both")
            }
            if command != .pyramid, !values.contains(where: { $0.name == "--patch" || $0.name == "--patch-mm" }) {
                throw ScaleTileError.argument("--patch", "a stack needs a patch size: --patch XxYxZ voxels or --patch-mm XxYxZ")
            }
        }
    }

    // MARK: - The preset it stands for

    /// The preset the flags stand for, as YAML, its paths absolute: `scaletile run` on it with
    /// `--out OUT` writes into `OUT/scenes/<stem>/` (or `stacks/<stem>/`) what the flags write
    /// into `OUT`.
    public func presetYAML() throws -> String {
        let folders = kind == .stack ? "stacks" : "scenes"
        let header = isBatch
            ? "# scaletile \(command.rawValue) over \(sources.count) sources, as a preset: scaletile run THIS.yaml --out OUT writes\n"
                + "# the same OUT/\(folders)/<stem>/ folders and joined manifest as the command.\n"
            : "# scaletile \(command.rawValue) \(source), as a preset: scaletile run THIS.yaml --out OUT writes\n"
                + "# into OUT/\(folders)/\(FileNames.stem(of: source))/ what the command writes into its --out.\n"
        return header + (try document.normalizedYAML())
    }
}
