import Foundation
internal import CGDAL
import ScaleTileCore

/// Writes footprints as one vector layer in the scene's CRS — GeoJSON (`.geojson`, `.json`) or
/// GeoPackage (`.gpkg`) — through OGR, atomically and byte-for-byte reproducibly.
///
/// Each feature carries `id`, `class`, `areaFraction` (1 for a whole object, less for one
/// clipped at a tile's edge) and, for tile exports, the `tile` it was clipped to, in the order given. GeoJSON keeps the CRS (`RFC7946=NO`, so not
/// reprojected to WGS 84); GeoPackage's `last_change` timestamp is fixed (`OGR_CURRENT_DATE`),
/// so the same footprints give the same bytes.
public enum VectorLayerWriter {
    /// The `last_change` a GeoPackage records: fixed, since a clock reading would make each run's file differ.
    static let fixedTimestamp = "2000-01-01T00:00:00.000Z"

    /// Writes `footprints` to `path` as a layer named `layerName`.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidArgument` for an extension other than `.geojson`,
    ///   `.json` or `.gpkg`; `.io` when OGR cannot write.
    public static func write(_ footprints: [MapFootprint], spatialReference: SpatialReference?, to path: String,
                             layerName: String = "objects") throws {
        let driverName: String
        switch (path as NSString).pathExtension.lowercased() {
        case "geojson", "json": driverName = "GeoJSON"
        case "gpkg": driverName = "GPKG"
        default:
            throw ScaleTileError(.invalidArgument, path, "vector labels are written as .geojson or .gpkg")
        }
        try AtomicFile.produce(path) { temporary in
            try withTimestampFixed {
                try withGDALErrors(path) {
                    try write(footprints, spatialReference: spatialReference, driverName: driverName,
                              to: temporary, reportedAs: path, layerName: layerName)
                }
            }
        }
    }

    private static func write(_ footprints: [MapFootprint], spatialReference: SpatialReference?, driverName: String,
                              to temporary: String, reportedAs path: String, layerName: String) throws {
        guard let driver = GDALGetDriverByName(driverName) else {
            throw ScaleTileError(.unsupported, path, "this GDAL has no \(driverName) driver")
        }
        guard let dataset = GDALCreate(driver, temporary, 0, 0, 0, GDT_Unknown, nil) else {
            throw ScaleTileError(.io, path, "cannot create the file")
        }
        defer { GDALClose(dataset) }
        let srs = spatialReference?.makeHandle()
        defer { if let srs { OSRDestroySpatialReference(srs) } }
        let layerOptions = CStringList(driverName == "GeoJSON" ? ["RFC7946=NO", "WRITE_NAME=NO"] : [])
        guard let layer = GDALDatasetCreateLayer(dataset, layerName, srs, wkbUnknown, layerOptions.pointer) else {
            throw ScaleTileError(.io, path, "cannot create the layer \(layerName)")
        }
        let tiled = footprints.contains { $0.tile != nil }
        for (name, type) in [("id", OFTString), ("class", OFTString), ("areaFraction", OFTReal)] + (tiled ? [("tile", OFTString)] : []) {
            let field = OGR_Fld_Create(name, type)
            defer { OGR_Fld_Destroy(field) }
            guard OGR_L_CreateField(layer, field, 1) == OGRERR_NONE else {
                throw ScaleTileError(.io, path, "cannot create the field \(name)")
            }
        }
        let definition = OGR_L_GetLayerDefn(layer)
        // One transaction: a GeoPackage otherwise commits (and syncs) once per feature.
        _ = OGR_L_StartTransaction(layer)
        for footprint in footprints {
            let feature = OGR_F_Create(definition)
            defer { OGR_F_Destroy(feature) }
            OGR_F_SetFieldString(feature, 0, footprint.id)
            OGR_F_SetFieldString(feature, 1, footprint.className)
            OGR_F_SetFieldDouble(feature, 2, footprint.areaFraction)
            if tiled, let tile = footprint.tile { OGR_F_SetFieldString(feature, 3, tile) }
            var geometry: OGRGeometryH?
            let decoded = footprint.wellKnownBinary.withUnsafeBytes {
                OGR_G_CreateFromWkb($0.baseAddress, nil, &geometry, Int32($0.count))
            }
            guard decoded == OGRERR_NONE, let geometry else {
                throw ScaleTileError(.invalidArgument, path, "the footprint of \(footprint.id) is not valid well-known binary")
            }
            OGR_F_SetGeometryDirectly(feature, geometry)
            guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
                throw ScaleTileError(.io, path, "cannot write the footprint of \(footprint.id)")
            }
        }
        guard OGR_L_CommitTransaction(layer) == OGRERR_NONE else {
            throw ScaleTileError(.io, path, "cannot commit the features")
        }
    }

    /// Runs `body` with this thread's `OGR_CURRENT_DATE` set to ``fixedTimestamp``, then restores it.
    private static func withTimestampFixed<T>(_ body: () throws -> T) rethrows -> T {
        let previous = CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", nil).map { String(cString: $0) }
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", fixedTimestamp)
        defer { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", previous) }
        return try body()
    }
}
