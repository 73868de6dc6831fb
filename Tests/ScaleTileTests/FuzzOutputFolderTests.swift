import Foundation
import Testing
@testable import ScaleTile
import ScaleTileCore
import TestSupport

/// Seeded mutation tests of what ScaleTile reads back from its own output folders:
/// `manifest.jsonl` and `summary.json` as `scaletile merge`, `split` and `stitch` read them,
/// and `.npy` tiles as `stitch` reads them. Each mutated input is either used (the command
/// finishes) or refused with a ``ScaleTileError`` whose one line names the file or its folder —
/// never a trap, never another error type — and a refused merge leaves no merged manifest.
@Suite("Fuzz: merge, split and stitch inputs", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct FuzzOutputFolderTests {
    /// A 96×80 crop of the Landsat scene tiled in 32-pixel `.npy` tiles (12 windows): small,
    /// so a whole merge, split or stitch takes milliseconds.
    struct Fixture {
        let folder: TemporaryFolder
        var whole: String { folder.file("whole") }
        var shards: [String] { [folder.file("shard1"), folder.file("shard2")] }
    }

    static let fixture: Result<Fixture, any Error> = Result {
        let t = TemporaryFolder("scaletile-fuzz-output")
        let crop = t.file("crop.tif")
        let translate = try ExternalCommand.run("/usr/bin/env", ["gdal_translate", "-q", "-srcwin", "300", "300", "96", "80",
                                                                 SharedData.path("satellite/landsat/RGB.byte.tif"), crop])
        guard translate.status == 0 else { throw ScaleTileError(.io, crop, translate.standardError) }
        let options = ["--tile-size", "32", "--overlap", "8", "--levels", "0-1", "--format", "npy", "--threads", "1", "--quiet"]
        for (name, extra) in [("whole", [String]()), ("shard1", ["--shard", "1/2"]), ("shard2", ["--shard", "2/2"])] {
            let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", crop, "--out", t.file(name)] + options + extra)
            guard run.status == 0 else { throw ScaleTileError(.io, t.file(name), run.standardError) }
        }
        return Fixture(folder: t)
    }

    /// Merges and splits take milliseconds; a stitch writes a mosaic, so it runs fewer cases.
    static let cases = FuzzBudget.cases(700)
    static let stitchCases = FuzzBudget.cases(300)
    static let manifestMergeCases = FuzzBudget.cases(400)

    /// A refusal: a ScaleTileError whose line begins with one of `owners` (a file or a folder
    /// of the input), one printable line.
    static func expectRefusal(_ error: any Error, owners: [String], case index: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = error as? ScaleTileError else {
            Issue.record("case \(index): \(type(of: error)) \(error), not a ScaleTileError", sourceLocation: sourceLocation)
            return
        }
        #expect(owners.contains { error.description.hasPrefix($0) }, "case \(index): \(error)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n") && !error.description.contains("\u{0}"), "case \(index): \(error)", sourceLocation: sourceLocation)
    }

    /// Mutates `file` (inside a fixture folder) `cases` times, running `body` on each; restores it.
    static func mutating(_ file: String, seed: UInt64, cases: Int = cases, _ body: (Int) throws -> Void) throws {
        let original = FileManager.default.contents(atPath: file)!
        defer { try? original.write(to: URL(fileURLWithPath: file)) }
        // An `.npy` file: its header after the magic (version, length, text) is mutated, its
        // magic (not UTF-8) and data kept byte for byte.
        let isArray = file.hasSuffix(".npy")
        let textStart = isArray ? 6 : 0
        let textEnd = isArray ? try NumpyArrayFile.layout(of: original, file: file).dataOffset : original.count
        var mutator = InputMutator(String(decoding: original[textStart ..< textEnd], as: UTF8.self), seed: FuzzBudget.seed(seed))
        for index in 0..<cases {
            try (original.prefix(textStart) + mutator.next() + original.dropFirst(textEnd)).write(to: URL(fileURLWithPath: file))
            try body(index)
        }
    }

    /// Merges the fixture's shards with one file mutated; returns (merged, refused).
    static func fuzzMerge(_ name: String, seed: UInt64) throws -> (merged: Int, refused: Int) {
        let f = try fixture.get()
        let out = f.folder.file("merged-" + name)
        var merged = 0, refused = 0
        try mutating(f.shards[1] + "/" + name, seed: seed, cases: name == "manifest.jsonl" ? manifestMergeCases : cases) { index in
            var job = ShardMerge(shards: f.shards, output: out)
            job.existingOutput = .overwrite
            do {
                let report = try job.run()
                #expect(report.entries >= 0)
                merged += 1
            } catch {
                expectRefusal(error, owners: f.shards, case: index)
                // Nothing half-merged: no joined manifest or summary is left behind.
                #expect(!FileManager.default.fileExists(atPath: out + "/manifest.jsonl") || !FileManager.default.fileExists(atPath: out + "/summary.json"),
                        "case \(index): a refused merge left \(out)")
                refused += 1
            }
            try? FileManager.default.removeItem(atPath: out)
        }
        return (merged, refused)
    }

    // Both outcomes must occur, or the mutations are not reaching the reader.
    @Test func mergeWithAMutatedSummary() throws {
        let r = try Self.fuzzMerge("summary.json", seed: 31)
        #expect(r.merged > 10 && r.refused > 10, "\(r)")
    }

    @Test func mergeWithAMutatedManifest() throws {
        let r = try Self.fuzzMerge("manifest.jsonl", seed: 32)
        #expect(r.merged > 10 && r.refused > 10, "\(r)")
    }

    /// Stitches the whole run's own `.npy` tiles with `name` (manifest, summary or a tile) mutated.
    static func fuzzStitch(_ name: String, seed: UInt64) throws -> (stitched: Int, refused: Int) {
        let f = try fixture.get()
        let out = f.folder.file("stitched-" + name.replacingOccurrences(of: "/", with: "-"))
        var stitched = 0, refused = 0
        try mutating(f.whole + "/" + name, seed: seed, cases: stitchCases) { index in
            do {
                let report = try StitchJob(run: f.whole, predictions: f.whole + "/tiles", output: out).run()
                #expect(!report.files.isEmpty)
                stitched += 1
            } catch {
                expectRefusal(error, owners: [f.whole], case: index)
                refused += 1
            }
            try? FileManager.default.removeItem(atPath: out)
        }
        return (stitched, refused)
    }

    @Test func stitchWithAMutatedManifest() throws {
        let r = try Self.fuzzStitch("manifest.jsonl", seed: 33)
        #expect(r.stitched > 10 && r.refused > 10, "\(r)")
    }

    @Test func stitchWithAMutatedSummary() throws {
        let r = try Self.fuzzStitch("summary.json", seed: 34)
        #expect(r.stitched > 10 && r.refused > 10, "\(r)")
    }

    @Test func stitchWithAMutatedNpyTile() throws {
        let f = try Self.fixture.get()
        let tile = try #require(try OutputFolder(path: f.whole).readManifest().first { $0.level == 0 }).path
        let r = try Self.fuzzStitch(tile, seed: 35)
        #expect(r.stitched > 10 && r.refused > 10, "\(r)")
    }

    @Test func splitWithAMutatedManifestOrSummary() throws {
        let f = try Self.fixture.get()
        var split = 0, refused = 0
        for (name, seed) in [("manifest.jsonl", UInt64(36)), ("summary.json", 37)] {
            // Split rewrites both documents in place: each case starts from the originals.
            let other = f.whole + "/" + (name == "summary.json" ? "manifest.jsonl" : "summary.json")
            let otherOriginal = try #require(FileManager.default.contents(atPath: other))
            defer { try? otherOriginal.write(to: URL(fileURLWithPath: other)) }
            try Self.mutating(f.whole + "/" + name, seed: seed, cases: Self.cases / 3) { index in
                try otherOriginal.write(to: URL(fileURLWithPath: other))
                do {
                    _ = try SplitJob(output: f.whole, split: SplitOptions(shares: try SplitShares(parsing: "train=0.5,val=0.5"), blockSize: 48)).run()
                    split += 1
                } catch {
                    Self.expectRefusal(error, owners: [f.whole], case: index)
                    refused += 1
                }
            }
        }
        #expect(split > 10 && refused > 10, "split \(split), refused \(refused)")
    }
}

/// Seeded mutations of `.npy` files read by ``NumpyArrayFile/decode(_:file:)``: header text and
/// raw bytes. Each is decoded into a buffer whose size matches its header, or refused naming the file.
@Suite("Fuzz: .npy arrays")
struct FuzzNumpyArrayTests {
    static let cases = FuzzBudget.cases(20_000)

    static func sample(_ type: PixelType, shape: [Int]) -> Data {
        let count = shape.reduce(1, *) * type.byteSize
        return NumpyArrayFile.header(descriptor: type.numpyDescriptor, shape: shape) + Data((0..<count).map { UInt8($0 & 0xFF) })
    }

    @Test func mutatedArrays() throws {
        var decoded = 0, refused = 0
        // The mutator works on text; the header's length bytes and the data are mutated too.
        let originals = [Self.sample(.float32, shape: [2, 3, 4]), Self.sample(.uint8, shape: [1, 2, 3, 4]), Self.sample(.int16, shape: [5, 3])]
        for (k, original) in originals.enumerated() {
            var mutator = InputMutator(String(decoding: original, as: UTF8.self), seed: FuzzBudget.seed(40 + UInt64(k)))
            var random = SeededRandom(seed: FuzzBudget.seed(50 + UInt64(k)))
            for index in 0..<Self.cases / originals.count {
                // Half the cases start from the exact bytes (the text view replaces non-UTF-8 bytes).
                var input = index % 2 == 0 ? mutator.next() : original
                if index % 2 == 1 {
                    for _ in 0..<random.integer(in: 1...3) {
                        let position = random.integer(in: 0...(input.count - 1))
                        input[position] = UInt8(random.integer(in: 0...255))
                    }
                    if random.integer(in: 0...3) == 0 { input = input.prefix(random.integer(in: 0...input.count)) }
                }
                do {
                    let buffer = try NumpyArrayFile.decode(input, file: "tile.npy")
                    let layout = try NumpyArrayFile.layout(of: input, file: "tile.npy")
                    #expect(buffer.bytes.count == layout.elementCount * buffer.pixelType.byteSize, "case \(index)")
                    #expect(buffer.bandCount * buffer.size.pixelCount == layout.elementCount, "case \(index)")
                    decoded += 1
                } catch let error as ScaleTileError {
                    #expect(error.description.hasPrefix("tile.npy: "), "case \(index): \(error)")
                    #expect(!error.description.contains("\n"), "case \(index): \(error)")
                    refused += 1
                } catch {
                    Issue.record("case \(index): \(type(of: error)) \(error), not a ScaleTileError")
                }
            }
        }
        #expect(decoded > 100 && refused > 100, "decoded \(decoded), refused \(refused)")
    }

    // Headers NumPy writes are read as NumPy reads them (np.save output, independent truth).
    @Test func numpyWrittenHeaders() throws {
        let t = TemporaryFolder()
        let script = """
        import numpy as np, sys
        d = sys.argv[1]
        np.save(d + '/a.npy', np.arange(24, dtype='<f4').reshape(2, 3, 4))
        np.save(d + '/b.npy', np.arange(6, dtype='<i2').reshape(2, 3))
        np.save(d + '/f.npy', np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)))
        np.save(d + '/e.npy', np.arange(6, dtype='>f4').reshape(1, 2, 3))
        np.lib.format.write_array(open(d + '/v2.npy', 'wb'), np.arange(12, dtype='u1').reshape(1, 3, 4), version=(2, 0))
        """
        let run = try ClientPython.run(script, [t.path])
        try #require(run.status == 0, "\(run.standardError)")
        func read(_ name: String) throws -> RasterBuffer { try NumpyArrayFile.decode(Data(contentsOf: URL(fileURLWithPath: t.file(name))), file: name) }
        let a = try read("a.npy")
        #expect(a.bandCount == 2 && a.size == RasterSize(width: 4, height: 3) && a.pixelType == .float32)
        #expect(a.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } == (0..<24).map(Float.init))
        let b = try read("b.npy")
        #expect(b.bandCount == 1 && b.size == RasterSize(width: 3, height: 2) && b.pixelType == .int16)
        let v2 = try read("v2.npy")
        #expect(v2.size == RasterSize(width: 4, height: 3) && v2.bytes == (0..<12).map(UInt8.init))
        let fortran = #expect(throws: ScaleTileError.self) { try read("f.npy") }
        #expect(fortran?.kind == .unsupported && fortran?.description.hasPrefix("f.npy: is a Fortran-order") == true, "\(String(describing: fortran))")
        let bigEndian = #expect(throws: ScaleTileError.self) { try read("e.npy") }
        #expect(bigEndian?.description == "e.npy: has the element type >f4, not a little-endian number")
    }

    // A shape whose element count overflows Int is refused, not multiplied.
    @Test func overflowingShape() throws {
        var data = NumpyArrayFile.header(descriptor: "<f8", shape: [4_294_967_296, 4_294_967_296, 2])
        data.append(contentsOf: [0, 0, 0, 0])
        let error = #expect(throws: ScaleTileError.self) { try NumpyArrayFile.decode(data, file: "big.npy") }
        #expect(error?.description.hasPrefix("big.npy: has the .npy shape (4294967296, 4294967296, 2), more elements than can exist") == true, "\(String(describing: error))")
        let huge = NumpyArrayFile.header(descriptor: "<f8", shape: [1, 100_000, 100_000]) + Data(count: 16)
        let truncated = #expect(throws: ScaleTileError.self) { try NumpyArrayFile.decode(huge, file: "huge.npy") }
        #expect(truncated?.description == "huge.npy: is truncated: shape [1, 100000, 100000] of <f8 needs 80000000000 bytes after the header, the file has 16")
    }
}
