import Foundation

/// A small JSON reader for one line of a predictions `.jsonl` file, fast enough for millions of
/// lines (Foundation's `JSONDecoder` costs about 20 µs a line on Linux).
///
/// It reads any JSON value; numbers become `Double` (`"NaN"`, `"Infinity"` strings stay
/// strings and are read as numbers where a number is expected). Anything malformed returns nil,
/// and the caller asks `JSONDecoder` for the message.
enum JSONLineValue {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONLineValue])
    case object([(key: String, value: JSONLineValue)])

    /// The value of `key` in an object.
    subscript(key: String) -> JSONLineValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// A number, or a string GDAL-style naming a non-finite one.
    var double: Double? {
        switch self {
        case .number(let v): return v
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var array: [JSONLineValue]? { if case .array(let a) = self { return a } else { return nil } }

    /// Parses one complete JSON value (surrounding white space allowed).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONLineValue? {
        var parser = Parser(bytes: bytes)
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.position == bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipSpace() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0D || bytes[position] == 0x0A {
                position += 1
            }
        }

        mutating func value() -> JSONLineValue? {
            skipSpace()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var pairs: [(key: String, value: JSONLineValue)] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                    position += 1
                    guard let v = value() else { return nil }
                    pairs.append((key, v))
                    skipSpace()
                    guard position < bytes.count else { return nil }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(pairs) }
                    return nil
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [JSONLineValue] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                while true {
                    guard let v = value() else { return nil }
                    items.append(v)
                    skipSpace()
                    guard position < bytes.count else { return nil }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""):
                return string().map(JSONLineValue.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                return number()
            }
        }

        mutating func literal(_ word: StaticString, _ result: JSONLineValue) -> JSONLineValue? {
            let n = word.utf8CodeUnitCount
            guard position + n <= bytes.count else { return nil }
            for k in 0 ..< n where bytes[position + k] != word.utf8Start[k] { return nil }
            position += n
            return result
        }

        mutating func number() -> JSONLineValue? {
            let start = position
            while position < bytes.count {
                let c = bytes[position]
                guard (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                        || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") else { break }
                position += 1
            }
            guard position > start, let v = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< position]), as: UTF8.self)) else { return nil }
            return .number(v)
        }

        /// A string starting at the opening quote; escapes decoded.
        mutating func string() -> String? {
            position += 1
            let start = position
            var escaped = false
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                if bytes[position] == UInt8(ascii: "\\") { escaped = true; position += 1 }
                position += 1
            }
            guard position < bytes.count else { return nil }
            let raw = UnsafeBufferPointer(rebasing: bytes[start ..< position])
            position += 1
            if !escaped { return String(decoding: raw, as: UTF8.self) }
            // Rare: let Foundation decode the escapes of this one string.
            var quoted = [UInt8(ascii: "\"")]
            quoted.append(contentsOf: raw)
            quoted.append(UInt8(ascii: "\""))
            return try? JSONDecoder().decode(String.self, from: Data(quoted))
        }
    }
}
