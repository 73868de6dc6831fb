/// Where patches can go: the raster, the patch size and the levels a sampler may use.
///
/// A patch has the same size in pixels at every level, `patchSize`, so at level ℓ it spans
/// 2^ℓ times as many level-0 pixels in X and Y (and in Z when the level scales depth). A patch
/// lies inside the raster *at its level* whenever that level's raster is at least the patch
/// size on an axis; otherwise it starts at 0 and overhangs (the overhang is padded).
public struct PatchGeometry: Hashable, Sendable {
    /// The level-0 raster size.
    public let rasterSize: RasterSize
    /// The patch size, in pixels of the patch's own level.
    public let patchSize: RasterSize
    /// The allowed levels, finest first.
    public let levels: [Level]

    /// The geometry of `patchSize` patches over a `rasterSize` raster at `levels`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for an empty raster or patch, no
    ///   level, two levels with the same number, or a level that scales depth on a scene.
    public init(rasterSize: RasterSize, patchSize: RasterSize, levels: [Level] = [.base]) throws {
        guard rasterSize.width > 0, rasterSize.height > 0, rasterSize.depth > 0 else {
            throw ScaleTileError(.invalidInput, nil, "the raster \(rasterSize) has no pixels")
        }
        guard patchSize.width > 0, patchSize.height > 0, patchSize.depth > 0 else {
            throw ScaleTileError.argument("--patch", "\(patchSize) is not a patch size: every side must be positive")
        }
        let sorted = levels.sorted()
        guard !sorted.isEmpty else { throw ScaleTileError.argument("--levels", "no level to sample from") }
        guard Set(sorted.map(\.index)).count == sorted.count else {
            throw ScaleTileError.argument("--levels", "level numbers \(sorted.map(\.index)) repeat")
        }
        guard rasterSize.depth > 1 || !sorted.contains(where: \.scalesDepth) else {
            throw ScaleTileError.argument("--levels", "a scene has one slice, so its levels cannot scale depth")
        }
        self.rasterSize = rasterSize
        self.patchSize = patchSize
        self.levels = sorted
    }

    /// Whether the rasters are stacks, whose targets are lesions rather than objects.
    public var isVolumetric: Bool { rasterSize.depth > 1 }

    /// Whether `bbox` (level-0) fits in one patch at `level`.
    public func fits(_ bbox: Window, at level: Level) -> Bool {
        let scaled = level.window(fromBase: bbox)
        return scaled.width <= patchSize.width && scaled.height <= patchSize.height && scaled.depth <= patchSize.depth
    }

    /// The finest allowed level at which `bbox` fits in one patch, or nil when it fits at none.
    public func finestLevel(fitting bbox: Window) -> Level? {
        levels.first { fits(bbox, at: $0) }
    }

    /// A patch at `level` holding the whole of `bbox` at a uniformly random offset, as a level-0
    /// window.
    ///
    /// On each axis the origin is drawn uniformly among the positions that keep `bbox` inside
    /// the patch and the patch inside the level's raster.
    ///
    /// - Precondition: `bbox` fits at `level` and lies inside the raster.
    public func randomPatch(holding bbox: Window, at level: Level, using random: inout SeededRandom) -> Window {
        precondition(fits(bbox, at: level), "the target must fit in a patch at its level")
        let target = level.window(fromBase: bbox), raster = level.size(of: rasterSize)
        func origin(_ start: Int, _ end: Int, _ length: Int, _ patch: Int) -> Int {
            guard length > patch else { return 0 }
            return random.integer(in: max(end - patch, 0)...min(start, length - patch))
        }
        return patch(at: level, x: origin(target.x, target.maxX, raster.width, patchSize.width),
                     y: origin(target.y, target.maxY, raster.height, patchSize.height),
                     z: origin(target.z, target.maxZ, raster.depth, patchSize.depth))
    }

    /// A patch at `level` at a uniformly random origin inside the level's raster, as a level-0
    /// window.
    public func randomPatch(at level: Level, using random: inout SeededRandom) -> Window {
        let raster = level.size(of: rasterSize)
        func origin(_ length: Int, _ patch: Int) -> Int {
            length > patch ? random.integer(in: 0...(length - patch)) : 0
        }
        return patch(at: level, x: origin(raster.width, patchSize.width), y: origin(raster.height, patchSize.height),
                     z: origin(raster.depth, patchSize.depth))
    }

    /// The patch at `level` centred on `bbox` and moved inside the level's raster, as a level-0
    /// window: the most of a too-large target one patch can show.
    public func patch(centredOn bbox: Window, at level: Level) -> Window {
        let target = level.window(fromBase: bbox)
        return patch(at: level, centredOnHalfPixel: (2 * target.x + target.width, 2 * target.y + target.height,
                                                    2 * target.z + target.depth))
    }

    /// The patch at `level` centred as nearly as whole pixels allow on the level-0 pixel
    /// (`x`, `y`, `z`) and moved inside the level's raster, as a level-0 window.
    public func patch(centredAtX x: Int, y: Int, z: Int = 0, at level: Level) -> Window {
        // The centre of level pixel i is i + 1/2, or 2i + 1 half pixels.
        patch(at: level, centredOnHalfPixel: (2 * x.divided(roundingDownBy: level.factor) + 1,
                                             2 * y.divided(roundingDownBy: level.factor) + 1,
                                             2 * z.divided(roundingDownBy: level.depthFactor) + 1))
    }

    /// The patch whose centre is `centre`, in half pixels of `level`, moved inside the level's
    /// raster. Half pixels keep the centre of an even-sized box exact.
    private func patch(at level: Level, centredOnHalfPixel centre: (x: Int, y: Int, z: Int)) -> Window {
        let raster = level.size(of: rasterSize)
        func origin(_ centre: Int, _ length: Int, _ patch: Int) -> Int {
            guard length > patch else { return 0 }
            // origin = centre − patch / 2, here with both doubled, rounded down.
            return min(max((centre - patch).divided(roundingDownBy: 2), 0), length - patch)
        }
        return patch(at: level, x: origin(centre.x, raster.width, patchSize.width),
                     y: origin(centre.y, raster.height, patchSize.height), z: origin(centre.z, raster.depth, patchSize.depth))
    }

    /// The level-0 window of the patch with origin (`x`, `y`, `z`) in pixels of `level`.
    private func patch(at level: Level, x: Int, y: Int, z: Int) -> Window {
        level.baseWindow(of: Window(x: x, y: y, z: z, width: patchSize.width, height: patchSize.height, depth: patchSize.depth))
    }
}
