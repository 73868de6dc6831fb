"""One training step of a tiny PyTorch detector on a ScaleTile YOLO layout (CPU, torch alone).

    python Examples/train_yolo.py OUT     # OUT made with --layout yolo [--yolo-segments]

Reads OUT/data.yaml as Ultralytics does: images under `path`/`train`, the label file of
images/train/a.tif at labels/train/a.txt, one object per line: `class cx cy w h` (boxes) or
`class x1 y1 x2 y2 ...` (--yolo-segments; the box around the outline is used here). Images
without a label file are background. Prints the loss of one SGD step.
"""
import glob
import os
import sys

import yaml

from tiny_detector import first_batch, read_image, train_one_step, usage


def boxes_of(label_file):
    if not os.path.exists(label_file):
        return []
    boxes = []
    for line in open(label_file):
        values = [float(v) for v in line.split()]
        if len(values) == 5:
            boxes.append(tuple(values))
        elif len(values) >= 7:
            xs, ys = values[1::2], values[2::2]
            boxes.append((values[0], (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs), max(ys) - min(ys)))
    return boxes


def main():
    if len(sys.argv) != 2:
        raise SystemExit(usage(__file__, "yolo"))
    data = yaml.safe_load(open(os.path.join(sys.argv[1], "data.yaml")))
    images = sorted(glob.glob(os.path.join(data["path"], data["train"], "*")))
    # Ultralytics' rule: the last /images/ becomes /labels/, the extension .txt.
    def label_file(image):
        head, _, tail = image.rpartition(os.sep + "images" + os.sep)
        return os.path.splitext(head + os.sep + "labels" + os.sep + tail)[0] + ".txt"
    batch = first_batch([(image, boxes_of(label_file(image))) for image in images])
    samples = [(read_image(image, os.path.splitext(image)[1]), boxes) for image, boxes in batch]
    loss = train_one_step(samples, classes=len(data["names"]))
    print("yolo: %d tiles, %d objects, loss %.4f" % (len(samples), sum(len(b) for _, b in samples), loss))


if __name__ == "__main__":
    main()
