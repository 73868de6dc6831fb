import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Scene tiling on every satellite file in ../shared/data, checked against GDAL's own tools.
@Suite("Scene tiling on real data", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct SceneTilingTests {
    static func tile(_ relative: String, in folder: TemporaryFolder, _ configure: (inout TileOptions) -> Void = { _ in }) throws
        -> (TileSummary, [ManifestEntry], String) {
        var options = TileOptions()
        options.window = RasterSize(width: 256, height: 256)
        options.overlap = RasterSize(width: 32, height: 32, depth: 0)
        options.threads = 2
        configure(&options)
        let out = folder.file("out-\(UUID().uuidString)")
        let summary = try TileJob(source: SharedData.path(relative), output: out, options: options).run()
        let manifest = try OutputFolder(path: out).readManifest()
        return (summary, manifest, out)
    }

    // Pixels: corner tiles and a middle one equal gdal_translate -srcwin of the same window
    // (checksums as gdalinfo computes them); geotransform = the scene's shifted by the window
    // origin; CRS, nodata and data type kept.
    @Test(arguments: SharedData.satelliteRasters)
    func tilesEqualGDALsOwnWindows(relative: String) throws {
        let folder = TemporaryFolder()
        let (_, manifest, out) = try Self.tile(relative, in: folder)
        let source = SharedData.path(relative)
        let scene = try GDALTruth.info(source)
        let sceneGT = scene["geoTransform"] as? [Double]
        let sceneBands = scene["bands"] as! [[String: Any]]
        let picks = Set([manifest.first!, manifest.last!, manifest[manifest.count / 2],
                         manifest.first { $0.window.y == 0 && $0.window.x == manifest.map(\.window.x).max() }!])
        for entry in picks {
            let w = entry.window
            let expected = try GDALTruth.windowChecksums(source, x: w.x, y: w.y, width: w.width, height: w.height, scratch: folder.path)
            let tilePath = out + "/" + entry.path
            #expect(try GDALTruth.checksums(tilePath) == expected, "\(entry.id)")
            let tile = try GDALTruth.info(tilePath)
            let size = tile["size"] as! [Int]
            #expect(size == [w.width, w.height])
            let tileBands = tile["bands"] as! [[String: Any]]
            #expect(tileBands.map { $0["type"] as! String } == sceneBands.map { $0["type"] as! String })
            #expect(String(describing: tileBands[0]["noDataValue"]) == String(describing: sceneBands[0]["noDataValue"]))
            if let gt = sceneGT {
                let tgt = try #require(tile["geoTransform"] as? [Double])
                #expect(abs(tgt[0] - (gt[0] + Double(w.x) * gt[1] + Double(w.y) * gt[2])) < 1e-6)
                #expect(abs(tgt[3] - (gt[3] + Double(w.x) * gt[4] + Double(w.y) * gt[5])) < 1e-6)
                #expect(tgt[1] == gt[1] && tgt[5] == gt[5])
                let sceneWKT = (scene["coordinateSystem"] as? [String: Any])?["wkt"] as? String
                let tileWKT = (tile["coordinateSystem"] as? [String: Any])?["wkt"] as? String
                // Same CRS: the same top-level EPSG id (WKT text may spell the datum ensemble differently).
                #expect(Self.topLevelEPSG(sceneWKT) == Self.topLevelEPSG(tileWKT))
                #expect(tileWKT != nil && (Self.topLevelEPSG(sceneWKT) != nil || sceneWKT == tileWKT))
            }
        }
    }

    /// The code of the last `ID["EPSG",n]` in a WKT, which names the whole CRS.
    static func topLevelEPSG(_ wkt: String?) -> Int? {
        guard let wkt, let range = wkt.range(of: "ID[\"EPSG\",", options: .backwards) else { return nil }
        return Int(wkt[range.upperBound...].prefix { $0.isNumber })
    }

    /// Marks which level-0 pixels the manifest's windows cover.
    static func coverage(_ manifest: [ManifestEntry], width: Int, height: Int) -> [Bool] {
        var covered = [Bool](repeating: false, count: width * height)
        for e in manifest {
            let w = e.window
            for y in max(0, w.y)..<min(height, w.y + w.height) {
                for x in max(0, w.x)..<min(width, w.x + w.width) { covered[y * width + x] = true }
            }
        }
        return covered
    }

    // RGB.byte.tif is 791 x 718: neither side is a multiple of the stride, so every policy
    // has work to do at the right and bottom edges.
    @Test(arguments: EdgePolicy.allCases)
    func edgePoliciesCoverTheExtentAsDocumented(edge: EdgePolicy) throws {
        let folder = TemporaryFolder()
        let (summary, manifest, out) = try Self.tile("satellite/landsat/RGB.byte.tif", in: folder) { $0.edge = edge }
        let covered = Self.coverage(manifest, width: 791, height: 718)
        switch edge {
        case .shift:
            #expect(covered.allSatisfy { $0 })
            #expect(manifest.allSatisfy { $0.window.x + 256 <= 791 && $0.window.y + 256 <= 718 && $0.padded == nil })
        case .pad:
            #expect(covered.allSatisfy { $0 })
            let overhanging = manifest.filter { $0.window.x + 256 > 791 || $0.window.y + 256 > 718 }
            #expect(!overhanging.isEmpty && overhanging.allSatisfy { $0.padded == true })
            // The overhang is nodata (0 here) and counted in nodataFraction.
            let corner = try #require(overhanging.max { ($0.window.y, $0.window.x) < ($1.window.y, $1.window.x) })
            let raw = try GDALTruth.windowBytes(out + "/" + corner.path, x: 0, y: 0, width: 256, height: 256, band: 1, scratch: folder.path)
            let inside = (791 - corner.window.x) * (718 - corner.window.y)
            #expect(raw[255 * 256 + 255] == 0)
            #expect(corner.nodataFraction! >= 1 - Double(inside) / 65536 - 1e-9)
        case .drop:
            #expect(manifest.allSatisfy { $0.window.x + 256 <= 791 && $0.window.y + 256 <= 718 })
            // 791 = 0, 224, 448 (+256 = 704 ≤ 791; 672 + 256 > 791): 3 columns; 718: 0, 224, 448: 3 rows.
            #expect(manifest.count == 9)
            #expect(!covered.allSatisfy { $0 })
        }
        #expect(summary.counts.written == manifest.count)
    }

    // nodataFraction is recomputed from the written tile: pixels where every band equals the
    // file's nodata value (0 for RGB.byte.tif's black collar).
    @Test func nodataFractionMatchesTheTilesAndMaxNodataSkips() throws {
        let folder = TemporaryFolder()
        let (summary, manifest, out) = try Self.tile("satellite/landsat/RGB.byte.tif", in: folder) { $0.maxNodataFraction = 0.5 }
        let skipped = try #require(summary.counts.skippedNodata)
        #expect(skipped > 0)
        #expect(summary.counts.written + skipped == summary.counts.planned)
        for entry in manifest.prefix(4) {
            let bands = try (1...3).map { try GDALTruth.windowBytes(out + "/" + entry.path, x: 0, y: 0, width: 256, height: 256, band: $0, scratch: folder.path) }
            let nodata = (0..<(256 * 256)).filter { i in bands.allSatisfy { $0[i] == 0 } }.count
            #expect(abs(entry.nodataFraction! - Double(nodata) / 65536) < 1e-6)
            #expect(entry.nodataFraction! <= 0.5)
        }
    }

    @Test func outputIsIdenticalForOneOrManyThreads() throws {
        let folder = TemporaryFolder()
        let (_, _, one) = try Self.tile("satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif", in: folder) { $0.threads = 1 }
        let (_, _, many) = try Self.tile("satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif", in: folder) { $0.threads = 3 }
        for name in ["manifest.jsonl", "summary.json", "index.geojson"] {
            #expect(FileManager.default.contents(atPath: one + "/" + name) == FileManager.default.contents(atPath: many + "/" + name), "\(name)")
        }
        let tiles = try FileManager.default.contentsOfDirectory(atPath: one + "/tiles/L0").sorted()
        #expect(tiles == (try FileManager.default.contentsOfDirectory(atPath: many + "/tiles/L0").sorted()))
        for t in tiles {
            #expect(FileManager.default.contents(atPath: one + "/tiles/L0/" + t) == FileManager.default.contents(atPath: many + "/tiles/L0/" + t), "\(t)")
        }
    }

    // A run that fails part-way leaves only complete tiles; --resume completes it and the
    // result equals a clean run.
    @Test func failedRunLeavesCompleteTilesAndResumeFinishesIt() throws {
        let folder = TemporaryFolder()
        let relative = "satellite/landsat/RGB.byte.tif"
        let (_, cleanManifest, clean) = try Self.tile(relative, in: folder)
        let out = folder.file("interrupted")
        var options = TileOptions()
        options.window = RasterSize(width: 256, height: 256); options.overlap = RasterSize(width: 32, height: 32, depth: 0); options.threads = 2
        // A folder where one tile must go makes its final rename fail mid-run. The run resumes
        // into the folder holding it (a fresh run would refuse a folder that has `tiles/`).
        let blocked = cleanManifest[5].path
        try FileManager.default.createDirectory(atPath: out + "/" + blocked + "/x", withIntermediateDirectories: true)
        options.existingOutput = .resume
        #expect(throws: ScaleTileError.self) {
            try TileJob(source: SharedData.path(relative), output: out, options: options).run()
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: out + "/tiles/L0")
        #expect(left.count > 2, "tiles were written before the failure: \(left.count - 1)")
        #expect(!left.contains { $0.contains(AtomicFile.partialMarker) }, "no temporary file is left behind")
        for name in left where name != (blocked as NSString).lastPathComponent {
            #expect(try GDALTruth.checksums(out + "/tiles/L0/" + name).count == 3, "\(name) is a complete tile")
        }
        try FileManager.default.removeItem(atPath: out + "/" + blocked)
        let summary = try TileJob(source: SharedData.path(relative), output: out, options: options).run()
        #expect(summary.counts.resumed == left.count - 1)
        #expect(summary.counts.written + summary.counts.resumed == cleanManifest.count)
        #expect(FileManager.default.contents(atPath: out + "/manifest.jsonl") == FileManager.default.contents(atPath: clean + "/manifest.jsonl"))
    }

    @Test func footprintIndexHoldsEveryTileInTheSceneCRS() throws {
        let folder = TemporaryFolder()
        let (_, manifest, out) = try Self.tile("satellite/aerial/cogeo.tif", in: folder)
        let data = try #require(FileManager.default.contents(atPath: out + "/index.geojson"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        #expect(features.count == manifest.count)
        let crs = ((json["crs"] as? [String: Any])?["properties"] as? [String: Any])?["name"] as? String
        #expect(crs?.contains("3857") == true)
        for (feature, entry) in zip(features, manifest) {
            let props = feature["properties"] as! [String: Any]
            #expect(props["id"] as? String == entry.id)
            let ring = ((feature["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]])[0]
            let b = entry.bounds!
            #expect(abs(ring.map { $0[0] }.min()! - b.minX) < 1e-6 && abs(ring.map { $0[1] }.max()! - b.maxY) < 1e-6)
        }
    }
}
