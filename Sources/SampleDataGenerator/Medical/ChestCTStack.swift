import Foundation
import ScaleTileCore

/// `ct_chest.tif`, `ct_nodules_mask.tif` and `ct_nodules.csv`: a chest CT in Hounsfield units
/// (Int16, ImageJ stack) of 352 × 272 pixels and 24 slices at 0.7 × 0.7 × 1.25 mm (246 × 190 ×
/// 30 mm, a slim adult's chest), with ten lung nodules and their binary mask (UInt8, every
/// nodule 1), as LUNA16 masks are, plus the nodule table.
///
/// Slices run from the lung apices (slice 0) towards the bases; the image's top is anterior and
/// its left the patient's right, as radiologists view axial CT. Nodules are spheres of radius
/// 1.5 to 12 voxels in-plane (2 to 17 mm across): the smallest fill two slices and about ten
/// voxels, the largest fourteen slices and some four thousand. Vessels branching from the hila
/// are nodule-bright tubes that are not nodules. Quantum noise is kept to 1.5 HU, far below a
/// real scan's, because noise is what costs bytes once compressed.
enum ChestCTStack {
    static let width = 352, height = 272, depth = 24
    static let spacing = Spacing(x: 0.7, y: 0.7, z: 1.25, unit: "mm")

    enum HU {
        static let air = -1000.0
        static let lung = -850.0
        static let fat = -100.0
        static let muscle = 45.0
        static let blood = 40.0
        static let cancellousBone = 250.0
        static let corticalBone = 750.0
        static let table = -200.0
        static let solidNodule = 30.0
        static let groundGlassNodule = -560.0
    }

    /// In-plane radii of the nodules in voxels (the brief's 1.5 to 12), smallest first; the
    /// 6-voxel one is ground glass, the rest solid.
    static let noduleRadii: [Double] = [1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12]

    /// One nodule as the table lists it.
    struct Nodule {
        var id: Int
        var sphere: Ellipsoid
        var radiusMM: Double
        var kind: String
        var voxels: Int
    }

    static func make(seed: UInt64) -> (stack: SyntheticStack, nodules: [Nodule]) {
        var random = SeededRandom(seed: seed, key: "ct/layout")
        var volume = Volume(width: width, height: height, depth: depth, value: HU.air)
        let parenchyma = ValueNoise(seed: seed, key: "ct/parenchyma", width: width, height: height, depth: depth,
                                    cellSize: 8, octaves: 2, zCellSize: 4)
        let softTissue = ValueNoise(seed: seed, key: "ct/soft tissue", width: width, height: height, depth: depth,
                                    cellSize: 12, octaves: 2, zCellSize: 4)
        let outlines = Anatomy(seed: seed)
        var isLung = [Bool](repeating: false, count: width * height * depth)
        for z in 0 ..< depth {
            let slice = outlines.paintSlice(z, parenchyma: parenchyma, softTissue: softTissue)
            for y in 0 ..< height {
                for x in 0 ..< width {
                    let value = slice[0, x, y]
                    volume[x, y, z] = value
                    // Lung tissue lies between -960 and -700 HU; the trachea's air is below it.
                    isLung[volume.index(x, y, z)] = value > -960 && value < -700 && outlines.isInsideBody(x, y)
                }
            }
        }
        paintVessels(&volume, isLung: isLung, random: &random)

        var mask = Volume(width: width, height: height, depth: depth)
        var nodules: [Nodule] = []
        for radius in noduleRadii.reversed() {  // largest first, so they find room
            let radiusMM = radius * spacing.x
            for _ in 0 ..< 2000 {
                // Centres on a 1/20-voxel grid, so the table's two decimals state them exactly.
                func position(_ extent: Int) -> Double { (Double(extent) * random.unit() * 20).rounded() / 20 }
                let sphere = Ellipsoid(x: position(width), y: position(height), z: position(depth),
                                       radiiInUnits: radiusMM, radiusMM, radiusMM, spacing: spacing)
                guard fits(sphere, in: isLung, apartFrom: nodules.map(\.sphere)) else { continue }
                let kind = radius == 6 ? "ground-glass" : "solid"
                let density = kind == "solid" ? HU.solidNodule + 30 * (random.unit() - 0.5) : HU.groundGlassNodule
                let voxels = paint(sphere, density: density, on: &volume, mask: &mask)
                nodules.append(Nodule(id: 0, sphere: sphere, radiusMM: radiusMM, kind: kind, voxels: voxels))
                break
            }
        }
        precondition(nodules.count == noduleRadii.count, "every nodule found room in the lungs")
        // Numbered from the apex down, as a reader goes through the slices.
        nodules.sort { ($0.sphere.z, $0.sphere.y, $0.sphere.x) < ($1.sphere.z, $1.sphere.y, $1.sphere.x) }
        for i in nodules.indices { nodules[i].id = i + 1 }

        var noise = SensorNoise(seed: seed, key: "ct/quantum noise")
        // Quantum noise everywhere photons passed through the patient; the air around is flat.
        volume.addNoise(&noise) { $0 > HU.air + 1 ? 1.5 : 0 }
        let stack = SyntheticStack(image: volume.quantized(to: .int16), mask: mask.quantized(to: .uint8), spacing: spacing)
        return (stack, nodules)
    }

    /// The nodule table (CSV): per nodule its id, type, centre in voxel indices (voxel i's centre
    /// is at i) and in millimetres from the centre of voxel (0, 0, 0), radius and diameter in
    /// millimetres, and its voxel count in the mask.
    static func table(_ nodules: [Nodule]) -> String {
        func f(_ value: Double) -> String { String(format: "%.2f", value) }
        var lines = ["id,type,x,y,z,x_mm,y_mm,z_mm,radius_mm,diameter_mm,voxels"]
        for n in nodules {
            let (x, y, z) = (n.sphere.x - 0.5, n.sphere.y - 0.5, n.sphere.z - 0.5)
            lines.append([String(n.id), n.kind, f(x), f(y), f(z), f(x * spacing.x), f(y * spacing.y), f(z * spacing.z),
                          f(n.radiusMM), f(2 * n.radiusMM), String(n.voxels)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether every voxel of `sphere` lies in the lungs, at least 3 voxels from the other nodules.
    private static func fits(_ sphere: Ellipsoid, in isLung: [Bool], apartFrom others: [Ellipsoid]) -> Bool {
        for other in others {
            let dx = sphere.x - other.x, dy = sphere.y - other.y, dz = (sphere.z - other.z) * spacing.z / spacing.x
            if (dx * dx + dy * dy + dz * dz).squareRoot() < sphere.radiusX + other.radiusX + 3 { return false }
        }
        let b = sphere.bounds(in: RasterSize(width: width, height: height, depth: depth), margin: 1)
        guard b.x.count > Int(2 * sphere.radiusX), b.z.count > 0, sphere.z - sphere.radiusZ > 0,
              sphere.z + sphere.radiusZ < Double(depth) else { return false }
        for z in b.z {
            for y in b.y {
                for x in b.x where sphere.normalisedSquaredRadius(x, y, z) <= 1.3 {
                    if !isLung[(z * height + y) * width + x] { return false }
                }
            }
        }
        return true
    }

    /// Paints a nodule with partial volume at its edge and labels its voxels 1; returns their count.
    private static func paint(_ sphere: Ellipsoid, density: Double, on volume: inout Volume, mask: inout Volume) -> Int {
        let b = sphere.bounds(in: volume.size)
        var voxels = 0
        for z in b.z {
            for y in b.y {
                for x in b.x {
                    let share = sphere.partialVolume(x, y, z)
                    guard share > 0 else { continue }
                    volume[x, y, z] += (density - volume[x, y, z]) * share
                    if sphere.contains(x, y, z) {
                        mask[x, y, z] = 1
                        voxels += 1
                    }
                }
            }
        }
        return voxels
    }

    /// Pulmonary vessels: from each hilum, trees of tubes narrowing from 3.5 voxels to under
    /// one, running through the slices as well as across them (turned back at the stack's ends),
    /// drawn only inside the lungs, with partial volume at their walls.
    private static func paintVessels(_ volume: inout Volume, isLung: [Bool], random: inout SeededRandom) {
        // Positions in voxels (z in slices); directions per in-plane voxel of length.
        struct Branch { var start: SIMD3<Double>; var direction: SIMD3<Double>; var radius: Double }
        var pending: [Branch] = []
        for side in [-1.0, 1.0] {
            for _ in 0 ..< 6 {
                let angle = (side < 0 ? Double.pi : 0) + (random.unit() - 0.5) * 2.4
                pending.append(Branch(start: SIMD3(176 + side * 58, 130, 6 + Double(depth - 12) * random.unit()),
                                      direction: SIMD3(cos(angle), sin(angle), (random.unit() - 0.5) * 0.6), radius: 3.5))
            }
        }
        while let branch = pending.popLast() {
            let length = 16 + 16 * random.unit()
            var end = branch.start + branch.direction * length
            var direction = branch.direction
            if end.z < 1 || end.z > Double(depth - 1) {
                direction.z = -direction.z
                end = branch.start + direction * length
            }
            paintTube(from: branch.start, to: end, radius: branch.radius, on: &volume, isLung: isLung)
            guard branch.radius > 1.1 else { continue }
            for turn in [-1.0, 1.0] {
                let angle = atan2(direction.y, direction.x) + turn * (0.3 + 0.4 * random.unit())
                pending.append(Branch(start: end, direction: SIMD3(cos(angle), sin(angle), direction.z + (random.unit() - 0.5) * 0.3),
                                      radius: branch.radius * 0.72))
            }
        }
    }

    private static func paintTube(from a: SIMD3<Double>, to b: SIMD3<Double>, radius: Double, on volume: inout Volume, isLung: [Bool]) {
        // Z is scaled to in-plane voxels so the tube is round in millimetres.
        let zScale = spacing.z / spacing.x
        let (ax, ay, az) = (a.x, a.y, a.z * zScale), (bx, by, bz) = (b.x, b.y, b.z * zScale)
        let (ux, uy, uz) = (bx - ax, by - ay, bz - az)
        let lengthSquared = ux * ux + uy * uy + uz * uz
        let reach = radius + 1
        func span(_ low: Double, _ high: Double, _ count: Int) -> Range<Int> {
            let first = max(0, Int(low.rounded(.down))), end = min(count, Int(high.rounded(.up)) + 1)
            return first < end ? first ..< end : 0 ..< 0
        }
        let xs = span(min(ax, bx) - reach, max(ax, bx) + reach, width)
        let ys = span(min(ay, by) - reach, max(ay, by) + reach, height)
        let zs = span((min(az, bz) - reach) / zScale, (max(az, bz) + reach) / zScale, depth)
        for z in zs {
            let pz = (Double(z) + 0.5) * zScale
            for y in ys {
                let py = Double(y) + 0.5
                for x in xs where isLung[volume.index(x, y, z)] {
                    let px = Double(x) + 0.5
                    let t = min(1, max(0, ((px - ax) * ux + (py - ay) * uy + (pz - az) * uz) / lengthSquared))
                    let dx = px - (ax + t * ux), dy = py - (ay + t * uy), dz = pz - (az + t * uz)
                    let share = min(1, max(0, radius + 0.5 - (dx * dx + dy * dy + dz * dz).squareRoot()))
                    if share > 0 { volume[x, y, z] += (HU.blood - volume[x, y, z]) * share }
                }
            }
        }
    }
}

extension ChestCTStack {
    /// The chest's outlines on each slice: body, fat, muscle, ribs, spine, mediastinum, lungs.
    struct Anatomy {
        let centreX = 176.0, centreY = 134.0
        let bodyWobble: [(amplitude: Double, phase: Double)]
        let lungWobbles: [[(amplitude: Double, phase: Double)]]

        init(seed: UInt64) {
            var random = SeededRandom(seed: seed, key: "ct/anatomy")
            bodyWobble = Outline.randomWobble(count: 4, strength: 0.03, using: &random)
            lungWobbles = [Outline.randomWobble(count: 5, strength: 0.06, using: &random),
                           Outline.randomWobble(count: 5, strength: 0.06, using: &random)]
        }

        /// Whether (x, y) is inside the body's outer ellipse (ignoring the wobble).
        func isInsideBody(_ x: Int, _ y: Int) -> Bool {
            let u = (Double(x) + 0.5 - centreX) / 166, v = (Double(y) + 0.5 - centreY) / 118
            return u * u + v * v < 1
        }

        /// Slice z, painted as a one-band canvas in Hounsfield units.
        func paintSlice(_ z: Int, parenchyma: ValueNoise, softTissue: ValueNoise) -> Canvas {
            let t = Double(z) / Double(depth - 1)  // 0 at the apex end, 1 towards the bases
            var slice = Canvas(width: width, height: height, bandCount: 1, value: HU.air)
            func cover(_ outline: Outline) -> Coverage { Coverage(outline, canvasWidth: width, canvasHeight: height) }
            func ellipse(_ x: Double, _ y: Double, _ rx: Double, _ ry: Double, _ wobble: [(amplitude: Double, phase: Double)] = []) -> Outline {
                Outline.blob(centre: PixelPoint(x: x, y: y), radiusX: rx, radiusY: ry, angle: 0, wobble: wobble,
                             vertexCount: max(16, Int(2 * (rx + ry))))
            }
            let zf = Double(z) + 0.5
            // The table under the patient: a shallow curved shell of carbon fibre and foam.
            slice.paint(cover(ellipse(centreX, centreY + 250, 240, 128)), colour: [HU.table])
            slice.paint(cover(ellipse(centreX, centreY + 250, 236, 124)), colour: [HU.air])
            // Skin and subcutaneous fat, then muscle.
            slice.paint(cover(ellipse(centreX, centreY, 166, 118, bodyWobble))) { x, y, _ in
                HU.fat + 5 * softTissue.value(x: Double(x), y: Double(y), z: zf)
            }
            slice.paint(cover(ellipse(centreX, centreY, 152, 104, bodyWobble))) { x, y, _ in
                HU.muscle + 5 * softTissue.value(x: Double(x), y: Double(y), z: zf)
            }
            // Ribs: cross-sections around the chest wall, shifting between slices as ribs slope.
            for k in 0 ..< 18 {
                let angle = 2 * Double.pi * Double(k) / 18 + t * 0.35
                guard (k * 5 + z) % 11 < 6 else { continue }  // a rib crosses about half the slices
                let rib = PixelPoint(x: centreX + 140 * cos(angle), y: centreY + 93 * sin(angle))
                slice.paint(cover(Outline.rectangle(centre: rib, length: 12, width: 6, angle: angle + Double.pi / 2)), colour: [HU.corticalBone])
                slice.paint(cover(Outline.rectangle(centre: rib, length: 8, width: 2.5, angle: angle + Double.pi / 2)), colour: [HU.cancellousBone])
            }
            // Lungs: patient's right (image left) a little larger; both grow towards the bases.
            let grow = 0.82 + 0.18 * t
            slice.paint(cover(ellipse(centreX - 76, centreY - 6, 62 * grow, 86 * grow, lungWobbles[0]))) { x, y, _ in
                lungTissue(x, y, zf, parenchyma)
            }
            slice.paint(cover(ellipse(centreX + 78, centreY - 4, 58 * grow, 84 * grow, lungWobbles[1]))) { x, y, _ in
                lungTissue(x, y, zf, parenchyma)
            }
            // Mediastinum: heart (larger towards the bases), ascending and descending aorta, trachea.
            slice.paint(cover(ellipse(centreX + 18, centreY - 40 + 10 * t, 30 + 28 * t, 26 + 20 * t)), colour: [HU.blood])
            slice.paint(cover(ellipse(centreX + 24, centreY + 52, 11, 11)), colour: [HU.blood])
            slice.paint(cover(ellipse(centreX + 6, centreY - 50, 13, 13)), colour: [HU.blood])
            if t < 0.45 {
                slice.paint(cover(ellipse(centreX - 2, centreY + 6, 8, 7)), colour: [HU.air])
            }
            // Spine: vertebral body with its cortex, the spinal canal, the spinous process.
            slice.paint(cover(ellipse(centreX, centreY + 64, 20, 18)), colour: [HU.corticalBone])
            slice.paint(cover(ellipse(centreX, centreY + 64, 17, 15))) { x, y, _ in
                HU.cancellousBone + 40 * softTissue.value(x: Double(x) * 3, y: Double(y) * 3, z: zf)
            }
            slice.paint(cover(ellipse(centreX, centreY + 92, 8, 7)), colour: [HU.corticalBone])
            slice.paint(cover(ellipse(centreX, centreY + 92, 6, 5)), colour: [20])
            slice.paint(cover(Outline.rectangle(centre: PixelPoint(x: centreX, y: centreY + 106), length: 14, width: 6,
                                                angle: Double.pi / 2)), colour: [HU.corticalBone])
            return slice
        }

        /// Lung parenchyma: denser towards the back (y down), where gravity pools blood.
        private func lungTissue(_ x: Int, _ y: Int, _ z: Double, _ parenchyma: ValueNoise) -> Double {
            HU.lung + 0.25 * (Double(y) - centreY) + 12 * parenchyma.value(x: Double(x), y: Double(y), z: z)
        }
    }
}
