#!/usr/bin/env bash
# Mosaic speed (issue 14): the tiles of a 10980² × 3 uint16 scene (512 px, overlap 64) stitched
# back into one GeoTIFF by `scaletile stitch` with a blend, against `gdalbuildvrt` followed by
# `gdal_translate` of the same tiles (which do not blend: the last tile wins in overlaps). Both
# write the same tiled DEFLATE GeoTIFF: 256-px blocks, predictor 2, band interleaving.
# Wall time and peak RSS from /usr/bin/time -v; release build.
#
#   Benchmarks/mosaic.sh [--size N] [--blend gaussian|mean|linear|center]
#
# The scene is the Landsat crop of ../shared/data upsampled to N² (default 10980, the
# benchmark scene's size), made once in $BENCH_DATA/mosaic (default /tmp/benchdata).
set -euo pipefail
cd "$(dirname "$0")/.."
size=10980; blend=gaussian
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2;;
    --blend) blend="$2"; shift 2;;
    *) echo "usage: $0 [--size N] [--blend B]" >&2; exit 64;;
  esac
done
data="${BENCH_DATA:-/tmp/benchdata}/mosaic"
mkdir -p "$data"
swift build -c release --product scaletile >&2
bin=$PWD/.build/release/scaletile

scene="$data/scene_u16_$size.tif"
if [ ! -f "$scene" ]; then
  gdal_translate -q -outsize "$size" "$size" -r bilinear -co TILED=YES -co COMPRESS=DEFLATE -co BIGTIFF=IF_SAFER \
    ../shared/data/satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif "$scene"
fi
tiles="$data/tiles_$size"
if [ ! -f "$tiles/summary.json" ]; then
  rm -rf "$tiles"
  "$bin" tile "$scene" --out "$tiles" --tile-size 512 --overlap 64 --quiet
fi

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
co=(-co TILED=YES -co BLOCKXSIZE=256 -co BLOCKYSIZE=256 -co COMPRESS=DEFLATE -co PREDICTOR=2 -co INTERLEAVE=BAND -co BIGTIFF=IF_SAFER)
measure() {  # label, command...: prints "label wall_s peak_MB"
  local label=$1; shift
  /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null
  python3 - "$label" "$work/time.txt" <<'PY'
import sys, re
text = open(sys.argv[2]).read()
wall = text.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split("\n")[0].split(":")
seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
print(f"{sys.argv[1]:28s} wall {seconds:6.2f} s  cpu {cpu:6.2f} s  peak RSS {rss:6.0f} MB")
PY
}
count=$(find "$tiles/tiles" -name '*.tif' | wc -l)
echo "mosaic of $count tiles (512 px, overlap 64) of a ${size}² × 3 uint16 scene; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "scaletile stitch --blend $blend" "$bin" stitch "$tiles" --predictions "$tiles/tiles" --out "$work/stitched" --blend "$blend" --quiet
find "$tiles/tiles" -name '*.tif' | sort > "$work/list.txt"
measure "gdalbuildvrt" gdalbuildvrt -q -input_file_list "$work/list.txt" "$work/mosaic.vrt"
measure "gdal_translate" gdal_translate -q "${co[@]}" "$work/mosaic.vrt" "$work/gdal.tif"
# The same pixels: tiles hold the scene's values, so any blend of them is the scene.
a=$(gdalinfo -checksum "$work/stitched/mosaic.tif" | grep -o 'Checksum=[0-9]*' | tr '\n' ' ')
b=$(gdalinfo -checksum "$work/gdal.tif" | grep -o 'Checksum=[0-9]*' | tr '\n' ' ')
echo "checksums: scaletile $a| gdal $b"
