/// What a split shares across splits: the figures that must be 0 (DESIGN.md §7).
public struct LeakageAudit: Hashable, Sendable, Codable {
    /// Level-0 pixels lying in windows of two splits, summed over pairs of windows of
    /// different splits (0 when leak-free).
    public var sharedPixels: Int
    /// Objects that are a positive label in windows of two splits (0 when leak-free).
    public var objectsPositiveInTwoSplits: Int
    /// Windows dropped because they would straddle two splits.
    public var windowsDropped: Int
    /// Windows shifted into one split's block.
    public var windowsShifted: Int
    /// Objects shown in another split's windows, there turned into ignore regions.
    public var objectsTurnedIgnore: Int
    /// YOLO (`--yolo-ignore drop`): windows dropped because they held an ignore region.
    public var windowsDroppedForIgnore: Int

    public init(sharedPixels: Int, objectsPositiveInTwoSplits: Int, windowsDropped: Int, windowsShifted: Int,
                objectsTurnedIgnore: Int, windowsDroppedForIgnore: Int) {
        self.sharedPixels = sharedPixels
        self.objectsPositiveInTwoSplits = objectsPositiveInTwoSplits
        self.windowsDropped = windowsDropped
        self.windowsShifted = windowsShifted
        self.objectsTurnedIgnore = objectsTurnedIgnore
        self.windowsDroppedForIgnore = windowsDroppedForIgnore
    }

    /// Level-0 pixels shared by windows of different splits, from the windows alone.
    ///
    /// Windows of different sources never share pixels: give one source's windows at a time.
    /// Windows are binned in square cells as large as the largest window, so each window meets
    /// only the few in its cells; a pair is counted in the one cell holding the first pixel of
    /// their intersection.
    /// - Complexity: O(n) for windows of similar size and bounded overlap.
    public static func sharedPixels(_ windows: [(window: Window, split: SplitName)]) -> Int {
        guard let cell = windows.map({ Swift.max($0.window.width, $0.window.height) }).max(), cell > 0 else { return 0 }
        let grid = SplitBlockGrid(size: cell)
        var cells: [SplitBlockGrid.Block: [Int]] = [:]
        for (i, w) in windows.enumerated() {
            for block in grid.blocks(covering: w.window) { cells[block, default: []].append(i) }
        }
        var total = 0
        for (block, members) in cells where members.count > 1 {
            for a in 0..<(members.count - 1) {
                let first = windows[members[a]]
                for b in (a + 1)..<members.count {
                    let second = windows[members[b]]
                    guard first.split != second.split, let common = first.window.intersection(second.window),
                          grid.block(x: common.x, y: common.y) == block else { continue }
                    total += common.pixelCount
                }
            }
        }
        return total
    }

    /// Objects positive in windows of two splits, from each window's positives.
    public static func objectsInTwoSplits(_ positives: [(objects: [String], split: SplitName)]) -> Int {
        var seen: [String: SplitName] = [:], leaked = Set<String>()
        for (objects, split) in positives {
            for id in objects {
                if let first = seen[id], first != split { leaked.insert(id) } else { seen[id] = split }
            }
        }
        return leaked.count
    }
}
