/// Tile start positions along one axis of a grid.
///
/// With tile size `T` and overlap `O`, the stride is `S = T − O`. Starts are `0, S, 2S, …`;
/// the edge policy decides the last one. An axis shorter than one tile always gets one
/// tile at 0 that overhangs (is padded), whatever the policy, so a small raster is never lost.
public struct AxisTiling: Hashable, Sendable {
    /// Length of the axis in pixels.
    public let length: Int
    /// Tile size along the axis.
    public let tileSize: Int
    /// Pixels shared by neighbouring tiles.
    public let overlap: Int
    /// Edge policy.
    public let edge: EdgePolicy

    /// Creates the tiling; throws when the sizes cannot make a grid.
    public init(length: Int, tileSize: Int, overlap: Int, edge: EdgePolicy) throws {
        guard length > 0 else { throw ScaleTileError(.invalidInput, nil, "the raster has no pixels along an axis (length \(length))") }
        guard tileSize > 0 else { throw ScaleTileError.argument("--tile-size", "must be positive, got \(tileSize)") }
        guard overlap >= 0 else { throw ScaleTileError.argument("--overlap", "must not be negative, got \(overlap)") }
        guard overlap < tileSize else {
            throw ScaleTileError.argument("--overlap", "\(overlap) must be smaller than the tile size \(tileSize)")
        }
        self.length = length
        self.tileSize = tileSize
        self.overlap = overlap
        self.edge = edge
    }

    /// Distance between consecutive tile starts.
    public var stride: Int { tileSize - overlap }

    /// The tile starts, in increasing order.
    ///
    /// - Complexity: O(number of tiles).
    public var starts: [Int] {
        guard length > tileSize else { return [0] }
        // Tiles at k·S cover the axis once (k−1)·S + T ≥ L.
        let covering = (length - tileSize).divided(roundingUpBy: stride) + 1
        switch edge {
        case .pad:
            return (0..<covering).map { $0 * stride }
        case .shift:
            var starts = (0..<(covering - 1)).map { $0 * stride }
            starts.append(length - tileSize)
            return starts
        case .drop:
            let full = (length - tileSize) / stride + 1
            return (0..<full).map { $0 * stride }
        }
    }

    /// The extent of the tile starting at `start`, clipped to the axis.
    public func validLength(at start: Int) -> Int {
        Swift.max(0, Swift.min(tileSize, length - start))
    }
}

extension Int {
    /// `self / divisor` rounded toward +∞, for a positive divisor.
    @inlinable
    public func divided(roundingUpBy divisor: Int) -> Int {
        precondition(divisor > 0, "divisor must be positive")
        return self >= 0 ? (self + divisor - 1) / divisor : -((-self) / divisor)
    }

    /// `self / divisor` rounded toward −∞, for a positive divisor.
    @inlinable
    public func divided(roundingDownBy divisor: Int) -> Int {
        precondition(divisor > 0, "divisor must be positive")
        return self >= 0 ? self / divisor : -((-self + divisor - 1) / divisor)
    }
}
