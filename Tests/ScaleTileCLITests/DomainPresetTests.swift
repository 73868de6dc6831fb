import Foundation
import ScaleTile
import Testing
import TestSupport

/// Every preset in `Domains/` runs with no argument but `--out` (its inputs are in SampleData,
/// relative to the preset file) and meets the audit targets it documents.
@Suite("Domain presets")
struct DomainPresetTests {
    static let presets: [String] = {
        let root = SharedData.packageRoot + "/Domains"
        let walker = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let item = walker?.nextObject() as? String {
            if item.hasSuffix(".yaml") { found.append(item) }
        }
        return found.sorted()
    }()

    @Test func everyDomainHasPresets() {
        #expect(Self.presets.contains { $0.hasPrefix("satellite/") })
        #expect(Self.presets.contains { $0.hasPrefix("medical/") })
    }

    @Test(arguments: presets)
    func presetRunsOnSampleDataAndMeetsItsTargets(_ preset: String) throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile,
                                             ["run", SharedData.packageRoot + "/Domains/" + preset, "--out", t.file("out"), "--json", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let inputs = try #require(summary["inputs"] as? [[String: Any]])
        #expect(!inputs.isEmpty)
        for input in inputs {
            #expect((input["written"] as? Int ?? 0) > 0, "\(input["source"] ?? "")")
            guard let check = input["auditTargets"] as? [String: Any] else { continue }
            for r in check["results"] as? [[String: Any]] ?? [] {
                #expect(r["met"] as? Bool == true, "\(preset): \(r["key"] ?? "") \(r["target"] ?? "") audited \(r["value"] ?? "none")")
            }
        }
        // A preset that states targets (read from its parsed model) gets them checked.
        let target = try PresetDocument(contentsOf: SharedData.packageRoot + "/Domains/" + preset).preset.target
        if [target.contained, target.inBand, target.coverage, target.maxBias, target.maxBucketBalance].contains(where: { $0 != nil }) {
            #expect(inputs.allSatisfy { $0["auditTargets"] != nil }, "\(preset) documents targets but the run checked none")
        }
    }
}
