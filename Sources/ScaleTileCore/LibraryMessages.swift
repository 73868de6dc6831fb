import Synchronization

/// Messages GDAL or libtiff raised outside a call that captures its own (``ScaleTileError``
/// carries those): kept here, counted by text, instead of printed one by one.
///
/// A broken TIFF tag makes GDAL repeat the same complaint for every strip — 480 lines for a
/// 480-row file. The command line prints a summary of these once, at the end (at most a few
/// lines, each with its count: `… and 479 more like it`).
public enum LibraryMessages {
    /// One distinct message and how often it came.
    public struct Entry: Hashable, Sendable {
        /// `GDAL`, `libtiff`.
        public var library: String
        /// Whether the library called it an error (else a warning).
        public var isError: Bool
        /// The text, trimmed.
        public var text: String
        /// How many times it came.
        public var count: Int
    }

    /// Records one message (thread-safe). Past ``distinctLimit`` distinct texts, only the
    /// count of further messages is kept.
    public static func record(library: String, isError: Bool, text: String) {
        let trimmed = String(text.trimmingPrefix(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        store.withLock { store in
            store.total += 1
            if let index = store.entries.firstIndex(where: { $0.text == trimmed && $0.library == library }) {
                store.entries[index].count += 1
            } else if store.entries.count < distinctLimit {
                store.entries.append(Entry(library: library, isError: isError, text: trimmed, count: 1))
            } else {
                store.dropped += 1
            }
        }
    }

    /// The messages so far, in order of first appearance, and the count of those past the
    /// distinct limit; empties the store.
    public static func drain() -> (entries: [Entry], dropped: Int) {
        store.withLock { store in
            defer { store = Store() }
            return (store.entries, store.dropped)
        }
    }

    /// At most `lines` lines summarising `entries` (errors first), each `warning: GDAL: text`
    /// with `… and N more like it` for repeats; a last line counts what did not fit. Messages
    /// whose text is already in `shown` (the error line printed before) are left out.
    public static func summary(_ drained: (entries: [Entry], dropped: Int), lines: Int, shown: String = "") -> [String] {
        let entries = drained.entries.filter { !shown.contains($0.text) }
            .sorted { ($0.isError ? 0 : 1) < ($1.isError ? 0 : 1) }
        guard lines > 0, !entries.isEmpty || drained.dropped > 0 else { return [] }
        func line(_ entry: Entry) -> String {
            let more = entry.count > 1 ? " … and \(entry.count - 1) more like it" : ""
            return "warning: \(entry.library): \(entry.text)\(more)"
        }
        if entries.count <= lines && drained.dropped == 0 { return entries.map(line) }
        let kept = entries.prefix(lines - 1)
        let rest = entries.dropFirst(lines - 1).reduce(0) { $0 + $1.count } + drained.dropped
        return kept.map(line) + ["warning: … and \(rest) more library messages"]
    }

    /// Distinct texts kept.
    public static let distinctLimit = 64

    private struct Store {
        var entries: [Entry] = []
        var dropped = 0
        var total = 0
    }
    private static let store = Mutex(Store())
}

/// Warnings a job raises for the person running it (a stretch taken over fill pixels, a
/// shortfall), printed once by the command line after the run's own output, each once however
/// often it was raised.
public enum RunWarnings {
    /// Adds `text` (`scene.tif: 18 % of the pixels are 0 …`) unless it is already there.
    public static func add(_ text: String) {
        store.withLock { if !$0.contains(text) { $0.append(text) } }
    }

    /// The warnings so far, in order; empties the list.
    public static func drain() -> [String] {
        store.withLock { list in defer { list = [] }; return list }
    }

    private static let store = Mutex<[String]>([])
}
