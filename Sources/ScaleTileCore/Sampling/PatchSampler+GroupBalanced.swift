extension PatchSampler {
    /// Quotas balanced over groups of targets (size buckets, classes): `count` is split among
    /// the groups present in proportion to `groupWeight` by largest remainders, then each
    /// group's quota equally among its targets by largest remainders.
    ///
    /// The equal split within a group is a seeded round-robin: every target gets ⌊q/m⌋ and a
    /// seed-chosen q mod m of them one more. Group quotas differ by at most one when the
    /// weights are equal, so with at least two patches per group the largest is at most 1.5×
    /// the smallest.
    ///
    /// - Returns: one quota per target, in input order.
    /// - Complexity: O(targets · log targets).
    func groupBalancedQuotas<Group: Hashable & Comparable>(
        _ targets: [SamplingTarget], count: Int, purpose: String,
        groupOf: (SamplingTarget) -> Group, groupName: (Group) -> String, groupWeight: (Group) -> Double
    ) -> [Int] {
        var members: [Group: [Int]] = [:]
        for (index, target) in targets.enumerated() { members[groupOf(target), default: []].append(index) }
        let groups = members.keys.sorted()
        guard !groups.isEmpty else { return [] }

        var ties = randomStream("quota/\(purpose)")
        let groupQuotas = Apportionment.largestRemainder(total: count, weights: groups.map(groupWeight), tieBreaking: &ties)
        var quotas = Array(repeating: 0, count: targets.count)
        for (group, groupQuota) in zip(groups, groupQuotas) {
            let indices = members[group]!
            var memberTies = randomStream("quota/\(purpose)/\(groupName(group))")
            let split = Apportionment.largestRemainder(total: groupQuota, weights: Array(repeating: 1, count: indices.count),
                                                       tieBreaking: &memberTies)
            for (index, quota) in zip(indices, split) { quotas[index] = quota }
        }
        return quotas
    }
}
