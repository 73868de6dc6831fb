import Foundation
import Synchronization
import ScaleTileCore

/// SIGINT and SIGTERM, turned into an orderly stop.
///
/// While a tiling pipeline runs (``ReadEncodePipeline``), a signal only sets a flag: the
/// reader stops taking windows, the encoders finish the files they are writing (each is
/// written atomically, so a file is complete or absent), and the job throws ``Interrupted``
/// with how many windows were done — `--resume` finishes the rest. Outside a pipeline
/// (planning, a pyramid, a merge) the process removes the temporary files being written
/// and exits at once with one line, `interrupted; nothing was kept`. A second signal always
/// exits at once.
///
/// Exit codes are the shell's: 128 + the signal number, 130 for SIGINT and 143 for SIGTERM.
public enum Interruption {
    /// Handles SIGINT and SIGTERM from now on (idempotent).
    public static func install() {
        state.withLock { state in
            guard state.sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                // Dispatch delivers the signal on a queue, where ordinary code may run.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: handlerQueue)
                source.setEventHandler { received(number) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    /// The signal that asked to stop, or nil.
    public static var requestedSignal: Int32? {
        let value = requested.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Runs `body` as resumable work: a signal during it is left for `body` to honour (by
    /// checking ``requestedSignal``) instead of ending the process.
    static func resumable<T>(_ body: () throws -> T) rethrows -> T {
        resumableDepth.add(1, ordering: .acquiringAndReleasing)
        defer { resumableDepth.subtract(1, ordering: .acquiringAndReleasing) }
        return try body()
    }

    /// Throws ``Interrupted`` (nothing kept) when a signal has asked to stop: the check a
    /// resumable loop that cannot resume (a merge) makes between two steps, so that its own
    /// clean-up runs before the process exits.
    static func stopIfRequested(completed: Int = 0, total: Int = 0, noun: String = "files", resumable: Bool = false) throws {
        if let signal = requestedSignal {
            throw Interrupted(signal: signal, completed: completed, total: total, noun: noun, resumable: resumable)
        }
    }

    /// The exit status for `signal`: 128 + its number.
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    private static func received(_ number: Int32) {
        let first = requested.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing).exchanged
        guard !first || resumableDepth.load(ordering: .acquiring) == 0 else { return }
        AtomicFile.removeFilesInFlightAndExit(status: exitStatus(for: number), message: "interrupted; nothing was kept\n")
    }

    private struct State: @unchecked Sendable {
        // @unchecked: signal sources are created once under the lock and never touched again.
        var sources: [any DispatchSourceSignal] = []
    }
    private static let state = Mutex(State())
    private static let requested = Atomic<Int32>(0)
    private static let resumableDepth = Atomic<Int>(0)
    private static let handlerQueue = DispatchQueue(label: "scaletile.signals")
}

/// A run stopped by SIGINT or SIGTERM after `completed` of `total` windows; the files of the
/// completed ones are in place, and `--resume` writes the rest.
public struct Interrupted: Error, Sendable, CustomStringConvertible {
    /// The signal (SIGINT or SIGTERM).
    public var signal: Int32
    /// Windows whose files are complete (written now or kept from an earlier run).
    public var completed: Int
    /// Windows this run (or shard) had to write.
    public var total: Int
    /// What the windows are called (`tiles`, `patches`, `levels`).
    public var noun: String
    /// Whether `--resume` finishes the work; false for commands without it (a merge), whose
    /// partial output was removed.
    public var resumable: Bool

    public init(signal: Int32, completed: Int, total: Int, noun: String = "tiles", resumable: Bool = true) {
        self.signal = signal
        self.completed = completed
        self.total = total
        self.noun = noun
        self.resumable = resumable
    }

    /// `interrupted after 12 of 40 tiles; run again with --resume to finish`, or
    /// `interrupted; nothing was kept`.
    public var description: String {
        resumable ? "interrupted after \(completed) of \(total) \(noun); run again with --resume to finish" : "interrupted; nothing was kept"
    }
}
