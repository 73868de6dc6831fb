import Foundation
import Testing
import ScaleTileCore

@Suite("Lesion")
struct LesionTests {
    @Test("volume and equivalent diameter of a 3-D lesion")
    func volumetricMeasures() throws {
        // A 2×2×2 cube at 0.5 × 0.5 × 2 mm: 8 voxels of 0.5 mm³, 4 mm³.
        var mask = TestMask(width: 4, height: 4, depth: 3)
        for z in 1 ..< 3 { for y in 0 ..< 2 { for x in 0 ..< 2 { mask[x, y, z] = 1 } } }
        let lesion = try #require(mask.lesions(.full, spacing: Spacing(x: 0.5, y: 0.5, z: 2, unit: "mm")).first)
        #expect(lesion.volume == 4)
        // d = (6V/π)^(1/3) = (24/π)^(1/3) = 1.969490… (Python: (24 / math.pi) ** (1 / 3)).
        #expect(abs(lesion.equivalentDiameter - 1.969_490) < 1e-6)
    }

    @Test("a mask one slice deep measures circles; a one-slice lesion of a volume still a sphere")
    func planarMeasures() throws {
        let spacing = Spacing(x: 0.5, y: 0.5, z: 3, unit: "mm")
        // 16 pixels of 0.25 mm²: A = 4 mm², d = √(4A/π) = √(16/π) = 2.256758… (Python).
        let planar = try #require(TestMask(width: 4, height: 4, fill: 1).lesions(.full, spacing: spacing).first)
        #expect(planar.volume == 12)
        #expect(abs(planar.equivalentDiameter - 2.256_758) < 1e-6)

        var volume = TestMask(width: 4, height: 4, depth: 2)
        for y in 0 ..< 4 { for x in 0 ..< 4 { volume[x, y, 0] = 1 } }
        let flat = try #require(volume.lesions(.full, spacing: spacing).first)
        // V = 16 × 0.75 = 12 mm³: d = (72/π)^(1/3) = 2.840496… (Python).
        #expect(abs(flat.equivalentDiameter - 2.840_496) < 1e-6)
    }

    @Test("JSON keys are those of DESIGN.md §2; bbox is a window, centroid [x, y, z]")
    func json() throws {
        let lesion = Lesion(id: 3, label: 2, voxels: 19, bbox: Window(x: 4, y: 5, z: 6, width: 3, height: 3, depth: 3),
                            centroid: SIMD3(5, 6, 7), volume: 13.965, equivalentDiameter: 2.99)
        let data = try StableJSON.lineEncoder().encode(lesion)
        #expect(String(decoding: data, as: UTF8.self) == #"{"bbox":{"depth":3,"height":3,"width":3,"x":4,"y":5,"z":6},"#
            + #""centroid":[5,6,7],"equivalentDiameter":2.99,"id":3,"label":2,"volume":13.965,"voxels":19}"#)
        #expect(try JSONDecoder().decode(Lesion.self, from: data) == lesion)
    }

    @Test("a lesion as a sampling target")
    func samplingTarget() {
        let lesion = Lesion(id: 12, label: 4, voxels: 57, bbox: Window(x: 1, y: 2, z: 3, width: 5, height: 5, depth: 3),
                            centroid: SIMD3(3, 4, 4), volume: 57, equivalentDiameter: 4.77)
        #expect(lesion.samplingTarget == SamplingTarget(id: "12", className: "4", bbox: lesion.bbox, pixelCount: 57))
    }
}
