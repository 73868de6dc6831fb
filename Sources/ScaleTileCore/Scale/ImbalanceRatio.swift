/// The ratio of the largest count to the smallest, the shape of both the lesion sampling bias R
/// and the bucket balance (DESIGN.md §4).
///
/// - Returns: max/min; `.infinity` when the smallest count is 0 and the largest is not (something
///   was never sampled); nil when there are no counts or all are 0, because "nothing was
///   sampled" is not a bias but a missing plan, and reporting 1 or ∞ for it would mislead.
func imbalanceRatio(of counts: some Sequence<Int>) -> Double? {
    var least = Int.max, most = Int.min
    for count in counts {
        least = min(least, count)
        most = max(most, count)
    }
    guard most > 0 else { return nil }
    return least == 0 ? .infinity : Double(most) / Double(least)
}
