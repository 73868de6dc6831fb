import Foundation

/// The name of a split: `train` (required), `val`, `test`.
public enum SplitName: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case train
    case val
    case test

    public static func < (a: SplitName, b: SplitName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How a run's windows are shared among splits: `--split train=0.8,val=0.1,test=0.1`.
///
/// `train` is required; shares are positive and sum to 1 within 1e-6.
public struct SplitShares: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The share of each split given.
    public let shares: [SplitName: Double]

    /// The splits given, in `train`, `val`, `test` order.
    public var names: [SplitName] { SplitName.allCases.filter { shares[$0] != nil } }

    /// Checks and keeps `shares`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` about `--split` when `train` is
    ///   missing, a share is not in (0, 1], or the shares do not sum to 1.
    public init(_ shares: [SplitName: Double]) throws {
        guard shares[.train] != nil else {
            throw ScaleTileError.argument("--split", "needs a train share, such as train=0.8,val=0.2")
        }
        for (name, share) in shares where !(share > 0 && share <= 1) {
            throw ScaleTileError.argument("--split", "the share of \(name.rawValue) must be above 0 and at most 1, got \(share)")
        }
        let sum = shares.values.reduce(0, +)
        guard abs(sum - 1) <= 1e-6 else {
            throw ScaleTileError.argument("--split", "shares must sum to 1, these sum to \(sum)")
        }
        self.shares = shares
    }

    /// Parses `train=0.8,val=0.1,test=0.1`.
    public init(parsing text: String) throws {
        var shares: [SplitName: Double] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let share = Double(pair[1]) else {
                throw ScaleTileError.argument("--split", "'\(part)' is not NAME=SHARE, such as train=0.8")
            }
            guard let name = SplitName(rawValue: pair[0]) else {
                throw ScaleTileError.argument("--split", "'\(pair[0])' is not a split: use train, val and test")
            }
            guard shares[name] == nil else { throw ScaleTileError.argument("--split", "\(name.rawValue) is given twice") }
            shares[name] = share
        }
        try self.init(shares)
    }

    /// The share of `name` (0 when not given).
    public subscript(name: SplitName) -> Double { shares[name] ?? 0 }

    /// `train=0.8,val=0.2`.
    public var description: String {
        names.map { "\($0.rawValue)=\(Self.text(shares[$0]!))" }.joined(separator: ",")
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    public init(from decoder: any Decoder) throws {
        let raw = try [String: Double](from: decoder)
        var shares: [SplitName: Double] = [:]
        for (key, value) in raw {
            guard let name = SplitName(rawValue: key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(key)' is not a split"))
            }
            shares[name] = value
        }
        try self.init(shares)
    }

    public func encode(to encoder: any Encoder) throws {
        try Dictionary(uniqueKeysWithValues: shares.map { ($0.rawValue, $1) }).encode(to: encoder)
    }
}

/// What a split assigns: spatial blocks of each source, or whole sources.
public enum SplitUnit: String, Hashable, Sendable, Codable, CaseIterable {
    /// Square blocks of `--split-block` level-0 pixels.
    case blocks
    /// Whole inputs (scenes, stacks).
    case source
}
