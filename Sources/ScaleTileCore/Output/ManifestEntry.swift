/// One line of `manifest.jsonl`: one written tile or patch (DESIGN.md §3), the contract
/// training code reads. Keys are camelCase; absent values are left out.
public struct ManifestEntry: Hashable, Sendable, Codable {
    /// Stable across runs and shards.
    public var id: String
    /// The tile or image patch, relative to the output folder.
    public var path: String
    /// The mask patch of an image/mask pair, relative to the output folder.
    public var mask: String?
    /// Pyramid level of the pixels.
    public var level: Int
    /// 2^-level.
    public var scale: Double
    /// The window in level-0 pixel (voxel) coordinates.
    public var window: ManifestWindow
    /// The input the pixels came from, as given.
    public var source: String
    /// Map-space bounds of the tile (scenes with a geotransform).
    public var bounds: Bounds?
    /// CRS of `bounds`: `EPSG:n` when known, else WKT (scenes with a CRS).
    public var crs: String?
    /// Share of the tile's pixels that are nodata (outside the raster counts as nodata).
    public var nodataFraction: Double?
    /// True when the window overhangs the raster and the overhang was filled.
    public var padded: Bool?
    /// Objects (scenes) inside the tile.
    public var objects: [ContainedObject]?
    /// Lesions (stacks) inside the patch.
    public var lesions: [ContainedObject]?
    /// Why the window was chosen.
    public var reason: WindowReason
    /// The object or lesion the window was placed for.
    public var target: String?
    /// Voxel spacing of the patch at its level (stacks).
    public var spacing: Spacing?
    /// The split the window belongs to (`--split`).
    public var split: SplitName?
    /// Objects shown in the tile that are no positive label of it: with `--split`, objects of
    /// another split visible as much as a label would be (ignore regions, never positives).
    public var ignore: [ContainedObject]?
    /// The patch's voxel-to-world affine, 4×4 row-major (volumes with one; DESIGN.md §7).
    public var affine: [[Double]]?
    /// The window's context tiles (`--context-levels`), finest first; absent without context.
    public var context: [ManifestContext]?

    public init(id: String, path: String, mask: String? = nil, level: Int, window: ManifestWindow, source: String,
                bounds: Bounds? = nil, crs: String? = nil, nodataFraction: Double? = nil, padded: Bool? = nil,
                objects: [ContainedObject]? = nil, lesions: [ContainedObject]? = nil,
                reason: WindowReason, target: String? = nil, spacing: Spacing? = nil, affine: [[Double]]? = nil) {
        self.id = id; self.path = path; self.mask = mask; self.level = level
        self.scale = Level(level).scale
        self.window = window; self.source = source; self.bounds = bounds; self.crs = crs
        self.nodataFraction = nodataFraction; self.padded = padded
        self.objects = objects; self.lesions = lesions
        self.reason = reason; self.target = target; self.spacing = spacing
        self.affine = affine
    }
}

extension ManifestEntry {
    /// The largest coordinate or extent a manifest window may have: far past any raster GDAL
    /// or libtiff opens, and small enough that sums and level scalings of it cannot overflow.
    public static let coordinateLimit = 1 << 40

    /// Checks what later steps compute with (levels scaled, windows intersected, files
    /// placed): a level ``Level`` accepts, a window of positive size whose corners stay
    /// within ``coordinateLimit``, a finite scale.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` about no file, naming the entry and the value.
    public func checked() throws {
        guard (-8...30).contains(level) else {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): level \(level) is outside -8...30")
        }
        let w = window
        let limit = Self.coordinateLimit
        for (name, value, minimum) in [("width", w.width, 1), ("height", w.height, 1), ("depth", w.depth ?? 1, 1),
                                       ("x", w.x, -limit), ("y", w.y, -limit), ("z", w.z ?? 0, 0)] where value < minimum || value > limit {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): window \(name) \(value) is outside \(minimum)...\(limit)")
        }
        guard scale.isFinite, scale > 0 else {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): scale \(scale) is not a positive number")
        }
        guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): path \"\(path)\" is not a file inside the output folder")
        }
        if let mask, mask.isEmpty || mask.hasPrefix("/") || mask.split(separator: "/").contains("..") {
            throw ScaleTileError(.invalidInput, nil, "entry \(id): mask \"\(mask)\" is not a file inside the output folder")
        }
        for tile in context ?? [] { try tile.checked(entry: id) }
    }

    /// `entries` each ``checked()``; an error names the manifest's line.
    public static func checked(_ entries: [ManifestEntry], file: String) throws -> [ManifestEntry] {
        for (i, entry) in entries.enumerated() {
            do {
                try entry.checked()
            } catch let error as ScaleTileError {
                throw ScaleTileError(.invalidInput, file, "line \(i + 1): \(error.message)")
            }
        }
        return entries
    }
}

/// A window as written to manifests: `z` and `depth` only for stacks.
public struct ManifestWindow: Hashable, Sendable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var z: Int?
    public var depth: Int?

    /// The manifest form of `window`; `volumetric` keeps Z.
    public init(_ window: Window, volumetric: Bool) {
        x = window.x; y = window.y; width = window.width; height = window.height
        z = volumetric ? window.z : nil
        depth = volumetric ? window.depth : nil
    }

    /// Back to a ``Window`` (depth 1 for scenes).
    public var window: Window {
        Window(x: x, y: y, z: z ?? 0, width: width, height: height, depth: depth ?? 1)
    }
}

/// An object or lesion inside a tile or patch.
public struct ContainedObject: Hashable, Sendable, Codable {
    /// The object's id in its label set.
    public var id: String
    /// Its class name (scenes) or label value (stacks), as a string.
    public var `class`: String
    /// True when the tile holds only part of it.
    public var truncated: Bool
    /// Share of its bounding box (area or volume) inside the tile.
    public var visibleFraction: Double?
    /// Its bounding box clipped to the tile, in the tile file's own pixels: `[x, y, width, height]`
    /// (`[x, y, z, width, height, depth]` for stacks).
    public var bbox: [Double]?

    public init(id: String, class className: String, truncated: Bool, visibleFraction: Double? = nil, bbox: [Double]? = nil) {
        self.id = id; self.class = className; self.truncated = truncated
        self.visibleFraction = visibleFraction; self.bbox = bbox
    }
}
