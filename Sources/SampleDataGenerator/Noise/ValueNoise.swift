import ScaleTileCore

/// Smooth random texture ("value noise"): random values on a lattice, blended between lattice
/// points, summed over octaves whose cells halve in size and whose amplitude falls by
/// `persistence` each time.
///
/// Land cover, sea turbidity, tissue texture and illumination fields are all made of it. The
/// lattice values come from one ``SeededRandom`` stream per octave, drawn in a fixed order, and
/// the blending is plain arithmetic (no `sin`, `exp` or `log`), so a given seed gives the same
/// field on every run and every IEEE-754 machine.
struct ValueNoise {
    /// One octave: random values at the corners of cells `cellSize` samples wide.
    fileprivate struct Lattice {
        let cellSize: Double
        let zCellSize: Double
        let columns: Int
        let rows: Int
        let layers: Int
        let amplitude: Double
        let values: [Double]
    }

    private let octaves: [Lattice]
    /// The sum of the octaves' amplitudes: ``value(x:y:z:)`` divides by it to stay in -1...1.
    private let totalAmplitude: Double

    /// A field covering `width` × `height` × `depth` samples.
    ///
    /// - Parameters:
    ///   - seed: the sample's seed; `key` names this field so that fields of one sample differ.
    ///   - cellSize: the coarsest octave's lattice spacing, in samples (the size of the largest blobs).
    ///   - octaves: how many octaves; each adds detail half the size of the one before.
    ///   - persistence: amplitude ratio between consecutive octaves (0.5: detail is half as strong).
    ///   - zCellSize: the coarsest lattice spacing along Z, in slices (defaults to `cellSize`);
    ///     anisotropic voxels want fewer slices per cell.
    init(seed: UInt64, key: String, width: Int, height: Int, depth: Int = 1,
         cellSize: Double, octaves: Int, persistence: Double = 0.5, zCellSize: Double? = nil) {
        precondition(cellSize >= 1 && octaves >= 1, "noise needs cells of at least one sample and one octave")
        var lattices: [Lattice] = []
        var cell = cellSize, zCell = zCellSize ?? cellSize, amplitude = 1.0
        for octave in 0 ..< octaves {
            var random = SeededRandom(seed: seed, key: "\(key)/octave \(octave)")
            // One extra lattice point on each side of the covered extent, so every sample has
            // the four (eight) corners it blends.
            let columns = Int(Double(width) / cell) + 2
            let rows = Int(Double(height) / cell) + 2
            let layers = depth > 1 ? Int(Double(depth) / zCell) + 2 : 1
            let values = (0 ..< columns * rows * layers).map { _ in random.unit() * 2 - 1 }
            lattices.append(Lattice(cellSize: cell, zCellSize: zCell, columns: columns, rows: rows, layers: layers,
                                    amplitude: amplitude, values: values))
            cell = max(1, cell / 2)
            zCell = max(1, zCell / 2)
            amplitude *= persistence
        }
        self.octaves = lattices
        totalAmplitude = lattices.reduce(0) { $0 + $1.amplitude }
    }

    /// The field at a (fractional) sample position, between -1 and 1; mostly within ±0.5.
    func value(x: Double, y: Double, z: Double = 0) -> Double {
        var sum = 0.0
        for lattice in octaves {
            sum += lattice.amplitude * lattice.blend(x: x, y: y, z: z)
        }
        return sum / totalAmplitude
    }

    /// The field over a whole `width` × `height` plane at slice `z`, row by row.
    func plane(width: Int, height: Int, z: Double = 0) -> [Double] {
        var result = [Double](repeating: 0, count: width * height)
        for y in 0 ..< height {
            for x in 0 ..< width {
                result[y * width + x] = value(x: Double(x), y: Double(y), z: z)
            }
        }
        return result
    }
}

fileprivate extension ValueNoise.Lattice {
    /// The lattice's values blended at a position: bilinear (trilinear) interpolation with
    /// smoothstep weights, which hides the lattice's grid lines that plain bilinear weights show.
    func blend(x: Double, y: Double, z: Double) -> Double {
        let u = x / cellSize, v = y / cellSize
        let i = Int(u), j = Int(v)
        let wx = Self.smoothstep(u - Double(i)), wy = Self.smoothstep(v - Double(j))
        if layers == 1 {
            return bilinear(i, j, layer: 0, wx, wy)
        }
        let w = z / zCellSize
        let k = min(Int(w), layers - 2)
        let wz = Self.smoothstep(w - Double(k))
        return bilinear(i, j, layer: k, wx, wy) * (1 - wz) + bilinear(i, j, layer: k + 1, wx, wy) * wz
    }

    private func bilinear(_ i: Int, _ j: Int, layer: Int, _ wx: Double, _ wy: Double) -> Double {
        let i = min(max(i, 0), columns - 2), j = min(max(j, 0), rows - 2)
        let base = (layer * rows + j) * columns + i
        let top = values[base] * (1 - wx) + values[base + 1] * wx
        let bottom = values[base + columns] * (1 - wx) + values[base + columns + 1] * wx
        return top * (1 - wy) + bottom * wy
    }

    private static func smoothstep(_ t: Double) -> Double { t * t * (3 - 2 * t) }
}
