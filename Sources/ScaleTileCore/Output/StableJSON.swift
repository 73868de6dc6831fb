import Foundation
import Synchronization

/// Deterministic JSON for everything ScaleTile writes: sorted keys, no escaped slashes,
/// so equal values give byte-identical files whatever the thread count or shard.
public enum StableJSON {
    /// An encoder for one-line records (`manifest.jsonl`).
    public static func lineEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// An encoder for documents people also read (`summary.json`, `info --json`).
    public static func prettyEncoder() -> JSONEncoder {
        let encoder = lineEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return encoder
    }

    /// One value as one line of JSON, with the trailing newline.
    public static func line<T: Encodable>(_ value: T) throws -> Data {
        var data = try lineEncoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// A pretty-printed document with a trailing newline.
    public static func document<T: Encodable>(_ value: T) throws -> Data {
        var data = try prettyEncoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// A decoder that reads what these encoders write (`"Infinity"`, `"NaN"` as numbers).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// Every line of a JSON-lines file, decoded, in order.
    ///
    /// Lines are found in one pass over the bytes and decoded in chunks on every core: a
    /// 100,000-line manifest is most of what `split`, `merge` and `stitch` spend. The error is
    /// the first bad line's, whatever the thread count.
    public static func decodeLines<T: Decodable & Sendable>(_ type: T.Type, from data: Data) throws -> [T] {
        let base = data.startIndex
        let lines: [Range<Int>] = data.withUnsafeBytes { raw in
            var ranges: [Range<Int>] = []
            var start = 0
            for (offset, byte) in raw.enumerated() where byte == 0x0A {
                if offset > start { ranges.append(base + start ..< base + offset) }
                start = offset + 1
            }
            if start < raw.count { ranges.append(base + start ..< base + raw.count) }
            return ranges
        }
        let chunks = inChunks(lines.count) { range in
            let decoder = Self.decoder()
            return try lines[range].map { try decoder.decode(type, from: data[$0]) }
        }
        return try chunks.flatMap { try $0.get() }
    }

    /// The values as JSON lines (`manifest.jsonl`), encoded in chunks on every core; the bytes
    /// are those of encoding them one by one.
    public static func lines<T: Encodable & Sendable>(_ values: [T]) throws -> Data {
        let chunks = inChunks(values.count) { range in
            let encoder = lineEncoder()
            var data = Data()
            for value in values[range] {
                data.append(try encoder.encode(value))
                data.append(0x0A)
            }
            return data
        }
        var data = Data()
        for chunk in chunks { data.append(try chunk.get()) }
        return data
    }

    /// `work` over consecutive ranges of `0..<count`, concurrently when there is enough to share,
    /// results in range order.
    private static func inChunks<R: Sendable>(_ count: Int, _ work: @escaping @Sendable (Range<Int>) throws -> R) -> [Result<R, any Error>] {
        // Below a few thousand lines a thread costs more than it saves.
        let chunkCount = count < 4096 ? 1 : Swift.min(64, ProcessInfo.processInfo.activeProcessorCount * 4)
        let size = Swift.max(1, (count + chunkCount - 1) / chunkCount)
        let ranges = stride(from: 0, to: Swift.max(count, 1), by: size).map { $0 ..< Swift.min($0 + size, count) }
        let results = Mutex([Result<R, any Error>?](repeating: nil, count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
            let result = Result { try work(ranges[k]) }
            results.withLock { $0[k] = result }
        }
        return results.withLock { $0.map { $0! } }
    }
}
