/// Receives progress of a running job (tiles or patches done out of a total).
///
/// Called from worker threads; implementations must be cheap and thread-safe.
public protocol ProgressObserver: Sendable {
    /// `done` of `total` units are finished.
    func advance(to done: Int, of total: Int)
}
