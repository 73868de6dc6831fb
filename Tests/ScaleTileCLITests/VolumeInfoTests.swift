import Foundation
import Testing
import TestSupport

/// `scaletile info --json` on every NIfTI and NRRD file in ../shared/data against nibabel and
/// pynrrd (the client environment); DICOM refused with exit 69 naming dcm2niix.
@Suite("info on volumes", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct VolumeInfoTests {
    static let volumes = ["medical/nifti/anatomical.nii", "medical/nifti/example4d.nii.gz",
                          "medical/nrrd_with_masks/brain1_image.nrrd", "medical/nrrd_with_masks/brain1_label.nrrd",
                          "medical/nrrd_with_masks/breast1_image.nrrd", "medical/nrrd_with_masks/breast1_label.nrrd"]

    /// What nibabel (NIfTI) or pynrrd (NRRD) reads: shape, dtype, spacing, affine, space, axis codes.
    static let truthScript = #"""
import sys, json
import numpy as np, nibabel as nib, nrrd
p = sys.argv[1]
gdal = {'u1': 'Byte', 'i1': 'Int8', 'u2': 'UInt16', 'i2': 'Int16', 'u4': 'UInt32', 'i4': 'Int32',
        'u8': 'UInt64', 'i8': 'Int64', 'f4': 'Float32', 'f8': 'Float64'}
if p.endswith('.nrrd'):
    h = nrrd.read_header(p)
    d = np.asarray(h['space directions'], float)
    aff = np.eye(4); aff[:3, :3] = d.T; aff[:3, 3] = h['space origin']
    space = {'left-posterior-superior': 'LPS', 'right-anterior-superior': 'RAS'}[h['space']]
    shape = [int(s) for s in h['sizes']]; spacing = np.linalg.norm(d, axis=1).tolist()
    dtype = gdal[nrrd.reader._determine_datatype(h).str[1:]]
    ras = aff if space == 'RAS' else np.diag([-1, -1, 1, 1]) @ aff
else:
    img = nib.load(p)
    aff = img.affine; space = 'RAS'; shape = list(img.shape); spacing = [float(z) for z in img.header.get_zooms()[:3]]
    dtype = gdal[img.get_data_dtype().str[1:]]; ras = aff
print(json.dumps(dict(shape=shape, dtype=dtype, spacing=spacing, affine=np.asarray(aff).tolist(), space=space,
                      orientation=''.join(nib.aff2axcodes(ras)))))
"""#

    @Test(arguments: volumes)
    func infoMatchesTheClients(relative: String) throws {
        let path = SharedData.path(relative)
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["info", path, "--json"])
        try #require(result.status == 0, "\(result.standardError)")
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let client = try ClientPython.run(Self.truthScript, [path])
        try #require(client.status == 0, "\(client.standardError)")
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(client.standardOutput.utf8)) as? [String: Any])

        let shape = try #require(truth["shape"] as? [Int])
        #expect(ours["kind"] as? String == "volume")
        #expect([ours["width"], ours["height"], ours["depth"]].map { $0 as? Int } == shape.prefix(3).map { $0 })
        #expect((ours["timepoints"] as? Int ?? 0) * (ours["channels"] as? Int ?? 0) == (shape.count > 3 ? shape[3] : 1))
        #expect(ours["dataType"] as? String == truth["dtype"] as? String)
        let spacing = try #require(ours["spacing"] as? [String: Any])
        let ourSpacing = ["x", "y", "z"].compactMap { (spacing[$0] as? NSNumber)?.doubleValue }
        let theirSpacing = try #require(truth["spacing"] as? [Double])
        #expect(zip(ourSpacing, theirSpacing).allSatisfy { abs($0 - $1) <= 1e-6 * $1 } && ourSpacing.count == 3, "\(ourSpacing) vs \(theirSpacing)")
        let affine = try #require(ours["affine"] as? [[Double]])
        let theirs = try #require(truth["affine"] as? [[Double]])
        #expect(affine.count == 4 && zip(affine.joined(), theirs.joined()).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(affine) vs \(theirs)")
        #expect(ours["space"] as? String == truth["space"] as? String)
        #expect(ours["orientation"] as? String == truth["orientation"] as? String)
    }

    @Test("DICOM is refused with exit 69, naming dcm2niix")
    func dicom() throws {
        for name in ["CT_small.dcm", "MR_small.dcm", "emri_small.dcm"] {
            let path = SharedData.path("medical/dicom/" + name)
            let result = try ExternalCommand.run(ExternalCommand.scaletile, ["info", path])
            #expect(result.status == 69, "\(name): \(result.standardError)")
            #expect(result.standardError.contains("dcm2niix") && result.standardError.contains(name))
        }
    }

    @Test("analyze on NRRD and NIfTI masks: the lesions scipy labels (26-connected), voxel for voxel")
    func analyzeMasks() throws {
        let script = """
import sys, json
import numpy as np, nrrd, nibabel as nib, scipy.ndimage as ndi
p = sys.argv[1]
data = nrrd.read(p)[0] if p.endswith('.nrrd') else np.asanyarray(nib.load(p).dataobj)
labels, n = ndi.label(data != 0, structure=np.ones((3, 3, 3)))
print(json.dumps(sorted(int(v) for v in np.bincount(labels.ravel())[1:])))
"""
        for path in [SharedData.path("medical/nrrd_with_masks/brain1_label.nrrd"), SharedData.path("medical/nrrd_with_masks/breast1_label.nrrd"),
                     SharedData.packageRoot + "/SampleData/medical/brain_mets_mask.nii.gz"] {
            let run = try ExternalCommand.run(ExternalCommand.scaletile, ["analyze", path, "--json"])
            try #require(run.status == 0, "\(run.standardError)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            let ours = (report["lesions"] as? [[String: Any]] ?? []).compactMap { $0["voxels"] as? Int }.sorted()
            let truth = try ClientPython.run(script, [path])
            try #require(truth.status == 0, "\(truth.standardError)")
            let theirs = try #require(try JSONSerialization.jsonObject(with: Data(truth.standardOutput.utf8)) as? [Int])
            #expect(!ours.isEmpty && ours == theirs, "\(path): \(ours) vs \(theirs)")
        }
    }
}
