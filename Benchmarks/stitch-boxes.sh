#!/usr/bin/env bash
# Box stitching speed (issue 14): 1,000,000 JSONL boxes over 10,000 tiles (a 100 × 100 grid of
# 512-px tiles, overlap 64) stitched with `--merge nms`; wall, CPU and peak RSS from
# /usr/bin/time -v; release build. The run folder is a manifest and summary written here (no
# pixels: stitching boxes reads neither tiles nor scene).
#
#   Benchmarks/stitch-boxes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product scaletile >&2
bin=$PWD/.build/release/scaletile
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import json, os, random, sys
work = sys.argv[1]; os.makedirs(work + "/run")
random.seed(14)
stride, size, n = 448, 512, 100
scene = stride * (n - 1) + size
with open(work + "/run/manifest.jsonl", "w") as m, open(work + "/boxes.jsonl", "w") as p:
    for j in range(n):
        for i in range(n):
            tid = f"t_{i:03d}_{j:03d}"
            m.write(json.dumps({"id": tid, "path": f"tiles/{tid}.tif", "level": 0, "scale": 1, "reason": "grid", "source": "scene.tif",
                                "window": {"x": i * stride, "y": j * stride, "width": size, "height": size}}) + "\n")
            for _ in range(100):
                w, h = random.uniform(4, 60), random.uniform(4, 60)
                x, y = random.uniform(0, size - w), random.uniform(0, size - h)
                p.write(f'{{"id":"{tid}","bbox":[{x:.2f},{y:.2f},{w:.2f},{h:.2f}],"score":{random.random():.4f},"class":"c{random.randrange(3)}"}}\n')
json.dump({"sceneSize": [scene, scene], "source": "scene.tif"}, open(work + "/run/summary.json", "w"))
PY
/usr/bin/time -v -o "$work/time.txt" "$bin" stitch "$work/run" --predictions "$work/boxes.jsonl" --out "$work/out" --merge nms --quiet
python3 - "$work/time.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = t.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split("\n")[0].split(":")
seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall)))
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
print(f"1,000,000 boxes over 10,000 tiles, --merge nms: wall {seconds:.2f} s, cpu {cpu:.2f} s, peak RSS {rss:.0f} MB")
PY
