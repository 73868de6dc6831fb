#!/usr/bin/env bash
# The test command of the README and of CI: system packages if missing, then every test.
# Tests that need ../shared/data skip, saying why, where that folder is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
SCALETILE_PYTHON="${SCALETILE_PYTHON:-$(scripts/client-venv.sh)}"
export SCALETILE_PYTHON
# `--sanitize address` (first): the whole run under AddressSanitizer, in its own build folder
# so the normal build stays; leak checks off, since GDAL and the Swift runtime keep one-time
# allocations on purpose. Run for the note, not in .ci/run.
if [[ "${1:-}" == "--sanitize" ]]; then
    sanitizer="${2:?--sanitize needs a sanitizer name, e.g. address}"
    shift 2
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path ".build-$sanitizer"
    swift test --skip-build --sanitize="$sanitizer" --scratch-path ".build-$sanitizer" "$@"
    exit
fi
swift build --build-tests
swift test --skip-build "$@"
# A real Slurm (single node, daemons started and stopped here): sharded run + merge = unsharded run.
if [ $# -eq 0 ]; then scripts/slurm-test.sh; fi
