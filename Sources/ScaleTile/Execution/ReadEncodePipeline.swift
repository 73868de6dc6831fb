import Foundation
import Synchronization

/// The streaming core of a tiling job: one reader thread decodes planned windows in a chosen
/// order and hands them to encoder threads over a ``BoundedQueue``; each window's outcome is
/// kept by its plan position, so what the job writes afterwards (manifest, summary) follows the
/// plan whatever the thread count.
///
/// One reader, because the readers in use keep per-handle state (a GDAL dataset, a libtiff
/// handle) and read best in a chosen order; several encoders, because compressing and writing
/// is where the CPU goes. Memory is the queue's capacity in decoded windows: one waiting per
/// encoder keeps them busy, more would only hold memory.
enum ReadEncodePipeline {
    /// What the reader made of one window.
    enum Step<Decoded: Sendable, Outcome: Sendable>: Sendable {
        /// The outcome is known without encoding (a tile kept from an earlier run, one skipped).
        case done(Outcome)
        /// Pixels for an encoder.
        case encode(Decoded)
    }

    /// Runs the pipeline over `itemCount` plan positions and returns their outcomes in plan order.
    ///
    /// - Parameters:
    ///   - readOrder: every position in `0 ..< itemCount` once, in the order to read them.
    ///   - encoders: encoder threads (the reader runs beside them).
    ///   - queueCapacity: decoded windows that may wait for an encoder; default one per encoder
    ///     and one more. Jobs whose windows are large pass less, to stay within a memory budget.
    ///   - openReader: makes the reader's state on the reader thread (a handle that must not
    ///     cross threads).
    ///   - read: decodes position `position`, or says what became of it.
    ///   - encode: writes decoded pixels; runs on an encoder thread.
    ///   - noun: what the windows are called, for the ``Interrupted`` line (`tiles`, `patches`).
    /// - Throws: the first error any thread hit; the others stop soon after. ``Interrupted``
    ///   after SIGINT or SIGTERM: the reader stops, the encoders finish the files they are
    ///   writing, and the error counts the windows done.
    static func run<Reader, Decoded: Sendable, Outcome: Sendable>(
        itemCount: Int, readOrder: [Int], encoders: Int, queueCapacity: Int? = nil, progress: (any ProgressObserver)?,
        noun: String = "tiles",
        openReader: @escaping @Sendable () throws -> Reader,
        read: @escaping @Sendable (_ reader: Reader, _ position: Int) throws -> Step<Decoded, Outcome>,
        encode: @escaping @Sendable (_ position: Int, _ decoded: Decoded) throws -> Outcome
    ) throws -> [Outcome] {
        precondition(readOrder.count == itemCount, "the read order lists every position once")
        precondition(encoders >= 1, "at least one encoder")
        let outcomes = Mutex([Outcome?](repeating: nil, count: itemCount))
        let done = Atomic<Int>(0)
        let queue = BoundedQueue<(position: Int, decoded: Decoded)>(capacity: Swift.max(1, queueCapacity ?? encoders + 1))
        @Sendable func finished(_ position: Int, _ outcome: Outcome) {
            outcomes.withLock { $0[position] = outcome }
            // Counted before the optional call: `progress?` would skip evaluating its argument.
            let count = done.add(1, ordering: .relaxed).newValue
            progress?.advance(to: count, of: itemCount)
        }

        try Interruption.resumable {
          try WorkerThreads.run(count: encoders + 1) { worker, failure in
            if worker == 0 {
                defer { queue.close() }
                let reader = try openReader()
                for position in readOrder where !failure.hasFailed && Interruption.requestedSignal == nil {
                    switch try read(reader, position) {
                    case .done(let outcome): finished(position, outcome)
                    case .encode(let decoded): queue.push((position, decoded))
                    }
                }
            } else {
                // Encoders drain the queue even after a failure so the reader never blocks forever.
                while let item = queue.pop() {
                    guard !failure.hasFailed, Interruption.requestedSignal == nil else { continue }
                    do {
                        finished(item.position, try encode(item.position, item.decoded))
                    } catch {
                        failure.record(error)
                    }
                }
            }
          }
        }
        if let signal = Interruption.requestedSignal {
            throw Interrupted(signal: signal, completed: done.load(ordering: .relaxed), total: itemCount, noun: noun)
        }
        return outcomes.withLock { $0 }.map { $0! }
    }
}
