import Foundation  // cbrt

/// One connected component of a mask: a lesion (or a nucleus, an organ part...) and its measures.
///
/// These are the objects of `analyze --json`'s `lesions` list (DESIGN.md §2). Encoded with
/// ``StableJSON``, a 19-voxel sphere of radius 1.5 at 0.7 × 0.7 × 1.5 mm reads (numbers rounded)
/// `{"bbox":{"depth":3,"height":3,"width":3,"x":4,"y":5,"z":6},"centroid":[5,6,7],
/// "equivalentDiameter":2.988,"id":3,"label":1,"volume":13.965,"voxels":19}`:
/// `bbox` is a ``Window`` (the same keys as a manifest's `window`) and `centroid` is `[x, y, z]`.
public struct Lesion: Hashable, Sendable, Codable {
    /// 1-based position of the lesion when all lesions of the mask are ordered by their first voxel
    /// in raster order (slice, then row, then column), so ids do not depend on how the mask was fed.
    public var id: Int
    /// The mask value shared by every voxel of the lesion (never 0, the background).
    public var label: Int
    /// Number of voxels.
    public var voxels: Int
    /// The smallest window holding every voxel, in voxel coordinates.
    public var bbox: Window
    /// Mean of the voxel indices along X, Y and Z (the centre of voxel (i, j, k) is (i, j, k)).
    public var centroid: SIMD3<Double>
    /// Physical volume, voxels × ``Spacing/voxelVolume``, in the spacing's unit cubed.
    public var volume: Double
    /// Diameter of the sphere with the lesion's volume, (6V/π)^(1/3); in a mask one slice deep,
    /// of the circle with the lesion's area A = voxels × spacing.x × spacing.y, √(4A/π).
    /// In the spacing's unit.
    public var equivalentDiameter: Double

    /// A lesion with every measure given.
    public init(id: Int, label: Int, voxels: Int, bbox: Window, centroid: SIMD3<Double>,
                volume: Double, equivalentDiameter: Double) {
        self.id = id
        self.label = label
        self.voxels = voxels
        self.bbox = bbox
        self.centroid = centroid
        self.volume = volume
        self.equivalentDiameter = equivalentDiameter
    }

    /// A lesion whose volume and equivalent diameter are measured from its voxel count and the
    /// mask's spacing; `isPlanar` says the mask is one slice deep (the diameter is then a circle's).
    public init(id: Int, label: Int, voxels: Int, bbox: Window, centroid: SIMD3<Double>,
                spacing: Spacing, isPlanar: Bool) {
        let volume = Double(voxels) * spacing.voxelVolume
        let diameter: Double
        if isPlanar {
            let area = Double(voxels) * spacing.x * spacing.y
            diameter = (4 * area / Double.pi).squareRoot()
        } else {
            diameter = cbrt(6 * volume / Double.pi)
        }
        self.init(id: id, label: label, voxels: voxels, bbox: bbox, centroid: centroid,
                  volume: volume, equivalentDiameter: diameter)
    }

    /// The lesion as samplers and the scale audit see it: id and label value as text, its
    /// bounding box, and its voxel count as n (DESIGN.md §4).
    public var samplingTarget: SamplingTarget {
        SamplingTarget(id: String(id), className: String(label), bbox: bbox, pixelCount: Double(voxels))
    }
}
