import Foundation
import ScaleTileCore

/// The `--out` folder of a run (DESIGN.md §3): what is in it, and how it is written.
///
/// Everything a run writes goes through here or through an encoder writing inside it, and
/// every file is written atomically, so a killed run leaves only complete files.
public struct OutputFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// An existing output folder, to read (a finished run's manifest) or to add to.
    public init(path: String) { self.path = path }

    /// Names of the files and folders ScaleTile writes at the top of an output folder.
    public static let ownedNames = ["manifest.jsonl", "summary.json", "tiles", "coco.json", "labels", "index.geojson", "labels.geojson", "patches", "levels", "pyramid",
                                    "images", "annotations", "data.yaml", "datalist.json", "shards"]

    /// Removes `names` at the top of the folder, those present.
    ///
    /// - Throws: ``ScaleTileError/Kind/io`` naming what cannot be removed.
    func remove(_ names: [String]) throws {
        for name in names where FileManager.default.fileExists(atPath: file(name)) {
            do {
                try FileManager.default.removeItem(atPath: file(name))
            } catch {
                throw ScaleTileError(.io, file(name), "cannot remove the earlier run's output (\(OutputFolder.reason(error)))")
            }
        }
    }

    /// How to treat a folder that already holds output.
    public enum ExistingOutput: Sendable {
        /// Refuse to write into a folder that already holds a run's files.
        case refuse
        /// Keep complete tiles and write only the missing ones (`--resume`).
        case resume
        /// Remove the previous run's files first (`--overwrite`).
        case overwrite
    }

    /// Creates (or checks) the folder and makes sure it can be written, before any tile is.
    public static func prepare(_ path: String, existing: ExistingOutput) throws -> OutputFolder {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ScaleTileError(.invalidArgument, path, "the output path is a file, not a folder")
            }
            let present = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { ownedNames.contains($0) }
            switch existing {
            case .refuse where !present.isEmpty:
                throw ScaleTileError(.invalidArgument, path, "the output folder already holds a run (\(present.sorted().joined(separator: ", "))): pass --resume to complete it or --overwrite to replace it")
            case .overwrite:
                try OutputFolder(path: path).remove(present)
            case .resume:
                AtomicFile.removeLeftovers(in: path)
            default:
                break
            }
        } else {
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw ScaleTileError(.io, path, "cannot create the output folder (\(OutputFolder.reason(error)))")
            }
        }
        let probe = path + "/.scaletile-write-test-\(ProcessInfo.processInfo.processIdentifier)"
        guard fm.createFile(atPath: probe, contents: Data()) else {
            throw ScaleTileError(.io, path, "cannot write into the output folder (\(String(cString: strerror(errno))))")
        }
        try? fm.removeItem(atPath: probe)
        return OutputFolder(path: path)
    }

    /// The absolute path of `relative` inside the folder.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Creates a subfolder (and its parents) if missing.
    public func makeFolder(_ relative: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: file(relative), withIntermediateDirectories: true)
        } catch {
            throw ScaleTileError(.io, file(relative), "cannot create the folder (\(OutputFolder.reason(error)))")
        }
    }

    /// Whether a complete file exists at `relative` (atomic writes make existence mean complete);
    /// a folder of that name is not a file.
    public func hasFile(_ relative: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: file(relative), isDirectory: &isFolder) && !isFolder.boolValue
    }

    /// Writes `manifest.jsonl`: one line per entry, in the given (plan) order.
    public func writeManifest(_ entries: [ManifestEntry]) throws {
        try AtomicFile.write(try StableJSON.lines(entries), to: file("manifest.jsonl"))
    }

    /// Reads `manifest.jsonl` back.
    public func readManifest() throws -> [ManifestEntry] {
        guard let data = FileManager.default.contents(atPath: file("manifest.jsonl")) else {
            throw ScaleTileError(.notFound, file("manifest.jsonl"), "no manifest: is this a ScaleTile output folder?")
        }
        let entries: [ManifestEntry]
        do {
            entries = try StableJSON.decodeLines(ManifestEntry.self, from: data)
        } catch {
            throw ScaleTileError(.invalidInput, file("manifest.jsonl"), "is not a ScaleTile manifest (\(error))")
        }
        return try ManifestEntry.checked(entries, file: file("manifest.jsonl"))
    }

    /// Writes a pretty, key-sorted JSON document (`summary.json`, `coco.json`).
    public func writeDocument<T: Encodable>(_ value: T, to relative: String) throws {
        try AtomicFile.write(StableJSON.document(value), to: file(relative))
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
