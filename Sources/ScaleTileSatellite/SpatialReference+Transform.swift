internal import CGDAL
import ScaleTileCore

extension SpatialReference {
    /// WGS 84 longitude/latitude (EPSG:4326): what `--to-wgs84` writes.
    public static var wgs84: SpatialReference {
        get throws { try SpatialReference(userInput: "EPSG:4326") }
    }

    /// `points` (x, y in this CRS) in `target`, in traditional GIS order (longitude before
    /// latitude for geographic CRSs), through one OGR coordinate transformation.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` when PROJ cannot transform between the two
    ///   or a point has no image in `target`.
    public func transform(_ points: [PixelPoint], to target: SpatialReference) throws -> [PixelPoint] {
        guard !points.isEmpty else { return [] }
        guard let source = makeHandle(), let destination = target.makeHandle() else {
            throw ScaleTileError(.invalidInput, nil, "cannot read the CRS \(shortName) or \(target.shortName)")
        }
        defer { OSRDestroySpatialReference(source); OSRDestroySpatialReference(destination) }
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        defer { st_gdal_pop_errors() }
        guard let transformation = OCTNewCoordinateTransformation(source, destination) else {
            throw ScaleTileError(.invalidInput, nil, "no transformation from \(shortName) to \(target.shortName)")
        }
        defer { OCTDestroyCoordinateTransformation(transformation) }
        var xs = points.map(\.x), ys = points.map(\.y)
        var ok = [Int32](repeating: 0, count: points.count)
        let done = OCTTransformEx(transformation, Int32(points.count), &xs, &ys, nil, &ok)
        guard done != 0, !ok.contains(0) else {
            throw ScaleTileError(.invalidInput, nil, "some points have no position in \(target.shortName)")
        }
        return zip(xs, ys).map { PixelPoint(x: $0, y: $1) }
    }
}
