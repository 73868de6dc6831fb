#!/usr/bin/env bash
# Long mutation runs of every parser ScaleTile owns (the Fuzz* suites): label formats,
# presets, OME-XML and ImageJ metadata, GeoJSON through OGR, `.npy` arrays, and the manifests,
# summaries and `.npy` tiles `merge`, `split` and `stitch` read back. The normal test run does a few
# thousand cases per parser from a fixed seed; this runs more, from fresh seeds, until told
# to stop.
#
#   scripts/fuzz.sh [CASES] [ROUNDS]    default 100000 cases per parser, 10 rounds
#   scripts/fuzz.sh --libfuzzer SECONDS [TARGET...]
#                                       libFuzzer (-sanitize=fuzzer,address) for SECONDS per
#                                       target: coco yolo voc csv preset ome imagej npy (all
#                                       when none is named); the harness is the Fuzz/ package
#
# A failure prints the suite, the case index and the seed: SCALETILE_FUZZ_SEED=<seed>
# SCALETILE_FUZZ_CASES=<cases> swift test --filter <suite> reproduces it, and
# SCALETILE_FUZZ_TRACE=1 writes each label-parser input to /tmp before it runs.
# The engine is the seeded mutator of Tests/TestSupport (InputMutator). With --libfuzzer the
# engine is libFuzzer: corpora grow in Fuzz/corpus/<target> (from Fuzz/seeds/<target>), and a
# crash leaves its input as Fuzz/crash-<target>-* (rerun: the binary with that file).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--libfuzzer" ]; then
    seconds="${2:?--libfuzzer SECONDS [TARGET...]}"
    shift 2
    targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=(coco yolo voc csv preset ome imagej npy)
    (cd Fuzz && swift build --product scaletile-fuzz -Xswiftc -sanitize=fuzzer,address)
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
    for target in "${targets[@]}"; do
        mkdir -p "Fuzz/corpus/$target"
        echo "libFuzzer: $target for ${seconds}s"
        SCALETILE_FUZZ_TARGET="$target" Fuzz/.build/debug/scaletile-fuzz \
            -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
            -artifact_prefix="Fuzz/crash-$target-" "Fuzz/corpus/$target" "Fuzz/seeds/$target" 2>&1 \
            | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' || true
        if ls "Fuzz/crash-$target-"* >/dev/null 2>&1; then echo "libFuzzer found a crash in $target: $(ls Fuzz/crash-$target-*)"; exit 1; fi
    done
    exit 0
fi
cases="${1:-100000}"
rounds="${2:-10}"
swift build --build-tests
for round in $(seq 1 "$rounds"); do
    seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
    echo "round $round: SCALETILE_FUZZ_SEED=$seed SCALETILE_FUZZ_CASES=$cases"
    SCALETILE_FUZZ_SEED="$seed" SCALETILE_FUZZ_CASES="$cases" \
        swift test --skip-build --filter 'Fuzz' || { echo "failed with SCALETILE_FUZZ_SEED=$seed"; exit 1; }
done
