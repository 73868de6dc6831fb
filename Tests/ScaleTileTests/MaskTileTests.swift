import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Scene mask tiles (`--mask-tiles`) against GDAL's own tools: `gdal_rasterize` of the same
/// vector labels onto each tile's extent, `gdal_translate -srcwin` of a label raster, and
/// MONAI's loader for the `monai` layout.
@Suite("Scene mask tiles", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct MaskTileTests {
    static let scene = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")
    static let labels = SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson")

    /// Runs `scaletile` and expects success.
    @discardableResult
    static func scaletile(_ arguments: [String], threads: Int = 2) throws -> ExternalCommand.Result {
        let run = try ExternalCommand.run(ExternalCommand.scaletile, arguments + ["--threads", "\(threads)", "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        return run
    }

    /// Band 1 of `path` as raw bytes (`gdal_translate -of ENVI`).
    static func pixels(_ path: String, size: Int, scratch: TemporaryFolder) throws -> [UInt8] {
        Array(try GDALTruth.windowBytes(path, x: 0, y: 0, width: size, height: size, band: 1, scratch: scratch.path))
    }

    /// `gdal_rasterize` of the label features onto a tile's extent: 1 for every feature, then
    /// 255 for the features whose `osm_id` is in `ignored` (drawn over the first).
    static func rasterized(bounds: Bounds, size: Int, ignored: [Int], scratch: TemporaryFolder) throws -> [UInt8] {
        let out = scratch.file("truth-\(UUID().uuidString).tif")
        let extent = ["-te"] + [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { String($0) } + ["-ts", "\(size)", "\(size)"]
        var run = try ExternalCommand.run("gdal_rasterize", ["-q", "-burn", "1", "-ot", "Byte"] + extent + [labels, out])
        #expect(run.status == 0, "\(run.standardError)")
        if !ignored.isEmpty {
            run = try ExternalCommand.run("gdal_rasterize", ["-q", "-burn", "255", "-where",
                                                             "osm_id IN (\(ignored.map(String.init).joined(separator: ",")))", labels, out])
            #expect(run.status == 0, "\(run.standardError)")
        }
        return try pixels(out, size: size, scratch: scratch)
    }

    /// The `osm_id` of each feature, by the 1-based position the reader uses as object id.
    static func osmIDs() throws -> [String: Int] {
        let data = try #require(FileManager.default.contents(atPath: labels))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(document["features"] as? [[String: Any]])
        var ids: [String: Int] = [:]
        for (i, f) in features.enumerated() {
            ids[String(i + 1)] = (f["properties"] as? [String: Any])?["osm_id"] as? Int
        }
        return ids
    }

    /// Tiles with the most objects, the first, and a level-1 tile: the ones the checks look at.
    static func chosen(_ manifest: [ManifestEntry], count: Int = 5) -> [ManifestEntry] {
        let busiest = manifest.sorted { ($0.objects?.count ?? 0) + ($0.ignore?.count ?? 0) > ($1.objects?.count ?? 0) + ($1.ignore?.count ?? 0) }
        var picked = Array(busiest.prefix(count)) + [manifest[0]]
        if let coarse = manifest.first(where: { $0.level == 1 }) { picked.append(coarse) }
        return picked
    }

    /// Vector labels: each mask tile equals `gdal_rasterize -burn 1` of the GeoJSON on that
    /// tile's extent, pixel for pixel, at level 0 and level 1; it carries the tile's geotransform.
    @Test func vectorMasksEqualGDALRasterize() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32",
                            "--levels", "0,1", "--mask-tiles", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        #expect(manifest.allSatisfy { $0.mask == "tiles/L\($0.level)/\($0.id)_mask.tif" })
        var nonZero = 0
        for entry in Self.chosen(manifest) {
            let mask = out + "/" + entry.mask!
            let ours = try Self.pixels(mask, size: 128, scratch: folder)
            let truth = try Self.rasterized(bounds: try #require(entry.bounds), size: 128, ignored: [], scratch: folder)
            #expect(ours == truth, "\(entry.id)")
            #expect(ours.count { $0 != 0 } == truth.count { $0 != 0 }, "\(entry.id)")
            nonZero += ours.count { $0 != 0 }
            let info = try GDALTruth.info(mask), tile = try GDALTruth.info(out + "/" + entry.path)
            #expect(info["geoTransform"] as? [Double] == tile["geoTransform"] as? [Double])
            let band = try #require((info["bands"] as? [[String: Any]])?.first)
            #expect(band["type"] as? String == "Byte")
            #expect((info["bands"] as? [[String: Any]])?.count == 1)
        }
        #expect(nonZero > 1000, "the chosen tiles hold buildings")
        #expect(manifest.allSatisfy { FileManager.default.fileExists(atPath: out + "/" + $0.mask!) })
    }

    /// With splits, the objects of another split (the manifest's `ignore`) hold 255 in the mask,
    /// drawn over the positives, as `gdal_rasterize -burn 255 -where` of those features does.
    @Test func ignoreRegionsOfOtherSplitsHold255() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32",
                            "--split", "train=0.8,val=0.2", "--mask-tiles", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        let osm = try Self.osmIDs()
        let withIgnore = manifest.filter { !($0.ignore ?? []).isEmpty }
        try #require(!withIgnore.isEmpty, "the split leaves ignore regions in some tiles")
        var ignoredPixels = 0
        for entry in withIgnore.prefix(6) + manifest.filter({ $0.ignore == nil }).prefix(2) {
            let ours = try Self.pixels(out + "/" + entry.mask!, size: 128, scratch: folder)
            let ignored = try (entry.ignore ?? []).map { try #require(osm[$0.id]) }
            let truth = try Self.rasterized(bounds: try #require(entry.bounds), size: 128, ignored: ignored, scratch: folder)
            #expect(ours == truth, "\(entry.id)")
            ignoredPixels += ours.count { $0 == 255 }
        }
        #expect(ignoredPixels > 0)
    }

    /// A label raster on the scene's grid (made by `gdal_rasterize`, two classes): its mask
    /// tiles equal `gdal_translate -srcwin` of it at level 0, and its nearest `-outsize` at level 1.
    @Test func labelRasterMasksEqualItsWindows() throws {
        let folder = TemporaryFolder()
        let raster = folder.file("labels.tif")
        var run = try ExternalCommand.run("gdal_rasterize", ["-q", "-burn", "1", "-ot", "Byte", "-te", "733601", "3724689", "734051", "3725139",
                                                             "-ts", "900", "900", Self.labels, raster])
        #expect(run.status == 0, "\(run.standardError)")
        run = try ExternalCommand.run("gdal_rasterize", ["-q", "-burn", "2", "-where", "osm_id > 100000", Self.labels, raster])
        #expect(run.status == 0, "\(run.standardError)")
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", raster, "--tile-size", "128", "--overlap", "32",
                            "--levels", "0,1", "--mask-tiles", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        var checked = 0, classes = Set<UInt8>()
        // The busiest tiles and the first (one gdal_translate each keeps the test short).
        let levelZero = Self.chosen(manifest.filter { $0.level == 0 }, count: 8)
        for entry in levelZero {
            let w = entry.window
            let ours = try Self.pixels(out + "/" + entry.mask!, size: 128, scratch: folder)
            let truth = Array(try GDALTruth.windowBytes(raster, x: w.x, y: w.y, width: 128, height: 128, band: 1, scratch: folder.path))
            #expect(ours == truth, "\(entry.id)")
            classes.formUnion(ours)
            checked += 1
        }
        #expect(classes == [0, 1, 2])
        let levelOne = manifest.filter { $0.level == 1 && $0.window.x + 256 <= 900 && $0.window.y + 256 <= 900 }
        for entry in levelOne.prefix(4) {
            let w = entry.window
            let cut = folder.file("L1-\(entry.id).tif")
            let translate = try ExternalCommand.run("gdal_translate", ["-q", "-srcwin", "\(w.x)", "\(w.y)", "256", "256",
                                                                       "-outsize", "128", "128", "-r", "nearest", raster, cut])
            #expect(translate.status == 0, "\(translate.standardError)")
            #expect(try Self.pixels(out + "/" + entry.mask!, size: 128, scratch: folder) == Self.pixels(cut, size: 128, scratch: folder), "\(entry.id)")
            checked += 1
        }
        #expect(checked == levelZero.count + Swift.min(4, levelOne.count) && levelOne.count >= 4)
    }

    /// A label raster with splits: the pixels of another split's regions (their label inside
    /// their box, as the manifest's `ignore` lists them) hold 255, every other pixel is the raster's.
    @Test func labelRasterIgnoreRegionsHold255() throws {
        let folder = TemporaryFolder()
        let raster = folder.file("labels.tif")
        let made = try ExternalCommand.run("gdal_rasterize", ["-q", "-burn", "1", "-ot", "Byte", "-te", "733601", "3724689", "734051", "3725139",
                                                              "-ts", "900", "900", Self.labels, raster])
        #expect(made.status == 0, "\(made.standardError)")
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", raster, "--tile-size", "128", "--overlap", "32",
                            "--split", "train=0.8,val=0.2", "--mask-tiles", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        let withIgnore = manifest.filter { !($0.ignore ?? []).isEmpty }
        try #require(!withIgnore.isEmpty)
        var ignored = 0
        for entry in withIgnore.prefix(6) {
            let w = entry.window
            var truth = Array(try GDALTruth.windowBytes(raster, x: w.x, y: w.y, width: 128, height: 128, band: 1, scratch: folder.path))
            for object in entry.ignore! {
                let b = try #require(object.bbox), label = try #require(UInt8(object.class))
                for y in Int(b[1].rounded(.down)) ..< Swift.min(128, Int((b[1] + b[3]).rounded(.up))) {
                    for x in Int(b[0].rounded(.down)) ..< Swift.min(128, Int((b[0] + b[2]).rounded(.up))) where truth[y * 128 + x] == label {
                        truth[y * 128 + x] = 255
                    }
                }
            }
            let ours = try Self.pixels(out + "/" + entry.mask!, size: 128, scratch: folder)
            #expect(ours == truth, "\(entry.id)")
            ignored += ours.count { $0 == 255 }
        }
        #expect(ignored > 0)
    }

    /// Mask tiles are the same bytes for 1 and 3 encoder threads, and `--resume` writes a mask
    /// that is missing (its tile kept) back to the same bytes.
    @Test func masksAreDeterministicAndResumed() throws {
        let folder = TemporaryFolder()
        let arguments = ["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32", "--levels", "0,1",
                         "--split", "train=0.8,val=0.2", "--mask-tiles"]
        try Self.scaletile(arguments + ["--out", folder.file("one")], threads: 1)
        try Self.scaletile(arguments + ["--out", folder.file("three")], threads: 3)
        let manifest = try OutputFolder(path: folder.file("one")).readManifest()
        for entry in manifest {
            let a = FileManager.default.contents(atPath: folder.file("one/" + entry.mask!))
            #expect(a != nil && a == FileManager.default.contents(atPath: folder.file("three/" + entry.mask!)), "\(entry.id)")
        }
        #expect(FileManager.default.contents(atPath: folder.file("one/manifest.jsonl")) == FileManager.default.contents(atPath: folder.file("three/manifest.jsonl")))
        let lost = folder.file("one/" + manifest[3].mask!)
        let bytes = FileManager.default.contents(atPath: lost)
        try FileManager.default.removeItem(atPath: lost)
        try Self.scaletile(arguments + ["--out", folder.file("one"), "--resume"], threads: 2)
        #expect(FileManager.default.contents(atPath: lost) == bytes)
    }

    /// `scaletile split` refuses an output with mask tiles (their 255s belong to the split they
    /// were written with): exit 69, the manifest untouched.
    @Test func splitRefusesAnOutputWithMaskTiles() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", Self.labels, "--tile-size", "256", "--overlap", "32", "--mask-tiles", "--out", out])
        let before = FileManager.default.contents(atPath: out + "/manifest.jsonl")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["split", out, "--split", "train=0.8,val=0.2"])
        #expect(run.status == 69, "\(run.standardError)")
        #expect(run.standardError.contains("mask tiles"))
        #expect(FileManager.default.contents(atPath: out + "/manifest.jsonl") == before)
    }

    /// Two shards merged hold the masks and manifest of the unsharded run, byte for byte.
    @Test func shardedMasksMergeToTheUnshardedRun() throws {
        let folder = TemporaryFolder()
        let arguments = ["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32", "--mask-tiles"]
        try Self.scaletile(arguments + ["--out", folder.file("whole")])
        try Self.scaletile(arguments + ["--shard", "1/2", "--out", folder.file("a")])
        try Self.scaletile(arguments + ["--shard", "2/2", "--out", folder.file("b")])
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", folder.file("a"), folder.file("b"), "--out", folder.file("merged"), "--quiet"])
        #expect(merge.status == 0, "\(merge.standardError)")
        let manifest = try OutputFolder(path: folder.file("whole")).readManifest()
        #expect(try OutputFolder(path: folder.file("merged")).readManifest().map(\.mask) == manifest.map(\.mask))
        for entry in manifest {
            let whole = FileManager.default.contents(atPath: folder.file("whole/" + entry.mask!))
            #expect(whole != nil && whole == FileManager.default.contents(atPath: folder.file("merged/" + entry.mask!)), "\(entry.id)")
        }
    }

    /// YOLO and COCO layouts hard-link the masks into `masks/{split}/`, where the manifest's `mask` points.
    @Test func yoloKeepsMasksBesideTheImages() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32",
                            "--split", "train=0.8,val=0.2", "--mask-tiles", "--layout", "yolo", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        try #require(!manifest.isEmpty)
        for entry in manifest {
            let split = try #require(entry.split).rawValue
            #expect(entry.mask == "masks/\(split)/\(entry.id)_mask.tif")
            let linked = try FileManager.default.attributesOfItem(atPath: out + "/" + entry.mask!)
            let written = try FileManager.default.attributesOfItem(atPath: out + "/tiles/L\(entry.level)/\(entry.id)_mask.tif")
            #expect(linked[.systemFileNumber] as? Int == written[.systemFileNumber] as? Int)
        }
    }

    /// `sample` with COCO boxes (segmentations removed): each mask tile equals `gdal_rasterize
    /// -a cls` of the boxes as rectangles, in pixel coordinates (x, −y, so the grid is exact),
    /// with the class values 1 (car) and 2 (truck) of the categories' order.
    @Test func sampledBoxMasksEqualGDALRasterize() throws {
        let folder = TemporaryFolder()
        let coco = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.coco.json"
        let data = try #require(FileManager.default.contents(atPath: coco))
        var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var annotations = try #require(document["annotations"] as? [[String: Any]])
        let categories = try #require(document["categories"] as? [[String: Any]]).compactMap { $0["id"] as? Int }.sorted()
        var features: [[String: Any]] = []
        for i in annotations.indices {
            annotations[i]["segmentation"] = nil
            let b = try #require(annotations[i]["bbox"] as? [Double])
            let ring = [[b[0], -b[1]], [b[0] + b[2], -b[1]], [b[0] + b[2], -(b[1] + b[3])], [b[0], -(b[1] + b[3])], [b[0], -b[1]]]
            let category = try #require(annotations[i]["category_id"] as? Int)
            let value = try #require(categories.firstIndex(of: category)) + 1
            features.append(["type": "Feature", "properties": ["cls": value], "geometry": ["type": "Polygon", "coordinates": [ring]]])
        }
        document["annotations"] = annotations
        let boxes = folder.file("boxes.json"), truthVectors = folder.file("boxes.geojson")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: boxes))
        try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features]).write(to: URL(fileURLWithPath: truthVectors))
        let out = folder.file("out")
        try Self.scaletile(["sample", SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif", "--labels", boxes,
                            "--strategy", "object-balanced", "--count", "12", "--patch", "128x128", "--seed", "3", "--mask-tiles", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        var values = Set<UInt8>()
        for entry in manifest.prefix(8) {
            let w = entry.window
            let truth = folder.file("truth-\(entry.id).tif")
            let run = try ExternalCommand.run("gdal_rasterize", ["-q", "-a", "cls", "-ot", "Byte", "-te", "\(w.x)", "\(-(w.y + w.height))",
                                                                 "\(w.x + w.width)", "\(-w.y)", "-ts", "128", "128", truthVectors, truth])
            #expect(run.status == 0, "\(run.standardError)")
            let ours = try Self.pixels(out + "/" + entry.mask!, size: 128, scratch: folder)
            #expect(ours == (try Self.pixels(truth, size: 128, scratch: folder)), "\(entry.id)")
            values.formUnion(ours)
        }
        #expect(values.isSuperset(of: [0, 1]))
    }

    /// `--layout monai --mask-tiles --format npy` on a scene: MONAI's `load_decathlon_datalist`,
    /// `LoadImaged` and a `DataLoader` read every pair, image (C, Y, X) and mask (1, Y, X) with
    /// the window ÷ 2^level, as many per list as the manifest's windows of that split.
    @Test func monaiLoadsSceneTilesWithTheirMasks() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32", "--levels", "0,1",
                            "--split", "train=0.8,val=0.2", "--mask-tiles", "--format", "npy", "--layout", "monai", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        let result = try ClientPython.run(LayoutTests.monaiCheck, [out])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try LayoutTests.json(result.standardOutput)
        for (key, split) in [("training", SplitName.train), ("validation", .val)] {
            let entries = manifest.filter { $0.split == split }
            let loaded = try #require(report[key] as? [String: [[Int]]], "\(key)")
            #expect(loaded.count == entries.count)
            for entry in entries {
                let f = 1 << entry.level
                let (h, w) = (entry.window.height / f, entry.window.width / f)
                #expect(loaded[entry.id] == [[1, h, w], [1, h, w]], "\(entry.id)")
            }
        }
        #expect(manifest.allSatisfy { $0.mask?.hasSuffix("_mask.npy") == true })
    }

    /// WebDataset shards hold `{key}.mask.tif` beside `{key}.tif`, read by the `webdataset` package.
    @Test func webDatasetPacksTheMasks() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        try Self.scaletile(["tile", Self.scene, "--labels", Self.labels, "--tile-size", "128", "--overlap", "32",
                            "--mask-tiles", "--layout", "webdataset", "--out", out])
        let manifest = try OutputFolder(path: out).readManifest()
        let script = """
        import glob, json, os, sys
        import webdataset as wds
        urls = sorted(glob.glob(os.path.join(sys.argv[1], "shards", "train-*.tar")))
        samples = list(wds.WebDataset(urls, shardshuffle=False, empty_check=False))
        print(json.dumps({"samples": len(samples), "masks": sum(1 for s in samples if s.get("mask.tif", b"")[:2] in (b"II", b"MM"))}))
        """
        let result = try ClientPython.run(script, [out])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try LayoutTests.json(result.standardOutput)
        #expect(report["samples"] as? Int == manifest.count)
        #expect(report["masks"] as? Int == manifest.count)
        #expect(manifest.allSatisfy { $0.mask?.contains(".tar#") == true && $0.mask!.hasSuffix(".mask.tif") })
    }

    /// `--mask-tiles` without labels, and `--layout monai` on a scene without mask tiles: exit
    /// 64, one line, nothing written.
    @Test func maskTilesNeedLabels() throws {
        let folder = TemporaryFolder()
        for arguments in [["--mask-tiles"], ["--layout", "monai", "--labels", Self.labels, "--format", "npy"],
                          ["--mask-tiles", "--labels", Self.labels, "--layout", "monai"]] {
            let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--tile-size", "128", "--out", folder.file("out")] + arguments)
            #expect(run.status == 64, "\(arguments): \(run.standardError)")
            #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        }
        #expect(try folder.contents().isEmpty)
        // The flag is the preset key.
        let preset = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--labels", Self.labels, "--mask-tiles",
                                                                         "--out", folder.file("out"), "--print-preset"])
        #expect(preset.status == 0, "\(preset.standardError)")
        #expect(preset.standardOutput.contains("maskTiles: true"))
    }
}
