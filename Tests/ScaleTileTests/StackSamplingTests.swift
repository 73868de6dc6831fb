import Foundation
import Testing
@testable import ScaleTile
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// A chest-like stack made here: a body ellipse (40 HU) in air (−1000 HU), with spherical
/// lesions 2 to 40 voxels across, each with its own mask value so a mask patch tells which
/// lesions it holds. Voxel sets are enumerated here, voxel by voxel, and are the truth the
/// tests hold the written files to.
struct LesionPhantom {
    /// 224 × 176 × 96 = 3.8M voxels: small enough for ScaleTile's tissue map to be exact
    /// (one-voxel cells up to 4M voxels), so the negatives' tissue share checks hold exactly.
    static let size = RasterSize(width: 224, height: 176, depth: 96)
    static let spacing = Spacing(x: 0.8, y: 0.8, z: 1.5, unit: "mm")
    static let air: Int16 = -1000, body: Int16 = 40, lesionValue: Int16 = 90

    /// Diameter in voxels and the corner of its bounding box; some small lesions sit within a
    /// patch of larger ones, as nodules near others do.
    static let layout: [(diameter: Int, x: Int, y: Int, z: Int)] = [
        (40, 30, 40, 20), (33, 120, 30, 50), (26, 160, 110, 10), (20, 50, 110, 60), (15, 100, 100, 30),
        (11, 80, 60, 70), (8, 140, 70, 20), (6, 75, 40, 25), (4, 180, 60, 80), (3, 110, 140, 40), (2, 60, 90, 10),
    ]

    struct Lesion {
        let label: Int
        let voxels: [Int]          // linear indices (z, y, x)
        let bbox: Window
    }

    let lesions: [Lesion]
    let image: [Int16]
    let mask: [UInt8]

    init() {
        let s = Self.size
        var image = [Int16](repeating: Self.air, count: s.pixelCount)
        var mask = [UInt8](repeating: 0, count: s.pixelCount)
        for z in 0 ..< s.depth {
            for y in 0 ..< s.height {
                for x in 0 ..< s.width {
                    let dx = (Double(x) - 111.5) / 106, dy = (Double(y) - 87.5) / 84
                    if dx * dx + dy * dy <= 1 { image[(z * s.height + y) * s.width + x] = Self.body }
                }
            }
        }
        var lesions: [Lesion] = []
        for (n, l) in Self.layout.enumerated() {
            // Voxel centres at integers; the sphere's centre at the middle of its d-voxel box.
            let r = Double(l.diameter) / 2, c = Double(l.diameter - 1) / 2
            var voxels: [Int] = []
            for k in 0 ..< l.diameter {
                for j in 0 ..< l.diameter {
                    for i in 0 ..< l.diameter {
                        let d2 = (Double(i) - c) * (Double(i) - c) + (Double(j) - c) * (Double(j) - c) + (Double(k) - c) * (Double(k) - c)
                        guard d2 <= r * r else { continue }
                        let index = ((l.z + k) * s.height + l.y + j) * s.width + l.x + i
                        voxels.append(index)
                        mask[index] = UInt8(n + 1)
                        image[index] = Self.lesionValue
                    }
                }
            }
            lesions.append(Lesion(label: n + 1, voxels: voxels,
                                  bbox: Window(x: l.x, y: l.y, z: l.z, width: l.diameter, height: l.diameter, depth: l.diameter)))
        }
        self.lesions = lesions
        self.image = image
        self.mask = mask
    }

    /// Writes `image.tif` and `mask.tif` (ImageJ stacks) into `folder`.
    func write(into folder: TemporaryFolder) throws -> (image: String, mask: String) {
        func buffer<T>(_ values: [T], _ type: PixelType) -> RasterBuffer {
            RasterBuffer(pixelType: type, bandCount: 1, size: Self.size,
                         bytes: values.withUnsafeBytes { [UInt8]($0) })
        }
        let paths = (folder.file("image.tif"), folder.file("mask.tif"))
        try StackWriter(format: .tiff).write(buffer(image, .int16), spacing: Self.spacing, to: paths.0)
        try StackWriter(format: .tiff).write(buffer(mask, .uint8), spacing: Self.spacing, to: paths.1)
        return paths
    }
}

/// What a sampling run's folder shows about its lesions, recomputed from the manifest windows
/// and the written patch files alone.
struct WrittenContainment {
    /// Per lesion (in the order given), the written patches holding all of its voxels.
    var counts: [Int]
    /// Manifest entries by id.
    var entries: [ManifestEntry]

    /// `lesions[i]` is whole in a patch when every one of its voxels lies in the patch's window
    /// and the mask patch holds a lesion value at each of them.
    init(folder: String, lesions: [(voxels: [Int], bbox: Window)], volume: RasterSize) throws {
        entries = try OutputFolder(path: folder).readManifest()
        counts = Array(repeating: 0, count: lesions.count)
        for entry in entries where entry.level == 0 {
            let w = entry.window.window
            let mask = try StackFiles.patch(folder + "/" + entry.mask!).samples(band: 0)
            for (i, lesion) in lesions.enumerated() where w.contains(lesion.bbox) {
                let marked = lesion.voxels.count { index in
                    let x = index % volume.width, y = (index / volume.width) % volume.height, z = index / (volume.width * volume.height)
                    return mask[((z - w.z) * w.height + y - w.y) * w.width + x - w.x] != 0
                }
                if marked == lesion.voxels.count { counts[i] += 1 } else {
                    Issue.record("\(entry.id): lesion \(i + 1)'s box is inside the window, but the mask patch marks \(marked) of its \(lesion.voxels.count) voxels")
                }
            }
        }
    }

    /// R over the lesions: most-contained over least-contained.
    var samplingBias: Double { Double(counts.max()!) / Double(counts.min()!) }
}

/// Connected components of equal non-zero values, 26-connected, by flood fill: the test's own
/// lesion finder for masks it did not make.
enum FloodFill {
    static func components(_ values: [Double], size: RasterSize) -> [(voxels: [Int], bbox: Window)] {
        var seen = [Bool](repeating: false, count: values.count)
        var found: [(voxels: [Int], bbox: Window)] = []
        for start in values.indices where values[start] != 0 && !seen[start] {
            var stack = [start], voxels: [Int] = []
            seen[start] = true
            var lo = (Int.max, Int.max, Int.max), hi = (Int.min, Int.min, Int.min)
            while let v = stack.popLast() {
                voxels.append(v)
                let x = v % size.width, y = (v / size.width) % size.height, z = v / (size.width * size.height)
                lo = (min(lo.0, x), min(lo.1, y), min(lo.2, z))
                hi = (max(hi.0, x), max(hi.1, y), max(hi.2, z))
                for dz in -1 ... 1 {
                    for dy in -1 ... 1 {
                        for dx in -1 ... 1 {
                            let (nx, ny, nz) = (x + dx, y + dy, z + dz)
                            guard nx >= 0, ny >= 0, nz >= 0, nx < size.width, ny < size.height, nz < size.depth else { continue }
                            let n = (nz * size.height + ny) * size.width + nx
                            if !seen[n], values[n] == values[start] {
                                seen[n] = true
                                stack.append(n)
                            }
                        }
                    }
                }
            }
            found.append((voxels, Window(x: lo.0, y: lo.1, z: lo.2, width: hi.0 - lo.0 + 1, height: hi.1 - lo.1 + 1, depth: hi.2 - lo.2 + 1)))
        }
        return found
    }
}

/// `scaletile sample` on stacks: object-balanced patches hold every lesion whole in at least k
/// of them with a sampling bias R ≤ 1.5, negatives hold no lesion voxel and lie on tissue, and
/// the summary's audit equals what the written files show. Every figure is recomputed from the
/// manifest windows and the patch files.
@Suite("Stack sampling", .serialized)
struct StackSamplingTests {
    static func sample(_ image: String, mask: String, into out: String, threads: Int = 2,
                       _ configure: (inout TileOptions) -> Void) throws -> TileSummary {
        var options = TileOptions()
        options.threads = threads
        configure(&options)
        return try TileJob(source: image, mask: mask, output: out, options: options).run()
    }

    @Test func objectBalancedHoldsEveryLesionWholeInFivePatchesWithRAtMostOneAndAHalf() throws {
        let t = TemporaryFolder()
        let phantom = LesionPhantom()
        let (image, mask) = try phantom.write(into: t)
        let lesions = phantom.lesions
        let summary = try Self.sample(image, mask: mask, into: t.file("out")) {
            $0.window = RasterSize(width: 48, height: 48, depth: 48)
            $0.seed = 11
            $0.sampling = TileSampling(strategy: .objectBalanced(alpha: 1, minPerObject: 5), count: 5 * lesions.count,
                                        negatives: 12, tissue: .imageAbove(-500), minTissueShare: 0.6)
        }
        let written = try WrittenContainment(folder: t.file("out"), lesions: lesions.map { ($0.voxels, $0.bbox) },
                                             volume: LesionPhantom.size)
        // The truth: every lesion whole in ≥ 5 patches, R ≤ 1.5 (every lesion fits a 48³ patch).
        #expect(written.counts.allSatisfy { $0 >= 5 }, "\(written.counts)")
        #expect(written.samplingBias <= 1.5, "R = \(written.samplingBias), counts \(written.counts)")

        // Each lesion patch holds the lesion it was placed for, at offsets that vary. The tool
        // numbers lesions by their first voxel in raster order; its table gives each id's box.
        let table = try #require(summary.lesions?.table)
        let boxOfID = Dictionary(uniqueKeysWithValues: table.map { (String($0.id), $0.bbox) })
        let positive = written.entries.filter { $0.reason == .lesion }
        #expect(positive.count >= 5 * lesions.count)
        var offsets: [String: Set<[Int]>] = [:]
        for entry in positive {
            let target = try #require(entry.target)
            let box = try #require(boxOfID[target]), w = entry.window.window
            #expect(w.contains(box), "\(entry.id) does not hold lesion \(target)")
            offsets[entry.target!, default: []].insert([box.x - w.x, box.y - w.y, box.z - w.z])
        }
        #expect(offsets.filter { $0.value.count > 1 }.count >= lesions.count - 1, "patches sit at random offsets: \(offsets.mapValues(\.count))")

        // The summary's audit is what the files show.
        let audit = try #require(summary.audit)
        let byBox = Dictionary(uniqueKeysWithValues: lesions.enumerated().map { ($0.element.bbox, $0.offset) })
        #expect(table.count == lesions.count)
        for record in table {
            let i = try #require(byBox[record.bbox])
            #expect(record.voxels == lesions[i].voxels.count, "lesion \(i + 1): \(record.voxels) voxels, counted \(lesions[i].voxels.count)")
            #expect(record.patchesContaining == written.counts[i])
            let auditRecord = try #require(audit.targets.first { $0.id == String(record.id) })
            #expect(auditRecord.containmentCount == written.counts[i])
        }
        #expect(abs(audit.samplingBias! - written.samplingBias) < 1e-12)
        #expect(audit.coverageShare(k: 5) == 1 && audit.containedShare == 1)
        #expect(audit.windowCount == written.entries.count)
        // Size slope: least squares of ln(count + 1) on ln(voxels), recomputed.
        let xs = lesions.map { log(Double($0.voxels.count)) }, ys = written.counts.map { log(Double($0) + 1) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let slope = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        #expect(abs(audit.sizeSlope! - slope) < 1e-9)
        // Histogram after: each lesion counted once per patch holding it, in bins of s = √n.
        #expect(audit.histogramAfter.bins.reduce(0) { $0 + $1.count } == written.counts.reduce(0, +))

        // Negatives: no lesion voxel in their mask patches, at least 60 % tissue (> −500 HU) in
        // their image patches, all 12 placed.
        let negatives = written.entries.filter { $0.reason == .negative }
        #expect(negatives.count == 12 && summary.sampling?.negativesPlaced == 12)
        for entry in negatives {
            let maskVoxels = try StackFiles.patch(t.file("out/" + entry.mask!)).samples(band: 0)
            #expect(maskVoxels.allSatisfy { $0 == 0 }, "\(entry.id) holds lesion voxels")
            let imageVoxels = try StackFiles.patch(t.file("out/" + entry.path)).samples(band: 0)
            let tissue = Double(imageVoxels.count { $0 > -500 }) / Double(imageVoxels.count)
            #expect(tissue >= 0.6, "\(entry.id): \(tissue) of its voxels are tissue")
            #expect(entry.target == nil && entry.lesions?.isEmpty == true)
        }
    }

    // α = 0 is what voxel-uniform samplers do: the largest lesion gets far more patches than the
    // smallest, and the audit says so (R well above 1, slope near 1).
    @Test func alphaZeroIsSizeProportional() throws {
        let t = TemporaryFolder()
        let phantom = LesionPhantom()
        let (image, mask) = try phantom.write(into: t)
        let summary = try Self.sample(image, mask: mask, into: t.file("out")) {
            $0.window = RasterSize(width: 48, height: 48, depth: 48)
            $0.sampling = TileSampling(strategy: .objectBalanced(alpha: 0, minPerObject: 0), count: 200)
        }
        let written = try WrittenContainment(folder: t.file("out"), lesions: phantom.lesions.map { ($0.voxels, $0.bbox) },
                                             volume: LesionPhantom.size)
        // The 2-voxel lesion (8 voxels) gets no patch of its own out of 200 when the 40-voxel one
        // (about 33 500 voxels) gets most of them: it is seen only in its neighbours' patches, if at all.
        #expect(written.counts[0] > 5 * max(1, written.counts[10]), "\(written.counts)")
        #expect((summary.audit?.sizeSlope ?? 0) > 0.5)
    }

    @Test func outputIsIdenticalForOneOrThreeThreads() throws {
        let t = TemporaryFolder()
        let (image, mask) = try LesionPhantom().write(into: t)
        for (threads, out) in [(1, "one"), (3, "three")] {
            _ = try Self.sample(image, mask: mask, into: t.file(out), threads: threads) {
                $0.window = RasterSize(width: 40, height: 40, depth: 40)
                $0.levels = .explicit([0, 1])
                $0.format = .npy
                $0.sampling = TileSampling(strategy: .objectBalanced(alpha: 1, minPerObject: 3), count: 30,
                                            negatives: 5, tissue: .imageAbove(-500))
            }
        }
        let one = StackFiles.files(under: t.file("one")), three = StackFiles.files(under: t.file("three"))
        #expect(one == three && one.count > 60)
        for file in one {
            #expect(FileManager.default.contentsEqual(atPath: t.file("one/" + file), andPath: t.file("three/" + file)), "\(file)")
        }
        // Every lesion fits a 40³ patch at level 0, the finest level where it fits: no patch needs level 1.
        let manifest = try OutputFolder(path: t.file("one")).readManifest()
        #expect(manifest.allSatisfy { $0.level == 0 })
    }

    // A lesion larger than the patch at level 0 is sampled at the finest level where it fits.
    @Test func lesionsTooLargeForLevelZeroGoToTheFinestLevelWhereTheyFit() throws {
        let t = TemporaryFolder()
        let phantom = LesionPhantom()
        let (image, mask) = try phantom.write(into: t)
        let summary = try Self.sample(image, mask: mask, into: t.file("out")) {
            $0.window = RasterSize(width: 24, height: 24, depth: 24)
            $0.levels = .explicit([0, 1])
            $0.scaleDepth = true
            $0.sampling = TileSampling(strategy: .objectBalanced(alpha: 1, minPerObject: 2), count: 22)
        }
        let boxOfID = Dictionary(uniqueKeysWithValues: (summary.lesions?.table ?? []).map { (String($0.id), $0.bbox) })
        #expect(Set(boxOfID.values) == Set(phantom.lesions.map(\.bbox)))
        let manifest = try OutputFolder(path: t.file("out")).readManifest()
        for entry in manifest where entry.reason == .lesion {
            let box = try #require(boxOfID[entry.target!])
            // 24 voxels hold lesions up to 24 across at level 0, up to 48 at level 1.
            #expect(entry.level == (box.width <= 24 ? 0 : 1), "\(entry.id) at level \(entry.level)")
            #expect(entry.window.window.contains(box))
            let patch = try StackFiles.patch(t.file("out/" + entry.path))
            #expect(patch.size == RasterSize(width: 24, height: 24, depth: 24))
        }
    }

    @Test func negativesAvoidAirOutsideATissueMask() throws {
        let t = TemporaryFolder()
        let phantom = LesionPhantom()
        let (image, mask) = try phantom.write(into: t)
        // A tissue mask of the left half of the body only.
        let s = LesionPhantom.size
        var tissue = [UInt8](repeating: 0, count: s.pixelCount)
        for i in tissue.indices where phantom.image[i] != LesionPhantom.air && i % s.width < s.width / 2 { tissue[i] = 1 }
        try StackWriter(format: .tiff).write(RasterBuffer(pixelType: .uint8, bandCount: 1, size: s, bytes: tissue),
                                             spacing: LesionPhantom.spacing, to: t.file("tissue.tif"))
        _ = try Self.sample(image, mask: mask, into: t.file("out")) {
            $0.window = RasterSize(width: 32, height: 32, depth: 16)
            $0.sampling = TileSampling(strategy: .objectBalanced(), count: 11, negatives: 20, tissue: .mask(t.file("tissue.tif")),
                                        minTissueShare: 0.9)
        }
        let negatives = try OutputFolder(path: t.file("out")).readManifest().filter { $0.reason == .negative }
        #expect(negatives.count == 20)
        for entry in negatives {
            let w = entry.window.window
            var inside = 0
            for z in w.z ..< w.maxZ {
                for y in w.y ..< w.maxY {
                    for x in w.x ..< w.maxX where tissue[(z * s.height + y) * s.width + x] != 0 { inside += 1 }
                }
            }
            #expect(Double(inside) >= 0.9 * Double(w.pixelCount), "\(entry.id): \(inside) of \(w.pixelCount) voxels in the tissue mask")
            #expect(try StackFiles.patch(t.file("out/" + entry.mask!)).samples(band: 0).allSatisfy { $0 == 0 })
        }
    }

    @Test func lesionStrategiesNeedAMask() throws {
        let t = TemporaryFolder()
        let (image, _) = try LesionPhantom().write(into: t)
        var options = TileOptions()
        options.window = RasterSize(width: 32, height: 32, depth: 16)
        options.sampling = TileSampling(strategy: .objectBalanced(), count: 10)
        #expect(throws: ScaleTileError.self) { try TileJob(source: image, output: t.file("out"), options: options).prepare() }
        // Uniform sampling needs none.
        options.sampling = TileSampling(strategy: .uniform, count: 4)
        let summary = try TileJob(source: image, output: t.file("out"), options: options).run()
        #expect(summary.counts.written == 4 && summary.audit == nil)
    }
}

/// The same promise on real masks (`../shared/data/medical`) and on the medical samples of
/// `SampleData/`: with N = 5 × lesions object-balanced patches, every lesion is whole in at least
/// 5 of them and R ≤ 1.5. Lesions are found here by flood fill, not by ScaleTile.
@Suite("Stack sampling on real masks", .serialized)
struct StackSamplingRealMaskTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let image: String
        let mask: String
        let patch: RasterSize
        var testDescription: String { name }
    }

    static let sampleData = SharedData.packageRoot + "/SampleData/medical/"
    static let sharedCases: [Case] = [
        Case(name: "brain1 tumour", image: StackFiles.brainImage, mask: StackFiles.brainLabel,
             patch: RasterSize(width: 96, height: 96, depth: 12)),
        Case(name: "lung1 nodule, OME", image: StackFiles.lungImage, mask: StackFiles.lungLabel,
             patch: RasterSize(width: 64, height: 64, depth: 8)),
    ]
    // The patches of the presets in Domains/medical.
    static let sampleDataCases: [Case] = [
        Case(name: "chest CT, 10 nodules", image: sampleData + "ct_chest.tif", mask: sampleData + "ct_nodules_mask.tif",
             patch: RasterSize(width: 64, height: 64, depth: 16)),
        Case(name: "brain FLAIR, 23 lesions of 2 classes", image: sampleData + "mri_brain.ome.tif",
             mask: sampleData + "mri_lesions_mask.ome.tif", patch: RasterSize(width: 48, height: 48, depth: 8)),
    ]

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)), arguments: sharedCases)
    func sharedDataMasks(_ c: Case) throws {
        try Self.check(c)
    }

    @Test(arguments: sampleDataCases)
    func sampleDataMasks(_ c: Case) throws {
        try Self.check(c)
    }

    static func check(_ c: Case) throws {
        let t = TemporaryFolder()
        let (size, values) = try StackFiles.volume(c.mask)
        let lesions = FloodFill.components(values, size: size)
        try #require(!lesions.isEmpty)
        let summary = try StackSamplingTests.sample(c.image, mask: c.mask, into: t.file("out")) {
            $0.window = c.patch
            $0.sampling = TileSampling(strategy: .objectBalanced(alpha: 1, minPerObject: 5), count: 5 * lesions.count)
        }
        let written = try WrittenContainment(folder: t.file("out"), lesions: lesions, volume: size)
        #expect(written.counts.allSatisfy { $0 >= 5 }, "\(written.counts)")
        #expect(written.samplingBias <= 1.5, "R = \(written.samplingBias), counts \(written.counts)")
        #expect(summary.lesions?.count == lesions.count)
        #expect(summary.audit?.samplingBias.map { abs($0 - written.samplingBias) < 1e-12 } == true)
        #expect(summary.audit?.coverageShare(k: 5) == 1)
    }
}
