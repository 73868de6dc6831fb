/// Multi-scale context (DESIGN.md §7): for a window W at level ℓ₀, the same centre seen at
/// coarser levels with W's size in pixels, so a model sees a small object and its surroundings.
///
/// Levels are absolute. For each listed ℓ > ℓ₀ the context tile has W's size in level pixels
/// and its origin at level ℓ is floor(centre(W) / 2^ℓ) − size / 2 per axis, the centre taken in
/// level-0 pixels (Z divided by 2^ℓ only when the levels scale depth). Listed levels not coarser
/// than ℓ₀ are skipped (and counted by the job).
public struct ContextLevels: Hashable, Sendable, CustomStringConvertible {
    /// The context levels, sorted and unique.
    public let levels: [Int]

    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a level outside 0...30, or no level.
    public init(_ levels: [Int]) throws {
        guard !levels.isEmpty else { throw ScaleTileError.argument("--context-levels", "give at least one level, such as 2,4") }
        if let bad = levels.first(where: { !(0...30).contains($0) }) {
            throw ScaleTileError.argument("--context-levels", "levels run from 0 to 30, got \(bad)")
        }
        self.levels = Array(Set(levels)).sorted()
    }

    /// The context levels a window at `windowLevel` gets: those coarser than it.
    public func used(byWindowAt windowLevel: Int) -> [Int] { levels.filter { $0 > windowLevel } }

    /// How many listed levels a window at `windowLevel` skips (not coarser than it).
    public func skipped(byWindowAt windowLevel: Int) -> Int { levels.count { $0 <= windowLevel } }

    /// The context tile of `window` (level-0 pixels, a window of `windowLevel`) at `level`, in
    /// `level`'s pixels: the window's size in its own level's pixels, centred on its centre.
    ///
    /// Integer arithmetic on doubled coordinates keeps the centre of odd-sized windows exact:
    /// floor((2x + w) / 2^(ℓ+1)) = floor((x + w/2) / 2^ℓ).
    public static func levelWindow(of window: Window, windowLevel: Level, at level: Level) -> Window {
        let size = windowLevel.window(fromBase: window).size
        let x = (2 * window.x + window.width).divided(roundingDownBy: 2 * level.factor) - size.width / 2
        let y = (2 * window.y + window.height).divided(roundingDownBy: 2 * level.factor) - size.height / 2
        let z = (2 * window.z + window.depth).divided(roundingDownBy: 2 * level.depthFactor) - size.depth / 2
        return Window(x: x, y: y, z: z, width: size.width, height: size.height, depth: size.depth)
    }

    /// The context tile of `window` at `level` in level-0 pixels (it may reach past the source).
    public static func baseWindow(of window: Window, windowLevel: Level, at level: Level) -> Window {
        level.baseWindow(of: levelWindow(of: window, windowLevel: windowLevel, at: level))
    }

    /// The level-0 pixels a window and its context tiles cover, as one box: what a leak-free
    /// split must keep inside one split's blocks.
    public func footprint(of window: Window, windowLevel: Int, scalesDepth: Bool = false) -> Window {
        let own = Level(windowLevel, scalesDepth: scalesDepth)
        return used(byWindowAt: windowLevel).reduce(window) { box, index in
            box.union(Self.baseWindow(of: window, windowLevel: own, at: Level(index, scalesDepth: scalesDepth)))
        }
    }

    /// The step, in level-0 pixels, by which a window at `windowLevel` may move without changing
    /// its context tiles' shape: 2^ℓ of its coarsest context level (or its own level).
    public func shiftStep(windowLevel: Int) -> Int {
        1 << Swift.max(0, windowLevel, used(byWindowAt: windowLevel).max() ?? 0)
    }

    /// The default split block with context: the grid's default, or room for two footprints of
    /// the coarsest context level (T·2^ℓ each), whichever is larger, so that windows shifted
    /// into one block keep their context tiles inside it.
    public func splitBlockSize(tileSize: Int, gridDefault: Int) -> Int {
        Swift.max(gridDefault, 2 * tileSize << (levels.max() ?? 0))
    }

    /// `2,4`.
    public var description: String { levels.map(String.init).joined(separator: ",") }
}

/// How context tiles are written (`--context-as`).
public enum ContextOutput: String, Hashable, Sendable, Codable, CaseIterable {
    /// One file per context level beside the window's: `{id}_ctx{ℓ}.{ext}`.
    case files
    /// Extra bands (channels) of the window's own file: the window's bands, then each used
    /// context level's, finest first.
    case channels
}

/// One context tile of a manifest line (`context`): where its pixels are and where they lie.
public struct ManifestContext: Hashable, Sendable, Codable {
    /// The context level ℓ.
    public var level: Int
    /// The file holding the tile, relative to the output folder (with `--context-as channels`,
    /// the window's own file).
    public var path: String
    /// The tile in level-0 pixels (it may reach past the source, where it is filled).
    public var window: ManifestWindow
    /// `--context-as channels`: the 0-based channels (bands) of `path` holding this level.
    public var channels: [Int]?
    /// Scenes: the tile's geotransform, GDAL's six numbers.
    public var geoTransform: [Double]?
    /// Stacks: the voxel spacing at the level.
    public var spacing: Spacing?
    /// Volumes: the tile's voxel-to-world affine, 4×4 row-major.
    public var affine: [[Double]]?

    public init(level: Int, path: String, window: ManifestWindow, channels: [Int]? = nil, geoTransform: [Double]? = nil,
                spacing: Spacing? = nil, affine: [[Double]]? = nil) {
        self.level = level; self.path = path; self.window = window; self.channels = channels
        self.geoTransform = geoTransform; self.spacing = spacing; self.affine = affine
    }

    /// Checks what later steps compute with, as ``ManifestEntry/checked()`` does for the window.
    func checked(entry id: String) throws {
        guard (0...30).contains(level) else {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): context level \(level) is outside 0...30")
        }
        let limit = ManifestEntry.coordinateLimit
        for (name, value, minimum) in [("width", window.width, 1), ("height", window.height, 1), ("depth", window.depth ?? 1, 1),
                                       ("x", window.x, -limit), ("y", window.y, -limit), ("z", window.z ?? 0, -limit)] where value < minimum || value > limit {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): context window \(name) \(value) is outside \(minimum)...\(limit)")
        }
        guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): context path \"\(path)\" is not a file inside the output folder")
        }
    }
}
