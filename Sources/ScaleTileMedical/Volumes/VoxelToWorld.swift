import Foundation

/// The world convention an affine's world coordinates are in: which way X, Y and Z grow.
public enum WorldSpace: String, Hashable, Sendable, Codable {
    /// x grows to the Right, y Anterior, z Superior
    /// (NIfTI's scanner and template spaces; nibabel's affines).
    case ras = "RAS"
    /// x grows to the Left, y Posterior, z Superior (DICOM's patient space; 3D Slicer's and
    /// most NRRD files').
    case lps = "LPS"
}

/// A volume's voxel-to-world mapping: a 4×4 affine taking voxel indices (i, j, k, 1), voxel
/// centres at whole indices, to world coordinates in ``space``, in the spacing's unit (mm).
///
/// The vocabulary of ITK images: the upper 3×3 block is direction × spacing, the last column
/// the origin (the world position of voxel (0, 0, 0)'s centre).
public struct VoxelToWorld: Hashable, Sendable, Codable {
    /// The 4×4 matrix, row-major; the last row is (0, 0, 0, 1).
    public var matrix: [[Double]]
    /// The world convention of the coordinates.
    public var space: WorldSpace

    public init(matrix: [[Double]], space: WorldSpace) {
        precondition(matrix.count == 4 && matrix.allSatisfy { $0.count == 4 }, "an affine is 4x4")
        self.matrix = matrix
        self.space = space
    }

    /// A mapping from voxel axes `columns` (each the world step of one voxel along i, j, k) and
    /// `origin` (the world position of voxel (0, 0, 0)).
    public init(columns: [[Double]], origin: [Double], space: WorldSpace) {
        var m = [[Double]](repeating: [0, 0, 0, 0], count: 4)
        for row in 0..<3 {
            for column in 0..<3 { m[row][column] = columns[column][row] }
            m[row][3] = origin[row]
        }
        m[3] = [0, 0, 0, 1]
        self.init(matrix: m, space: space)
    }

    /// The same mapping with world coordinates in `target`: RAS and LPS differ by the sign of
    /// world X and Y.
    public func converted(to target: WorldSpace) -> VoxelToWorld {
        guard target != space else { return self }
        var m = matrix
        for row in 0..<2 { m[row] = m[row].map { $0 == 0 ? 0 : -$0 } }  // no -0 in JSON
        return VoxelToWorld(matrix: m, space: target)
    }

    /// Whether every entry is a finite number.
    public var isFinite: Bool { matrix.allSatisfy { $0.allSatisfy(\.isFinite) } }

    /// The world step of one voxel along axis `axis` (0 = i, 1 = j, 2 = k).
    public func column(_ axis: Int) -> [Double] { (0..<3).map { matrix[$0][axis] } }

    /// The world position of voxel (0, 0, 0)'s centre.
    public var origin: [Double] { (0..<3).map { matrix[$0][3] } }

    /// The affine of a window cut at a coarser level: level voxel (i, j, k) is the mean of the
    /// `factors`-block of source voxels starting at `windowOrigin` + factors · (i, j, k), whose
    /// centre lies (f − 1)/2 past its first voxel. So the new affine is
    /// A · [diag(f) | windowOrigin + (f − 1)/2] (DESIGN.md §7).
    public func window(origin windowOrigin: [Int], factors: [Int]) -> VoxelToWorld {
        var columns: [[Double]] = []
        var shift = [Double](repeating: 0, count: 3)
        for axis in 0..<3 {
            let f = Double(factors[axis])
            columns.append(column(axis).map { $0 * f })
            shift[axis] = Double(windowOrigin[axis]) + (f - 1) / 2
        }
        let origin = (0..<3).map { row in matrix[row][3] + (0..<3).reduce(0) { $0 + matrix[row][$1] * shift[$1] } }
        return VoxelToWorld(columns: columns, origin: origin, space: space)
    }

    /// The anatomical direction each voxel axis grows toward, as nibabel's `aff2axcodes` names it
    /// (`RAS`, `LPS`, `LAS`, …): per axis, the world axis its column leans on most, with the
    /// letter for that axis's positive or negative end in RAS terms — independent of ``space``.
    public var orientation: String {
        let ras = converted(to: .ras)
        var used = Set<Int>()
        var letters = ""
        // Axes with the strongest lean are placed first, so two axes never share a world axis.
        let order = (0..<3).sorted { a, b in
            ras.column(a).map(abs).max()! > ras.column(b).map(abs).max()!
        }
        var codes = [Character](repeating: "?", count: 3)
        for axis in order {
            let c = ras.column(axis)
            guard let world = (0..<3).filter({ !used.contains($0) }).max(by: { abs(c[$0]) < abs(c[$1]) }), c[world] != 0 else { continue }
            used.insert(world)
            let positive: [Character] = ["R", "A", "S"], negative: [Character] = ["L", "P", "I"]
            codes[axis] = c[world] > 0 ? positive[world] : negative[world]
        }
        letters = String(codes)
        return letters
    }

    /// Largest difference between corresponding entries, after converting `other` to this
    /// mapping's space.
    public func maximumDifference(from other: VoxelToWorld) -> Double {
        let o = other.converted(to: space)
        var largest = 0.0
        for r in 0..<4 { for c in 0..<4 { largest = Swift.max(largest, abs(matrix[r][c] - o.matrix[r][c])) } }
        return largest
    }

    /// `[[a, b, c, d], …]` with six significant digits, for messages.
    public var text: String {
        "[" + matrix.map { "[" + $0.map { String(format: "%.6g", $0) }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
}
