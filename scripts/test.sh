#!/usr/bin/env bash
# The test command of the README and of CI: system packages if missing, then every test.
# Tests that need ../shared/data skip, saying why, where that folder is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
SCALETILE_PYTHON="${SCALETILE_PYTHON:-$(scripts/client-venv.sh)}"
export SCALETILE_PYTHON
swift build --build-tests
swift test --skip-build "$@"
# A real Slurm (single node, daemons started and stopped here): sharded run + merge = unsharded run.
if [ $# -eq 0 ]; then scripts/slurm-test.sh; fi
