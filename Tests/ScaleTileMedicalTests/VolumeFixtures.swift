import Foundation
import TestSupport

/// Small NIfTI and NRRD volumes written by nibabel and pynrrd (the client environment), with
/// the truth each library reads back: shape, dtype, spacing, affine, and the voxels of the
/// whole volume and of one inner window, as (C, Z, Y, X) little-endian bytes.
enum VolumeFixtures {
    /// One fixture's truth, from `truth.json`.
    struct Truth: Decodable {
        var name: String
        var shape: [Int]          // (X, Y, Z)
        var channels: Int
        var timepoints: Int
        var dtype: String         // GDAL's name
        var spacing: [Double]
        var affine: [[Double]]
        var space: String
        var window: [Int]         // x, y, z, width, height, depth
        var orientation: String   // nibabel's aff2axcodes
    }

    /// Writes every fixture into `folder` and returns the truths, in a fixed order.
    static func write(into folder: String) throws -> [Truth] {
        let result = try ClientPython.run(script, [folder])
        guard result.status == 0 else {
            throw FixtureError(message: "the fixture script failed: \(result.standardError)")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/truth.json"))
        return try JSONDecoder().decode([Truth].self, from: data)
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Little-endian (C, Z, Y, X) bytes of an array window, as the tests compare them.
    static let script = #"""
import sys, json, os
import numpy as np, nibabel as nib, nrrd
out = sys.argv[1]
rng = np.random.default_rng(7)
gdal = {'u1': 'Byte', 'i1': 'Int8', 'u2': 'UInt16', 'i2': 'Int16', 'u4': 'UInt32', 'i4': 'Int32',
        'u8': 'UInt64', 'i8': 'Int64', 'f4': 'Float32', 'f8': 'Float64'}
truths = []
def data(dtype, shape):
    dt = np.dtype(dtype)
    if dt.kind == 'f':
        return (rng.standard_normal(shape) * 1000).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, size=shape, dtype=dt, endpoint=True)
def record(name, arr, affine, space, spacing, window=(1, 2, 1, 4, 2, 3)):
    # arr is (X, Y, Z[, T or C]); channels or timepoints along the 4th axis.
    x, y, z, w, h, d = window
    a = arr if arr.ndim == 4 else arr[..., None]
    timepoints = 1
    channels = a.shape[3]
    if name.endswith('_t'):
        timepoints, channels = a.shape[3], 1
    whole = np.ascontiguousarray(a.transpose(3, 2, 1, 0)).astype(a.dtype.newbyteorder('<'))
    part = np.ascontiguousarray(a[x:x+w, y:y+h, z:z+d, :].transpose(3, 2, 1, 0)).astype(a.dtype.newbyteorder('<'))
    whole.tofile(os.path.join(out, name + '.whole'))
    part.tofile(os.path.join(out, name + '.window'))
    truths.append(dict(name=name, shape=list(arr.shape[:3]), channels=channels, timepoints=timepoints,
                       dtype=gdal[a.dtype.str[1:]], spacing=[float(s) for s in spacing],
                       affine=np.asarray(affine, float).tolist(), space=space, window=list(window),
                       orientation=''.join(nib.aff2axcodes(affine if space == 'RAS' else np.diag([-1, -1, 1, 1]) @ affine))))
rotation = np.array([[0.0, -1.2, 0.0, 10.5], [0.9, 0.0, 0.3, -20.0], [0.0, 0.0, 2.5, 7.25], [0, 0, 0, 1]])

# Every NIfTI datatype ScaleTile reads, in both byte orders, NIfTI-1 .nii.
for code in gdal:
    for order in '<>':
        arr = data(code, (7, 5, 4))
        header = nib.Nifti1Header(endianness=order)
        img = nib.Nifti1Image(arr, rotation, header)
        img.set_data_dtype(np.dtype(code))
        name = 'n1_%s_%s' % (code, 'le' if order == '<' else 'be')
        path = os.path.join(out, name + '.nii')
        nib.save(img, path)
        back = nib.load(path)
        assert back.header.endianness == order
        record(name, np.asanyarray(back.dataobj.get_unscaled()) if hasattr(back.dataobj, 'get_unscaled') else back.get_fdata(),
               back.affine, 'RAS', back.header.get_zooms()[:3])
# .nii.gz, NIfTI-2, a .hdr/.img pair, a qform-only file, time points, dim5 channels.
arr = data('i2', (9, 8, 6))
for name, cls, ext in [('n1_gz', nib.Nifti1Image, '.nii.gz'), ('n2_plain', nib.Nifti2Image, '.nii'),
                       ('n2_gz', nib.Nifti2Image, '.nii.gz'), ('pair', nib.Nifti1Pair, '.hdr')]:
    nib.save(cls(arr, rotation), os.path.join(out, name + ext))
    back = nib.load(os.path.join(out, name + ext))
    record(name, np.asanyarray(back.dataobj.get_unscaled()), back.affine, 'RAS', back.header.get_zooms()[:3])
img = nib.Nifti1Image(arr, None)
img.set_qform(rotation, code=1)
img.set_sform(None, code=0)
nib.save(img, os.path.join(out, 'qform_only.nii'))
back = nib.load(os.path.join(out, 'qform_only.nii'))
assert int(back.header['sform_code']) == 0 and int(back.header['qform_code']) == 1
record('qform_only', np.asanyarray(back.dataobj.get_unscaled()), back.affine, 'RAS', back.header.get_zooms()[:3])
t = data('f4', (6, 5, 4, 3))
nib.save(nib.Nifti1Image(t, rotation), os.path.join(out, 'time_t.nii.gz'))
back = nib.load(os.path.join(out, 'time_t.nii.gz'))
record('time_t', np.asanyarray(back.dataobj), back.affine, 'RAS', back.header.get_zooms()[:3])
c = data('u2', (6, 5, 4, 1, 2))
nib.save(nib.Nifti1Image(c, rotation), os.path.join(out, 'channels.nii'))
back = nib.load(os.path.join(out, 'channels.nii'))
record('channels', np.asanyarray(back.dataobj)[:, :, :, 0, :], back.affine, 'RAS', back.header.get_zooms()[:3])

# NRRD: raw and gzip, both byte orders, attached and detached, a vector axis first.
directions = np.array([[0.0, 0.8, 0.0], [-0.7, 0.0, 0.0], [0.0, 0.2, 3.0]])
origin = np.array([-50.5, 12.25, 3.0])
for name, options in [('nrrd_raw_le', dict(encoding='raw', endian='little')),
                      ('nrrd_raw_be', dict(encoding='raw', endian='big')),
                      ('nrrd_gzip', dict(encoding='gzip')),
                      ('nrrd_detached', dict(encoding='raw', detached_header=True)),
                      ('nrrd_detached_gz', dict(encoding='gzip', detached_header=True))]:
    arr = data('i4' if 'raw' in name else 'f8', (9, 7, 5))
    ext = '.nhdr' if 'detached' in name else '.nrrd'
    detached = options.pop('detached_header', False)
    nrrd.write(os.path.join(out, name + ext), arr, dict(space='left-posterior-superior', **{'space directions': directions, 'space origin': origin}, **options), detached_header=detached)
    back, h = nrrd.read(os.path.join(out, name + ext))
    aff = np.eye(4); aff[:3, :3] = np.asarray(h['space directions']).T; aff[:3, 3] = h['space origin']
    record(name, back, aff, 'LPS', np.linalg.norm(np.asarray(h['space directions']), axis=1))
v = data('u1', (3, 9, 7, 5))
nrrd.write(os.path.join(out, 'nrrd_vector.nrrd'), v, {'kinds': ['vector', 'domain', 'domain', 'domain'], 'space': 'right-anterior-superior',
           'space directions': np.vstack([np.full(3, np.nan), directions]), 'space origin': origin, 'encoding': 'gzip'})
back, h = nrrd.read(os.path.join(out, 'nrrd_vector.nrrd'))
aff = np.eye(4); aff[:3, :3] = np.asarray(h['space directions'][1:], float).T; aff[:3, 3] = h['space origin']
record('nrrd_vector', np.moveaxis(back, 0, 3), aff, 'RAS', np.linalg.norm(np.asarray(h['space directions'][1:], float), axis=1))
json.dump(truths, open(os.path.join(out, 'truth.json'), 'w'))
"""#
}
