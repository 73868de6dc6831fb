import Foundation
import Testing
import TestSupport

/// Small generated NIfTI cases for the training tests: image volumes and lesion masks whose
/// lesions (non-touching balls) are counted by construction.
enum GeneratedCases {
    /// Writes `count` cases `case{i}.nii.gz` into `folder/images` and their masks (labels 0 and 1)
    /// into `folder/masks` (`.nii.gz`, or gzip NRRD in LPS with `nrrd`), each of `size` voxels,
    /// spacing 1.2 × 1.2 × 2.5 mm, with a slightly sheared affine (`oblique`) or an axis-aligned
    /// one; case i holds i + 1 lesions (i from 0) of 1 to 4 voxels' radius. Prints, as JSON, the
    /// lesions per case.
    static let script = #"""
import sys, json, os
import numpy as np, nibabel as nib, nrrd
folder, count = sys.argv[1], int(sys.argv[2])
size = tuple(int(v) for v in sys.argv[3].split('x'))
mask_format, oblique = sys.argv[4], sys.argv[5] == 'oblique'
os.makedirs(folder + '/images', exist_ok=True); os.makedirs(folder + '/masks', exist_ok=True)
rng = np.random.default_rng(11)
lesions = {}
for i in range(count):
    shear = 1 if oblique else 0
    affine = np.array([[1.2, 0.05 * shear, 0, -30 + i], [0, 1.2, 0.1 * shear, 12], [0, 0, 2.5, -20], [0, 0, 0, 1]])
    image = rng.normal(100, 10, size).astype(np.int16)
    mask = np.zeros(size, np.uint8)
    placed = []
    while len(placed) < i + 1:
        r = int(rng.integers(1, 5))
        c = [int(rng.integers(r + 1, s - r - 1)) for s in size[:2]] + [int(rng.integers(1, size[2] - 1))]
        if any(np.hypot(c[0] - p[0], c[1] - p[1]) < r + p[3] + 3 for p in placed): continue
        placed.append(c + [r])
        x, y, z = np.ogrid[:size[0], :size[1], :size[2]]
        ball = (x - c[0]) ** 2 + (y - c[1]) ** 2 + ((z - c[2]) * 2.5 / 1.2) ** 2 <= r * r
        mask[ball] = 1; image[ball] += 200
    nib.save(nib.Nifti1Image(image, affine), '%s/images/case%d.nii.gz' % (folder, i))
    if mask_format == 'nrrd':
        lps = np.diag([-1, -1, 1, 1]) @ affine
        nrrd.write('%s/masks/case%d.nrrd' % (folder, i), mask, {'space': 'left-posterior-superior', 'encoding': 'gzip',
                   'space directions': lps[:3, :3].T, 'space origin': lps[:3, 3], 'kinds': ['domain'] * 3})
    else:
        nib.save(nib.Nifti1Image(mask, affine), '%s/masks/case%d.nii.gz' % (folder, i))
    lesions['case%d' % i] = len(placed)
print(json.dumps(lesions))
"""#

    /// Makes the cases and returns the lesions per case name.
    static func make(in folder: String, count: Int, size: String, masks: String = "nifti", oblique: Bool = true) throws -> [String: Int] {
        let result = try ClientPython.run(script, [folder, String(count), size, masks, oblique ? "oblique" : "aligned"])
        try #require(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Int])
    }
}

/// `split.by: source` (the default for stacks and volumes): a run over five generated volumes
/// assigns whole volumes to train, val and test; every manifest line's split is its volume's,
/// the shares are as asked (3/1/1), each source's lesions are the generator's, and the run's
/// MONAI datalist lists each split's pairs.
@Suite("Volume split by source", .serialized)
struct VolumeSourceSplitTests {
    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func preset(_ extra: String = "") -> String {
        """
        version: 1
        name: cases
        domain: medical
        job: tile
        input:
          paths: images/case*.nii.gz
        labels:
          path: masks/{stem}.nii.gz
        tiling:
          size: 16x16x12
          overlap: 0
        output:
          format: nifti
          layout: monai
        split:
          shares: train=0.6,val=0.2,test=0.2
        seed: 5
        \(extra)
        """
    }

    @Test("five volumes: whole volumes per split, 3/1/1, deterministic; manifest and datalist agree")
    func wholeVolumes() throws {
        let folder = TemporaryFolder("scaletile-source-split")
        let lesions = try GeneratedCases.make(in: folder.path, count: 5, size: "40x36x12")
        try Self.preset().write(toFile: folder.file("cases.yaml"), atomically: true, encoding: .utf8)
        var splitsOfRuns: [[String: String]] = []
        for out in ["a", "b"] {
            let run = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("cases.yaml"), "--out", folder.file(out), "--quiet"])
            try #require(run.status == 0, "\(run.standardError)")
            let summary = try Self.json(folder.file("\(out)/summary.json"))
            let split = try #require(summary["split"] as? [String: Any])
            #expect(split["by"] as? String == "source")
            #expect(split["sourcesInTwoSplits"] as? Int == 0)
            let sources = try #require(split["sources"] as? [[String: Any]])
            #expect(sources.count == 5)
            var splitOf: [String: String] = [:]
            for s in sources {
                let path = try #require(s["source"] as? String)
                splitOf[path] = s["split"] as? String
                let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.replacingOccurrences(of: ".nii", with: "")
                #expect(s["objects"] as? Int == lesions[stem], "\(stem)")
            }
            let perSplit = Dictionary(grouping: splitOf.values, by: { $0 }).mapValues(\.count)
            #expect(perSplit == ["train": 3, "val": 1, "test": 1])
            // Every manifest line lies in its source's split.
            let manifest = try String(contentsOfFile: folder.file("\(out)/manifest.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(manifest.count == 5 * 3 * 3)  // 40x36x12 in 16x16x12 patches, edges shifted in
            var listed: [String: Int] = [:]
            for line in manifest {
                let source = try #require(line["source"] as? String)
                #expect(line["split"] as? String == splitOf[source], "\(line["id"] ?? "")")
                listed[line["split"] as? String ?? "", default: 0] += 1
            }
            // The run's datalist lists each split's pairs, relative to the run's folder.
            let datalist = try Self.json(folder.file("\(out)/datalist.json"))
            for (key, name) in [("training", "train"), ("validation", "val"), ("test", "test")] {
                let items = try #require(datalist[key] as? [[String: Any]], "\(key)")
                #expect(items.count == listed[name])
                for item in items {
                    let image = try #require(item["image"] as? String)
                    #expect(FileManager.default.fileExists(atPath: folder.file("\(out)/\(image)")), "\(image)")
                }
            }
            splitsOfRuns.append(splitOf)
        }
        #expect(splitsOfRuns[0] == splitsOfRuns[1])
    }

    @Test("two shards merged give the unsharded run's split and manifest")
    func shardsMerge() throws {
        let folder = TemporaryFolder("scaletile-source-split")
        _ = try GeneratedCases.make(in: folder.path, count: 4, size: "40x36x12")
        try Self.preset().replacingOccurrences(of: "layout: monai", with: "layout: folder")
            .write(toFile: folder.file("cases.yaml"), atomically: true, encoding: .utf8)
        for (out, extra) in [("whole", []), ("s1", ["--shard", "1/2"]), ("s2", ["--shard", "2/2"])] {
            let run = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("cases.yaml"), "--out", folder.file(out), "--quiet"] + extra)
            try #require(run.status == 0, "\(run.standardError)")
        }
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", folder.file("s1"), folder.file("s2"), "--out", folder.file("merged"), "--quiet"])
        try #require(merge.status == 0, "\(merge.standardError)")
        let whole = try #require(try Self.json(folder.file("whole/summary.json"))["split"] as? NSDictionary)
        let merged = try #require(try Self.json(folder.file("merged/summary.json"))["split"] as? NSDictionary)
        #expect(whole == merged)
        let lines = { (out: String) in try String(contentsOfFile: folder.file("\(out)/manifest.jsonl"), encoding: .utf8).split(separator: "\n").sorted() }
        #expect(try lines("whole") == lines("merged"))
    }

    @Test("three scenes split by source: one scene per split, every tile in its scene's split")
    func scenes() throws {
        let folder = TemporaryFolder("scaletile-source-split")
        let root = SharedData.packageRoot + "/SampleData/satellite/"
        try """
        version: 1
        name: scenes
        job: tile
        input:
          paths: [\(root)buildings.tif, \(root)s2_ships.tif, \(root)aerial_vehicles.tif]
        tiling:
          size: 256
        split:
          shares: train=0.6,val=0.2,test=0.2
          by: source
        """.write(toFile: folder.file("scenes.yaml"), atomically: true, encoding: .utf8)
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("scenes.yaml"), "--out", folder.file("o"), "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let split = try #require(try Self.json(folder.file("o/summary.json"))["split"] as? [String: Any])
        let sources = try #require(split["sources"] as? [[String: Any]])
        let splitOf = Dictionary(uniqueKeysWithValues: sources.map { ($0["source"] as? String ?? "", $0["split"] as? String ?? "") })
        #expect(Set(splitOf.values) == ["train", "val", "test"])
        let lines = try String(contentsOfFile: folder.file("o/manifest.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(entry["split"] as? String == splitOf[entry["source"] as? String ?? ""])
        }
    }

    @Test("fewer inputs than splits, or blocks on volumes, are refused (exit 64 and 69), nothing written")
    func refused() throws {
        let folder = TemporaryFolder("scaletile-source-split")
        _ = try GeneratedCases.make(in: folder.path, count: 2, size: "20x20x6")
        try Self.preset().write(toFile: folder.file("cases.yaml"), atomically: true, encoding: .utf8)
        let few = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("cases.yaml"), "--out", folder.file("o"), "--quiet"])
        #expect(few.status == 64, "\(few.standardError)")
        #expect(few.standardError.contains("at least 3 inputs"), "\(few.standardError)")
        let blocks = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("cases.yaml"), "--out", folder.file("o"), "--quiet",
                                                                          "--set", "split.by=blocks", "--set", "split.shares=train=0.5,val=0.5"])
        #expect(blocks.status == 69, "\(blocks.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("o")))
    }
}
