/// What the grid does where the last tile would run past the raster's edge.
public enum EdgePolicy: String, Sendable, Codable, CaseIterable {
    /// Move the last tile inward so it ends at the edge: every tile is full-size, the raster is covered,
    /// and the last tile overlaps its neighbour by more than the overlap.
    case shift
    /// Keep the regular stride and let the last tile overhang; the overhang is filled with nodata (or 0).
    case pad
    /// Keep only tiles that lie wholly inside; a strip narrower than one stride at the edge is not covered.
    case drop
}
