import Foundation
import Testing
import TestSupport

/// Object-balanced sampling keeps every lesion of a volume represented: with N = 5 × lesions
/// positive patches, each lesion (labelled independently by scipy, 26-connected) lies whole in
/// at least 5 written windows, and the sampling bias R (DESIGN.md §4) is at most 1.5 —
/// recomputed from the written manifest, not read from the summary.
@Suite("Volume sampling", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumeSamplingTests {
    static let containmentScript = #"""
import sys, json
import numpy as np, nrrd, nibabel as nib, scipy.ndimage as ndi
out, mask = sys.argv[1], sys.argv[2]
data = nrrd.read(mask)[0] if mask.endswith('.nrrd') else np.asanyarray(nib.load(mask).dataobj)
labels, n = ndi.label(data != 0, structure=np.ones((3, 3, 3)))
boxes = ndi.find_objects(labels)
counts = [0] * n
lines = [json.loads(l) for l in open(out + '/manifest.jsonl')]
for m in lines:
    w = m['window']
    lo = (w['x'], w['y'], w['z']); hi = (w['x'] + w['width'], w['y'] + w['height'], w['z'] + w['depth'])
    for i, b in enumerate(boxes):
        if all(lo[a] <= b[a].start and b[a].stop <= hi[a] for a in range(3)):
            counts[i] += 1
print(json.dumps(dict(lesions=n, patches=len(lines), counts=counts)))
"""#

    /// Samples `image` with `mask`, 5 patches per lesion, and returns scipy's lesion count,
    /// the patches written and each lesion's containment count.
    static func sample(image: String, mask: String, lesions: Int, patch: String, extra: [String] = []) throws -> (lesions: Int, patches: Int, counts: [Int]) {
        let out = TemporaryFolder("scaletile-volume-sampling")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", image, "--labels", mask, "--out", out.file("o"), "--strategy", "object-balanced",
            "--count", String(5 * lesions), "--patch", patch, "--format", "nifti", "--quiet"] + extra)
        try #require(run.status == 0, "\(run.standardError)")
        let result = try ClientPython.run(containmentScript, [out.file("o"), mask])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return (report["lesions"] as? Int ?? -1, report["patches"] as? Int ?? -1, report["counts"] as? [Int] ?? [])
    }

    @Test("brain1 (NRRD, tumour mask of 2 lesions) and breast1 (one 143-voxel lesion)", arguments: [
        ("brain1_image.nrrd", "brain1_label.nrrd", 2, "96x96x8"),
        ("breast1_image.nrrd", "breast1_label.nrrd", 1, "32x32x8"),
    ])
    func lesionsStayRepresented(image: String, mask: String, lesions: Int, patch: String) throws {
        let folder = "medical/nrrd_with_masks/"
        let result = try Self.sample(image: SharedData.path(folder + image), mask: SharedData.path(folder + mask),
                                     lesions: lesions, patch: patch)
        #expect(result.lesions == lesions, "scipy finds \(result.lesions) lesions")
        #expect(result.patches == 5 * lesions)
        #expect(result.counts.count == lesions && result.counts.allSatisfy { $0 >= 5 }, "\(result.counts)")
        let r = Double(result.counts.max() ?? 0) / Double(max(1, result.counts.min() ?? 0))
        #expect(r <= 1.5, "R = \(r) from \(result.counts)")
    }

    @Test("the generated metastases volume (NIfTI, lesions 2 to 40 voxels across), levels 0-1")
    func generatedVolume() throws {
        let folder = SharedData.packageRoot + "/SampleData/medical/"
        let result = try Self.sample(image: folder + "brain_mets_t1c.nii.gz", mask: folder + "brain_mets_mask.nii.gz",
                                     lesions: 10, patch: "24x24x24", extra: ["--levels", "0-1", "--scale-z"])
        #expect(result.lesions == 10)
        #expect(result.patches == 50)
        #expect(result.counts.count == 10 && result.counts.allSatisfy { $0 >= 5 }, "\(result.counts)")
        let r = Double(result.counts.max() ?? 0) / Double(max(1, result.counts.min() ?? 0))
        #expect(r <= 1.5, "R = \(r) from \(result.counts)")
    }
}
