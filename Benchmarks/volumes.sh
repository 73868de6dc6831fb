#!/usr/bin/env bash
# The volume benchmark of issue 13: 2000 object-balanced patches of 96 x 96 x 48 (image and
# mask, uncompressed .nii) from a 512 x 512 x 1000 int16 .nii.gz, loading included, against
# nibabel loading the arrays (np.asanyarray(nib.load(p).dataobj)), slicing the same windows and
# nib.save-ing each patch. Prints wall time and peak RSS of both (GNU time).
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
/usr/bin/time -f "scaletile: %e s, peak RSS %M KB" "$bin" sample "$data/volume_512x512x1000.nii.gz" \
  --labels "$data/volume_512x512x1000_mask.nii.gz" --strategy object-balanced --count 2000 \
  --patch 96x96x48 --format nii --out "$data/volume_out" --quiet
/usr/bin/time -f "nibabel:   %e s, peak RSS %M KB" "$py" Benchmarks/volume_nibabel_peer.py \
  "$data/volume_512x512x1000.nii.gz" "$data/volume_512x512x1000_mask.nii.gz" "$data/volume_out/manifest.jsonl" "$data/volume_peer" >/dev/null
