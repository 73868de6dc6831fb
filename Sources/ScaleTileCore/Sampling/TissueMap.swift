/// Where a stack holds tissue rather than air or background: the share of tissue voxels in any
/// window, from tissue counts per cell, for drawing negative patches on valid data.
///
/// The counts are kept as a summed-volume table over the cells: entry (i, j, k) holds the
/// tissue voxels of cells [0, i) × [0, j) × [0, k). Within a cell the count is taken as spread
/// evenly over its voxels, so the tissue in [0, u) × [0, v) × [0, w) is the trilinear
/// interpolation of the table at the cell coordinates of (u, v, w), and the tissue of any box
/// follows from its 8 corners by inclusion–exclusion: O(1) per window, however large.
///
/// With cells of one voxel the share is exact. ``cellSize(covering:maximumCells:)`` picks the
/// smallest cells that keep the table within a budget, so stacks up to that many voxels get
/// exact shares and larger ones a cell-level estimate, in memory that does not grow with the
/// stack.
public struct TissueMap: Sendable {
    /// Which voxels are tissue.
    public enum Criterion: Hashable, Sendable {
        /// Voxels whose value is above the threshold (an image: HU above air, MRI signal above
        /// the empty background).
        case above(Double)
        /// Voxels that are not 0 (a tissue or body mask).
        case nonzero
    }

    /// The level-0 volume the map covers.
    public let volumeSize: RasterSize
    /// Voxels per cell along each axis.
    public let cellSize: RasterSize
    /// Cells per axis: ⌈volume / cell⌉.
    public let shape: RasterSize
    /// The summed-volume table, (shape.width + 1) × (shape.height + 1) × (shape.depth + 1).
    private let table: [Double]

    /// The cells a map of a large stack has at most by default: 4M cells, 32 MB of table (and
    /// 16 MB of counts while it is built), exact for stacks of up to 4M voxels (256 × 256 × 64).
    public static let defaultMaximumCells = 1 << 22

    /// The smallest cells, powers of two in X and Y (then Z) with one slice deep first, whose
    /// grid over `volumeSize` has at most `maximumCells` cells.
    public static func cellSize(covering volumeSize: RasterSize, maximumCells: Int = defaultMaximumCells) -> RasterSize {
        precondition(maximumCells >= 1, "a map needs at least one cell")
        var cell = RasterSize(width: 1, height: 1, depth: 1)
        func count(_ c: RasterSize) -> Int {
            volumeSize.width.divided(roundingUpBy: c.width) * volumeSize.height.divided(roundingUpBy: c.height)
                * volumeSize.depth.divided(roundingUpBy: c.depth)
        }
        // Coarsen X and Y first: slices are where tissue boundaries are drawn, and thick cells
        // would blur the slices above and below a body's end together.
        while count(cell) > maximumCells {
            if cell.width < volumeSize.width || cell.height < volumeSize.height {
                cell = RasterSize(width: cell.width * 2, height: cell.height * 2, depth: cell.depth)
            } else {
                cell = RasterSize(width: cell.width, height: cell.height, depth: cell.depth * 2)
            }
        }
        return cell
    }

    /// A map from tissue voxel counts per cell, row-major over the cells (X fastest, then Y,
    /// then Z).
    ///
    /// - Precondition: `counts` has one entry per cell of ``shape``, each from 0 to the voxels
    ///   of its cell clipped to the volume.
    public init<Count: BinaryInteger>(volumeSize: RasterSize, cellSize: RasterSize, counts: [Count]) {
        precondition(cellSize.width > 0 && cellSize.height > 0 && cellSize.depth > 0, "cells need positive sides")
        let shape = RasterSize(width: volumeSize.width.divided(roundingUpBy: cellSize.width),
                               height: volumeSize.height.divided(roundingUpBy: cellSize.height),
                               depth: volumeSize.depth.divided(roundingUpBy: cellSize.depth))
        precondition(counts.count == shape.pixelCount, "one count per cell")
        let sw = shape.width + 1, sh = shape.height + 1
        var table = [Double](repeating: 0, count: sw * sh * (shape.depth + 1))
        for k in 0 ..< shape.depth {
            for j in 0 ..< shape.height {
                for i in 0 ..< shape.width {
                    let c = Double(counts[(k * shape.height + j) * shape.width + i])
                    let at = { (i: Int, j: Int, k: Int) in (k * sh + j) * sw + i }
                    // T(i+1, j+1, k+1) = c + the seven neighbours by inclusion–exclusion.
                    table[at(i + 1, j + 1, k + 1)] = c
                        + table[at(i, j + 1, k + 1)] + table[at(i + 1, j, k + 1)] + table[at(i + 1, j + 1, k)]
                        - table[at(i, j, k + 1)] - table[at(i, j + 1, k)] - table[at(i + 1, j, k)]
                        + table[at(i, j, k)]
                }
            }
        }
        self.volumeSize = volumeSize
        self.cellSize = cellSize
        self.shape = shape
        self.table = table
    }

    /// The share of `window`'s voxels that are tissue; voxels outside the volume are not.
    ///
    /// - Complexity: O(1).
    public func tissueShare(of window: Window) -> Double {
        guard window.pixelCount > 0, let inside = window.intersection(Window(size: volumeSize)) else { return 0 }
        let x = (cellCoordinate(inside.x, cell: cellSize.width, length: volumeSize.width),
                 cellCoordinate(inside.maxX, cell: cellSize.width, length: volumeSize.width))
        let y = (cellCoordinate(inside.y, cell: cellSize.height, length: volumeSize.height),
                 cellCoordinate(inside.maxY, cell: cellSize.height, length: volumeSize.height))
        let z = (cellCoordinate(inside.z, cell: cellSize.depth, length: volumeSize.depth),
                 cellCoordinate(inside.maxZ, cell: cellSize.depth, length: volumeSize.depth))
        var tissue = 0.0
        for (cz, sz) in [(z.1, 1.0), (z.0, -1.0)] {
            for (cy, sy) in [(y.1, 1.0), (y.0, -1.0)] {
                for (cx, sx) in [(x.1, 1.0), (x.0, -1.0)] {
                    tissue += sx * sy * sz * cumulative(cx, cy, cz)
                }
            }
        }
        return Swift.min(1, Swift.max(0, tissue / Double(window.pixelCount)))
    }

    /// A voxel boundary `u` (0 ≤ u ≤ length) as a cell index and the fraction of that cell
    /// below it; the last cell may be cut short by the volume's edge.
    private func cellCoordinate(_ u: Int, cell: Int, length: Int) -> (index: Int, fraction: Double) {
        let index = Swift.min(u / cell, (length - 1) / cell)
        let start = index * cell, end = Swift.min(start + cell, length)
        return (index, Double(u - start) / Double(end - start))
    }

    /// Tissue voxels in [0, u) × [0, v) × [0, w): the table interpolated trilinearly.
    private func cumulative(_ u: (index: Int, fraction: Double), _ v: (index: Int, fraction: Double),
                            _ w: (index: Int, fraction: Double)) -> Double {
        let sw = shape.width + 1, sh = shape.height + 1
        var sum = 0.0
        for (dk, fz) in [(0, 1 - w.fraction), (1, w.fraction)] where fz > 0 {
            for (dj, fy) in [(0, 1 - v.fraction), (1, v.fraction)] where fy > 0 {
                for (di, fx) in [(0, 1 - u.fraction), (1, u.fraction)] where fx > 0 {
                    sum += fx * fy * fz * table[((w.index + dk) * sh + v.index + dj) * sw + u.index + di]
                }
            }
        }
        return sum
    }
}

extension TissueMap {
    /// Builds a ``TissueMap`` from the slices of a stack, in order, one at a time: memory is
    /// the cells' counts, never a slice more.
    public struct Builder: Sendable {
        public let volumeSize: RasterSize
        public let cellSize: RasterSize
        public let criterion: Criterion
        /// Tissue voxels per cell; a cell holds far fewer than 2^32 voxels.
        private var counts: [UInt32]
        private var nextSlice = 0
        private let shape: RasterSize

        /// A builder for a `volumeSize` stack with cells of `cellSize`.
        public init(volumeSize: RasterSize, cellSize: RasterSize, criterion: Criterion) {
            self.volumeSize = volumeSize
            self.cellSize = cellSize
            self.criterion = criterion
            shape = RasterSize(width: volumeSize.width.divided(roundingUpBy: cellSize.width),
                               height: volumeSize.height.divided(roundingUpBy: cellSize.height),
                               depth: volumeSize.depth.divided(roundingUpBy: cellSize.depth))
            counts = [UInt32](repeating: 0, count: shape.pixelCount)
        }

        /// Counts the tissue of the next slice, given as row-major raw samples of `pixelType`
        /// in native byte order (what ``TIFFStack`` hands out).
        ///
        /// - Precondition: fewer slices so far than the volume's depth; `bytes` holds one slice.
        public mutating func append(slice bytes: UnsafeRawBufferPointer, pixelType: PixelType) {
            precondition(nextSlice < volumeSize.depth, "more slices than the volume has")
            precondition(bytes.count >= volumeSize.width * volumeSize.height * pixelType.byteSize, "one whole slice")
            let layer = (nextSlice / cellSize.depth) * shape.width * shape.height
            let width = volumeSize.width, cellWidth = cellSize.width, cellHeight = cellSize.height, columns = shape.width
            func count<Sample>(_ type: Sample.Type, _ isTissue: (Sample) -> Bool) {
                bytes.withMemoryRebound(to: Sample.self) { samples in
                    for y in 0 ..< volumeSize.height {
                        let row = layer + (y / cellHeight) * columns
                        for x in 0 ..< width where isTissue(samples[y * width + x]) {
                            counts[row + x / cellWidth] += 1
                        }
                    }
                }
            }
            func count<Sample: BinaryInteger>(_ type: Sample.Type) {
                switch criterion {
                case .nonzero: count(type) { $0 != 0 }
                case .above(let threshold): count(type) { Double($0) > threshold }
                }
            }
            func count<Sample: BinaryFloatingPoint>(_ type: Sample.Type) {
                switch criterion {
                case .nonzero: count(type) { $0 != 0 }
                // NaN is not above any threshold: a NaN voxel is not tissue.
                case .above(let threshold): count(type) { Double($0) > threshold }
                }
            }
            switch pixelType {
            case .uint8: count(UInt8.self)
            case .int8: count(Int8.self)
            case .uint16: count(UInt16.self)
            case .int16: count(Int16.self)
            case .uint32: count(UInt32.self)
            case .int32: count(Int32.self)
            case .uint64: count(UInt64.self)
            case .int64: count(Int64.self)
            case .float32: count(Float.self)
            case .float64: count(Double.self)
            }
            nextSlice += 1
        }

        /// The map of the slices appended.
        ///
        /// - Precondition: every slice of the volume was appended.
        public func finish() -> TissueMap {
            precondition(nextSlice == volumeSize.depth, "\(nextSlice) of \(volumeSize.depth) slices appended")
            return TissueMap(volumeSize: volumeSize, cellSize: cellSize, counts: counts)
        }
    }
}
