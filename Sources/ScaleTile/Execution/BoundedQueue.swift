import Foundation
import Synchronization

/// A first-in first-out queue of bounded capacity between threads.
///
/// The bound is what keeps memory flat in a streaming job: a reader that runs ahead of the
/// encoders blocks once `capacity` decoded tiles wait, whatever the scene's size.
final class BoundedQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var head = 0
        var closed = false
    }

    private let capacity: Int
    private let state = Mutex(State())
    private let condition = NSCondition()

    init(capacity: Int) {
        precondition(capacity > 0, "a queue needs room for one element")
        self.capacity = capacity
    }

    /// Adds `element`, waiting while the queue is full. Returns false when the queue was closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let outcome: Bool? = state.withLock { s in
                if s.closed { return false }
                if s.items.count - s.head < capacity {
                    s.items.append(element)
                    return true
                }
                return nil
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
            let outcome: (Element?, done: Bool) = state.withLock { s in
                if s.head < s.items.count {
                    let e = s.items[s.head]
                    s.head += 1
                    if s.head > 64 && s.head * 2 > s.items.count {
                        s.items.removeFirst(s.head)
                        s.head = 0
                    }
                    return (e, false)
                }
                return (nil, s.closed)
            }
            if let element = outcome.0 {
                condition.broadcast()
                return element
            }
            if outcome.done { return nil }
            condition.wait()
        }
    }

    /// No more elements will be pushed; waiting consumers drain what is left and stop.
    func close() {
        condition.lock()
        state.withLock { $0.closed = true }
        condition.broadcast()
        condition.unlock()
    }
}
