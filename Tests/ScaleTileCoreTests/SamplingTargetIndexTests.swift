import Testing
@testable import ScaleTileCore

@Suite("Sampling: target index")
struct SamplingTargetIndexTests {
    /// Random boxes and windows in 3-D, some boxes spanning many cells, some windows off the grid.
    func randomBoxes(_ count: Int, seed: UInt64, sides: ClosedRange<Int>, spread: Int) -> [Window] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            Window(x: random.integer(in: -50...spread), y: random.integer(in: -50...spread), z: random.integer(in: 0...(spread / 4)),
                   width: random.integer(in: sides), height: random.integer(in: sides), depth: random.integer(in: 1...(sides.upperBound / 4 + 1)))
        }
    }

    @Test("queries agree with testing every box", arguments: [RasterSize(width: 64, height: 64, depth: 16),
                                                               RasterSize(width: 7, height: 300, depth: 1)])
    func matchesBruteForce(cellSize: RasterSize) {
        let boxes = randomBoxes(400, seed: 1, sides: 1...40, spread: 1000)
            + randomBoxes(20, seed: 2, sides: 200...600, spread: 800)
            + [Window(x: 10, y: 10, width: 0, height: 5)]               // empty: never reported
        let index = TargetIndex(boxes: boxes, cellSize: cellSize)
        for window in randomBoxes(300, seed: 3, sides: 1...400, spread: 1200) {
            let contained = boxes.indices.filter { window.contains(boxes[$0]) }
            let touching = boxes.indices.filter { window.intersection(boxes[$0]) != nil }
            #expect(index.boxes(containedIn: window) == contained)
            #expect(index.boxes(intersecting: window) == touching)
            #expect(index.anyBox(intersecting: window) == !touching.isEmpty)
        }
    }

    @Test("a cell size too fine for the extent is coarsened, and the answers stay exact")
    func coarsening() {
        let boxes = [Window(x: 0, y: 0, width: 5, height: 5), Window(x: 99_990, y: 99_990, width: 5, height: 5)]
        let index = TargetIndex(boxes: boxes, cellSize: RasterSize(width: 1, height: 1))   // 10^10 cells asked
        #expect(index.boxes(containedIn: Window(x: 0, y: 0, width: 100_000, height: 100_000)) == [0, 1])
        #expect(index.boxes(containedIn: Window(x: 99_000, y: 99_000, width: 995, height: 995)) == [1])
        #expect(!index.anyBox(intersecting: Window(x: 6, y: 6, width: 90_000, height: 90_000)))
        #expect(TargetIndex(boxes: [], cellSize: RasterSize(width: 8, height: 8)).boxes(intersecting: Window(x: 0, y: 0, width: 9, height: 9)).isEmpty)
    }
}
