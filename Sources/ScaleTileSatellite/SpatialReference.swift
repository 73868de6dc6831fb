internal import CGDAL
import ScaleTileCore

/// A coordinate reference system, kept as WKT2 with its EPSG code when GDAL can identify one.
///
/// A value type: the OGR handle is only used while building it, so it crosses threads freely.
public struct SpatialReference: Hashable, Sendable, Codable {
    /// WKT2 (2019) text.
    public var wkt: String
    /// The EPSG code, when the CRS has one or GDAL can identify it.
    public var epsg: Int?

    /// Builds from a user string GDAL understands (`EPSG:32633`, WKT, PROJ).
    public init(userInput: String) throws {
        GDALRuntime.ensureConfigured()
        guard let srs = OSRNewSpatialReference(nil) else {
            throw ScaleTileError(.invalidArgument, userInput, "cannot create a spatial reference")
        }
        defer { OSRDestroySpatialReference(srs) }
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        let err = OSRSetFromUserInput(srs, userInput)
        st_gdal_pop_errors()
        guard err == OGRERR_NONE else {
            throw ScaleTileError(.invalidArgument, userInput, "is not a coordinate reference system GDAL knows")
        }
        self.init(borrowing: srs)
    }

    /// Copies what it needs out of an OSR handle that someone else owns.
    init(borrowing srs: UnsafeMutableRawPointer) {
        var text: UnsafeMutablePointer<CChar>? = nil
        let options = CStringList(["FORMAT=WKT2_2019"])
        if OSRExportToWktEx(srs, &text, options.constPointer) == OGRERR_NONE, let text {
            wkt = String(cString: text)
        } else {
            wkt = ""
        }
        VSIFree(text)
        _ = options
        epsg = SpatialReference.identifyEPSG(srs)
    }

    private static func identifyEPSG(_ srs: UnsafeMutableRawPointer) -> Int? {
        // Prefer the code the CRS itself carries; otherwise let GDAL identify it.
        let target: String? = OSRIsProjected(srs) != 0 ? "PROJCS" : (OSRIsGeographic(srs) != 0 ? "GEOGCS" : nil)
        if let name = OSRGetAuthorityName(srs, target), String(cString: name) == "EPSG",
           let code = OSRGetAuthorityCode(srs, target) {
            return Int(String(cString: code))
        }
        guard let clone = OSRClone(srs) else { return nil }
        defer { OSRDestroySpatialReference(clone) }
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        defer { st_gdal_pop_errors() }
        if OSRAutoIdentifyEPSG(clone) == OGRERR_NONE,
           let name = OSRGetAuthorityName(clone, nil), String(cString: name) == "EPSG",
           let code = OSRGetAuthorityCode(clone, nil) {
            return Int(String(cString: code))
        }
        return nil
    }

    /// `EPSG:n` when the code is known, else the WKT: the short form written to manifests.
    public var shortName: String { epsg.map { "EPSG:\($0)" } ?? wkt }

    /// A new OSR handle for this CRS with traditional GIS axis order; the caller destroys it.
    func makeHandle() -> UnsafeMutableRawPointer? {
        guard let srs = OSRNewSpatialReference(nil) else { return nil }
        var messages = st_gdal_errors()
        st_gdal_push_errors(&messages)
        let err = OSRSetFromUserInput(srs, wkt)
        st_gdal_pop_errors()
        guard err == OGRERR_NONE else { OSRDestroySpatialReference(srs); return nil }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        return srs
    }
}
