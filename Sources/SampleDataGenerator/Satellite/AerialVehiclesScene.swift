import Foundation
import ScaleTileCore

/// `aerial_vehicles.tif` and `aerial_vehicles.coco.json`: a 0.3 m RGB aerial orthophoto
/// (8-bit) of a distribution centre on the edge of Munich (UTM 32N), 768 × 768 pixels
/// (230 m): a four-lane road, a car park in rows of stalls, a truck yard in front of a
/// warehouse's loading doors, grass and trees.
///
/// Vehicles are boxes in the COCO file (`car`, `truck`) with their rotated outline as the
/// segmentation. At 0.3 m a car is about 15 × 6 pixels and an articulated lorry 55 × 8: the
/// small-object regime of vehicle detection (DOTA's and xView's small vehicles).
enum AerialVehiclesScene {
    static let width = 768, height = 768
    static let pixelSize = 0.3
    static let geoTransform = GeoTransform(originX: 697_520.1, originY: 5_334_811.8, pixelWidth: pixelSize, pixelHeight: -pixelSize)
    static let crs = "EPSG:32632"
    /// Pixels per metre.
    static let perMetre = 1 / pixelSize

    /// RGB colours, 0–255.
    enum Cover {
        static let grass: [Double] = [92, 118, 66]
        static let asphalt: [Double] = [78, 80, 84]
        static let carParkAsphalt: [Double] = [104, 104, 106]
        static let concrete: [Double] = [158, 156, 150]
        static let roof: [Double] = [188, 190, 186]
        static let paint: [Double] = [232, 232, 226]
        static let tree: [Double] = [48, 72, 40]
        static let shadow: [Double] = [34, 36, 40]
        static let glass: [Double] = [30, 34, 40]
        static let carColours: [[Double]] = [
            [225, 226, 224], [220, 220, 218], [30, 31, 34], [40, 40, 44], [150, 152, 156], [120, 122, 126],
            [165, 35, 30], [40, 60, 120], [90, 95, 100], [200, 190, 170],
        ]
        static let trailerColours: [[Double]] = [[214, 216, 214], [200, 200, 196], [170, 40, 35], [60, 90, 150], [230, 230, 226]]
    }

    static let road = PixelBox(minX: 0, minY: 96, maxX: Double(width), maxY: 96 + 14 * perMetre)
    static let carPark = PixelBox(minX: 30, minY: 230, maxX: 440, maxY: 640)
    static let yard = PixelBox(minX: 440, minY: 200, maxX: 575, maxY: 700)
    static let warehouse = PixelBox(minX: 575, minY: 230, maxX: 760, maxY: 660)
    /// The sun in the south-east at mid-morning: shadows fall to the north-west.
    static let shadowOffset = (-0.9 * perMetre, -0.9 * perMetre)

    static func make(seed: UInt64) -> SyntheticScene {
        var random = SeededRandom(seed: seed, key: "aerial/layout")
        var canvas = Canvas(width: width, height: height, bandCount: 3)
        paintGround(&canvas, seed: seed)
        paintTrees(&canvas, random: &random)

        // COCO annotation ids are numbers, so the objects' ids are their 1-based positions.
        var vehicles: [LabeledObject] = []
        for (outline, className) in parkedCars(random: &random) + roadTraffic(random: &random) + yardTrucks(random: &random) {
            paintVehicle(outline, isTruck: className == "truck", on: &canvas, random: &random)
            vehicles.append(outline.labeledObject(id: "\(vehicles.count + 1)", className: className))
        }

        var noise = SensorNoise(seed: seed, key: "aerial/sensor")
        canvas.addNoise(sigma: [1, 1, 1], &noise)
        return SyntheticScene(pixels: canvas.quantized(to: .uint8), geoTransform: geoTransform, crs: crs, nodata: nil,
                              colorInterpretations: ["Red", "Green", "Blue"], objects: vehicles)
    }

    /// Grass with mown stripes and patches, the road with its lane markings, the car park with
    /// its stall lines, the concrete yard and the warehouse roof.
    private static func paintGround(_ canvas: inout Canvas, seed: UInt64) {
        let patches = ValueNoise(seed: seed, key: "aerial/grass", width: width, height: height, cellSize: 64, octaves: 3)
        let wear = ValueNoise(seed: seed, key: "aerial/wear", width: width, height: height, cellSize: 24, octaves: 2)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let cx = Double(x) + 0.5, cy = Double(y) + 0.5
                let grass = 1 + 0.12 * patches.value(x: cx, y: cy)
                for band in 0 ..< 3 { canvas[band, x, y] = Cover.grass[band] * grass }
                let surface: [Double]?
                if contains(road, cx, cy) { surface = Cover.asphalt }
                else if contains(carPark, cx, cy) { surface = Cover.carParkAsphalt }
                else if contains(warehouse, cx, cy) { surface = Cover.roof }
                else if contains(yard, cx, cy) { surface = Cover.concrete }
                else { surface = nil }
                if let surface {
                    let stain = 1 + 0.05 * wear.value(x: cx, y: cy)
                    for band in 0 ..< 3 { canvas[band, x, y] = surface[band] * stain }
                }
            }
        }
        // The warehouse roof: a ridge line every 12 m and its shadow on the yard.
        var ridge = warehouse.minY + 20
        while ridge < warehouse.maxY {
            paintLine(on: &canvas, from: PixelPoint(x: warehouse.minX, y: ridge), to: PixelPoint(x: warehouse.maxX, y: ridge),
                      width: 1.5, colour: Cover.roof.map { $0 * 0.85 })
            ridge += 12 * perMetre
        }
        // Lane markings: dashed 3 m of every 9 m, 0.15 m wide, between the four lanes.
        for lane in 1 ... 3 {
            let y = road.minY + Double(lane) * 3.5 * perMetre
            var x = 0.0
            while x < Double(width) {
                let length = lane == 2 ? 30.0 * perMetre : 3 * perMetre  // the centre line is solid
                paintLine(on: &canvas, from: PixelPoint(x: x, y: y), to: PixelPoint(x: x + length, y: y),
                          width: lane == 2 ? 0.9 : 0.5, colour: Cover.paint)
                x += lane == 2 ? length : 9 * perMetre
            }
        }
        // Stall lines: rows of 2.5 m stalls, 5 m deep, back to back, with 6 m aisles.
        for row in carParkRows() {
            var x = carPark.minX + 6
            while x <= carPark.maxX - 6 {
                paintLine(on: &canvas, from: PixelPoint(x: x, y: row.top), to: PixelPoint(x: x, y: row.top + row.depth),
                          width: 0.45, colour: Cover.paint)
                x += 2.5 * perMetre
            }
        }
    }

    /// The car park's stall rows: their top edge and depth (5 m); each pair shares a kerb line.
    private static func carParkRows() -> [(top: Double, depth: Double)] {
        var rows: [(top: Double, depth: Double)] = []
        var y = carPark.minY + 8
        let depth = 5 * perMetre, aisle = 6 * perMetre
        while y + 2 * depth <= carPark.maxY - 8 {
            rows.append((y, depth))
            rows.append((y + depth, depth))
            y += 2 * depth + aisle
        }
        return rows
    }

    /// Cars in about two stalls of three, nose in or out, a little off the stall's axis.
    private static func parkedCars(random: inout SeededRandom) -> [(Outline, String)] {
        var cars: [(Outline, String)] = []
        for row in carParkRows() {
            var x = carPark.minX + 6
            while x + 2.5 * perMetre <= carPark.maxX - 6 {
                defer { x += 2.5 * perMetre }
                guard random.unit() < 0.65 else { continue }
                let length = (3.9 + 1.3 * random.unit()) * perMetre
                let breadth = (1.72 + 0.2 * random.unit()) * perMetre
                let facing = random.unit() < 0.5 ? Double.pi / 2 : -Double.pi / 2
                let centre = PixelPoint(x: x + 1.25 * perMetre + (random.unit() - 0.5) * 1.2,
                                        y: row.top + row.depth / 2 + (random.unit() - 0.5) * 2)
                cars.append((Outline.rectangle(centre: centre, length: length, width: breadth,
                                               angle: facing + (random.unit() - 0.5) * 0.12).rounded(to: 0.01), "car"))
            }
        }
        return cars
    }

    /// Traffic on the four lanes: eastbound in the two southern lanes, westbound in the
    /// northern ones, mostly cars, some vans and lorries, 2 to 30 m apart.
    private static func roadTraffic(random: inout SeededRandom) -> [(Outline, String)] {
        var traffic: [(Outline, String)] = []
        for lane in 0 ..< 4 {
            let y = road.minY + (Double(lane) + 0.5) * 3.5 * perMetre
            let heading = lane < 2 ? Double.pi : 0
            var x = 10 * random.unit()
            while true {
                let isTruck = random.unit() < 0.15
                let length = (isTruck ? 7 + 10 * random.unit() : 3.8 + 1.5 * random.unit()) * perMetre
                let breadth = (isTruck ? 2.5 : 1.75 + 0.15 * random.unit()) * perMetre
                guard x + length < Double(width) - 2 else { break }
                let centre = PixelPoint(x: x + length / 2, y: y + (random.unit() - 0.5) * 1.5)
                traffic.append((Outline.rectangle(centre: centre, length: length, width: breadth,
                                                  angle: heading + (random.unit() - 0.5) * 0.03).rounded(to: 0.01),
                                isTruck ? "truck" : "car"))
                x += length + (2 + 28 * random.unit()) * perMetre
            }
        }
        return traffic
    }

    /// Articulated lorries backed up to the warehouse's loading doors, a few box vans among them.
    private static func yardTrucks(random: inout SeededRandom) -> [(Outline, String)] {
        var trucks: [(Outline, String)] = []
        var y = yard.minY + 40
        while y < yard.maxY - 20 {
            if random.unit() < 0.8 {
                let length = (random.unit() < 0.75 ? 15.5 + 1.5 * random.unit() : 7 + 3 * random.unit()) * perMetre
                let centre = PixelPoint(x: warehouse.minX - 2 - length / 2, y: y)
                trucks.append((Outline.rectangle(centre: centre, length: length, width: 2.55 * perMetre,
                                                 angle: Double.pi + (random.unit() - 0.5) * 0.06).rounded(to: 0.01), "truck"))
            }
            y += 4.5 * perMetre
        }
        return trucks
    }

    /// Street trees along the road and the car park, with their shadows; never over a vehicle
    /// (they are painted first), as an orthophoto's trees over cars would hide them.
    private static func paintTrees(_ canvas: inout Canvas, random: inout SeededRandom) {
        var x = 12.0
        while x < Double(width) {
            for y in [road.minY - 14, road.maxY + 14, carPark.maxY + 22] where !(y > carPark.maxY && x > yard.minX) {
                let radius = (2.5 + 2 * random.unit()) * perMetre
                let centre = PixelPoint(x: x + 6 * (random.unit() - 0.5), y: y + 4 * (random.unit() - 0.5))
                let shade = PixelPoint(x: centre.x + shadowOffset.0 * 2.5, y: centre.y + shadowOffset.1 * 2.5)
                canvas.paint(Coverage(ellipseAt: shade, radiusX: radius, radiusY: radius, canvasWidth: width, canvasHeight: height),
                             colour: Cover.shadow, opacity: 0.55)
                let tone = 0.85 + 0.3 * random.unit()
                canvas.paint(Coverage(ellipseAt: centre, radiusX: radius, radiusY: radius, canvasWidth: width, canvasHeight: height),
                             colour: Cover.tree.map { $0 * tone })
            }
            x += (10 + 6 * random.unit()) * perMetre
        }
    }

    /// A vehicle from above: its shadow, the body in its colour, and for cars the dark
    /// windscreen and rear window; lorries get a cab and a lighter trailer roof.
    private static func paintVehicle(_ outline: Outline, isTruck: Bool, on canvas: inout Canvas, random: inout SeededRandom) {
        let v = outline.vertices
        // The rectangle's frame: v[0] rear-left, v[1] front-left, v[2] front-right, v[3] rear-right.
        let centre = PixelPoint(x: (v[0].x + v[2].x) / 2, y: (v[0].y + v[2].y) / 2)
        let length = hypot(v[1].x - v[0].x, v[1].y - v[0].y), breadth = hypot(v[3].x - v[0].x, v[3].y - v[0].y)
        let angle = atan2(v[1].y - v[0].y, v[1].x - v[0].x)
        func part(_ from: Double, _ to: Double, inset: Double = 0) -> Coverage {
            // A slice of the body between fractions `from` and `to` of its length, rear to front.
            let middle = centre.offset(by: ((from + to) / 2 * length - length / 2, 0), turnedBy: angle)
            return Coverage(Outline.rectangle(centre: middle, length: (to - from) * length, width: breadth - 2 * inset, angle: angle),
                            canvasWidth: width, canvasHeight: height)
        }
        let shadow = Outline(outline.vertices.map { PixelPoint(x: $0.x + shadowOffset.0, y: $0.y + shadowOffset.1) })
        canvas.paint(Coverage(shadow, canvasWidth: width, canvasHeight: height), colour: Cover.shadow, opacity: 0.6)
        if isTruck {
            let cabShare = min(0.35, 2.4 * perMetre / length)
            let trailer = Cover.trailerColours[random.integer(in: 0 ... Cover.trailerColours.count - 1)]
            canvas.paint(part(0, 1 - cabShare - 0.02), colour: trailer)
            canvas.paint(part(1 - cabShare, 1), colour: Cover.carColours[random.integer(in: 0 ... Cover.carColours.count - 1)])
            canvas.paint(part(1 - cabShare * 0.45, 1 - cabShare * 0.15, inset: 0.3 * perMetre), colour: Cover.glass, opacity: 0.8)
        } else {
            let body = Cover.carColours[random.integer(in: 0 ... Cover.carColours.count - 1)]
            canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height), colour: body)
            canvas.paint(part(0.6, 0.76, inset: 0.2 * perMetre), colour: Cover.glass, opacity: 0.85)
            canvas.paint(part(0.12, 0.24, inset: 0.25 * perMetre), colour: Cover.glass, opacity: 0.75)
        }
    }

    /// A straight line `width` pixels wide, painted with its exact coverage.
    private static func paintLine(on canvas: inout Canvas, from a: PixelPoint, to b: PixelPoint, width lineWidth: Double, colour: [Double]) {
        let length = hypot(b.x - a.x, b.y - a.y)
        let outline = Outline.rectangle(centre: PixelPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2), length: length,
                                        width: lineWidth, angle: atan2(b.y - a.y, b.x - a.x))
        canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height), colour: colour)
    }

    private static func contains(_ box: PixelBox, _ x: Double, _ y: Double) -> Bool {
        x >= box.minX && x < box.maxX && y >= box.minY && y < box.maxY
    }
}
