"""One training step of a tiny 3-D segmentation network on a ScaleTile nnU-Net raw dataset (CPU).

    python Examples/train_nnunet.py OUT     # OUT made by scaletile run with output.layout: nnunet

Reads OUT/Dataset*/dataset.json (channels, labels, file ending) and the training cases as
nnU-Net does: imagesTr/{case}_{channel:04d}.nii.gz and labelsTr/{case}.nii.gz, through nibabel.
nnU-Net itself trains through its programs (nnUNetv2_plan_and_preprocess, nnUNetv2_train); this
is the same data reaching a PyTorch loss: a 32-voxel cube around a foreground voxel of each
case, one SGD step, the loss printed.
"""
import glob
import json
import os
import sys

import nibabel as nib
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH = 32


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: python %s OUT  (OUT: a ScaleTile output folder made with output.layout: nnunet)" % os.path.basename(__file__))
    (dataset,) = glob.glob(os.path.join(sys.argv[1], "Dataset[0-9][0-9][0-9]_*"))
    meta = json.load(open(os.path.join(dataset, "dataset.json")))
    ending, channels = meta["file_ending"], len(meta["channel_names"])
    classes = max(meta["labels"].values()) + 1
    images, labels = [], []
    for label_file in sorted(glob.glob(os.path.join(dataset, "labelsTr", "*" + ending))):
        case = os.path.basename(label_file)[: -len(ending)]
        label = np.asarray(nib.load(label_file).dataobj)
        image = np.stack([np.asarray(nib.load(os.path.join(dataset, "imagesTr", "%s_%04d%s" % (case, c, ending))).dataobj, dtype=np.float32)
                          for c in range(channels)])
        # A cube around a foreground voxel (the volume's centre when there is none), inside the volume.
        foreground = np.argwhere(label > 0)
        centre = foreground[len(foreground) // 2] if len(foreground) else np.array(label.shape) // 2
        start = [int(min(max(c - PATCH // 2, 0), max(s - PATCH, 0))) for c, s in zip(centre, label.shape)]
        window = tuple(slice(a, a + PATCH) for a in start)
        patch = image[(slice(None),) + window]
        images.append((patch - patch.mean()) / (patch.std() + 1e-6))
        labels.append(label[window].astype(np.int64))
    shape = images[0].shape
    image = torch.from_numpy(np.stack([i for i in images if i.shape == shape]))
    label = torch.from_numpy(np.stack([l for i, l in zip(images, labels) if i.shape == shape]))
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv3d(channels, 8, 3, padding=1), nn.ReLU(), nn.Conv3d(8, classes, 1))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    loss = F.cross_entropy(model(image), label)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    if not torch.isfinite(loss):
        raise SystemExit("the loss is not finite: %s" % loss.item())
    print("nnunet: %d cases %s, %d foreground voxels, loss %.4f" % (image.shape[0], tuple(image.shape[2:]), int((label > 0).sum()), loss.item()))


if __name__ == "__main__":
    main()
