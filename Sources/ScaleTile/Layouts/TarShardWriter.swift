import Foundation
import ScaleTileCore
internal import CArchive

/// One tar shard written through libarchive (POSIX pax, restricted to ustar when names fit),
/// members in the order added, with fixed owner, mode and time so equal members give equal bytes.
///
/// Not Sendable: it owns a libarchive writer, used on one thread from open to `finish()`.
final class TarShardWriter {
    private let archive: OpaquePointer
    private let path: String
    private var finished = false

    /// Starts a new tar at `path`.
    init(path: String) throws {
        guard let archive = archive_write_new() else { throw ScaleTileError(.io, path, "libarchive cannot start a tar writer") }
        self.archive = archive
        self.path = path
        guard archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK,
              archive_write_open_filename(archive, path) == ARCHIVE_OK else {
            let message = Self.message(archive)
            archive_write_free(archive)
            throw ScaleTileError(.io, path, "cannot write the shard (\(message))")
        }
    }

    deinit {
        if !finished { archive_write_free(archive) }
    }

    /// Adds a regular file `name` holding `bytes`.
    func add(_ name: String, bytes: [UInt8]) throws {
        guard let entry = archive_entry_new() else { throw ScaleTileError(.io, path, "libarchive cannot make an entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_size(entry, la_int64_t(bytes.count))
        archive_entry_set_filetype(entry, scaletile_archive_regular_file_type())
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_mtime(entry, 0, 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw ScaleTileError(.io, path, "cannot add \(name) (\(Self.message(archive)))")
        }
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ScaleTileError(.io, path, "cannot add \(name) (\(Self.message(archive)))") }
    }

    /// Closes the tar (writing its end blocks).
    func finish() throws {
        finished = true
        let closed = archive_write_close(archive)
        let message = Self.message(archive)
        archive_write_free(archive)
        guard closed == ARCHIVE_OK else { throw ScaleTileError(.io, path, "cannot finish the shard (\(message))") }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
