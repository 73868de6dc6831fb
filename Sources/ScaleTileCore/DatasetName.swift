/// Input names that are GDAL dataset names rather than local file paths: virtual file systems
/// (`/vsicurl/…`, `/vsizip/…`), URLs (`s3://…`), and driver-prefixed subdataset names
/// (`NETCDF:"scene.nc":band`, `HDF5:…`, `SENTINEL2_L2A:…`, `GTIFF_DIR:2:scene.tif`).
///
/// Such names are handed to GDAL as they are: they are not checked on disk, resolved against a
/// folder, expanded as globs, or read as TIFF stacks.
public enum DatasetName {
    /// Whether `name` is for GDAL to resolve, not a local path.
    public static func isVirtual(_ name: String) -> Bool {
        if name.hasPrefix("/vsi") || name.contains("://") { return true }
        // A driver prefix: an upper-case word of two or more characters, then a colon.
        guard let colon = name.firstIndex(of: ":") else { return false }
        let prefix = name[..<colon]
        return prefix.count >= 2 && prefix.first!.isUppercase
            && prefix.allSatisfy { ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "_" }
    }
}
