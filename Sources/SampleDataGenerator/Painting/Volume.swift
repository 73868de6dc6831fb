import ScaleTileCore

/// A single-channel volume being painted, one `Double` per voxel in physical units
/// (Hounsfield units, MR signal, photon counts), slice after slice, each row-major: the
/// (Z, Y, X) order stacks are written in.
struct Volume {
    let width: Int
    let height: Int
    let depth: Int
    var samples: [Double]

    init(width: Int, height: Int, depth: Int, value: Double = 0) {
        self.width = width
        self.height = height
        self.depth = depth
        samples = [Double](repeating: value, count: width * height * depth)
    }

    @inline(__always)
    func index(_ x: Int, _ y: Int, _ z: Int) -> Int { (z * height + y) * width + x }

    subscript(x: Int, y: Int, z: Int) -> Double {
        get { samples[index(x, y, z)] }
        set { samples[index(x, y, z)] = newValue }
    }

    var size: RasterSize { RasterSize(width: width, height: height, depth: depth) }

    /// Adds independent noise of standard deviation `sigma(value)` to every voxel; the sigma may
    /// depend on the voxel's value (photon noise grows with the signal).
    mutating func addNoise(_ noise: inout SensorNoise, sigma: (Double) -> Double) {
        for i in samples.indices {
            samples[i] += sigma(samples[i]) * noise.next()
        }
    }

    /// The voxels rounded to `pixelType` and clamped to its range, as a one-band buffer.
    func quantized(to pixelType: PixelType) -> RasterBuffer {
        let low = pixelType.valueRange.lowerBound, high = pixelType.valueRange.upperBound
        var values = samples
        for i in values.indices { values[i] = min(max(values[i].rounded(), low), high) }
        return RasterBuffer(exactly: values, pixelType: pixelType, bandCount: 1, size: size)
    }
}
