/// Downsampling of a stack region along Z, for levels that scale depth (near-isotropic stacks).
///
/// GDAL resamples planes (X and Y); nothing in it walks across planes, so the Z step of a level
/// is done here, with the same block definition as DESIGN.md §3: level slice k summarises the
/// level-0 slices [k·f, (k+1)·f) clipped to the stack, f = 2^ℓ.
public enum DepthDownsampling {
    /// How slices of one block are combined.
    public enum Rule: Sendable {
        /// The sum of the block's slices, voxel by voxel (`Float64` buffers only): the first half
        /// of an exact block mean whose division waits until X and Y are summarised too.
        case sum
        /// The slice GDAL's nearest-neighbour rule would pick: offset ⌊n/2⌋ in a block of n
        /// slices (the middle, or the later of the two middle ones).
        case nearest
    }

    /// Level slices of `region`, whose slice 0 is level-0 slice `k·factor` for some k and whose
    /// last block may be cut short by the stack's end.
    ///
    /// - Returns: a buffer of ceil(depth / factor) slices per channel, the same width and height.
    /// - Precondition: `factor > 0`; `.sum` needs `Float64` samples.
    /// - Complexity: O(voxels of `region`).
    public static func reduce(_ region: RasterBuffer, factor: Int, rule: Rule) -> RasterBuffer {
        precondition(factor > 0, "a factor is positive")
        guard factor > 1 else { return region }
        let size = region.size
        let depth = size.depth.divided(roundingUpBy: factor)
        let planeBytes = size.width * size.height * region.pixelType.byteSize
        var output = RasterBuffer(pixelType: region.pixelType, bandCount: region.bandCount,
                                  size: RasterSize(width: size.width, height: size.height, depth: depth))
        output.bytes.withUnsafeMutableBytes { out in
            region.bytes.withUnsafeBytes { input in
                for band in 0 ..< region.bandCount {
                    for k in 0 ..< depth {
                        let first = k * factor, count = Swift.min(factor, size.depth - first)
                        let target = out.baseAddress! + (band * depth + k) * planeBytes
                        func plane(_ z: Int) -> UnsafeRawPointer { input.baseAddress! + (band * size.depth + z) * planeBytes }
                        switch rule {
                        case .nearest:
                            target.copyMemory(from: plane(first + count / 2), byteCount: planeBytes)
                        case .sum:
                            precondition(region.pixelType == .float64, "slices are summed in Float64")
                            let sums = target.bindMemory(to: Double.self, capacity: size.width * size.height)
                            for z in first ..< first + count {
                                let values = plane(z).bindMemory(to: Double.self, capacity: size.width * size.height)
                                for i in 0 ..< size.width * size.height { sums[i] += values[i] }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Divides each level slice k of `sums` (a `.sum` result, `Float64`) by the number of
    /// level-0 slices its block had out of a stack region `baseDepth` slices deep.
    public static func dividingBlockCounts(_ sums: RasterBuffer, factor: Int, baseDepth: Int) -> RasterBuffer {
        precondition(sums.pixelType == .float64, "sums are Float64")
        guard factor > 1 else { return sums }
        var output = sums
        let plane = sums.size.width * sums.size.height
        output.bytes.withUnsafeMutableBytes { raw in
            let values = raw.bindMemory(to: Double.self)
            for band in 0 ..< sums.bandCount {
                for k in 0 ..< sums.size.depth {
                    let count = Double(Swift.min(factor, baseDepth - k * factor))
                    let start = (band * sums.size.depth + k) * plane
                    for i in start ..< start + plane { values[i] /= count }
                }
            }
        }
        return output
    }
}
