import Foundation
import Testing
import TestSupport

/// `--layout monai` with NIfTI patches: MONAI's own `load_decathlon_datalist`, `LoadImaged`
/// (its NibabelReader) and a DataLoader read every image/label pair of brain1 (gzip NRRD, LPS),
/// and the affine MONAI puts in each image's metadata equals the manifest's (1e-4 mm).
@Suite("Volume MONAI layout", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumeMONAITests {
    static let checkScript = #"""
import json, os, sys
import numpy as np
from monai.data import load_decathlon_datalist, Dataset, DataLoader
from monai.transforms import Compose, LoadImaged, EnsureChannelFirstd
out = sys.argv[1]
manifest = {m['id']: m for m in map(json.loads, open(os.path.join(out, 'manifest.jsonl')))}
items = load_decathlon_datalist(os.path.join(out, 'datalist.json'), is_segmentation=True, data_list_key='training', base_dir=out)
load = Compose([LoadImaged(keys=['image', 'label'], image_only=True), EnsureChannelFirstd(keys=['image', 'label'])])
bad, worst, loaded = [], 0.0, 0
for item in items:
    d = load(item)
    m = manifest[item['id']]
    for key in ('image', 'label'):
        d_affine = np.asarray(d[key].affine, dtype=np.float64)
        off = float(np.abs(d_affine - np.asarray(m['affine'])).max())
        worst = max(worst, off)
        if off > 1e-4: bad.append('%s %s affine off by %g' % (item['id'], key, off))
    loaded += 1
shapes = []
for batch in DataLoader(Dataset(items, load), batch_size=4, num_workers=0):
    shapes.append([list(batch['image'].shape), list(batch['label'].shape)])
print(json.dumps(dict(listed=len(items), manifest=len(manifest), loaded=loaded, worst=worst, bad=bad[:10], shapes=shapes)))
"""#

    @Test("brain1 sampled at levels 0 and 1 as .nii.gz: every pair loads, affines equal the manifest's, batches (4, 1, 32, 32, 8)")
    func niftiDatalist() throws {
        let folder = TemporaryFolder("scaletile-volume-monai")
        let out = folder.file("o")
        let image = SharedData.path("medical/nrrd_with_masks/brain1_image.nrrd")
        let mask = SharedData.path("medical/nrrd_with_masks/brain1_label.nrrd")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", image, "--labels", mask, "--strategy", "object-balanced", "--count", "10", "--negatives", "2",
            "--patch", "32x32x8", "--levels", "0,1", "--format", "nifti", "--layout", "monai", "--out", out, "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let result = try ClientPython.run(Self.checkScript, [out])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let manifestCount = try #require(report["manifest"] as? Int)
        #expect(manifestCount >= 10)
        #expect(report["listed"] as? Int == manifestCount)
        #expect(report["loaded"] as? Int == manifestCount)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
        let shapes = try #require(report["shapes"] as? [[[Int]]])
        #expect(shapes.count == (manifestCount + 3) / 4)
        for (i, pair) in shapes.enumerated() {
            let batch = i < shapes.count - 1 ? 4 : manifestCount - 4 * (shapes.count - 1)
            #expect(pair == [[batch, 1, 32, 32, 8], [batch, 1, 32, 32, 8]], "batch \(i)")
        }
    }
}
