import ScaleTileCore

/// The pixels `--stretch` percentiles are taken from: the whole band read at a reduced size
/// (nearest neighbour, so no fill is blended into valid values), valid pixels only.
enum StretchSample {
    /// The scene's size scaled down to at most 1024 pixels on its longer side.
    static func size(for scene: RasterSize) -> RasterSize {
        let longer = Swift.max(scene.width, scene.height)
        guard longer > 1024 else { return RasterSize(width: scene.width, height: scene.height) }
        let factor = Double(longer) / 1024
        return RasterSize(width: Swift.max(1, Int((Double(scene.width) / factor).rounded())),
                          height: Swift.max(1, Int((Double(scene.height) / factor).rounded())))
    }

    /// Percentiles (0–100) of `values` by linear interpolation between the sorted values
    /// (NumPy's default); nil when there are none.
    static func percentiles(_ values: [Double], _ ps: [Double]) -> [Double]? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return ps.map { p in
            let position = p / 100 * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down)), upper = Swift.min(lower + 1, sorted.count - 1)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
        }
    }
}
