import Foundation

/// The team's sample data in `../shared/data` next to the package (see its SOURCES.md).
///
/// Tests read the files where they are and never copy them into the repository; suites that
/// need them are enabled only when the folder is there.
enum SharedData {
    /// `<package>/../shared/data`, found from this file's own path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, ScaleTileMedicalTests, Tests, package
        return url.deletingLastPathComponent().appendingPathComponent("shared/data").standardizedFileURL.path
    }()

    /// Whether the medical sample files are present.
    static var hasMedicalTIFFs: Bool {
        FileManager.default.fileExists(atPath: path("medical/tiff/mini-t1-head.tif"))
    }

    /// Whether any sample data is present.
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root) }

    /// The absolute path of `relative` under the data folder.
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// Every file under the data folder whose name ends in `.tif` or `.tiff` (any case), relative, sorted.
    static func allTIFFs() -> [String] {
        let walker = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let item = walker?.nextObject() as? String {
            let lower = item.lowercased()
            if lower.hasSuffix(".tif") || lower.hasSuffix(".tiff") { found.append(item) }
        }
        return found.sorted()
    }
}
