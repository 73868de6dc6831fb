import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Polygon predictions (issue 14): a run's own clipped polygons (`labels.geojson`, per tile, in
/// the scene's CRS) turned into tile pixels by the client, given back as COCO results with
/// `segmentation` or as JSONL `polygon`, stitch to the original outlines: shapely's polygon IoU
/// ≥ 0.9 for every object in `detections.geojson`, no duplicate, and the COCO output's
/// polygons are the same outlines in scene pixels.
@Suite("Stitch polygons", .serialized)
struct StitchPolygonTests {
    static let satellite = SharedData.packageRoot + "/SampleData/satellite/"

    @Test("the bundled buildings' clipped polygons stitch back to their outlines", arguments: ["json", "jsonl"])
    func buildingsStitchBack(form: String) throws {
        try Self.roundTrip(scene: Self.satellite + "buildings.tif", labels: Self.satellite + "buildings.geojson", objects: 466,
                           levels: "0-1", form: form)
    }

    /// Real outlines, 34 of 43 concave (compared by boxes where both are concave).
    @Test("SpaceNet's building outlines stitch back", .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
    func spaceNetStitchesBack() throws {
        let folder = "satellite/labeled/spacenet4_atlanta/"
        try Self.roundTrip(scene: SharedData.path(folder + "sample_geotiff.tif"), labels: SharedData.path(folder + "geotiff_labels.geojson"),
                           objects: 43, levels: "0", form: "json")
    }

    static func roundTrip(scene: String, labels: String, objects: Int, levels: String, form: String) throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, [
            "tile", scene, "--labels", labels, "--out", out,
            "--tile-size", "256", "--overlap", "64", "--levels", levels, "--export", "geojson", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        let predictions = folder.file("p." + form)
        let prepared = try ClientPython.run(Self.prepare, [out, predictions])
        try #require(prepared.status == 0, "\(prepared.standardError)")
        let count = try #require(Int(prepared.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))

        let report = try StitchJob(run: out, predictions: predictions, output: folder.file("stitched")).run()
        #expect(report.predictions == count && report.warnings == StitchWarnings(), "\(report.warningLines)")

        let judged = try ClientPython.run(Self.judge, [labels, folder.file("stitched"), scene])
        try #require(judged.status == 0, "\(judged.standardError)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(judged.standardOutput.utf8)) as? [String: Any])
        print("stitch polygons \((scene as NSString).lastPathComponent) (\(form)): \(count) tile polygons, \(judged.standardOutput)")
        #expect(result["objects"] as? Int == objects)
        #expect(result["recall"] as? Double == 1, "\(result)")
        #expect(result["duplicates"] as? Int == 0 && result["unmatched"] as? Int == 0, "\(result)")
        // The GeoJSON's coordinates have four decimals: 0.1 mm on 0.5 m pixels.
        #expect((result["cocoMismatch"] as? Double ?? 1) < 1e-4, "\(result)")
    }

    @Test("a polygon past its tile is clipped to it, counted once")
    func polygonPastItsTileIsClipped() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.satellite + "buildings.tif", "--out", out,
                                                                      "--tile-size", "256", "--overlap", "0", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        // A triangle reaching 56 px past the tile's right edge (tile at x 256): clipped at x = 256 of the tile.
        let line = #"{"id":"buildings_L0_x000256_y000000","polygon":[[[200,10],[312,10],[200,66],[200,10]]],"score":0.5,"class":"roof"}"#
        try Data(line.utf8).write(to: URL(fileURLWithPath: folder.file("p.jsonl")))
        let report = try StitchJob(run: out, predictions: folder.file("p.jsonl"), output: folder.file("s")).run()
        #expect(report.warnings.clippedBoxes == 1 && report.detections == 1)
        struct Document: Decodable { struct A: Decodable { var bbox: [Double]; var area: Double; var segmentation: [[Double]] }; var annotations: [A] }
        let a = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: folder.file("s/detections.coco.json")))).annotations[0]
        // The clipped trapezoid: x 456..512 (scene), y 10..66 at x 456, down to y 10..38 at x 512: area 56·(56 + 28)/2.
        #expect(a.bbox == [456, 10, 56, 56] && a.area == 2352, "\(a)")
        #expect(a.segmentation[0].count == 8, "\(a.segmentation)")
    }

    /// Tile-pixel polygons from `labels.geojson`: map → scene pixel through the scene's
    /// geotransform (from the manifest's bounds), minus the window origin, divided by 2^level.
    static let prepare = #"""
import sys, json
out, target = sys.argv[1:3]
entries = {}
for line in open(out + '/manifest.jsonl'):
    e = json.loads(line); entries[e['id']] = e
e0 = next(iter(entries.values()))
b, w = e0['bounds'], e0['window']
px = (b[2] - b[0]) / w['width']; py = (b[3] - b[1]) / w['height']
ox, oy = b[0] - w['x'] * px, b[3] + w['y'] * py
records = []
for f in json.load(open(out + '/labels.geojson'))['features']:
    e = entries[f['properties']['tile']]; s = 2.0 ** e['level']; w = e['window']
    geometry = f['geometry']
    rings = [geometry['coordinates'][0]] if geometry['type'] == 'Polygon' else [p[0] for p in geometry['coordinates']]
    for ring in rings:
        pts = [((x - ox) / px - w['x']) / s for x, _ in ring], [((oy - y) / py - w['y']) / s for _, y in ring]
        records.append((e, list(zip(*pts))))
if target.endswith('.jsonl'):
    with open(target, 'w') as f:
        for e, ring in records:
            f.write(json.dumps({'id': e['id'], 'polygon': [[list(p) for p in ring]], 'score': 1, 'class': 'building'}) + '\n')
else:
    results = []
    for e, ring in records:
        xs = [p[0] for p in ring]; ys = [p[1] for p in ring]
        results.append({'file_name': e['path'], 'category_id': 1, 'score': 1,
                        'bbox': [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
                        'segmentation': [[v for p in ring[:-1] for v in p]]})
    json.dump(results, open(target, 'w'))
print(len(records))
"""#

    /// Shapely's IoU of each original outline with the stitched GeoJSON polygons; and the COCO
    /// polygons (scene pixels) through the geotransform against the GeoJSON ones.
    static let judge = #"""
import sys, json
from shapely.geometry import shape, Polygon
truth_path, stitched, scene = sys.argv[1:4]
truth = [shape(f['geometry']) for f in json.load(open(truth_path))['features']]
ours = [shape(f['geometry']) for f in json.load(open(stitched + '/detections.geojson'))['features']]
found = duplicates = 0; matched = set()
for t in truth:
    values = [(t.intersection(o).area / t.union(o).area if t.intersects(o) else 0.0) for o in ours]
    found += max(values) >= 0.9
    same = [k for k, v in enumerate(values) if v >= 0.5]
    duplicates += max(0, len(same) - 1); matched.update(same)
# The COCO polygons are the GeoJSON ones in scene pixels: map them through the geotransform.
import subprocess
info = json.loads(subprocess.run(['gdalinfo', '-json', scene], capture_output=True, text=True).stdout)
g = info['geoTransform']
coco = json.load(open(stitched + '/detections.coco.json'))['annotations']
mismatch = 0.0
for a, o in zip(coco, ours):
    flat = a['segmentation'][0]
    ring = Polygon([(g[0] + x * g[1] + y * g[2], g[3] + x * g[4] + y * g[5]) for x, y in zip(flat[::2], flat[1::2])])
    mismatch = max(mismatch, ring.symmetric_difference(o).area / o.area)
print(json.dumps(dict(objects=len(truth), detections=len(ours), recall=found / len(truth), duplicates=duplicates,
                      unmatched=len(ours) - len(matched), cocoMismatch=mismatch)))
"""#
}
