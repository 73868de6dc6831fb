import Foundation
import ScaleTileCore

/// Puts a shard's files into the merged folder: a hard link when both are on one filesystem
/// (no bytes copied, and the shard folders stay as they were), else a copy.
struct FilePlacement {
    /// How files reach the merged folder.
    enum Method: Sendable {
        /// Hard link, or copy across filesystems.
        case linkOrCopy
        /// Always copy (`--copy`): the merged folder shares no inode with the shards.
        case copy
    }

    let method: Method
    private(set) var linked = 0
    private(set) var copied = 0
    private var folders = Set<String>()

    init(_ method: Method) { self.method = method }

    /// Places `source` at `destination`, which must not exist yet.
    mutating func place(_ source: String, at destination: String) throws {
        let parent = (destination as NSString).deletingLastPathComponent
        if folders.insert(parent).inserted {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw ScaleTileError(.io, parent, "cannot create the folder (\(error.localizedDescription))")
            }
        }
        if method == .linkOrCopy {
            if link(source, destination) == 0 {
                linked += 1
                return
            }
            let reason = errno
            guard [EXDEV, EPERM, EMLINK, ENOTSUP, EACCES].contains(reason) else {
                throw ScaleTileError(.io, destination, "cannot link \(source) here (\(String(cString: strerror(reason))))")
            }
        }
        try AtomicFile.produce(destination) { temporary in
            do {
                try FileManager.default.copyItem(atPath: source, toPath: temporary)
            } catch {
                throw ScaleTileError(.io, destination, "cannot copy \(source) here (\(error.localizedDescription))")
            }
        }
        copied += 1
    }
}
