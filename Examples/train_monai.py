"""One training step of a tiny 3-D segmentation network on a ScaleTile MONAI layout (CPU).

    python Examples/train_monai.py OUT     # OUT made with --mask ... --format npy --layout monai

Lists the training pairs with MONAI's `load_decathlon_datalist` (OUT/datalist.json) and loads
them with `LoadImaged` in a `DataLoader`: `.npy` patches are (C, Z, Y, X), NIfTI patches
(X, Y, Z) gain their channel through `EnsureChannelFirstd`. The mask's non-zero voxels are the
foreground. Prints the Dice + cross-entropy loss of one SGD step.
"""
import os
import sys

import torch
import torch.nn as nn
from monai.data import DataLoader, Dataset, NumpyReader, load_decathlon_datalist
from monai.losses import DiceCELoss
from monai.transforms import Compose, EnsureChannelFirstd, LoadImaged


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: python %s OUT  (OUT: a ScaleTile output folder made with --layout monai)" % os.path.basename(__file__))
    out = sys.argv[1]
    items = load_decathlon_datalist(os.path.join(out, "datalist.json"), True, "training", base_dir=out)
    keys = ["image", "label"]
    npy = items[0]["image"].endswith(".npy")
    transform = Compose([LoadImaged(keys=keys, reader=NumpyReader(channel_dim=0) if npy else None, image_only=True),
                         EnsureChannelFirstd(keys=keys)])
    batch = next(iter(DataLoader(Dataset(items, transform=transform), batch_size=2, num_workers=0)))
    image = batch["image"].float()
    image = (image - image.mean()) / (image.std() + 1e-6)
    label = (batch["label"] > 0).float()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv3d(image.shape[1], 8, 3, padding=1), nn.ReLU(), nn.Conv3d(8, 1, 1))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    loss = DiceCELoss(sigmoid=True)(model(image), label)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    if not torch.isfinite(loss):
        raise SystemExit("the loss is not finite: %s" % loss.item())
    print("monai: %d patches %s, %d foreground voxels, loss %.4f"
          % (image.shape[0], tuple(image.shape[2:]), int(label.sum()), loss.item()))


if __name__ == "__main__":
    main()
