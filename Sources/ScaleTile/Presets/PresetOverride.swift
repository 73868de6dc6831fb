import ScaleTileCore
import Yams

/// One `--set key.path=value` override of a preset field.
///
/// The value is read as YAML, so it takes the same forms as in the file: `tiling.size=256`,
/// `tiling.overlap=32x32x4`, `levels.levels=0-2`, `input.paths=[a.tif, b.tif]`,
/// `output.creationOptions.COMPRESS=ZSTD`; an empty value (`input.bands=`) restores the default.
/// Lists are replaced whole.
public struct PresetOverride: Hashable, Sendable {
    /// The dotted key path, checked against the schema.
    public let keyPath: String
    /// The value as given.
    public let value: String
    /// The command-line flag that set the field (`--tile-size`), or nil for `--set`.
    public let flag: String?
    /// `--set key.path=value`, or the flag and its value (`--tile-size 256`), as messages quote it.
    public var argument: String {
        guard let flag else { return "--set \(keyPath)=\(value)" }
        return value == "true" && PresetSchema.field(keyPath)?.type == "true or false" ? flag : "\(flag) \(value)"
    }

    /// A command-line flag's value for the field at `keyPath`: how `tile`, `sample` and
    /// `pyramid` fill the one options model (``Preset``), so that a flag and a preset key are
    /// one field with one default and one parser.
    ///
    /// - Parameters:
    ///   - flag: the flag as the user typed it, for messages (`--overlap`).
    ///   - text: the value, read as YAML like a `--set` value unless ``quoted``.
    ///   - quoted: read the value as text whatever it looks like (paths, names).
    public init(flag: String, keyPath: String, value text: String, quoted: Bool = false) throws {
        precondition(PresetKeys.isSettable(keyPath), "\(flag) fills \(keyPath), which the schema does not have")
        self.flag = flag
        self.keyPath = keyPath
        value = quoted ? PresetOverride.quotedScalar(text) : text
        do {
            _ = try Yams.compose(yaml: value)
        } catch {
            throw ScaleTileError.argument(flag, "'\(text)' is not a value this option takes")
        }
    }

    /// `text` as a single-quoted YAML scalar: read back as exactly that text.
    static func quotedScalar(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Parses `key.path=value`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` when the text has no `=`, the key path
    ///   is not a preset field, or the value is not YAML.
    public init(parsing text: String) throws {
        flag = nil
        guard let equals = text.firstIndex(of: "=") else {
            throw ScaleTileError.argument("--set \(text)", "is not key.path=value (for example tiling.size=256)")
        }
        keyPath = text[..<equals].trimmingCharacters(in: .whitespaces)
        value = String(text[text.index(after: equals)...])
        guard PresetKeys.isSettable(keyPath) else {
            throw ScaleTileError.argument(argument, PresetKeys.unknownKeyMessage(keyPath))
        }
        // The version says how the file is written; an override cannot change that.
        guard keyPath != "version" else {
            throw ScaleTileError.argument(argument, "the version is the preset file's, not a setting to override")
        }
        do {
            _ = try Yams.compose(yaml: value)
        } catch let error as YamlError {
            throw ScaleTileError.argument(argument, "the value does not parse as YAML (\(PresetDocument.syntaxMessage(error)))")
        }
    }

    /// The node tree with this override's value at its key path, sections created as needed.
    func applied(to root: Node) -> Node {
        // Checked to parse in init. An empty value is YAML's null, which decodes as the default;
        // it is composed rather than built so the resolver tags it as null.
        let text = value.trimmingCharacters(in: .whitespaces).isEmpty ? "~" : value
        guard let valueNode = try? Yams.compose(yaml: text) else { return root }
        return PresetOverride.setting(valueNode, at: keyPath.split(separator: ".").map(String.init)[...], in: root)
    }

    private static func setting(_ value: Node, at path: ArraySlice<String>, in node: Node?) -> Node {
        guard let key = path.first else { return value }
        var pairs = node?.mapping.map { Array($0.map { ($0.key, $0.value) }) } ?? []
        if let i = pairs.firstIndex(where: { $0.0.string == key }) {
            pairs[i].1 = setting(value, at: path.dropFirst(), in: pairs[i].1)
        } else {
            pairs.append((Node(key), setting(value, at: path.dropFirst(), in: nil)))
        }
        return Node(pairs)
    }
}
