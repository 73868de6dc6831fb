import Foundation
import ScaleTileCore

/// Seeded mutations of a valid input, for the parsers' mutation tests (`Fuzz*` suites).
///
/// Each call applies one to three edits chosen from what has broken parsers before: a number
/// replaced by a hostile one (huge, non-finite, negative, with a NUL inside), a byte flipped,
/// a span deleted or repeated, a token (bracket, quote, separator, NUL) inserted. The same seed
/// gives the same inputs, so a failing case is reproduced by its index.
public struct InputMutator {
    private var random: SeededRandom
    private let original: [UInt8]
    /// Where the original's numbers are (byte ranges), so edits can aim at them.
    private let numberRanges: [Range<Int>]

    /// Numbers that have trapped conversions or slipped through checks.
    public static let hostileNumbers = [
        "1e300", "-1e300", "1e309", "-1e309", "9223372036854775808", "-9223372036854775809",
        "4294967296", "2147483648", "NaN", "nan", "inf", "-inf", "Infinity", "1\u{0}5", "7\u{0}",
        "0x10", "1e-320", "-0", "99999999999999999999999", "12.5.3", "", "1e18", "-2147483649",
    ]
    private static let tokens = ["\u{0}", "[", "]", "{", "}", "\"", ",", ":", "\n", "<", ">", "&", " ", "-", "\t", "\u{FEFF}", "é", "\r\n"]

    public init(_ original: String, seed: UInt64) {
        self.original = Array(original.utf8)
        random = SeededRandom(seed: seed)
        var ranges: [Range<Int>] = []
        var start: Int? = nil
        for (index, byte) in self.original.enumerated() {
            let isNumberByte = (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            if isNumberByte, start == nil { start = index }
            if !isNumberByte, let s = start { ranges.append(s..<index); start = nil }
        }
        if let s = start { ranges.append(s..<self.original.count) }
        numberRanges = ranges
    }

    /// The next mutated input.
    public mutating func next() -> Data {
        var bytes = original
        for _ in 0..<random.integer(in: 1...3) {
            mutate(&bytes)
        }
        return Data(bytes)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { bytes = Array("\u{0}".utf8); return }
        let position = random.integer(in: 0...(bytes.count - 1))
        switch random.integer(in: 0...9) {
        case 0...3 where !numberRanges.isEmpty:
            // A number replaced (ranges refer to the original; clamp to the current bytes).
            let range = numberRanges[random.integer(in: 0...(numberRanges.count - 1))]
            let lower = Swift.min(range.lowerBound, bytes.count), upper = Swift.min(range.upperBound, bytes.count)
            let replacement = Self.hostileNumbers[random.integer(in: 0...(Self.hostileNumbers.count - 1))]
            bytes.replaceSubrange(lower..<upper, with: Array(replacement.utf8))
        case 4:
            bytes[position] ^= UInt8(1 << random.integer(in: 0...7))
        case 5:
            let length = random.integer(in: 1...Swift.min(16, bytes.count - position))
            bytes.removeSubrange(position..<(position + length))
        case 6:
            let length = random.integer(in: 1...Swift.min(64, bytes.count - position))
            let span = Array(bytes[position..<(position + length)])
            bytes.insert(contentsOf: Array(repeating: span, count: random.integer(in: 1...8)).joined(), at: position)
        default:
            let token = Self.tokens[random.integer(in: 0...(Self.tokens.count - 1))]
            bytes.insert(contentsOf: Array(token.utf8), at: position)
        }
    }
}

/// How many mutated inputs a `Fuzz*` suite runs and from which seed: the defaults of the
/// normal test run (thousands, a fixed seed, seconds), or `SCALETILE_FUZZ_CASES` and
/// `SCALETILE_FUZZ_SEED` for long runs (`scripts/fuzz.sh`).
public enum FuzzBudget {
    /// `SCALETILE_FUZZ_CASES`, else `normal`.
    public static func cases(_ normal: Int) -> Int {
        ProcessInfo.processInfo.environment["SCALETILE_FUZZ_CASES"].flatMap { Int($0) }.map { Swift.max(1, $0) } ?? normal
    }

    /// `seed` mixed with `SCALETILE_FUZZ_SEED` when set, so each suite keeps its own stream.
    public static func seed(_ seed: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["SCALETILE_FUZZ_SEED"].flatMap { UInt64($0) }.map { seed &+ $0 &* 0x9E37_79B9 } ?? seed
    }
}
