import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Box round trip (issue 14): a run's own clipped labels, given back as predictions with score 1,
/// stitch to the original objects — recall 100 % at IoU ≥ 0.9, no duplicate. The judge is a
/// Python script reading the source labels directly; it also runs SAHI's own merge
/// (`GreedyNMMPostprocess`, IOS 0.5, class-aware, as `get_sliced_prediction` does) on the same
/// per-tile boxes and reports its figures beside ours.
@Suite("Stitch boxes", .serialized)
struct StitchBoxTests {
    /// Tiles `scene` with `labels` through the CLI (COCO and YOLO exports), stitches the YOLO
    /// labels through the library, and returns the judge's figures.
    static func roundTrip(scene: String, labels: String, arguments: [String], in folder: TemporaryFolder,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> Judgement {
        let out = folder.file("out"), stitched = folder.file("stitched")
        let tiled = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", scene, "--labels", labels, "--out", out,
                                                                        "--export", "coco,yolo", "--quiet"] + arguments)
        try #require(tiled.status == 0, "tile failed: \(tiled.standardError)", sourceLocation: sourceLocation)
        let report = try StitchJob(run: out, predictions: out + "/labels", output: stitched).run()
        #expect(report.warnings == StitchWarnings(), "\(report.warningLines)", sourceLocation: sourceLocation)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: stitched))
                == ["detections.coco.json", "detections.geojson", "detections.csv"], sourceLocation: sourceLocation)
        let judged = try ClientPython.run(judge, [out, labels, stitched + "/detections.coco.json"])
        try #require(judged.status == 0, "the judge failed: \(judged.standardError)", sourceLocation: sourceLocation)
        let judgement = try JSONDecoder().decode(Judgement.self, from: Data(judged.standardOutput.utf8))
        print("stitch round trip \((scene as NSString).lastPathComponent): \(judgement.predictions) tile boxes, \(judgement.scaletile.objects) objects; "
              + "ScaleTile (nmm/ios 0.5 + border suppression): recall \(judgement.scaletile.recall), duplicates \(judgement.scaletile.duplicates), "
              + "unmatched \(judgement.scaletile.unmatched); SAHI GREEDYNMM IOS 0.5: recall \(judgement.sahi.recall), "
              + "duplicates \(judgement.sahi.duplicates), unmatched \(judgement.sahi.unmatched)")
        #expect(judgement.scaletile.objects > 0, sourceLocation: sourceLocation)
        #expect(judgement.predictions > judgement.scaletile.objects, "overlap and levels show objects more than once", sourceLocation: sourceLocation)
        #expect(judgement.scaletile.recall == 1, sourceLocation: sourceLocation)
        #expect(judgement.scaletile.duplicates == 0, sourceLocation: sourceLocation)
        #expect(judgement.scaletile.unmatched == 0, sourceLocation: sourceLocation)
        return judgement
    }

    struct Figures: Decodable { var objects: Int; var recall: Double; var duplicates: Int; var unmatched: Int; var boxes: Int }
    struct Judgement: Decodable { var predictions: Int; var scaletile: Figures; var sahi: Figures }

    @Test func aerialVehiclesStitchBackToTheirObjects() throws {
        let folder = TemporaryFolder()
        _ = try Self.roundTrip(scene: SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif",
                               labels: SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.coco.json",
                               arguments: ["--tile-size", "256", "--overlap", "64", "--levels", "0-1"], in: folder)
    }

    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)),
          arguments: [("satellite/labeled/neon_osbs_trees/OSBS_029.tif", "satellite/labeled/neon_osbs_trees/OSBS_029.csv", "128"),
                      ("satellite/labeled/spacenet4_atlanta/sample_geotiff.tif", "satellite/labeled/spacenet4_atlanta/sample_geotiff.tif.txt", "256")])
    func labelledScenesStitchBackToTheirObjects(scene: String, labels: String, tileSize: String) throws {
        let folder = TemporaryFolder()
        _ = try Self.roundTrip(scene: SharedData.path(scene), labels: SharedData.path(labels),
                               arguments: ["--tile-size", tileSize, "--overlap", "64", "--levels", "0-1"], in: folder)
    }

    /// Objects from 4 px to over 1000 px (Pareto sizes, placed apart), tiled 512 with overlap 64
    /// at levels 0–3: the large ones are cut into many pieces at level 0 and whole only at
    /// coarser levels; border suppression drops the pieces.
    @Test func heavyTailedSceneStitchesBackAcrossLevels() throws {
        let folder = TemporaryFolder()
        let scene = folder.file("heavy.tif"), labels = folder.file("heavy.coco.json")
        let created = try ExternalCommand.run("gdal_create", ["-q", "-of", "GTiff", "-outsize", "3000", "3000", "-bands", "1", "-ot", "Byte",
                                                              "-burn", "60", "-a_srs", "EPSG:32632", "-a_ullr", "500000", "5003000", "503000", "5000000", scene])
        try #require(created.status == 0, "gdal_create: \(created.standardError)")
        let objects = Self.heavyTailedObjects(sceneSize: 3000, count: 400)
        #expect(objects.contains { ($0[2] * $0[3]).squareRoot() > 1000 } && objects.contains { ($0[2] * $0[3]).squareRoot() < 6 })
        let document = COCODataset(
            images: [.init(id: 1, fileName: "heavy.tif", width: 3000, height: 3000)],
            annotations: objects.enumerated().map { .init(id: $0 + 1, imageID: 1, categoryID: 1 + $0 % 2, bbox: $1) },
            categories: [.init(id: 1, name: "ship"), .init(id: 2, name: "platform")])
        try JSONEncoder().encode(document).write(to: URL(fileURLWithPath: labels))
        let judgement = try Self.roundTrip(scene: scene, labels: labels,
                                           arguments: ["--tile-size", "512", "--overlap", "64", "--levels", "0-3"], in: folder)
        #expect(judgement.scaletile.objects == objects.count)
    }

    /// Bad predictions: one counted warning per kind (unknown tile, box past its tile — clipped —,
    /// NaN and negative scores — dropped —); `--strict` makes them exit 65 with nothing written;
    /// a folder that is not a ScaleTile output is exit 65. The GeoJSON is in the scene's CRS
    /// (read back by ogrinfo) and `--to-wgs84` agrees with gdaltransform.
    @Test func badPredictionsAreCountedAndStrictRefusesThem() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out"), predictions = folder.file("p.jsonl")
        let scene = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif"
        let tiled = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", scene, "--out", out, "--tile-size", "256", "--overlap", "0", "--quiet"])
        try #require(tiled.status == 0, "\(tiled.standardError)")
        let id = "aerial_vehicles_L0_x000256_y000256"
        let lines = [
            #"{"id": "\#(id)", "bbox": [10, 20, 30, 40], "score": 0.9, "class": "car"}"#,
            #"{"id": "\#(id)", "bbox": [240, 100, 30, 10], "score": 0.8, "class": "car"}"#,
            #"{"id": "\#(id)", "bbox": [50, 50, 5, 5], "score": "NaN", "class": "car"}"#,
            #"{"id": "\#(id)", "bbox": [60, 60, 5, 5], "score": -0.1, "class": "car"}"#,
            #"{"id": "nowhere", "bbox": [1, 1, 5, 5], "score": 0.5, "class": "car"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: predictions))
        let stitched = folder.file("stitched")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", predictions, "--out", stitched])
        #expect(run.status == 0, "\(run.standardError)")
        let warnings = run.standardError.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 3, "\(warnings)")
        #expect(warnings.contains { $0.contains("1 predictions name tiles not in the manifest") })
        #expect(warnings.contains { $0.contains("1 boxes reach past their tile") })
        #expect(warnings.contains { $0.contains("2 boxes have a NaN") })
        let csv = try String(contentsOfFile: stitched + "/detections.csv", encoding: .utf8).split(separator: "\n")
        // Header + two boxes: (266, 276, 30, 40) and the clipped one (496, 356, 16, 10), score order.
        try #require(csv.count == 3, "\(csv)")
        #expect(csv[1].hasPrefix("1,car,0.9,266,276,30,40,"), "\(csv)")
        #expect(csv[2].hasPrefix("2,car,0.8,496,356,16,10,"), "\(csv)")

        let info = try ExternalCommand.run("ogrinfo", ["-al", "-so", stitched + "/detections.geojson"])
        #expect(info.standardOutput.contains("Feature Count: 2") && info.standardOutput.contains("32632"), "\(info.standardOutput)")
        let wgs = folder.file("wgs")
        #expect(try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", predictions, "--out", wgs, "--to-wgs84", "--quiet"]).status == 0)
        struct Collection: Decodable { struct F: Decodable { struct G: Decodable { var coordinates: [[[Double]]] }; var geometry: G }; var features: [F] }
        let corner = try JSONDecoder().decode(Collection.self, from: Data(contentsOf: URL(fileURLWithPath: wgs + "/detections.geojson"))).features[0].geometry.coordinates[0][0]
        // Its first corner is the box's top-left pixel (266, 276) through the scene's geotransform, then to WGS 84.
        let truth = try ExternalCommand.run("sh", ["-c", "echo 266 276 | gdaltransform -t_srs EPSG:4326 -output_xy \"$0\"", scene])
        let expected = truth.standardOutput.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        #expect(expected.count == 2 && abs(corner[0] - expected[0]) < 1e-7 && abs(corner[1] - expected[1]) < 1e-7, "\(corner) vs \(expected)")

        let strict = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", predictions, "--out", folder.file("strict"), "--strict"])
        #expect(strict.status == 65 && strict.standardError.hasPrefix("error: ") && !FileManager.default.fileExists(atPath: folder.file("strict")), "\(strict.standardError)")
        let notRun = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", folder.path, "--predictions", predictions, "--out", folder.file("x")])
        #expect(notRun.status == 65 && notRun.standardError.contains("not a ScaleTile output"), "\(notRun.standardError)")
    }

    /// `[x, y, width, height]` boxes with Pareto sizes (α 0.9, from 4 px) plus two above 1000 px,
    /// at least 4 px apart, placed largest first by a seeded generator.
    static func heavyTailedObjects(sceneSize: Double, count: Int) -> [[Double]] {
        var random = SeededRandom(seed: 14)
        var sizes = [1150.0, 1020.0] + (0 ..< count).map { _ in Swift.min(900, 4 * Foundation.pow(1 - random.unit(), -1 / 0.9)) }
        sizes.sort(by: >)
        var placed: [[Double]] = []
        for s in sizes {
            for _ in 0 ..< 200 {
                let aspect = 0.7 + 0.7 * random.unit()
                let w = s * aspect.squareRoot(), h = s / aspect.squareRoot()
                let x = ((random.unit() * (sceneSize - w)) * 100).rounded() / 100, y = ((random.unit() * (sceneSize - h)) * 100).rounded() / 100
                let box = [x, y, (w * 100).rounded() / 100, (h * 100).rounded() / 100]
                let apart = placed.allSatisfy { p in
                    box[0] + box[2] + 4 <= p[0] || p[0] + p[2] + 4 <= box[0] || box[1] + box[3] + 4 <= p[1] || p[1] + p[3] + 4 <= box[1]
                }
                if apart { placed.append(box); break }
            }
        }
        return placed
    }

    /// The judge: recall at IoU ≥ 0.9 and duplicates (a second box of the class with IoU ≥ 0.5
    /// to one object) of ScaleTile's output and of SAHI's merge, against the source labels.
    static let judge = """
import json, sys, os, glob
out, truth_path, ours_path = sys.argv[1:4]
entries = {}
for line in open(os.path.join(out, 'manifest.jsonl')):
    e = json.loads(line); entries[e['id']] = e
classes = [l.strip() for l in open(os.path.join(out, 'labels', 'classes.txt')) if l.strip()]
W, H = json.load(open(os.path.join(out, 'summary.json')))['sceneSize']
if truth_path.endswith('.json'):
    truth = json.load(open(truth_path))
    names = {c['id']: c['name'] for c in truth['categories']}
    objects = [(names[a['category_id']], a['bbox'][0], a['bbox'][1], a['bbox'][0] + a['bbox'][2], a['bbox'][1] + a['bbox'][3]) for a in truth['annotations']]
elif truth_path.endswith('.csv'):  # DeepForest: image_path,xmin,ymin,xmax,ymax,label
    rows = [l.strip().split(',') for l in open(truth_path)][1:]
    objects = [(r[5], float(r[1]), float(r[2]), float(r[3]), float(r[4])) for r in rows if len(r) == 6]
else:  # YOLO, normalised to the scene
    objects = []
    for l in open(truth_path):
        c, cx, cy, w, h = l.split()[:5]
        cx, cy, w, h = float(cx) * W, float(cy) * H, float(w) * W, float(h) * H
        objects.append((c, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))

def iou(a, b):
    w = min(a[3], b[3]) - max(a[1], b[1]); h = min(a[4], b[4]) - max(a[2], b[2])
    if w <= 0 or h <= 0: return 0.0
    i = w * h
    return i / ((a[3] - a[1]) * (a[4] - a[2]) + (b[3] - b[1]) * (b[4] - b[2]) - i)

def score(boxes):
    found = dup = 0
    matched = set()
    for o in objects:
        best = 0.0; same = 0
        for k, b in enumerate(boxes):
            if b[0] != o[0]: continue
            v = iou(o, b)
            best = max(best, v)
            if v >= 0.5: same += 1; matched.add(k)
        found += best >= 0.9
        dup += max(0, same - 1)
    return {'objects': len(objects), 'recall': found / len(objects), 'duplicates': dup,
            'unmatched': len(boxes) - len(matched), 'boxes': len(boxes)}

ours_doc = json.load(open(ours_path))
cat = {c['id']: c['name'] for c in ours_doc['categories']}
ours = [(cat[a['category_id']], a['bbox'][0], a['bbox'][1], a['bbox'][0] + a['bbox'][2], a['bbox'][1] + a['bbox'][3]) for a in ours_doc['annotations']]

# SAHI's own merge (GREEDYNMM, IOS 0.5, class-aware, as get_sliced_prediction) on the same per-tile boxes.
from sahi.prediction import ObjectPrediction
from sahi.postprocess.combine import GreedyNMMPostprocess
predictions = []
for path in sorted(glob.glob(os.path.join(out, 'labels', '*.txt'))):
    stem = os.path.basename(path)[:-4]
    if stem == 'classes': continue
    e = entries[stem]; f = 2.0 ** e['level']; w = e['window']
    tw, th = w['width'] / f, w['height'] / f
    for line in open(path):
        c, cx, cy, bw, bh = line.split()[:5]
        cx, cy, bw, bh = float(cx) * tw, float(cy) * th, float(bw) * tw, float(bh) * th
        box = [w['x'] + (cx - bw / 2) * f, w['y'] + (cy - bh / 2) * f, w['x'] + (cx + bw / 2) * f, w['y'] + (cy + bh / 2) * f]
        predictions.append(ObjectPrediction(bbox=box, category_id=int(c), category_name=classes[int(c)], score=1.0, full_shape=[H, W]))
merged = GreedyNMMPostprocess(match_threshold=0.5, match_metric='IOS', class_agnostic=False)(predictions)
sahi = [(p.category.name, *map(float, p.bbox.to_xyxy())) for p in merged]
print(json.dumps({'predictions': len(predictions), 'scaletile': score(ours), 'sahi': score(sahi)}))
"""
}
