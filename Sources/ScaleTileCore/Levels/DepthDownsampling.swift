/// Downsampling of a stack region along Z, for levels that scale depth (near-isotropic stacks).
///
/// GDAL resamples planes (X and Y); nothing in it walks across planes, so the Z step of a level
/// is done here, with the same block definition as DESIGN.md §3: level slice k summarises the
/// level-0 slices [k·f, (k+1)·f) clipped to the stack, f = 2^ℓ.
public enum DepthDownsampling {
    /// The sum of each block's slices, voxel by voxel, in `Float64` (any sample type in): the
    /// first half of an exact block mean, whose division waits until X and Y are summarised too
    /// (``dividingBlockCounts(_:factor:baseDepth:)``). `region`'s slice 0 is level-0 slice
    /// `k·factor` for some k, and its last block may be cut short by the stack's end.
    ///
    /// Summing first also shrinks the region `factor` times before anything else holds it in
    /// `Float64`.
    ///
    /// - Returns: ceil(depth / factor) slices per channel, the same width and height; with
    ///   factor 1, the region in `Float64`.
    /// - Complexity: O(voxels of `region`).
    public static func sums(_ region: RasterBuffer, factor: Int) -> RasterBuffer {
        precondition(factor > 0, "a factor is positive")
        let size = region.size
        let depth = size.depth.divided(roundingUpBy: factor)
        let plane = size.width * size.height
        var output = RasterBuffer(pixelType: .float64, bandCount: region.bandCount,
                                  size: RasterSize(width: size.width, height: size.height, depth: depth))
        output.bytes.withUnsafeMutableBytes { raw in
            let sums = raw.bindMemory(to: Double.self)
            for band in 0 ..< region.bandCount {
                let bandStart = band * depth * plane
                region.forEachSample(band: band) { i, value in
                    let z = i / plane
                    sums[bandStart + (z / factor) * plane + i - z * plane] += value
                }
            }
        }
        return output
    }

    /// The slice GDAL's nearest-neighbour rule picks in each block: offset ⌊n/2⌋ in a block of
    /// n slices (the middle one, or the later of the two middle ones); always one of the
    /// block's own values, so masks stay label-valued.
    ///
    /// - Returns: ceil(depth / factor) slices per channel, the same width, height and type.
    /// - Complexity: O(voxels of the result).
    public static func nearest(_ region: RasterBuffer, factor: Int) -> RasterBuffer {
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
                        (out.baseAddress! + (band * depth + k) * planeBytes)
                            .copyMemory(from: input.baseAddress! + (band * size.depth + first + count / 2) * planeBytes, byteCount: planeBytes)
                    }
                }
            }
        }
        return output
    }

    /// Divides each level slice k of `sums` (a ``sums(_:factor:)`` result) by the number of
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
