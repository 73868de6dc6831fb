import Foundation
import Testing
import ScaleTileCore

/// Discrete spheres: the voxels whose centre lies within `radius` of an integer `centre`.
@Suite("Connected components: spheres")
struct ComponentsSphereTests {
    struct Sphere {
        var centre: (x: Int, y: Int, z: Int)
        var radius: Double

        /// Voxels of the sphere, counted one by one over its bounding cube.
        var bruteForceVoxelCount: Int {
            let reach = Int(radius.rounded(.down))
            var count = 0
            for dz in -reach ... reach {
                for dy in -reach ... reach {
                    for dx in -reach ... reach where Double(dx * dx + dy * dy + dz * dz) <= radius * radius {
                        count += 1
                    }
                }
            }
            return count
        }

        /// The sphere reaches floor(radius) voxels from its centre along each axis, no further.
        var bbox: Window {
            let reach = Int(radius.rounded(.down))
            return Window(x: centre.x - reach, y: centre.y - reach, z: centre.z - reach,
                          width: 2 * reach + 1, height: 2 * reach + 1, depth: 2 * reach + 1)
        }

        func draw(into mask: inout TestMask, label: Int) {
            let reach = Int(radius.rounded(.down))
            for dz in -reach ... reach {
                for dy in -reach ... reach {
                    for dx in -reach ... reach where Double(dx * dx + dy * dy + dz * dz) <= radius * radius {
                        mask[centre.x + dx, centre.y + dy, centre.z + dz] = label
                    }
                }
            }
        }
    }

    @Test("brute-force counts agree with numbers derived elsewhere")
    func knownCounts() {
        // r = 1.5: the centre, 6 face and 12 edge neighbours (1 + 6 + 12; corners lie √3 > 1.5 away).
        #expect(Sphere(centre: (0, 0, 0), radius: 1.5).bruteForceVoxelCount == 19)
        // r = 1: the centre and its 6 face neighbours.
        #expect(Sphere(centre: (0, 0, 0), radius: 1).bruteForceVoxelCount == 7)
    }

    @Test("separate spheres: voxel counts, boxes, centroids and physical measures")
    func spheres() {
        let spacing = Spacing(x: 0.7, y: 0.7, z: 1.5, unit: "mm")
        let spheres = [
            Sphere(centre: (40, 30, 14), radius: 11.94),
            Sphere(centre: (10, 12, 5), radius: 1.5),
            Sphere(centre: (12, 45, 20), radius: 7.2),
            Sphere(centre: (50, 50, 30), radius: 4.7),
        ]
        var mask = TestMask(width: 64, height: 60, depth: 40)
        for sphere in spheres { sphere.draw(into: &mask, label: 1) }
        let lesions = mask.lesions(.full, spacing: spacing, as: UInt8.self)

        // Ids follow the spheres' top voxels (z − floor(r), then y, then x):
        // z 3 (r 11.94 at z 14), 4 (r 1.5 at z 5), 13 (r 7.2 at z 20), 26 (r 4.7 at z 30):
        // the order they are listed in.
        #expect(lesions.count == 4)
        for (lesion, sphere) in zip(lesions, spheres) {
            let count = sphere.bruteForceVoxelCount
            #expect(lesion.voxels == count)
            #expect(lesion.bbox == sphere.bbox)
            // Symmetric about its centre voxel.
            #expect(lesion.centroid == SIMD3(Double(sphere.centre.x), Double(sphere.centre.y), Double(sphere.centre.z)))
            let volume = Double(count) * 0.7 * 0.7 * 1.5
            #expect(abs(lesion.volume - volume) < 1e-9 * volume)
            // The equivalent sphere has the lesion's volume: π d³ / 6 = V.
            #expect(abs(Double.pi * pow(lesion.equivalentDiameter, 3) / 6 - volume) < 1e-9 * volume)
        }
    }

    @Test("the largest benchmark sphere, r = 40: 267,761 voxels")
    func largestBenchmarkSphere() {
        // ../shared/bench/peers/RESULTS.md reports 267,761 voxels for the r = 40 sphere of the
        // benchmark mask (counted by scipy.ndimage.label there); the brute-force count must agree.
        let sphere = Sphere(centre: (41, 41, 41), radius: 40)
        #expect(sphere.bruteForceVoxelCount == 267_761)
        var mask = TestMask(width: 83, height: 83, depth: 83)
        sphere.draw(into: &mask, label: 1)
        for connectivity in Connectivity.allCases {
            let lesions = mask.lesions(connectivity, as: UInt8.self)
            #expect(lesions.map(\.voxels) == [267_761])
            #expect(lesions.first?.bbox == Window(x: 1, y: 1, z: 1, width: 81, height: 81, depth: 81))
        }
    }

    @Test("a sphere cut by the volume's faces keeps only its inside voxels")
    func clippedSphere() {
        // Centre on the corner voxel (0, 0, 0): only the octant x, y, z ≥ 0 is inside.
        var mask = TestMask(width: 12, height: 12, depth: 12)
        let radius = 6.5
        var count = 0
        for z in 0 ..< 12 {
            for y in 0 ..< 12 {
                for x in 0 ..< 12 where Double(x * x + y * y + z * z) <= radius * radius {
                    mask[x, y, z] = 1
                    count += 1
                }
            }
        }
        let lesions = mask.lesions(.full)
        #expect(lesions.map(\.voxels) == [count])
        #expect(lesions.first?.bbox == Window(x: 0, y: 0, z: 0, width: 7, height: 7, depth: 7))
    }
}
