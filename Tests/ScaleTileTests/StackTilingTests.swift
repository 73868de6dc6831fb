import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// Grid patching of the medical sample stacks, checked against the sources: patches put back
/// together give the volume, a few patches equal GDAL's read of the source pages, lesion flags
/// follow from the written mask patches, levels are independent block averages.
@Suite("Stack patching on real data", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct StackTilingTests {
    static func tile(_ source: String, mask: String?, in folder: TemporaryFolder,
                     _ configure: (inout TileOptions) -> Void) throws -> (TileSummary, [ManifestEntry], String) {
        var options = TileOptions()
        options.threads = 2
        configure(&options)
        let out = folder.file("out-\(UUID().uuidString)")
        let summary = try TileJob(source: source, mask: mask, output: out, options: options).run()
        return (summary, try OutputFolder(path: out).readManifest(), out)
    }

    /// Puts every level-0 patch back at its window and checks each voxel against `source`, and
    /// that every voxel of the volume was covered; overhanging voxels must hold `padValue`.
    static func reassemble(_ manifest: [ManifestEntry], in out: String, path: KeyPath<ManifestEntry, String?>,
                           equals source: String, padValue: Double) throws {
        let (size, expected) = try StackFiles.volume(source)
        var covered = [Bool](repeating: false, count: size.pixelCount)
        for entry in manifest where entry.level == 0 {
            let window = entry.window.window
            let patch = try StackFiles.patch(out + "/" + entry[keyPath: path]!)
            #expect(patch.size == window.size, "\(entry.id)")
            let written = patch.samples(band: 0)
            for (i, value) in StackFiles.crop(expected, size: size, to: window).enumerated() {
                let x = window.x + i % window.width, y = window.y + (i / window.width) % window.height
                let z = window.z + i / (window.width * window.height)
                if let value {
                    guard written[i] == value else {
                        Issue.record("\(entry.id): voxel (\(x), \(y), \(z)) is \(written[i]), the source has \(value)")
                        return
                    }
                    covered[(z * size.height + y) * size.width + x] = true
                } else {
                    #expect(written[i] == padValue, "\(entry.id): padding at (\(x), \(y), \(z))")
                }
            }
        }
        #expect(covered.allSatisfy { $0 }, "every voxel lies in some patch")
    }

    // brain1 (256 x 256 x 25, Int16 image + UInt8 mask, striped ImageJ): 96 x 96 x 16 patches
    // sharing 16 x 16 x 4 shift inward at the edges, so they tile the volume exactly.
    @Test func brainPatchesReassembleIntoImageAndMask() throws {
        let folder = TemporaryFolder()
        let (summary, manifest, out) = try Self.tile(StackFiles.brainImage, mask: StackFiles.brainLabel, in: folder) {
            $0.window = RasterSize(width: 96, height: 96, depth: 16)
            $0.overlap = RasterSize(width: 16, height: 16, depth: 4)
        }
        // X, Y: 256 = 0, 80, 160 (last shifted to 160); Z: 25 = 0, 9 (shifted): 3 x 3 x 2.
        #expect(manifest.count == 18 && summary.counts.written == 18 && summary.counts.padded == 0)
        #expect(manifest.allSatisfy { $0.mask != nil && $0.spacing == Spacing(x: 0.78125, y: 0.78125, z: 6.5, unit: "mm") })
        try Self.reassemble(manifest, in: out, path: \.optionalPath, equals: StackFiles.brainImage, padValue: 0)
        try Self.reassemble(manifest, in: out, path: \.mask, equals: StackFiles.brainLabel, padValue: 0)
        // The patch files are ImageJ stacks with the source's spacing.
        let first = try TIFFStack(opening: out + "/" + manifest[0].path)
        #expect(first.flavour == .imagej && first.size == RasterSize(width: 96, height: 96, depth: 16))
        #expect(abs(first.spacing.x - 0.78125) < 1e-9 && first.spacing.z == 6.5 && first.spacing.unit == "mm")
    }

    // Independent reader: GDAL opens page z + 1 of the source as `GTIFF_DIR:z+1:path`; each
    // slice of a patch must equal that page's window, byte for byte.
    @Test func patchesEqualGDALsReadOfTheSourcePages() throws {
        let folder = TemporaryFolder()
        let (_, manifest, out) = try Self.tile(StackFiles.lungImage, mask: StackFiles.lungLabel, in: folder) {
            $0.window = RasterSize(width: 200, height: 160, depth: 5)
            $0.overlap = RasterSize(width: 8, height: 8, depth: 1)
        }
        for entry in [manifest.first!, manifest[manifest.count / 2], manifest.last!] {
            let w = entry.window.window
            let image = try StackFiles.patch(out + "/" + entry.path)
            let mask = try StackFiles.patch(out + "/" + entry.mask!)
            for k in 0 ..< w.depth {
                for (patch, source) in [(image, StackFiles.lungImage), (mask, StackFiles.lungLabel)] {
                    let expected = try GDALTruth.windowBytes("GTIFF_DIR:\(w.z + k + 1):\(source)", x: w.x, y: w.y, width: w.width,
                                                             height: w.height, band: 1, scratch: folder.path)
                    let sliceBytes = w.width * w.height * patch.pixelType.byteSize
                    #expect(Data(patch.bytes[(k * sliceBytes) ..< ((k + 1) * sliceBytes)]) == expected, "\(entry.id) slice \(k) of \(source)")
                }
            }
        }
    }

    // The lung CT (512 x 512 x 13) cut with the pad policy: the last patches overhang in X, Y
    // and Z, and are padded — the image with constant −1024 (air), the mask with 0 — written as
    // (C, Z, Y, X) .npy arrays.
    @Test func paddedNpyPatchesReassembleWithPaddingWhereTheyOverhang() throws {
        let folder = TemporaryFolder()
        let (summary, manifest, out) = try Self.tile(StackFiles.lungImage, mask: StackFiles.lungLabel, in: folder) {
            $0.window = RasterSize(width: 200, height: 200, depth: 6)
            $0.overlap = RasterSize(width: 40, height: 40, depth: 2)
            $0.edge = .pad
            $0.padValue = -1024
            $0.format = .npy
        }
        // X, Y: starts 0, 160, 320 (320 + 200 > 512); Z: 0, 4, 8 (8 + 6 > 13): 3 x 3 x 3.
        #expect(manifest.count == 27)
        let overhanging = manifest.filter { $0.window.x + 200 > 512 || $0.window.y + 200 > 512 || $0.window.z! + 6 > 13 }
        #expect(summary.counts.padded == overhanging.count && overhanging.allSatisfy { $0.padded == true })
        #expect(manifest.allSatisfy { $0.path.hasSuffix(".npy") && $0.mask!.hasSuffix("_mask.npy") })
        try Self.reassemble(manifest, in: out, path: \.optionalPath, equals: StackFiles.lungImage, padValue: -1024)
        try Self.reassemble(manifest, in: out, path: \.mask, equals: StackFiles.lungLabel, padValue: 0)
    }

    // Lesion flags from the written mask patches alone. brain1's mask has 4,137 voxels in
    // x 162–208, y 84–153, z 11–17 (SOURCES.md); the lesions' boxes must add up to exactly that.
    // They do not overlap, so the mask voxels a patch holds inside lesion i's box are lesion i's:
    // a lesion is listed when its box meets the patch, truncated exactly when the patch holds
    // fewer than all its voxels, and the patch holds no mask voxel outside the listed boxes.
    @Test func lesionFlagsFollowFromTheWrittenMaskPatches() throws {
        let folder = TemporaryFolder()
        let (summary, manifest, out) = try Self.tile(StackFiles.brainImage, mask: StackFiles.brainLabel, in: folder) {
            $0.window = RasterSize(width: 64, height: 64, depth: 8)
            $0.overlap = RasterSize(width: 24, height: 24, depth: 3)
        }
        let table = try #require(summary.lesions?.table)
        #expect(table.reduce(0) { $0 + $1.voxels } == 4137)
        let extent = table.dropFirst().reduce(table[0].bbox) { $0.union($1.bbox) }
        #expect(extent == Window(x: 162, y: 84, z: 11, width: 47, height: 70, depth: 7))
        for (i, a) in table.enumerated() { for b in table.dropFirst(i + 1) { #expect(a.bbox.intersection(b.bbox) == nil) } }

        var wholeCounts = [Int](repeating: 0, count: table.count)
        for entry in manifest {
            let window = entry.window.window
            let mask = try StackFiles.patch(out + "/" + entry.mask!).samples(band: 0)
            var inBoxes = 0
            let listed = Dictionary(uniqueKeysWithValues: (entry.lesions ?? []).map { ($0.id, $0) })
            for (i, lesion) in table.enumerated() {
                var held = 0
                if let part = lesion.bbox.intersection(window) {
                    for z in part.z ..< part.maxZ { for y in part.y ..< part.maxY { for x in part.x ..< part.maxX {
                        if mask[((z - window.z) * window.height + y - window.y) * window.width + x - window.x] != 0 { held += 1 }
                    } } }
                }
                inBoxes += held
                let record = listed[String(lesion.id)]
                #expect((record != nil) == (lesion.bbox.intersection(window) != nil), "\(entry.id): lesion \(lesion.id) listed")
                if let record {
                    #expect(record.truncated == (held < lesion.voxels), "\(entry.id): lesion \(lesion.id) holds \(held) of \(lesion.voxels)")
                    #expect(record.class == String(lesion.label))
                    if !record.truncated { wholeCounts[i] += 1 }
                }
            }
            #expect(mask.count { $0 != 0 } == inBoxes, "\(entry.id): mask voxels outside every lesion box")
        }
        #expect(wholeCounts == table.map(\.patchesContaining))
        #expect(summary.audit?.targetCount == table.count)
    }

    // Level 1 (X and Y halved) and level 1 with --scale-z (Z halved too), windows in level-0
    // voxels: each patch equals the block means computed here from the source voxels, clipped
    // at the edges (brain1 has 25 slices: the last Z block at level 1 is one slice).
    @Test(arguments: [false, true])
    func levelPatchesAreIndependentBlockMeans(scaleZ: Bool) throws {
        let folder = TemporaryFolder()
        let (summary, manifest, out) = try Self.tile(StackFiles.brainImage, mask: StackFiles.brainLabel, in: folder) {
            $0.window = RasterSize(width: 48, height: 48, depth: 8)
            $0.overlap = RasterSize(width: 8, height: 8, depth: 2)
            $0.levels = .explicit([1])
            $0.scaleDepth = scaleZ
        }
        let g = scaleZ ? 2 : 1
        let (size, voxels) = try StackFiles.volume(StackFiles.brainImage)
        let level = StackFiles.blockMeans(voxels, size: size, factor: 2, depthFactor: g)
        let (_, labels) = try StackFiles.volume(StackFiles.brainLabel)
        #expect(summary.perLevel[0].levelSize == [128, 128, scaleZ ? 13 : 25])
        #expect(summary.perLevel[0].spacing == Spacing(x: 1.5625, y: 1.5625, z: scaleZ ? 13 : 6.5, unit: "mm"))
        for entry in manifest {
            let base = entry.window.window
            #expect(base.width == 96 && base.height == 96 && base.depth == 8 * g, "windows are in level-0 voxels")
            let levelWindow = Window(x: base.x / 2, y: base.y / 2, z: base.z / g, width: 48, height: 48, depth: 8)
            let patch = try StackFiles.patch(out + "/" + entry.path).samples(band: 0)
            #expect(patch == StackFiles.crop(level.values, size: level.size, to: levelWindow).map { $0! }, "\(entry.id)")
            // Masks take the voxel at offset ⌊n/2⌋ of each (clipped) block: label-valued.
            let mask = try StackFiles.patch(out + "/" + entry.mask!).samples(band: 0)
            var expected: [Double] = []
            for k in levelWindow.z ..< levelWindow.maxZ {
                let z = k * g + min(g, size.depth - k * g) / 2
                for j in levelWindow.y ..< levelWindow.maxY { for i in levelWindow.x ..< levelWindow.maxX {
                    expected.append(labels[(z * size.height + j * 2 + 1) * size.width + i * 2 + 1])
                } }
            }
            #expect(mask == expected, "\(entry.id) mask")
        }
    }

    // --patch 128x128 cuts 2-D patches, one slice deep, slice by slice: 2 x 2 per slice x 25.
    // --patch-mm 40x40x40 at 0.78125 x 0.78125 x 6.5 mm is 51 x 51 x 6 voxels (40 / 0.78125 =
    // 51.2, 40 / 6.5 = 6.15).
    @Test func twoDimensionalAndMillimetrePatches() throws {
        let folder = TemporaryFolder()
        let (flat, flatManifest, _) = try Self.tile(StackFiles.brainImage, mask: nil, in: folder) {
            $0.window = RasterSize(width: 128, height: 128, depth: 1)
        }
        #expect(flatManifest.count == 100 && flat.perLevel[0].grid == [2, 2, 25])
        #expect(flatManifest.allSatisfy { $0.window.depth == 1 && $0.mask == nil && $0.lesions == nil })
        let (mm, mmManifest, out) = try Self.tile(StackFiles.brainImage, mask: nil, in: folder) {
            $0.windowMillimetres = SIMD3(40, 40, 40)
        }
        #expect(mm.patch == [51, 51, 6])
        #expect(try StackFiles.patch(out + "/" + mmManifest[0].path).size == RasterSize(width: 51, height: 51, depth: 6))
    }

    @Test func outputIsIdenticalForOneOrThreeThreads() throws {
        let folder = TemporaryFolder()
        func run(_ threads: Int) throws -> String {
            try Self.tile(StackFiles.lungImage, mask: StackFiles.lungLabel, in: folder) {
                $0.window = RasterSize(width: 128, height: 128, depth: 4)
                $0.overlap = RasterSize(width: 16, height: 16, depth: 1)
                $0.levels = .explicit([0, 1])
                $0.padding = .reflect
                $0.edge = .pad
                $0.threads = threads
            }.2
        }
        let one = try run(1), three = try run(3)
        let files = StackFiles.files(under: one)
        #expect(files.count > 100 && files == StackFiles.files(under: three))
        for name in files {
            #expect(FileManager.default.contents(atPath: one + "/" + name) == FileManager.default.contents(atPath: three + "/" + name), "\(name)")
        }
    }

    // A run that fails part-way leaves only complete patches; --resume completes it and the
    // result equals a clean run.
    @Test func failedRunLeavesCompletePatchesAndResumeFinishesIt() throws {
        let folder = TemporaryFolder()
        let configure: (inout TileOptions) -> Void = {
            $0.window = RasterSize(width: 96, height: 96, depth: 8)
            $0.overlap = RasterSize(width: 16, height: 16, depth: 2)
        }
        let (_, cleanManifest, clean) = try Self.tile(StackFiles.brainImage, mask: StackFiles.brainLabel, in: folder, configure)
        let out = folder.file("interrupted")
        var options = TileOptions()
        options.threads = 2
        configure(&options)
        // A folder where one image patch must go makes its final rename fail mid-run. (The run
        // resumes into the folder holding only that obstacle, else it would refuse to start.)
        let blocked = cleanManifest[7].path
        try FileManager.default.createDirectory(atPath: out + "/" + blocked + "/x", withIntermediateDirectories: true)
        options.existingOutput = .resume
        #expect(throws: ScaleTileError.self) {
            try TileJob(source: StackFiles.brainImage, mask: StackFiles.brainLabel, output: out, options: options).run()
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: out + "/patches/L0").filter { $0 != (blocked as NSString).lastPathComponent }
        #expect(!left.contains { $0.contains(AtomicFile.partialMarker) }, "no temporary file is left behind")
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.jsonl"))
        let complete = cleanManifest.filter { left.contains(($0.path as NSString).lastPathComponent) && left.contains(($0.mask! as NSString).lastPathComponent) }
        for entry in complete {
            #expect(try StackFiles.patch(out + "/" + entry.path).bytes == (try StackFiles.patch(clean + "/" + entry.path).bytes), "\(entry.id)")
        }
        try FileManager.default.removeItem(atPath: out + "/" + blocked)
        let summary = try TileJob(source: StackFiles.brainImage, mask: StackFiles.brainLabel, output: out, options: options).run()
        #expect(summary.counts.resumed == complete.count && complete.count > 0)
        #expect(summary.counts.written + summary.counts.resumed == cleanManifest.count)
        #expect(FileManager.default.contents(atPath: out + "/manifest.jsonl") == FileManager.default.contents(atPath: clean + "/manifest.jsonl"))
        // The summaries differ only in how many patches were written and how many kept.
        var resumed = try JSONDecoder().decode(TileSummary.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let fresh = try JSONDecoder().decode(TileSummary.self, from: Data(contentsOf: URL(fileURLWithPath: clean + "/summary.json")))
        #expect(resumed.counts.resumed == complete.count)
        resumed.patches = fresh.patches
        #expect(resumed == fresh)
    }
}

extension ManifestEntry {
    /// `path` as an optional, so image and mask share one key-path type in the reassembly check.
    var optionalPath: String? { path }
}
