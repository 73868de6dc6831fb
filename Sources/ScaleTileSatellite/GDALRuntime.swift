internal import CGDAL
import ScaleTileCore

/// Process-wide GDAL set-up, done once before the first GDAL call.
///
/// - registers the drivers;
/// - routes messages no call captures into ``LibraryMessages`` (counted, summarised once);
/// - turns PAM off, so GDAL never writes `.aux.xml` files next to an input (DESIGN.md §6);
/// - sizes the block cache to ``blockCacheBytes`` instead of GDAL's 5% of RAM, which on a
///   24 GB machine is more than a whole decoded Sentinel-2 tile and made peers hold it all.
public enum GDALRuntime {
    /// The block cache ScaleTile gives GDAL unless told otherwise (bytes). Jobs size it to
    /// their traversal (see `ScenePanelOrder`); this is the ceiling for interactive calls.
    public static let defaultBlockCacheBytes = 64 << 20

    private static let configured: Void = {
        MemoryReturn.configure()
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO")
        // A GeoTIFF's internal mask and overviews are found without listing sibling files.
        CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR")
        if CPLGetConfigOption("GDAL_CACHEMAX", nil) == nil {
            GDALSetCacheMax64(GIntBig(defaultBlockCacheBytes))
        }
        GDALAllRegister()
        // Messages raised outside a capturing call (``withGDALErrors``) are counted, not
        // printed: a broken tag would otherwise repeat once per strip on standard error.
        CPLSetErrorHandler { errorClass, _, message in
            guard let message, errorClass != CE_None, errorClass != CE_Debug else { return }
            LibraryMessages.record(library: "GDAL", isError: errorClass.rawValue >= CE_Failure.rawValue,
                                   text: String(cString: message))
        }
    }()

    /// Makes sure GDAL is set up; cheap after the first call.
    public static func ensureConfigured() { _ = configured }

    /// The GDAL version string (`3.6.2`).
    public static var version: String {
        ensureConfigured()
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }

    /// The block cache size in bytes.
    public static var blockCacheBytes: Int {
        get { ensureConfigured(); return Int(GDALGetCacheMax64()) }
        set { ensureConfigured(); GDALSetCacheMax64(GIntBig(newValue)) }
    }

    /// Bytes the block cache holds right now.
    public static var blockCacheUsedBytes: Int { Int(GDALGetCacheUsed64()) }
}
