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
    /// `--set key.path=value`, as messages quote it.
    public var argument: String { "--set \(keyPath)=\(value)" }

    /// Parses `key.path=value`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` when the text has no `=`, the key path
    ///   is not a preset field, or the value is not YAML.
    public init(parsing text: String) throws {
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
