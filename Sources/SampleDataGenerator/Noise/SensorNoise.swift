import ScaleTileCore

/// Per-sample random noise, as a sensor adds it: independent, zero-mean, roughly Gaussian.
///
/// Each draw is the sum of four uniform numbers (an Irwin–Hall variable) scaled to a standard
/// deviation of 1: close enough to a Gaussian for texture, bounded at ±3.46σ, and plain
/// arithmetic, unlike Box–Muller's `log` and `cos`, whose last bits differ between C libraries.
/// This is the part of a sample that costs bytes after compression, so the samples keep it modest.
struct SensorNoise {
    private var random: SeededRandom

    /// A noise stream for the field named `key` of the sample seeded with `seed`.
    init(seed: UInt64, key: String) {
        random = SeededRandom(seed: seed, key: key)
    }

    /// One draw with standard deviation 1.
    mutating func next() -> Double {
        // Four uniforms on [0, 1) sum to mean 2 and variance 4/12; √3 brings the variance to 1.
        let sum = random.unit() + random.unit() + random.unit() + random.unit()
        return (sum - 2) * 1.7320508075688772
    }
}
