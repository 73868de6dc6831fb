/// A coarse map of where patch centres should fall: one non-negative weight per cell of a
/// downsampled grid over the raster (a tissue map, a class-density map, a loss map).
///
/// Cell (i, j, k) covers level-0 pixels [i·cx, (i+1)·cx) × [j·cy, (j+1)·cy) × [k·cz, (k+1)·cz),
/// clipped to the raster. Weights need not sum to 1; only their ratios matter.
public struct ProbabilityGrid: Hashable, Sendable {
    /// Level-0 pixels per cell along X, Y and Z.
    public let cellSize: RasterSize
    /// Cells along X, Y and Z.
    public let shape: RasterSize
    /// One weight per cell, row-major: slice, then row, then column.
    public let weights: [Double]

    /// A map of `shape` cells of `cellSize` pixels.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` when a side is not positive, the
    ///   weight count is not the cell count, a weight is negative or not finite, or all are 0.
    public init(cellSize: RasterSize, shape: RasterSize, weights: [Double]) throws {
        guard cellSize.width > 0, cellSize.height > 0, cellSize.depth > 0,
              shape.width > 0, shape.height > 0, shape.depth > 0 else {
            throw ScaleTileError.argument("probability map", "cells \(cellSize) and shape \(shape) need positive sides")
        }
        guard weights.count == shape.pixelCount else {
            throw ScaleTileError.argument("probability map", "\(weights.count) weights for \(shape) = \(shape.pixelCount) cells")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw ScaleTileError.argument("probability map", "weights must be finite and non-negative")
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw ScaleTileError.argument("probability map", "every weight is 0, so no centre can be drawn")
        }
        self.cellSize = cellSize
        self.shape = shape
        self.weights = weights
    }

    /// The grid a map over `rasterSize` with cells of `cellSize` must have: ⌈raster / cell⌉ per axis.
    public static func shape(covering rasterSize: RasterSize, cellSize: RasterSize) -> RasterSize {
        RasterSize(width: rasterSize.width.divided(roundingUpBy: cellSize.width),
                   height: rasterSize.height.divided(roundingUpBy: cellSize.height),
                   depth: rasterSize.depth.divided(roundingUpBy: cellSize.depth))
    }

    /// The level-0 pixels of cell `index` (row-major), clipped to `rasterSize`.
    func cellWindow(_ index: Int, clippedTo rasterSize: RasterSize) -> Window {
        let x = index % shape.width, y = (index / shape.width) % shape.height, z = index / (shape.width * shape.height)
        let cell = Window(x: x * cellSize.width, y: y * cellSize.height, z: z * cellSize.depth,
                          width: cellSize.width, height: cellSize.height, depth: cellSize.depth)
        return cell.intersection(Window(size: rasterSize))!
    }
}
