import Foundation
import ScaleTileCore

/// `landsat_scene.tif` and `landsat_objects.geojson`: a Landsat-like 30 m scene of farmland in
/// central Iowa (UTM 15N), 1024 × 1024 pixels of red, green and blue surface reflectance × 10000
/// as UInt16, cut at the north-west corner of the sensor's footprint so a rotated collar of
/// nodata 0 covers about a third of it.
///
/// What makes it a multiscale sample is the spread of object sizes: ponds of 5 pixels, fields of
/// 13 to 54 pixels on the Public Land Survey's one-mile grid, centre-pivot circles, towns from
/// villages of 8 pixels to a city of about 130, and a reservoir some 300 pixels long, so levels
/// 0 to 2 with 256-pixel tiles each have objects that fit them.
enum LandsatScene {
    static let width = 1024, height = 1024
    static let pixelSize = 30.0
    /// Landsat grids put pixel corners on odd multiples of 15 m; so does this origin.
    static let geoTransform = GeoTransform(originX: 371_085, originY: 4_689_315, pixelWidth: pixelSize, pixelHeight: -pixelSize)
    static let crs = "EPSG:32615"
    /// The Public Land Survey section: one mile, in pixels.
    static let section = 1609.344 / pixelSize
    /// Where the survey grid's section corners fall: one of them at this pixel position.
    static let surveyOrigin = PixelPoint(x: -17.3, y: -9.6)

    /// The imaged footprint: a rectangle turned 12° from north, as a descending Landsat orbit
    /// lays its swath, whose north-west corner falls inside the crop. Pixels outside it are nodata.
    struct Footprint {
        let corner = PixelPoint(x: 330, y: 40)
        let tilt = 12.0 * Double.pi / 180

        /// Whether pixel position (x, y) lies inside the footprint (below its north edge and
        /// right of its west edge), at least `inset` pixels from both.
        func contains(x: Double, y: Double, inset: Double = 0) -> Bool {
            let dx = x - corner.x, dy = y - corner.y
            let c = cos(tilt), s = sin(tilt)
            // Distances from the west edge, along the north edge's direction (c, s), and from
            // the north edge, along the west edge's direction (-s, c).
            return dx * c + dy * s >= inset && dy * c - dx * s >= inset
        }
    }

    /// Colours as reflectance × 10000 in red, green, blue (Landsat 8 bands 4, 3, 2) in July.
    enum Cover {
        static let pasture: [Double] = [600, 790, 470]
        static let corn: [Double] = [330, 690, 300]
        static let soybeans: [Double] = [430, 820, 360]
        static let alfalfa: [Double] = [480, 900, 400]
        static let bareSoil: [Double] = [1450, 1250, 900]
        static let woodland: [Double] = [280, 520, 260]
        static let water: [Double] = [260, 480, 430]
        static let road: [Double] = [1200, 1150, 1050]
        static let roofs: [Double] = [1150, 1100, 1050]
    }

    static func make(seed: UInt64) -> SyntheticScene {
        var random = SeededRandom(seed: seed, key: "landsat/layout")
        let footprint = Footprint()
        var canvas = Canvas(width: width, height: height, bandCount: 3)
        var occupied = OccupancyGrid(width: width, height: height)
        // Objects keep 3 pixels from the footprint's edge, so every labelled object is whole.
        for y in 0 ..< height {
            for x in 0 ..< width where !footprint.contains(x: Double(x) + 0.5, y: Double(y) + 0.5, inset: 3.5) {
                occupied.take(x, y)
            }
        }

        paintGrassland(&canvas, seed: seed)
        var water = OccupancyGrid(width: width, height: height)
        River(seed: seed).paint(on: &canvas, occupying: &occupied, water: &water)
        let towns = placeTowns(on: &canvas, occupying: &occupied, random: &random, seed: seed)
        let lakes = placeLakes(on: &canvas, occupying: &occupied, water: &water, random: &random, seed: seed)
        let fields = placeFields(on: &canvas, occupying: &occupied, random: &random, seed: seed)
        paintWoodlots(&canvas, occupying: &occupied, seed: seed)
        paintSectionRoads(&canvas, avoiding: water)
        // Fields first in the label file (the most numerous class), then lakes and towns.
        let objects = fields + lakes + towns

        var noise = SensorNoise(seed: seed, key: "landsat/sensor")
        canvas.addNoise(sigma: [0.5, 0.5, 0.5], &noise)
        let nodata = NodataRegion(value: 0) { x, y in !footprint.contains(x: Double(x) + 0.5, y: Double(y) + 0.5) }
        return SyntheticScene(pixels: canvas.quantized(to: .uint16, nodata: nodata), geoTransform: geoTransform, crs: crs,
                              nodata: 0, colorInterpretations: ["Red", "Green", "Blue"], objects: objects)
    }

    /// Pasture and meadow everywhere, brightness and greenness varying over a few kilometres.
    private static func paintGrassland(_ canvas: inout Canvas, seed: UInt64) {
        let greenness = ValueNoise(seed: seed, key: "landsat/grass", width: width, height: height, cellSize: 96, octaves: 2)
        let plane = greenness.plane(width: width, height: height)
        canvas.fill { x, y, band in
            Cover.pasture[band] * (1 + 0.18 * plane[y * width + x])
        }
    }

    /// A meandering river running north to south, with a band of riparian woodland on each bank.
    struct River {
        let meander: ValueNoise
        /// The centre line's column at row y.
        func centre(_ y: Double) -> Double { 600 + 260 * meander.value(x: 0, y: y) }

        init(seed: UInt64) {
            meander = ValueNoise(seed: seed, key: "landsat/river", width: 1, height: height, cellSize: 180, octaves: 3)
        }

        func paint(on canvas: inout Canvas, occupying occupied: inout OccupancyGrid, water waterPixels: inout OccupancyGrid) {
            for y in 0 ..< height {
                let c = centre(Double(y) + 0.5)
                // Distance across the channel, corrected for the channel's slope at this row.
                let slope = centre(Double(y) + 1.5) - centre(Double(y) - 0.5)
                let across = 1 / (1 + slope * slope / 4).squareRoot()
                for x in max(0, Int(c) - 14) ... min(width - 1, Int(c) + 14) {
                    let d = abs(Double(x) + 0.5 - c) * across
                    let water = min(1, max(0, 1.6 - d))
                    let trees = min(1, max(0, 9 - d))
                    for band in 0 ..< 3 {
                        var v = canvas[band, x, y]
                        v += (Cover.woodland[band] - v) * trees
                        v += (Cover.water[band] - v) * water
                        canvas[band, x, y] = v
                    }
                    occupied.take(x, y, margin: 2)
                    if water > 0 { waterPixels.take(x, y) }
                }
            }
        }
    }

    /// Towns: a city of about 120 pixels, a few towns of 30 to 50 and villages of 8 to 15;
    /// roofs and paving mixed with street trees, on a north-aligned street grid.
    private static func placeTowns(on canvas: inout Canvas, occupying occupied: inout OccupancyGrid,
                                   random: inout SeededRandom, seed: UInt64) -> [LabeledObject] {
        let diameters: [Double] = [120, 48, 36, 30, 15, 12, 10, 8]
        let trees = ValueNoise(seed: seed, key: "landsat/town trees", width: width, height: height, cellSize: 4, octaves: 1)
        var towns: [LabeledObject] = []
        for diameter in diameters {
            for _ in 0 ..< 200 {
                let r = diameter / 2
                let outline = Outline.blob(
                    centre: PixelPoint(x: Double(random.integer(in: 0 ... width)), y: Double(random.integer(in: 0 ... height))),
                    radiusX: r * (0.85 + 0.3 * random.unit()), radiusY: r * (0.85 + 0.3 * random.unit()), angle: 0,
                    wobble: Outline.randomWobble(count: 4, strength: 0.12, using: &random),
                    vertexCount: max(12, Int(diameter))).rounded(to: 0.125)
                guard occupied.isFree(outline) else { continue }
                occupied.take(outline, margin: 4)
                let greenery = diameter > 60 ? 0.35 : 0.5  // a city's centre is more built up
                canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height)) { x, y, band in
                    let street = x % 5 == 0 || y % 5 == 0 ? 0.15 : 0
                    let green = min(1, max(0, greenery + 0.7 * trees.value(x: Double(x), y: Double(y)) - street))
                    return Cover.roofs[band] * (1 - green) + Cover.woodland[band] * green
                }
                towns.append(outline.labeledObject(id: "town-\(towns.count + 1)", className: "town"))
                break
            }
        }
        return towns
    }

    /// Lakes: a reservoir some 300 pixels long, lakes of 20 to 60 pixels and farm ponds down to
    /// 4 or 5 pixels.
    private static func placeLakes(on canvas: inout Canvas, occupying occupied: inout OccupancyGrid, water: inout OccupancyGrid,
                                   random: inout SeededRandom, seed: UInt64) -> [LabeledObject] {
        // (length, width) in pixels, largest first so the big ones find room.
        var sizes: [(Double, Double)] = [(300, 46), (60, 34), (44, 30), (30, 22), (22, 16)]
        for _ in 0 ..< 14 {
            let d = 4 + 8 * random.unit()
            sizes.append((d * (1 + 0.4 * random.unit()), d))
        }
        let depth = ValueNoise(seed: seed, key: "landsat/water", width: width, height: height, cellSize: 24, octaves: 2)
        var lakes: [LabeledObject] = []
        for (length, breadth) in sizes {
            for _ in 0 ..< 300 {
                let wobble = Outline.randomWobble(count: length > 100 ? 7 : 3, strength: length > 100 ? 0.22 : 0.12, using: &random)
                let outline = Outline.blob(
                    centre: PixelPoint(x: Double(random.integer(in: 0 ... width)), y: Double(random.integer(in: 0 ... height))),
                    radiusX: length / 2, radiusY: breadth / 2, angle: Double.pi * random.unit(), wobble: wobble,
                    vertexCount: max(10, Int(length * 0.8))).rounded(to: 0.125)
                guard occupied.isFree(outline) else { continue }
                occupied.take(outline, margin: 3)
                water.take(outline)
                let turbidity = 0.8 + 0.4 * random.unit()
                canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height)) { x, y, band in
                    Cover.water[band] * turbidity * (1 + 0.1 * depth.value(x: Double(x), y: Double(y)))
                }
                lakes.append(outline.labeledObject(id: "lake-\(lakes.count + 1)", className: "lake"))
                break
            }
        }
        return lakes
    }

    /// Woodlots where a low-frequency field is high, on land no field took; not labelled
    /// (they are background, as in most field-boundary datasets).
    private static func paintWoodlots(_ canvas: inout Canvas, occupying occupied: inout OccupancyGrid, seed: UInt64) {
        let woods = ValueNoise(seed: seed, key: "landsat/woods", width: width, height: height, cellSize: 40, octaves: 3)
        var wooded: [(x: Int, y: Int)] = []
        for y in 0 ..< height {
            for x in 0 ..< width where !occupied.isTaken(x, y) {
                let w = min(1, max(0, (woods.value(x: Double(x), y: Double(y)) - 0.28) * 6))
                guard w > 0 else { continue }
                for band in 0 ..< 3 { canvas[band, x, y] += (Cover.woodland[band] - canvas[band, x, y]) * w }
                if w > 0.2 { wooded.append((x, y)) }
            }
        }
        // Taken only now: taking them while painting would skip their neighbours.
        for pixel in wooded { occupied.take(pixel.x, pixel.y, margin: 1) }
    }

    /// Fields on the one-mile section grid: each section whole, halved, quartered, or with
    /// quarters cut into 40-acre parcels or watered by a centre pivot, as far as the land is free.
    private static func placeFields(on canvas: inout Canvas, occupying occupied: inout OccupancyGrid,
                                    random: inout SeededRandom, seed: UInt64) -> [LabeledObject] {
        let crops = [Cover.corn, Cover.soybeans, Cover.corn, Cover.soybeans, Cover.alfalfa, Cover.bareSoil]
        let vigour = ValueNoise(seed: seed, key: "landsat/vigour", width: width, height: height, cellSize: 24, octaves: 1)
        let sections = Int((Double(width) / section).rounded(.up)) + 1
        var fields: [LabeledObject] = []
        for row in 0 ..< sections {
            for column in 0 ..< sections {
                let x0 = surveyOrigin.x + Double(column) * section, y0 = surveyOrigin.y + Double(row) * section
                for outline in subdivide(sectionAt: PixelPoint(x: x0, y: y0), random: &random) {
                    guard occupied.isFree(outline) else { continue }
                    occupied.take(outline, margin: 1)
                    let crop = crops[random.integer(in: 0 ... crops.count - 1)]
                    let tone = 0.92 + 0.16 * random.unit()
                    canvas.paint(Coverage(outline, canvasWidth: width, canvasHeight: height)) { x, y, band in
                        crop[band] * tone * (1 + 0.05 * vigour.value(x: Double(x), y: Double(y)))
                    }
                    fields.append(outline.labeledObject(id: "field-\(fields.count + 1)", className: "field"))
                }
            }
        }
        return fields
    }

    /// The fields of one section whose north-west corner is `corner`, 0.5 pixels in from the
    /// section lines (the roads and fence rows between fields).
    private static func subdivide(sectionAt corner: PixelPoint, random: inout SeededRandom) -> [Outline] {
        let half = section / 2, quarter = section / 4
        func field(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> Outline {
            let inset = 0.5
            return Outline([PixelPoint(x: corner.x + x + inset, y: corner.y + y + inset),
                            PixelPoint(x: corner.x + x + w - inset, y: corner.y + y + inset),
                            PixelPoint(x: corner.x + x + w - inset, y: corner.y + y + h - inset),
                            PixelPoint(x: corner.x + x + inset, y: corner.y + y + h - inset)]).rounded(to: 0.125)
        }
        switch random.integer(in: 0 ... 9) {
        case 0:
            return [field(0, 0, section, section)]
        case 1, 2:
            return random.unit() < 0.5 ? [field(0, 0, half, section), field(half, 0, half, section)]
                                       : [field(0, 0, section, half), field(0, half, section, half)]
        case 3, 4, 5:
            return [field(0, 0, half, half), field(half, 0, half, half), field(0, half, half, half), field(half, half, half, half)]
        case 6, 7:
            // One quarter cut into four 40-acre parcels, the rest whole quarters.
            let cut = random.integer(in: 0 ... 3)
            var parts: [Outline] = []
            for q in 0 ..< 4 {
                let qx = Double(q % 2) * half, qy = Double(q / 2) * half
                if q == cut {
                    for p in 0 ..< 4 { parts.append(field(qx + Double(p % 2) * quarter, qy + Double(p / 2) * quarter, quarter, quarter)) }
                } else {
                    parts.append(field(qx, qy, half, half))
                }
            }
            return parts
        default:
            // Centre pivots: circles 800 m across inscribed in quarters; the corners stay pasture.
            return (0 ..< 4).map { q in
                let centre = PixelPoint(x: corner.x + Double(q % 2) * half + half / 2, y: corner.y + Double(q / 2) * half + half / 2)
                return Outline.blob(centre: centre, radiusX: half / 2 - 0.6, radiusY: half / 2 - 0.6, angle: 0,
                                    wobble: [], vertexCount: 24).rounded(to: 0.125)
            }
        }
    }

    /// Gravel roads along the section lines: narrower than a pixel, so they show as faint
    /// bright lines on the one pixel row or column each line crosses; painted over everything
    /// but water, where a bridge would be too small to see.
    private static func paintSectionRoads(_ canvas: inout Canvas, avoiding water: OccupancyGrid) {
        let share = 0.55  // a 15 m road and its verges in a 30 m pixel
        func pave(_ x: Int, _ y: Int) {
            guard !water.isTaken(x, y) else { return }
            for band in 0 ..< 3 { canvas[band, x, y] += (Cover.road[band] - canvas[band, x, y]) * share }
        }
        for k in 0 ... Int(Double(width) / section) + 1 {
            let column = Int((surveyOrigin.x + Double(k) * section).rounded(.down))
            if (0 ..< width).contains(column) {
                for y in 0 ..< height { pave(column, y) }
            }
            let row = Int((surveyOrigin.y + Double(k) * section).rounded(.down))
            if (0 ..< height).contains(row) {
                for x in 0 ..< width { pave(x, row) }
            }
        }
    }
}
