import Foundation

/// What XML text must pass before it reaches Foundation's `XMLParser` (Pascal VOC labels,
/// OME-XML metadata).
///
/// - Control characters other than tab, line feed and carriage return are not XML (1.0 §2.2),
///   and FoundationXML on Linux traps on some of them (a NUL inside an element it is opening)
///   instead of reporting an error.
/// - Text that is not valid UTF-8 (and declares no other encoding) is refused: FoundationXML
///   traps on an element name with a broken byte sequence.
/// - A `<!DOCTYPE` with entity declarations is refused: neither format uses entities, and
///   nested ones expand exponentially ("billion laughs"); external ones would read other files.
package enum XMLText {
    /// Throws ``ScaleTileError`` `.invalidInput` (without a path) naming the line of the first
    /// problem; `what` names the text in the message (`not valid XML`, or the metadata's place).
    package static func check(_ data: Data, what: String = "not valid XML") throws {
        var line = 1
        for byte in data {
            if byte == UInt8(ascii: "\n") { line += 1; continue }
            if byte < 0x20 && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") || byte == 0x7F {
                throw ScaleTileError(.invalidInput, nil, "\(what) (line \(line): control character 0x\(String(byte, radix: 16, uppercase: true)), which XML does not allow)")
            }
        }
        if String(data: data, encoding: .utf8) == nil {
            // A prolog naming another encoding (ISO-8859-1, UTF-16) is libxml2's to convert.
            let prolog = String(decoding: data.prefix(200), as: UTF8.self).lowercased()
            let declaresOther = prolog.hasPrefix("<?xml") && prolog.contains("encoding") && !prolog.contains("utf-8")
            let hasByteOrderMark = data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF])
            if !declaresOther && !hasByteOrderMark {
                let firstBad = Self.firstInvalidUTF8Offset(in: data) ?? 0
                let line = data.prefix(firstBad).reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                throw ScaleTileError(.invalidInput, nil, "\(what) (line \(line): bytes that are not UTF-8 text)")
            }
        }
        // FoundationXML hands a processing instruction without data to strlen as NULL (a crash
        // found by libFuzzer: `<?p:x?>`); neither format uses processing instructions.
        let bytes = [UInt8](data)
        var index = 0
        while index + 1 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "?") else { continue }
            var end = index + 2
            while end < bytes.count, !(bytes[end] == UInt8(ascii: "?") && end + 1 < bytes.count && bytes[end + 1] == UInt8(ascii: ">")) { end += 1 }
            // Unterminated: libxml2 refuses it without a callback (and scanning on would be quadratic).
            guard end < bytes.count else { break }
            let body = bytes[(index + 2) ..< Swift.min(end, bytes.count)]
            let target = body.prefix { ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains($0) }
            let rest = body.dropFirst(target.count).drop { [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains($0) }
            if rest.isEmpty {
                let line = bytes[..<index].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                throw ScaleTileError(.invalidInput, nil, "\(what) (line \(line): a processing instruction without data)")
            }
        }
        if let doctype = data.range(of: Data("<!DOCTYPE".utf8)) ?? data.range(of: Data("<!doctype".utf8)),
           data[doctype.lowerBound...].range(of: Data("<!ENTITY".utf8)) != nil {
            let line = data[..<doctype.lowerBound].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            throw ScaleTileError(.invalidInput, nil, "\(what) (line \(line): entity declarations are not allowed; ScaleTile does not expand XML entities)")
        }
    }

    /// The offset of the first byte that does not begin or continue a valid UTF-8 sequence.
    private static func firstInvalidUTF8Offset(in data: Data) -> Int? {
        var decoder = UTF8()
        var iterator = data.makeIterator()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar); consumed = offset
            case .emptyInput:
                return nil
            case .error:
                return consumed
            }
        }
    }
}
