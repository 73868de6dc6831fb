/// The target size range `--object-size MIN:MAX`: the size s·2^-ℓ, in pixels of level ℓ, an
/// object should have in some tile (DESIGN.md §4, "in-band").
public struct ObjectSizeBand: Hashable, Sendable, Codable, CustomStringConvertible {
    /// MIN, inclusive.
    public var min: Double
    /// MAX, inclusive.
    public var max: Double

    /// The band [min, max].
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` unless 0 < min ≤ max, both finite.
    public init(min: Double, max: Double) throws {
        guard min.isFinite, max.isFinite, min > 0, min <= max else {
            throw ScaleTileError.argument("--object-size", "\(min):\(max) is not a size band: use MIN:MAX with 0 < MIN ≤ MAX")
        }
        self.min = min
        self.max = max
    }

    /// Parses `MIN:MAX` (`8:64`, `12.5:100`).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]) else {
            throw ScaleTileError.argument("--object-size", "'\(text)' is not MIN:MAX")
        }
        try self.init(min: low, max: high)
    }

    /// Whether a target of level-0 size `size` has a size within the band at `level`.
    public func contains(size: Double, atLevel level: Int) -> Bool {
        // Scaling by a power of two is exact, so band edges compare without rounding error.
        let scaled = size * Level(level).scale
        return scaled >= min && scaled <= max
    }

    /// The finest of `levels` (any order) at which `size` is in the band, or nil.
    public func finestLevel(forSize size: Double, among levels: [Int]) -> Int? {
        levels.sorted().first { contains(size: size, atLevel: $0) }
    }

    public var description: String { "\(min.formatted):\(max.formatted)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(min: container.decode(Double.self, forKey: .min), max: container.decode(Double.self, forKey: .max))
    }

    private enum CodingKeys: String, CodingKey { case min, max }
}

extension Double {
    /// Whole numbers without ".0", as people write sizes on the command line.
    fileprivate var formatted: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
