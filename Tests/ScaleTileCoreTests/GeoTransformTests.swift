import Testing
@testable import ScaleTileCore

@Suite("Geotransforms")
struct GeoTransformTests {
    let scene = GeoTransform(originX: 399960, originY: 5000040, pixelWidth: 10, pixelHeight: -10)

    @Test func shiftingMovesTheOriginByWholePixels() {
        let tile = scene.shifted(column: 448, row: 896)
        #expect(tile.originX == 399960 + 4480 && tile.originY == 5000040 - 8960)
        #expect(tile.pixelWidth == 10 && tile.pixelHeight == -10)
    }

    @Test func levelTransformsKeepTheOriginAndScaleThePixel() {
        let l3 = scene.scaled(by: 8)
        #expect(l3.originX == scene.originX && l3.originY == scene.originY)
        #expect(l3.pixelWidth == 80 && l3.pixelHeight == -80)
    }

    @Test func inverseRoundTrips() throws {
        let rotated = GeoTransform([1000, 2, 0.5, 5000, 0.25, -2])
        let inverse = try #require(rotated.inverted())
        let p = rotated.apply(column: 17, row: 33)
        let back = inverse.apply(column: p.x, row: p.y)
        #expect(abs(back.x - 17) < 1e-9 && abs(back.y - 33) < 1e-9)
    }

    @Test func boundsOfNorthUpGrid() {
        let b = scene.bounds(width: 100, height: 50)
        #expect(b == Bounds(minX: 399960, minY: 5000040 - 500, maxX: 399960 + 1000, maxY: 5000040))
        #expect(scene.pixelWindow(covering: b) == Window(x: 0, y: 0, width: 100, height: 50))
    }

    @Test func shardsPartitionThePlan() throws {
        for count in 1...7 {
            var seen: [Int] = []
            for k in 1...count { seen += Array(try Shard(index: k, count: count).range(ofPlanCount: 23)) }
            #expect(seen == Array(0..<23))
        }
        #expect(throws: ScaleTileError.self) { try Shard(parsing: "0/3") }
        #expect(throws: ScaleTileError.self) { try Shard(parsing: "4/3") }
        #expect(throws: ScaleTileError.self) { try Shard(parsing: "x") }
    }
}
