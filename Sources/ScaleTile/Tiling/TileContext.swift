import ScaleTileCore

/// The context tiles of one planned window (`--context-levels`, DESIGN.md §7), for every kind
/// of source: which levels it uses, where each tile lies, and where its file goes.
struct TileContext {
    /// One context tile of a window.
    struct Tile {
        /// The context level, as the job uses it (scaling Z or not).
        let level: Level
        /// The tile in level-0 pixels (voxels); it may reach past the source.
        let window: Window
        /// The tile in its level's pixels.
        let levelWindow: Window
    }

    /// The tiles of `item` at the listed levels coarser than its own, finest first.
    static func tiles(of item: PlannedWindow, levels: ContextLevels?, scalesDepth: Bool = false) -> [Tile] {
        guard let levels else { return [] }
        let own = Level(item.level, scalesDepth: scalesDepth)
        return levels.used(byWindowAt: item.level).map { index in
            let level = Level(index, scalesDepth: scalesDepth)
            let levelWindow = ContextLevels.levelWindow(of: item.window, windowLevel: own, at: level)
            return Tile(level: level, window: level.baseWindow(of: levelWindow), levelWindow: levelWindow)
        }
    }

    /// `tiles/L0/{id}_ctx{ℓ}.{ext}`: beside the window's own file.
    static func path(folder: String, of item: PlannedWindow, level: Int, fileExtension: String) -> String {
        "\(folder)/L\(item.level)/\(item.id)_ctx\(level).\(fileExtension)"
    }

    /// The window item as a plan entry at the context tile's level, for the kinds' readers.
    static func plannedWindow(_ tile: Tile, of item: PlannedWindow) -> PlannedWindow {
        PlannedWindow(id: item.id, level: tile.level.index, window: tile.window, reason: item.reason, targetID: item.targetID)
    }

    /// The channels of the context tile at position `index` (finest first) in a window file of
    /// `bands` bands per level: the window's own first, then each context level's.
    static func channels(position index: Int, bands: Int) -> [Int] {
        Array((index + 1) * bands ..< (index + 2) * bands)
    }

    /// Buffers of one window joined band after band (channel-first buffers join by their bytes).
    static func joined(_ buffers: [RasterBuffer]) -> RasterBuffer {
        let first = buffers[0]
        guard buffers.count > 1 else { return first }
        return RasterBuffer(pixelType: first.pixelType, bandCount: buffers.reduce(0) { $0 + $1.bandCount }, size: first.size,
                            bytes: buffers.flatMap(\.bytes))
    }
}

/// `summary.json`'s `context`: the levels asked for and what the written windows got.
public struct ContextSummary: Hashable, Sendable, Codable {
    /// The context levels asked for.
    public var levels: [Int]
    /// `files` or `channels`.
    public var `as`: String
    /// Context tiles of the windows this run wrote or kept.
    public var tiles: Int
    /// Listed levels those windows skipped, not being coarser than the window's own level
    /// (each window counts each such level once).
    public var skipped: Int
    /// Scenes: where each context level's pixels came from, as `perLevel` says it of the
    /// windows' levels: `scene` (the scene or its exact overview) or `built` (`levels/`).
    public var sources: [String: String]?

    /// The figures of the windows written or kept; nil without context.
    init?(options: TileOptions, work: [PlannedWindow], outcomes: [TileOutcome]) {
        guard let context = options.contextLevels else { return nil }
        levels = context.levels
        `as` = options.contextOutput.rawValue
        let kept = zip(work, outcomes).filter { $0.1.entry != nil }.map(\.0)
        tiles = kept.reduce(0) { $0 + context.used(byWindowAt: $1.level).count }
        skipped = kept.reduce(0) { $0 + context.skipped(byWindowAt: $1.level) }
    }
}
