/// Why a window is in a plan.
public enum WindowReason: String, Hashable, Sendable, Codable, CaseIterable {
    /// A regular grid tile.
    case grid
    /// Drawn at random, blind to the targets (uniform and weighted sampling).
    case random
    /// Placed around a labelled object (scenes).
    case object
    /// Placed around a lesion (stacks).
    case lesion
    /// A window without foreground, drawn from valid data.
    case negative
}

/// One window of a plan: what to read and write, decided from metadata and labels alone.
public struct PlannedWindow: Hashable, Sendable, Codable {
    /// Stable identifier, the same across runs, thread counts and shards.
    public var id: String
    /// The level the pixels come from.
    public var level: Int
    /// The window in level-0 pixel (voxel) coordinates.
    public var window: Window
    /// Why it was chosen.
    public var reason: WindowReason
    /// The object or lesion the window was placed for (object/lesion reasons).
    public var targetID: String?

    public init(id: String, level: Int, window: Window, reason: WindowReason, targetID: String? = nil) {
        self.id = id
        self.level = level
        self.window = window
        self.reason = reason
        self.targetID = targetID
    }
}

/// Shard K of N: a contiguous slice of a plan, so shards read neighbouring windows.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// K, from 1.
    public let index: Int
    /// N.
    public let count: Int

    /// Shard `index` of `count`, 1-based.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 1, index <= count else {
            throw ScaleTileError.argument("--shard", "\(index)/\(count) is not a shard: use K/N with 1 ≤ K ≤ N")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw ScaleTileError.argument("--shard", "'\(text)' is not K/N")
        }
        try self.init(index: k, count: n)
    }

    /// The whole plan as one shard.
    public static let whole = try! Shard(index: 1, count: 1)

    /// The positions of a plan of `planCount` windows that belong to this shard.
    public func range(ofPlanCount planCount: Int) -> Range<Int> {
        let lower = planCount * (index - 1) / count
        let upper = planCount * index / count
        return lower..<upper
    }

    public var description: String { "\(index)/\(count)" }
}
