internal import CGDAL
import ScaleTileCore

extension RasterBand {
    /// Approximate percentiles (0–100) of the band's valid pixels, from GDAL's approximate
    /// histogram (overviews or a subsample), for percentile stretches of 16-bit and float data.
    ///
    /// GDAL would normally cache the statistics in an `.aux.xml` next to the input; PAM is off
    /// (see ``GDALRuntime``), so nothing is written beside the input.
    public func approximatePercentiles(_ percentiles: [Double]) throws -> [Double] {
        var minMax = [0.0, 0.0]
        try gdalCheck(dataset.path, what: "computing band \(number) statistics") {
            GDALComputeRasterMinMax(handle, 1, &minMax)
            return minMax[0].isFinite && minMax[1].isFinite
        }
        let (low, high) = (minMax[0], minMax[1])
        guard high > low else { return percentiles.map { _ in low } }
        let buckets = 4096
        var histogram = [GUIntBig](repeating: 0, count: buckets)
        try gdalCheck(dataset.path, what: "computing band \(number) histogram") {
            GDALGetRasterHistogramEx(handle, low, high, Int32(buckets), &histogram, 0, 1, nil, nil) == CE_None
        }
        let total = histogram.reduce(0, +)
        guard total > 0 else { return percentiles.map { _ in low } }
        let width = (high - low) / Double(buckets)
        return percentiles.map { p in
            let target = Double(total) * p / 100
            var cumulative = 0.0
            for (i, count) in histogram.enumerated() {
                cumulative += Double(count)
                if cumulative >= target { return low + width * (Double(i) + 0.5) }
            }
            return high
        }
    }
}
