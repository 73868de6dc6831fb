import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// The YOLO and COCO layouts, loaded by their real clients (Ultralytics, pycocotools) from the
/// client environment: a missing client fails these tests, naming scripts/client-venv.sh.
@Suite("Training layouts", .serialized)
struct LayoutTests {
    static func tile(_ layout: OutputLayout, split: String?, in folder: TemporaryFolder, yoloIgnore: YOLOIgnore = .drop) throws -> ([ManifestEntry], String) {
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.overlap = RasterSize(width: 32, height: 32, depth: 0)
        options.threads = 2
        options.format = .png
        options.labels = TileLabels(path: SplitSceneTests.aerialLabels)
        options.layout = layout
        options.yoloIgnore = yoloIgnore
        options.split = try split.map { SplitOptions(shares: try SplitShares(parsing: $0)) }
        let out = folder.file("out")
        try TileJob(source: SplitSceneTests.aerial, output: out, options: options).run()
        return (try OutputFolder(path: out).readManifest(), out)
    }

    static func json(_ text: String) throws -> [String: Any] {
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(text)")
    }

    static let yoloCheck = """
    import json, os, sys
    os.environ["YOLO_OFFLINE"] = "1"
    from ultralytics.data.utils import check_det_dataset
    from ultralytics.data import YOLODataset
    data = check_det_dataset(sys.argv[1])
    result = {"names": [data["names"][i] for i in range(data["nc"])]}
    for split in ("train", "val", "test"):
        if data.get(split):
            ds = YOLODataset(img_path=data[split], data=data, task="detect", augment=False, imgsz=128, cache=False)
            result[split] = {"images": len(ds.labels), "boxes": int(sum(len(l["cls"]) for l in ds.labels)),
                             "shapes": sorted({tuple(l["shape"]) for l in ds.labels})}
    print(json.dumps(result))
    """

    @Test(arguments: ["train=0.8,val=0.1,test=0.1", nil])
    func yoloLoadsInUltralyticsWithTheManifestsBoxes(split: String?) throws {
        let folder = TemporaryFolder()
        let (manifest, out) = try Self.tile(.yolo, split: split, in: folder)
        let result = try ClientPython.run(Self.yoloCheck, [out + "/data.yaml"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        #expect(report["names"] as? [String] == ["car", "truck"])
        for name in split == nil ? [SplitName.train] : [.train, .val, .test] {
            let entries = manifest.filter { ($0.split ?? .train) == name }
            let counts = try #require(report[name.rawValue] as? [String: Any], "\(name)")
            #expect(counts["images"] as? Int == entries.count)
            #expect(counts["boxes"] as? Int == entries.reduce(0) { $0 + ($1.objects ?? []).count })
            #expect(counts["shapes"] as? [[Int]] == [[128, 128]])
        }
        // A YOLO window never shows an ignore region (`--yolo-ignore drop`).
        #expect(manifest.allSatisfy { $0.ignore == nil })
        try Self.expectLinked(manifest, out: out)
    }

    static let cocoCheck = """
    import contextlib, io, json, os, sys
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    out, result = sys.argv[1], {}
    for split in sys.argv[2:]:
        with contextlib.redirect_stdout(io.StringIO()):
            gt = COCO(os.path.join(out, "annotations", "instances_%s.json" % split))
        anns = [a for a in gt.dataset["annotations"] if not a["iscrowd"]]
        missing = [i["file_name"] for i in gt.dataset["images"] if not os.path.exists(os.path.join(out, "images", split, i["file_name"]))]
        dense = max([len(gt.getAnnIds(imgIds=[i], iscrowd=False)) for i in gt.getImgIds()] + [1])
        dets = [{"image_id": a["image_id"], "category_id": a["category_id"], "bbox": a["bbox"], "score": 1.0} for a in anns]
        with contextlib.redirect_stdout(io.StringIO()):
            e = COCOeval(gt, gt.loadRes(dets), "bbox")
            e.params.maxDets = [1, 10, max(100, dense)]
            e.evaluate(); e.accumulate(); e.summarize()
        result[split] = {"images": len(gt.dataset["images"]), "positives": len(anns), "missing": missing,
                         "crowd": sum(a["iscrowd"] for a in gt.dataset["annotations"]),
                         "categories": {c["id"]: c["name"] for c in gt.dataset["categories"]}, "ap": e.stats[0]}
    print(json.dumps(result))
    """

    @Test func cocoLoadsInPycocotoolsAndItsOwnAnnotationsScoreAP1() throws {
        let folder = TemporaryFolder()
        let (manifest, out) = try Self.tile(.coco, split: "train=0.8,val=0.1,test=0.1", in: folder)
        let result = try ClientPython.run(Self.cocoCheck, [out, "train", "val", "test"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        for name in [SplitName.train, .val, .test] {
            let entries = manifest.filter { $0.split == name }
            let r = try #require(report[name.rawValue] as? [String: Any])
            #expect(r["images"] as? Int == entries.count)
            #expect(r["positives"] as? Int == entries.reduce(0) { $0 + ($1.objects ?? []).count })
            #expect((r["missing"] as? [String])?.isEmpty == true)
            // Another split's objects are ignore regions (with the slivers), never positives.
            #expect((r["crowd"] as? Int ?? 0) >= entries.reduce(0) { $0 + ($1.ignore ?? []).count })
            #expect(r["categories"] as? [String: String] == ["1": "car", "2": "truck"])
            #expect(abs((r["ap"] as? Double ?? 0) - 1) < 1e-9, "\(name): AP \(r["ap"] ?? "none")")
        }
        try Self.expectLinked(manifest, out: out)
    }

    /// Layout files are hard links of the tiles: the same inode, never a second copy.
    static func expectLinked(_ manifest: [ManifestEntry], out: String) throws {
        for entry in manifest.prefix(5) {
            #expect(entry.path.hasPrefix("images/\((entry.split ?? .train).rawValue)/"))
            let linked = try FileManager.default.attributesOfItem(atPath: out + "/" + entry.path)
            let tile = try FileManager.default.attributesOfItem(atPath: out + "/tiles/L\(entry.level)/" + (entry.path as NSString).lastPathComponent)
            #expect(linked[.systemFileNumber] as? Int == tile[.systemFileNumber] as? Int)
            #expect((linked[.referenceCount] as? Int ?? 0) >= 2)
        }
    }

    /// `--yolo-ignore fill`: windows showing another split's object are kept, the object's
    /// pixels filled (0 here: the sample has no nodata), and it is no label.
    @Test func yoloFillBlanksAnotherSplitsObjects() throws {
        let folder = TemporaryFolder()
        let (manifest, out) = try Self.tile(.yolo, split: "train=0.8,val=0.2", in: folder, yoloIgnore: .fill)
        let withIgnore = manifest.filter { $0.ignore != nil }
        #expect(!withIgnore.isEmpty)
        let summary = try StableJSON.decoder().decode(TileSummary.self, from: try #require(FileManager.default.contents(atPath: out + "/summary.json")))
        #expect(summary.split?.leakage.windowsDroppedForIgnore == 0)
        for entry in withIgnore.prefix(3) {
            let ignored = Set(entry.ignore!.map(\.id))
            #expect(!(entry.objects ?? []).contains { ignored.contains($0.id) })
            let b = try #require(entry.ignore!.first?.bbox)
            let x = Int(b[0].rounded(.down)), y = Int(b[1].rounded(.down))
            let w = Int((b[0] + b[2]).rounded(.up)) - x, h = Int((b[1] + b[3]).rounded(.up)) - y
            for band in 1...3 {
                let bytes = try GDALTruth.windowBytes(out + "/" + entry.path, x: x, y: y, width: w, height: h, band: band, scratch: folder.path)
                #expect(bytes.count == w * h && bytes.allSatisfy { $0 == 0 }, "\(entry.id) band \(band)")
            }
        }
        let result = try ClientPython.run(Self.yoloCheck, [out + "/data.yaml"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        for name in [SplitName.train, .val] {
            let counts = try #require(report[name.rawValue] as? [String: Any])
            let entries = manifest.filter { $0.split == name }
            #expect(counts["images"] as? Int == entries.count)
            #expect(counts["boxes"] as? Int == entries.reduce(0) { $0 + ($1.objects ?? []).count })
        }
    }

    static let monaiCheck = """
    import json, os, sys
    from monai.data import load_decathlon_datalist, Dataset, DataLoader
    from monai.transforms import LoadImaged
    out, result = sys.argv[1], {}
    for key in ("training", "validation", "test"):
        try:
            items = load_decathlon_datalist(os.path.join(out, "datalist.json"), is_segmentation=True, data_list_key=key, base_dir=out)
        except ValueError:
            continue
        loader = DataLoader(Dataset(items, transform=LoadImaged(keys=["image", "label"], image_only=True)), batch_size=1, num_workers=0)
        result[key] = {b["id"][0]: [list(b["image"].shape[1:]), list(b["label"].shape[1:])] for b in loader}
    print(json.dumps(result))
    """

    /// `--layout monai` on a stack: MONAI's own datalist loader, LoadImaged and a DataLoader read
    /// every pair, each array (C, Z, Y, X) with the window's size ÷ 2^level in X and Y.
    @Test func monaiLoadsStackPatchPairs() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let root = SharedData.packageRoot + "/SampleData/medical/"
        let run = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", root + "ct_chest.tif", "--mask", root + "ct_nodules_mask.tif", "--patch", "64x64x16", "--levels", "0,1",
            "--format", "npy", "--layout", "monai", "--out", out, "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        let manifest = try OutputFolder(path: out).readManifest()
        let result = try ClientPython.run(Self.monaiCheck, [out])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        let training = try #require(report["training"] as? [String: [[Int]]])
        #expect(training.count == manifest.count)
        #expect(report["validation"] == nil)
        for entry in manifest {
            let w = entry.window, f = 1 << entry.level
            let expected = [1, w.depth ?? 1, w.height / f, w.width / f]
            #expect(training[entry.id] == [expected, expected], "\(entry.id)")
        }
        // Patches are written in place and listed, never copied.
        #expect(!FileManager.default.fileExists(atPath: out + "/images"))
    }

    @Test func monaiNeedsAMaskAndNpy() throws {
        let folder = TemporaryFolder()
        let root = SharedData.packageRoot + "/SampleData/medical/"
        let noMask = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", root + "ct_chest.tif", "--patch", "64x64x16", "--format", "npy", "--layout", "monai", "--out", folder.file("a")])
        #expect(noMask.status == 64)
        let tiff = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", root + "ct_chest.tif", "--mask", root + "ct_nodules_mask.tif", "--patch", "64x64x16", "--layout", "monai", "--out", folder.file("b")])
        #expect(tiff.status == 64)
        #expect(try folder.contents().isEmpty)
    }

    static let webDatasetCheck = """
    import glob, json, os, sys
    import webdataset as wds
    out, result = sys.argv[1], {}
    for split in ("train", "val", "test"):
        urls = sorted(glob.glob(os.path.join(out, "shards", split + "-*.tar")))
        if urls:
            samples = list(wds.WebDataset(urls, shardshuffle=False, empty_check=False))
            result[split] = {"ids": [json.loads(s["json"])["id"] for s in samples], "shards": len(urls),
                             "png": all(s["png"][:8] == b"\\x89PNG\\r\\n\\x1a\\n" for s in samples),
                             "paths": [json.loads(s["json"])["path"] for s in samples]}
    print(json.dumps(result))
    """

    /// `--layout webdataset`: tar shards through libarchive, read by the `webdataset` package
    /// with the manifest's samples in plan order; tiles live only in the shards.
    @Test func webDatasetShardsReadWithTheManifestsSamples() throws {
        let folder = TemporaryFolder()
        var options = TileOptions()
        options.window = RasterSize(width: 128, height: 128)
        options.overlap = RasterSize(width: 32, height: 32, depth: 0)
        options.threads = 2
        options.format = .png
        options.labels = TileLabels(path: SplitSceneTests.aerialLabels)
        options.layout = .webdataset
        options.samplesPerShard = 16
        options.split = SplitOptions(shares: try SplitShares(parsing: "train=0.8,val=0.2"))
        let out = folder.file("out")
        try TileJob(source: SplitSceneTests.aerial, output: out, options: options).run()
        let manifest = try OutputFolder(path: out).readManifest()
        let result = try ClientPython.run(Self.webDatasetCheck, [out])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        for name in [SplitName.train, .val] {
            let entries = manifest.filter { $0.split == name }
            let r = try #require(report[name.rawValue] as? [String: Any])
            #expect(r["ids"] as? [String] == entries.map(\.id))
            #expect(r["paths"] as? [String] == entries.map(\.path))
            #expect(r["shards"] as? Int == (entries.count + 15) / 16)
            #expect(r["png"] as? Bool == true)
            #expect(entries.allSatisfy { $0.path.hasPrefix("shards/\(name.rawValue)-") && $0.path.contains(".tar#") })
        }
        // Written only into the shards: no tile file is left.
        let leftover = FileManager.default.enumerator(atPath: out + "/tiles")?.allObjects.compactMap { $0 as? String }.filter { $0.hasSuffix(".png") }
        #expect(leftover?.isEmpty ?? true)
    }
}
