"""One training step of a tiny PyTorch detector on a ScaleTile COCO layout (CPU, torch alone).

    python Examples/train_coco.py OUT     # OUT made with --layout coco

Reads OUT/annotations/instances_train.json with pycocotools and the images from
OUT/images/train/; ignore regions (`iscrowd: 1`: other splits' objects, slivers) are left out
of the targets, as a COCO trainer masks them. Prints the loss of one SGD step.
"""
import contextlib
import io
import os
import sys

from pycocotools.coco import COCO

from tiny_detector import first_batch, read_image, train_one_step, usage


def main():
    if len(sys.argv) != 2:
        raise SystemExit(usage(__file__, "coco"))
    out = sys.argv[1]
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints its timing
        coco = COCO(os.path.join(out, "annotations", "instances_train.json"))
    category_index = {c: i for i, c in enumerate(sorted(coco.getCatIds()))}
    items = []
    for image in coco.loadImgs(sorted(coco.getImgIds())):
        w, h = image["width"], image["height"]
        boxes = [(category_index[a["category_id"]], (a["bbox"][0] + a["bbox"][2] / 2) / w, (a["bbox"][1] + a["bbox"][3] / 2) / h,
                  a["bbox"][2] / w, a["bbox"][3] / h)
                 for a in coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]], iscrowd=False))]
        items.append((os.path.join(out, "images", "train", image["file_name"]), boxes))
    samples = [(read_image(path, os.path.splitext(path)[1]), boxes) for path, boxes in first_batch(items)]
    loss = train_one_step(samples, classes=len(category_index))
    print("coco: %d tiles, %d objects, loss %.4f" % (len(samples), sum(len(b) for _, b in samples), loss))


if __name__ == "__main__":
    main()
