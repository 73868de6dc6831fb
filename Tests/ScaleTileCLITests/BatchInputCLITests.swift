import Foundation
import Testing
import TestSupport

/// A folder, a quoted glob or several sources as the input of `tile`, `sample`, `info` and
/// `analyze`: each input written (or described) in turn, as `scaletile run` does it.
@Suite("Several inputs on the command line", .serialized)
struct BatchInputCLITests {
    static let satellite = SharedData.packageRoot + "/SampleData/satellite"

    static func scaletile(_ arguments: [String], in folder: TemporaryFolder) throws -> ExternalCommand.Result {
        try ExternalCommand.run(ExternalCommand.scaletile, arguments, currentDirectory: folder.path)
    }

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    // The folder holds four scenes beside their label files: the scenes are tiled, each into
    // scenes/<stem>/ byte for byte as tile writes it alone, the label files left out; the
    // joined manifest is the four manifests; the quoted glob gives the same folder.
    @Test func aFolderOrAGlobIsTiledSceneByScene() throws {
        let t = TemporaryFolder()
        let folder = try Self.scaletile(["tile", Self.satellite, "--out", "folder", "--tile-size", "256", "--overlap", "0"], in: t)
        try #require(folder.status == 0, "\(folder.standardError)")
        let scenes = try FileManager.default.contentsOfDirectory(atPath: Self.satellite).filter { $0.hasSuffix(".tif") }.sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.file("folder/scenes")).sorted() == scenes.map { String($0.dropLast(4)) })
        var total = 0
        for scene in scenes {
            let stem = String(scene.dropLast(4))
            let alone = try Self.scaletile(["tile", Self.satellite + "/" + scene, "--out", "alone-" + stem, "--tile-size", "256", "--overlap", "0", "--quiet"], in: t)
            try #require(alone.status == 0, "\(alone.standardError)")
            #expect(TemporaryFolder.files(in: t.file("alone-" + stem)) == TemporaryFolder.files(in: t.file("folder/scenes/" + stem)), "\(stem)")
            total += try Self.lines(t.file("alone-\(stem)/manifest.jsonl")).count
        }
        #expect(try Self.lines(t.file("folder/manifest.jsonl")).count == total)
        #expect(folder.standardError.contains("wrote \(total) tiles for \(scenes.count) inputs"), "\(folder.standardError)")
        let glob = try Self.scaletile(["tile", Self.satellite + "/*.tif", "--out", "glob", "--tile-size", "256", "--overlap", "0", "--quiet"], in: t)
        try #require(glob.status == 0, "\(glob.standardError)")
        #expect(TemporaryFolder.files(in: t.file("glob")) == TemporaryFolder.files(in: t.file("folder")))
    }

    // info and analyze describe each input in turn; --json is an array in input order.
    @Test func infoAndAnalyzeDescribeEachInput() throws {
        let t = TemporaryFolder()
        let info = try Self.scaletile(["info", Self.satellite, "--json"], in: t)
        try #require(info.status == 0, "\(info.standardError)")
        let described = try #require(try JSONSerialization.jsonObject(with: Data(info.standardOutput.utf8)) as? [[String: Any]])
        let scenes = try FileManager.default.contentsOfDirectory(atPath: Self.satellite).filter { $0.hasSuffix(".tif") }.sorted()
        #expect(described.count == scenes.count)
        for (description, scene) in zip(described, scenes) {
            let alone = try Self.scaletile(["info", Self.satellite + "/" + scene, "--json"], in: t)
            let single = try #require(try JSONSerialization.jsonObject(with: Data(alone.standardOutput.utf8)) as? [String: Any])
            #expect(NSDictionary(dictionary: description).isEqual(to: single), "\(scene)")
        }
        let medical = SharedData.packageRoot + "/SampleData/medical/"
        let analyze = try Self.scaletile(["analyze", medical + "ct_nodules_mask.tif", medical + "nuclei_mask.tif", "--json"], in: t)
        try #require(analyze.status == 0, "\(analyze.standardError)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(analyze.standardOutput.utf8)) as? [[String: Any]])
        #expect(reports.map { ($0["source"] as? String).map { ($0 as NSString).lastPathComponent } } == ["ct_nodules_mask.tif", "nuclei_mask.tif"])
        let text = try Self.scaletile(["analyze", medical + "ct_nodules_mask.tif", medical + "nuclei_mask.tif"], in: t)
        #expect(text.standardOutput.components(separatedBy: "== ").count == 3, "\(text.standardOutput)")
    }

    // Sources of two kinds are refused before anything is written, naming both.
    @Test func sourcesOfTwoKindsAreRefused() throws {
        let t = TemporaryFolder()
        let mixed = try Self.scaletile(["tile", Self.satellite + "/buildings.tif", SharedData.packageRoot + "/SampleData/medical/ct_chest.tif",
                                        "--out", "mixed", "--patch", "64x64x8"], in: t)
        #expect(mixed.status == 64, "\(mixed.standardError)")
        #expect(mixed.standardError.hasPrefix("error: ") && mixed.standardError.contains("ct_chest.tif") && mixed.standardError.contains("buildings.tif"))
        #expect(!FileManager.default.fileExists(atPath: t.file("mixed")))
        let empty = try Self.scaletile(["tile", t.path, "--out", "none"], in: t)
        #expect(empty.status == 66 && empty.standardError.contains("is a folder with no file ending in"), "\(empty.standardError)")
    }

    // Several stacks and volumes split by whole inputs from the command line, as a preset
    // run does: every manifest line is in its source's split, both splits have a source; one
    // source cannot be split that way and says so.
    @Test func severalStacksSplitByWholeInputs() throws {
        let t = TemporaryFolder()
        let medical = SharedData.packageRoot + "/SampleData/medical/"
        let sources = ["ct_chest.tif", "mri_brain.ome.tif", "brain_mets_t1c.nii.gz"].map { medical + $0 }
        let run = try Self.scaletile(["tile"] + sources + ["--patch", "64x64x1", "--out", "split", "--split", "train=0.67,test=0.33", "--quiet"], in: t)
        try #require(run.status == 0, "\(run.standardError)")
        var splitOf: [String: Set<String>] = [:]
        for line in try Self.lines(t.file("split/manifest.jsonl")) {
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            splitOf[entry["source"] as? String ?? "", default: []].insert(entry["split"] as? String ?? "none")
        }
        #expect(splitOf.count == 3 && splitOf.values.allSatisfy { $0.count == 1 }, "\(splitOf)")
        #expect(Set(splitOf.values.flatMap { $0 }) == ["train", "test"], "\(splitOf)")
        let one = try Self.scaletile(["tile", sources[0], "--patch", "64x64x1", "--out", "one", "--split", "train=0.5,test=0.5"], in: t)
        #expect(one.status == 64 && one.standardError.contains("give at least 2 inputs"), "\(one.standardError)")
    }
}
