import Testing
import ScaleTileCore

/// Hand-built masks; every expected number is counted off the drawing in the comment beside it.
@Suite("Connected components: shapes")
struct ComponentsShapeTests {
    @Test("a U opening upwards is one lesion: its arms start apart and meet in the last row")
    func uShape() throws {
        let mask = TestMask(slices: ["""
            1...1
            1...1
            11111
            """])
        for connectivity in Connectivity.allCases {
            let lesions = mask.lesions(connectivity)
            #expect(lesions.count == 1)
            let u = try #require(lesions.first)
            // 2 + 2 arm voxels and 5 in the base.
            #expect(u.voxels == 9)
            #expect(u.bbox == Window(x: 0, y: 0, width: 5, height: 3))
            // x: arms 0+4+0+4 = 8, base 0+1+2+3+4 = 10, 18/9. y: 0·2 + 1·2 + 2·5 = 12, 12/9.
            #expect(u.centroid == SIMD3(2, 12.0 / 9, 0))
        }
    }

    static let spiral = TestMask(slices: ["""
        1111111
        ......1
        11111.1
        1...1.1
        1.111.1
        1.....1
        1111111
        """])

    @Test("a square spiral is one lesion: the inner arm and the outer ring join in the bottom row")
    func spiral() {
        // Arms lie two rows or columns apart, so no diagonal contact: one path under every connectivity.
        for connectivity in Connectivity.allCases {
            let lesions = Self.spiral.lesions(connectivity)
            #expect(lesions.count == 1)
            // Rows: 7 + 1 + 6 + 3 + 5 + 2 + 7.
            #expect(lesions.first?.voxels == 31)
            #expect(lesions.first?.bbox == Window(x: 0, y: 0, width: 7, height: 7))
        }
    }

    @Test("a spiral without its bottom row is two lesions")
    func openSpiral() {
        var mask = Self.spiral
        for x in 0 ..< 7 { mask[x, 6, 0] = 0 }
        let lesions = mask.lesions(.full)
        // Outer arm: row 0 (7) + column 6 rows 1–5 (5). Inner: 5 + 2 + 4 + 1 voxels of rows 2–5.
        #expect(lesions.map(\.voxels) == [12, 12])
        #expect(lesions.map(\.bbox) == [Window(x: 0, y: 0, width: 7, height: 6), Window(x: 0, y: 2, width: 5, height: 4)])
    }

    /// Four pillars along Z at x = 0, 2, 4, 6 (y = 0), joined into a snake: 0–2 and 4–6 by a voxel
    /// in the first slice, 2–4 by one in the last. The two halves stay open, apart, for 9 slices.
    @Test("a serpentine along Z: two open components that meet ten slices later", arguments: Connectivity.allCases)
    func serpentine(_ connectivity: Connectivity) throws {
        let depth = 10
        var mask = TestMask(width: 7, height: 1, depth: depth)
        for z in 0 ..< depth { for x in [0, 2, 4, 6] { mask[x, 0, z] = 1 } }
        mask[1, 0, 0] = 1
        mask[5, 0, 0] = 1
        mask[3, 0, depth - 1] = 1

        var labeler = ComponentLabeler(width: 7, height: 1, connectivity: connectivity)
        var openCounts: [Int] = []
        let samples = mask.samples(as: UInt8.self)
        for z in 0 ..< depth {
            samples[z * 7 ..< (z + 1) * 7].withUnsafeBufferPointer { labeler.append(slice: $0) }
            openCounts.append(labeler.openComponentCount)
        }
        #expect(openCounts == Array(repeating: 2, count: depth - 1) + [1])
        let lesions = labeler.finish()
        #expect(lesions.count == 1)
        let snake = try #require(lesions.first)
        #expect(snake.voxels == 4 * depth + 3)
        #expect(snake.bbox == Window(x: 0, y: 0, z: 0, width: 7, height: 1, depth: depth))
        // x: pillars 10·(0+2+4+6) = 120, links 1+5+3 = 9. z: pillars 4·45 = 180, links 0+0+9.
        #expect(snake.centroid == SIMD3(129.0 / 43, 0, 189.0 / 43))
    }

    @Test("a comb: twelve teeth along Z joined by one bar in the last slice")
    func comb() {
        let teeth = 12, depth = 30
        var mask = TestMask(width: 2 * teeth - 1, height: 3, depth: depth)
        for z in 0 ..< depth - 1 { for tooth in 0 ..< teeth { mask[2 * tooth, 1, z] = 1 } }
        for x in 0 ..< 2 * teeth - 1 { mask[x, 1, depth - 1] = 1 }
        let lesions = mask.lesions(.full)
        #expect(lesions.count == 1)
        #expect(lesions.first?.voxels == teeth * (depth - 1) + 2 * teeth - 1)

        var withoutBar = mask
        for x in 0 ..< 2 * teeth - 1 { withoutBar[x, 1, depth - 1] = 0 }
        #expect(withoutBar.lesions(.full).count == teeth)
    }

    @Test("touching instances with different label values stay apart; equal values join")
    func touchingInstances() {
        let different = TestMask(slices: ["1122\n1122", "1122\n1122"])
        let lesions = different.lesions(.full)
        #expect(lesions.map(\.label) == [1, 2])
        #expect(lesions.map(\.voxels) == [8, 8])
        #expect(lesions.map(\.bbox) == [Window(x: 0, y: 0, z: 0, width: 2, height: 2, depth: 2),
                                        Window(x: 2, y: 0, z: 0, width: 2, height: 2, depth: 2)])
        let same = TestMask(slices: ["1111\n1111", "1111\n1111"])
        #expect(same.lesions(.full).map(\.voxels) == [16])
    }

    /// A 2-D instance mask: four instances, one of them (label 1) in two separate pieces.
    @Test("a planar instance mask")
    func planarInstanceMask() {
        let mask = TestMask(slices: ["""
            11.22
            1..22
            .3332
            4...1
            """])
        let lesions = mask.lesions(.full)
        // First voxels in raster order: 1 at (0,0), 2 at (3,0), 3 at (1,2), 4 at (0,3), 1 at (4,3).
        #expect(lesions.map(\.id) == [1, 2, 3, 4, 5])
        #expect(lesions.map(\.label) == [1, 2, 3, 4, 1])
        #expect(lesions.map(\.voxels) == [3, 5, 3, 1, 1])
        #expect(lesions.map(\.bbox) == [
            Window(x: 0, y: 0, width: 2, height: 2), Window(x: 3, y: 0, width: 2, height: 3),
            Window(x: 1, y: 2, width: 3, height: 1), Window(x: 0, y: 3, width: 1, height: 1),
            Window(x: 4, y: 3, width: 1, height: 1),
        ])
        // Label 1: x (0+1+0)/3, y (0+0+1)/3. Label 2: x (3+4+3+4+4)/5, y (0+0+1+1+2)/5.
        let centroids: [SIMD3<Double>] = [
            SIMD3(1.0 / 3, 1.0 / 3, 0), SIMD3(18.0 / 5, 4.0 / 5, 0), SIMD3(2, 2, 0), SIMD3(0, 3, 0), SIMD3(4, 3, 0),
        ]
        #expect(lesions.map(\.centroid) == centroids)
    }

    @Test("components on the volume's faces, edges and corners keep their bounding boxes")
    func borders() {
        // Width 9: the last column lies past the first 8-sample word of a row.
        var corners = TestMask(width: 9, height: 4, depth: 3)
        let cornerPoints = [(0, 0, 0), (8, 0, 0), (0, 3, 0), (8, 3, 0), (0, 0, 2), (8, 0, 2), (0, 3, 2), (8, 3, 2)]
        for (x, y, z) in cornerPoints { corners[x, y, z] = 1 }
        let lesions = corners.lesions(.full)
        // Raster order of the corners is the order listed.
        #expect(lesions.map(\.bbox) == cornerPoints.map { Window(x: $0.0, y: $0.1, z: $0.2, width: 1, height: 1, depth: 1) })

        // A ring along the four edges of the middle slice: one lesion spanning the slice.
        var ring = TestMask(width: 9, height: 4, depth: 3)
        for x in 0 ..< 9 { ring[x, 0, 1] = 7; ring[x, 3, 1] = 7 }
        for y in 0 ..< 4 { ring[0, y, 1] = 7; ring[8, y, 1] = 7 }
        let rings = ring.lesions(.faces)
        #expect(rings.count == 1)
        #expect(rings.first?.voxels == 2 * 9 + 2 * 4 - 4)
        #expect(rings.first?.bbox == Window(x: 0, y: 0, z: 1, width: 9, height: 4, depth: 1))
        #expect(rings.first?.label == 7)
    }

    @Test("an empty mask has no lesions; nor has a labeler fed no slice")
    func empty() {
        #expect(TestMask(width: 13, height: 7, depth: 5).lesions(.full).isEmpty)
        var labeler = ComponentLabeler(width: 4, height: 4)
        #expect(labeler.finish().isEmpty)
    }

    @Test("a full mask is one lesion filling the volume", arguments: Connectivity.allCases)
    func full(_ connectivity: Connectivity) {
        let lesions = TestMask(width: 13, height: 7, depth: 5, fill: 3).lesions(connectivity)
        #expect(lesions.count == 1)
        #expect(lesions.first?.voxels == 13 * 7 * 5)
        #expect(lesions.first?.bbox == Window(x: 0, y: 0, z: 0, width: 13, height: 7, depth: 5))
        // The mean of 0 … n−1 is (n−1)/2 along each axis.
        #expect(lesions.first?.centroid == SIMD3(6, 3, 2))
        #expect(lesions.first?.label == 3)
    }

    @Test("ids follow first voxels, not size, label or the slice a lesion ends in")
    func idOrder() {
        var mask = TestMask(width: 10, height: 3, depth: 8)
        // A pillar from the first slice to the last at x = 9: starts first, finishes last.
        for z in 0 ..< 8 { mask[9, 2, z] = 5 }
        // A large block of label 1 starting in slice 2, row 0.
        for z in 2 ..< 5 { for y in 0 ..< 2 { for x in 0 ..< 6 { mask[x, y, z] = 1 } } }
        // A single voxel of label 9 in slice 1.
        mask[3, 1, 1] = 9
        // The block touches the single voxel through a face, but they carry different labels.
        let lesions = mask.lesions(.full)
        #expect(lesions.map(\.label) == [5, 9, 1])
        #expect(lesions.map(\.id) == [1, 2, 3])
        #expect(lesions.map(\.voxels) == [8, 1, 36])
        // The same mask labelled again gives the same lesions.
        #expect(mask.lesions(.full) == lesions)
    }
}
