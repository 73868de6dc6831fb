import Foundation
import ScaleTileCore

/// `buildings.tif` and `buildings.geojson`: a 0.5 m panchromatic satellite image (11-bit
/// digital numbers in UInt16, as WorldView and Pléiades deliver it) of a dense neighbourhood
/// of Dar es Salaam (UTM 37S, so northings carry the southern false northing), 768 × 768
/// pixels (384 m).
///
/// Buildings are polygons of class `building`: many small rectangular houses of 8 to 20 pixels
/// (4 to 10 m), L-shaped houses of 20 to 40, and a few schools and warehouses of 50 to 80 pixels,
/// each turned to its street, with hip roofs lit on one side and shadows to the south-west.
enum BuildingsScene {
    static let width = 768, height = 768
    static let pixelSize = 0.5
    static let geoTransform = GeoTransform(originX: 531_204.0, originY: 9_251_388.0, pixelWidth: pixelSize, pixelHeight: -pixelSize)
    static let crs = "EPSG:32737"

    /// Panchromatic digital numbers.
    enum Tone {
        static let soil = 560.0
        static let grass = 330.0
        static let tree = 210.0
        static let pavedRoad = 270.0
        static let track = 640.0
        static let shadow = 150.0
    }

    /// Shadows of one-storey houses in the morning sun of July: 2 m to the south-west.
    static let shadowOffset = (-2.5, 3.0)

    static func make(seed: UInt64) -> SyntheticScene {
        var random = SeededRandom(seed: seed, key: "buildings/layout")
        var canvas = Canvas(width: width, height: height, bandCount: 1)
        var occupied = OccupancyGrid(width: width, height: height)
        paintGround(&canvas, seed: seed)
        paintRoads(&canvas, occupying: &occupied)

        // The street grid's direction drifts across the neighbourhood; houses follow it.
        let streets = ValueNoise(seed: seed, key: "buildings/streets", width: width, height: height, cellSize: 256, octaves: 2)
        var buildings: [LabeledObject] = []
        // Largest first, so they find room; (count, kind).
        let plan: [(count: Int, kind: Kind)] = [(6, .large), (40, .lShaped), (420, .small)]
        for (count, kind) in plan {
            var placed = 0, attempts = 0
            while placed < count, attempts < count * 40 {
                attempts += 1
                let centre = PixelPoint(x: 4 + Double(width - 8) * random.unit(), y: 4 + Double(height - 8) * random.unit())
                let angle = 0.5 * streets.value(x: centre.x, y: centre.y) + (random.unit() < 0.5 ? 0 : Double.pi / 2)
                    + (random.unit() - 0.5) * 0.1
                let outline = kind.outline(centre: centre, angle: angle, random: &random).rounded(to: 0.125)
                guard occupied.isFree(outline) else { continue }
                occupied.take(outline, margin: kind == .small ? 1 : 3)
                paintBuilding(outline, angle: angle, on: &canvas, random: &random)
                buildings.append(outline.labeledObject(id: "building-\(buildings.count + 1)", className: "building"))
                placed += 1
            }
        }
        paintTrees(&canvas, avoiding: occupied, random: &random)

        var noise = SensorNoise(seed: seed, key: "buildings/sensor")
        canvas.addNoise(sigma: [2], &noise)
        return SyntheticScene(pixels: canvas.quantized(to: .uint16), geoTransform: geoTransform, crs: crs, nodata: nil,
                              colorInterpretations: ["Gray"], objects: buildings)
    }

    /// The three kinds of building and their sizes in pixels.
    enum Kind {
        /// Houses 8 to 20 pixels long, about two thirds as wide.
        case small
        /// Houses of 20 to 40 pixels with one corner cut out.
        case lShaped
        /// Schools and warehouses of 50 to 80 pixels.
        case large

        func outline(centre: PixelPoint, angle: Double, random: inout SeededRandom) -> Outline {
            switch self {
            case .small:
                let length = 8 + 12 * random.unit()
                return .rectangle(centre: centre, length: length, width: length * (0.55 + 0.3 * random.unit()), angle: angle)
            case .lShaped:
                let length = 20 + 20 * random.unit(), breadth = length * (0.6 + 0.3 * random.unit())
                return .lShape(centre: centre, length: length, width: breadth, notchLength: length * (0.35 + 0.25 * random.unit()),
                               notchWidth: breadth * (0.35 + 0.25 * random.unit()), angle: angle)
            case .large:
                let length = 50 + 30 * random.unit()
                return .rectangle(centre: centre, length: length, width: length * (0.35 + 0.3 * random.unit()), angle: angle)
            }
        }
    }

    /// Bare sandy soil with patches of grass and gardens.
    private static func paintGround(_ canvas: inout Canvas, seed: UInt64) {
        let cover = ValueNoise(seed: seed, key: "buildings/ground", width: width, height: height, cellSize: 48, octaves: 3)
        for y in 0 ..< height {
            for x in 0 ..< width {
                let grass = min(1, max(0, 0.35 + 1.6 * cover.value(x: Double(x), y: Double(y))))
                canvas[0, x, y] = Tone.soil + (Tone.grass - Tone.soil) * grass
            }
        }
    }

    /// A paved main road across the scene and unpaved tracks branching from it; buildings keep off them.
    private static func paintRoads(_ canvas: inout Canvas, occupying occupied: inout OccupancyGrid) {
        let roads: [(from: PixelPoint, to: PixelPoint, width: Double, tone: Double)] = [
            (PixelPoint(x: -10, y: 180), PixelPoint(x: 778, y: 520), 16, Tone.pavedRoad),
            (PixelPoint(x: 250, y: 290), PixelPoint(x: 120, y: 778), 6, Tone.track),
            (PixelPoint(x: 520, y: 405), PixelPoint(x: 640, y: -10), 6, Tone.track),
            (PixelPoint(x: 430, y: 370), PixelPoint(x: 560, y: 778), 5, Tone.track),
        ]
        for road in roads {
            let outline = Outline.rectangle(centre: PixelPoint(x: (road.from.x + road.to.x) / 2, y: (road.from.y + road.to.y) / 2),
                                            length: hypot(road.to.x - road.from.x, road.to.y - road.from.y), width: road.width,
                                            angle: atan2(road.to.y - road.from.y, road.to.x - road.from.x))
            canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height), colour: [road.tone])
            occupied.take(outline, margin: 2)
        }
    }

    /// A house: its shadow, then a hip roof whose two long halves catch the sun differently,
    /// in corrugated iron (bright, or dark where rusted) or concrete.
    private static func paintBuilding(_ outline: Outline, angle: Double, on canvas: inout Canvas, random: inout SeededRandom) {
        let shadow = Outline(outline.vertices.map { PixelPoint(x: $0.x + shadowOffset.0, y: $0.y + shadowOffset.1) })
        canvas.paint(Coverage(shadow, canvasWidth: width, canvasHeight: height), colour: [Tone.shadow], opacity: 0.8)
        let roof = random.unit() < 0.25 ? 480 + 150 * random.unit() : 760 + 380 * random.unit()
        let box = outline.box
        let centre = PixelPoint(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2)
        // The ridge runs along the building's heading through its centre: one side is lit.
        let (c, s) = (cos(angle), sin(angle))
        canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height)) { x, y, _ in
            let across = -(Double(x) + 0.5 - centre.x) * s + (Double(y) + 0.5 - centre.y) * c
            return across < 0 ? roof : roof * 0.82
        }
    }

    /// Mango and neem trees in the yards: dark crowns 3 to 8 m across, never over a building.
    private static func paintTrees(_ canvas: inout Canvas, avoiding occupied: OccupancyGrid, random: inout SeededRandom) {
        for _ in 0 ..< 90 {
            let radius = 3 + 5 * random.unit()
            let centre = PixelPoint(x: Double(width) * random.unit(), y: Double(height) * random.unit())
            let crown = Outline.blob(centre: centre, radiusX: radius, radiusY: radius, angle: 0,
                                     wobble: Outline.randomWobble(count: 3, strength: 0.15, using: &random), vertexCount: 24)
            guard occupied.isFree(crown) else { continue }
            let shade = Outline(crown.vertices.map { PixelPoint(x: $0.x + shadowOffset.0 * 1.5, y: $0.y + shadowOffset.1 * 1.5) })
            canvas.paint(Coverage(shade, canvasWidth: width, canvasHeight: height), colour: [Tone.shadow], opacity: 0.5)
            canvas.paint(Coverage(crown, canvasWidth: width, canvasHeight: height), colour: [Tone.tree * (0.85 + 0.3 * random.unit())])
        }
    }
}
