import ScaleTileCore

/// An axis-aligned ellipsoid in voxel coordinates: a nodule, a lesion, a nucleus (in a single
/// slice), the body or an organ.
///
/// Voxel (x, y, z) has its centre at (x + 0.5, y + 0.5, z + 0.5). A voxel belongs to the
/// ellipsoid (its label) when its centre is inside; its image shows partial volume, the share
/// of the voxel inside, which is at least one half exactly for the labelled voxels, so masks
/// and images agree voxel for voxel. (Scalar fields rather than SIMD vectors: generic SIMD
/// arithmetic is slow in debug builds, and whole volumes go through these functions.)
struct Ellipsoid {
    /// Centre in voxel coordinates.
    var x: Double, y: Double, z: Double
    /// Semi-axes in voxels.
    var radiusX: Double, radiusY: Double, radiusZ: Double

    init(x: Double, y: Double, z: Double, radiusX: Double, radiusY: Double, radiusZ: Double) {
        self.x = x; self.y = y; self.z = z
        self.radiusX = radiusX; self.radiusY = radiusY; self.radiusZ = radiusZ
    }

    /// An ellipsoid centred at voxel position (x, y, z) with semi-axes given in the spacing's
    /// unit (mm, µm), on a grid of that spacing.
    init(x: Double, y: Double, z: Double, radiiInUnits rx: Double, _ ry: Double, _ rz: Double, spacing: Spacing) {
        self.init(x: x, y: y, z: z, radiusX: rx / spacing.x, radiusY: ry / spacing.y, radiusZ: rz / spacing.z)
    }

    /// The voxels that can touch the ellipsoid, plus `margin`, clipped to a `size` grid.
    func bounds(in size: RasterSize, margin: Double = 1) -> (x: Range<Int>, y: Range<Int>, z: Range<Int>) {
        func axis(_ c: Double, _ r: Double, _ n: Int) -> Range<Int> {
            let lo = max(0, Int((c - r - margin).rounded(.down))), hi = min(n, Int((c + r + margin).rounded(.up)))
            return lo < hi ? lo ..< hi : 0 ..< 0
        }
        return (axis(x, radiusX, size.width), axis(y, radiusY, size.height), axis(z, radiusZ, size.depth))
    }

    /// (distance from the centre / radius in that direction)² at voxel (i, j, k)'s centre: ≤ 1 inside.
    func normalisedSquaredRadius(_ i: Int, _ j: Int, _ k: Int) -> Double {
        let u = (Double(i) + 0.5 - x) / radiusX, v = (Double(j) + 0.5 - y) / radiusY, w = (Double(k) + 0.5 - z) / radiusZ
        return u * u + v * v + w * w
    }

    /// Whether voxel (i, j, k)'s centre lies inside: the voxel is labelled.
    func contains(_ i: Int, _ j: Int, _ k: Int) -> Bool { normalisedSquaredRadius(i, j, k) <= 1 }

    /// The share of voxel (i, j, k) inside, approximated from the signed distance of its centre
    /// to the surface over a ramp one voxel wide: 0.5 exactly on the surface, so the voxels
    /// with a share of at least 0.5 are exactly the labelled ones.
    func partialVolume(_ i: Int, _ j: Int, _ k: Int) -> Double {
        let dx = Double(i) + 0.5 - x, dy = Double(j) + 0.5 - y, dz = Double(k) + 0.5 - z
        let u = dx / radiusX, v = dy / radiusY, w = dz / radiusZ
        let rho = (u * u + v * v + w * w).squareRoot()
        guard rho > 0 else { return 1 }
        // Along the ray from the centre the surface lies at (dx, dy, dz) / rho, so the centre
        // is |(dx, dy, dz)| (1 - 1 / rho) voxels outside it (negative: inside).
        let signedDistance = (dx * dx + dy * dy + dz * dz).squareRoot() * (1 - 1 / rho)
        return min(1, max(0, 0.5 - signedDistance))
    }
}
