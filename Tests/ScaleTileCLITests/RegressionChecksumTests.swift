import Foundation
import Testing
import TestSupport

/// Same inputs and flags, same results: every preset in `Domains/` and every README example
/// (`Tests/Fixtures/regression-cases.json`) writes the files, labels, manifests and pixels the
/// first release wrote, digested by the clients' own readers (`output_digest.py`) and compared
/// with the digests recorded from that release (`regression-digests.json`).
///
/// Internal layouts may change on purpose (GeoTIFF tiles are written in strips since issue 10):
/// the digest of a raster is its pixels and georeferencing, not its bytes. A change of output
/// that a note announces is re-recorded with `Tests/Fixtures/record_regression.sh`.
@Suite("Regression against the first release")
struct RegressionChecksumTests {
    static let fixtures = SharedData.packageRoot + "/Tests/Fixtures"

    static let cases: [String: [String]] = {
        guard let data = FileManager.default.contents(atPath: fixtures + "/regression-cases.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = object["cases"] as? [String: [String]] else { return [:] }
        return cases
    }()

    static let recorded: [String: [String: String]] = {
        guard let data = FileManager.default.contents(atPath: fixtures + "/regression-digests.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: String]] else { return [:] }
        return object
    }()

    @Test func everyCaseHasRecordedDigests() {
        #expect(Self.cases.count >= 20)
        #expect(Set(Self.cases.keys) == Set(Self.recorded.keys))
    }

    @Test(arguments: cases.keys.sorted())
    func outputEqualsTheFirstRelease(_ name: String) throws {
        let argv = try #require(Self.cases[name])
        let expected = try #require(Self.recorded[name])
        let t = TemporaryFolder()
        let out = t.file(name)
        let arguments = argv.map { $0 == "OUT" ? out : $0 } + (argv[0] == "analyze" ? [] : ["--quiet"])
        let result = try ExternalCommand.run(ExternalCommand.scaletile, arguments, currentDirectory: SharedData.packageRoot)
        try #require(result.status == 0, "\(name): \(result.standardError)")
        if argv[0] == "analyze" {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data(result.standardOutput.utf8).write(to: URL(fileURLWithPath: out + "/stdout.json"))
        }
        let digest = try ClientPython.run("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                                          [Self.fixtures + "/output_digest.py", out, SharedData.packageRoot])
        try #require(digest.status == 0, "\(digest.standardError)")
        let actual = try #require(try JSONSerialization.jsonObject(with: Data(digest.standardOutput.utf8)) as? [String: String])
        let missing = Set(expected.keys).subtracting(actual.keys).sorted()
        let extra = Set(actual.keys).subtracting(expected.keys).sorted()
        let changed = expected.keys.filter { actual[$0] != nil && actual[$0] != expected[$0] }.sorted()
        #expect(missing.isEmpty, "\(name): files no longer written: \(missing.prefix(10))")
        #expect(extra.isEmpty, "\(name): files not written before: \(extra.prefix(10))")
        #expect(changed.isEmpty, "\(name): \(changed.count) files changed, e.g. \(changed.prefix(10))")
    }
}
