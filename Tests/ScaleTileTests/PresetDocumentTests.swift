import Foundation
import Testing
@testable import ScaleTile
import ScaleTileCore
import TestSupport

/// Presets read from text: defaults, the documented schema, every kind of broken preset and
/// `--set` overrides. No input file is touched: all of this happens before inputs are resolved.
@Suite("Preset documents")
struct PresetDocumentTests {
    static func read(_ text: String, _ overrides: [String] = []) throws -> Preset {
        try PresetDocument(text: text, file: "preset.yaml", overrides: overrides).preset
    }

    /// The error reading `text` throws.
    static func failure(_ text: String, _ overrides: [String] = []) -> ScaleTileError? {
        do {
            _ = try read(text, overrides)
            return nil
        } catch {
            return error as? ScaleTileError
        }
    }

    // MARK: Defaults

    @Test func versionAloneIsTheDefaultPreset() throws {
        var expected = Preset()
        expected.name = "preset"
        #expect(try Self.read("version: 1\n") == expected)
        let p = Preset()
        #expect(p.tiling.size == TileExtent(512) && p.tiling.overlap == .uniform(64) && p.tiling.edge == .shift)
        #expect(p.levels.levels == .explicit([0]) && p.levels.resampling == .average)
        #expect(p.domain == .satellite && p.job == .tile && p.tileFormat == .gtiff && p.seed == 0 && p.threads == nil)
        #expect(p.sampling.strategy == .objectBalanced && p.sampling.alpha == 1 && p.sampling.count == 1000)
        #expect(p.weights.beta == 0.999 && p.input.expect.spacingTolerance == 0.01)
    }

    @Test func theNameDefaultsToTheFileName() throws {
        let document = try PresetDocument(text: "version: 1\n", file: "Domains/sentinel2-ships.yaml")
        #expect(document.preset.name == "sentinel2-ships")
    }

    // Every documented default, written out in full, decodes to the default the type has: the
    // table of Domains/README.md cannot drift from the code.
    @Test(arguments: PresetSchema.fields.filter { !$0.defaultValue.hasPrefix("(") && !$0.defaultValue.hasPrefix("the ") })
    func theDocumentedDefaultIsTheDecodedDefault(field: PresetSchema.Field) throws {
        let keys = field.path.split(separator: ".").map(String.init)
        var yaml = "version: 1\n"
        for (depth, key) in keys.enumerated() {
            let indent = String(repeating: "  ", count: depth)
            yaml += depth == keys.count - 1 ? "\(indent)\(key): \(field.defaultValue)\n" : "\(indent)\(key):\n"
        }
        #expect(try Self.read(yaml) == Self.read("version: 1\n"), "\(field.path): \(field.defaultValue)")
    }

    // The schema names exactly the keys the types decode, section by section.
    @Test func theSchemaHasExactlyTheModelsKeys() {
        func keys<K: CodingKey & CaseIterable>(_: K.Type, _ section: String) -> Set<String> {
            Set(K.allCases.map { section.isEmpty ? $0.stringValue : section + "." + $0.stringValue })
        }
        let sections = ["input", "input.expect", "labels", "levels", "tiling", "target", "sampling", "weights", "output", "split", "context", "limits"]
        let model = keys(Preset.CodingKeys.self, "").subtracting(sections)
            .union(keys(Preset.Input.CodingKeys.self, "input").subtracting(["input.expect"]))
            .union(keys(Preset.Expectations.CodingKeys.self, "input.expect"))
            .union(keys(Preset.Labels.CodingKeys.self, "labels"))
            .union(keys(Preset.Levels.CodingKeys.self, "levels"))
            .union(keys(Preset.Tiling.CodingKeys.self, "tiling"))
            .union(keys(Preset.Target.CodingKeys.self, "target"))
            .union(keys(Preset.Sampling.CodingKeys.self, "sampling"))
            .union(keys(Preset.Weights.CodingKeys.self, "weights"))
            .union(keys(Preset.Output.CodingKeys.self, "output"))
            .union(keys(Preset.Split.CodingKeys.self, "split"))
            .union(keys(Preset.Context.CodingKeys.self, "context"))
            .union(keys(Preset.Limits.CodingKeys.self, "limits"))
        #expect(Set(PresetSchema.fields.map(\.path)) == model)
        #expect(Set(sections).allSatisfy(PresetSchema.isSection))
    }

    // Domains/README.md prints the table PresetSchema generates.
    @Test func theReferenceInTheReadmeIsTheSchema() throws {
        let readme = try String(contentsOfFile: SharedData.packageRoot + "/Domains/README.md", encoding: .utf8)
        #expect(readme.contains(PresetSchema.markdownTable), "regenerate the table from PresetSchema.markdownTable")
    }

    // MARK: Values in their several forms

    @Test func aFullPresetReadsEveryField() throws {
        let p = try Self.read("""
            version: 1
            name: s2-ships
            description: Ships in Sentinel-2 L2A, 10 m bands
            domain: satellite
            job: tile
            input:
              paths: [scenes/*.tif, "@more.txt"]
              bands: [4, 3, 2]
              nodata: 0
              expect: {bands: 4, dataType: UInt16, spacing: [10, 10], spacingTolerance: 0.05}
            labels: {path: "labels/{stem}.geojson", format: vector, classField: type, classes: [ship, boat]}
            levels: {levels: [0, 1, 2], resampling: cubic, exact: true}
            tiling: {size: 256, overlap: 48, edge: pad, maxNodata: 0.5}
            target: {objectSize: "8:64"}
            sampling: {strategy: scale-stratified, count: 500, bucketShares: {small: 2, medium: 1, large: 1}, ratio: "3:1"}
            weights: {beta: 0.99}
            output: {path: s2, format: cog, creationOptions: {compress: ZSTD, level: 9}, rescale: "0:3000"}
            seed: 42
            threads: 4
            """)
        #expect(p.name == "s2-ships" && p.input.paths == ["scenes/*.tif", "@more.txt"] && p.input.bands == [4, 3, 2])
        #expect(p.input.expect.dataType == .uint16 && p.input.expect.spacing == [10, 10] && p.input.expect.spacingTolerance == 0.05)
        #expect(p.labels.path == "labels/{stem}.geojson" && p.labels.format == .vector && p.labels.classes == ["ship", "boat"])
        #expect(p.levels.levels == .explicit([0, 1, 2]) && p.levels.resampling == .cubic && p.levels.exact)
        #expect(p.tiling.size == TileExtent(256) && p.tiling.overlap == .uniform(48) && p.tiling.edge == .pad && p.tiling.maxNodata == 0.5)
        #expect(p.target.objectSize == (try ObjectSizeBand(min: 8, max: 64)))
        #expect(p.sampling.strategy == .scaleStratified && p.sampling.count == 500 && p.sampling.ratio.description == "3:1")
        #expect(p.sampling.bucketShares == [.small: 2, .medium: 1, .large: 1])
        #expect(p.output.path == "s2" && p.tileFormat == .cog && p.output.creationOptions == ["compress": "ZSTD", "level": "9"])
        #expect(p.output.rescale == 0...3000 && p.seed == 42 && p.threads == 4 && p.weights.beta == 0.99)
    }

    @Test func sizesOverlapsAndLevelsTakeTheirCommandLineForms() throws {
        let stack = try Self.read("version: 1\ndomain: medical\ntiling: {size: 96x96x32, overlap: 16x16x4}\nlevels: {levels: 0-2}\n")
        #expect(stack.tiling.size == TileExtent(width: 96, height: 96, depth: 32))
        #expect(stack.tiling.overlap == .pixels(x: 16, y: 16, z: 4))
        #expect(stack.levels.levels == .explicit([0, 1, 2]))
        #expect(stack.tileFormat == .tiff)
        // YAML 1.1 reads `0-1` as an octal −1 and `0,2` as text; both mean levels here.
        #expect(try Self.read("version: 1\nlevels: {levels: 0-1}\n").levels.levels == .explicit([0, 1]))
        #expect(try Self.read("version: 1\nlevels: {levels: '0,2'}\n").levels.levels == .explicit([0, 2]))
        #expect(try Self.read("version: 1\nlevels: {levels: 3}\n").levels.levels == .explicit([3]))
        #expect(try Self.read("version: 1\nlevels: {levels: auto}\n").levels.levels == .auto)
        #expect(try Self.read("version: 1\ntiling: {overlap: auto}\n").tiling.overlap == .auto)
        #expect(try Self.read("version: 1\ntiling: {overlap: 32x32}\n").tiling.overlap == .pixels(x: 32, y: 32, z: 0))
        // As `--overlap`: one number is shared along Z too on 3-D patches, XxY shares no slice.
        let one = try PresetPipeline.tileOptions(Self.read("version: 1\ndomain: medical\ntiling: {size: 64x64x8, overlap: 4}\n"))
        #expect(one.overlap == RasterSize(width: 4, height: 4, depth: 4))
        let planar = try PresetPipeline.tileOptions(Self.read("version: 1\ndomain: medical\ntiling: {size: 64x64x8, overlap: 4x4}\n"))
        #expect(planar.overlap == RasterSize(width: 4, height: 4, depth: 0))
        let slices = try PresetPipeline.tileOptions(Self.read("version: 1\ndomain: medical\ntiling: {size: 64x64, overlap: 4}\n"))
        #expect(slices.overlap == RasterSize(width: 4, height: 4, depth: 0))
        #expect(try Self.read("version: 1\ninput: {paths: one.tif}\n").input.paths == ["one.tif"])
    }

    // An empty value is the default, as if the key were absent.
    @Test func emptyValuesAreDefaults() throws {
        #expect(try Self.read("version: 1\ntiling:\nseed:\ninput:\n  bands:\n") == Self.read("version: 1\n"))
    }

    // MARK: Broken presets: one line, with the line number, before any input is looked at

    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let kind: ScaleTileError.Kind
        let line: Int?
        let mentions: [String]
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "syntax error", text: "version: 1\ntiling:\n  size: 256\n  overlap: [1, 2\n", kind: .invalidPreset, line: 5,
               mentions: ["does not parse"]),
        Broken(name: "tab indentation", text: "version: 1\ntiling:\n\tsize: 256\n", kind: .invalidPreset, line: 3, mentions: ["does not parse"]),
        Broken(name: "unknown section", text: "version: 1\ntilling:\n  size: 256\n", kind: .invalidPreset, line: 2,
               mentions: ["unknown key 'tilling'", "did you mean 'tiling'"]),
        Broken(name: "unknown key in a section", text: "version: 1\n\ntiling:\n  sise: 256\n", kind: .invalidPreset, line: 4,
               mentions: ["unknown key 'tiling.sise'", "did you mean 'tiling.size'"]),
        Broken(name: "key in the wrong section", text: "version: 1\noverlap: 32\n", kind: .invalidPreset, line: 2,
               mentions: ["unknown key 'overlap'", "did you mean 'tiling.overlap'"]),
        Broken(name: "wrong type", text: "version: 1\ntiling:\n  size: 256\n  overlap: lots\n", kind: .invalidPreset, line: 4,
               mentions: ["tiling.overlap must be a number, XxY, XxYxZ or auto, got \"lots\""]),
        Broken(name: "text for a count", text: "version: 1\nsampling:\n  count: many\n", kind: .invalidPreset, line: 3,
               mentions: ["sampling.count must be a whole number, got \"many\""]),
        Broken(name: "list for a number", text: "version: 1\ntiling:\n  maxNodata: [1]\n", kind: .invalidPreset, line: 3,
               mentions: ["tiling.maxNodata must be a number from 0 to 1, got a list"]),
        Broken(name: "a section given a value", text: "version: 1\ntiling: 512\n", kind: .invalidPreset, line: 2,
               mentions: ["tiling must be a mapping of keys"]),
        Broken(name: "unknown choice", text: "version: 1\ntiling:\n  edge: wrap\n", kind: .invalidPreset, line: 3,
               mentions: ["tiling.edge must be shift, pad or drop, got \"wrap\""]),
        Broken(name: "unsupported version", text: "version: 2\ntiling:\n  size: 256\n", kind: .invalidPreset, line: 1,
               mentions: ["version 2 is not supported", "reads version 1"]),
        Broken(name: "no version", text: "tiling:\n  size: 256\n", kind: .invalidPreset, line: 1, mentions: ["version is missing"]),
        Broken(name: "empty file", text: "\n# nothing\n", kind: .invalidPreset, line: nil, mentions: ["empty"]),
        Broken(name: "a list, not a mapping", text: "- version: 1\n", kind: .invalidPreset, line: 1, mentions: ["mapping of keys"]),
        Broken(name: "duplicate key", text: "version: 1\ntiling:\n  size: 256\n  size: 128\n", kind: .invalidPreset, line: 3,
               mentions: ["'size' appears twice"]),
        Broken(name: "overlap equal to the tile size", text: "version: 1\ntiling:\n  size: 256\n  overlap: 256\n", kind: .invalidPreset, line: 4,
               mentions: ["tiling.overlap 256 must be smaller than tiling.size 256"]),
        Broken(name: "default overlap above a small tile", text: "version: 1\ntiling:\n  edge: pad\n  size: 32\n", kind: .invalidPreset, line: 4,
               mentions: ["tiling.overlap 64 must be smaller than tiling.size 32"]),
        Broken(name: "overlap too large on Z", text: "version: 1\ndomain: medical\ntiling:\n  size: 64x64x8\n  overlap: 8x8x8\n", kind: .invalidPreset, line: 5,
               mentions: ["tiling.overlap 8 must be smaller than tiling.size 8 on Z"]),
        Broken(name: "zoom-in without a size band", text: "version: 1\nlevels:\n  zoomIn: true\n", kind: .invalidPreset, line: 3,
               mentions: ["levels.zoomIn magnifies objects below target.objectSize's minimum: give target.objectSize"]),
        Broken(name: "bands of a pyramid", text: "version: 1\njob: pyramid\ninput:\n  bands: [1]\n", kind: .invalidPreset, line: 4,
               mentions: ["input.bands selects bands of tiles; job: pyramid keeps every band"]),
        Broken(name: "negative overlap", text: "version: 1\ntiling:\n  overlap: -4\n", kind: .invalidPreset, line: 3, mentions: ["must not be negative"]),
        Broken(name: "non-square scene tiles", text: "version: 1\ntiling:\n  size: 512x256\n", kind: .invalidPreset, line: 3, mentions: ["square"]),
        Broken(name: "negative count", text: "version: 1\nsampling:\n  count: -3\n", kind: .invalidPreset, line: 3,
               mentions: ["sampling.count must not be negative, got -3"]),
        Broken(name: "negative negatives", text: "version: 1\nsampling:\n  negatives: -1\n", kind: .invalidPreset, line: 3,
               mentions: ["sampling.negatives must not be negative"]),
        Broken(name: "negative alpha", text: "version: 1\nsampling:\n  alpha: -0.5\n", kind: .invalidPreset, line: 3, mentions: ["sampling.alpha must be 0 or more"]),
        Broken(name: "beta of 1", text: "version: 1\nweights:\n  beta: 1\n", kind: .invalidPreset, line: 3, mentions: ["weights.beta must be in [0, 1)"]),
        Broken(name: "size band upside down", text: "version: 1\ntarget:\n  objectSize: 64:8\n", kind: .invalidPreset, line: 3,
               mentions: ["target.objectSize must be MIN:MAX with 0 < MIN ≤ MAX"]),
        Broken(name: "output climbing out of --out", text: "version: 1\noutput:\n  path: tiles/../../elsewhere\n", kind: .invalidPreset, line: 3,
               mentions: ["output.path", "climbs out of --out"]),
        Broken(name: "absolute output path", text: "version: 1\noutput:\n  path: /tmp/tiles\n", kind: .invalidPreset, line: 3,
               mentions: ["output.path", "not an absolute path"]),
        Broken(name: "stack format for scenes", text: "version: 1\noutput:\n  format: ome-tiff\n", kind: .invalidPreset, line: 3,
               mentions: ["ome-tiff is for stacks"]),
        Broken(name: "unknown data type", text: "version: 1\ninput:\n  expect:\n    dataType: uint8\n", kind: .invalidPreset, line: 4,
               mentions: ["input.expect.dataType must be Byte, Int8"]),
        Broken(name: "band 0", text: "version: 1\ninput:\n  bands: [1, 0]\n", kind: .invalidPreset, line: 3, mentions: ["band numbers start at 1"]),
        Broken(name: "zero threads", text: "version: 1\nthreads: 0\n", kind: .invalidPreset, line: 2, mentions: ["threads must be at least 1"]),
        Broken(name: "negative seed", text: "version: 1\nseed: -1\n", kind: .invalidPreset, line: 2, mentions: ["seed must be a whole number, got -1"]),
    ]

    @Test(arguments: broken)
    func brokenPresetsFailWithTheirLine(_ c: Broken) throws {
        let error = try #require(Self.failure(c.text), "\(c.name) was accepted")
        #expect(error.kind == c.kind)
        #expect(error.path == "preset.yaml")
        let text = error.description
        #expect(!text.contains("\n"), "one line: \(text)")
        if let line = c.line { #expect(text.hasPrefix("preset.yaml: line \(line): "), "\(text)") }
        for m in c.mentions { #expect(text.contains(m), "\(text)") }
    }

    // MARK: --set

    @Test func overridesSetAnyFieldWithYAMLValues() throws {
        let base = "version: 1\ntiling:\n  size: 512\ninput:\n  bands: [1, 2, 3]\n"
        let p = try Self.read(base, ["tiling.size=256", "sampling.strategy=class-balanced", "levels.levels=0-2",
                                     "input.paths=[a.tif, b.tif]", "output.creationOptions.COMPRESS=ZSTD", "target.objectSize=8:64",
                                     "input.bands=", "seed=7", "tiling.overlap=16"])
        #expect(p.tiling.size == TileExtent(256) && p.tiling.overlap == .uniform(16))
        #expect(p.sampling.strategy == .classBalanced)
        #expect(p.levels.levels == .explicit([0, 1, 2]))
        #expect(p.input.paths == ["a.tif", "b.tif"])
        #expect(p.output.creationOptions == ["COMPRESS": "ZSTD"])
        #expect(p.target.objectSize == (try ObjectSizeBand(min: 8, max: 64)))
        #expect(p.input.bands == nil, "an empty value restores the default")
        #expect(p.seed == 7)
        // The last override of a key wins.
        #expect(try Self.read(base, ["tiling.size=256", "tiling.size=128"]).tiling.size == TileExtent(128))
    }

    @Test func badOverridesNameTheOverride() throws {
        let unknown = try #require(Self.failure("version: 1\n", ["tilling.size=256"]))
        #expect(unknown.kind == .invalidArgument)
        #expect(unknown.description == "--set tilling.size=256: unknown key 'tilling.size' (did you mean 'tiling.size'?)")
        let type = try #require(Self.failure("version: 1\n", ["tiling.size=abc"]))
        #expect(type.description == "--set tiling.size=abc: tiling.size must be a number of pixels, WxH or WxHxD, got \"abc\"")
        // A value that only conflicts with the file's is blamed on the override that brought it.
        let clash = try #require(Self.failure("version: 1\ntiling:\n  size: 64\n", ["tiling.overlap=64"]))
        #expect(clash.description.hasPrefix("--set tiling.overlap=64: tiling.overlap 64 must be smaller than tiling.size 64"))
        let section = try #require(Self.failure("version: 1\n", ["tiling=5"]))
        #expect(section.description.contains("'tiling' is a section"))
        let form = try #require(Self.failure("version: 1\n", ["tiling.size"]))
        #expect(form.description.contains("is not key.path=value"))
    }

    @Test func locationsPointAtTheLineOrTheOverride() throws {
        let document = try PresetDocument(text: "version: 1\n\ninput:\n  expect:\n    bands: 4\n", file: "p.yaml", overrides: ["seed=3"])
        #expect(document.location(of: "input.expect.bands") == "p.yaml: line 5")
        #expect(document.location(of: "seed") == "--set seed=3")
        #expect(document.location(of: "tiling.size") == "p.yaml")
    }

    @Test func relativePathsStartAtThePresetsFolder() throws {
        let document = try PresetDocument(text: "version: 1\n", file: "x.yaml", folder: "/data/presets")
        #expect(document.resolvedPath("../SampleData/a.tif") == "/data/SampleData/a.tif")
        #expect(document.resolvedPath("/abs/a.tif") == "/abs/a.tif")
        #expect(document.resolvedPath("/vsicurl/http://host/a.tif") == "/vsicurl/http://host/a.tif")
    }
}
