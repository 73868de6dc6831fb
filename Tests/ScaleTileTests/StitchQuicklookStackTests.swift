import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// `scaletile quicklook` for stacks (a montage of the slices through each lesion's centre, the
/// patches crossing them and the lesions outlined) and split shading for scenes: the picture's
/// size, and pixels at known positions in the legend's colours, read back through GDAL.
@Suite("Stitch quicklook stacks and splits", .serialized)
struct StitchQuicklookStackTests {
    /// The picture's pixels through GDAL's PNG driver.
    struct Picture {
        let size: RasterSize
        let bytes: [UInt8]
        init(_ path: String) throws {
            let d = try Dataset(opening: path)
            size = d.size
            bytes = try d.read(Window(size: d.size), bands: [1, 2, 3]).bytes
        }
        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            (0 ..< 3).map { bytes[$0 * size.width * size.height + y * size.width + x] }
        }
    }

    /// scipy's lesions of the mask (26-connected): `[x0, y0, z0, x1, y1, z1]`, voxel edges.
    static let lesionScript = #"""
import sys, json
import numpy as np, nibabel as nib, scipy.ndimage as ndi
labels, n = ndi.label(np.asanyarray(nib.load(sys.argv[1]).dataobj) != 0, structure=np.ones((3, 3, 3)))
print(json.dumps([[s.start for s in b] + [s.stop for s in b] for b in ndi.find_objects(labels)]))
"""#

    @Test func stackMontageShowsEachLesionsCentreSlice() throws {
        let folder = TemporaryFolder()
        let medical = SharedData.packageRoot + "/SampleData/medical/"
        let mask = medical + "brain_mets_mask.nii.gz", out = folder.file("out")
        // A 32-voxel grid without overlap: the 40-voxel lesion is only ever cut, small ones lie whole in a patch.
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", medical + "brain_mets_t1c.nii.gz", "--labels", mask, "--out", out,
                                                                      "--patch", "32x32x32", "--format", "npy", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        let found = try ClientPython.run(Self.lesionScript, [mask])
        try #require(found.status == 0, "\(found.standardError)")
        let lesions = try JSONDecoder().decode([[Int]].self, from: Data(found.standardOutput.utf8))
        try #require(lesions.count == 10)

        let report = try QuicklookJob(run: out).run()
        let picture = try Picture(report.path)
        #expect(picture.size == RasterSize(width: report.width, height: report.height))
        // 10 panels in 4 columns and 3 rows of 256-px cells (a 128² slice enlarged twice), gaps of 6, titles of 18, the 240-px legend.
        #expect(report.width == 6 + 4 * (256 + 6) + 240 && report.height == 6 + 3 * (18 + 256 + 6), "\(report.width)x\(report.height)")
        for entry in report.legend { #expect(picture.pixel(entry.x, entry.y) == entry.colour, "swatch of \(entry.label)") }
        func legend(_ prefix: String) throws -> [UInt8] { try #require(report.legend.first { $0.label.hasPrefix(prefix) }).colour }
        let whole = try legend("whole, in band"), cut = try legend("only cut"), cyan = try legend("level 0")

        // The grid's windows, by hand: 4 × 4 × 3 patches of 32 voxels over 128 × 128 × 80 (the last slab 16 deep).
        let panels = try #require(report.panels)
        #expect(panels.count == 10)
        // One panel per lesion, at its centre slice (scipy numbers lesions in another order: compare as sets).
        #expect(panels.map(\.slice).sorted() == lesions.map { $0[2] + ($0[5] - $0[2]) / 2 }.sorted())
        #expect(panels.allSatisfy { $0.scale == 2 })
        var fates: [String: Int] = [:], checked = 0
        for (k, l) in lesions.enumerated() {
            let centre = l[2] + (l[5] - l[2]) / 2
            let panel = try #require(panels.first { $0.slice == centre }, "a panel at slice \(centre)")
            let isWhole = (0 ..< 3).allSatisfy { a in l[a] / 32 == (l[a + 3] - 1) / 32 }
            fates[isWhole ? "whole" : "cut", default: 0] += 1
            // The middle of the lesion box's left edge (a 2-px line over x0 − 1 and x0), unless
            // another lesion on that slice draws its own edge within 3 px.
            let x0 = panel.x + 2 * l[0], y = panel.y + (l[1] + l[4])
            let crowded = lesions.enumerated().contains { j, o in
                j != k && o[2] <= centre && centre < o[5] && (abs(panel.x + 2 * o[0] - x0) <= 3 || abs(panel.x + 2 * o[3] - x0) <= 3)
                    && panel.y + 2 * o[1] - 3 <= y && y <= panel.y + 2 * o[4] + 3
            }
            if !crowded {
                checked += 1
                #expect(picture.pixel(x0, y) == (isWhole ? whole : cut) && picture.pixel(x0 - 1, y) == (isWhole ? whole : cut), "lesion at \(l)")
            }
        }
        #expect(checked >= 6, "\(checked) lesion edges clear of others")
        #expect(fates["whole", default: 0] > 0 && fates["cut", default: 0] > 0, "\(fates)")
        // Patch edges at x = 32, 64, 96 voxels, on rows clear of lesion boxes, in the first panel.
        let first = panels[0]
        let clear = (0 ..< 128).filter { y in !lesions.contains { $0[2] <= first.slice && first.slice < $0[5] && $0[1] - 2 <= y && y <= $0[4] + 2 } }
        #expect(clear.count > 40)
        for y in clear.prefix(20) {
            for edge in [32, 64, 96] {
                #expect(picture.pixel(first.x + 2 * edge, first.y + 2 * y + 1) == cyan, "patch edge x = \(edge), y = \(y)")
            }
        }
    }

    /// Split shading: inside a window, away from lines and objects, the picture is the split's
    /// colour at the documented opacity over the same picture without splits (±1 per channel).
    @Test func splitsAreShadedInTheirColours() throws {
        let folder = TemporaryFolder()
        let root = SharedData.packageRoot + "/SampleData/satellite/"
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", root + "aerial_vehicles.tif", "--out", out, "--tile-size", "128",
                                                                      "--overlap", "0", "--split", "train=0.6,val=0.2,test=0.2", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        // The same run without its splits: the manifest's `split` keys removed by hand.
        let plain = folder.file("plain")
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        for name in ["summary.json"] { try FileManager.default.copyItem(atPath: out + "/" + name, toPath: plain + "/" + name) }
        let manifest = try String(contentsOfFile: out + "/manifest.jsonl", encoding: .utf8)
        let entries = try manifest.split(separator: "\n").map { try JSONDecoder().decode(ManifestEntry.self, from: Data($0.utf8)) }
        let stripped = try manifest.split(separator: "\n").map { line -> String in
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            object["split"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        try Data((stripped.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: plain + "/manifest.jsonl"))

        let shaded = try QuicklookJob(run: out).run(), bare = try QuicklookJob(run: plain, output: folder.file("plain.png")).run()
        #expect(shaded.width == bare.width && shaded.height == bare.height)
        let a = try Picture(shaded.path), b = try Picture(bare.path)
        for entry in shaded.legend { #expect(a.pixel(entry.x, entry.y) == entry.colour, "swatch of \(entry.label)") }
        var seen = Set<SplitName>()
        for e in entries {
            let split = try #require(e.split)
            let colour = try #require(shaded.legend.first { $0.label.hasPrefix(split.rawValue + ":") }).colour
            let w = e.window.window
            // Three points 8 px inside the window's corners and its centre.
            for (x, y) in [(w.x + 8, w.y + 8), (w.maxX - 9, w.maxY - 9), (w.x + w.width / 2, w.y + w.height / 2)] {
                let under = b.pixel(x, y), got = a.pixel(x, y)
                let expected = (0 ..< 3).map { c in QuicklookJob.splitAlpha * Double(colour[c]) + (1 - QuicklookJob.splitAlpha) * Double(under[c]) }
                #expect((0 ..< 3).allSatisfy { abs(Double(got[$0]) - expected[$0]) <= 1 }, "\(split) at (\(x), \(y)): \(got) vs \(expected)")
            }
            seen.insert(split)
        }
        #expect(seen == Set(SplitName.allCases))
    }
}
