import Foundation
import Testing
import TestSupport

/// `--layout nnunet`: an nnU-Net v2 raw dataset from brain1 and breast1 (NRRD, LPS, with their
/// masks) and three generated NIfTI volumes with gzip NRRD masks, judged by nnU-Net itself —
/// `verify_dataset_integrity` and `nnUNetv2_plan_and_preprocess -c 3d_fullres` — and by
/// nibabel/pynrrd: every case file holds the source's voxels at its (cropped) window, with the
/// source's affine moved to the window's first voxel (1e-4 mm).
@Suite("Volume nnU-Net layout", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumeNNUNetTests {
    /// Each manifest line's image and label files against the source arrays and affines; then,
    /// given a folder, nnU-Net's own integrity check on it.
    static let checkScript = #"""
import sys, json, os
import numpy as np, nibabel as nib, nrrd
out, verify = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
def load(p):
    if os.path.realpath(p).endswith('.nrrd'):
        data, h = nrrd.read(p)
        aff = np.eye(4); aff[:3, :3] = np.asarray(h['space directions'], float).T; aff[:3, 3] = h['space origin']
        return data, np.diag([-1, -1, 1, 1]) @ aff
    img = nib.load(p)
    return np.asanyarray(img.dataobj), img.affine
bad, cases, tight = [], {}, 0
for line in open(os.path.join(out, 'manifest.jsonl')):
    m = json.loads(line); w = m['window']
    sl = (slice(w['x'], w['x'] + w['width']), slice(w['y'], w['y'] + w['height']), slice(w['z'], w['z'] + w['depth']))
    image, affine = load(m['source'])
    mask_source = m['source'].replace('/images/', '/masks/')
    mask_source = mask_source if os.path.exists(mask_source) else os.path.splitext(os.path.splitext(mask_source)[0])[0] + '.nrrd'
    labels, _ = load(mask_source)
    expected = affine @ np.array([[1, 0, 0, w['x']], [0, 1, 0, w['y']], [0, 0, 1, w['z']], [0, 0, 0, 1]])
    for path, want in [(m['path'], image[sl]), (m['mask'], labels[sl])]:
        f = nib.load(os.path.join(out, path))
        got = np.asanyarray(f.dataobj)
        if got.shape != want.shape or not np.array_equal(got, want): bad.append(path + ' voxels')
        if np.abs(f.affine - expected).max() > 1e-4: bad.append('%s affine off by %g' % (path, np.abs(f.affine - expected).max()))
    if np.abs(np.asarray(m['affine']) - expected).max() > 1e-4: bad.append(m['id'] + ' manifest affine')
    got = np.asanyarray(nib.load(os.path.join(out, m['mask'])).dataobj)
    nz = np.argwhere(got)
    if len(nz) and (nz.min(0) == 0).all() and (nz.max(0) == np.array(got.shape) - 1).all(): tight += 1
    cases[m['id']] = dict(split=m['split'], shape=list(got.shape), folder=m['path'].split('/')[1])
if verify:
    from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity
    verify_dataset_integrity(verify, num_processes=1)
print(json.dumps(dict(cases=cases, bad=bad[:10], tight=tight)))
"""#

    /// brain1 and breast1 linked as `images/{case}.nrrd` and `masks/{case}.nrrd`, three generated
    /// cases beside them; the preset over all five.
    static func makeInputs(in folder: TemporaryFolder) throws {
        _ = try GeneratedCases.make(in: folder.path, count: 3, size: "40x36x16", masks: "nrrd", oblique: false)
        for name in ["brain1", "breast1"] {
            try FileManager.default.createSymbolicLink(atPath: folder.file("images/\(name).nrrd"),
                                                       withDestinationPath: SharedData.path("medical/nrrd_with_masks/\(name)_image.nrrd"))
            try FileManager.default.createSymbolicLink(atPath: folder.file("masks/\(name).nrrd"),
                                                       withDestinationPath: SharedData.path("medical/nrrd_with_masks/\(name)_label.nrrd"))
        }
        try """
        version: 1
        name: lesions
        domain: medical
        job: tile
        input:
          paths: images/*
        labels:
          path: masks/{stem}.nrrd
        output:
          layout: nnunet
        split:
          shares: train=0.8,test=0.2
        seed: 1
        """.write(toFile: folder.file("lesions.yaml"), atomically: true, encoding: .utf8)
    }

    static func check(_ out: String, verify: String? = nil) throws -> [String: Any] {
        let result = try ClientPython.run(checkScript, [out] + (verify.map { [$0] } ?? []))
        try #require(result.status == 0, "\(result.standardError)\n\(result.standardOutput.suffix(2000))")
        let json = try #require(result.standardOutput.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("five cases: nnU-Net's integrity check passes; cropped, plan_and_preprocess writes the 3d_fullres plans")
    func dataset() throws {
        let folder = TemporaryFolder("scaletile-nnunet")
        try Self.makeInputs(in: folder)
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("lesions.yaml"), "--out", folder.file("raw"),
                                                                       "--set", "output.datasetId=7", "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let dataset = folder.file("raw/Dataset007_lesions")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dataset + "/dataset.json"))) as? [String: Any])
        #expect(json["labels"] as? [String: Int] == ["background": 0, "lesion": 1])
        #expect(json["channel_names"] as? [String: String] == ["0": "image"])
        #expect(json["file_ending"] as? String == ".nii.gz")
        #expect(json["numTraining"] as? Int == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dataset + "/imagesTr").sorted().count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dataset + "/imagesTs").count == 1)
        let report = try Self.check(folder.file("raw"), verify: dataset)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
        let cases = try #require(report["cases"] as? [String: [String: Any]])
        #expect(Set(cases.keys) == ["brain1", "breast1", "case0", "case1", "case2"])
        #expect(cases["brain1"]?["shape"] as? [Int] == [256, 256, 25])
        for (name, c) in cases {
            // Train cases in imagesTr, the test case in imagesTs: the split decides the folder.
            #expect((c["split"] as? String == "test") == (c["folder"] as? String == "imagesTs"), "\(name)")
        }

        // Cropped to the foreground: every label volume's foreground touches all six faces.
        let cropped = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("lesions.yaml"), "--out", folder.file("cropped"),
                                                                           "--set", "output.datasetId=8", "--set", "output.cropForeground=true", "--quiet"])
        try #require(cropped.status == 0, "\(cropped.standardError)")
        let croppedReport = try Self.check(folder.file("cropped"))
        #expect((croppedReport["bad"] as? [String])?.isEmpty == true, "\(croppedReport)")
        #expect(croppedReport["tight"] as? Int == 5)
        let croppedCases = try #require(croppedReport["cases"] as? [String: [String: Any]])
        // brain1's tumour spans x 162–208, y 84–153, z 11–17 (pynrrd).
        #expect(croppedCases["brain1"]?["shape"] as? [Int] == [47, 70, 7])

        for sub in ["pre", "results"] { try FileManager.default.createDirectory(atPath: folder.file(sub), withIntermediateDirectories: true) }
        let plan = try ExternalCommand.run(
            (ClientPython.executable as NSString).deletingLastPathComponent + "/nnUNetv2_plan_and_preprocess",
            ["-d", "8", "-c", "3d_fullres", "-np", "1", "-npfp", "1", "--verify_dataset_integrity"],
            environment: ["nnUNet_raw": folder.file("cropped"), "nnUNet_preprocessed": folder.file("pre"), "nnUNet_results": folder.file("results")])
        #expect(plan.status == 0, "\(plan.standardError.suffix(2000))")
        let plans = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("pre/Dataset008_lesions/nnUNetPlans.json")))) as? [String: Any])
        let configurations = try #require(plans["configurations"] as? [String: Any])
        #expect(configurations["3d_fullres"] != nil)
        #expect(FileManager.default.fileExists(atPath: folder.file("pre/Dataset008_lesions/nnUNetPlans_3d_fullres")))
    }

    @Test("a val share, scenes and a one-source command are refused with exit 64, nothing written")
    func refused() throws {
        let folder = TemporaryFolder("scaletile-nnunet")
        try Self.makeInputs(in: folder)
        let val = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("lesions.yaml"), "--out", folder.file("o"), "--quiet",
                                                                       "--set", "split.shares=train=0.6,val=0.2,test=0.2"])
        #expect(val.status == 64)
        #expect(val.standardError.contains("nnU-Net makes its own validation folds"), "\(val.standardError)")
        #expect(val.standardError.split(separator: "\n").count == 1, "\(val.standardError)")
        let command = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", folder.file("images/case0.nii.gz"), "--mask", folder.file("masks/case0.nrrd"),
                                                                           "--patch", "8x8x4", "--layout", "nnunet", "--out", folder.file("o")])
        #expect(command.status == 64, "\(command.standardError)")
        let scene = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", SharedData.packageRoot + "/SampleData/satellite/buildings.tif",
                                                                         "--layout", "nnunet", "--out", folder.file("o")])
        #expect(scene.status == 64, "\(scene.standardError)")
        let badID = try ExternalCommand.run(ExternalCommand.scaletile, ["run", folder.file("lesions.yaml"), "--out", folder.file("o"), "--quiet",
                                                                         "--set", "output.datasetId=1000"])
        #expect(badID.status != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.file("o")))
    }
}
