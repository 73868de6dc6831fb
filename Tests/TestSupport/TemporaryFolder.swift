import Foundation

/// A fresh folder under the system's temporary directory, removed when the value goes away.
public final class TemporaryFolder: @unchecked Sendable {
    // @unchecked: the path is immutable after init; the class exists only for its deinit.
    public let path: String

    public init(_ label: String = "scaletile-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The absolute path of `relative` inside the folder.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Names of the entries at the top of the folder, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Every file under `folder` (not folders), by path relative to it, with its bytes: what two
    /// runs that must be identical are compared by.
    public static func files(in folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)
        while let item = walker?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + item, isDirectory: &isFolder), !isFolder.boolValue {
                files[item] = FileManager.default.contents(atPath: folder + "/" + item)
            }
        }
        return files
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
