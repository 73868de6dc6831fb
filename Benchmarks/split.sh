#!/usr/bin/env bash
# Times `scaletile split` on an output of 102,400 windows (64-px tiles of a 20480² scene with
# 20,000 boxes), for the folder, yolo and coco layouts, and what --layout adds to a tiling run
# (the issue's bounds: under 5 s; at most 10 % more wall time).
#
#   Benchmarks/split.sh            # builds scaletile in release mode
#   SCALETILE=path Benchmarks/split.sh
#   REPS=5 Benchmarks/split.sh     # best of 5 per figure (default 3: the machine may be shared)
#
# Ends with a table of the figures against the bounds. Each figure is the fastest of REPS runs,
# since on a shared machine the slow runs measure the neighbours.
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
reps="${REPS:-3}"
# best_of LABEL FUNCTION: REPS times, `FUNCTION REP` sets the command `cmd`, which runs under
# /usr/bin/time; prints each wall time and peak memory, and leaves the fastest wall time in $best.
best_of() {
  local label=$1 run=$2
  best=""
  for rep in $(seq 1 "$reps"); do
    "$run" "$rep"
    /usr/bin/time -o "$data/time.txt" -f "%e %M" "${cmd[@]}"
    read -r wall peak < "$data/time.txt"
    echo "$label (run $rep): $wall s wall, $peak KB peak"
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
  done
}
base="$data/out_base"
if [ ! -f "$base/summary.json" ]; then
  rm -rf "$base"
  "$bin" tile "$scene" --labels "$labels" --tile-size 64 --overlap 0 --format png --export none --out "$base" --quiet
fi
windows=$(wc -l < "$base/manifest.jsonl")
echo "windows: $windows"
# Each run writes into a folder of its own, and the folders of this session are removed only at
# the end: on a file system without a journal (ext2, ext4 without one) ext4 skips inodes freed
# in the last 30-60 s when it allocates, so deleting one run's label files just before the next
# run times the file system's search for inodes, not ScaleTile.
rm -rf "$data"/run_*
trap 'rm -rf "$data"/run_*' EXIT
split_run() {
  # A hard-linked clone (made before the clock starts, below): split rewrites manifest and
  # summary by rename, so the base stays intact.
  cmd=("$bin" split "$data/run_split_${layout}_$1" --split train=0.8,val=0.1,test=0.1 --layout "$layout" --quiet)
}
tile_run() {
  cmd=("$bin" tile "$scene" --labels "$labels" --tile-size 512 --overlap 32 --format png --export none \
    --split train=0.8,val=0.2 --layout "$layout" --out "$data/run_tile_${layout}_$1" --quiet)
}
declare -A split_time tile_time
for layout in folder yolo coco; do
  for rep in $(seq 1 "$reps"); do cp -al "$base" "$data/run_split_${layout}_$rep"; done
  best_of "split --layout $layout" split_run
  split_time[$layout]=$best
done
# What a layout adds to a tiling run: 512-px tiles (32 shared) of the same scene, folder against yolo and coco.
for layout in folder yolo coco; do
  best_of "tile 512-px tiles --split --layout $layout" tile_run
  tile_time[$layout]=$best
done
tiles=$(wc -l < "$data/run_tile_folder_1/manifest.jsonl")
echo
echo "Split and layouts: best of $reps runs, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %9s   %s\n' "figure" "wall" "bound"
for layout in folder yolo coco; do
  printf '%-34s %8.2fs   %s\n' "split $windows windows, $layout" "${split_time[$layout]}" \
    "$(awk -v t="${split_time[$layout]}" 'BEGIN { print (t < 5 ? "< 5 s: ok" : "< 5 s: OVER") }')"
done
printf '%-34s %8.2fs   %s\n' "tile $tiles tiles, folder" "${tile_time[folder]}" "(reference)"
for layout in yolo coco; do
  printf '%-34s %8.2fs   %s\n' "tile $tiles tiles, $layout" "${tile_time[$layout]}" \
    "$(awk -v t="${tile_time[$layout]}" -v f="${tile_time[folder]}" 'BEGIN { p = (t / f - 1) * 100; printf "%+.1f %% over folder (bound +10 %%: %s)", p, (p <= 10 ? "ok" : "OVER") }')"
done
