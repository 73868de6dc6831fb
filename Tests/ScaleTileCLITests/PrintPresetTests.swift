import Foundation
import Testing
import TestSupport

/// One options model: the flags of `tile`, `sample` and `pyramid` are preset fields, so
/// `--print-preset` writes the preset that does what the flags do, and `scaletile run` on it
/// writes the same files into `OUT/scenes/<stem>/` (or `stacks/<stem>/`) byte for byte.
@Suite("Flags and presets are one model")
struct PrintPresetTests {
    /// The README examples of the regression cases, their relative inputs made absolute (the
    /// printed preset's paths are absolute, and manifests record the source as given).
    static let commandCases: [String: [String]] = RegressionChecksumTests.cases.filter { ["tile", "sample", "pyramid"].contains($0.value[0]) }
        .mapValues { argv in
            argv.map { FileManager.default.fileExists(atPath: SharedData.packageRoot + "/" + $0) ? SharedData.packageRoot + "/" + $0 : $0 }
        }

    static func scaletile(_ arguments: [String]) throws -> ExternalCommand.Result {
        try ExternalCommand.run(ExternalCommand.scaletile, arguments, currentDirectory: SharedData.packageRoot)
    }

    @Test(arguments: commandCases.keys.sorted())
    func runOnThePrintedPresetWritesWhatTheFlagsWrite(_ name: String) throws {
        let argv = try #require(Self.commandCases[name])
        let t = TemporaryFolder()
        let direct = try Self.scaletile(argv.map { $0 == "OUT" ? t.file("direct") : $0 } + ["--quiet"])
        try #require(direct.status == 0, "\(direct.standardError)")

        let printed = try Self.scaletile(argv.filter { $0 != "OUT" && $0 != "--out" } + ["--print-preset"])
        try #require(printed.status == 0, "\(printed.standardError)")
        try Data(printed.standardOutput.utf8).write(to: URL(fileURLWithPath: t.file("preset.yaml")))
        let viaPreset = try Self.scaletile(["run", t.file("preset.yaml"), "--out", t.file("run"), "--quiet"])
        try #require(viaPreset.status == 0, "\(viaPreset.standardError)\n\(printed.standardOutput)")

        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.file("run/summary.json")))) as? [String: Any])
        let folder = try #require(((summary["inputs"] as? [[String: Any]])?.first?["folder"]) as? String)
        let fromFlags = TemporaryFolder.files(in: t.file("direct"))
        let fromPreset = TemporaryFolder.files(in: t.file("run/" + folder))
        #expect(!fromFlags.isEmpty)
        #expect(fromFlags.keys.sorted() == fromPreset.keys.sorted())
        let differing = fromFlags.keys.filter { fromFlags[$0] != fromPreset[$0] }.sorted()
        #expect(differing.isEmpty, "\(name): differ: \(differing.prefix(10))")
    }

    static let presets: [String] = DomainPresetTests.presets

    @Test(arguments: presets)
    func theNormalisedPresetRunsAsTheFileDoes(_ preset: String) throws {
        let t = TemporaryFolder()
        let file = SharedData.packageRoot + "/Domains/" + preset
        let printed = try Self.scaletile(["run", file, "--print-preset"])
        try #require(printed.status == 0, "\(printed.standardError)")
        try Data(printed.standardOutput.utf8).write(to: URL(fileURLWithPath: t.file("normalised.yaml")))
        // Printing the printed preset changes nothing: every field was already written out.
        let again = try Self.scaletile(["run", t.file("normalised.yaml"), "--print-preset"])
        #expect(again.standardOutput == printed.standardOutput)

        for (yaml, out) in [(file, "original"), (t.file("normalised.yaml"), "normalised")] {
            let run = try Self.scaletile(["run", yaml, "--out", t.file(out), "--quiet"])
            try #require(run.status == 0, "\(run.standardError)")
        }
        let original = TemporaryFolder.files(in: t.file("original")), normalised = TemporaryFolder.files(in: t.file("normalised"))
        #expect(original.keys.sorted() == normalised.keys.sorted())
        let differing = original.keys.filter { $0 != "summary.json" && original[$0] != normalised[$0] }.sorted()
        #expect(differing.isEmpty, "\(preset): differ: \(differing.prefix(10))")
        func presetOf(_ data: Data?) throws -> NSDictionary? {
            (try JSONSerialization.jsonObject(with: data ?? Data()) as? [String: Any])?["preset"] as? NSDictionary
        }
        #expect(try presetOf(original["summary.json"]) == presetOf(normalised["summary.json"]))
    }
}
