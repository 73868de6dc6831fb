import ScaleTile
import ScaleTileCore

extension StackPatchOptions {
    /// Sets the patch geometry, padding, levels' Z scaling, channels, mask resampling and
    /// connectivity of `options` from these flags: what `tile` and `sample` share for stacks.
    func apply(to options: inout StackTileOptions) throws {
        if let patch {
            let parts = try sizeParts(patch, option: "--patch", as: Int.self, allowed: [2, 3])
            options.patch = RasterSize(width: parts[0], height: parts[1], depth: parts.count == 3 ? parts[2] : 1)
        }
        if let patchMillimetres {
            let parts = try sizeParts(patchMillimetres, option: "--patch-mm", as: Double.self, allowed: [1, 3])
            options.patchMillimetres = parts.count == 1 ? SIMD3(repeating: parts[0]) : SIMD3(parts[0], parts[1], parts[2])
        }
        options.padding = padding
        options.padValue = padValue
        options.scaleDepth = scaleZ
        if let channels {
            options.channels = try bandList(channels).map { $0 - 1 }
        }
        options.maskResampling = maskResampling
        options.connectivity = try parsedConnectivity(connectivity)
    }
}
