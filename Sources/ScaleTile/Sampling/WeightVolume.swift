import ScaleTileCore
import ScaleTileMedical

/// The weight map of `weighted` sampling on a stack or volume: a weight volume of any
/// resolution (TIFF stack, NIfTI, NRRD), averaged onto a coarse grid over the image.
///
/// The grid has at most ``cellsPerAxis`` cells per axis of the image; a weight voxel counts in
/// the cell its centre falls in once its grid is stretched over the image's, so a weight volume
/// at a tenth of the resolution serves as well as one on the image's own grid. The volume is
/// read slice by slice (memory: the grid and one slice).
enum WeightVolume {
    static let cellsPerAxis = 32

    /// The grid of `path`'s weights over an image of `imageSize`.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` for negative or non-finite weights, or
    ///   weights that are all 0.
    static func load(_ path: String, imageSize: RasterSize) throws -> ProbabilityGrid {
        let weights = try MedicalSource.open(path)
        let axes = [imageSize.width, imageSize.height, imageSize.depth]
        let cell = axes.map { $0.divided(roundingUpBy: Swift.min(cellsPerAxis, $0)) }
        let shape = zip(axes, cell).map { $0.divided(roundingUpBy: $1) }
        let source = [weights.size.width, weights.size.height, weights.size.depth]
        // The image cell of each weight voxel along one axis: its centre stretched over the image.
        func cells(_ axis: Int) -> [Int] {
            (0..<source[axis]).map { v in
                Swift.min(shape[axis] - 1, Int((Double(v) + 0.5) * Double(axes[axis]) / Double(source[axis])) / cell[axis])
            }
        }
        let cx = cells(0), cy = cells(1), cz = cells(2)
        var sums = [Double](repeating: 0, count: shape[0] * shape[1] * shape[2])
        var counts = [Int](repeating: 0, count: sums.count)
        let pixelType = weights.pixelType
        var bad: Double?
        let sliceSize = RasterSize(width: source[0], height: source[1])
        try weights.forEachSlice(channel: 0, timepoint: 0) { z, samples in
            let slice = RasterBuffer(pixelType: pixelType, bandCount: 1, size: sliceSize,
                                     bytes: Array(samples.prefix(sliceSize.pixelCount * pixelType.byteSize)))
            slice.forEachSample(band: 0) { i, w in
                guard w.isFinite && w >= 0 else { bad = w; return }
                let cellIndex = (cz[z] * shape[1] + cy[i / source[0]]) * shape[0] + cx[i % source[0]]
                sums[cellIndex] += w
                counts[cellIndex] += 1
            }
        }
        if let bad { throw ScaleTileError(.invalidInput, path, "holds the weight \(bad): sampling weights must be finite and not negative") }
        // A cell no weight voxel falls in (a weight volume coarser than the grid) takes the
        // weight of the voxel under its centre.
        for i in sums.indices where counts[i] == 0 {
            let index = [i % shape[0], (i / shape[0]) % shape[1], i / (shape[0] * shape[1])]
            let voxel = (0..<3).map { a -> Int in
                let centre = Double(index[a] * cell[a]) + Double(cell[a]) / 2
                let scaled: Double = centre * Double(source[a]) / Double(axes[a])
                return Swift.min(source[a] - 1, Int(scaled))
            }
            let value = try weights.read(Window(x: voxel[0], y: voxel[1], z: voxel[2], width: 1, height: 1, depth: 1), channels: [0])
            value.forEachSample(band: 0) { _, w in sums[i] = w.isFinite ? Swift.max(w, 0) : 0 }
            counts[i] = 1
        }
        let means = zip(sums, counts).map { $0 / Double($1) }
        guard means.contains(where: { $0 > 0 }) else {
            throw ScaleTileError(.invalidInput, path, "has no positive weight: weighted sampling would have nowhere to draw")
        }
        return try ProbabilityGrid(cellSize: RasterSize(width: cell[0], height: cell[1], depth: cell[2]),
                                   shape: RasterSize(width: shape[0], height: shape[1], depth: shape[2]), weights: means)
    }
}
