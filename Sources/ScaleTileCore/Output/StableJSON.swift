import Foundation

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

    /// Every line of a JSON-lines file, decoded.
    public static func decodeLines<T: Decodable>(_ type: T.Type, from data: Data) throws -> [T] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try data.split(separator: 0x0A).filter { !$0.isEmpty }.map { try decoder.decode(type, from: Data($0)) }
    }
}
