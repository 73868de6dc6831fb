"""One training step of a tiny PyTorch detector on ScaleTile WebDataset shards (CPU, torch alone).

    python Examples/train_webdataset.py OUT     # OUT made with --layout webdataset

Streams OUT/shards/train-*.tar with the `webdataset` package: each sample holds the tile
(`png`, `tif` or `npy` bytes) and its manifest line (`json`), whose `objects` give the boxes in
tile pixels. Class numbers follow the class list of OUT/summary.json. Prints the loss of one
SGD step.
"""
import glob
import json
import os
import sys

import webdataset as wds

from tiny_detector import first_batch, read_image, train_one_step, usage


def main():
    if len(sys.argv) != 2:
        raise SystemExit(usage(__file__, "webdataset"))
    out = sys.argv[1]
    summary = json.load(open(os.path.join(out, "summary.json")))
    names = [c["className"] for c in summary.get("labels", {}).get("classWeights", {}).get("classes", [])]
    shards = sorted(glob.glob(os.path.join(out, "shards", "train-*.tar")))
    items = []
    for sample in wds.WebDataset(shards, shardshuffle=False, empty_check=False):
        line = json.loads(sample["json"])
        extension = next(k for k in ("png", "tif", "jpg", "npy") if k in sample)
        image = read_image(sample[extension], extension)
        h, w = image.shape[1:]
        boxes = [(names.index(o["class"]) if o["class"] in names else 0, (o["bbox"][0] + o["bbox"][2] / 2) / w,
                  (o["bbox"][1] + o["bbox"][3] / 2) / h, o["bbox"][2] / w, o["bbox"][3] / h)
                 for o in line.get("objects", []) if o.get("bbox")]
        items.append((image, boxes))
    samples = first_batch(items)
    loss = train_one_step(samples, classes=max(len(names), 1))
    print("webdataset: %d tiles, %d objects, loss %.4f" % (len(samples), sum(len(b) for _, b in samples), loss))


if __name__ == "__main__":
    main()
