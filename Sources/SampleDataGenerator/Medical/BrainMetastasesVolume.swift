import Foundation
import ScaleTileCore
import ScaleTileMedical

/// `brain_mets_t1c.nii.gz` and `brain_mets_mask.nii.gz`: a contrast-enhanced T1 brain MRI
/// volume (Int16 NIfTI-1, 128 × 128 × 80 voxels at 1.5 mm isotropic, RAS, the world origin at
/// the volume's centre) with ten metastases from 2 to 40 voxels across (3 to 60 mm), the range
/// a metastasis-detection dataset holds, in a binary mask (UInt8 NIfTI-1, 1 = metastasis).
///
/// Metastases enhance: the small ones are solid bright spheres, the larger ones (10 voxels
/// and up) bright rims around a dark necrotic core, all labelled whole. They sit at fixed places
/// far enough apart that a patch placed around one rarely holds another whole — the setting in
/// which object-balanced sampling can give every lesion the same count. White matter is darker
/// than grey matter and CSF darkest, as on T1; noise and a smooth bias field come from the seed.
enum BrainMetastasesVolume {
    static let width = 128, height = 128, depth = 80
    static let spacing = Spacing(x: 1.5, y: 1.5, z: 1.5, unit: "mm")

    /// Voxel-to-world, RAS: 1.5 mm steps, voxel (63.5, 63.5, 39.5) at the world origin.
    static let affine = VoxelToWorld(columns: [[1.5, 0, 0], [0, 1.5, 0], [0, 0, 1.5]],
                                     origin: [-95.25, -95.25, -59.25], space: .ras)

    /// (centre in voxels, diameter in voxels), largest first.
    static let metastases: [(x: Double, y: Double, z: Double, diameter: Double)] = [
        (30, 30, 40, 40), (98, 32, 40, 28), (30, 98, 40, 20), (98, 98, 20, 14), (64, 64, 14, 10),
        (98, 98, 62, 7), (64, 64, 66, 5), (64, 112, 66, 4), (112, 76, 70, 3), (64, 14, 74, 2),
    ]

    /// T1 signal after contrast (arbitrary units).
    enum Signal {
        static let csf = 200.0, greyMatter = 620.0, whiteMatter = 780.0
        static let enhancement = 1350.0, necrosis = 320.0
    }

    static func make(seed: UInt64) -> SyntheticStack {
        let brain = Ellipsoid(x: 63.5, y: 63.5, z: 39.5, radiusX: 63, radiusY: 63, radiusZ: 40)
        let ventricles = Ellipsoid(x: 63.5, y: 66, z: 44, radiusX: 6, radiusY: 18, radiusZ: 10)
        let folds = ValueNoise(seed: seed, key: "mets/folds", width: width, height: height, depth: depth,
                               cellSize: 9, octaves: 2, zCellSize: 9)
        let bias = ValueNoise(seed: seed, key: "mets/bias", width: width, height: height, depth: depth,
                              cellSize: 100, octaves: 1, zCellSize: 60)
        var volume = Volume(width: width, height: height, depth: depth)
        for z in 0 ..< depth {
            for y in 0 ..< height {
                for x in 0 ..< width {
                    let rho = brain.normalisedSquaredRadius(x, y, z).squareRoot()
                    guard rho < 1 else { continue }
                    // Cortex (grey) outside, white matter inside, the boundary folded a few voxels.
                    let boundary = 0.78 + 0.06 * folds.value(x: Double(x), y: Double(y), z: Double(z))
                    var value = rho > boundary ? Signal.greyMatter : Signal.whiteMatter
                    if rho > 0.97 { value = Signal.csf }
                    let share = ventricles.partialVolume(x, y, z)
                    if share > 0 { value += (Signal.csf - value) * share }
                    volume[x, y, z] = value
                }
            }
        }

        var mask = Volume(width: width, height: height, depth: depth)
        for m in metastases {
            let r = m.diameter / 2
            let lesion = Ellipsoid(x: m.x, y: m.y, z: m.z, radiusX: r, radiusY: r, radiusZ: r)
            let core = Ellipsoid(x: m.x, y: m.y, z: m.z, radiusX: r * 0.6, radiusY: r * 0.6, radiusZ: r * 0.6)
            let b = lesion.bounds(in: volume.size)
            for z in b.z {
                for y in b.y {
                    for x in b.x {
                        let share = lesion.partialVolume(x, y, z)
                        if share > 0 { volume[x, y, z] += (Signal.enhancement - volume[x, y, z]) * share }
                        if m.diameter >= 10 {
                            let necrotic = core.partialVolume(x, y, z)
                            if necrotic > 0 { volume[x, y, z] += (Signal.necrosis - volume[x, y, z]) * necrotic }
                        }
                        if lesion.contains(x, y, z) { mask[x, y, z] = 1 }
                    }
                }
            }
        }

        var noise = SensorNoise(seed: seed, key: "mets/thermal noise")
        for i in volume.samples.indices where volume.samples[i] > 0 {
            let z = i / (width * height), y = (i / width) % height, x = i % width
            let shading = 1 + 0.08 * bias.value(x: Double(x), y: Double(y), z: Double(z))
            volume.samples[i] = max(1, volume.samples[i] * shading + 12 * noise.next())
        }
        return SyntheticStack(image: volume.quantized(to: .int16), mask: mask.quantized(to: .uint8), spacing: spacing)
    }
}
