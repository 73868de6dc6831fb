"""A tiny grid detector shared by the example scripts (yolo, coco, webdataset).

One training step of it on CPU shows that a ScaleTile output folder reaches a PyTorch loss: the
images are read with PIL, tifffile or numpy (torchvision does not load beside the CPU wheel of
torch), the boxes come from the layout's own label files, and each script prints the loss.

The model is deliberately small: three stride-2 convolutions turn a tile into a grid of cells
(one cell per 8x8 pixels), and each cell predicts an objectness logit, a box (centre offset
inside the cell, width and height as shares of the tile) and class logits, as YOLOv1 does.
"""
import io
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDE = 8


def to_channels_first(array):
    """(C, H, W) float32 in [0, 1] from what a reader returned: (H, W), (H, W, C) or (C, H, W)."""
    array = np.asarray(array)
    if array.ndim == 2:
        array = array[None]
    elif array.ndim == 3 and array.shape[2] <= 4 < array.shape[0]:
        array = array.transpose(2, 0, 1)  # PIL and tifffile give pixel-interleaved (H, W, C)
    array = array.astype(np.float32)
    finite = array[np.isfinite(array)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    # Per-tile min-max: 8-bit, 16-bit and float tiles alike land in [0, 1].
    return np.nan_to_num((array - low) / max(high - low, 1e-6))


def read_image(path_or_bytes, extension):
    """A tile file (or its bytes, from a tar shard) as (C, H, W) float32."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, (bytes, bytearray)) else path_or_bytes
    extension = extension.lower().lstrip(".")
    if extension in ("tif", "tiff"):
        import tifffile
        return to_channels_first(tifffile.imread(source))
    if extension == "npy":
        return to_channels_first(np.load(source))  # ScaleTile's .npy tiles are (C, Y, X)
    from PIL import Image
    return to_channels_first(np.asarray(Image.open(source)))


class TinyDetector(nn.Module):
    def __init__(self, channels, classes):
        super().__init__()
        self.classes = classes
        self.body = nn.Sequential(
            nn.Conv2d(channels, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 5 + classes, 1))

    def forward(self, images):
        return self.body(images)


def grid_targets(boxes, grid_h, grid_w, classes):
    """Targets of one tile: boxes are (class, cx, cy, w, h), normalised to the tile."""
    target = torch.zeros(5 + classes, grid_h, grid_w)
    for cls, cx, cy, w, h in boxes:
        gx, gy = min(int(cx * grid_w), grid_w - 1), min(int(cy * grid_h), grid_h - 1)
        target[0, gy, gx] = 1
        target[1:5, gy, gx] = torch.tensor([cx * grid_w - gx, cy * grid_h - gy, w, h])
        target[5 + int(cls), gy, gx] = 1
    return target


def detection_loss(prediction, target):
    objectness = F.binary_cross_entropy_with_logits(prediction[:, 0], target[:, 0])
    positive = target[:, 0] > 0
    if not positive.any():
        return objectness
    box = F.l1_loss(prediction[:, 1:5].permute(0, 2, 3, 1)[positive].sigmoid(), target[:, 1:5].permute(0, 2, 3, 1)[positive])
    cls = F.cross_entropy(prediction[:, 5:].permute(0, 2, 3, 1)[positive], target[:, 5:].permute(0, 2, 3, 1)[positive].argmax(1))
    return objectness + box + cls


def train_one_step(samples, classes):
    """One SGD step on `samples`, a list of (image (C, H, W), boxes); returns the loss."""
    torch.manual_seed(0)
    if not samples:
        raise SystemExit("no training sample found")
    # One batch needs one shape: the tiles of a run share it; others are left out.
    shape = samples[0][0].shape
    samples = [s for s in samples if s[0].shape == shape]
    images = torch.from_numpy(np.stack([image for image, _ in samples]))
    model = TinyDetector(channels=shape[0], classes=max(classes, 1))
    prediction = model(images)
    grid_h, grid_w = prediction.shape[2:]
    target = torch.stack([grid_targets(boxes, grid_h, grid_w, max(classes, 1)) for _, boxes in samples])
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    loss = detection_loss(prediction, target)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    if not torch.isfinite(loss):
        raise SystemExit("the loss is not finite: %s" % loss.item())
    return loss.item()


def first_batch(items, size=4):
    """Up to `size` of (tile, boxes), those with boxes first: a step on empty tiles would teach little."""
    return sorted(items, key=lambda item: len(item[1]) == 0)[:size]


def usage(script, layout):
    return "usage: python %s OUT  (OUT: a ScaleTile output folder made with --layout %s)" % (os.path.basename(script), layout)
