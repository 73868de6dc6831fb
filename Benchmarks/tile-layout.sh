#!/usr/bin/env bash
# Which internal layout should GeoTIFF tiles have? Writes the same 512-px tiles of a 4096² × 3
# uint16 scene (the Landsat crop of ../shared/data upsampled) in strips, 256-px blocks and one
# 512-px block, with one encoder thread, and reports per tile the CPU of writing it and of
# reading it whole once, through GDAL (ctypes, no Python bindings needed) and tifffile.
#
#   Benchmarks/tile-layout.sh [PYTHON]      (PYTHON: the client environment, with tifffile)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-${SCALETILE_PYTHON:-.venv-clients/bin/python}}"
swift build -c release --product scaletile >&2
bin=.build/release/scaletile
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
gdal_translate -q -outsize 4096 4096 -r bilinear -co TILED=YES -co COMPRESS=DEFLATE \
  ../shared/data/satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif "$work/scene.tif"
for layout in strips blocks256 block512; do
  case $layout in
    strips) co=();;
    blocks256) co=(--co TILED=YES);;
    block512) co=(--co TILED=YES --co BLOCKXSIZE=512 --co BLOCKYSIZE=512);;
  esac
  cpu=$( { /usr/bin/time -f "%U %S" "$bin" tile "$work/scene.tif" --out "$work/$layout" --threads 1 --quiet "${co[@]}" ; } 2>&1 | tail -1)
  "$python" - "$work/$layout" "$layout" "$cpu" <<'PY'
import ctypes, glob, sys, time, tifffile
folder, layout, cpu = sys.argv[1], sys.argv[2], sys.argv[3].split()
files = sorted(glob.glob(folder + "/tiles/**/*.tif", recursive=True))
g = ctypes.CDLL("libgdal.so"); g.GDALAllRegister()
V, I = ctypes.c_void_p, ctypes.c_int
g.GDALOpen.restype = V; g.GDALOpen.argtypes = [ctypes.c_char_p, I]
for f in (g.GDALGetRasterXSize, g.GDALGetRasterYSize, g.GDALGetRasterCount, g.GDALClose): f.argtypes = [V]
g.GDALDatasetRasterIO.argtypes = [V, I, I, I, I, I, V, I, I, I, I, V, I, I, I]
g.CPLSetConfigOption(b"GDAL_CACHEMAX", b"0")
def gdal_read(path):
    d = g.GDALOpen(path.encode(), 0)
    w, h, n = g.GDALGetRasterXSize(d), g.GDALGetRasterYSize(d), g.GDALGetRasterCount(d)
    buf = ctypes.create_string_buffer(w * h * n * 2)
    assert g.GDALDatasetRasterIO(d, 0, 0, 0, w, h, buf, w, h, 2, n, None, 0, 0, 0) == 0
    g.GDALClose(d)
def per_tile(read, reps=5):
    start = time.process_time()
    for _ in range(reps):
        for f in files: read(f)
    return (time.process_time() - start) / reps / len(files) * 1000
write = (float(cpu[0]) + float(cpu[1])) / len(files) * 1000
print(f"{layout:10s} {len(files)} tiles: write {write:.1f} ms, GDAL read {per_tile(gdal_read):.1f} ms, tifffile read {per_tile(tifffile.imread):.1f} ms (CPU per tile)")
PY
done
