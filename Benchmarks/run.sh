#!/usr/bin/env bash
# Builds ScaleTile and its benchmark tool in release mode, makes the peers' inputs when they
# are missing, and times every case of one group next to its peers in the same run.
#
#   Benchmarks/run.sh [tiling|pyramid|medical|sampling|all] [--reps N]
#
# Inputs go to /tmp/benchdata (BENCH_DATA): the peers' scene, CT stack and mask from
# ../shared/bench/peers/make_data.py (needs its venv: see ../shared/bench/peers/README.md),
# plus a 20000 x 20000 x 3 uint8 scene upsampled from scene_rgb8.tif for the memory check.
set -euo pipefail
cd "$(dirname "$0")/.."
group="${1:-all}"; shift || true
reps=3
[ "${1:-}" = "--reps" ] && reps="$2"
data="${BENCH_DATA:-/tmp/benchdata}"

scripts/install-system-packages.sh
swift build -c release --product scaletile
# SwiftPM keeps the path dependency's file list in its build plan: drop the plan so files
# added to ScaleTile since the last benchmark build are compiled too.
(cd Benchmarks && rm -f .build/release.yaml && swift build -c release)

if [ ! -f "$data/scene_u16.tif" ] || [ ! -f "$data/ct_mask.tif" ]; then
  py="${PEERS_PY:-/opt/peers-venv/bin/python}"
  if [ ! -x "$py" ]; then
    echo "the peers' venv is missing: set it up as ../shared/bench/peers/README.md says, or set PEERS_PY" >&2
    exit 1
  fi
  mkdir -p "$data"
  "$py" ../shared/bench/peers/make_data.py --out "$data"
fi
if [ ! -f "$data/scene_rgb8_20000.tif" ]; then
  gdal_translate -q -outsize 20000 20000 -r nearest -co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512 \
    -co COMPRESS=DEFLATE -co NUM_THREADS=ALL_CPUS -co BIGTIFF=YES "$data/scene_rgb8.tif" "$data/scene_rgb8_20000.tif"
fi

run() { python3 Benchmarks/bench.py run "$@" --reps "$reps"; }
case "$group" in
  tiling|all)
    run tile_scaletile tile_scaletile_strips tile_gdal_retile tile_rasterio codec_floor tile_scaletile_1thread tile_scaletile_20000_rgb8 ;;&
  pyramid|all)
    run pyr_scaletile pyr_gdaladdo tile_levels_scaletile pyr_gdal_retile_levels ;;&
  medical|all)
    run lesion_index_scaletile lesion_index_scipy ;;&
  sampling|all)
    run sample_in_memory_scaletile sample_npy_scaletile med_monai med_torchio \
        scale_tile_scaletile scale_grid_scaletile_sahi_grid scale_stratified_scaletile ;;&
  *) ;;
esac
python3 Benchmarks/bench.py report $([ "$group" = all ] || echo "--group $group")
