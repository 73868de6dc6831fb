/// How a patch is filled where its window overhangs the grid it is cut from.
///
/// The names and results follow NumPy's `np.pad` modes, which training code already knows:
/// along an axis holding `a b c d`, three voxels past the end read
///
/// | mode | past the end |
/// |---|---|
/// | ``constant`` | `v v v` (the pad value) |
/// | ``edge`` | `d d d` |
/// | ``reflect`` | `c b a` (mirrored about the edge voxel, which is not repeated) |
///
/// Masks are always padded with ``constant`` 0: replicating or mirroring a lesion into the
/// overhang would invent lesion voxels.
public enum Padding: String, Hashable, Sendable, Codable, CaseIterable {
    /// A fixed value (`--pad-value`, default 0).
    case constant
    /// The nearest voxel inside the grid, replicated.
    case edge
    /// The voxels inside, mirrored about the edge voxel without repeating it (NumPy `reflect`).
    case reflect

    /// The grid index whose value patch position `position` takes, on an axis of `length`
    /// voxels; nil when the position is outside and takes the pad value.
    ///
    /// Positions inside the axis map to themselves. Far outside, `reflect` keeps mirroring back
    /// and forth, so it is periodic with period 2·(length − 1), as NumPy's is; an axis one voxel
    /// long mirrors onto its only voxel.
    ///
    /// - Precondition: `length > 0`.
    @inlinable
    public func sourceIndex(of position: Int, length: Int) -> Int? {
        precondition(length > 0, "an axis needs at least one voxel")
        if position >= 0 && position < length { return position }
        switch self {
        case .constant:
            return nil
        case .edge:
            return position < 0 ? 0 : length - 1
        case .reflect:
            guard length > 1 else { return 0 }
            let period = 2 * (length - 1)
            let phase = ((position % period) + period) % period
            return phase < length ? phase : period - phase
        }
    }
}

/// Where every voxel of a patch comes from when its window may overhang the grid: the plan of
/// one padded read, computed from geometry alone.
///
/// A reader fetches ``sourceRegion`` (never more than the patch needs, and never outside the
/// grid), then ``patch(from:region:fill:)`` gathers the patch from it, filling what the padding
/// leaves to the pad value. An image and its mask use one region with two maps: the image's
/// padding and ``Padding/constant`` for the mask, whose voxels inside the grid are a subset of
/// the image's.
public struct PatchSourceMap: Hashable, Sendable {
    /// The patch, in the grid's voxels; it may overhang on any side.
    public let window: Window
    /// The grid the patch is cut from (a level of a stack).
    public let gridSize: RasterSize
    /// How overhanging voxels are filled.
    public let padding: Padding
    /// For each patch column, row and slice, the grid index it reads; nil takes the pad value.
    public let columns: [Int?]
    public let rows: [Int?]
    public let slices: [Int?]
    /// The smallest part of the grid holding every voxel the patch reads; nil when it reads none
    /// (a window wholly outside the grid with constant padding).
    public let sourceRegion: Window?

    /// The map of `window` over a grid of `gridSize` voxels.
    ///
    /// - Precondition: the window and the grid are not empty.
    /// - Complexity: O(width + height + depth of the window).
    public init(window: Window, gridSize: RasterSize, padding: Padding) {
        precondition(!window.isEmpty && gridSize.pixelCount > 0, "a patch and its grid need voxels")
        self.window = window
        self.gridSize = gridSize
        self.padding = padding
        func axis(_ start: Int, _ count: Int, _ length: Int) -> [Int?] {
            (start ..< start + count).map { padding.sourceIndex(of: $0, length: length) }
        }
        columns = axis(window.x, window.width, gridSize.width)
        rows = axis(window.y, window.height, gridSize.height)
        slices = axis(window.z, window.depth, gridSize.depth)
        func span(_ indices: [Int?]) -> Range<Int>? {
            let present = indices.compactMap { $0 }
            guard let low = present.min(), let high = present.max() else { return nil }
            return low ..< high + 1
        }
        if let x = span(columns), let y = span(rows), let z = span(slices) {
            sourceRegion = Window(x: x.lowerBound, y: y.lowerBound, z: z.lowerBound,
                                  width: x.count, height: y.count, depth: z.count)
        } else {
            sourceRegion = nil
        }
    }

    /// The same window over the same grid with another padding (a mask beside its image).
    public func with(padding: Padding) -> PatchSourceMap {
        PatchSourceMap(window: window, gridSize: gridSize, padding: padding)
    }

    /// Whether the window reaches outside the grid, so some voxels are padding.
    public var overhangs: Bool { !Window(size: gridSize).contains(window) }

    /// The patch: each voxel copied from `source`, the voxels of `region` (channel-first), or set
    /// to `fill` where the map has no source.
    ///
    /// - Precondition: `source` has `region`'s size, and `region` holds ``sourceRegion``.
    /// - Complexity: O(voxels of the patch); rows whose columns are consecutive in the source
    ///   are copied as one block.
    public func patch(from source: RasterBuffer, region: Window, fill: Double) -> RasterBuffer {
        precondition(source.size == region.size, "the source buffer must hold exactly the region's voxels")
        if let needed = sourceRegion {
            precondition(region.contains(needed), "the region \(region) lacks voxels of \(needed)")
        }
        let bytes = source.pixelType.byteSize
        var fillSample = RasterBuffer(pixelType: source.pixelType, bandCount: 1, size: RasterSize(width: 1, height: 1))
        fillSample.fill(with: fill)
        let runs = Self.runs(of: columns.map { $0.map { $0 - region.x } })
        var output = RasterBuffer(pixelType: source.pixelType, bandCount: source.bandCount, size: window.size)
        let (width, height, depth) = (window.width, window.height, window.depth)
        output.bytes.withUnsafeMutableBytes { out in
            source.bytes.withUnsafeBytes { input in
                fillSample.bytes.withUnsafeBytes { fillBytes in
                    let fillPointer = fillBytes.baseAddress!
                    func fillVoxels(at destination: UnsafeMutableRawPointer, count: Int) {
                        for i in 0 ..< count { (destination + i * bytes).copyMemory(from: fillPointer, byteCount: bytes) }
                    }
                    for band in 0 ..< source.bandCount {
                        for z in 0 ..< depth {
                            for y in 0 ..< height {
                                let row = out.baseAddress! + (((band * depth + z) * height + y) * width) * bytes
                                guard let sz = slices[z], let sy = rows[y] else {
                                    fillVoxels(at: row, count: width)
                                    continue
                                }
                                let sourceRow = input.baseAddress!
                                    + (((band * region.depth + sz - region.z) * region.height + sy - region.y) * region.width) * bytes
                                for run in runs {
                                    let destination = row + run.start * bytes
                                    if let first = run.sourceStart {
                                        destination.copyMemory(from: sourceRow + first * bytes, byteCount: run.count * bytes)
                                    } else {
                                        fillVoxels(at: destination, count: run.count)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// A stretch of patch columns copied in one go: consecutive source columns from
    /// `sourceStart`, or the pad value when it is nil. Edge and reflect padding give runs of one
    /// column where the source repeats or runs backwards.
    struct ColumnRun: Equatable {
        var start: Int
        var count: Int
        var sourceStart: Int?
    }

    /// Splits a column map into runs; a map without padding is a single run.
    static func runs(of map: [Int?]) -> [ColumnRun] {
        var runs: [ColumnRun] = []
        var x = 0
        while x < map.count {
            var end = x + 1
            if let first = map[x] {
                while end < map.count, map[end] == first + (end - x) { end += 1 }
            } else {
                while end < map.count, map[end] == nil { end += 1 }
            }
            runs.append(ColumnRun(start: x, count: end - x, sourceStart: map[x]))
            x = end
        }
        return runs
    }
}
