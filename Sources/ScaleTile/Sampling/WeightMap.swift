import ScaleTileCore
import ScaleTileSatellite

/// The probability raster of `--strategy weighted`: any single-band raster GDAL reads that
/// covers the scene (a density map, a loss map from the last epoch, a land-cover prior),
/// averaged by GDAL onto a coarse grid of cells over the scene.
enum WeightMap {
    /// Cells on the grid of the scene's level whose size is at most `maxCells` a side; the
    /// raster is resampled onto that grid whatever its own resolution (it must cover the same
    /// extent), nodata and negative weights count as 0.
    static func load(_ path: String, sceneSize: RasterSize, maxCells: Int = 512) throws -> ProbabilityGrid {
        var level = Level(0)
        while level.size(of: sceneSize).width > maxCells || level.size(of: sceneSize).height > maxCells {
            level = Level(level.index + 1)
        }
        let grid = level.size(of: sceneSize)
        let dataset = try Dataset(opening: path, overviews: .available)
        guard dataset.bandCount >= 1 else { throw ScaleTileError(.invalidInput, path, "has no band of weights") }
        let nodata = try dataset.band(1).nodata
        let values = try dataset.resampledBand(1, to: grid, resampling: .average)
        let weights = values.map { v -> Double in
            guard v.isFinite, v > 0, v != nodata else { return 0 }
            return v
        }
        return try attributing(to: path) {
            try ProbabilityGrid(cellSize: RasterSize(width: level.factor, height: level.factor), shape: grid, weights: weights)
        }
    }
}
