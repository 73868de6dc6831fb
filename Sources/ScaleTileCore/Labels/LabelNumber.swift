/// Reading a number written in a label file, and converting input-derived coordinates to
/// whole pixels without a trap.
///
/// `Double("12\0junk")` is 12 on Linux, because the standard library hands the text to
/// `strtod` as a C string and the NUL ends it; a label file with a NUL inside a number would
/// then be read as if it were valid. Every label parser reads its numbers through
/// ``finite(_:)`` instead.
package enum LabelNumber {
    /// The finite number `text` spells, or nil: text with anything but digits, a sign, a
    /// decimal point or an exponent (NUL bytes and other control characters included), or a
    /// number that is infinite or not a number.
    package static func finite(_ text: some StringProtocol) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 64,
              text.utf8.allSatisfy({ allowed.contains($0) }),
              let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }

    /// The bytes a plain decimal number may hold: `0-9 + - . e E`.
    private static let allowed: Set<UInt8> = Set("0123456789+-.eE".utf8)

    /// How text shows a value in a message: NUL and other control characters escaped, at most
    /// 40 characters, so a hostile value cannot break the one-line error.
    package static func shown(_ text: some StringProtocol) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(40) {
            shown += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return text.unicodeScalars.count > 40 ? shown + "…" : shown
    }
}

extension Double {
    /// This value rounded by `rule` as an `Int`, or nil when it is not finite or lies past
    /// ±2^52 (beyond which doubles no longer hold every whole number, and `Int(_:)` would trap
    /// soon after). Input-derived coordinates go through this instead of `Int(_:)`.
    package func wholePixels(_ rule: FloatingPointRoundingRule) -> Int? {
        let rounded = self.rounded(rule)
        guard rounded.isFinite, abs(rounded) <= 4_503_599_627_370_496 else { return nil }
        return Int(rounded)
    }
}
