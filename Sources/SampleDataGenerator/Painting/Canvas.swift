import ScaleTileCore

/// A multi-band image being painted, in physical units (reflectance × 10000, digital numbers,
/// Hounsfield units), one `Double` per sample, channel-first like ``RasterBuffer``.
///
/// Scenes are painted back to front: a background field, then shapes blended in by their
/// ``Coverage``, then sensor noise; ``quantized(to:)`` finally rounds to the file's sample type.
struct Canvas {
    let width: Int
    let height: Int
    let bandCount: Int
    /// Band after band, each row-major.
    var samples: [Double]

    /// A canvas whose every band holds `value`.
    init(width: Int, height: Int, bandCount: Int, value: Double = 0) {
        self.width = width
        self.height = height
        self.bandCount = bandCount
        samples = [Double](repeating: value, count: width * height * bandCount)
    }

    /// The index of (x, y) in band `band`.
    @inline(__always)
    func index(band: Int, x: Int, y: Int) -> Int { (band * height + y) * width + x }

    subscript(band: Int, x: Int, y: Int) -> Double {
        get { samples[index(band: band, x: x, y: y)] }
        set { samples[index(band: band, x: x, y: y)] = newValue }
    }

    /// Sets every pixel to `value(x, y, band)`.
    mutating func fill(_ value: (_ x: Int, _ y: Int, _ band: Int) -> Double) {
        for band in 0 ..< bandCount {
            for y in 0 ..< height {
                for x in 0 ..< width { samples[index(band: band, x: x, y: y)] = value(x, y, band) }
            }
        }
    }

    /// Blends `colour` (one value per band) over the pixels `coverage` touches, in proportion to
    /// how much of each pixel it covers, times `opacity`.
    mutating func paint(_ coverage: Coverage, colour: [Double], opacity: Double = 1) {
        precondition(colour.count == bandCount, "one value per band")
        coverage.forEachCovered { x, y, fraction in
            let alpha = Double(fraction) * opacity
            for band in 0 ..< bandCount {
                let i = index(band: band, x: x, y: y)
                samples[i] += (colour[band] - samples[i]) * alpha
            }
        }
    }

    /// Blends a per-pixel colour over the pixels `coverage` touches: `colour(x, y, band)`.
    mutating func paint(_ coverage: Coverage, opacity: Double = 1, colour: (_ x: Int, _ y: Int, _ band: Int) -> Double) {
        coverage.forEachCovered { x, y, fraction in
            let alpha = Double(fraction) * opacity
            for band in 0 ..< bandCount {
                let i = index(band: band, x: x, y: y)
                samples[i] += (colour(x, y, band) - samples[i]) * alpha
            }
        }
    }

    /// Adds independent noise of standard deviation `sigma[band]` to every sample.
    mutating func addNoise(sigma: [Double], _ noise: inout SensorNoise) {
        precondition(sigma.count == bandCount, "one sigma per band")
        for band in 0 ..< bandCount where sigma[band] > 0 {
            for i in band * width * height ..< (band + 1) * width * height {
                samples[i] += sigma[band] * noise.next()
            }
        }
    }

    /// The samples rounded to the nearest value of `pixelType` and clamped to its range.
    ///
    /// With `nodata`, the pixels of its region hold its value in every band, and every other
    /// sample that would round to that value is moved one step into the type's range, so that
    /// a reader never mistakes a real pixel for a missing one.
    func quantized(to pixelType: PixelType, nodata: NodataRegion? = nil) -> RasterBuffer {
        var values = samples
        let range = pixelType.valueRange
        let low = range.lowerBound, high = range.upperBound
        let planeSize = width * height
        for i in values.indices {
            var v = min(max(values[i].rounded(), low), high)
            if let nodata {
                let pixel = i % planeSize
                if nodata.contains(pixel % width, pixel / width) {
                    v = nodata.value
                } else if v == nodata.value {
                    v += nodata.value < range.upperBound ? 1 : -1
                }
            }
            values[i] = v
        }
        return RasterBuffer(exactly: values, pixelType: pixelType, bandCount: bandCount,
                            size: RasterSize(width: width, height: height))
    }
}

/// Where a scene has no data (outside the sensor's swath or footprint), and the value that marks it.
struct NodataRegion {
    /// The nodata value, written in every band.
    let value: Double
    /// Whether pixel (x, y) has no data.
    let contains: (_ x: Int, _ y: Int) -> Bool
}
