import Testing
@testable import ScaleTileCore

/// Padding of patches that overhang their grid, and the other small pieces of stack patching
/// (physical patch sizes, Z levels, sample conversion). Expected values are worked out by hand
/// in the comments; the padding tables are also what `numpy.pad` gives for the same modes.
@Suite("Stack patch padding")
struct PaddingTests {
    // An axis a b c d (indices 0 1 2 3), read from −3 to 12.
    // constant: − − − a b c d − − − …
    // edge:     a a a a b c d d d d …
    // reflect:  d c b a b c d c b a b c d c b a  (mirror about a and d, never repeating them;
    //           np.pad([10, 11, 12, 13], (0, 9), 'reflect') = 10 11 12 13 | 12 11 10 11 12 13 12 11 10)
    @Test func sourceIndicesFollowNumpysModes() {
        let positions = Array(-3 ... 12)
        #expect(positions.map { Padding.constant.sourceIndex(of: $0, length: 4) }
                == [nil, nil, nil, 0, 1, 2, 3] + Array(repeating: nil, count: 9))
        #expect(positions.map { Padding.edge.sourceIndex(of: $0, length: 4) }
                == [0, 0, 0, 0, 1, 2, 3] + Array(repeating: 3, count: 9))
        #expect(positions.map { Padding.reflect.sourceIndex(of: $0, length: 4) }
                == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
        // np.pad([7, 8], (0, 5), 'reflect') = 7 8 | 7 8 7 8 7; a single voxel mirrors onto itself.
        #expect((2 ... 6).map { Padding.reflect.sourceIndex(of: $0, length: 2) } == [0, 1, 0, 1, 0])
        #expect((1 ... 3).map { Padding.reflect.sourceIndex(of: $0, length: 1) } == [0, 0, 0])
    }

    /// A 3 x 2 x 2 stack whose voxel (x, y, z) holds 100·z + 10·y + x + 1 (never 0, so the pad
    /// value 0 cannot pass for a voxel).
    static let grid = RasterSize(width: 3, height: 2, depth: 2)
    static func value(_ x: Int, _ y: Int, _ z: Int) -> Int { 100 * z + 10 * y + x + 1 }
    static let stack: RasterBuffer = {
        var buffer = RasterBuffer(pixelType: .int16, bandCount: 1, size: grid)
        buffer.bytes.withUnsafeMutableBytes { raw in
            let samples = raw.bindMemory(to: Int16.self)
            for z in 0 ..< 2 { for y in 0 ..< 2 { for x in 0 ..< 3 { samples[(z * 2 + y) * 3 + x] = Int16(value(x, y, z)) } } }
        }
        return buffer
    }()

    static func samples(_ buffer: RasterBuffer) -> [Int] { buffer.samples(band: 0).map { Int($0) } }

    // The patch starts at (1, 1, 1) and is 4 x 2 x 2: columns 1 2 | 3 4, rows 1 | 2, slices 1 | 2.
    // Inside the grid: columns 1, 2; row 1; slice 1.
    //   edge:    columns → 1 2 2 2, rows → 1 1, slices → 1 1
    //   reflect: columns → 1 2 1 0 (length 3: 3 → 1, 4 → 0), rows → 1 0 (length 2: 2 → 0),
    //            slices → 1 0
    @Test func patchesOverhangingEveryAxisAreFilledByHand() {
        let window = Window(x: 1, y: 1, z: 1, width: 4, height: 2, depth: 2)
        let region = Window(size: Self.grid)
        func patch(_ padding: Padding, fill: Double = 0) -> [Int] {
            Self.samples(PatchSourceMap(window: window, gridSize: Self.grid, padding: padding)
                .patch(from: Self.stack, region: region, fill: fill))
        }
        // Slice 1, row 1 holds 112 113 (x = 1, 2); everything else is the pad value.
        #expect(patch(.constant, fill: -5) == [112, 113, -5, -5] + Array(repeating: -5, count: 12))
        #expect(patch(.edge) == [112, 113, 113, 113, 112, 113, 113, 113,
                                 112, 113, 113, 113, 112, 113, 113, 113])
        // Rows 1, 0 and slices 1, 0: (z=1,y=1) (z=1,y=0) (z=0,y=1) (z=0,y=0), columns 1 2 1 0.
        #expect(patch(.reflect) == [112, 113, 112, 111, 102, 103, 102, 101,
                                    12, 13, 12, 11, 2, 3, 2, 1])
    }

    @Test func sourceRegionIsOnlyWhatThePatchReads() {
        let inside = PatchSourceMap(window: Window(x: 1, y: 0, z: 0, width: 2, height: 1, depth: 1), gridSize: Self.grid, padding: .reflect)
        #expect(inside.sourceRegion == Window(x: 1, y: 0, z: 0, width: 2, height: 1, depth: 1))
        #expect(!inside.overhangs)
        // Edge padding of a patch past the end reads the last column only.
        let edge = PatchSourceMap(window: Window(x: 2, y: 0, z: 0, width: 5, height: 1, depth: 1), gridSize: Self.grid, padding: .edge)
        #expect(edge.sourceRegion == Window(x: 2, y: 0, z: 0, width: 1, height: 1, depth: 1))
        #expect(edge.overhangs)
        // Reflect from column 2 back over the whole axis: 2 1 0 1 2.
        let reflect = PatchSourceMap(window: Window(x: 2, y: 0, z: 0, width: 1, height: 1, depth: 5), gridSize: Self.grid, padding: .reflect)
        #expect(reflect.slices == [0, 1, 0, 1, 0])
        #expect(reflect.sourceRegion == Window(x: 2, y: 0, z: 0, width: 1, height: 1, depth: 2))
        // The mask beside it reads a subset of the image's region.
        let mask = reflect.with(padding: .constant)
        #expect(mask.slices == [0, 1, nil, nil, nil] && reflect.sourceRegion!.contains(mask.sourceRegion!))
    }

    @Test func patchFromARegionLargerThanNeeded() {
        // The region need not start at the grid's origin: a patch inside it reads its own voxels.
        let region = Window(x: 1, y: 0, z: 1, width: 2, height: 2, depth: 1)
        var part = RasterBuffer(pixelType: .int16, bandCount: 1, size: region.size)
        part.bytes.withUnsafeMutableBytes { raw in
            let s = raw.bindMemory(to: Int16.self)
            for y in 0 ..< 2 { for x in 0 ..< 2 { s[y * 2 + x] = Int16(Self.value(x + 1, y, 1)) } }
        }
        let map = PatchSourceMap(window: Window(x: 2, y: 1, z: 1, width: 2, height: 1, depth: 1), gridSize: Self.grid, padding: .edge)
        #expect(Self.samples(map.patch(from: part, region: region, fill: 0)) == [113, 113])
    }

    @Test func columnRunsCopyWholeRowsWithoutPadding() {
        #expect(PatchSourceMap.runs(of: [4, 5, 6, 7]) == [.init(start: 0, count: 4, sourceStart: 4)])
        #expect(PatchSourceMap.runs(of: [2, 3, nil, nil]) == [.init(start: 0, count: 2, sourceStart: 2),
                                                             .init(start: 2, count: 2, sourceStart: nil)])
        #expect(PatchSourceMap.runs(of: [2, 3, 3, 2]).count == 3)
    }
}

@Suite("Stack patch sizes and level arithmetic")
struct StackArithmeticTests {
    // brain1: 0.78125 x 0.78125 x 6.5 mm. 40 mm: 40 / 0.78125 = 51.2 → 51 voxels in X and Y,
    // 40 / 6.5 = 6.15 → 6 slices.
    @Test func patchMillimetresRoundToTheNearestVoxel() throws {
        let brain = Spacing(x: 0.78125, y: 0.78125, z: 6.5, unit: "mm")
        #expect(try brain.voxelCounts(spanningMillimetres: (40, 40, 40)) == RasterSize(width: 51, height: 51, depth: 6))
        // 5 mm at 2 mm is 2.5 voxels: halves go up; 0.1 mm at 6.5 mm is 0.015: at least one voxel.
        let coarse = Spacing(x: 2, y: 2, z: 6.5, unit: "mm")
        #expect(try coarse.voxelCounts(spanningMillimetres: (5, 4.9, 0.1)) == RasterSize(width: 3, height: 2, depth: 1))
        // Microscopy: 0.5 µm voxels, 0.1 mm = 100 µm = 200 voxels; 2 µm slices, 0.01 mm = 5 slices.
        let microns = Spacing(x: 0.5, y: 0.5, z: 2, unit: "µm")
        #expect(try microns.voxelCounts(spanningMillimetres: (0.1, 0.1, 0.01)) == RasterSize(width: 200, height: 200, depth: 5))
        #expect(throws: ScaleTileError.self) { try Spacing.unit.voxelCounts(spanningMillimetres: (1, 1, 1)) }
        #expect(throws: ScaleTileError.self) { try brain.voxelCounts(spanningMillimetres: (40, 0, 40)) }
    }

    @Test func conversionRoundsHalvesAwayFromZeroAndClamps() {
        let values: [Double] = [2.5, -2.5, 1.49, -0.5, 40000, -40000, .nan]
        var wide = RasterBuffer(pixelType: .float64, bandCount: 1, size: RasterSize(width: values.count, height: 1))
        wide.bytes.withUnsafeMutableBytes { raw in for (i, v) in values.enumerated() { raw.storeBytes(of: v, toByteOffset: i * 8, as: Double.self) } }
        #expect(wide.converted(to: .int16).samples(band: 0) == [3, -3, 1, -1, 32767, -32768, 0])
        #expect(wide.converted(to: .uint8).samples(band: 0) == [3, 0, 1, 0, 255, 0, 0])
    }

    // Five slices of one voxel holding 1, 2, 3, 4, 10, in blocks of 2: {1, 2} {3, 4} {10}.
    // Sums 3, 7, 10; divided by the block sizes 2, 2, 1: 1.5, 3.5, 10. Nearest picks offset
    // ⌊n/2⌋: 2, 4, 10.
    @Test func depthBlocksAreClippedAtTheStacksEnd() {
        var slices = RasterBuffer(pixelType: .float64, bandCount: 1, size: RasterSize(width: 1, height: 1, depth: 5))
        slices.bytes.withUnsafeMutableBytes { raw in for (i, v) in [1.0, 2, 3, 4, 10].enumerated() { raw.storeBytes(of: v, toByteOffset: i * 8, as: Double.self) } }
        let sums = DepthDownsampling.sums(slices, factor: 2)
        #expect(sums.samples(band: 0) == [3, 7, 10])
        #expect(DepthDownsampling.dividingBlockCounts(sums, factor: 2, baseDepth: 5).samples(band: 0) == [1.5, 3.5, 10])
        #expect(DepthDownsampling.nearest(slices, factor: 2).samples(band: 0) == [2, 4, 10])
        #expect(DepthDownsampling.nearest(slices, factor: 4).samples(band: 0) == [3, 10])
        // Any sample type is summed into Float64.
        #expect(DepthDownsampling.sums(slices.converted(to: .int16), factor: 2).samples(band: 0) == [3, 7, 10])
    }
}
