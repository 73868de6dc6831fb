import Foundation

/// The real satellite and medical files beside the repository, in `../shared/data`.
///
/// Tests read them in place (they are never copied into the repository) and are skipped,
/// with this reason, on machines where the folder is absent.
public enum SharedData {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// `../shared/data`, absolute.
    public static let folder = URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
        .appendingPathComponent("shared/data").standardizedFileURL.path

    /// Whether the shared data folder exists here.
    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: folder + "/SOURCES.md") }

    /// Why data-dependent tests are skipped.
    public static let skipReason = "../shared/data is absent on this machine: the real-data tests need it"

    /// The absolute path of a file in the shared data folder.
    public static func path(_ relative: String) -> String { folder + "/" + relative }

    /// Every satellite raster in the shared data folder.
    public static var satelliteRasters: [String] {
        [
            "satellite/landsat/RGB.byte.tif",
            "satellite/aerial/cogeo.tif",
            "satellite/landsat/LC08_L1TP_224077_20200518_20200518_01_RT_B2_60m.TIF",
            "satellite/landsat/LE07_L2SP_225078_20110306_02_T1_B1.tif",
            "satellite/labeled/spacenet4_atlanta/sample_geotiff.tif",
            "satellite/labeled/neon_osbs_trees/OSBS_029.tif",
            "satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif",
            "satellite/derived/RGB.byte_bigtiff_tiled_ovr.tif",
            "satellite/derived/LC08_L1TP_224077_20200518_B2_60m_float32_nan.tif",
        ]
    }
}
