#!/usr/bin/env bash
# Tiles every scene of a folder with a preset, one `scaletile run` per scene, and stops at the
# first failure with what its exit code means.
#
#   Examples/tile-folder.sh PRESET.yaml SCENES_FOLDER OUT_FOLDER
#
# Each scene gets OUT_FOLDER/<name>/; a scene finished by an earlier call is kept (--resume),
# so the script can be run again after an interruption. SCALETILE names the executable
# (default: scaletile on PATH). For one run over all scenes, with one manifest, use instead:
#   scaletile run PRESET.yaml --input 'SCENES_FOLDER/*.tif' --out OUT_FOLDER
set -uo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 PRESET.yaml SCENES_FOLDER OUT_FOLDER" >&2
    exit 64
fi
preset=$1
scenes=$2
out=$3
scaletile=${SCALETILE:-scaletile}

# The exit codes of scaletile (sysexits.h numbers), as documented in `scaletile --help`.
meaning() {
    case $1 in
        64) echo "invalid arguments (a command-line value, or a --set override)" ;;
        65) echo "invalid input data (the scene is not what the preset expects, or is damaged)" ;;
        66) echo "input not found" ;;
        69) echo "the preset needs a job this build of scaletile does not have" ;;
        74) echo "read or write error (disk full? permissions?)" ;;
        78) echo "invalid preset (the error line names the file, line and key)" ;;
        *)  echo "unexpected failure" ;;
    esac
}

shopt -s nullglob nocaseglob
files=("$scenes"/*.tif "$scenes"/*.tiff "$scenes"/*.jp2 "$scenes"/*.vrt)
shopt -u nocaseglob
if [ ${#files[@]} -eq 0 ]; then
    echo "$scenes: no scenes (.tif, .tiff, .jp2, .vrt) in this folder" >&2
    exit 66
fi

# Check the preset once, before the first scene (a dry run writes nothing).
"$scaletile" run "$preset" --input "${files[0]}" --out "$out" --dry-run > /dev/null
status=$?
if [ $status -ne 0 ]; then
    echo "stopped before the first scene: exit $status, $(meaning $status)" >&2
    exit $status
fi

done_count=0
for scene in "${files[@]}"; do
    name=$(basename "$scene")
    name=${name%.*}
    echo "[$((done_count + 1))/${#files[@]}] $scene" >&2
    "$scaletile" run "$preset" --input "$scene" --out "$out/$name" --resume --quiet
    status=$?
    if [ $status -ne 0 ]; then
        echo "stopped at $scene: exit $status, $(meaning $status); $done_count of ${#files[@]} scenes done" >&2
        exit $status
    fi
    done_count=$((done_count + 1))
done
echo "tiled $done_count scenes into $out" >&2
