#!/usr/bin/env bash
# Installs the system packages ScaleTile builds against, only those that are missing:
# GDAL (library, headers and command-line tools the tests use as independent truth), libtiff,
# nifticlib and teem (NIfTI and NRRD volumes), libarchive (webdataset shards), cairo
# (quicklook) and pkg-config. Extra package names given as arguments are installed the same way.
# Debian/Ubuntu; uses sudo when not root.
set -euo pipefail
packages=(libgdal-dev gdal-bin libtiff-dev libnifti2-dev libteem-dev libarchive-dev libcairo2-dev pkg-config "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]}" >&2
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
