/// Object or lesion sizes s = √n counted in power-of-two bins: bin e holds 2^e ≤ s < 2^(e+1).
///
/// Bin 0 also takes sizes below 1 (sub-pixel boxes), so it spans [0, 2). Bins run without gaps
/// from the smallest occupied one to the largest, so charts and before/after comparisons line
/// up; a level step halves s, so one bin is exactly one pyramid level.
public struct SizeHistogram: Hashable, Sendable, Codable {
    /// One power-of-two bin.
    public struct Bin: Hashable, Sendable, Codable {
        /// e: the bin holds sizes in [2^e, 2^(e+1)).
        public var exponent: Int
        /// Smallest size in the bin: 2^e, or 0 for bin 0.
        public var minSize: Double
        /// One past the largest size in the bin: 2^(e+1).
        public var maxSize: Double
        /// How many sizes (or occurrences, for a weighted histogram) fall in the bin.
        public var count: Int

        /// A bin with its count.
        public init(exponent: Int, count: Int) {
            self.exponent = exponent
            minSize = exponent == 0 ? 0 : Double(sign: .plus, exponent: exponent, significand: 1)
            maxSize = Double(sign: .plus, exponent: exponent + 1, significand: 1)
            self.count = count
        }
    }

    /// The bins, smallest sizes first; empty when there were no sizes.
    public var bins: [Bin]

    /// The bin exponent of a size: ⌊log2 s⌋, and 0 for s < 2.
    public static func exponent(ofSize size: Double) -> Int {
        precondition(size.isFinite && size >= 0, "a size must be finite and non-negative, got \(size)")
        // `Double.exponent` is ⌊log2 s⌋ exactly, where `log2` could round 2^k − ε up to k.
        return size < 2 ? 0 : Int(size.exponent)
    }

    /// Counts `sizes`, each `weights[i]` times (once each when `weights` is nil).
    ///
    /// The bin range comes from all sizes, weighted zero or not, so a histogram of sampled
    /// occurrences lines up bin for bin with the histogram of the targets themselves.
    ///
    /// - Complexity: O(sizes + bins).
    public init(sizes: [Double], weights: [Int]? = nil) {
        precondition(weights == nil || weights!.count == sizes.count, "one weight per size")
        let exponents = sizes.map(Self.exponent(ofSize:))
        guard let lowest = exponents.min(), let highest = exponents.max() else {
            bins = []
            return
        }
        var counts = Array(repeating: 0, count: highest - lowest + 1)
        for (i, e) in exponents.enumerated() {
            counts[e - lowest] += weights?[i] ?? 1
        }
        bins = counts.enumerated().map { Bin(exponent: lowest + $0.offset, count: $0.element) }
    }

    /// The sizes s = √n of `targets`, counted.
    public init(targets: [SamplingTarget]) {
        self.init(sizes: targets.map(\.size))
    }

    /// The sum of the bin counts.
    public var total: Int { bins.reduce(0) { $0 + $1.count } }
}
