import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// `--yolo-segments`: polygon labels as YOLO segmentation lines, loaded by Ultralytics (client
/// environment; a missing client fails, naming scripts/client-venv.sh) and checked vertex by
/// vertex against shapely's clipping of the GeoJSON, independently of OGR in ScaleTile.
@Suite("YOLO segments", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct YOLOSegmentTests {
    static let buildings = SharedData.path("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif")
    static let footprints = SharedData.path("satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson")
    static let trees = SharedData.path("satellite/labeled/neon_osbs_trees/OSBS_029.tif")
    static let treeBoxes = SharedData.path("satellite/labeled/neon_osbs_trees/OSBS_029.csv")

    /// Ultralytics' own dataset check and a segment `YOLODataset` per split; then every label
    /// line against shapely: the footprint (map coordinates → level-0 pixels through the
    /// scene's geotransform from `gdalinfo -json`) clipped to the tile's window, its largest
    /// part's outer ring, normalised to the tile. Features are matched by id (GeoJSON ids are
    /// the features' 1-based positions).
    static let segmentCheck = """
    import json, os, subprocess, sys
    os.environ["YOLO_OFFLINE"] = "1"
    from ultralytics.data.utils import check_det_dataset, load_dataset_cache_file
    from ultralytics.data import YOLODataset
    from shapely.geometry import Polygon, box, shape
    from shapely.ops import transform
    out, scene, labels = sys.argv[1:4]
    data = check_det_dataset(os.path.join(out, "data.yaml"))
    result = {"names": [data["names"][i] for i in range(data["nc"])]}
    for split in ("train", "val"):
        ds = YOLODataset(img_path=data[split], data=data, task="segment", augment=False, imgsz=128, cache=False)
        nf, nm, ne, nc, n = load_dataset_cache_file(os.path.join(out, "labels", split + ".cache"))["results"]
        result[split] = {"images": len(ds.labels), "instances": int(sum(len(l["cls"]) for l in ds.labels)),
                         "segments": int(sum(len(l["segments"]) for l in ds.labels)),
                         "labelled": nf, "corrupt": nc}
    gt = json.loads(subprocess.run(["gdalinfo", "-json", scene], capture_output=True, check=True, text=True).stdout)["geoTransform"]
    def to_pixels(x, y):
        # North-up scene (no rotation terms).
        return ((x - gt[0]) / gt[1], (y - gt[3]) / gt[5])
    features = json.load(open(labels))["features"]
    polygons = {str(i + 1): transform(to_pixels, shape(f["geometry"])) for i, f in enumerate(features)}
    worst, lines, empty = 0.0, 0, 0
    for text in open(os.path.join(out, "manifest.jsonl")):
        entry = json.loads(text)
        w = entry["window"]
        tile = box(w["x"], w["y"], w["x"] + w["width"], w["y"] + w["height"])
        expected = []
        for obj in entry.get("objects", []):
            clipped = polygons[obj["id"]].intersection(tile)
            parts = [g for g in getattr(clipped, "geoms", [clipped]) if g.geom_type == "Polygon" and g.area > 0]
            if not parts:
                empty += 1
                continue
            ring = list(max(parts, key=lambda g: g.area).exterior.coords)[:-1]
            expected.append([((x - w["x"]) / w["width"], (y - w["y"]) / w["height"]) for x, y in ring])
        stem = os.path.splitext(os.path.basename(entry["path"]))[0]
        path = os.path.join(out, "labels", entry["split"], stem + ".txt")
        found = [[float(v) for v in l.split()[1:]] for l in open(path)] if os.path.exists(path) else []
        assert len(found) == len(expected), (entry["id"], len(found), len(expected))
        for values, ring in zip(found, expected):
            points = list(zip(values[0::2], values[1::2]))
            lines += 1
            # Symmetric nearest-vertex distance: the same outline whatever vertex it starts at.
            worst = max([worst] + [min(abs(px - qx) + abs(py - qy) for qx, qy in ring) for px, py in points]
                        + [min(abs(px - qx) + abs(py - qy) for px, py in points) for qx, qy in ring])
    result.update({"worst": worst, "lines": lines, "empty": empty})
    print(json.dumps(result))
    """

    @Test func spaceNetFootprintsLoadAsUltralyticsSegmentsMatchingShapely() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.buildings, "--labels", Self.footprints, "--tile-size", "128", "--overlap", "32",
            "--split", "train=0.8,val=0.2", "--layout", "yolo", "--yolo-segments", "--out", out, "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        let manifest = try OutputFolder(path: out).readManifest()
        let result = try ClientPython.run(Self.segmentCheck, [out, Self.buildings, Self.footprints])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try LayoutTests.json(result.standardOutput)
        #expect(report["names"] as? [String] == ["building"])
        var positives = 0
        for name in [SplitName.train, .val] {
            let entries = manifest.filter { $0.split == name }
            let objects = entries.reduce(0) { $0 + ($1.objects ?? []).count }
            positives += objects
            let r = try #require(report[name.rawValue] as? [String: Any], "\(name)")
            #expect(r["images"] as? Int == entries.count)
            // Every positive of the manifest is one segment instance, none corrupt.
            #expect(r["instances"] as? Int == objects, "\(name)")
            #expect(r["segments"] as? Int == objects, "\(name)")
            #expect(r["labelled"] as? Int == entries.filter { !($0.objects ?? []).isEmpty }.count)
            #expect(r["corrupt"] as? Int == 0)
        }
        #expect(positives > 40, "the scene's 43 footprints appear in several tiles each")
        #expect(report["empty"] as? Int == 0)
        #expect(report["lines"] as? Int == positives)
        #expect((report["worst"] as? Double ?? 1) < 1e-3, "vertex off by \(report["worst"] ?? "?")")
        // Some footprints are cut by tile edges: the clipping is exercised, not only whole outlines.
        #expect(manifest.contains { ($0.objects ?? []).contains { $0.truncated } })
    }

    /// `scaletile split --layout yolo --yolo-segments` re-reads the outlines from the run's label
    /// file: one segment line (at least three vertices) per positive the rewritten manifest lists.
    @Test func splitOfAFinishedRunWritesSegments() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let tile = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.buildings, "--labels", Self.footprints, "--tile-size", "128", "--overlap", "32", "--out", out, "--quiet"])
        #expect(tile.status == 0, "\(tile.standardError)")
        let split = try ExternalCommand.run(ExternalCommand.scaletile, [
            "split", out, "--split", "train=0.8,val=0.2", "--layout", "yolo", "--yolo-segments", "--quiet"])
        #expect(split.status == 0, "\(split.standardError)")
        let manifest = try OutputFolder(path: out).readManifest()
        var lines = 0
        for entry in manifest {
            let stem = ((entry.path as NSString).lastPathComponent as NSString).deletingPathExtension
            let text = (try? String(contentsOfFile: out + "/labels/\(entry.split!.rawValue)/\(stem).txt", encoding: .utf8)) ?? ""
            let found = text.split(separator: "\n").map { $0.split(separator: " ").count }
            #expect(found.count == (entry.objects ?? []).count, "\(entry.id)")
            #expect(found.allSatisfy { $0 >= 7 && $0 % 2 == 1 }, "\(entry.id)")
            lines += found.count
        }
        #expect(lines > 30)
    }

    /// Box-only labels (a CSV of tree crowns) become their clipped box's four corners, in the
    /// layout and in `--export yolo`; the boxes come from the CSV, clipped here by hand.
    @Test func boxesBecomeTheirClippedCorners() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", Self.trees, "--labels", Self.treeBoxes, "--tile-size", "128", "--overlap", "32",
            "--export", "yolo", "--yolo-segments", "--out", out, "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        let boxes = try String(contentsOfFile: Self.treeBoxes, encoding: .utf8).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",").dropFirst().prefix(4).map { Double($0)! }
        }
        let manifest = try OutputFolder(path: out).readManifest()
        var lines = 0
        for entry in manifest {
            let w = entry.window
            let text = (try? String(contentsOfFile: out + "/labels/\(entry.id).txt", encoding: .utf8)) ?? ""
            let found = text.split(separator: "\n").map { $0.split(separator: " ").dropFirst().map { Double($0)! } }
            #expect(found.count == (entry.objects ?? []).count, "\(entry.id)")
            for (object, values) in zip(entry.objects ?? [], found) {
                let b = boxes[try #require(Int(object.id)) - 1]
                let x0 = max(b[0], Double(w.x)) - Double(w.x), y0 = max(b[1], Double(w.y)) - Double(w.y)
                let x1 = min(b[2], Double(w.x + w.width)) - Double(w.x), y1 = min(b[3], Double(w.y + w.height)) - Double(w.y)
                let corners = [x0, y0, x1, y0, x1, y1, x0, y1].enumerated().map { $1 / Double($0 % 2 == 0 ? w.width : w.height) }
                #expect(values.count == 8 && zip(values, corners).allSatisfy { abs($0 - $1) < 1e-6 }, "\(entry.id) object \(object.id)")
                lines += 1
            }
        }
        #expect(lines > 61, "every crown in some tile, several in more than one")
    }

    /// `--yolo-segments` shapes YOLO labels: without a YOLO layout or export, or without labels,
    /// it is refused (64) before anything is written.
    @Test(arguments: [["--labels", Self.treeBoxes], []])
    func segmentsWithoutYOLOLabelsAreRefused(labels: [String]) throws {
        let folder = TemporaryFolder()
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.trees] + labels + [
            "--yolo-segments", "--out", folder.file("out")])
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains("--yolo-segments"))
        #expect(try folder.contents().isEmpty)
    }
}
