import Foundation
import Testing
import TestSupport

/// NIfTI patches of NIfTI and NRRD volumes, judged by nibabel and pynrrd: each patch's voxels
/// equal the source array at its window (level 0) or the exact block means of it (level 1;
/// masks: the nearest rule's voxel), and each patch's affine — in the file and in the
/// manifest — equals nibabel's `img.slicer[...]` affine for the same window, moved by the
/// (f − 1)/2 voxels that put a level voxel at its block's centre (1e-4 mm).
@Suite("Volume patches", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumePatchTests {
    static let checkScript = #"""
import sys, json
import numpy as np, nibabel as nib, nrrd
out, source, mask = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
def load(p):
    if p.endswith('.nrrd'):
        data, h = nrrd.read(p)
        aff = np.eye(4); aff[:3, :3] = np.asarray(h['space directions'], float).T; aff[:3, 3] = h['space origin']
        if h['space'] == 'left-posterior-superior':
            aff = np.diag([-1, -1, 1, 1]) @ aff
        return nib.Nifti1Image(data, aff)
    img = nib.load(p)
    return nib.Nifti1Image(np.asanyarray(img.dataobj), img.affine)
image = load(source)
labels = load(mask) if mask else None
array = np.asanyarray(image.dataobj)
checked, worst, bad = 0, 0.0, []
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line)
    w, level = m['window'], m['level']
    f = 2 ** level
    x0, y0, z0 = w['x'], w['y'], w['z']
    x1, y1, z1 = x0 + w['width'], y0 + w['height'], z0 + w['depth']
    patch = nib.load(out + '/' + m['path'])
    got = np.asanyarray(patch.dataobj)
    if f == 1:
        want = array[x0:x1, y0:y1, z0:z1]
    else:
        # Blocks at the volume's edge are clipped to it (DESIGN.md §3): pad with NaN, leave it out.
        block = array[x0:x1, y0:y1, z0:z1].astype(np.float64)
        px, py = -block.shape[0] % f, -block.shape[1] % f
        block = np.pad(block, ((0, px), (0, py), (0, 0)), constant_values=np.nan)
        mean = np.nanmean(block.reshape(block.shape[0] // f, f, block.shape[1] // f, f, block.shape[2]), axis=(1, 3))
        want = (np.sign(mean) * np.floor(np.abs(mean) + 0.5)).astype(array.dtype)
    if got.shape != want.shape or got.dtype.str[1:] != want.dtype.str[1:] or not np.array_equal(got, want):
        bad.append(m['id'] + ' voxels')
    # nibabel's slicer keeps every f-th voxel, the block's first; a level voxel is the block's mean.
    sliced = image.slicer[x0:x1:f, y0:y1:f, z0:z1].affine
    expected = sliced @ np.array([[1, 0, 0, (f - 1) / (2 * f)], [0, 1, 0, (f - 1) / (2 * f)], [0, 0, 1, 0], [0, 0, 0, 1]])
    for name, affine in [('file', patch.affine), ('manifest', np.asarray(m['affine']))]:
        d = float(np.abs(affine - expected).max())
        worst = max(worst, d)
        if d > 1e-4:
            bad.append('%s %s affine off by %g' % (m['id'], name, d))
    if labels is not None:
        lab = np.asanyarray(labels.dataobj)
        got = np.asanyarray(nib.load(out + '/' + m['mask']).dataobj)
        want = lab[x0:x1, y0:y1, z0:z1] if f == 1 else lab[x0 + f // 2:x1:f, y0 + f // 2:y1:f, z0:z1]
        if not np.array_equal(got, want):
            bad.append(m['id'] + ' mask')
        if not np.allclose(nib.load(out + '/' + m['mask']).affine, patch.affine, atol=1e-6):
            bad.append(m['id'] + ' mask affine')
    checked += 1
print(json.dumps(dict(checked=checked, worst=worst, bad=bad[:10])))
"""#

    static func check(_ out: String, source: String, mask: String?) throws -> [String: Any] {
        let result = try ClientPython.run(checkScript, [out, source] + (mask.map { [$0] } ?? []))
        try #require(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test("brain1 (gzip NRRD, LPS) with its mask, levels 0 and 1, .nii.gz")
    func nrrdPatches() throws {
        let out = TemporaryFolder("scaletile-volume-patches")
        let image = SharedData.path("medical/nrrd_with_masks/brain1_image.nrrd")
        let mask = SharedData.path("medical/nrrd_with_masks/brain1_label.nrrd")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", image, "--mask", mask, "--out", out.file("o"),
                                                                       "--patch", "64x64x8", "--levels", "0,1", "--format", "nifti", "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let report = try Self.check(out.file("o"), source: image, mask: mask)
        // 4 × 4 × 4 windows at level 0 (edges shifted in), 2 × 2 × 4 at level 1.
        #expect(report["checked"] as? Int == 64 + 16)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
        // The scratch folder of the decompressed volumes is gone.
        #expect(!FileManager.default.fileExists(atPath: out.file("o/.scratch")))
    }

    @Test("anatomical.nii (big-endian NIfTI, flipped X), uncompressed .nii patches at levels 0 and 1")
    func niftiPatches() throws {
        let out = TemporaryFolder("scaletile-volume-patches")
        let image = SharedData.path("medical/nifti/anatomical.nii")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", image, "--out", out.file("o"),
                                                                       "--patch", "16x16x8", "--levels", "0,1", "--format", "nii", "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.file("o/patches/L0"))
        #expect(!files.isEmpty && files.allSatisfy { $0.hasSuffix(".nii") })
        let report = try Self.check(out.file("o"), source: image, mask: nil)
        // 3 × 3 × 4 windows at level 0 (33 x 41 x 25), 2 × 2 × 4 at level 1 (17 x 21 x 25),
        // whose last column and row are means of clipped blocks.
        #expect(report["checked"] as? Int == 36 + 16)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
    }
}

/// `pyramid` on a volume: one `.nii.gz` per level whose voxels are the level's exact block means
/// (clipped at the edge) and whose affine — file and manifest — is nibabel's `slicer[::f, ::f, :]`
/// affine moved by (f − 1)/2 voxels.
@Suite("Volume pyramids", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumePyramidTests {
    static let checkScript = #"""
import sys, json
import numpy as np, nibabel as nib, nrrd
out, source = sys.argv[1], sys.argv[2]
data, h = nrrd.read(source)
aff = np.eye(4); aff[:3, :3] = np.asarray(h['space directions'], float).T; aff[:3, 3] = h['space origin']
aff = np.diag([-1, -1, 1, 1]) @ aff
image = nib.Nifti1Image(data, aff)
bad, n = [], 0
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line); f = 2 ** m['level']
    img = nib.load(out + '/' + m['path']); got = np.asanyarray(img.dataobj)
    block = data.astype(np.float64)
    px, py = -block.shape[0] % f, -block.shape[1] % f
    block = np.pad(block, ((0, px), (0, py), (0, 0)), constant_values=np.nan)
    mean = np.nanmean(block.reshape(block.shape[0] // f, f, block.shape[1] // f, f, block.shape[2]), axis=(1, 3))
    want = (np.sign(mean) * np.floor(np.abs(mean) + 0.5)).astype(data.dtype)
    if not np.array_equal(got, want): bad.append('%d voxels' % m['level'])
    expected = image.slicer[::f, ::f, :].affine @ np.array([[1, 0, 0, (f - 1) / (2 * f)], [0, 1, 0, (f - 1) / (2 * f)], [0, 0, 1, 0], [0, 0, 0, 1]])
    for name, a in [('file', img.affine), ('manifest', np.asarray(m['affine']))]:
        if np.abs(a - expected).max() > 1e-4: bad.append('%d %s affine' % (m['level'], name))
    n += 1
print(json.dumps(dict(levels=n, bad=bad)))
"""#

    @Test("brain1 (NRRD, LPS): levels 1 and 2")
    func levels() throws {
        let out = TemporaryFolder("scaletile-volume-pyramid")
        let image = SharedData.path("medical/nrrd_with_masks/brain1_image.nrrd")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["pyramid", image, "--levels", "1-2", "--out", out.file("o"), "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let check = try ClientPython.run(Self.checkScript, [out.file("o"), image])
        try #require(check.status == 0, "\(check.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any])
        #expect(report["levels"] as? Int == 2)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
    }
}

/// An image and a mask that do not lie on the same voxels are refused before anything is
/// written, naming both files and both values.
@Suite("Volume pairs", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumePairTests {
    /// brain1's label with one header line changed (the gzip data after the header is untouched).
    static func alteredLabel(_ from: String, _ to: String, in folder: TemporaryFolder) throws -> String {
        let original = try Data(contentsOf: URL(fileURLWithPath: SharedData.path("medical/nrrd_with_masks/brain1_label.nrrd")))
        let end = try #require(original.range(of: Data("\n\n".utf8)))
        let header = try #require(String(data: original[..<end.lowerBound], encoding: .utf8))
        #expect(header.contains(from))
        let path = folder.file("label_\(UUID().uuidString.prefix(6)).nrrd")
        try (Data(header.replacingOccurrences(of: from, with: to).utf8) + original[end.lowerBound...]).write(to: URL(fileURLWithPath: path))
        return path
    }

    func refusal(_ mask: String, _ folder: TemporaryFolder) throws -> String {
        let image = SharedData.path("medical/nrrd_with_masks/brain1_image.nrrd")
        let out = folder.file("out")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", image, "--mask", mask, "--out", out, "--patch", "64x64x8"])
        #expect(run.status == 65, "\(run.standardError)")
        #expect(run.standardError.contains(image) && run.standardError.contains(mask), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
        return run.standardError
    }

    @Test("shape, spacing and affine mismatches")
    func mismatches() throws {
        let folder = TemporaryFolder("scaletile-volume-pairs")
        let shape = try refusal(SharedData.path("medical/nrrd_with_masks/breast1_label.nrrd"), folder)
        #expect(shape.contains("45x120x21") && shape.contains("256x256x25"))
        let spacing = try refusal(try Self.alteredLabel("(0,0,6.4999999999999982)", "(0,0,6.5009999999999982)", in: folder), folder)
        #expect(spacing.contains("6.500999") && spacing.contains("6.499999"), "\(spacing)")
        let affine = try refusal(try Self.alteredLabel("space origin: (-99.609374999999986", "space origin: (-99.609074999999986", in: folder), folder)
        #expect(affine.contains("-99.6091") && affine.contains("-99.6094"), "\(affine)")
        // Within 1e-4 mm the pair is the same.
        let close = try Self.alteredLabel("space origin: (-99.609374999999986", "space origin: (-99.609354999999986", in: folder)
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", SharedData.path("medical/nrrd_with_masks/brain1_image.nrrd"),
                                                                       "--mask", close, "--out", folder.file("ok"), "--patch", "128x128x25", "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
    }
}
