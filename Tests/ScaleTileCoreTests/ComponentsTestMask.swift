import ScaleTileCore

/// A small mask built in a test: one label per voxel, X fastest, then Y, then Z.
struct TestMask {
    let size: RasterSize
    var labels: [Int]

    init(width: Int, height: Int, depth: Int = 1, fill: Int = 0) {
        size = RasterSize(width: width, height: height, depth: depth)
        labels = [Int](repeating: fill, count: size.pixelCount)
    }

    /// A mask drawn as text: one string per slice, one line per row, `.` for background and a
    /// digit for a label.
    init(slices: [String]) {
        let rows = slices.map { $0.split(separator: "\n").map(Array.init) }
        self.init(width: rows[0][0].count, height: rows[0].count, depth: rows.count)
        for (z, slice) in rows.enumerated() {
            precondition(slice.count == size.height && slice.allSatisfy { $0.count == size.width }, "ragged slice \(z)")
            for (y, row) in slice.enumerated() {
                for (x, character) in row.enumerated() where character != "." {
                    self[x, y, z] = character.wholeNumberValue!
                }
            }
        }
    }

    subscript(x: Int, y: Int, z: Int) -> Int {
        get { labels[(z * size.height + y) * size.width + x] }
        set { labels[(z * size.height + y) * size.width + x] = newValue }
    }

    func samples<Sample: FixedWidthInteger>(as _: Sample.Type) -> [Sample] {
        labels.map { Sample($0) }
    }

    /// The lesions the labeler finds, fed as `Sample` values.
    func lesions<Sample: FixedWidthInteger>(
        _ connectivity: Connectivity = .full, spacing: Spacing = .unit, as sampleType: Sample.Type = Int32.self
    ) -> [Lesion] {
        ComponentLabeler.lesions(in: samples(as: sampleType), size: size, spacing: spacing, connectivity: connectivity)
    }
}

/// Connected components by flood fill over the whole mask, straight from the definitions and
/// sharing nothing with the run-based labeler: a neighbour is one step away along at most 1 (faces),
/// 2 (edges) or 3 (corners) axes and carries the same label; ids follow the raster order of the
/// seeds, which is the order of first voxels.
func referenceLesions(of mask: TestMask, _ connectivity: Connectivity, spacing: Spacing = .unit) -> [Lesion] {
    let maximumAxes: Int
    switch connectivity {
    case .faces: maximumAxes = 1
    case .facesAndEdges: maximumAxes = 2
    case .full: maximumAxes = 3
    }
    var offsets: [(Int, Int, Int)] = []
    for dz in -1 ... 1 {
        for dy in -1 ... 1 {
            for dx in -1 ... 1 {
                let axes = [dx, dy, dz].filter { $0 != 0 }.count
                if axes >= 1 && axes <= maximumAxes { offsets.append((dx, dy, dz)) }
            }
        }
    }
    let (width, height, depth) = (mask.size.width, mask.size.height, mask.size.depth)
    var visited = [Bool](repeating: false, count: mask.labels.count)
    var lesions: [Lesion] = []
    for z in 0 ..< depth {
        for y in 0 ..< height {
            for x in 0 ..< width {
                let label = mask[x, y, z]
                let seed = (z * height + y) * width + x
                guard label != 0, !visited[seed] else { continue }
                visited[seed] = true
                var stack = [(x, y, z)]
                var count = 0, sums = (0, 0, 0)
                var low = (x, y, z), high = (x, y, z)
                while let (vx, vy, vz) = stack.popLast() {
                    count += 1
                    sums = (sums.0 + vx, sums.1 + vy, sums.2 + vz)
                    low = (min(low.0, vx), min(low.1, vy), min(low.2, vz))
                    high = (max(high.0, vx), max(high.1, vy), max(high.2, vz))
                    for (dx, dy, dz) in offsets {
                        let (nx, ny, nz) = (vx + dx, vy + dy, vz + dz)
                        guard (0 ..< width).contains(nx), (0 ..< height).contains(ny), (0 ..< depth).contains(nz) else { continue }
                        let index = (nz * height + ny) * width + nx
                        if !visited[index] && mask[nx, ny, nz] == label {
                            visited[index] = true
                            stack.append((nx, ny, nz))
                        }
                    }
                }
                let n = Double(count)
                lesions.append(Lesion(
                    id: lesions.count + 1, label: label, voxels: count,
                    bbox: Window(x: low.0, y: low.1, z: low.2,
                                 width: high.0 - low.0 + 1, height: high.1 - low.1 + 1, depth: high.2 - low.2 + 1),
                    centroid: SIMD3(Double(sums.0) / n, Double(sums.1) / n, Double(sums.2) / n),
                    spacing: spacing, isPlanar: depth == 1))
            }
        }
    }
    return lesions
}
