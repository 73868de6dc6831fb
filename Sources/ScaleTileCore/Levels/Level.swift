import Foundation

/// One level of a multiscale pyramid: level ℓ has the exact scale factor 2^ℓ.
///
/// Its grid is ceil(W / 2^ℓ) × ceil(H / 2^ℓ) with the scene's origin and a pixel 2^ℓ times
/// larger; its pixel (i, j) summarises the level-0 block [i·2^ℓ, (i+1)·2^ℓ) × [j·2^ℓ, (j+1)·2^ℓ),
/// clipped to the scene (DESIGN.md §3). Stacks may downsample Z too (`scalesDepth`).
///
/// A negative level magnifies: level −k has pixels 2^k times *smaller* (scale 2^k), for
/// objects too small to be useful even at full resolution (zoom-in windows, DESIGN.md §4).
public struct Level: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// ℓ, from 0 (full resolution).
    public let index: Int
    /// Whether Z is downsampled as well (near-isotropic stacks only).
    public let scalesDepth: Bool

    /// Level ℓ; `scalesDepth` only matters for stacks.
    public init(_ index: Int, scalesDepth: Bool = false) {
        precondition(index >= -8 && index < 31, "level must be in -8...30")
        self.index = index
        self.scalesDepth = scalesDepth
    }

    /// Full resolution.
    public static let base = Level(0)

    /// 2^ℓ: how many level-0 pixels one level pixel spans along an axis (1 for magnified levels).
    public var factor: Int { index >= 0 ? 1 << index : 1 }
    /// 2^-ℓ for magnified levels (ℓ < 0): level pixels per level-0 pixel along X and Y; else 1.
    public var magnification: Int { index < 0 ? 1 << -index : 1 }
    /// Whether the level magnifies (ℓ < 0).
    public var isMagnified: Bool { index < 0 }
    /// 2^-ℓ, as written to manifests: level pixels per level-0 pixel.
    public var scale: Double { isMagnified ? Double(magnification) : 1.0 / Double(factor) }
    /// The Z factor: 2^ℓ when depth is scaled, else 1.
    public var depthFactor: Int { scalesDepth ? factor : 1 }

    /// The level's grid size for a level-0 raster of `size`.
    public func size(of size: RasterSize) -> RasterSize {
        RasterSize(width: (size.width * magnification).divided(roundingUpBy: factor),
                   height: (size.height * magnification).divided(roundingUpBy: factor),
                   depth: size.depth.divided(roundingUpBy: depthFactor))
    }

    /// A level-0 window expressed in this level's pixels (scaled by 2^-ℓ, rounded outward).
    public func window(fromBase w: Window) -> Window {
        let m = magnification
        let x0 = (w.x * m).divided(roundingDownBy: factor), y0 = (w.y * m).divided(roundingDownBy: factor)
        let z0 = w.z.divided(roundingDownBy: depthFactor)
        let x1 = (w.maxX * m).divided(roundingUpBy: factor), y1 = (w.maxY * m).divided(roundingUpBy: factor)
        let z1 = w.maxZ.divided(roundingUpBy: depthFactor)
        return Window(x: x0, y: y0, z: z0, width: x1 - x0, height: y1 - y0, depth: z1 - z0)
    }

    /// A window of this level's pixels expressed in level-0 pixels (rounded outward when magnified).
    public func baseWindow(of w: Window) -> Window {
        let m = magnification
        let x0 = (w.x * factor).divided(roundingDownBy: m), y0 = (w.y * factor).divided(roundingDownBy: m)
        let x1 = (w.maxX * factor).divided(roundingUpBy: m), y1 = (w.maxY * factor).divided(roundingUpBy: m)
        return Window(x: x0, y: y0, z: w.z * depthFactor, width: x1 - x0, height: y1 - y0, depth: w.depth * depthFactor)
    }

    /// The geotransform of this level's grid over a scene whose level-0 transform is `base`:
    /// the same origin, pixels 2^ℓ times larger (2^-ℓ times smaller when magnified).
    public func geoTransform(of base: GeoTransform) -> GeoTransform {
        isMagnified ? base.scaled(by: 1 / Double(magnification)) : base.scaled(by: factor)
    }

    public static func < (a: Level, b: Level) -> Bool { a.index < b.index }
    public var description: String { "level \(index)" }
}

/// Which levels a command works on: `0`, `0,2,3`, `0-3`, or `auto`.
public enum LevelSelection: Hashable, Sendable, CustomStringConvertible {
    /// Explicit level numbers, sorted and unique.
    case explicit([Int])
    /// Chosen from the data: pyramids stop when a level fits one tile; scale-aware tiling
    /// picks the levels the objects need.
    case auto

    /// Parses `0`, `0,2,3`, `0-3` (ranges may be mixed with lists: `0,2-4`) or `auto`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "auto" { self = .auto; return }
        var levels = Set<Int>()
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            let numbers = bounds.map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !numbers.isEmpty, numbers.count <= 2, numbers.allSatisfy({ $0 != nil }) else {
                throw ScaleTileError.argument("--levels", "'\(text)' is not a level list: use 0, 0,2,3, 0-3 or auto")
            }
            let lo = numbers[0]!, hi = numbers.last!!
            guard lo >= 0, hi >= lo, hi <= 30 else {
                throw ScaleTileError.argument("--levels", "'\(text)': levels run from 0 to 30, ranges low-high")
            }
            levels.formUnion(lo...hi)
        }
        self = .explicit(levels.sorted())
    }

    /// The explicit levels, or nil for `auto`.
    public var explicitLevels: [Int]? {
        if case .explicit(let levels) = self { return levels }
        return nil
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .explicit(let levels): return levels.map(String.init).joined(separator: ",")
        }
    }

    /// The levels of a pyramid that stops once a level fits within one tile of `tileSize`.
    public static func pyramidLevels(for size: RasterSize, tileSize: Int) -> [Int] {
        var levels = [0]
        while true {
            let s = Level(levels.last!).size(of: size)
            if s.width <= tileSize && s.height <= tileSize { break }
            if levels.count > 30 { break }
            levels.append(levels.count)
        }
        return levels
    }
}
