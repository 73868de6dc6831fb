import Foundation
import Synchronization

/// A one-line progress bar on standard error: done/total, rate and time left.
///
/// Drawn at most ten times a second, only when standard error is a terminal and `--quiet`
/// is off; cleared when the job ends so the final table starts on a clean line.
public final class TerminalProgress: ProgressObserver {
    private let label: String
    private let start = Date()
    private let lastDraw = Mutex<Date>(.distantPast)

    init(label: String) { self.label = label }

    /// A progress bar when it can be seen, else nil.
    public static func make(label: String, quiet: Bool) -> TerminalProgress? {
        quiet || !StandardError.isTerminal ? nil : TerminalProgress(label: label)
    }

    public func advance(to done: Int, of total: Int) {
        let now = Date()
        let draw = lastDraw.withLock { last -> Bool in
            guard done == total || now.timeIntervalSince(last) >= 0.1 else { return false }
            last = now
            return true
        }
        guard draw else { return }
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        StandardError.write(String(format: "\r%@ %@ %d/%d  %.1f/s  ETA %@ ", label, bar, done, total, rate, TerminalProgress.clock(left)))
    }

    /// Clears the line.
    public func finish() { StandardError.write("\r\u{1B}[2K") }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Seconds since it was made, for the closing lines of a command.
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now

    public init() {}

    public var seconds: Double {
        let d = start.duration(to: .now).components
        return Double(d.seconds) + Double(d.attoseconds) / 1e18
    }
}
