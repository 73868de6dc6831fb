import Foundation
import Testing
@testable import ScaleTile
import ScaleTileCore
import TestSupport

/// Seeded mutation test of preset parsing (YAML, keys, values, `--set` overrides): every
/// mutated preset is read into a checked ``Preset`` or refused with a ``ScaleTileError``
/// naming the preset file; never a trap, never a hang (aliases are refused).
@Suite("Fuzz: presets")
struct FuzzPresetTests {
    static let preset = """
    version: 1
    name: fuzz
    domain: satellite
    job: sample
    input:
      paths: scene.tif
      expect: {bands: 3, dataType: UInt16, spacing: [30, 30]}
    labels:
      path: objects.geojson
      exports: [coco, geojson]
    levels:
      levels: 0-2
      resampling: average
    tiling:
      size: 256
      overlap: 32
      maxNodata: 0.9
    sampling:
      strategy: object-balanced
      count: 40
      negatives: 10
      alpha: 1
    target:
      objectSize: 16:128
      coverageK: 5
      coverage: 1
      maxBias: 2.5
    seed: 7
    """

    @Test func mutatedPresets() {
        var mutator = InputMutator(Self.preset, seed: FuzzBudget.seed(31))
        var read = 0, refused = 0
        for index in 0..<FuzzBudget.cases(2_000) {
            let text = String(decoding: mutator.next(), as: UTF8.self)
            do {
                _ = try PresetDocument(text: text, file: "p.yaml", folder: "/nonexistent")
                read += 1
            } catch let error as ScaleTileError {
                #expect(error.description.hasPrefix("p.yaml: "), "case \(index): \(error)")
                #expect(!error.description.contains("\n"), "case \(index): \(error)")
                refused += 1
            } catch {
                Issue.record("case \(index): \(type(of: error)) \(error)")
            }
        }
        #expect(read > 20 && refused > 20, "read \(read), refused \(refused)")
    }

    // Billion laughs, a merge key and a plain alias: all refused at their line, at once.
    @Test(arguments: [
        ("version: 1\nname: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + (1...9).map { "k\($0): &a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 10).joined(separator: ", ") + "]" }.joined(separator: "\n"), 3),
        ("version: 1\nbase: &b {size: 256}\ntiling:\n  <<: *b\n", 4),
        ("version: 1\nname: &n fuzz\ndescription: *n\n", 3),
    ])
    func aliasesAreRefused(_ text: String, _ line: Int) throws {
        let start = Date()
        let error = #expect(throws: ScaleTileError.self) { try PresetDocument(text: text, file: "p.yaml") }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(error?.kind == .invalidPreset)
        #expect(error?.description == "p.yaml: line \(line): YAML aliases (*name) are not allowed in presets; write the values out")
    }
}
