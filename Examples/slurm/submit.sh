#!/usr/bin/env bash
# Submits a preset run as an N-task Slurm array plus the merge job that waits for it.
#
#   Examples/slurm/submit.sh PRESET.yaml OUTROOT MERGED [N]
#
# Prints the two job ids. SCALETILE names the executable (default: scaletile on PATH); sbatch
# passes the environment on to the jobs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
preset=$1 root=$2 merged=$3 tasks=${4:-4}
mkdir -p "$root"
array=$(sbatch --parsable --array=1-"$tasks" --chdir="$root" "$here/tile-array.sbatch" "$preset" "$root")
merge=$(sbatch --parsable --dependency=afterok:"$array" --chdir="$root" "$here/merge.sbatch" "$root" "$merged")
echo "$array $merge"
