import Foundation
import Testing
import TestSupport

/// `--apply-scaling`: NIfTI's `scl_slope`/`scl_inter` applied to image patches, judged by
/// nibabel's `get_fdata()` on a volume nibabel writes with slope 2.5 and intercept −100.
@Suite("Volume value scaling", .serialized)
struct VolumeScalingTests {
    /// A 40×36×12 int16 volume with slope 2.5, intercept −100 and an oblique affine.
    static let makeScript = #"""
import sys
import numpy as np, nibabel as nib
rng = np.random.default_rng(7)
data = rng.integers(-300, 3000, size=(40, 36, 12)).astype(np.int16)
affine = np.array([[0.9, 0.1, 0, -20], [0, 1.1, 0.05, 15], [0, 0, 2.5, -40], [0, 0, 0, 1]])
img = nib.Nifti1Image(data, affine)
img.header.set_slope_inter(2.5, -100.0)
nib.save(img, sys.argv[1])
"""#

    /// Each patch's voxels against `get_fdata()` at its window (level 0) or the block means of
    /// it (level 1), with stored values or scaled ones as asked.
    static let checkScript = #"""
import sys, json
import numpy as np, nibabel as nib
out, source, scaled = sys.argv[1], sys.argv[2], sys.argv[3] == 'scaled'
img = nib.load(source)
# dataobj applies the scaling too: the stored values are its unscaled array.
array = img.get_fdata() if scaled else img.dataobj.get_unscaled()
bad, n, worst = [], 0, 0.0
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line); w = m['window']; f = 2 ** m['level']
    x0, y0, z0 = w['x'], w['y'], w['z']
    block = array[x0:x0 + w['width'], y0:y0 + w['height'], z0:z0 + w['depth']].astype(np.float64)
    if f > 1:
        block = block.reshape(block.shape[0] // f, f, block.shape[1] // f, f, block.shape[2]).mean(axis=(1, 3))
    patch = nib.load(out + '/' + m['path'])
    got = np.asanyarray(patch.dataobj)
    if scaled:
        if got.dtype != np.float32: bad.append('%s is %s' % (m['id'], got.dtype))
        d = float(np.abs(got - block).max()); worst = max(worst, d)
        if d > 1e-6 * max(1.0, float(np.abs(block).max())): bad.append('%s off by %g' % (m['id'], d))
    else:
        want = block if f == 1 else np.sign(block) * np.floor(np.abs(block) + 0.5)
        if got.dtype != np.int16 or not np.array_equal(got, want.astype(np.int16)): bad.append(m['id'])
    n += 1
print(json.dumps(dict(checked=n, worst=worst, bad=bad[:10])))
"""#

    static func tile(_ volume: String, into out: String, _ extra: [String]) throws -> [String: Any] {
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", volume, "--out", out, "--patch", "16x16x4",
                                                                       "--levels", "0,1", "--format", "nii", "--quiet"] + extra)
        try #require(run.status == 0, "\(run.standardError)")
        let summary = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        return try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
    }

    static func check(_ out: String, source: String, scaled: Bool) throws -> [String: Any] {
        let result = try ClientPython.run(checkScript, [out, source, scaled ? "scaled" : "stored"])
        try #require(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test("applied on request, as Float32 equal to get_fdata(); kept and reported without the flag")
    func scaling() throws {
        let folder = TemporaryFolder("scaletile-volume-scaling")
        let volume = folder.file("scaled.nii.gz")
        let made = try ClientPython.run(Self.makeScript, [volume])
        try #require(made.status == 0, "\(made.standardError)")

        let applied = try Self.tile(volume, into: folder.file("applied"), ["--apply-scaling"])
        #expect(applied["scalingApplied"] as? Bool == true)
        let scaling = try #require(applied["valueScaling"] as? [String: Double])
        #expect(scaling == ["slope": 2.5, "intercept": -100])
        let report = try Self.check(folder.file("applied"), source: volume, scaled: true)
        // 3 × 3 × 3 windows at level 0 (edges shifted in), 2 × 2 × 3 at level 1 (20 × 18 × 12).
        #expect(report["checked"] as? Int == 27 + 12)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")

        let kept = try Self.tile(volume, into: folder.file("kept"), [])
        #expect(kept["scalingApplied"] as? Bool == false)
        #expect(kept["valueScaling"] as? [String: Double] == ["slope": 2.5, "intercept": -100])
        let stored = try Self.check(folder.file("kept"), source: volume, scaled: false)
        #expect(stored["checked"] as? Int == 27 + 12)
        #expect((stored["bad"] as? [String])?.isEmpty == true, "\(stored)")

        // The flag is the preset key input.applyScaling.
        let printed = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", volume, "--patch", "8x8x4", "--apply-scaling", "--print-preset"])
        try #require(printed.status == 0, "\(printed.standardError)")
        #expect(printed.standardOutput.contains("applyScaling: true"), "\(printed.standardOutput)")
    }
}
