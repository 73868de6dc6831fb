import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The check every input path (scene, stack, mask, labels, preset, input list) passes before
/// it is opened: it must be a regular file, or a folder where a folder is expected.
///
/// Opening a FIFO for reading blocks until some other process writes to it, a character
/// device such as `/dev/zero` never ends, and a symbolic link loop fails deep inside a library
/// with a message about something else. These get one line naming the path instead, before
/// any read. GDAL dataset names (``DatasetName/isVirtual(_:)``) are not paths and pass.
public enum InputFile {
    /// What the path must be.
    public enum Expected: Sendable {
        /// A regular file (symbolic links to one are fine).
        case file
        /// A folder.
        case folder
        /// Either (a file geodatabase, `.gdb`, is a folder; an input list may name folders).
        case fileOrFolder
    }

    /// Throws unless `path` is what `expected` says.
    ///
    /// - Parameters:
    ///   - what: the kind of file, for the folder message (`a raster file`, `a preset file`).
    ///   - notFoundKind: the error kind for a missing path (presets report `.notFound` too).
    /// - Throws: ``ScaleTileError`` `.notFound` (no such file), `.invalidInput` (a FIFO, socket,
    ///   device, link loop, or a folder where a file is expected, or the reverse).
    public static func check(_ path: String, expecting expected: Expected = .file, what: String = "a file") throws {
        guard !DatasetName.isVirtual(path) else { return }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            switch code {
            case ELOOP:
                throw ScaleTileError(.invalidInput, path, "is a symbolic link loop, not \(what)")
            case ENOENT, ENOTDIR:
                var linkInfo = stat()
                if lstat(path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
                    throw ScaleTileError(.notFound, path, "is a symbolic link to nothing (no such file)")
                }
                throw ScaleTileError(.notFound, path, "no such file")
            default:
                throw ScaleTileError(.notFound, path, "cannot be examined (\(String(cString: strerror(code))))")
            }
        }
        let type = info.st_mode & S_IFMT
        switch type {
        case S_IFREG:
            guard expected != .folder else { throw ScaleTileError(.invalidInput, path, "is a file, not a folder") }
        case S_IFDIR:
            guard expected != .file else { throw ScaleTileError(.invalidInput, path, "is a folder, not \(what)") }
        default:
            let kind: String
            switch type {
            case S_IFIFO: kind = "a named pipe (FIFO)"
            case S_IFSOCK: kind = "a socket"
            case S_IFCHR: kind = "a character device"
            case S_IFBLK: kind = "a block device"
            default: kind = "a special file"
            }
            throw ScaleTileError(.invalidInput, path,
                                 "is \(kind), not \(what): ScaleTile reads regular files only (copy the data to a file first)")
        }
    }
}
