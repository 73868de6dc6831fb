import Testing
import ScaleTileCore

@Suite("Connected components: streaming over slices")
struct ComponentsStreamingTests {
    /// `count` cubes of 2×2×2 voxels, one every 4 slices, so each is finished two slices after it
    /// starts; `perBand` cubes side by side in every band of slices.
    static func cubesAlongZ(count: Int, perBand: Int) -> TestMask {
        let bands = (count + perBand - 1) / perBand
        var mask = TestMask(width: 3 * perBand + 5, height: 8, depth: 4 * bands)
        for cube in 0 ..< count {
            let band = cube / perBand, place = cube % perBand
            // Cubes of one band lie 3 columns apart; the row moves from band to band.
            let (x0, y0, z0) = (3 * place + band % 5, (band * 3) % 6, 4 * band)
            for z in z0 ..< z0 + 2 { for y in y0 ..< y0 + 2 { for x in x0 ..< x0 + 2 { mask[x, y, z] = 1 } } }
        }
        return mask
    }

    @Test("open components stay bounded while many small lesions go by along Z")
    func boundedOpenComponents() {
        let perBand = 5
        let mask = Self.cubesAlongZ(count: 500, perBand: perBand)
        var labeler = ComponentLabeler(width: mask.size.width, height: mask.size.height)
        let samples = mask.samples(as: UInt8.self)
        let sliceLength = mask.size.width * mask.size.height
        for z in 0 ..< mask.size.depth {
            samples[z * sliceLength ..< (z + 1) * sliceLength].withUnsafeBufferPointer { labeler.append(slice: $0) }
            // Slices 4k and 4k+1 hold band k's cubes; by the end of slice 4k+2 they are finished.
            let band = z / 4
            let (expectedOpen, expectedFinished) = z % 4 < 2 ? (perBand, band * perBand) : (0, (band + 1) * perBand)
            #expect(labeler.openComponentCount == expectedOpen, "slice \(z)")
            #expect(labeler.finishedComponentCount == expectedFinished, "slice \(z)")
        }
        // Never more records than the cubes of one band, however many lesions the mask holds.
        #expect(labeler.peakOpenComponentCount == perBand)
        let lesions = labeler.finish()
        #expect(lesions.count == 500)
        #expect(lesions.allSatisfy { $0.voxels == 8 })
        #expect(lesions == referenceLesions(of: mask, .full))
    }

    @Test("feeding slices one by one gives what the whole-mask call gives")
    func streamingMatchesWholeMask() {
        let mask = Self.cubesAlongZ(count: 23, perBand: 4)
        var labeler = ComponentLabeler(width: mask.size.width, height: mask.size.height, connectivity: .faces)
        let samples = mask.samples(as: UInt16.self)
        let sliceLength = mask.size.width * mask.size.height
        for z in 0 ..< mask.size.depth {
            samples[z * sliceLength ..< (z + 1) * sliceLength].withUnsafeBufferPointer { labeler.append(slice: $0) }
        }
        #expect(labeler.sliceCount == mask.size.depth)
        #expect(labeler.finish() == mask.lesions(.faces, as: UInt16.self))
    }

    @Test("the slice size is checked")
    func wrongSliceSize() async {
        await #expect(processExitsWith: .failure) {
            var labeler = ComponentLabeler(width: 4, height: 4)
            [UInt8](repeating: 0, count: 15).withUnsafeBufferPointer { labeler.append(slice: $0) }
        }
    }
}
