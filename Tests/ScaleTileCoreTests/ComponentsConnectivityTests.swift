import Testing
import ScaleTileCore

@Suite("Connected components: connectivity")
struct ComponentsConnectivityTests {
    @Test("two voxels touching only at a corner: one lesion when fully connected, two with 6 or 18 neighbours")
    func cornerContact() {
        // (0,0,0) and (1,1,1) differ along all three axes: a corner neighbour only.
        let mask = TestMask(slices: ["1.\n..", "..\n.1"])
        #expect(mask.lesions(.full).count == 1)
        #expect(mask.lesions(.facesAndEdges).count == 2)
        #expect(mask.lesions(.faces).count == 2)
    }

    @Test("two voxels sharing an edge: one lesion with 18 or 26 neighbours, two with 6")
    func edgeContact() {
        // (0,0,0) and (0,1,1): two axes differ. The same through-plane, and in-plane (1,1,0).
        let throughPlane = TestMask(slices: ["1.\n..", "..\n1."])
        let inPlane = TestMask(slices: ["1.\n.1", "..\n.."])
        for mask in [throughPlane, inPlane] {
            #expect(mask.lesions(.full).count == 1)
            #expect(mask.lesions(.facesAndEdges).count == 1)
            #expect(mask.lesions(.faces).count == 2)
        }
    }

    @Test("planar diagonal pixels: one lesion with 8 neighbours, two with 4")
    func planarDiagonal() {
        let mask = TestMask(slices: ["1..\n.1.\n..1"])
        #expect(mask.lesions(.full).count == 1)
        #expect(mask.lesions(.facesAndEdges).count == 1)
        let apart = mask.lesions(.faces)
        #expect(apart.map(\.voxels) == [1, 1, 1])
        #expect(apart.map(\.bbox.x) == [0, 1, 2])
    }

    /// Every one of the 26 offsets around a centre voxel, for every connectivity: a neighbour
    /// differing along k axes joins the centre iff k ≤ 1 (faces), 2 (edges) or 3 (corners).
    /// Offsets before and after the centre in raster order both occur, so runs are joined in
    /// both directions of the scan.
    @Test("each of the 26 neighbour offsets joins exactly when the connectivity allows it",
          arguments: Connectivity.allCases)
    func everyOffset(_ connectivity: Connectivity) {
        let maximumAxes = [Connectivity.faces: 1, .facesAndEdges: 2, .full: 3][connectivity]!
        var joined = 0
        for dz in -1 ... 1 {
            for dy in -1 ... 1 {
                for dx in -1 ... 1 where (dx, dy, dz) != (0, 0, 0) {
                    var mask = TestMask(width: 3, height: 3, depth: 3)
                    mask[1, 1, 1] = 1
                    mask[1 + dx, 1 + dy, 1 + dz] = 1
                    let axes = [dx, dy, dz].filter { $0 != 0 }.count
                    let expected = axes <= maximumAxes ? 1 : 2
                    #expect(mask.lesions(connectivity).count == expected, "offset (\(dx), \(dy), \(dz))")
                    if expected == 1 { joined += 1 }
                }
            }
        }
        #expect(joined == connectivity.neighbourCount(isPlanar: false))
    }

    @Test("each of the 8 in-plane offsets joins exactly when the connectivity allows it", arguments: Connectivity.allCases)
    func everyPlanarOffset(_ connectivity: Connectivity) {
        var joined = 0
        for dy in -1 ... 1 {
            for dx in -1 ... 1 where (dx, dy) != (0, 0) {
                var mask = TestMask(width: 3, height: 3)
                mask[1, 1, 0] = 1
                mask[1 + dx, 1 + dy, 0] = 1
                // Pixels share an edge (one axis differs) or only a corner (two axes differ).
                let sharesEdge = dx == 0 || dy == 0
                let expected = sharesEdge || connectivity != .faces ? 1 : 2
                #expect(mask.lesions(connectivity).count == expected, "offset (\(dx), \(dy))")
                if expected == 1 { joined += 1 }
            }
        }
        #expect(joined == connectivity.neighbourCount(isPlanar: true))
    }

    @Test("neighbour counts name the connectivities")
    func neighbourCounts() {
        #expect(Connectivity(neighbourCount: 6) == .faces)
        #expect(Connectivity(neighbourCount: 4) == .faces)
        #expect(Connectivity(neighbourCount: 18) == .facesAndEdges)
        #expect(Connectivity(neighbourCount: 26) == .full)
        #expect(Connectivity(neighbourCount: 8) == .full)
        #expect(Connectivity(neighbourCount: 10) == nil)
        #expect(Connectivity.allCases.map { $0.neighbourCount(isPlanar: false) } == [6, 18, 26])
        #expect(Connectivity.allCases.map { $0.neighbourCount(isPlanar: true) } == [4, 8, 8])
    }
}
