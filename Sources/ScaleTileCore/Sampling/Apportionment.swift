/// Splitting a whole number of patches among targets or groups in proportion to weights.
public enum Apportionment {
    /// Exact shares closer than this to each other count as tied: shares computed along
    /// different floating-point paths can differ in the last bits where real arithmetic ties.
    static let tieTolerance = 1e-9

    /// Integer quotas proportional to `weights` by the largest-remainder (Hamilton) method.
    ///
    /// Each exact share e_i = total · w_i / Σw is rounded down; the seats left over go one each
    /// to the largest remainders e_i − ⌊e_i⌋. Remainders tied at the cut are ordered by a
    /// shuffle drawn from `random`, so no target is favoured by its position in the input.
    /// For example 10 patches over weights 1, 1, 1 give 3, 3, 3 plus one extra patch to a
    /// target the seed chooses.
    ///
    /// - Returns: quotas with Σ = `total`, each ⌊e_i⌋ or ⌊e_i⌋ + 1; empty for empty `weights`.
    /// - Precondition: `total` ≥ 0; weights finite and non-negative, with a positive sum unless
    ///   `weights` is empty.
    /// - Complexity: O(n log n) for n weights.
    public static func largestRemainder(total: Int, weights: [Double],
                                        tieBreaking random: inout SeededRandom) -> [Int] {
        precondition(total >= 0, "a total to apportion must not be negative")
        guard !weights.isEmpty else { return [] }
        precondition(weights.allSatisfy { $0.isFinite && $0 >= 0 }, "weights must be finite and non-negative")
        let sum = weights.reduce(0, +)
        precondition(sum > 0, "at least one weight must be positive")

        var quotas = [Int](), remainders = [Double]()
        quotas.reserveCapacity(weights.count)
        remainders.reserveCapacity(weights.count)
        for weight in weights {
            var share = Double(total) * (weight / sum)
            // A share a hair below a whole number is that number, not a remainder of ~1.
            if abs(share - share.rounded()) < tieTolerance { share = share.rounded() }
            let whole = share.rounded(.down)
            quotas.append(Int(whole))
            remainders.append(share - whole)
        }
        let leftOver = total - quotas.reduce(0, +)
        guard leftOver > 0 else { return quotas }

        let byRemainder = remainders.indices.sorted { remainders[$0] > remainders[$1] }
        let cut = remainders[byRemainder[leftOver - 1]]
        let above = byRemainder.filter { remainders[$0] > cut + tieTolerance }
        let tied = remainders.indices.filter { abs(remainders[$0] - cut) <= tieTolerance }
        for index in above { quotas[index] += 1 }
        for index in tied.shuffled(using: &random).prefix(leftOver - above.count) { quotas[index] += 1 }
        return quotas
    }
}
