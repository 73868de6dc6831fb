/// A uniform grid of cells over target bounding boxes, answering "which targets does this
/// window contain?" and "does this window touch any target?" without testing every target.
///
/// Each box is listed in every cell it overlaps. A query visits the cells its window overlaps
/// and reports a box only from the cell holding the corner where box and window start to
/// overlap (the larger of their origins), so a box spanning many visited cells is tested once.
/// With cells about the size of a window, a query costs a few cells and the targets in them:
/// 10k windows against 3000 objects is milliseconds where the all-pairs test is 30M checks.
public struct TargetIndex: Sendable {
    /// The indexed boxes, in the caller's order; queries report positions in this array.
    public let boxes: [Window]
    private let origin: (x: Int, y: Int, z: Int)
    private let cellSize: RasterSize
    private let cellCounts: (x: Int, y: Int, z: Int)
    /// CSR layout: the boxes of cell c are `entries[cellStarts[c] ..< cellStarts[c + 1]]`.
    private let cellStarts: [Int]
    private let entries: [Int32]

    /// Cells in the grid at most; a finer cell size than this allows is coarsened.
    static let maximumCellCount = 1 << 22

    /// Indexes `boxes` (level-0 windows) with cells of about `cellSize`.
    ///
    /// Empty boxes are kept in ``boxes`` but never reported.
    ///
    /// - Precondition: every side of `cellSize` is positive; fewer than 2^31 boxes.
    /// - Complexity: O(boxes + Σ cells each box overlaps).
    public init(boxes: [Window], cellSize: RasterSize) {
        precondition(cellSize.width > 0 && cellSize.height > 0 && cellSize.depth > 0, "cell sides must be positive")
        precondition(boxes.count < Int(Int32.max), "too many boxes for one index")
        self.boxes = boxes
        let present = boxes.filter { !$0.isEmpty }
        let extent = present.dropFirst().reduce(present.first ?? Window(x: 0, y: 0, width: 1, height: 1)) { $0.union($1) }
        let gridOrigin = (x: extent.x, y: extent.y, z: extent.z)

        var cell = cellSize
        func counts(_ cell: RasterSize) -> (x: Int, y: Int, z: Int) {
            (extent.width.divided(roundingUpBy: cell.width), extent.height.divided(roundingUpBy: cell.height),
             extent.depth.divided(roundingUpBy: cell.depth))
        }
        while case let c = counts(cell), c.x * c.y * c.z > Self.maximumCellCount {
            cell = RasterSize(width: cell.width * 2, height: cell.height * 2, depth: cell.depth * 2)
        }
        let gridCounts = counts(cell)

        // Two passes: count the boxes per cell, then fill the entries in place.
        var starts = Array(repeating: 0, count: gridCounts.x * gridCounts.y * gridCounts.z + 1)
        let ranges = boxes.map { box in
            box.isEmpty ? nil : Self.cellRange(of: box, origin: gridOrigin, cellSize: cell, counts: gridCounts)
        }
        for range in ranges.compactMap({ $0 }) {
            Self.forEachCell(in: range, counts: gridCounts) { starts[$0 + 1] += 1 }
        }
        for c in 0..<(starts.count - 1) { starts[c + 1] += starts[c] }
        var next = starts
        var entries = Array(repeating: Int32(0), count: starts.last!)
        for (index, range) in ranges.enumerated() {
            guard let range else { continue }
            Self.forEachCell(in: range, counts: gridCounts) { c in
                entries[next[c]] = Int32(index)
                next[c] += 1
            }
        }
        origin = gridOrigin
        self.cellSize = cell
        cellCounts = gridCounts
        cellStarts = starts
        self.entries = entries
    }

    /// The positions of the boxes lying wholly inside `window`, in increasing order.
    ///
    /// - Complexity: O(cells the window overlaps + boxes listed in them).
    public func boxes(containedIn window: Window) -> [Int] {
        var found: [Int] = []
        visitCandidates(of: window) { index in
            if window.contains(boxes[index]) { found.append(index) }
            return true
        }
        return found.sorted()
    }

    /// The positions of the boxes sharing at least one pixel with `window`, in increasing order.
    ///
    /// - Complexity: O(cells the window overlaps + boxes listed in them).
    public func boxes(intersecting window: Window) -> [Int] {
        var found: [Int] = []
        visitCandidates(of: window) { index in
            if window.intersection(boxes[index]) != nil { found.append(index) }
            return true
        }
        return found.sorted()
    }

    /// Whether some box shares at least one pixel with `window`.
    ///
    /// - Complexity: O(cells the window overlaps + boxes listed in them), less when one is found early.
    public func anyBox(intersecting window: Window) -> Bool {
        var hit = false
        visitCandidates(of: window) { index in
            hit = window.intersection(boxes[index]) != nil
            return !hit
        }
        return hit
    }

    /// Calls `body` once for each box that may meet `window`, until it returns false.
    private func visitCandidates(of window: Window, _ body: (Int) -> Bool) {
        guard !window.isEmpty, !entries.isEmpty,
              let range = Self.cellRange(of: window, origin: origin, cellSize: cellSize, counts: cellCounts) else { return }
        var going = true
        Self.forEachCell(in: range, counts: cellCounts) { c in
            guard going else { return }
            for entry in entries[cellStarts[c]..<cellStarts[c + 1]] {
                let index = Int(entry), box = boxes[index]
                // Report the box only from the cell of max(box origin, window origin): that cell is
                // visited and lists the box whenever the two meet, and it is one cell.
                let corner = Window(x: max(box.x, window.x), y: max(box.y, window.y), z: max(box.z, window.z),
                                    width: 1, height: 1, depth: 1)
                guard let home = Self.cellRange(of: corner, origin: origin, cellSize: cellSize, counts: cellCounts),
                      Self.cellIndex(home.lower, counts: cellCounts) == c else { continue }
                if !body(index) {
                    going = false
                    return
                }
            }
        }
    }

    /// The first and last cells (inclusive) a window overlaps, clamped to the grid; nil when it
    /// misses the grid.
    private static func cellRange(of window: Window, origin: (x: Int, y: Int, z: Int), cellSize: RasterSize,
                                  counts: (x: Int, y: Int, z: Int)) -> (lower: (Int, Int, Int), upper: (Int, Int, Int))? {
        func axis(_ start: Int, _ end: Int, _ origin: Int, _ cell: Int, _ count: Int) -> (Int, Int)? {
            let first = max((start - origin).divided(roundingDownBy: cell), 0)
            let last = min((end - 1 - origin).divided(roundingDownBy: cell), count - 1)
            return first <= last ? (first, last) : nil
        }
        guard let x = axis(window.x, window.maxX, origin.x, cellSize.width, counts.x),
              let y = axis(window.y, window.maxY, origin.y, cellSize.height, counts.y),
              let z = axis(window.z, window.maxZ, origin.z, cellSize.depth, counts.z) else { return nil }
        return ((x.0, y.0, z.0), (x.1, y.1, z.1))
    }

    private static func cellIndex(_ cell: (Int, Int, Int), counts: (x: Int, y: Int, z: Int)) -> Int {
        (cell.2 * counts.y + cell.1) * counts.x + cell.0
    }

    private static func forEachCell(in range: (lower: (Int, Int, Int), upper: (Int, Int, Int)),
                                    counts: (x: Int, y: Int, z: Int), _ body: (Int) -> Void) {
        for z in range.lower.2...range.upper.2 {
            for y in range.lower.1...range.upper.1 {
                for x in range.lower.0...range.upper.0 { body(cellIndex((x, y, z), counts: counts)) }
            }
        }
    }
}
