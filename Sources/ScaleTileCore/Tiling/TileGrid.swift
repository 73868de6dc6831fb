/// A regular grid of tiles (2-D) or patches (3-D) over a raster, with overlap and an edge policy.
///
/// Tiles are listed in row-major order: slice, then row, then column.
public struct TileGrid: Hashable, Sendable {
    public let columns: AxisTiling
    public let rows: AxisTiling
    public let slices: AxisTiling

    /// A grid over `size`, with per-axis tile sizes and overlaps (a scene passes depth 1 for Z).
    public init(size: RasterSize, tile: RasterSize, overlap: RasterSize, edge: EdgePolicy) throws {
        columns = try AxisTiling(length: size.width, tileSize: tile.width, overlap: overlap.width, edge: edge)
        rows = try AxisTiling(length: size.height, tileSize: tile.height, overlap: overlap.height, edge: edge)
        slices = try AxisTiling(length: size.depth, tileSize: tile.depth, overlap: overlap.depth, edge: edge)
    }

    /// A 2-D grid of square tiles.
    public init(width: Int, height: Int, tileSize: Int, overlap: Int, edge: EdgePolicy) throws {
        try self.init(size: RasterSize(width: width, height: height),
                      tile: RasterSize(width: tileSize, height: tileSize),
                      overlap: RasterSize(width: overlap, height: overlap, depth: 0), edge: edge)
    }

    /// The raster the grid covers.
    public var rasterSize: RasterSize { RasterSize(width: columns.length, height: rows.length, depth: slices.length) }
    /// The full tile size (edge tiles may overhang the raster by part of it).
    public var tileSize: RasterSize { RasterSize(width: columns.tileSize, height: rows.tileSize, depth: slices.tileSize) }

    /// Every tile's window, in row-major order. Windows may overhang the raster (pad policy, small rasters).
    public var windows: [Window] {
        let xs = columns.starts, ys = rows.starts, zs = slices.starts
        var result: [Window] = []
        result.reserveCapacity(xs.count * ys.count * zs.count)
        for z in zs {
            for y in ys {
                for x in xs {
                    result.append(Window(x: x, y: y, z: z, width: columns.tileSize, height: rows.tileSize, depth: slices.tileSize))
                }
            }
        }
        return result
    }

    /// Number of tiles along X, Y and Z.
    public var counts: (columns: Int, rows: Int, slices: Int) {
        (columns.starts.count, rows.starts.count, slices.starts.count)
    }
}
