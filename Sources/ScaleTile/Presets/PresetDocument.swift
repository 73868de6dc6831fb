import Foundation
import ScaleTileCore
import Yams

/// A preset read from YAML and checked: syntax, version, keys, types and values, in that order,
/// before any input it names is looked at.
///
/// Every problem is one ``ScaleTileError`` line naming the file and the line
/// (`preset.yaml: line 12: unknown key 'tilling' (did you mean 'tiling'?)`), of kind
/// ``ScaleTileError/Kind/invalidPreset``; a problem a `--set` override brings in names that
/// override instead (`--set tiling.size=0: …`) and is an ``ScaleTileError/Kind/invalidArgument``.
public struct PresetDocument: Sendable {
    /// The preset file as given (the start of every message about it).
    public let file: String
    /// The folder holding the preset file, absolute: relative paths in the preset start there.
    public let folder: String
    /// The preset, overrides applied.
    public let preset: Preset
    /// The `--set` overrides, in the order given.
    public let overrides: [PresetOverride]
    /// Where each key was set, for messages.
    let locator: PresetLocator
    /// The command (`tile`, `sample`, `pyramid`) whose flags made this preset, or nil for a
    /// preset file. Its messages name flags instead of keys and lines, and its paths stay as
    /// the user typed them (relative to the working folder).
    public let commandLine: Preset.Job?

    /// Reads and checks the preset at `file`, then applies `overrides` (`key.path=value` each).
    public init(contentsOf file: String, overrides: [String] = []) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else {
            throw ScaleTileError(.notFound, file, "no such preset file")
        }
        guard !isFolder.boolValue else { throw ScaleTileError(.invalidPreset, file, "is a folder, not a preset file") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ScaleTileError(.io, file, "cannot read the preset file (\(String(cString: strerror(errno))))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScaleTileError(.invalidPreset, file, "is not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path
        try self.init(text: text, file: file, folder: folder, overrides: overrides)
    }

    /// Checks a preset given as text; `file` names it in messages, `folder` anchors its relative paths.
    public init(text: String, file: String, folder: String? = nil, overrides: [String] = []) throws {
        try self.init(text: text, file: file, folder: folder, parsedOverrides: try overrides.map(PresetOverride.init(parsing:)), commandLine: nil)
    }

    /// The preset a command's flags stand for: the defaults of `job` on `domain`, each flag an
    /// override of its field (``CommandLineFlag``). Problems are reported about the flags.
    public init(commandLine job: Preset.Job, domain: Preset.Domain, name: String, overrides: [PresetOverride]) throws {
        let text = "version: \(Preset.supportedVersion)\nname: \(PresetOverride.quotedScalar(name))\ndomain: \(domain.rawValue)\njob: \(job.rawValue)\n"
        try self.init(text: text, file: "scaletile \(job.rawValue)", folder: FileManager.default.currentDirectoryPath,
                      parsedOverrides: overrides, commandLine: job)
    }

    private init(text: String, file: String, folder: String?, parsedOverrides: [PresetOverride], commandLine: Preset.Job?) throws {
        self.file = file
        self.folder = folder ?? FileManager.default.currentDirectoryPath
        self.commandLine = commandLine
        // The file first, then the command line's overrides of it.
        var root = try PresetDocument.parse(text, file: file)
        let lines = PresetDocument.lineIndex(of: root)
        try PresetDocument.checkVersion(root, file: file, lines: lines)
        try PresetDocument.checkKeys(root, under: "", file: file)
        self.overrides = parsedOverrides
        let locator = PresetLocator(file: file, lines: commandLine == nil ? lines : [:], overrides: self.overrides, commandLine: commandLine)
        self.locator = locator
        for override in self.overrides {
            root = override.applied(to: root)
        }

        let stem = FileNames.stem(of: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
        let decoded: Preset
        do {
            decoded = try YAMLDecoder().decode(Preset.self, from: root, userInfo: [.presetFileName: stem])
        } catch let error as DecodingError {
            throw locator.error(for: PresetDocument.problem(error, in: root))
        }
        do {
            try decoded.checkValues()
        } catch let problem as PresetProblem {
            throw locator.error(for: problem)
        }
        preset = decoded
    }

    /// Where `keyPath` was set: `preset.yaml: line 9`, `--set tiling.size=256`, or the file
    /// alone when the value is a default.
    public func location(of keyPath: String) -> String {
        if let override = locator.override(covering: keyPath) { return override.argument }
        if let commandLine, let flag = CommandLineFlag.flag(filling: keyPath, of: commandLine) { return flag.name }
        if let line = locator.line(of: keyPath) { return "\(file): line \(line)" }
        return file
    }

    /// The location of the first of `keyPaths` the file or an override sets, else the file's.
    public func location(ofFirst keyPaths: [String]) -> String {
        let set = keyPaths.first { locator.override(covering: $0) != nil || locator.lines[$0] != nil }
        return location(of: set ?? keyPaths.first ?? "")
    }

    /// A path the preset names (inputs, labels), made absolute against the preset's folder.
    /// GDAL dataset names (`/vsicurl/…`, `s3://…`, `NETCDF:…`) and absolute paths are kept as they are.
    public func resolvedPath(_ path: String) -> String {
        // A command's paths are the user's, relative to the folder it runs in.
        commandLine == nil ? PresetInputs.absolute(path, in: folder) : path
    }

    /// The preset as it runs, every field written out and every path made absolute: the
    /// normalised preset `--print-preset` prints, which runs the same from any folder.
    public func normalizedYAML() throws -> String {
        var preset = self.preset
        func absolute(_ path: String) -> String {
            path.hasPrefix("@") ? "@" + PresetInputs.absolute(String(path.dropFirst()), in: folder) : PresetInputs.absolute(path, in: folder)
        }
        preset.input.paths = preset.input.paths.map(absolute)
        preset.labels.path = preset.labels.path.map(absolute)
        preset.sampling.map = preset.sampling.map.map(absolute)
        preset.sampling.tissueMask = preset.sampling.tissueMask.map(absolute)
        let yaml = try YAMLEncoder().encode(preset)
        // Numbers as people write them (0.5, not 5e-1); the YAML reads back the same.
        return yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            guard let start = line.range(of: ": ", options: .backwards)?.upperBound
                    ?? (trimmed.hasPrefix("- ") ? trimmed.index(trimmed.startIndex, offsetBy: 2) : nil) else { return String(line) }
            let value = line[start...]
            guard value.contains("e"), let number = Double(value), number.isFinite else { return String(line) }
            return line[..<start] + PresetNumber.text(number)
        }.joined(separator: "\n")
    }

    // MARK: - Steps

    /// YAML text to a node tree; a syntax error names its line.
    static func parse(_ text: String, file: String) throws -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScaleTileError(.invalidPreset, file, syntaxMessage(error))
        }
        guard let root, root.null == nil else {
            throw ScaleTileError(.invalidPreset, file, "the preset is empty: it needs at least `version: \(Preset.supportedVersion)`")
        }
        guard root.mapping != nil else {
            throw ScaleTileError(.invalidPreset, file, "line \(root.mark?.line ?? 1): a preset is a mapping of keys (`version: 1`, `tiling:` …), not \(describe(root))")
        }
        return root
    }

    /// One line about a YAML syntax error: where, and libyaml's own words.
    static func syntaxMessage(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "line \(mark.line): the YAML does not parse: \(problem)"
        case let .reader(problem, _, _, _):
            return "the YAML cannot be read: \(problem)"
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return "line \(context.mark.line): key \(keys) appears twice in the same mapping"
        default:
            return "the YAML does not parse: \(error)"
        }
    }

    /// A version other than the one this build reads is refused before anything else, since
    /// its keys may mean something else.
    static func checkVersion(_ root: Node, file: String, lines: [String: Int]) throws {
        guard let node = root.mapping?["version"] else {
            throw ScaleTileError(.invalidPreset, file, "line 1: version is missing: a preset starts with `version: \(Preset.supportedVersion)`")
        }
        guard let version = node.int, version == Preset.supportedVersion else {
            throw ScaleTileError(.invalidPreset, file, "line \(lines["version"] ?? 1): version \(render(node)) is not supported: this build of ScaleTile reads version \(Preset.supportedVersion) presets")
        }
    }

    /// Every key of the file must be one the schema knows; the first unknown one is reported
    /// with its line and the nearest known key.
    static func checkKeys(_ node: Node, under section: String, file: String) throws {
        guard let mapping = node.mapping else {
            throw ScaleTileError(.invalidPreset, file, "line \(node.mark?.line ?? 1): \(section) must be a mapping of keys (\(PresetSchema.keys(under: section).joined(separator: ", "))), not \(describe(node))")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let path = section.isEmpty ? key : section + "." + key
            if PresetSchema.isSection(path) {
                if value.null == nil { try checkKeys(value, under: path, file: file) }
            } else if PresetSchema.field(path) == nil {
                let line = keyNode.mark?.line ?? 1
                throw ScaleTileError(.invalidPreset, file, "line \(line): " + PresetKeys.unknownKeyMessage(path))
            }
        }
    }

    /// The line of every key (and list element) in the tree.
    static func lineIndex(of root: Node) -> [String: Int] {
        var lines: [String: Int] = [:]
        func visit(_ node: Node, _ path: String) {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    let child = path.isEmpty ? (key.string ?? "") : path + "." + (key.string ?? "")
                    if let line = key.mark?.line { lines[child] = line }
                    visit(value, child)
                }
            } else if let sequence = node.sequence {
                for (i, element) in sequence.enumerated() {
                    if let line = element.mark?.line { lines[path + "[\(i)]"] = line }
                    visit(element, path + "[\(i)]")
                }
            }
        }
        visit(root, "")
        return lines
    }

    /// A decoding error as a problem about a key path, quoting the value found there.
    static func problem(_ error: DecodingError, in root: Node) -> PresetProblem {
        let codingPath: [any CodingKey]
        var expectation: String?
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            codingPath = context.codingPath
        case let .dataCorrupted(context):
            codingPath = context.codingPath
            if context.debugDescription.hasPrefix("must ") { expectation = context.debugDescription }
        case let .keyNotFound(key, context):
            codingPath = context.codingPath + [key]
        @unknown default:
            codingPath = []
        }
        let keyPath = PresetKeys.keyPath(codingPath)
        let fieldPath = PresetKeys.fieldPath(keyPath)
        let phrase = expectation ?? PresetSchema.field(fieldPath).map { "must be \($0.type)" } ?? "has a value of the wrong type"
        guard let value = node(at: codingPath, in: root) else {
            return PresetProblem(keyPath, message: "\(keyPath) is missing")
        }
        return PresetProblem(keyPath, message: "\(keyPath) \(phrase), got \(render(value))")
    }

    /// The node a coding path leads to.
    static func node(at codingPath: [any CodingKey], in root: Node) -> Node? {
        var current = root
        for key in codingPath {
            if let index = key.intValue, let sequence = current.sequence {
                guard index < sequence.count else { return nil }
                current = sequence[index]
            } else if let next = current.mapping?[key.stringValue] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    /// A value as a message quotes it: numbers bare, text in quotes, containers by kind.
    static func render(_ node: Node) -> String {
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        if node.null != nil { return "nothing" }
        let text = node.string ?? ""
        if node.int != nil || node.float != nil { return text }
        return "\"\(text)\""
    }

    static func describe(_ node: Node) -> String {
        if node.sequence != nil { return "a list" }
        if node.mapping != nil { return "a mapping" }
        return "the value \(render(node))"
    }
}

/// A problem with one field's value, before it is given a location.
struct PresetProblem: Error, Sendable {
    /// The key paths the problem is about, the one to point at first (`tiling.overlap`, then
    /// `tiling.size` when the overlap is a default the file does not state).
    let keyPaths: [String]
    /// The sentence, starting with a key path.
    let message: String

    init(_ keyPaths: String..., message: String) {
        self.keyPaths = keyPaths
        self.message = message
    }
}

/// Where each key of a preset was set: a line of the file, or a `--set` override.
struct PresetLocator: Sendable {
    let file: String
    /// The line of every key path in the file (`tiling.size` → 7, `input.paths[1]` → 4).
    let lines: [String: Int]
    let overrides: [PresetOverride]
    /// The command whose flags made the preset, if it was not a file.
    var commandLine: Preset.Job? = nil

    /// The last override that set `keyPath` or a section holding it.
    func override(covering keyPath: String) -> PresetOverride? {
        overrides.last { keyPath == $0.keyPath || keyPath.hasPrefix($0.keyPath + ".") || keyPath.hasPrefix($0.keyPath + "[") }
    }

    /// The line of `keyPath`, or of the nearest enclosing key the file has.
    func line(of keyPath: String) -> Int? {
        var path = keyPath
        while true {
            if let line = lines[path] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            path = String(path[..<cut])
        }
    }

    /// The one-line error: about the `--set` override that set a value, or the file and the
    /// line of the first key the file states.
    func error(for problem: PresetProblem) -> ScaleTileError {
        if let commandLine {
            return CommandLineFlag.error(problem.message, of: commandLine, given: Set(overrides.compactMap(\.flag)))
        }
        for path in problem.keyPaths {
            if let override = override(covering: path) {
                return ScaleTileError(.invalidArgument, override.argument, problem.message)
            }
            if let line = lines[path] {
                return ScaleTileError(.invalidPreset, file, "line \(line): \(problem.message)")
            }
        }
        if let first = problem.keyPaths.first, let line = line(of: first) {
            return ScaleTileError(.invalidPreset, file, "line \(line): \(problem.message)")
        }
        return ScaleTileError(.invalidPreset, file, problem.message)
    }
}
