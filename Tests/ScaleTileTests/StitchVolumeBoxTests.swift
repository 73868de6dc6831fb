import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Stack boxes (issue 14): the lesion boxes a sampled or tiled volume's manifest holds, given
/// back as 3-D predictions (JSONL `box` in patch voxels, score 1), stitch to the lesions scipy
/// finds in the mask (26-connected): recall 1 at 3-D IoU ≥ 0.9, no duplicate; their world
/// bounds equal the voxel corners through nibabel's affine of the NIfTI source.
@Suite("Stitch volume boxes", .serialized)
struct StitchVolumeBoxTests {
    static let medical = SharedData.packageRoot + "/SampleData/medical/"

    /// The manifest's lesion boxes as predictions, one JSONL line each.
    static func predictions(from out: String, to path: String) throws -> Int {
        let manifest = try String(contentsOfFile: out + "/manifest.jsonl", encoding: .utf8)
        var lines: [String] = []
        for line in manifest.split(separator: "\n") {
            let entry = try JSONDecoder().decode(ManifestEntry.self, from: Data(line.utf8))
            for lesion in entry.lesions ?? [] {
                let box = try #require(lesion.bbox).map { String($0) }.joined(separator: ",")
                lines.append(#"{"id":"\#(entry.id)","box":[\#(box)],"score":1,"class":"lesion"}"#)
            }
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return lines.count
    }

    @Test("sampled and tiled volumes: lesion boxes stitch back in voxels and world millimetres", arguments: [
        ["sample", "--strategy", "object-balanced", "--count", "30", "--patch", "48x48x48"],
        ["tile", "--patch", "64x64x48", "--overlap", "40x40x40"],
    ])
    func lesionBoxesRoundTrip(arguments: [String]) throws {
        let folder = TemporaryFolder()
        let image = Self.medical + "brain_mets_t1c.nii.gz", mask = Self.medical + "brain_mets_mask.nii.gz"
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, [arguments[0], image, "--labels", mask, "--out", out,
                                                                      "--format", arguments[0] == "tile" ? "npy" : "nifti", "--quiet"] + arguments.dropFirst())
        try #require(made.status == 0, "\(made.standardError)")
        let predictions = folder.file("p.jsonl")
        let count = try Self.predictions(from: out, to: predictions)
        let report = try StitchJob(run: out, predictions: predictions, output: folder.file("stitched")).run()
        #expect(report.predictions == count && report.warnings == StitchWarnings())
        #expect(report.files == ["detections.jsonl", "detections.csv"])
        #expect(report.detections == 10, "\(report.detections) detections from \(count) boxes")

        let result = try ClientPython.run(Self.judge, [mask, folder.file("stitched/detections.jsonl")])
        try #require(result.status == 0, "\(result.standardError)")
        let judged = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(judged["lesions"] as? Int == 10)
        #expect(judged["recall"] as? Double == 1, "\(judged)")
        #expect(judged["duplicates"] as? Int == 0, "\(judged)")
        #expect((judged["worldError"] as? Double ?? 1) < 1e-3, "\(judged)")
    }

    /// A patch at level 1 with `--scale-z` (each voxel 2 × 2 × 2 level-0 voxels): a box past the
    /// patch is clipped and counted, a per-slice box is one slice deep, a 2-D box without its
    /// slice is exit 65 naming the line.
    @Test("stack boxes: level and Z scaling, clipping, per-slice boxes, and a bad line")
    func stackBoxesAreMappedAndChecked() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.medical + "brain_mets_t1c.nii.gz", "--out", out, "--patch", "32x32x20",
                                                                      "--levels", "1", "--scale-z", "--format", "npy", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        // Patch (1, 0, 1) at level 1 covers level-0 x 64..<128, y 0..<64, z 40..<80.
        let id = "brain_mets_t1c_L1_x000064_y000000_z0040"
        let lines = [
            #"{"id":"\#(id)","box":[2,3,4,5,6,7],"score":0.9,"class":"lesion"}"#,
            #"{"id":"\#(id)","box":[30,0,0,5,2,2],"score":0.8,"class":"lesion"}"#,
            #"{"id":"\#(id)","bbox":[10,10,4,4],"slice":3,"score":0.7,"class":"lesion"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: folder.file("p.jsonl")))
        var options = StitchOptions()
        options.borderSuppression = false
        let report = try StitchJob(run: out, predictions: folder.file("p.jsonl"), output: folder.file("s"), options: options).run()
        #expect(report.warnings.clippedBoxes == 1 && report.detections == 3, "\(report.warningLines)")
        let csv = try String(contentsOfFile: folder.file("s/detections.csv"), encoding: .utf8).split(separator: "\n")
        try #require(csv.count == 4, "\(csv)")
        // x 64 + 2·2, y 0 + 3·2, z 40 + 4·2; sizes doubled. The clipped one keeps x 30..32 of the patch.
        #expect(csv[1].hasPrefix("1,lesion,0.9,68,6,48,10,12,14,"), "\(csv[1])")
        #expect(csv[2].hasPrefix("2,lesion,0.8,124,0,40,4,4,4,"), "\(csv[2])")
        #expect(csv[3].hasPrefix("3,lesion,0.7,84,20,46,8,8,2,"), "\(csv[3])")

        try Data(#"{"id":"\#(id)","bbox":[1,2,3,4],"score":1}"#.utf8).write(to: URL(fileURLWithPath: folder.file("bad.jsonl")))
        let bad = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", folder.file("bad.jsonl"), "--out", folder.file("b")])
        #expect(bad.status == 65 && bad.standardError.contains("line 1") && bad.standardError.split(separator: "\n").count == 1, "\(bad.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("b")))
    }

    @Test("stack boxes refuse COCO and YOLO input with one line")
    func stackBoxesComeAsJSONLines() throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.medical + "brain_mets_t1c.nii.gz", "--out", out,
                                                                      "--patch", "64x64x40", "--format", "nifti", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        try Data("[]".utf8).write(to: URL(fileURLWithPath: folder.file("p.json")))
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", folder.file("p.json"), "--out", folder.file("s")])
        #expect(run.status == 69 && run.standardError.contains(".jsonl keyed by manifest id"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("s")))
    }

    /// The judge: scipy's lesions of the mask against the stitched boxes (3-D IoU), and each
    /// box's `world` against its voxel-edge corners (centre − ½) through nibabel's affine.
    static let judge = #"""
import sys, json
import numpy as np, nibabel as nib, scipy.ndimage as ndi
mask_path, detections_path = sys.argv[1:3]
img = nib.load(mask_path)
labels, n = ndi.label(np.asanyarray(img.dataobj) != 0, structure=np.ones((3, 3, 3)))
lesions = [[s.start for s in b] + [s.stop for s in b] for b in ndi.find_objects(labels)]
boxes, world_error = [], 0.0
for line in open(detections_path):
    d = json.loads(line)
    x, y, z, w, h, dd = d['box']
    box = [x, y, z, x + w, y + h, z + dd]
    boxes.append(box)
    corners = np.array([[a, b, c] for a in (box[0], box[3]) for b in (box[1], box[4]) for c in (box[2], box[5])]) - 0.5
    world = nib.affines.apply_affine(img.affine, corners)
    world_error = max(world_error, float(np.abs(np.concatenate([world.min(0), world.max(0)]) - np.array(d['world'])).max()))
def iou(a, b):
    inter = np.prod([max(0, min(a[k + 3], b[k + 3]) - max(a[k], b[k])) for k in range(3)])
    va = np.prod([a[k + 3] - a[k] for k in range(3)]); vb = np.prod([b[k + 3] - b[k] for k in range(3)])
    return inter / (va + vb - inter)
found = duplicates = 0
for l in lesions:
    values = [iou(l, b) for b in boxes]
    found += max(values) >= 0.9
    duplicates += max(0, sum(v >= 0.5 for v in values) - 1)
print(json.dumps(dict(lesions=n, recall=found / n, duplicates=duplicates, worldError=world_error)))
"""#
}
