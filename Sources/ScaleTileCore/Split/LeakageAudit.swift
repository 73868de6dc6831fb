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
    /// - Complexity: O(n log n + pairs whose x-ranges overlap).
    public static func sharedPixels(_ windows: [(window: Window, split: SplitName)]) -> Int {
        let sorted = windows.sorted { $0.window.x < $1.window.x }
        var total = 0
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count, sorted[j].window.x < sorted[i].window.maxX {
                if sorted[j].split != sorted[i].split, let common = sorted[i].window.intersection(sorted[j].window) {
                    total += common.pixelCount
                }
                j += 1
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
