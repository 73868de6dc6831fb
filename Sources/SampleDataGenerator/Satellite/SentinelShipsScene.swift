import Foundation
import ScaleTileCore

/// `s2_ships.tif` and `s2_ships.geojson`: a Sentinel-2-like 10 m scene of the North Sea coast
/// at the mouth of a port (UTM 31N), 640 × 640 pixels of bands B2, B3, B4 and B8 as
/// reflectance × 10000 in UInt16, with the edge of the satellite's swath crossing the north-west
/// corner (nodata 0 beyond it).
///
/// Ships run from 2 to 40 pixels long (20 to 400 m): boats narrower than a pixel that show only
/// as a brighter blur, coasters and tugs, and tankers and container ships at anchor, under way
/// with a wake, or moored in the harbour basin. Container stacks on the quays are ship-sized
/// bright rectangles that are not ships.
enum SentinelShipsScene {
    static let width = 640, height = 640
    static let pixelSize = 10.0
    /// On the Sentinel-2 tiling grid of tile 31UET (corners on multiples of 10 m from 499980 E, 5800020 N).
    static let geoTransform = GeoTransform(originX: 563_200, originY: 5_759_680, pixelWidth: pixelSize, pixelHeight: -pixelSize)
    static let crs = "EPSG:32631"

    /// Reflectance × 10000 in B2 (blue), B3 (green), B4 (red), B8 (near infrared).
    enum Cover {
        static let openSea: [Double] = [560, 420, 230, 130]
        static let turbidSea: [Double] = [760, 720, 480, 230]
        static let sand: [Double] = [1150, 1350, 1550, 1850]
        static let grass: [Double] = [380, 640, 420, 3300]
        static let industry: [Double] = [1050, 1120, 1180, 1500]
        static let quay: [Double] = [1300, 1350, 1400, 1550]
        static let foam: [Double] = [1400, 1400, 1350, 1100]
    }

    /// The swath's western edge: a line from (220, 0) to (0, 480); pixels left of it were not imaged.
    static func isOutsideSwath(_ x: Double, _ y: Double) -> Bool {
        x / 220 + y / 480 < 1
    }

    static func make(seed: UInt64) -> SyntheticScene {
        var random = SeededRandom(seed: seed, key: "s2/layout")
        let coast = ValueNoise(seed: seed, key: "s2/coast", width: 1, height: height, cellSize: 160, octaves: 4)
        // The coast's column on each row: sea to the west of it.
        let coastline = (0 ..< height).map { 430 + 90 * coast.value(x: 0, y: Double($0) + 0.5) }
        // The harbour basin, dredged from the coast to 40 pixels short of the scene's edge, 42 pixels wide.
        let mouth = coastline[301]
        let basin = PixelBox(minX: mouth - 4, minY: 280, maxX: Double(width - 40), maxY: 322)
        func isWater(_ x: Int, _ y: Int) -> Bool {
            let cx = Double(x) + 0.5, cy = Double(y) + 0.5
            return cx < coastline[y] || (basin.minX < cx && cx < basin.maxX && basin.minY < cy && cy < basin.maxY)
        }

        var canvas = Canvas(width: width, height: height, bandCount: 4)
        var occupied = OccupancyGrid(width: width, height: height)
        paintSeaAndLand(&canvas, coastline: coastline, basin: basin, isWater: isWater, seed: seed)
        for y in 0 ..< height {
            for x in 0 ..< width where !isWater(x, y) || isOutsideSwath(Double(x) + 0.5, Double(y) + 0.5) {
                occupied.take(x, y)
            }
        }
        paintContainerStacks(&canvas, along: basin, from: mouth + 10, random: &random)

        var ships: [LabeledObject] = []
        // Moored along the basin's quays first, bow to stern, then at sea.
        for quayY in [basin.minY + 4, basin.maxY - 4] {
            var x = basin.minX + 12
            while true {
                let length = 12 + 22 * random.unit()
                guard x + length <= basin.maxX - 6 else { break }
                let hull = Outline.hull(centre: PixelPoint(x: x + length / 2, y: quayY), length: length,
                                        beam: max(0.8, length * 0.15), heading: random.unit() < 0.5 ? 0 : Double.pi).rounded(to: 0.125)
                occupied.take(hull, margin: 3)
                paintShip(hull, on: &canvas, random: &random)
                ships.append(hull.labeledObject(id: "ship-\(ships.count + 1)", className: "ship"))
                x += length + 4 + 20 * random.unit()
            }
        }
        for _ in 0 ..< 40 {
            let length = shipLength(&random)
            for _ in 0 ..< 200 {
                let centre = PixelPoint(x: 10 + Double(width - 20) * random.unit(), y: 10 + Double(height - 20) * random.unit())
                let heading = 2 * Double.pi * random.unit()
                let hull = Outline.hull(centre: centre, length: length, beam: max(0.6, length * 0.15), heading: heading).rounded(to: 0.125)
                // Room for the ship, its wake and a margin, so neighbours neither merge nor sit in a wake.
                let clearance = Outline.rectangle(centre: centre.offset(by: (-2 * length, 0), turnedBy: heading),
                                                  length: length * 6 + 4, width: length * 1.2 + 4, angle: heading)
                guard occupied.isFree(clearance) else { continue }
                occupied.take(clearance)
                if length > 6, random.unit() < 0.5 {
                    paintWake(behind: centre, length: length, heading: heading, on: &canvas)
                }
                paintShip(hull, on: &canvas, random: &random)
                ships.append(hull.labeledObject(id: "ship-\(ships.count + 1)", className: "ship"))
                break
            }
        }

        var noise = SensorNoise(seed: seed, key: "s2/sensor")
        canvas.addNoise(sigma: [1, 1, 1, 1], &noise)
        let nodata = NodataRegion(value: 0) { x, y in isOutsideSwath(Double(x) + 0.5, Double(y) + 0.5) }
        return SyntheticScene(pixels: canvas.quantized(to: .uint16, nodata: nodata), geoTransform: geoTransform, crs: crs,
                              nodata: 0, colorInterpretations: ["Blue", "Green", "Red", "Undefined"], objects: ships)
    }

    /// Ship lengths in pixels: many small boats, fewer coasters, a few large ships.
    private static func shipLength(_ random: inout SeededRandom) -> Double {
        let draw = random.unit()
        if draw < 0.4 { return 2 + 4 * random.unit() }
        if draw < 0.75 { return 8 + 12 * random.unit() }
        return 22 + 18 * random.unit()
    }

    /// Sea whose sediment load rises towards the coast and drifts in plumes; sand along the
    /// shore; grassland and industry inland; quays around the basin.
    private static func paintSeaAndLand(_ canvas: inout Canvas, coastline: [Double], basin: PixelBox,
                                        isWater: (Int, Int) -> Bool, seed: UInt64) {
        let plumes = ValueNoise(seed: seed, key: "s2/plumes", width: width, height: height, cellSize: 128, octaves: 3)
        let landUse = ValueNoise(seed: seed, key: "s2/land use", width: width, height: height, cellSize: 48, octaves: 3)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let cx = Double(x) + 0.5, cy = Double(y) + 0.5
                let shoreDistance = coastline[y] - cx
                let (from, to, share): ([Double], [Double], Double)
                if isWater(x, y) {
                    let sediment = min(1, max(0, 1 - shoreDistance / 260 + 0.8 * plumes.value(x: cx, y: cy)))
                    (from, to, share) = (Cover.openSea, Cover.turbidSea, sediment)
                } else if -shoreDistance < 3 {
                    (from, to, share) = (Cover.sand, Cover.sand, 0)
                } else if max(basin.minY - cy, cy - basin.maxY, cx - basin.maxX) < 4 {
                    (from, to, share) = (Cover.quay, Cover.quay, 0)
                } else {
                    // Industry near the port, fading to grassland a few kilometres inland.
                    let portDistance = max(0, max(basin.minY - cy, cy - basin.maxY, cx - basin.maxX) - 60)
                    let built = min(1, max(0, 0.5 + 1.5 * landUse.value(x: cx, y: cy) - portDistance / 200))
                    (from, to, share) = (Cover.grass, Cover.industry, built)
                }
                for band in 0 ..< 4 { canvas[band, x, y] = from[band] + (to[band] - from[band]) * share }
            }
        }
    }

    /// Container stacks and warehouses on the quays north and south of the basin: bright
    /// rectangles of ship size and shape that are not ships.
    private static func paintContainerStacks(_ canvas: inout Canvas, along basin: PixelBox, from start: Double,
                                             random: inout SeededRandom) {
        for quayY in [basin.minY - 12, basin.maxY + 12] {
            var x = start
            while x < basin.maxX - 10 {
                let length = 6 + 14 * random.unit()
                let stack = Outline.rectangle(centre: PixelPoint(x: x + length / 2, y: quayY + 4 * (random.unit() - 0.5)),
                                              length: length, width: 2 + 3 * random.unit(), angle: 0)
                let brightness = 0.8 + 0.7 * random.unit()
                canvas.paint(Coverage(stack, canvasWidth: width, canvasHeight: height),
                             colour: Cover.industry.map { $0 * brightness })
                x += length + 2 + 6 * random.unit()
            }
        }
    }

    /// A hull: bright deck and superstructure, some hulls darker; narrow boats blend into the sea.
    private static func paintShip(_ hull: Outline, on canvas: inout Canvas, random: inout SeededRandom) {
        let deck = 1100 + 1100 * random.unit()
        let colour = [deck, deck * 0.97, deck * 0.93, deck * 1.15]
        canvas.paint(Coverage(hull, canvasWidth: width, canvasHeight: height), colour: colour)
    }

    /// A ship's wake: a faint, narrow wedge of foam four ship lengths long behind the stern.
    private static func paintWake(behind centre: PixelPoint, length: Double, heading: Double, on canvas: inout Canvas) {
        let stern = centre.offset(by: (-length / 2, 0), turnedBy: heading)
        let tail = centre.offset(by: (-length * 4.5, 0), turnedBy: heading)
        let spread = 0.5 + length * 0.1
        let wake = Outline([stern.offset(by: (0, -0.3), turnedBy: heading), tail.offset(by: (0, -spread), turnedBy: heading),
                            tail.offset(by: (0, spread), turnedBy: heading), stern.offset(by: (0, 0.3), turnedBy: heading)])
        canvas.paint(Coverage(wake, canvasWidth: width, canvasHeight: height), colour: Cover.foam, opacity: 0.12)
    }
}
