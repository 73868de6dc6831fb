import Foundation
internal import CGDAL
import ScaleTileCore

/// `index.geojson`: the footprint of every tile in the scene's CRS, written through OGR
/// so QGIS and GDAL read it back as they would any GeoJSON layer.
public enum FootprintIndex {
    /// One tile's footprint and the attributes the layer carries.
    public struct Footprint: Sendable {
        public var id: String
        public var path: String
        public var level: Int
        public var bounds: Bounds
        public var nodataFraction: Double?

        public init(id: String, path: String, level: Int, bounds: Bounds, nodataFraction: Double?) {
            self.id = id; self.path = path; self.level = level; self.bounds = bounds; self.nodataFraction = nodataFraction
        }
    }

    /// Writes the footprints (in order) to `path` atomically.
    public static func write(_ footprints: [Footprint], spatialReference: SpatialReference?, to path: String) throws {
        try AtomicFile.produce(path) { temporary in
            try withGDALErrors(path) {
                guard let driver = GDALGetDriverByName("GeoJSON") else {
                    throw ScaleTileError(.unsupported, path, "this GDAL has no GeoJSON driver")
                }
                guard let ds = GDALCreate(driver, temporary, 0, 0, 0, GDT_Unknown, nil) else {
                    throw ScaleTileError(.io, path, "cannot create the footprint index")
                }
                defer { GDALClose(ds) }
                let srs = spatialReference?.makeHandle()
                defer { if let srs { OSRDestroySpatialReference(srs) } }
                let options = CStringList(["RFC7946=NO", "WRITE_NAME=NO"])
                guard let layer = GDALDatasetCreateLayer(ds, "tiles", srs, wkbPolygon, options.pointer) else {
                    throw ScaleTileError(.io, path, "cannot create the footprint layer")
                }
                for (name, type) in [("id", OFTString), ("path", OFTString), ("level", OFTInteger), ("nodataFraction", OFTReal)] {
                    let field = OGR_Fld_Create(name, type)
                    OGR_L_CreateField(layer, field, 1)
                    OGR_Fld_Destroy(field)
                }
                let definition = OGR_L_GetLayerDefn(layer)
                for f in footprints {
                    let feature = OGR_F_Create(definition)
                    defer { OGR_F_Destroy(feature) }
                    OGR_F_SetFieldString(feature, 0, f.id)
                    OGR_F_SetFieldString(feature, 1, f.path)
                    OGR_F_SetFieldInteger(feature, 2, Int32(f.level))
                    if let fraction = f.nodataFraction { OGR_F_SetFieldDouble(feature, 3, fraction) }
                    let ring = OGR_G_CreateGeometry(wkbLinearRing)
                    let b = f.bounds
                    for (x, y) in [(b.minX, b.maxY), (b.maxX, b.maxY), (b.maxX, b.minY), (b.minX, b.minY), (b.minX, b.maxY)] {
                        OGR_G_AddPoint_2D(ring, x, y)
                    }
                    let polygon = OGR_G_CreateGeometry(wkbPolygon)
                    OGR_G_AddGeometryDirectly(polygon, ring)
                    OGR_F_SetGeometryDirectly(feature, polygon)
                    guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
                        throw ScaleTileError(.io, path, "cannot write the footprint of \(f.id)")
                    }
                }
            }
        }
    }
}
