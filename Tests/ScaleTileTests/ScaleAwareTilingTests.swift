import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Scale-aware tiling of the labelled scenes in ../shared/data, every audit figure recomputed
/// here from the written manifest and the label file, not taken from the tool's summary.
@Suite("Scale-aware scene tiling", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct ScaleAwareTilingTests {
    struct LabelledScene: Sendable, CustomTestStringConvertible {
        let image: String
        let labels: String
        let count: Int
        var testDescription: String { labels }
    }

    static let scenes = [
        LabelledScene(image: "satellite/labeled/spacenet4_atlanta/sample_geotiff.tif", labels: "satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson", count: 43),
        LabelledScene(image: "satellite/labeled/neon_osbs_trees/OSBS_029.tif", labels: "satellite/labeled/neon_osbs_trees/OSBS_029.csv", count: 61),
    ]

    /// Boxes of the label file, read again here through OGR/CSV by `ogrinfo`-free means:
    /// the manifest's own object boxes are checked against these.
    static func boxes(_ scene: LabelledScene) throws -> [String: PixelBox] {
        let set = try LabelSet.loadForTests(SharedData.path(scene.labels), image: SharedData.path(scene.image))
        return Dictionary(uniqueKeysWithValues: set.objects.map { ($0.id, $0.box) })
    }

    @Test(arguments: scenes)
    func autoOverlapKeepsEveryObjectWholeInSomeTile(scene: LabelledScene) throws {
        let t = TemporaryFolder()
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.automaticOverlap = true
        options.labels = TileLabels(path: SharedData.path(scene.labels), exports: [.coco, .yolo, .geojson])
        options.threads = 2
        let out = t.file("out")
        let summary = try TileJob(source: SharedData.path(scene.image), output: out, options: options).run()
        let manifest = try OutputFolder(path: out).readManifest()
        let boxes = try Self.boxes(scene)
        #expect(boxes.count == scene.count)
        // Containment recomputed: an object is whole in a tile when its box lies inside the window.
        var containing: [String: Int] = [:]
        for entry in manifest {
            for (id, box) in boxes where box.isInside(entry.window.window) { containing[id, default: 0] += 1 }
        }
        #expect(containing.count == scene.count, "objects never whole: \(Set(boxes.keys).subtracting(containing.keys).sorted())")
        // The tool's audit says the same.
        #expect(summary.audit?.containedShare == 1)
        guard case .pixels(let overlap) = summary.overlap else { Issue.record("a scene's overlap is one number"); return }
        #expect(overlap < 128 && overlap >= Int(boxes.values.map { max($0.width, $0.height) }.max()!.rounded(.down)))
        // Manifest objects: every listed object shares at least half its box with the tile, and
        // `truncated` is exactly "not inside".
        for entry in manifest {
            for o in entry.objects ?? [] {
                let box = try #require(boxes[o.id])
                let inside = try #require(box.clipped(to: entry.window.window))
                #expect(inside.area / box.area >= 0.5 - 1e-9)
                #expect(o.truncated == !box.isInside(entry.window.window))
            }
        }
        // COCO: one image per tile, one annotation per kept object plus ignore regions.
        let coco = try JSONDecoder().decode(COCODataset.self, from: try #require(FileManager.default.contents(atPath: out + "/coco.json")))
        #expect(coco.images.count == manifest.count)
        // Each image names its window: manifest id and path agree, so detections map back without a join.
        let pathOf = Dictionary(uniqueKeysWithValues: manifest.map { ($0.id, $0.path) })
        #expect(coco.images.allSatisfy { image in image.windowID.flatMap { pathOf[$0] } == image.fileName })
        let kept = manifest.reduce(0) { $0 + ($1.objects?.count ?? 0) }
        #expect(coco.annotations.filter { $0.iscrowd == 0 }.count == kept)
        // YOLO: one line per kept object, normalised to the tile.
        for entry in manifest.prefix(5) {
            let text = try String(contentsOfFile: out + "/labels/\(entry.id).txt", encoding: .utf8)
            #expect(text.split(separator: "\n").count == (entry.objects?.count ?? 0))
        }
        #expect(FileManager.default.fileExists(atPath: out + "/labels.geojson"))
    }
}

extension LabelSet {
    /// Loads labels for the tests through the library's reader (itself tested against
    /// gdaltransform, ogr2ogr and the files' other encodings in ScaleTileSatelliteTests).
    static func loadForTests(_ path: String, image: String) throws -> LabelSet {
        try ScaleTile.LabelFiles.load(path, image: image)
    }
}

/// `--strategy weighted`: window centres fall only where the probability raster is positive.
@Suite("Weighted scene sampling", .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct WeightedSamplingTests {
    @Test func centresFollowTheWeightRaster() throws {
        let t = TemporaryFolder()
        // A 2 x 2 ASCII grid over the scene: only the lower-right quarter has weight.
        try "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n0 0\n0 1\n".write(toFile: t.file("weights.asc"), atomically: true, encoding: .utf8)
        var options = TileOptions()
        options.window = RasterSize(width: 64, height: 64)
        options.overlap = RasterSize(width: 0, height: 0, depth: 0)
        options.threads = 2
        options.sampling = TileSampling(strategy: .uniform, count: 40, weightMap: t.file("weights.asc"))
        let image = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")  // 900 x 900
        let summary = try TileJob(source: image, output: t.file("out"), options: options).run()
        #expect(summary.counts.written == 40)
        let manifest = try OutputFolder(path: t.file("out")).readManifest()
        for entry in manifest {
            let w = entry.window
            let cx = w.x + w.width / 2, cy = w.y + w.height / 2
            // Centres are drawn in weighted cells, then the window is kept inside the scene.
            #expect(cx >= 450 - 32 && cy >= 450 - 32, "\(entry.id) centred at (\(cx), \(cy))")
        }
    }
}

extension WeightedSamplingTests {
    /// `audit.weightFit`: 4000 centres drawn from a 4 x 4 map whose cells are the audit's blocks
    /// follow its block probabilities (weights / total, by hand) within 0.03, and the figure in
    /// summary.json is the distance recomputed here from the manifest's windows.
    @Test func theAuditSaysHowWellTheCentresFollowTheMap() throws {
        let t = TemporaryFolder()
        let weights: [[Double]] = [[0, 1, 2, 3], [4, 0, 1, 2], [3, 4, 0, 1], [2, 3, 4, 0]]   // rows top to bottom
        let grid = weights.map { $0.map { String(Int($0)) }.joined(separator: " ") }.joined(separator: "\n")
        try "ncols 4\nnrows 4\nxllcorner 0\nyllcorner 0\ncellsize 1\n\(grid)\n".write(toFile: t.file("weights.asc"), atomically: true, encoding: .utf8)
        var options = TileOptions()
        options.window = RasterSize(width: 16, height: 16)
        options.overlap = RasterSize(width: 0, height: 0, depth: 0)
        options.threads = 2
        options.format = .npy
        options.sampling = TileSampling(strategy: .uniform, count: 4000, weightMap: t.file("weights.asc"))
        let image = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")  // 900 x 900
        let summary = try TileJob(source: image, output: t.file("out"), options: options).run()
        let fit = try #require(summary.audit?.weightFit)
        #expect(fit <= 0.03, "fit \(fit)")

        let total = weights.joined().reduce(0, +)
        var drawn = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        let manifest = try OutputFolder(path: t.file("out")).readManifest()
        for entry in manifest {
            let w = entry.window
            let bx = Int((Double(w.x) + Double(w.width) / 2) * 4 / 900), by = Int((Double(w.y) + Double(w.height) / 2) * 4 / 900)
            drawn[by][bx] += 1 / Double(manifest.count)
        }
        var distance = 0.0
        for y in 0..<4 { for x in 0..<4 { distance += abs(drawn[y][x] - weights[y][x] / total) / 2 } }
        // The job averages the raster onto its own coarse grid, whose cells may straddle the
        // blocks by a few pixels: the two figures agree to that, not to rounding.
        #expect(abs(distance - fit) < 0.002, "summary \(fit), recomputed \(distance)")
    }
}

/// `--zoom-in`: objects below the band even at full resolution get magnified windows.
@Suite("Zoom-in windows", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct ZoomInTests {
    @Test func smallBuildingsAreMagnifiedIntoTheBand() throws {
        let t = TemporaryFolder()
        let image = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.automaticOverlap = true
        options.levels = .auto
        options.objectSize = try ObjectSizeBand(min: 24, max: 96)   // buildings of 8–54 px: the small ones need 2x or 4x
        options.zoomIn = true
        options.threads = 2
        options.labels = TileLabels(path: SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson"))
        let out = t.file("out")
        let summary = try TileJob(source: image, output: out, options: options).run()
        let manifest = try OutputFolder(path: out).readManifest()
        let zoomed = manifest.filter { $0.level < 0 }
        #expect(!zoomed.isEmpty)
        // Every building is whole at a level where its size is in 24:96 (recomputed here).
        let boxes = try LabelSet.loadForTests(SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson"), image: image)
            .objects.map { ($0.id, $0.box) }
        for (id, box) in boxes {
            let s = box.area.squareRoot()
            let inBand = manifest.contains { e in
                box.isInside(e.window.window) && (24...96).contains(s * Level(e.level).scale)
            }
            #expect(inBand, "building \(id) (s = \(s)) is in band nowhere")
        }
        #expect(summary.audit?.inBandShare == 1)
        for entry in zoomed.prefix(3) {
            let m = Int(entry.scale)
            #expect(entry.scale == Double(1 << -entry.level) && entry.window.width * m == 128)
            // Pixels: GDAL's own bilinear magnification of the same window.
            let w = entry.window
            let reference = t.file("ref-\(entry.id).tif")
            let r = try ExternalCommand.run("gdal_translate", ["-q", "-srcwin", "\(w.x)", "\(w.y)", "\(w.width)", "\(w.height)",
                                                               "-outsize", "128", "128", "-r", "bilinear", image, reference])
            #expect(r.status == 0, "\(r.standardError)")
            #expect(try GDALTruth.checksums(out + "/" + entry.path) == (try GDALTruth.checksums(reference)))
            // Georeferencing: the window's origin, pixels m times smaller.
            let tile = try GDALTruth.info(out + "/" + entry.path)
            let scene = try GDALTruth.info(image)
            let gt = try #require(tile["geoTransform"] as? [Double]), sgt = try #require(scene["geoTransform"] as? [Double])
            #expect(abs(gt[0] - (sgt[0] + Double(w.x) * sgt[1])) < 1e-6 && abs(gt[1] - sgt[1] / Double(m)) < 1e-12)
            // Object boxes in the tile are in magnified pixels.
            for o in entry.objects ?? [] {
                let box = try #require(boxes.first { $0.0 == o.id }?.1)
                if !o.truncated { #expect(abs((o.bbox?[2] ?? 0) - box.width * Double(m)) < 1e-3) }
            }
        }
    }
}
