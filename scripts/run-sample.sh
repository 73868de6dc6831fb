#!/usr/bin/env bash
# The README's main job: a Domains/ preset on the bundled SampleData, in a release build.
#
#   scripts/run-sample.sh [PRESET] [OUT]
#
# Default preset: Domains/satellite/landsat-grid.yaml (multiscale tiling with labels, audit at
# the end); default output folder: sample-out/ (replaced if it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-Domains/satellite/landsat-grid.yaml}"
out="${2:-sample-out}"
scripts/install-system-packages.sh
swift build -c release --product scaletile
.build/release/scaletile run "$preset" --out "$out" --overwrite
echo "output in $out: manifest.jsonl, summary.json and each input's tiles under scenes/ or stacks/" >&2
