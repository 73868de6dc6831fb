import Foundation
import Synchronization

/// Runs blocking work on dedicated threads and waits for all of them.
///
/// GDAL and libtiff calls block and keep per-thread state (GDAL's error handler, a dataset
/// handle per worker), so workers are real threads, not tasks on the cooperative pool.
enum WorkerThreads {
    /// Runs `body(worker)` for `worker` in `0..<count` on `count` threads; returns when all end.
    /// The first error thrown by any worker is rethrown; `body` should watch `failure` to stop early.
    static func run(count: Int, _ body: @escaping @Sendable (_ worker: Int, _ failure: FirstFailure) throws -> Void) throws {
        let failure = FirstFailure()
        let group = DispatchGroup()
        for worker in 0..<count {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do { try body(worker, failure) } catch { failure.record(error) }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        if let error = failure.error { throw error }
    }
}

/// The first error any worker hit; later ones are consequences and are dropped.
final class FirstFailure: Sendable {
    private let stored = Mutex<(any Error)?>(nil)

    /// Keeps `error` if it is the first.
    func record(_ error: any Error) {
        stored.withLock { if $0 == nil { $0 = error } }
    }

    /// The first error, if any.
    var error: (any Error)? { stored.withLock { $0 } }

    /// Whether some worker failed (others should stop).
    var hasFailed: Bool { error != nil }
}
