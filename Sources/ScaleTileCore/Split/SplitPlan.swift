/// A plan's windows assigned to splits by spatial blocks, leak-free by construction.
///
/// Each object belongs to the block holding its box centre, and the blocks are assigned to
/// splits by ``StratifiedAssignment``. A window lies in the split of its blocks; a window
/// touching blocks of two splits is shifted, within the source, into the block holding its
/// centre (or dropped when it cannot be, or when the shift lands on a window already planned).
/// Since blocks partition the plane, no level-0 pixel of a window in one split lies in a
/// window of another.
public struct SplitPlan: Hashable, Sendable {
    /// The kept windows, in plan order, some shifted.
    public let windows: [PlannedWindow]
    /// The split of each kept window, by window id.
    public let windowSplits: [String: SplitName]
    /// The split each object belongs to, in the order of the objects given.
    public let objectSplits: [SplitName]
    /// Windows moved into one split's block.
    public let shifted: Int
    /// Windows dropped because they would straddle two splits.
    public let dropped: Int
    /// The block grid used.
    public let blocks: SplitBlockGrid

    /// Assigns `windows` (level-0 pixels) of one source of `sourceSize` to splits.
    ///
    /// - Parameters:
    ///   - objects: the labelled objects, whose buckets and classes stratify the assignment.
    ///   - shift: whether straddling windows may move (tiling time) or are only dropped
    ///     (`scaletile split` on an existing output, whose pixels are not read again).
    ///   - context: the windows' context levels: then a window's footprint, kept inside one
    ///     split's blocks, is the box of it and its context tiles within the source.
    public init(windows: [PlannedWindow], objects: [SamplingTarget], sourceSize: RasterSize, shares: SplitShares,
                blockSize: Int, seed: UInt64, shift: Bool, context: ContextLevels? = nil) {
        // Pixels of a context tile past the source are fill, shared with no one.
        func footprint(_ w: PlannedWindow) -> Window {
            guard let context else { return w.window }
            let box = context.footprint(of: w.window, windowLevel: w.level)
            return box.intersection(Window(size: sourceSize)).map { w.window.union($0) } ?? w.window
        }
        let grid = SplitBlockGrid(size: blockSize)
        blocks = grid
        var labelCounts: [SplitBlockGrid.Block: [String: Int]] = [:]
        var objectCounts: [SplitBlockGrid.Block: Int] = [:]
        var windowCounts: [SplitBlockGrid.Block: Int] = [:]
        let objectBlocks = objects.map { grid.block(centreOf: $0.bbox) }
        for (object, block) in zip(objects, objectBlocks) {
            for label in Self.labels(of: object) { labelCounts[block, default: [:]][label, default: 0] += 1 }
            objectCounts[block, default: 0] += 1
        }
        var touchedBlocks = Set(labelCounts.keys)
        for w in windows {
            windowCounts[grid.block(centreOf: w.window), default: 0] += 1
            touchedBlocks.formUnion(grid.blocks(covering: footprint(w)))
        }
        // Every block a window touches gets a split, so two windows of different splits can
        // never meet in a block no window is centred in.
        let keys = touchedBlocks.sorted()
        let units = keys.map {
            StratifiedAssignment.Unit(labelCounts: labelCounts[$0] ?? [:], objects: objectCounts[$0] ?? 0, windows: windowCounts[$0] ?? 0)
        }
        let assigned = StratifiedAssignment.assign(units, shares: shares, seed: seed)
        let blockSplits = Dictionary(uniqueKeysWithValues: zip(keys, assigned))
        objectSplits = objectBlocks.map { blockSplits[$0]! }

        func splitOf(_ block: SplitBlockGrid.Block) -> SplitName? { blockSplits[block] }
        var kept: [PlannedWindow] = [], splits: [String: SplitName] = [:]
        var taken = Set<[Int]>()
        var shiftedCount = 0, droppedCount = 0
        for var w in windows {
            let home = splitOf(grid.block(centreOf: w.window))!
            let box = footprint(w)
            if !grid.blocks(covering: box).allSatisfy({ splitOf($0) == home }) {
                // Context tiles keep their shape when the window moves by multiples of their 2^ℓ.
                let stepLevel = context.map { Swift.max(w.level, $0.used(byWindowAt: w.level).max() ?? 0) } ?? w.level
                guard shift, let moved = Self.shifted(box, into: grid.extent(of: grid.block(centreOf: w.window)),
                                                      level: stepLevel, sourceSize: sourceSize) else {
                    droppedCount += 1
                    continue
                }
                w.window = w.window.offsetBy(dx: moved.x - box.x, dy: moved.y - box.y)
                // The footprint is clipped to the source, so the moved window's may differ: check it.
                if context != nil, !grid.blocks(covering: footprint(w)).allSatisfy({ splitOf($0) == home }) {
                    droppedCount += 1
                    continue
                }
                shiftedCount += 1
            }
            // A shift may land on a window already planned at the same level.
            guard taken.insert([w.level, w.window.x, w.window.y, w.window.width, w.window.height]).inserted else {
                droppedCount += 1
                continue
            }
            kept.append(w)
            splits[w.id] = home
        }
        self.windows = kept
        windowSplits = splits
        shifted = shiftedCount
        dropped = droppedCount
    }

    /// `bucket:small`, `class:car`: the labels an object stratifies.
    public static func labels(of object: SamplingTarget) -> [String] {
        ["bucket:" + SizeBucket(object).rawValue, "class:" + object.className]
    }

    /// `window` moved the least into `block`, on multiples of 2^level, without reaching further
    /// past the source than it did; nil when it does not fit.
    public static func shifted(_ window: Window, into block: Window, level: Int, sourceSize: RasterSize) -> Window? {
        guard window.width <= block.width, window.height <= block.height else { return nil }
        let step = 1 << Swift.max(0, level)
        func axis(_ start: Int, _ length: Int, _ blockStart: Int, _ blockLength: Int, _ sourceLength: Int) -> Int? {
            var moved = Swift.min(Swift.max(start, blockStart), blockStart + blockLength - length)
            // Block edges are multiples of the block size; keep the level's pixel grid.
            moved = moved >= start ? (moved + step - 1) / step * step : moved / step * step
            guard moved >= blockStart, moved + length <= blockStart + blockLength, moved >= 0 else { return nil }
            guard moved + length <= Swift.max(sourceLength, start + length) else { return nil }
            return moved
        }
        guard let x = axis(window.x, window.width, block.x, block.width, sourceSize.width),
              let y = axis(window.y, window.height, block.y, block.height, sourceSize.height) else { return nil }
        return Window(x: x, y: y, z: window.z, width: window.width, height: window.height, depth: window.depth)
    }
}
