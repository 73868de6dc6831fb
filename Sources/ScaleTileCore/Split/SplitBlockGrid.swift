/// Square blocks of level-0 pixels from the source's origin: the unit a split assigns.
///
/// Blocks partition the plane, so windows that each lie inside blocks of one split share no
/// pixel with the windows of another split.
public struct SplitBlockGrid: Hashable, Sendable {
    /// A block by its column and row.
    public struct Block: Hashable, Sendable, Comparable {
        public var column: Int
        public var row: Int

        public init(column: Int, row: Int) {
            self.column = column
            self.row = row
        }

        public static func < (a: Block, b: Block) -> Bool { (a.row, a.column) < (b.row, b.column) }
    }

    /// The block edge in level-0 pixels.
    public let size: Int

    /// - Precondition: `size > 0`.
    public init(size: Int) {
        precondition(size > 0, "a split block needs a positive size")
        self.size = size
    }

    /// The default block: room for two grid strides of the coarsest level, (T + T − O)·2^L,
    /// so that grid windows shifted into one block still overlap their neighbours.
    public static func defaultSize(tileSize: Int, overlap: Int, coarsestLevel: Int) -> Int {
        (2 * tileSize - overlap) << Swift.max(0, coarsestLevel)
    }

    /// The block holding the level-0 pixel (x, y).
    public func block(x: Int, y: Int) -> Block {
        Block(column: Self.floorDivide(x, size), row: Self.floorDivide(y, size))
    }

    /// The block holding the centre of `window` (rounded down).
    public func block(centreOf window: Window) -> Block {
        block(x: window.x + window.width / 2, y: window.y + window.height / 2)
    }

    /// Every block `window` touches.
    public func blocks(covering window: Window) -> [Block] {
        guard !window.isEmpty else { return [] }
        let first = block(x: window.x, y: window.y), last = block(x: window.maxX - 1, y: window.maxY - 1)
        var result: [Block] = []
        for row in first.row...last.row {
            for column in first.column...last.column { result.append(Block(column: column, row: row)) }
        }
        return result
    }

    /// The pixels of a block.
    public func extent(of block: Block) -> Window {
        Window(x: block.column * size, y: block.row * size, width: size, height: size)
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
