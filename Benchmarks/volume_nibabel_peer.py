"""The nibabel peer of Benchmarks/volumes.sh: load both arrays whole, cut the windows of
ScaleTile's manifest, nib.save each image and mask patch as uncompressed .nii."""
import sys, json, os, time
import numpy as np, nibabel as nib
src, mask, manifest, out = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
t = time.time()
img = nib.load(src); data = np.asanyarray(img.dataobj)
lab = nib.load(mask); labels = np.asanyarray(lab.dataobj)
A = img.affine
for line in open(manifest):
    m = json.loads(line); w = m['window']
    x, y, z = w['x'], w['y'], w['z']
    sl = (slice(x, x + w['width']), slice(y, y + w['height']), slice(z, z + w['depth']))
    aff = A.copy(); aff[:3, 3] = A[:3, :3] @ [x, y, z] + A[:3, 3]
    nib.save(nib.Nifti1Image(data[sl], aff), os.path.join(out, m['id'] + '.nii'))
    nib.save(nib.Nifti1Image(labels[sl], aff), os.path.join(out, m['id'] + '_mask.nii'))
print(time.time() - t)
