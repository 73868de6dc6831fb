import ScaleTileCore

/// What `scaletile info` reports for a scene (any GDAL raster), with the JSON keys of DESIGN.md §2.
public struct SceneInfo: Hashable, Sendable, Codable {
    /// `scene` (stacks report `stack`).
    public var kind: String = "scene"
    /// The path as given.
    public var path: String
    /// GDAL's short driver name.
    public var driver: String
    public var width: Int
    public var height: Int
    public var bandCount: Int
    public var bands: [Band]
    /// GDAL's six geotransform coefficients, or nil without georeferencing.
    public var geoTransform: [Double]?
    public var crs: CRS?
    /// `[minX, minY, maxX, maxY]` in the CRS (pixel space without a geotransform).
    public var bounds: Bounds?
    /// `[x, y]`: pixel width and height in CRS units (height negative for north-up).
    public var pixelSize: [Double]?
    /// GDAL's IMAGE_STRUCTURE compression, when known.
    public var compression: String?
    /// `PIXEL` or `BAND`, when known.
    public var interleave: String?

    public struct Band: Hashable, Sendable, Codable {
        /// 1-based band number.
        public var band: Int
        public var dataType: String
        /// nodata value; NaN is written as the string "NaN".
        public var nodata: Double?
        public var colorInterpretation: String
        /// `[width, height]` of a block.
        public var blockSize: [Int]
        /// `[width, height]` of each overview, largest first.
        public var overviews: [[Int]]
        /// GDAL's mask flags (`ALL_VALID`, `PER_DATASET`, `ALPHA`, `NODATA`).
        public var maskFlags: [String]
    }

    public struct CRS: Hashable, Sendable, Codable {
        public var wkt: String
        public var epsg: Int?
    }
}

extension Dataset {
    /// The dataset's description for `scaletile info`.
    public var info: SceneInfo {
        let gt = geoTransform
        let srs = spatialReference
        let s = size
        return SceneInfo(
            path: path, driver: driverName, width: s.width, height: s.height, bandCount: bandCount,
            bands: bands.map { b in
                SceneInfo.Band(band: b.number, dataType: b.pixelType?.rawValue ?? b.dataTypeName, nodata: b.nodata,
                               colorInterpretation: b.colorInterpretation, blockSize: [b.blockSize.width, b.blockSize.height],
                               overviews: b.overviewSizes.map { [$0.width, $0.height] }, maskFlags: b.maskFlags.names)
            },
            geoTransform: gt?.coefficients,
            crs: srs.map { SceneInfo.CRS(wkt: $0.wkt, epsg: $0.epsg) },
            bounds: (gt ?? .identity).bounds(width: s.width, height: s.height),
            pixelSize: gt.map { [$0.pixelWidth, $0.pixelHeight] },
            compression: metadataItem("COMPRESSION", domain: "IMAGE_STRUCTURE"),
            interleave: metadataItem("INTERLEAVE", domain: "IMAGE_STRUCTURE"))
    }
}
