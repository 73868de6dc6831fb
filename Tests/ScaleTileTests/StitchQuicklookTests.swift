import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// `scaletile quicklook`: the picture's size, and pixels at known object and window positions
/// (at least 2 px inside filled areas) in the legend's colours, read back through GDAL's PNG driver.
@Suite("Stitch quicklook", .serialized)
struct StitchQuicklookTests {
    @Test func objectsAndWindowsHaveTheLegendsColours() throws {
        let folder = TemporaryFolder()
        let root = SharedData.packageRoot + "/SampleData/satellite/"
        let out = folder.file("out")
        // No overlap and a 12–64 px band: cars (~10 px) are out of band, trucks in band, objects on tile borders only cut.
        let tiled = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", root + "aerial_vehicles.tif", "--labels", root + "aerial_vehicles.coco.json",
                                                                        "--out", out, "--tile-size", "256", "--overlap", "0", "--object-size", "12:64", "--quiet"])
        try #require(tiled.status == 0, "\(tiled.standardError)")
        let report = try QuicklookJob(run: out).run()
        #expect(report.path == out + "/quicklook.png" && report.reduction == 1)

        let d = try Dataset(opening: report.path)
        #expect(d.size == RasterSize(width: 768 + 240, height: 768) && d.bandCount >= 3)
        #expect(report.width == d.size.width && report.height == d.size.height)
        let buffer = try d.read(Window(size: d.size), bands: [1, 2, 3])
        let plane = d.size.width * d.size.height
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { (0 ..< 3).map { buffer.bytes[$0 * plane + y * d.size.width + x] } }
        func legend(_ prefix: String) throws -> QuicklookReport.LegendEntry {
            try #require(report.legend.first { $0.label.hasPrefix(prefix) })
        }
        for entry in report.legend { #expect(pixel(entry.x, entry.y) == entry.colour, "swatch of \(entry.label)") }

        // Fates from the source labels and the tile grid (every window is 256 px on the 768 px scene).
        struct Labels: Decodable { struct A: Decodable { var bbox: [Double] }; var annotations: [A] }
        let objects = try JSONDecoder().decode(Labels.self, from: Data(contentsOf: URL(fileURLWithPath: root + "aerial_vehicles.coco.json"))).annotations
            .map { PixelBox(x: $0.bbox[0], y: $0.bbox[1], width: $0.bbox[2], height: $0.bbox[3]) }
        let windows = (0 ..< 3).flatMap { j in (0 ..< 3).map { i in Window(x: 256 * i, y: 256 * j, width: 256, height: 256) } }
        var checked: [String: Int] = [:]
        for box in objects where box.width >= 5 && box.height >= 5 {
            let whole = windows.contains { box.isInside($0) }
            let size = box.area.squareRoot()
            let label = !whole ? "only cut" : (12 ... 64).contains(size) ? "whole, in band" : "whole, out of band"
            var target = box
            if !whole {
                // What the picture shows of a cut object: its pieces of at least half its area.
                guard let piece = windows.compactMap({ box.clipped(to: $0) }).first(where: { $0.area >= box.area / 2 && $0.width >= 5 && $0.height >= 5 }) else { continue }
                target = piece
            }
            let x = Int((target.minX + target.maxX) / 2), y = Int((target.minY + target.maxY) / 2)
            #expect(pixel(x, y) == (try legend(label)).colour, "\(label) object at \(box)")
            checked[label, default: 0] += 1
        }
        #expect(checked.count == 3, "every fate seen: \(checked)")

        // The window edge at x = 256 (a 2-px line over x = 255 and 256), away from objects.
        let cyan = try legend("level 0").colour
        let free = (0 ..< 768).filter { y in !objects.contains { $0.minX - 3 <= 256 && $0.maxX + 3 >= 256 && $0.minY - 3 <= Double(y) && $0.maxY + 3 >= Double(y) } }
        #expect(free.count > 100)
        for y in free.prefix(50) { #expect(pixel(255, y) == cyan && pixel(256, y) == cyan, "window edge at (256, \(y))") }
        // Inside a window away from edges and objects the scene shows through: not a legend colour.
        #expect(!report.legend.map(\.colour).contains(pixel(128, 20)))
    }
}
