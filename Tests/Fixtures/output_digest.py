"""Digest of a ScaleTile output folder, for the regression test (RegressionChecksumTests).

Text files (JSON, JSONL, GeoJSON, YOLO, CSV) are digested as text with the package root and the
output folder replaced by placeholders; rasters by what they hold, read by the clients' own
readers (tifffile, Pillow, numpy), not by ScaleTile: the sample array (shape, dtype, bytes) plus
the georeferencing and nodata tags of TIFFs. A change of internal layout (strips or blocks,
compression) leaves the digest alone; a change of any pixel, georeference or label does not.

    python output_digest.py OUT ROOT   ->   {"relative/path": "sha256", ...} on stdout
"""
import hashlib, json, os, sys

import numpy as np
import tifffile
from PIL import Image

GEO_TAGS = (33550, 33922, 34264, 34735, 34736, 34737, 42113)
IMAGEJ_OR_OME = (270,)  # ImageDescription: ImageJ spacing / OME metadata


def array_digest(array, extra=b""):
    h = hashlib.sha256()
    h.update(str(array.shape).encode() + str(array.dtype).encode())
    h.update(np.ascontiguousarray(array).tobytes())
    h.update(extra)
    return h.hexdigest()


def tiff_digest(path):
    with tifffile.TiffFile(path) as tif:
        pages = [page.asarray() for page in tif.pages]
        extra = b""
        for page in tif.pages:
            for code in GEO_TAGS + IMAGEJ_OR_OME:
                tag = page.tags.get(code)
                if tag is not None:
                    extra += f"{code}={tag.value!r};".encode()
            for sub in page.subifds or []:
                extra += f"subifd@{len(page.subifds)};".encode()
    return array_digest(np.stack(pages) if len({p.shape for p in pages}) == 1 else pages[0], extra)


def digest(path, out, root):
    name = path.lower()
    if name.endswith((".tif", ".tiff")):
        return tiff_digest(path)
    if name.endswith((".png", ".jpg", ".jpeg")):
        return array_digest(np.asarray(Image.open(path)))
    if name.endswith(".npy"):
        return array_digest(np.load(path))
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    if os.path.basename(path) == "summary.json":
        summary = json.loads(text)
        if isinstance(summary, dict) and summary.get("command") == "run":
            # The preset as it ran records every field, and fields are added on purpose; what
            # the preset did is checked by every other file of the run.
            summary.pop("settings", None)
            text = json.dumps(summary, sort_keys=True, indent=2)
    text = text.replace(os.path.abspath(out), "<out>").replace(os.path.abspath(root), "<root>")
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    out, root = sys.argv[1], sys.argv[2]
    result = {}
    for folder, _, files in os.walk(out):
        for file in files:
            path = os.path.join(folder, file)
            result[os.path.relpath(path, out)] = digest(path, out, root)
    json.dump(result, sys.stdout, sort_keys=True, indent=0)


if __name__ == "__main__":
    main()
