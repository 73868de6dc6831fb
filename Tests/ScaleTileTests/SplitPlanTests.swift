import Testing
import ScaleTileCore

/// Split assignment as pure code: shares, leak-free windows, stratification, determinism.
/// Truth is recomputed here from the windows and objects, not taken from `SplitPlan`.
@Suite("Split assignment")
struct SplitPlanTests {
    @Test func sharesParseAndRefuseBadInput() throws {
        let shares = try SplitShares(parsing: "train=0.8,val=0.1,test=0.1")
        #expect(shares.names == [.train, .val, .test])
        #expect(shares[.val] == 0.1)
        for bad in ["train=0.8,val=0.1", "train=0.8,valid=0.2", "val=0.5,test=0.5", "train=0.8,val=0.2,val=0", "train=1.2,val=-0.2", "train"] {
            #expect(throws: ScaleTileError.self, "\(bad)") { try SplitShares(parsing: bad) }
            do { _ = try SplitShares(parsing: bad) } catch let e as ScaleTileError { #expect(e.kind == .invalidArgument) }
        }
    }

    /// A grid of `tile` windows with `overlap` over a square source, in plan order.
    static func grid(side: Int, tile: Int, overlap: Int) -> [PlannedWindow] {
        var windows: [PlannedWindow] = []
        let stride = tile - overlap
        var y = 0
        while y + tile <= side {
            var x = 0
            while x + tile <= side {
                windows.append(PlannedWindow(id: "x\(x)_y\(y)", level: 0, window: Window(x: x, y: y, width: tile, height: tile), reason: .grid))
                x += stride
            }
            y += stride
        }
        return windows
    }

    /// Seeded objects: sizes spread over the three COCO buckets, three classes of unequal frequency.
    static func objects(count: Int, side: Int, seed: UInt64) -> [SamplingTarget] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { i in
            let edge = [8, 12, 20, 40, 60, 120][random.integer(in: 0...5)]
            let x = random.integer(in: 0...(side - edge)), y = random.integer(in: 0...(side - edge))
            let className = ["car", "car", "car", "truck", "truck", "bus"][random.integer(in: 0...5)]
            return SamplingTarget(id: "\(i)", className: className, bbox: Window(x: x, y: y, width: edge, height: edge),
                                  pixelCount: Double(edge * edge))
        }
    }

    @Test(arguments: [UInt64(0), 7])
    func windowsOfDifferentSplitsShareNoPixel(seed: UInt64) throws {
        let side = 2048
        let windows = Self.grid(side: side, tile: 128, overlap: 32)
        let objects = Self.objects(count: 800, side: side, seed: seed)
        let plan = SplitPlan(windows: windows, objects: objects, sourceSize: RasterSize(width: side, height: side),
                             shares: try SplitShares(parsing: "train=0.7,val=0.2,test=0.1"), blockSize: 224, seed: seed, shift: true)
        // Every window is kept, shifted or dropped, and no two kept windows coincide.
        #expect(plan.windows.count + plan.dropped == windows.count)
        #expect(plan.shifted > 0)
        #expect(Set(plan.windows.map { [$0.window.x, $0.window.y] }).count == plan.windows.count)
        // Naive pairwise truth: windows of two splits never intersect.
        var shared = 0
        for a in plan.windows {
            for b in plan.windows where plan.windowSplits[a.id]! < plan.windowSplits[b.id]! {
                shared += a.window.intersection(b.window)?.pixelCount ?? 0
            }
            // Shifted windows stay inside the source.
            #expect(a.window.x >= 0 && a.window.y >= 0 && a.window.maxX <= side && a.window.maxY <= side)
        }
        #expect(shared == 0)
        #expect(LeakageAudit.sharedPixels(plan.windows.map { ($0.window, plan.windowSplits[$0.id]!) }) == 0)
        // Every split has windows near its share (blocks, not windows, are assigned: loose bound).
        for name in [SplitName.train, .val, .test] {
            let share = Double(plan.windows.filter { plan.windowSplits[$0.id] == name }.count) / Double(plan.windows.count)
            let target = name == .train ? 0.7 : (name == .val ? 0.2 : 0.1)
            #expect(abs(share - target) < 0.1, "\(name): \(share)")
        }
    }

    @Test func theAuditCountsWhatOverlaps() {
        let a = Window(x: 0, y: 0, width: 10, height: 10), b = Window(x: 5, y: 5, width: 10, height: 10)
        #expect(LeakageAudit.sharedPixels([(a, .train), (b, .val)]) == 25)
        #expect(LeakageAudit.sharedPixels([(a, .train), (b, .train)]) == 0)
        #expect(LeakageAudit.objectsInTwoSplits([(["1", "2"], .train), (["2"], .val), (["1"], .train)]) == 1)
    }

    @Test func objectsFollowTheWholeSetPerBucketAndClass() throws {
        let side = 4096
        let objects = Self.objects(count: 3000, side: side, seed: 3)
        let shares = try SplitShares(parsing: "train=0.7,val=0.15,test=0.15")
        let plan = SplitPlan(windows: Self.grid(side: side, tile: 256, overlap: 0), objects: objects,
                             sourceSize: RasterSize(width: side, height: side), shares: shares, blockSize: 256, seed: 1, shift: true)
        // Independent truth: each object lies in the split of the block holding its centre.
        var counts: [SplitName: [String: [String: Int]]] = [:]
        for (object, split) in zip(objects, plan.objectSplits) {
            let cx = object.bbox.x + object.bbox.width / 2, cy = object.bbox.y + object.bbox.height / 2
            let home = plan.windows.first { $0.window.x == cx / 256 * 256 && $0.window.y == cy / 256 * 256 }
            #expect(home.map { plan.windowSplits[$0.id] } == split)
            counts[split, default: [:]]["bucket", default: [:]][SizeBucket(object).rawValue, default: 0] += 1
            counts[split, default: [:]]["class", default: [:]][object.className, default: 0] += 1
        }
        for group in ["bucket", "class"] {
            var overall: [String: Int] = [:]
            for split in counts.values { for (k, v) in split[group]! { overall[k, default: 0] += v } }
            for name in shares.names {
                let own = counts[name]![group]!
                let total = own.values.reduce(0, +)
                #expect(abs(Double(total) / 3000 - shares[name]) < 0.02, "\(name) holds \(total)")
                for (k, n) in overall {
                    #expect(abs(Double(own[k] ?? 0) / Double(total) - Double(n) / 3000) <= 0.05, "\(name) \(group) \(k)")
                }
            }
        }
        #expect(StratificationShortfall.find(counts: counts, shares: shares).isEmpty)
    }

    @Test func shortfallsNameWhatTheDataCannotGive() throws {
        let shares = try SplitShares(parsing: "train=0.8,val=0.2")
        let counts: [SplitName: [String: [String: Int]]] = [
            .train: ["class": ["car": 80, "bus": 12]],
            .val: ["class": ["car": 31]],
        ]
        // Overall: 111 cars and 12 buses (90.2 % cars). Val has no bus, and 100 % cars among its 31.
        let found = StratificationShortfall.find(counts: counts, shares: shares)
        #expect(found.contains { $0.split == .val && $0.name == "bus" && $0.objects == 0 })
        #expect(found.contains { $0.split == .val && $0.name == "car" && $0.share == 1 })
        // Train: 87.0 % cars, within 5 points.
        #expect(!found.contains { $0.split == .train })
    }

    @Test func theSameSeedGivesTheSameSplits() throws {
        let windows = Self.grid(side: 1024, tile: 128, overlap: 32)
        let objects = Self.objects(count: 300, side: 1024, seed: 5)
        let shares = try SplitShares(parsing: "train=0.8,val=0.2")
        func make(_ seed: UInt64) -> SplitPlan {
            SplitPlan(windows: windows, objects: objects, sourceSize: RasterSize(width: 1024, height: 1024), shares: shares,
                      blockSize: 224, seed: seed, shift: true)
        }
        #expect(make(4) == make(4))
        #expect((0..<6).map { make($0).objectSplits }.contains { $0 != make(4).objectSplits })
    }

    @Test func withoutShiftStraddlersAreDropped() throws {
        let windows = Self.grid(side: 1024, tile: 128, overlap: 32)
        let plan = SplitPlan(windows: windows, objects: [], sourceSize: RasterSize(width: 1024, height: 1024),
                             shares: try SplitShares(parsing: "train=0.5,val=0.5"), blockSize: 224, seed: 0, shift: false)
        #expect(plan.shifted == 0)
        #expect(plan.dropped > 0)
        #expect(plan.windows.allSatisfy { windows.contains($0) })
    }

    @Test func shiftsKeepTheLevelGrid() {
        let moved = SplitPlan.shifted(Window(x: 200, y: 0, width: 256, height: 256), into: Window(x: 448, y: 0, width: 448, height: 448),
                                      level: 1, sourceSize: RasterSize(width: 2000, height: 2000))
        #expect(moved == Window(x: 448, y: 0, width: 256, height: 256))
        #expect(SplitPlan.shifted(Window(x: 0, y: 0, width: 512, height: 512), into: Window(x: 0, y: 0, width: 448, height: 448),
                                  level: 0, sourceSize: RasterSize(width: 2000, height: 2000)) == nil)
    }

    @Test func fillingARegionTouchesOnlyItsPixels() {
        var buffer = RasterBuffer(pixelType: .uint16, bandCount: 2, size: RasterSize(width: 5, height: 4))
        buffer.fill(with: 7)
        buffer.fill(Window(x: 3, y: 2, width: 4, height: 4), with: 65535)
        for band in 0..<2 {
            let samples = buffer.samples(band: band)
            for y in 0..<4 {
                for x in 0..<5 {
                    #expect(samples[y * 5 + x] == (x >= 3 && y >= 2 ? 65535 : 7), "band \(band) (\(x), \(y))")
                }
            }
        }
    }
}
