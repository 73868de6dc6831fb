/// Gathers pixels of a level, arriving as rectangles in any pattern, into the fixed blocks of
/// its output file, and hands each block over once all of its pixels have arrived.
///
/// GDAL writes a complete block straight to the file (`GDALWriteBlock`) without the shared
/// block cache, so a writer that only ever writes whole blocks, in the order they complete,
/// produces the same file bytes whatever the threads elsewhere are doing. Memory is the
/// blocks that are partly filled: the front where the incoming rectangles currently are.
public struct BlockAssembler {
    /// A finished block: its position in the block grid and its pixels (block size, channel-first;
    /// the part outside the level grid holds the fill value).
    public struct Block {
        public let column: Int
        public let row: Int
        public let pixels: RasterBuffer
    }

    public let levelSize: RasterSize
    public let blockSize: RasterSize
    public let bandCount: Int
    public let pixelType: PixelType
    public let fill: Double

    private struct Pending {
        var pixels: RasterBuffer
        var remaining: Int
    }

    private var pending: [Int: Pending] = [:]

    public init(levelSize: RasterSize, blockSize: RasterSize, bandCount: Int, pixelType: PixelType, fill: Double) {
        self.levelSize = levelSize
        self.blockSize = blockSize
        self.bandCount = bandCount
        self.pixelType = pixelType
        self.fill = fill
    }

    /// Number of block columns of the level.
    public var blockColumns: Int { levelSize.width.divided(roundingUpBy: blockSize.width) }
    /// Number of block rows of the level.
    public var blockRows: Int { levelSize.height.divided(roundingUpBy: blockSize.height) }
    /// Blocks holding some but not all of their pixels.
    public var pendingCount: Int { pending.count }

    /// Adds `buffer`, the level pixels of `window` (inside the level grid), and returns the blocks
    /// it completed, in row-major block order.
    ///
    /// - Complexity: O(pixels of `buffer`).
    public mutating func add(_ buffer: RasterBuffer, at window: Window) -> [Block] {
        precondition(buffer.bandCount == bandCount && buffer.pixelType == pixelType, "buffer does not match the level")
        precondition(window.x >= 0 && window.y >= 0 && window.maxX <= levelSize.width && window.maxY <= levelSize.height,
                     "window lies outside the level grid")
        let bw = blockSize.width, bh = blockSize.height, bytes = pixelType.byteSize
        var completed: [Block] = []
        for row in (window.y / bh)...((window.maxY - 1) / bh) {
            for column in (window.x / bw)...((window.maxX - 1) / bw) {
                let key = row * blockColumns + column
                let block = Window(x: column * bw, y: row * bh, width: bw, height: bh)
                guard let part = block.intersection(window) else { continue }
                var entry = pending[key] ?? makePending(block)
                entry.pixels.bytes.withUnsafeMutableBytes { target in
                    buffer.bytes.withUnsafeBytes { source in
                        for b in 0..<bandCount {
                            for y in part.y..<part.maxY {
                                let from = ((b * window.height + (y - window.y)) * window.width + (part.x - window.x)) * bytes
                                let to = ((b * bh + (y - block.y)) * bw + (part.x - block.x)) * bytes
                                (target.baseAddress! + to).copyMemory(from: source.baseAddress! + from, byteCount: part.width * bytes)
                            }
                        }
                    }
                }
                entry.remaining -= part.width * part.height
                if entry.remaining == 0 {
                    pending[key] = nil
                    completed.append(Block(column: column, row: row, pixels: entry.pixels))
                } else {
                    pending[key] = entry
                }
            }
        }
        return completed
    }

    private func makePending(_ block: Window) -> Pending {
        var pixels = RasterBuffer(pixelType: pixelType, bandCount: bandCount, size: blockSize)
        if fill != 0 { pixels.fill(with: fill) }
        let inside = block.intersection(Window(size: levelSize))!
        return Pending(pixels: pixels, remaining: inside.width * inside.height)
    }
}
