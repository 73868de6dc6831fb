#!/usr/bin/env bash
# Times `scaletile split` on an output of 102,400 windows (64-px tiles of a 20480² scene with
# 20,000 boxes), for the folder, yolo and coco layouts, and what --layout adds to a tiling run
# (the issue's bounds: under 5 s; at most 10 % more wall time).
#
#   Benchmarks/split.sh            # builds scaletile in release mode
#   SCALETILE=path Benchmarks/split.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SCALETILE:-}"
if [ -z "$bin" ]; then
  swift build -c release --product scaletile
  bin=.build/release/scaletile
fi
data="${BENCH_DATA:-/tmp/benchdata}/split"
mkdir -p "$data"
scene="$data/scene_20480.tif"
[ -f "$scene" ] || gdal_create -q -of GTiff -outsize 20480 20480 -bands 3 -ot Byte -burn 90 -co TILED=YES -co COMPRESS=DEFLATE "$scene"
labels="$data/boxes.csv"
if [ ! -f "$labels" ]; then
  python3 - "$labels" <<'PY'
import random, sys
random.seed(0)
with open(sys.argv[1], "w") as f:
    f.write("image_path,xmin,ymin,xmax,ymax,label\n")
    for i in range(20000):
        w = random.choice([6, 10, 16, 24, 40]); h = random.choice([6, 10, 16, 24, 40])
        x = random.randrange(0, 20480 - w); y = random.randrange(0, 20480 - h)
        f.write(f"scene_20480.tif,{x},{y},{x + w},{y + h},{random.choice(['car', 'car', 'truck', 'bus'])}\n")
PY
fi
timed() { /usr/bin/time -f "$1: %e s wall, %M KB peak" "${@:2}"; }
base="$data/out_base"
[ -f "$base/summary.json" ] || { rm -rf "$base"; timed "tile 102,400 windows (folder)" "$bin" tile "$scene" --labels "$labels" --tile-size 64 --overlap 0 --format png --export none --out "$base" --quiet; }
echo "windows: $(wc -l < "$base/manifest.jsonl")"
for layout in folder yolo coco; do
  out="$data/out_$layout"
  rm -rf "$out"
  # Hard-linked clone: split rewrites manifest and summary by rename, so the base stays intact.
  cp -al "$base" "$out"
  timed "split --layout $layout" "$bin" split "$out" --split train=0.8,val=0.1,test=0.1 --layout "$layout" --quiet
done
# What a layout adds to a tiling run: 512-px tiles of the same scene, folder against yolo and coco.
for layout in folder yolo coco; do
  rm -rf "$data/tile_$layout"
  timed "tile 1600 tiles --split --layout $layout" "$bin" tile "$scene" --labels "$labels" --tile-size 512 --overlap 32 --format png --export none \
    --split train=0.8,val=0.2 --layout "$layout" --out "$data/tile_$layout" --quiet
done
