import Testing
import ScaleTileCore

/// Random masks labelled by the streaming labeler and by a plain flood fill over the whole
/// volume (`referenceLesions`), which must agree lesion for lesion.
@Suite("Connected components: agreement with a flood fill")
struct ComponentsReferenceTests {
    /// Noise of the given density plus a few random boxes, so masks have both single voxels and
    /// long runs that cross word boundaries; labels 1…`labelCount`.
    static func randomMask(width: Int, height: Int, depth: Int, density: Double, labelCount: Int,
                           random: inout SeededRandom) -> TestMask {
        var mask = TestMask(width: width, height: height, depth: depth)
        for index in mask.labels.indices where Double.random(in: 0 ..< 1, using: &random) < density {
            mask.labels[index] = Int.random(in: 1 ... labelCount, using: &random)
        }
        for _ in 0 ..< 3 {
            let x0 = Int.random(in: 0 ..< width, using: &random), x1 = Int.random(in: x0 ... width - 1, using: &random)
            let y0 = Int.random(in: 0 ..< height, using: &random), y1 = Int.random(in: y0 ... height - 1, using: &random)
            let z0 = Int.random(in: 0 ..< depth, using: &random), z1 = Int.random(in: z0 ... depth - 1, using: &random)
            let label = Int.random(in: 1 ... labelCount, using: &random)
            for z in z0 ... z1 { for y in y0 ... y1 { for x in x0 ... x1 { mask[x, y, z] = label } } }
        }
        return mask
    }

    @Test("random masks, every connectivity", arguments: [0.15, 0.35, 0.6], [1, 3])
    func randomMasks(density: Double, labelCount: Int) {
        var random = SeededRandom(seed: UInt64(density * 100) * 10 + UInt64(labelCount))
        for width in [1, 3, 7, 8, 9, 16, 17, 33] {
            for (height, depth) in [(1, 1), (2, 5), (5, 3), (6, 7)] {
                let mask = Self.randomMask(width: width, height: height, depth: depth, density: density,
                                           labelCount: labelCount, random: &random)
                for connectivity in Connectivity.allCases {
                    let expected = referenceLesions(of: mask, connectivity)
                    #expect(mask.lesions(connectivity, as: UInt8.self) == expected,
                            "\(width)x\(height)x\(depth), \(connectivity)")
                    // Wider samples take other lanes of the word scan: same lesions.
                    #expect(mask.lesions(connectivity, as: Int16.self) == expected)
                    #expect(mask.lesions(connectivity, as: UInt32.self) == expected)
                }
            }
        }
    }

    @Test("labels that differ in any byte of a wide sample", arguments: Connectivity.allCases)
    func wideLabels(_ connectivity: Connectivity) {
        var random = SeededRandom(seed: 7)
        var mask = Self.randomMask(width: 21, height: 6, depth: 6, density: 0.5, labelCount: 3, random: &random)
        // 1, 2, 3 become values equal in their low bytes and different above.
        let wide = [0, 0x0001_0101, 0x0101_0101, 0x0002_0101]
        mask.labels = mask.labels.map { wide[$0] }
        #expect(mask.lesions(connectivity, as: UInt32.self) == referenceLesions(of: mask, connectivity))
        #expect(mask.lesions(connectivity, as: Int64.self) == referenceLesions(of: mask, connectivity))
    }
}
