import Testing
import ScaleTileCore

/// Box merging and border-aware suppression, on boxes whose results are worked out by hand.
@Suite("Detection merge")
struct DetectionMergeTests {
    static let tileA = Window(x: 0, y: 0, width: 100, height: 100)
    static let tileB = Window(x: 80, y: 0, width: 100, height: 100)

    static func d(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, score: Double = 1, _ c: String = "car",
                  window: Window = tileA, level: Int = 0) -> Detection {
        Detection(box: PixelBox(minX: x0, minY: y0, maxX: x1, maxY: y1), score: score, className: c, window: window, level: level)
    }

    @Test func matchMetricsByHand() {
        let a = PixelBox(minX: 0, minY: 0, maxX: 10, maxY: 10), b = PixelBox(minX: 5, minY: 0, maxX: 10, maxY: 10)
        // Intersection 50; union 100; smaller area 50.
        #expect(BoxMatchMetric.iou.value(a, b) == 0.5)
        #expect(BoxMatchMetric.ios.value(a, b) == 1)
        #expect(BoxMatchMetric.iou.value(a, PixelBox(minX: 10, minY: 0, maxX: 20, maxY: 10)) == 0)
    }

    @Test func stackBoxesMatchByVolume() {
        // Same X/Y box, slices 0..<10 and 5..<10: intersection 500 of volumes 1000 and 500.
        func v(_ z0: Double, _ z1: Double, score: Double = 1) -> Detection {
            var d = Self.d(0, 0, 10, 10, score: score, window: Window(x: 0, y: 0, z: 0, width: 100, height: 100, depth: 40))
            d.minZ = z0; d.maxZ = z1
            return d
        }
        #expect(BoxMatchMetric.iou.value(v(0, 10), v(5, 10)) == 0.5)
        #expect(BoxMatchMetric.ios.value(v(0, 10), v(5, 10)) == 1)
        // Two lesions stacked in Z (same X/Y) stay two; a piece joins its lesion and nmm encloses it in Z.
        #expect(DetectionMerge(rule: .nms, metric: .iou, threshold: 0.5).merge([v(0, 10), v(12, 20)]).count == 2)
        let nmm = DetectionMerge(rule: .nmm, metric: .ios, threshold: 0.5).merge([v(0, 10, score: 0.9), v(4, 14)])
        #expect(nmm.count == 1 && nmm[0].minZ == 0 && nmm[0].maxZ == 14)
        // A box touching the patch's inner Z border (slice 40 of 80) is a cut.
        var cut = v(30, 40)
        cut.window = Window(x: 0, y: 0, z: 0, width: 100, height: 100, depth: 40)
        #expect(BorderSuppression(sceneSize: RasterSize(width: 100, height: 100, depth: 80)).touchesInnerBorder(cut))
        #expect(!BorderSuppression(sceneSize: RasterSize(width: 100, height: 100, depth: 40)).touchesInnerBorder(cut))
    }

    @Test func polygonsMatchByOutline() {
        // A diamond (area 200) in the box 0..20 and a 4×4 square in the box's corner, outside the diamond.
        var diamond = Self.d(0, 0, 20, 20)
        diamond.polygon = [PixelPoint(x: 10, y: 0), PixelPoint(x: 20, y: 10), PixelPoint(x: 10, y: 20), PixelPoint(x: 0, y: 10)]
        var corner = Self.d(0, 0, 4, 4)
        corner.polygon = [PixelPoint(x: 0, y: 0), PixelPoint(x: 4, y: 0), PixelPoint(x: 4, y: 4), PixelPoint(x: 0, y: 4)]
        #expect(BoxMatchMetric.ios.value(diamond.box, corner.box) == 1)
        #expect(BoxMatchMetric.ios.value(diamond, corner) == 0)
        #expect(DetectionMerge(rule: .nmm, metric: .ios, threshold: 0.5).merge([diamond, corner]).count == 2)
        // The square 2..18 (256) loses four corner triangles of legs 6 (4 · 18) to the diamond:
        // intersection 184, union 200 + 256 − 184 = 272.
        var middle = Self.d(2, 2, 18, 18)
        middle.polygon = [PixelPoint(x: 2, y: 2), PixelPoint(x: 18, y: 2), PixelPoint(x: 18, y: 18), PixelPoint(x: 2, y: 18)]
        #expect(abs(BoxMatchMetric.iou.value(diamond, middle) - 184.0 / 272) < 1e-12)
        #expect(abs(PolygonRing.area(PolygonRing.clipped(diamond.polygon!, to: PixelBox(minX: 0, minY: 0, maxX: 10, maxY: 20))!) - 100) < 1e-12)
        #expect(!PolygonRing.isConvex([PixelPoint(x: 0, y: 0), PixelPoint(x: 10, y: 0), PixelPoint(x: 5, y: 2), PixelPoint(x: 5, y: 10)]))
    }

    @Test func nmsKeepsTheBestNmmEnclosesWbfAverages() {
        // Two boxes of one object (IoU 0.6), one far away, one of another class on top.
        let boxes = [Self.d(0, 0, 10, 10, score: 0.6), Self.d(0, 0, 10, 16, score: 0.9),
                     Self.d(50, 50, 60, 60, score: 0.5), Self.d(0, 0, 10, 10, score: 0.7, "truck")]
        let nms = DetectionMerge(rule: .nms, metric: .iou, threshold: 0.5).merge(boxes)
        #expect(nms.map(\.score) == [0.9, 0.7, 0.5])
        #expect(nms[0].box == PixelBox(minX: 0, minY: 0, maxX: 10, maxY: 16))
        let nmm = DetectionMerge(rule: .nmm, metric: .iou, threshold: 0.5).merge(boxes)
        #expect(nmm.count == 3 && nmm[0].box == PixelBox(minX: 0, minY: 0, maxX: 10, maxY: 16) && nmm[0].score == 0.9)
        let wbf = DetectionMerge(rule: .wbf, metric: .iou, threshold: 0.5).merge(boxes)
        // maxY = (0.9·16 + 0.6·10) / 1.5 = 13.6; score (0.9 + 0.6) / 2.
        #expect(abs(wbf[0].box.maxY - 13.6) < 1e-12 && abs(wbf[0].score - 0.75) < 1e-12)
        #expect(DetectionMerge(rule: .nms, metric: .iou, threshold: 0.7).merge(boxes).count == 4)
    }

    @Test func nmmJoinsTwoHalvesOnlyUnderIoS() {
        // A 40-px object cut at x = 100 by tile A and seen from x = 80 by tile B: halves 60 and 40 wide sharing 20 px.
        let left = Self.d(60, 10, 100, 30), right = Self.d(80, 10, 120, 30, window: Self.tileB)
        #expect(DetectionMerge(rule: .nmm, metric: .ios, threshold: 0.5).merge([left, right]).map(\.box)
                == [PixelBox(minX: 60, minY: 10, maxX: 120, maxY: 30)])
        #expect(DetectionMerge(rule: .nmm, metric: .iou, threshold: 0.5).merge([left, right]).count == 2)
    }

    @Test func manyBoxesAreMergedThroughTheGrid() {
        // 2000 objects on a grid, each seen twice with a 1-px shift: 2000 remain under NMS.
        var boxes: [Detection] = []
        for i in 0 ..< 2000 {
            let x = Double(i % 50) * 30, y = Double(i / 50) * 30
            boxes.append(Self.d(x, y, x + 20, y + 20, score: 0.8))
            boxes.append(Self.d(x + 1, y, x + 21, y + 20, score: 0.9))
        }
        let merged = DetectionMerge(rule: .nms, metric: .iou, threshold: 0.5).merge(boxes)
        #expect(merged.count == 2000 && merged.allSatisfy { $0.score == 0.9 })
    }

    @Test func borderPiecesGoWhenAnotherWindowSawTheObjectWhole() {
        let suppression = BorderSuppression(sceneSize: RasterSize(width: 180, height: 100))
        // Object [90, 110) × [10, 30): tile A cuts it at x = 100; tile B sees it whole.
        let piece = Self.d(90, 10, 100, 30), whole = Self.d(90, 10, 110, 30, window: Self.tileB)
        #expect(suppression.touchesInnerBorder(piece) && !suppression.touchesInnerBorder(whole))
        let (kept, dropped) = suppression.apply([piece, whole])
        #expect(kept == [whole] && dropped == 1)
        // Without a witness the piece stays; another class is no witness.
        #expect(suppression.apply([piece]).dropped == 0)
        #expect(suppression.apply([piece, Self.d(90, 10, 110, 30, "truck", window: Self.tileB)]).dropped == 0)
        // A small object inside a large one of the same class, touching tile A's inner border, is not a piece of it.
        let small = Self.d(95, 40, 100, 45), large = Self.d(85, 5, 170, 95, window: Self.tileB)
        #expect(suppression.apply([small, large]).dropped == 0)
    }

    @Test func sceneEdgesAreNotCuts() {
        let suppression = BorderSuppression(sceneSize: RasterSize(width: 180, height: 100))
        // Touching tile A's left and top edges (the scene's) and tile B's right edge (the scene's too).
        #expect(!suppression.touchesInnerBorder(Self.d(0, 0, 10, 10)))
        #expect(!suppression.touchesInnerBorder(Self.d(170, 90, 180, 100, window: Self.tileB)))
        // A level-2 tile's pixel is 4 level-0 pixels: 3 px from the border is touching, 5 px is not.
        let coarse = Window(x: 0, y: 0, width: 400, height: 400)
        let wide = BorderSuppression(sceneSize: RasterSize(width: 1000, height: 1000))
        #expect(wide.touchesInnerBorder(Self.d(300, 10, 397, 30, window: coarse, level: 2)))
        #expect(!wide.touchesInnerBorder(Self.d(300, 10, 395, 30, window: coarse, level: 2)))
    }
}
