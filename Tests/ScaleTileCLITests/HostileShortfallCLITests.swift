import Foundation
import Testing
import TestSupport

/// Shortfalls are said once, with the figures and what to do: negatives the scene or tissue
/// could not hold, patches that are mostly padding. Figures checked against the run's own
/// `summary.json` and manifest.
@Suite("Hostile: shortfall warnings", .serialized)
struct HostileShortfallCLITests {
    static let root = HostileInputCLITests.packageRoot + "/SampleData/"

    @Test func fewerNegativesThanAskedOnAScene() throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", Self.root + "satellite/landsat_scene.tif", "--labels", Self.root + "satellite/landsat_objects.geojson",
            "--out", t.file("out"), "--strategy", "object-balanced", "--count", "20", "--negatives", "400", "--patch", "256x256", "--quiet"])
        try #require(result.status == 0, "\(result.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.file("out/summary.json")))) as? [String: Any])
        let sampling = try #require(summary["sampling"] as? [String: Any])
        let placed = try #require(sampling["negativesPlaced"] as? Int)
        #expect(placed < 400)
        let warnings = result.standardError.split(separator: "\n").filter { $0.contains("negatives placed") }
        #expect(warnings == ["warning: \(Self.root)satellite/landsat_scene.tif: \(placed) of 400 negatives placed: only so many 256-pixel windows lie on valid pixels clear of every object; ask for fewer (--negatives), use a smaller window, or raise --max-nodata"],
                "\(result.standardError)")
    }

    // ct_chest is 352x272x24: a 64-deep patch holds the 24 slices and 40 of padding, so every
    // patch is 62.5 % padding (plus the X/Y overhang of the edge patches).
    @Test func patchesMostlyPadding() throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.root + "medical/ct_chest.tif", "--out", t.file("out"), "--patch", "64x64x64", "--quiet"])
        try #require(result.status == 0, "\(result.standardError)")
        let patches = try String(contentsOfFile: t.file("out/manifest.jsonl"), encoding: .utf8).split(separator: "\n").count
        let warnings = result.standardError.split(separator: "\n").filter { $0.contains("mostly padding") }
        #expect(warnings.count == 1, "\(result.standardError)")
        #expect(warnings.first?.hasPrefix("warning: \(Self.root)medical/ct_chest.tif: \(patches) of \(patches) patches are mostly padding") == true, "\(warnings)")
        #expect(warnings.first?.contains("a 64x64x64 patch on a 352x272x24 stack; use a smaller --patch") == true)
        // A patch that fits gives no such warning.
        let fits = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.root + "medical/ct_chest.tif", "--out", t.file("fits"), "--patch", "64x64x8", "--quiet"])
        #expect(fits.status == 0 && !fits.standardError.contains("padding"), "\(fits.standardError)")
    }

    // A user's first sample of a scene: --tile-size is the window edge as in tile, uniform
    // windows say they were drawn at random, grid takes --count, and objects no window holds
    // whole are counted in one warning, the count the run's own audit gives.
    @Test func aFirstSampleOfASceneSaysWhatItDid() throws {
        let t = TemporaryFolder()
        let scene = Self.root + "satellite/landsat_scene.tif", labels = Self.root + "satellite/landsat_objects.geojson"
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", scene, "--labels", labels, "--out", t.file("out"), "--strategy", "uniform", "--count", "4", "--tile-size", "256"])
        try #require(result.status == 0, "\(result.standardError)")
        let lines = try String(contentsOfFile: t.file("out/manifest.jsonl"), encoding: .utf8).split(separator: "\n")
        let entries = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(entries.count == 4 && entries.allSatisfy { $0["reason"] as? String == "random" })
        #expect(entries.allSatisfy { ($0["window"] as? [String: Any])?["width"] as? Int == 256 })
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.file("out/summary.json")))) as? [String: Any])
        let targets = try #require((summary["audit"] as? [String: Any])?["targets"] as? [[String: Any]])
        let never = targets.count { $0["containmentCount"] as? Int == 0 }
        try #require(never > 0, "4 windows of 256 px cannot hold every object of the scene")
        let warnings = result.standardError.split(separator: "\n").filter { $0.contains("whole in no window") }
        #expect(warnings.count == 1 && warnings[0].hasPrefix("warning: \(never) objects are whole in no window"), "\(result.standardError)")
        let grid = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", scene, "--out", t.file("grid"), "--strategy", "grid", "--count", "3", "--tile-size", "128", "--quiet"])
        try #require(grid.status == 0, "\(grid.standardError)")
        #expect(try String(contentsOfFile: t.file("grid/manifest.jsonl"), encoding: .utf8).split(separator: "\n").count == 3)
        let both = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", scene, "--out", t.file("both"), "--strategy", "uniform", "--count", "3", "--tile-size", "128", "--patch", "128x128"])
        #expect(both.status == 64 && both.standardError.contains("--tile-size: gives the window size as --patch does"), "\(both.standardError)")
        #expect(!FileManager.default.fileExists(atPath: t.file("both")))
    }
}
