internal import CGDAL

extension GDALRuntime {
    /// Whether this GDAL has the raster driver `name` (`JP2OpenJPEG`, `GTiff`, …), so inputs can
    /// be refused up front, naming what is missing, rather than failing to open.
    public static func hasDriver(_ name: String) -> Bool {
        ensureConfigured()
        return GDALGetDriverByName(name) != nil
    }
}
