import ScaleTileCore
import ScaleTileSatellite

/// A coarse map of where a scene holds valid data, for drawing negative windows.
///
/// One read of a coarse level (at most `maxCells` on a side; the scene's own overview when it
/// has one of that size) decides, per cell, whether its block holds any valid pixel. A
/// candidate window is on valid data when at most a given share of the cells it covers are
/// nodata. Memory: the cells, whatever the scene's size.
struct ValidityGrid: Sendable {
    /// Level-0 pixels per cell along each axis (2^level).
    let cellSize: Int
    let columns: Int
    let rows: Int
    let valid: [Bool]

    init(dataset: Dataset, bands: [Int], nodata: NodataDefinition, maxCells: Int = 1024) throws {
        var level = Level(0)
        while level.size(of: dataset.size).width > maxCells || level.size(of: dataset.size).height > maxCells {
            level = Level(level.index + 1)
        }
        let whole = Window(size: dataset.size)
        let pixels = try dataset.read(whole, level: level, bands: bands, resampling: .average, fill: nodata.fillValue)
        valid = try nodata.validity(of: pixels, window: whole, level: level, dataset: dataset)
        cellSize = level.factor
        columns = pixels.size.width
        rows = pixels.size.height
    }

    /// Whether at most `maxNodata` of the cells a level-0 window covers are nodata (cells outside count as nodata).
    func isValid(_ window: Window, maxNodata: Double) -> Bool {
        let x0 = window.x.divided(roundingDownBy: cellSize), x1 = window.maxX.divided(roundingUpBy: cellSize)
        let y0 = window.y.divided(roundingDownBy: cellSize), y1 = window.maxY.divided(roundingUpBy: cellSize)
        var bad = 0, total = 0
        for y in y0..<y1 {
            for x in x0..<x1 {
                total += 1
                if x < 0 || y < 0 || x >= columns || y >= rows || !valid[y * columns + x] { bad += 1 }
            }
        }
        return total > 0 && Double(bad) <= maxNodata * Double(total)
    }
}
