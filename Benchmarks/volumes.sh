#!/usr/bin/env bash
# The volume benchmark of issue 13: 2000 object-balanced patches of 96 x 96 x 48 (image and
# mask, uncompressed .nii) from a 512 x 512 x 1000 int16 .nii.gz, loading included, against
# nibabel loading the arrays (np.asanyarray(nib.load(p).dataobj)), slicing the same windows and
# nib.save-ing each patch. Prints wall time and peak RSS of both (GNU time -v) and their
# ratios. A release build (swift build -c release). Run it once, on a quiet machine.
#
#   Benchmarks/volumes.sh      (client python: SCALETILE_PYTHON or .venv-clients/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
py="${SCALETILE_PYTHON:-.venv-clients/bin/python}"
data="${BENCH_DATA:-/tmp/benchdata}"
mkdir -p "$data"
swift build -c release --product scaletile
bin="$(swift build -c release --show-bin-path)/scaletile"
[ -f "$data/volume_512x512x1000.nii.gz" ] || "$py" Benchmarks/volume_make.py "$data"
rm -rf "$data/volume_out" "$data/volume_peer"
# GNU time -v: the wall clock and peak RSS lines of each run, then the ratios.
measure() {
  local name="$1"; shift
  /usr/bin/time -v "$@" 2> "$data/volume_$name.time" >/dev/null
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$data/volume_$name.time" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  rss=$(grep "Maximum resident set size" "$data/volume_$name.time" | awk '{print $NF}')
  echo "$name: $wall s, peak RSS $((rss / 1024)) MB"
  eval "${name}_wall=$wall; ${name}_rss=$rss"
}
measure scaletile "$bin" sample "$data/volume_512x512x1000.nii.gz" \
  --labels "$data/volume_512x512x1000_mask.nii.gz" --strategy object-balanced --count 2000 \
  --patch 96x96x48 --format nii --out "$data/volume_out" --quiet
measure nibabel "$py" Benchmarks/volume_nibabel_peer.py \
  "$data/volume_512x512x1000.nii.gz" "$data/volume_512x512x1000_mask.nii.gz" "$data/volume_out/manifest.jsonl" "$data/volume_peer"
echo "patches: $(wc -l < "$data/volume_out/manifest.jsonl") (image + mask each)"
awk -v a="$nibabel_wall" -v b="$scaletile_wall" -v c="$scaletile_rss" -v d="$nibabel_rss" \
  'BEGIN { printf "nibabel / scaletile wall: %.2fx; scaletile / nibabel peak RSS: %.3f\n", a / b, c / d }'
