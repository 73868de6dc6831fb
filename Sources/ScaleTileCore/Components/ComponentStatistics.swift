/// What is known of a component so far: sums and bounds that merge in O(1) when two parts of one
/// component are found to touch, so no voxel list is ever kept.
struct ComponentStatistics: Sendable {
    /// The label value of every voxel.
    let label: Int
    /// Raster index ((z · height + y) · width + x) of the first voxel in slice, row, column order:
    /// what lesion ids are ordered by.
    private(set) var firstVoxel: Int
    private(set) var voxelCount: Int
    /// Sums of the voxels' X, Y and Z indices, exact, for the centroid.
    private var sumX: Int
    private var sumY: Int
    private var sumZ: Int
    /// Inclusive bounds.
    private var minX: Int, maxX: Int
    private var minY: Int, maxY: Int
    private var minZ: Int
    /// The last slice the component has voxels in: the component is still open while this is the
    /// slice being labelled.
    private(set) var maxZ: Int

    /// A component whose first run (in raster order) is `run`, in row `y` of slice `z`.
    init(run: Run, y: Int, z: Int, firstVoxel: Int) {
        label = run.label
        self.firstVoxel = firstVoxel
        voxelCount = 0
        sumX = 0; sumY = 0; sumZ = 0
        minX = run.start; maxX = run.end - 1
        minY = y; maxY = y
        minZ = z; maxZ = z
        add(run, y: y, z: z)
    }

    /// Adds the voxels of `run`, in row `y` of slice `z`.
    mutating func add(_ run: Run, y: Int, z: Int) {
        let length = run.end - run.start
        voxelCount += length
        // start + (start + 1) + … + (end - 1); one of the two factors is even.
        sumX += (run.start + run.end - 1) * length / 2
        sumY += y * length
        sumZ += z * length
        minX = min(minX, run.start); maxX = max(maxX, run.end - 1)
        minY = min(minY, y); maxY = max(maxY, y)
        minZ = min(minZ, z); maxZ = max(maxZ, z)
    }

    /// Adds the voxels of another part of the same component.
    mutating func merge(_ other: ComponentStatistics) {
        firstVoxel = min(firstVoxel, other.firstVoxel)
        voxelCount += other.voxelCount
        sumX += other.sumX; sumY += other.sumY; sumZ += other.sumZ
        minX = min(minX, other.minX); maxX = max(maxX, other.maxX)
        minY = min(minY, other.minY); maxY = max(maxY, other.maxY)
        minZ = min(minZ, other.minZ); maxZ = max(maxZ, other.maxZ)
    }

    /// The finished component as lesion `id` of a mask with the given spacing.
    func lesion(id: Int, spacing: Spacing, isPlanar: Bool) -> Lesion {
        let count = Double(voxelCount)
        return Lesion(
            id: id, label: label, voxels: voxelCount,
            bbox: Window(x: minX, y: minY, z: minZ,
                         width: maxX - minX + 1, height: maxY - minY + 1, depth: maxZ - minZ + 1),
            centroid: SIMD3(Double(sumX) / count, Double(sumY) / count, Double(sumZ) / count),
            spacing: spacing, isPlanar: isPlanar)
    }
}
