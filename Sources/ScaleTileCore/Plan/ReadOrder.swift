/// The order in which a streaming job reads its windows, chosen for the decoder's block cache.
///
/// Output order never changes (manifests follow the plan); only the read order does. Reading
/// row by row across a wide scene needs a cache of two full rows of source blocks, which
/// grows with the scene's width. Reading in vertical *panels* of bounded width instead keeps
/// every source block decoded about once with a cache whose size does not depend on the scene.
public enum ReadOrder {
    /// Plan positions sorted panel by panel, then top to bottom, then left to right.
    ///
    /// - Parameter panelWidth: panel width in level-0 pixels; windows are assigned by their left edge.
    /// - Complexity: O(n log n).
    public static func panels(_ windows: [Window], panelWidth: Int) -> [Int] {
        precondition(panelWidth > 0, "panel width must be positive")
        return windows.indices.sorted { a, b in
            let wa = windows[a], wb = windows[b]
            let pa = wa.x.divided(roundingDownBy: panelWidth), pb = wb.x.divided(roundingDownBy: panelWidth)
            if pa != pb { return pa < pb }
            if wa.z != wb.z { return wa.z < wb.z }
            if wa.y != wb.y { return wa.y < wb.y }
            if wa.x != wb.x { return wa.x < wb.x }
            return a < b
        }
    }

    /// Plan positions sorted by slice, then row, then column: for readers whose cache holds
    /// whole slices (a stack's strips are often one per slice), whatever the width.
    ///
    /// - Complexity: O(n log n).
    public static func slices(_ windows: [Window]) -> [Int] {
        windows.indices.sorted { a, b in
            let wa = windows[a], wb = windows[b]
            return (wa.z, wa.y, wa.x, a) < (wb.z, wb.y, wb.x, b)
        }
    }

    /// The widest panel (level-0 pixels) whose working set fits `cacheBytes`.
    ///
    /// The working set of one panel is the rows a window spans plus one block row (a window
    /// rarely starts on a block boundary), across the panel, for every band of the source
    /// (pixel-interleaved blocks carry all bands). The result is a whole number of blocks and
    /// at least one window wide.
    public static func panelWidth(cacheBytes: Int, windowSpan: RasterSize, blockSize: RasterSize, bytesPerPixel: Int) -> Int {
        let rows = windowSpan.height + blockSize.height
        let usable = cacheBytes * 3 / 4
        let columns = usable / Swift.max(1, rows * bytesPerPixel)
        let blocks = Swift.max(1, columns / Swift.max(1, blockSize.width))
        return Swift.max(windowSpan.width, blocks * blockSize.width)
    }
}
