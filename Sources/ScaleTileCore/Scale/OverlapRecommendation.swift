/// The grid overlap a label set needs so that its objects are whole in some grid tile
/// (DESIGN.md §4, "containment"; `--overlap auto`).
///
/// With tile size T and overlap O on an axis, tiles start every S = T − O pixels. An object of
/// side w ≤ O starting at p lies inside the tile starting at ⌊p/S⌋·S, because that tile ends at
/// ⌊p/S⌋·S + T > p − S + T = p + O ≥ p + w; the `shift` edge policy only moves the last tile
/// inward, where it still ends at the raster's edge, and `pad` keeps the regular starts, so the
/// guarantee holds for both (not for `drop`, which leaves the edge strip uncovered).
///
/// So O on each axis is the largest side among the objects meant to stay whole: those no
/// larger than a cap, by default half the tile. The cap keeps the grid sane: O = T − 1 would
/// make the stride 1 pixel, and past O = T/2 every further object kept whole costs more tiles
/// than a coarser level would (the tile count per axis grows as T / (T − O)). Objects above
/// the cap are not guaranteed; those larger than the tile can never be whole at this size.
public struct OverlapRecommendation: Hashable, Sendable, Codable {
    /// The tile (patch) size the overlap is for.
    public var tileSize: RasterSize
    /// The recommended overlap per axis.
    public var overlap: RasterSize
    /// Targets whole in at least one grid tile with this overlap.
    public var guaranteedCount: Int
    /// Targets no larger than the tile but above the overlap cap on some axis: whole only when a
    /// tile happens to line up.
    public var notGuaranteedCount: Int
    /// Targets larger than the tile on some axis: never whole in a tile of this size (use a
    /// coarser level or a bigger tile).
    public var largerThanTileCount: Int

    /// The stride T − O per axis.
    public var stride: RasterSize {
        RasterSize(width: tileSize.width - overlap.width, height: tileSize.height - overlap.height,
                   depth: tileSize.depth - overlap.depth)
    }

    /// The overlap `targets` need on a grid of `tileSize` tiles.
    ///
    /// An axis on which every target lies within the first tile (the Z axis of a scene, where
    /// tiles and objects are one slice deep) needs no overlap. On the others the overlap is at
    /// most `overlapLimit` (default ⌊T/2⌋), and never more than T − 1 as `--overlap` requires.
    ///
    /// - Precondition: every tile side is positive and every limit non-negative.
    /// - Complexity: O(targets).
    public init(targets: [SamplingTarget], tileSize: RasterSize, overlapLimit: RasterSize? = nil) {
        let tiles = [tileSize.width, tileSize.height, tileSize.depth]
        precondition(tiles.allSatisfy { $0 > 0 }, "tile sides must be positive")
        let limits = overlapLimit.map { [$0.width, $0.height, $0.depth] } ?? tiles.map { $0 / 2 }
        precondition(limits.allSatisfy { $0 >= 0 }, "overlap limits must not be negative")
        let starts = targets.map { [$0.bbox.x, $0.bbox.y, $0.bbox.z] }
        let sides = targets.map { [$0.bbox.width, $0.bbox.height, $0.bbox.depth] }
        let ends = targets.map { [$0.bbox.maxX, $0.bbox.maxY, $0.bbox.maxZ] }

        // Axes where the first tile, [0, T), already holds every target.
        let needsOverlap = (0..<3).map { axis in
            !targets.indices.allSatisfy { starts[$0][axis] >= 0 && ends[$0][axis] <= tiles[axis] }
        }
        let caps = (0..<3).map { min(limits[$0], tiles[$0] - 1) }

        var overlaps = [0, 0, 0]
        var guaranteed = 0, notGuaranteed = 0, tooLarge = 0
        for side in sides {
            let axes = (0..<3).filter { needsOverlap[$0] }
            if axes.allSatisfy({ side[$0] <= caps[$0] }) {
                guaranteed += 1
                for axis in axes { overlaps[axis] = max(overlaps[axis], side[axis]) }
            } else if axes.contains(where: { side[$0] > tiles[$0] }) {
                tooLarge += 1
            } else {
                notGuaranteed += 1
            }
        }
        self.tileSize = tileSize
        overlap = RasterSize(width: overlaps[0], height: overlaps[1], depth: overlaps[2])
        guaranteedCount = guaranteed
        notGuaranteedCount = notGuaranteed
        largerThanTileCount = tooLarge
    }

    private enum CodingKeys: String, CodingKey {
        case tileSize, overlap, stride, guaranteedCount, notGuaranteedCount, largerThanTileCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tileSize = try container.decode(RasterSize.self, forKey: .tileSize)
        overlap = try container.decode(RasterSize.self, forKey: .overlap)
        guaranteedCount = try container.decode(Int.self, forKey: .guaranteedCount)
        notGuaranteedCount = try container.decode(Int.self, forKey: .notGuaranteedCount)
        largerThanTileCount = try container.decode(Int.self, forKey: .largerThanTileCount)
    }

    /// Writes the stride too, the number people set on other tilers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tileSize, forKey: .tileSize)
        try container.encode(overlap, forKey: .overlap)
        try container.encode(stride, forKey: .stride)
        try container.encode(guaranteedCount, forKey: .guaranteedCount)
        try container.encode(notGuaranteedCount, forKey: .notGuaranteedCount)
        try container.encode(largerThanTileCount, forKey: .largerThanTileCount)
    }
}
