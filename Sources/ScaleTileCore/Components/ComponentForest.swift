/// Union–find over the records of the components that are still open.
///
/// Each record holds a parent link and, at a root, the statistics of the whole component; a union
/// merges the absorbed root's statistics into the surviving root. Records are recycled: once a
/// slice is labelled and its runs point at roots only, records merged away during the slice are
/// referenced by nothing, and roots the slice did not reach are finished components.
struct ComponentForest: Sendable {
    /// `parent[r] == r` for a root.
    private var parent: [Int] = []
    /// Valid at roots.
    private var statistics: [ComponentStatistics] = []
    /// Records available for reuse.
    private var freeRecords: [Int] = []
    /// Records in use: the open components' roots, plus records created or merged away during the
    /// slice being labelled.
    private var recordsInUse: [Int] = []

    /// Open components: after ``closeComponents(notReaching:into:)``, every record in use is one.
    var openCount: Int { recordsInUse.count }

    /// The most records ever in use at once; the arrays never grow past it.
    var peakRecordCount: Int { parent.count }

    /// Starts a component.
    mutating func makeComponent(_ component: ComponentStatistics) -> Int {
        let record: Int
        if let reused = freeRecords.popLast() {
            record = reused
            parent[record] = record
            statistics[record] = component
        } else {
            record = parent.count
            parent.append(record)
            statistics.append(component)
        }
        recordsInUse.append(record)
        return record
    }

    /// The root record of the component holding `record`.
    ///
    /// - Complexity: amortised O(log n) over n records, by path halving; the trees are flattened
    ///   at every slice's end, so they stay shallow in practice.
    mutating func root(of record: Int) -> Int {
        var record = record
        while parent[record] != record {
            let grandparent = parent[parent[record]]
            parent[record] = grandparent
            record = grandparent
        }
        return record
    }

    /// Joins the components holding `a` and `b`; returns the root of the joined component.
    mutating func union(_ a: Int, _ b: Int) -> Int {
        let rootA = root(of: a), rootB = root(of: b)
        guard rootA != rootB else { return rootA }
        // The part with more voxels survives, as in union by size, which keeps the trees shallow.
        let (survivor, absorbed) = statistics[rootA].voxelCount >= statistics[rootB].voxelCount
            ? (rootA, rootB) : (rootB, rootA)
        parent[absorbed] = survivor
        statistics[survivor].merge(statistics[absorbed])
        return survivor
    }

    /// Adds the voxels of `run` (row `y`, slice `z`) to the component holding `record`.
    mutating func add(_ run: Run, y: Int, z: Int, to record: Int) {
        statistics[root(of: record)].add(run, y: y, z: z)
    }

    /// Ends slice `z`: frees the records merged away during it, and moves the components without
    /// a voxel in it to `finished`, since no later slice can reach them.
    ///
    /// The caller must first point every run of slice `z` at its root: afterwards no run holds a
    /// non-root record, and the records left in use are exactly the open components.
    ///
    /// - Complexity: O(records in use).
    mutating func closeComponents(notReaching z: Int, into finished: inout [ComponentStatistics]) {
        var kept = 0
        for record in recordsInUse {
            if parent[record] != record {
                freeRecords.append(record)
            } else if statistics[record].maxZ < z {
                finished.append(statistics[record])
                freeRecords.append(record)
            } else {
                recordsInUse[kept] = record
                kept += 1
            }
        }
        recordsInUse.removeLast(recordsInUse.count - kept)
    }

    /// Moves every open component to `finished`: the mask has no more slices.
    mutating func closeAll(into finished: inout [ComponentStatistics]) {
        closeComponents(notReaching: Int.max, into: &finished)
    }
}
