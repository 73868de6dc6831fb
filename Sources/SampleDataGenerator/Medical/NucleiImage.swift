import Foundation
import ScaleTileCore

/// `nuclei.tif` and `nuclei_mask.tif`: a widefield fluorescence image of DAPI-stained nuclei
/// (UInt16, 512 × 512, 0.65 µm pixels as a 10× objective on a 6.5 µm camera gives), with its
/// instance mask (UInt16, one value per nucleus, 0 background), as the 2018 Data Science
/// Bowl and StarDist samples are laid out; both single-plane ImageJ TIFFs.
///
/// Nuclei have radii of 3 to 15 pixels (2 to 10 µm): small apoptotic and mitotic ones, many
/// interphase nuclei, a few large ones; some lie in touching clusters, where the mask splits
/// them along the line where their shapes meet, and some are cut by the image border.
enum NucleiImage {
    static let width = 512, height = 512
    static let spacing = Spacing(x: 0.65, y: 0.65, z: 1, unit: "um")

    /// A nucleus: a wobbly ellipse with its brightness.
    struct Nucleus {
        var centre: PixelPoint
        var radiusX: Double, radiusY: Double, angle: Double
        var wobble: [(amplitude: Double, phase: Double)]
        var brightness: Double

        /// Distance from the centre over the outline's radius in that direction: ≤ 1 inside.
        func normalisedRadius(_ x: Double, _ y: Double) -> Double {
            let dx = x - centre.x, dy = y - centre.y
            let c = cos(angle), s = sin(angle)
            let u = dx * c + dy * s, v = -dx * s + dy * c
            let theta = atan2(v / radiusY, u / radiusX)
            var scale = 1.0
            for (k, term) in wobble.enumerated() { scale += term.amplitude * cos(Double(k + 2) * theta + term.phase) }
            return ((u / radiusX) * (u / radiusX) + (v / radiusY) * (v / radiusY)).squareRoot() / scale
        }

        /// The smaller radius: how many pixels one unit of normalised radius is, at least.
        var minimumRadius: Double { min(radiusX, radiusY) }
    }

    static func make(seed: UInt64) -> SyntheticStack {
        var random = SeededRandom(seed: seed, key: "nuclei/layout")
        let nuclei = place(random: &random)

        let illumination = ValueNoise(seed: seed, key: "nuclei/illumination", width: width, height: height, cellSize: 256, octaves: 1)
        let chromatin = ValueNoise(seed: seed, key: "nuclei/chromatin", width: width, height: height, cellSize: 3, octaves: 2)
        var image = Volume(width: width, height: height, depth: 1)
        for y in 0 ..< height {
            for x in 0 ..< width {
                image[x, y, 0] = 110 + 25 * illumination.value(x: Double(x), y: Double(y))
            }
        }
        var mask = Volume(width: width, height: height, depth: 1)
        var nearest = [Double](repeating: 1, count: width * height)  // the smallest normalised radius so far
        for (index, nucleus) in nuclei.enumerated() {
            let reach = max(nucleus.radiusX, nucleus.radiusY) * 1.6 + 3
            let xs = max(0, Int(nucleus.centre.x - reach)) ..< min(width, Int(nucleus.centre.x + reach) + 1)
            let ys = max(0, Int(nucleus.centre.y - reach)) ..< min(height, Int(nucleus.centre.y + reach) + 1)
            guard !xs.isEmpty, !ys.isEmpty else { continue }
            for y in ys {
                for x in xs {
                    let rho = nucleus.normalisedRadius(Double(x) + 0.5, Double(y) + 0.5)
                    // Signed distance to the outline in pixels, through a one-pixel ramp (the
                    // optics' blur); a faint out-of-focus halo reaches a little further.
                    let edge = min(1, max(0, (1 - rho) * nucleus.minimumRadius + 0.5))
                    let halo = max(0, 1 - (rho - 1) / 0.5) * 0.06
                    let texture = 1 + 0.18 * chromatin.value(x: Double(x), y: Double(y))
                    image[x, y, 0] += nucleus.brightness * (edge * texture + (1 - edge) * halo)
                    // Touching nuclei split where their outlines meet: each pixel goes to the one
                    // it lies deepest inside.
                    if rho <= 1, rho < nearest[y * width + x] || mask[x, y, 0] == 0 {
                        nearest[y * width + x] = rho
                        mask[x, y, 0] = Double(index + 1)
                    }
                }
            }
        }

        var noise = SensorNoise(seed: seed, key: "nuclei/camera noise")
        // Photon shot noise (its variance grows with the signal) over the camera's read noise.
        image.addNoise(&noise) { (4 + 0.2 * max(0, $0)).squareRoot() }
        return SyntheticStack(image: image.quantized(to: .uint16), mask: mask.quantized(to: .uint16), spacing: spacing)
    }

    /// 130 nuclei, largest first: most apart from each other, about a fifth pressed against a
    /// neighbour (overlapping it by 1 to 3 pixels, so the two touch), numbered top to bottom.
    private static func place(random: inout SeededRandom) -> [Nucleus] {
        var radii: [Double] = []
        for _ in 0 ..< 25 { radii.append(11 + 4 * random.unit()) }
        for _ in 0 ..< 90 { radii.append(6 + 4.9 * random.unit()) }
        for _ in 0 ..< 15 { radii.append(3 + 2.5 * random.unit()) }
        var nuclei: [Nucleus] = []
        for radius in radii {
            for _ in 0 ..< 500 {
                let elongation = 1 + 0.35 * random.unit()
                var candidate = Nucleus(centre: PixelPoint(x: Double(width) * random.unit(), y: Double(height) * random.unit()),
                                        radiusX: radius * elongation.squareRoot(), radiusY: radius / elongation.squareRoot(),
                                        angle: Double.pi * random.unit(),
                                        wobble: Outline.randomWobble(count: 3, strength: 0.05, using: &random),
                                        brightness: radius < 5.5 ? 1800 + 600 * random.unit() : 700 + 900 * random.unit())
                var neighbour: Int? = nil
                if !nuclei.isEmpty, random.unit() < 0.2 {
                    // Against a random earlier nucleus, along a random direction.
                    neighbour = random.integer(in: 0 ... nuclei.count - 1)
                    let other = nuclei[neighbour!]
                    let direction = 2 * Double.pi * random.unit()
                    let distance = radius + min(other.radiusX, other.radiusY) - (1 + 2 * random.unit())
                    candidate.centre = PixelPoint(x: other.centre.x + distance * cos(direction), y: other.centre.y + distance * sin(direction))
                }
                guard nuclei.indices.allSatisfy({ isApart(candidate, nuclei[$0], touchingAllowed: $0 == neighbour) }) else { continue }
                nuclei.append(candidate)
                break
            }
        }
        return nuclei.sorted { ($0.centre.y, $0.centre.x) < ($1.centre.y, $1.centre.x) }
    }

    /// Whether two nuclei keep 2 pixels apart; a nucleus meant to touch one neighbour may
    /// overlap it by up to 4 pixels, and must keep clear of the rest.
    private static func isApart(_ a: Nucleus, _ b: Nucleus, touchingAllowed: Bool) -> Bool {
        let distance = hypot(a.centre.x - b.centre.x, a.centre.y - b.centre.y)
        let reach = max(a.radiusX, a.radiusY) * 1.1 + max(b.radiusX, b.radiusY) * 1.1
        if distance >= reach + 2 { return true }
        return touchingAllowed && distance >= min(a.radiusX, a.radiusY) + min(b.radiusX, b.radiusY) - 4
    }
}
