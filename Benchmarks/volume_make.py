"""Makes the volume benchmark's input: a 512 x 512 x 1000 int16 .nii.gz (0.7 x 0.7 x 1 mm, a
smooth field plus noise, 340 MB compressed) and a uint8 mask with 20 box lesions of 6 to 44
voxels across, deterministic (seed 0)."""
import sys
import numpy as np, nibabel as nib
out = sys.argv[1]
rng = np.random.default_rng(0)
shape = (512, 512, 1000)
data = np.empty(shape, dtype=np.int16)
x = np.linspace(-1, 1, 512)
base = (1000 * np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) * 2)).astype(np.int16)
for z in range(shape[2]):
    data[:, :, z] = base + rng.integers(0, 50, size=(512, 512), dtype=np.int16)
mask = np.zeros(shape, dtype=np.uint8)
for i in range(20):
    c = rng.integers(40, 470, size=2); cz = rng.integers(20, 980); r = 3 + i
    mask[c[0]-r:c[0]+r, c[1]-r:c[1]+r, max(0, cz-r):cz+r] = 1
aff = np.diag([0.7, 0.7, 1.0, 1.0])
nib.save(nib.Nifti1Image(data, aff), out + '/volume_512x512x1000.nii.gz')
nib.save(nib.Nifti1Image(mask, aff), out + '/volume_512x512x1000_mask.nii.gz')
