import Foundation
import Synchronization

/// A first-in first-out queue of bounded capacity between threads.
///
/// The bound is what keeps memory flat in a streaming job: a reader that runs ahead of the
/// encoders blocks once `capacity` decoded tiles wait, whatever the scene's size. Slots are
/// cleared as they are taken, so a consumed tile's pixels are freed at once.
final class BoundedQueue<Element: Sendable>: Sendable {
    private struct Ring {
        var slots: [Element?]
        var head = 0
        var count = 0
        var closed = false
    }

    private let ring: Mutex<Ring>
    private let condition = NSCondition()

    init(capacity: Int) {
        precondition(capacity > 0, "a queue needs room for one element")
        ring = Mutex(Ring(slots: Array(repeating: nil, count: capacity)))
    }

    /// Adds `element`, waiting while the queue is full. Returns false when the queue was closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let outcome: Bool? = ring.withLock { r in
                if r.closed { return false }
                guard r.count < r.slots.count else { return nil }
                r.slots[(r.head + r.count) % r.slots.count] = element
                r.count += 1
                return true
            }
            if let outcome {
                condition.broadcast()
                return outcome
            }
            condition.wait()
        }
    }

    /// Takes the oldest element, waiting while the queue is empty; nil once closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let outcome: (element: Element?, finished: Bool) = ring.withLock { r in
                guard r.count > 0 else { return (nil, r.closed) }
                let element = r.slots[r.head]
                r.slots[r.head] = nil
                r.head = (r.head + 1) % r.slots.count
                r.count -= 1
                return (element, false)
            }
            if let element = outcome.element {
                condition.broadcast()
                return element
            }
            if outcome.finished { return nil }
            condition.wait()
        }
    }

    /// No more elements will be pushed; waiting consumers drain what is left and stop.
    func close() {
        condition.lock()
        ring.withLock { $0.closed = true }
        condition.broadcast()
        condition.unlock()
    }
}
