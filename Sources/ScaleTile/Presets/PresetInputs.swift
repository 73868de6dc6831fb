import Foundation
import ScaleTileCore

/// The input files of a run: paths, globs and list files expanded, in a stable order.
///
/// - `scene.tif`: one file (existence is checked when it is opened, with the other checks);
/// - `scenes/*.tif`, `tiles/2024-??/*.tif`, `[ab]*.tif`: every match, in byte order of the
///   path, expanded by ScaleTile itself (glob(3)) so quoting in scripts does not matter;
///   no match is an error;
/// - `scenes/`: a folder: every raster, stack or volume file directly in it (by extension:
///   ``folderExtensions``), in byte order; label files and sidecars beside them are left out;
/// - `@scenes.txt`: one path or glob per line, relative to the list file; blank lines and lines
///   starting with `#` are skipped;
/// - GDAL dataset names (`/vsicurl/https://…`, `/vsis3/bucket/key.tif`) are passed on unchanged.
public enum PresetInputs {
    /// Expands `entries`, whose relative paths start at `folder`; `origin` names where they
    /// came from in messages (`--input`, `preset.yaml: line 4`).
    ///
    /// - Throws: ``ScaleTileError/Kind/notFound`` for a glob without a match or a missing list
    ///   file; ``ScaleTileError/Kind/invalidArgument`` for two inputs with the same name stem,
    ///   whose tile ids and folders would clash.
    public static func expand(_ entries: [String], relativeTo folder: String, origin: String,
                              folderExtensions: [String] = folderExtensions, uniqueStems: Bool = true) throws -> [String] {
        var paths: [String] = []
        for entry in entries {
            if entry.hasPrefix("@") {
                let list = absolute(String(entry.dropFirst()), in: folder)
                paths += try expandList(list, origin: origin)
            } else {
                paths += try expandPattern(entry, in: folder, origin: origin, folderExtensions: folderExtensions)
            }
        }
        var seen = Set<String>()
        let unique = paths.filter { seen.insert($0).inserted }
        if uniqueStems { try checkStems(unique) }
        return unique
    }

    /// Whether a path holds glob(3) wildcards.
    static func isPattern(_ path: String) -> Bool {
        !isDatasetName(path) && path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// GDAL dataset names (virtual file systems, URLs, subdatasets), which are not local paths.
    static func isDatasetName(_ path: String) -> Bool { DatasetName.isVirtual(path) }

    static func absolute(_ path: String, in folder: String) -> String {
        if path.hasPrefix("/") || isDatasetName(path) { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: folder, isDirectory: true)).standardizedFileURL.path
    }

    /// The file name endings a folder input is searched for: rasters GDAL reads, TIFF stacks,
    /// NIfTI and NRRD volumes.
    public static let folderExtensions = [".tif", ".tiff", ".vrt", ".png", ".jpg", ".jpeg", ".jp2", ".img", ".ntf",
                                          ".nii", ".nii.gz", ".nrrd", ".nhdr"]

    /// Whether `entry` names a folder (not a dataset name or a pattern).
    public static func isFolder(_ entry: String, in folder: String = FileManager.default.currentDirectoryPath) -> Bool {
        var isDirectory: ObjCBool = false
        return !isPattern(entry) && !isDatasetName(entry)
            && FileManager.default.fileExists(atPath: absolute(entry, in: folder), isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func expandFolder(_ path: String, origin: String, extensions: [String]) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let files = names.filter { name in
            let lower = name.lowercased()
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && extensions.contains { lower.hasSuffix($0) }
                && FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        guard !files.isEmpty else {
            throw ScaleTileError(.notFound, path, "is a folder with no file ending in \(extensions.joined(separator: ", ")) (from \(origin))")
        }
        return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { path + "/" + $0 }
    }

    private static func expandPattern(_ entry: String, in folder: String, origin: String,
                                      folderExtensions: [String] = folderExtensions) throws -> [String] {
        let path = absolute(entry, in: folder)
        if isFolder(entry, in: folder) { return try expandFolder(path, origin: origin, extensions: folderExtensions) }
        guard isPattern(entry) else { return [path] }
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(path, 0, nil, &result)
        guard status == 0 else {
            throw ScaleTileError(.notFound, entry, "no file matches this pattern (from \(origin))")
        }
        let matches = (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
        // glob(3) sorts by the locale's collation; byte order keeps plans the same everywhere.
        return matches.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func expandList(_ list: String, origin: String) throws -> [String] {
        try InputFile.check(list, expecting: .file, what: "a list of inputs")
        guard let data = FileManager.default.contents(atPath: list), let text = String(data: data, encoding: .utf8) else {
            throw ScaleTileError(.notFound, list, "cannot read this list of inputs (from \(origin))")
        }
        let folder = URL(fileURLWithPath: list).deletingLastPathComponent().path
        var paths: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard !line.hasPrefix("@") else {
                throw ScaleTileError(.invalidArgument, list, "line \(number + 1): lists of inputs do not nest (\(line))")
            }
            paths += try expandPattern(line, in: folder, origin: "\(list): line \(number + 1)")
        }
        guard !paths.isEmpty else { throw ScaleTileError(.invalidArgument, list, "the list of inputs names no file") }
        return paths
    }

    /// Tile ids and per-input folders start with the input's name stem, so stems must differ.
    private static func checkStems(_ paths: [String]) throws {
        var owner: [String: String] = [:]
        for path in paths {
            let stem = FileNames.stem(of: path)
            if let first = owner[stem] {
                throw ScaleTileError(.invalidArgument, path, "has the same name '\(stem)' as \(first): tile ids and output folders are named after inputs, so rename one or run them separately")
            }
            owner[stem] = path
        }
    }
}

/// The inputs of `info` and `analyze`: one path as typed, or what several paths, folders and
/// quoted globs expand to, each described in turn.
public struct InputList: Sendable {
    public let paths: [String]
    /// Whether more than one input was asked for (or a folder or glob): JSON is then an array.
    public let isBatch: Bool

    public init(_ arguments: [String], folderExtensions: [String] = PresetInputs.folderExtensions) throws {
        guard let first = arguments.first else { throw ScaleTileError.argument("PATH", "give at least one input") }
        isBatch = arguments.count > 1 || arguments.contains { PresetInputs.isFolder($0) || PresetInputs.isPattern($0) }
        paths = isBatch ? try PresetInputs.expand(arguments, relativeTo: FileManager.default.currentDirectoryPath, origin: "PATH",
                                                  folderExtensions: folderExtensions, uniqueStems: false) : [first]
    }

    /// The texts of the inputs, each under a line naming it when there are several.
    public func joined(_ texts: [String]) -> String {
        guard isBatch else { return texts.first ?? "" }
        return zip(paths, texts).map { "== \($0) ==\n\($1)" }.joined(separator: "\n")
    }
}
