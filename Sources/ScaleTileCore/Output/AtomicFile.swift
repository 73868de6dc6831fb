import Foundation
import Synchronization

/// Atomic file output: write under a temporary name in the destination's folder, then rename.
///
/// A killed run leaves complete files or `.partial` leftovers that ``removeLeftovers(in:)``
/// clears, never a half-written tile under its final name, which makes `--resume` safe.
public enum AtomicFile {
    /// The suffix of temporary files.
    public static let partialMarker = ".partial-"

    /// A temporary path next to `path`, unique to this process and call.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent().path
        return folder + "/." + name + partialMarker + "\(ProcessInfo.processInfo.processIdentifier)-\(counter.next())"
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try produce(path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw ScaleTileError(.io, path, "cannot write the file (\(errnoText()))")
            }
        }
    }

    /// Lets `body` write a file at a temporary path, then renames it to `path`.
    /// On any error the temporary file is removed and the error rethrown.
    public static func produce(_ path: String, _ body: (String) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        inFlight.withLock { _ = $0.insert(temporary) }
        defer { inFlight.withLock { _ = $0.remove(temporary) } }
        do {
            try body(temporary)
            guard rename(temporary, path) == 0 else {
                throw ScaleTileError(.io, path, "cannot move the finished file into place (\(errnoText()))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Removes temporary files a killed run left in `folder` and its subfolders.
    @discardableResult
    public static func removeLeftovers(in folder: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return 0 }
        var removed = 0
        while let item = walker.nextObject() as? String {
            if (item as NSString).lastPathComponent.contains(partialMarker) {
                try? FileManager.default.removeItem(atPath: folder + "/" + item)
                removed += 1
            }
        }
        return removed
    }

    /// Temporary paths being written right now, for an interrupted process to remove on its way out.
    private static let inFlight = Mutex<Set<String>>([])

    /// Registers `temporary`, written by other means than ``produce(_:_:)`` (a GDAL dataset
    /// created under a temporary name), as being written: an exit on a signal removes it.
    /// Call it before creating the file, so that no moment leaves an unregistered file behind
    /// (``removeFilesInFlightAndExit(status:message:)`` blocks it once the exit has begun).
    public static func beginWriting(_ temporary: String) { inFlight.withLock { _ = $0.insert(temporary) } }

    /// `temporary` is renamed or removed: no longer being written.
    public static func endWriting(_ temporary: String) { inFlight.withLock { _ = $0.remove(temporary) } }

    /// Removes every temporary file being written right now, prints `message` and exits the
    /// process with `status`: for a process stopped by a signal, whose writers will not finish.
    ///
    /// The register stays locked until the exit, so a writer thread still running cannot
    /// register — and so create (writers register first) — a file after the removal.
    public static func removeFilesInFlightAndExit(status: Int32, message: String) -> Never {
        inFlight.withLock { paths in
            for path in paths { unlink(path) }
            FileHandle.standardError.write(Data(message.utf8))
            _exit(status)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    private static let counter = Counter()

    private final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }
}
