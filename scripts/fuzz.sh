#!/usr/bin/env bash
# Long mutation runs of every parser ScaleTile owns (the Fuzz* suites): label formats,
# presets, OME-XML and ImageJ metadata, GeoJSON through OGR, `.npy` arrays, and the manifests,
# summaries and `.npy` tiles `merge`, `split` and `stitch` read back. The normal test run does a few
# thousand cases per parser from a fixed seed; this runs more, from fresh seeds, until told
# to stop.
#
#   scripts/fuzz.sh [CASES] [ROUNDS]    default 100000 cases per parser, 10 rounds
#
# A failure prints the suite, the case index and the seed: SCALETILE_FUZZ_SEED=<seed>
# SCALETILE_FUZZ_CASES=<cases> swift test --filter <suite> reproduces it, and
# SCALETILE_FUZZ_TRACE=1 writes each label-parser input to /tmp before it runs.
# The engine is the seeded mutator of Tests/TestSupport (InputMutator). A libFuzzer harness
# (-sanitize=fuzzer; this toolchain ships the runtime) is not written yet.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-100000}"
rounds="${2:-10}"
swift build --build-tests
for round in $(seq 1 "$rounds"); do
    seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
    echo "round $round: SCALETILE_FUZZ_SEED=$seed SCALETILE_FUZZ_CASES=$cases"
    SCALETILE_FUZZ_SEED="$seed" SCALETILE_FUZZ_CASES="$cases" \
        swift test --skip-build --filter 'Fuzz' || { echo "failed with SCALETILE_FUZZ_SEED=$seed"; exit 1; }
done
