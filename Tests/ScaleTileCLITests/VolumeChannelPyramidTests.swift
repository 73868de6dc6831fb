import Foundation
import Testing
import TestSupport

/// `pyramid` on a 5-D NIfTI (dim5 = 3 channels): one NIfTI per level holding every channel,
/// (X, Y, Z, 1, C), whose voxels are numpy's block means per channel (clipped at the edges,
/// rounded half away from zero) and whose affine is nibabel's `slicer[::f, ::f, :]` affine moved
/// by (f − 1)/2 voxels.
@Suite("Volume channel pyramids", .serialized)
struct VolumeChannelPyramidTests {
    static let makeScript = #"""
import sys
import numpy as np, nibabel as nib
rng = np.random.default_rng(3)
data = rng.integers(-500, 3000, size=(37, 30, 6, 1, 3)).astype(np.int16)
affine = np.array([[-0.8, 0, 0, 40], [0, 0.9, 0.05, -12], [0, 0, 3, 7], [0, 0, 0, 1]])
nib.save(nib.Nifti1Image(data, affine), sys.argv[1])
"""#

    static let checkScript = #"""
import sys, json
import numpy as np, nibabel as nib
out, source = sys.argv[1], sys.argv[2]
image = nib.load(source)
data = np.asanyarray(image.dataobj)
spatial = nib.Nifti1Image(data[:, :, :, 0, 0], image.affine)
bad, levels = [], []
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line); f = 2 ** m['level']
    img = nib.load(out + '/' + m['path']); got = np.asanyarray(img.dataobj)
    levels.append([m['level'], list(got.shape)])
    for c in range(data.shape[4]):
        block = data[:, :, :, 0, c].astype(np.float64)
        px, py = -block.shape[0] % f, -block.shape[1] % f
        block = np.pad(block, ((0, px), (0, py), (0, 0)), constant_values=np.nan)
        mean = np.nanmean(block.reshape(block.shape[0] // f, f, block.shape[1] // f, f, block.shape[2]), axis=(1, 3))
        want = (np.sign(mean) * np.floor(np.abs(mean) + 0.5)).astype(data.dtype)
        if got.ndim != 5 or got.dtype != data.dtype or not np.array_equal(got[:, :, :, 0, c], want):
            bad.append('level %d channel %d voxels' % (m['level'], c))
    expected = spatial.slicer[::f, ::f, :].affine @ np.array([[1, 0, 0, (f - 1) / (2 * f)], [0, 1, 0, (f - 1) / (2 * f)], [0, 0, 1, 0], [0, 0, 0, 1]])
    for name, a in [('file', img.affine), ('manifest', np.asarray(m['affine']))]:
        if np.abs(a - expected).max() > 1e-4: bad.append('%d %s affine' % (m['level'], name))
print(json.dumps(dict(levels=levels, bad=bad)))
"""#

    @Test("3 channels, levels 1 and 2: 5-D level files equal to the block means per channel")
    func channels() throws {
        let folder = TemporaryFolder("scaletile-channel-pyramid")
        let volume = folder.file("rgb.nii.gz")
        let made = try ClientPython.run(Self.makeScript, [volume])
        try #require(made.status == 0, "\(made.standardError)")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["pyramid", volume, "--levels", "1,2", "--out", folder.file("o"), "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let result = try ClientPython.run(Self.checkScript, [folder.file("o"), volume])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
        // 37 x 30 halves to 19 x 15 (the last column a clipped block), then to 10 x 8.
        let levels = try #require(report["levels"] as? [[Any]])
        #expect(levels.map { $0[0] as? Int } == [1, 2])
        #expect(levels.map { $0[1] as? [Int] } == [[19, 15, 6, 1, 3], [10, 8, 6, 1, 3]])
    }
}
