import Foundation

/// Loss weights per class from class frequencies: inverse frequency and effective number of
/// samples (Cui et al. 2019, "Class-Balanced Loss Based on Effective Number of Samples").
///
/// Frequencies count targets (objects or lesions), not pixels. Both weightings are normalised to
/// a mean of 1 over the classes present, so they can multiply a loss without changing its scale.
public struct ClassWeights: Hashable, Sendable, Codable {
    /// The weights of one class.
    public struct Entry: Hashable, Sendable, Codable {
        /// The class name (or label value).
        public var className: String
        /// n_c: how many targets the class has.
        public var count: Int
        /// w_c ∝ 1 / n_c, normalised to mean 1.
        public var inverseFrequency: Double
        /// w_c ∝ (1 − β) / (1 − β^n_c), the inverse of the effective number of samples,
        /// normalised to mean 1.
        public var effectiveNumber: Double
    }

    /// The default β: Cui et al. found 0.999 a good value on long-tailed detection sets.
    public static let defaultBeta = 0.999

    /// Checks a β given as `option`: the effective number needs β in [0, 1).
    public static func check(beta: Double, option: String) throws {
        guard beta >= 0, beta < 1 else { throw ScaleTileError.argument(option, "must be in [0, 1), got \(beta)") }
    }

    /// β of the effective number, in [0, 1): 0 gives equal weights, values near 1 approach
    /// inverse frequency.
    public var beta: Double
    /// One entry per class present, sorted by class name.
    public var classes: [Entry]

    /// The weights for classes with the given target counts; classes counted 0 are left out.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` when β is outside [0, 1) or a count
    ///   is negative.
    public init(counts: [String: Int], beta: Double = ClassWeights.defaultBeta) throws {
        try Self.check(beta: beta, option: "class weight beta")
        if let (name, count) = counts.first(where: { $0.value < 0 }) {
            throw ScaleTileError.argument("class weight counts", "class '\(name)' has a negative count \(count)")
        }
        let present = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let inverse = present.map { 1 / Double($0.value) }
        // 1 − β^n = −expm1(n · ln β), exact for β near 1 where 1 − pow(β, n) loses digits.
        // The common factor (1 − β) cancels in the normalisation; β = 0 gives ln β = −∞ and
        // weight 1 for every class, the limit the formula has there.
        let logBeta = Foundation.log(beta)
        let effective = present.map { 1 / -Foundation.expm1(Double($0.value) * logBeta) }
        let inverseMean = inverse.reduce(0, +) / Double(max(1, inverse.count))
        let effectiveMean = effective.reduce(0, +) / Double(max(1, effective.count))
        self.beta = beta
        classes = present.indices.map { i in
            Entry(className: present[i].key, count: present[i].value,
                  inverseFrequency: inverse[i] / inverseMean,
                  effectiveNumber: effective[i] / effectiveMean)
        }
    }

    /// The weights for the classes of `targets`.
    ///
    /// - Complexity: O(targets + classes · log classes).
    public init(targets: [SamplingTarget], beta: Double = ClassWeights.defaultBeta) throws {
        try self.init(counts: targets.reduce(into: [:]) { $0[$1.className, default: 0] += 1 }, beta: beta)
    }

    /// The entry of a class, or nil when the class has no target.
    public subscript(className: String) -> Entry? {
        classes.first { $0.className == className }
    }
}
