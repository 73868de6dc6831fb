import Foundation
import ScaleTileCore

/// `mri_brain.ome.tif` and `mri_lesions_mask.ome.tif`: a FLAIR-like brain MRI (UInt16
/// OME-TIFF) of 176 × 208 pixels and 44 axial slices at 1 × 1 × 3 mm, the anisotropic voxels of
/// clinical 2-D FLAIR, with small-vessel-disease lesions in a two-class mask (UInt8 OME-TIFF):
/// 1 = white-matter hyperintensity, 2 = lacune.
///
/// Hyperintensities are bright ellipsoids in the deep white matter, from 3 mm dots on a single
/// slice to elongated lesions some 30 mm long on five; lacunes are 3 to 15 mm fluid-filled
/// cavities, dark with a thin bright rim (the rim is gliosis, not labelled), as the STRIVE
/// criteria describe them. CSF is dark (fluid-attenuated); grey matter is brighter than white
/// matter; a smooth bias field shades the whole, as a receive coil does.
enum BrainMRIStack {
    static let width = 176, height = 208, depth = 44
    static let spacing = Spacing(x: 1, y: 1, z: 3, unit: "mm")

    /// FLAIR signal of each tissue (arbitrary units).
    enum Signal {
        static let background = 0.0
        static let scalp = 430.0
        static let skull = 40.0
        static let csf = 70.0
        static let greyMatter = 390.0
        static let whiteMatter = 300.0
        static let deepGreyMatter = 345.0
        static let hyperintensity = 560.0
        static let gliosis = 470.0
    }

    /// The head: an ellipsoid centred in the field of view, semi-axes in mm, its lower part
    /// cut by the last slice as an axial FLAIR from the vertex to the skull base is.
    static let head = Ellipsoid(x: 88, y: 104, z: 25, radiiInUnits: 76, 94, 78, spacing: spacing)
    /// The lateral ventricles, left and right of the midline.
    static let ventricles = [Ellipsoid(x: 80, y: 100, z: 23, radiiInUnits: 5, 28, 21, spacing: spacing),
                             Ellipsoid(x: 96, y: 100, z: 23, radiiInUnits: 5, 28, 21, spacing: spacing)]
    /// Thalami and basal ganglia.
    static let deepGrey = [Ellipsoid(x: 72, y: 110, z: 21, radiiInUnits: 9, 14, 8, spacing: spacing),
                           Ellipsoid(x: 104, y: 110, z: 21, radiiInUnits: 9, 14, 8, spacing: spacing)]

    /// Which tissue a voxel holds, from its normalised radius in the head (1 at the scalp's surface).
    enum Layer {
        static let skull = 0.95, csf = 0.89, brain = 0.865, whiteMatter = 0.80
    }

    static func make(seed: UInt64) -> SyntheticStack {
        var random = SeededRandom(seed: seed, key: "mri/layout")
        let gyri = ValueNoise(seed: seed, key: "mri/gyri", width: width, height: height, depth: depth,
                              cellSize: 7, octaves: 2, zCellSize: 3)
        let bias = ValueNoise(seed: seed, key: "mri/bias", width: width, height: height, depth: depth,
                              cellSize: 120, octaves: 1, zCellSize: 40)
        var volume = Volume(width: width, height: height, depth: depth)
        var isWhiteMatter = [Bool](repeating: false, count: width * height * depth)
        for z in 0 ..< depth {
            for y in 0 ..< height {
                for x in 0 ..< width {
                    let (value, white) = anatomy(x, y, z, gyri: gyri)
                    volume[x, y, z] = value
                    isWhiteMatter[volume.index(x, y, z)] = white
                }
            }
        }

        var mask = Volume(width: width, height: height, depth: depth)
        var lesions: [Ellipsoid] = []
        // (label, in-plane radius range in mm, count), largest first so they find room.
        let plan: [(label: Double, radii: ClosedRange<Double>, count: Int)] = [
            (1, 6 ... 9, 3), (2, 4 ... 7.5, 2), (1, 3 ... 6, 6), (2, 1.5 ... 3, 3), (1, 1.5 ... 3, 9),
        ]
        for (label, radii, count) in plan {
            var placed = 0, attempts = 0
            while placed < count, attempts < 4000 {
                attempts += 1
                let r = radii.lowerBound + (radii.upperBound - radii.lowerBound) * random.unit()
                // Hyperintensities are often longer than wide and thin across slices; lacunes round.
                let stretch = label == 1 ? 1 + random.unit() : 1
                // Centred near a slice's middle, so a lesion thinner than a slice still shows in one.
                let slice = Double(random.integer(in: 0 ... depth - 1)) + 0.5 + 0.3 * (random.unit() - 0.5)
                let lesion = Ellipsoid(x: Double(width) * random.unit(), y: Double(height) * random.unit(), z: slice,
                                       radiiInUnits: r, r * stretch, max(1.5, r * (0.6 + 0.4 * random.unit())), spacing: spacing)
                guard fits(lesion, in: isWhiteMatter, apartFrom: lesions) else { continue }
                paint(lesion, label: label, on: &volume, mask: &mask)
                lesions.append(lesion)
                placed += 1
            }
            precondition(placed == count, "every lesion found room in the white matter")
        }

        // Shading and noise inside the head; outside it the scanner's export masked the image to 0,
        // as many public FLAIR datasets are.
        var noise = SensorNoise(seed: seed, key: "mri/thermal noise")
        for i in volume.samples.indices where volume.samples[i] > 0 {
            let z = i / (width * height), y = (i / width) % height, x = i % width
            let shading = 1 + 0.12 * bias.value(x: Double(x), y: Double(y), z: Double(z))
            volume.samples[i] = max(1, volume.samples[i] * shading + 1.5 * noise.next())
        }
        return SyntheticStack(image: volume.quantized(to: .uint16), mask: mask.quantized(to: .uint8), spacing: spacing)
    }

    /// The signal at a voxel and whether it is white matter deep enough to hold a lesion.
    private static func anatomy(_ x: Int, _ y: Int, _ z: Int, gyri: ValueNoise) -> (Double, Bool) {
        let rho = head.normalisedSquaredRadius(x, y, z).squareRoot()
        guard rho < 1 else { return (Signal.background, false) }
        // Soft steps one voxel wide (about 0.012 of the head's radius) between the layers.
        func step(_ edge: Double) -> Double { min(1, max(0, (edge - rho) / 0.012 + 0.5)) }
        var value = Signal.scalp
        value += (Signal.skull - value) * step(Layer.skull)
        value += (Signal.csf - value) * step(Layer.csf)
        value += (Signal.greyMatter - value) * step(Layer.brain)
        // Gyri: the grey–white boundary folds in and out by a few millimetres.
        let fold = Layer.whiteMatter + 0.045 * gyri.value(x: Double(x), y: Double(y), z: Double(z))
        value += (Signal.whiteMatter - value) * step(fold)
        // The interhemispheric fissure: CSF along the midline, above the ventricles.
        let midline = abs(Double(x) + 0.5 - head.x)
        if midline < 1, rho > 0.45 || z < 12 { value += (Signal.csf - value) * 0.7 * (1 - midline) }
        for structure in deepGrey {
            let share = structure.partialVolume(x, y, z)
            if share > 0 { value += (Signal.deepGreyMatter - value) * share }
        }
        var nearVentricle = false
        for ventricle in ventricles {
            let share = ventricle.partialVolume(x, y, z)
            if share > 0 { value += (Signal.csf - value) * share }
            if ventricle.normalisedSquaredRadius(x, y, z) < 1.7 { nearVentricle = true }
        }
        let isDeepWhite = rho < fold - 0.05 && !nearVentricle
            && deepGrey.allSatisfy { $0.normalisedSquaredRadius(x, y, z) > 1.3 }
        return (value, isDeepWhite)
    }

    /// Whether every voxel of `lesion` lies in deep white matter, two voxels clear of the others.
    private static func fits(_ lesion: Ellipsoid, in isWhiteMatter: [Bool], apartFrom others: [Ellipsoid]) -> Bool {
        let size = RasterSize(width: width, height: height, depth: depth)
        for other in others {
            let grown = Ellipsoid(x: other.x, y: other.y, z: other.z, radiusX: other.radiusX + lesion.radiusX + 2,
                                  radiusY: other.radiusY + lesion.radiusY + 2, radiusZ: other.radiusZ + lesion.radiusZ + 1)
            if grown.normalisedSquaredRadius(Int(lesion.x), Int(lesion.y), Int(lesion.z)) < 1 { return false }
        }
        let b = lesion.bounds(in: size, margin: 1)
        guard !b.z.isEmpty else { return false }
        for z in b.z {
            for y in b.y {
                for x in b.x where lesion.normalisedSquaredRadius(x, y, z) <= 1.5 {
                    if !isWhiteMatter[(z * height + y) * width + x] { return false }
                }
            }
        }
        return true
    }

    /// A hyperintensity (label 1): bright, with partial volume at its edge. A lacune (label 2):
    /// CSF-dark, inside a one-voxel bright rim of gliosis that is not labelled.
    private static func paint(_ lesion: Ellipsoid, label: Double, on volume: inout Volume, mask: inout Volume) {
        let rim = Ellipsoid(x: lesion.x, y: lesion.y, z: lesion.z, radiusX: lesion.radiusX + 1,
                            radiusY: lesion.radiusY + 1, radiusZ: lesion.radiusZ + 0.34)
        let b = rim.bounds(in: volume.size)
        for z in b.z {
            for y in b.y {
                for x in b.x {
                    if label == 2 {
                        let gliosis = rim.partialVolume(x, y, z)
                        if gliosis > 0 { volume[x, y, z] += (Signal.gliosis - volume[x, y, z]) * gliosis }
                    }
                    let share = lesion.partialVolume(x, y, z)
                    if share > 0 {
                        volume[x, y, z] += ((label == 1 ? Signal.hyperintensity : Signal.csf) - volume[x, y, z]) * share
                    }
                    if lesion.contains(x, y, z) { mask[x, y, z] = label }
                }
            }
        }
    }
}
