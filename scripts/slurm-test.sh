#!/usr/bin/env bash
# A real Slurm on this machine: installs slurm-wlm and munge when missing, starts munged (unless
# one runs already), slurmctld and slurmd with a generated single-node configuration on free
# ports, submits Examples/slurm (a 4-task array of `scaletile run PRESET --shard auto` and the
# merge job with --dependency=afterok), and checks that the merged folder equals an unsharded
# run byte for byte. Every daemon it started is stopped by pid on exit (../shared/docs/slurm-single-node.md).
#
#   scripts/slurm-test.sh            (as root, else through sudo: Slurm runs its jobs as root here)
#
# SCALETILE names the executable (default: .build/debug/scaletile, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)
fail() { echo "slurm-test: $*" >&2; exit 1; }
# slurmd runs the jobs as root in this configuration.
[ "$(id -u)" -eq 0 ] || exec sudo -E "$0" "$@"
scripts/install-system-packages.sh slurm-wlm munge
export SCALETILE="${SCALETILE:-$root/.build/debug/scaletile}"
[ -x "$SCALETILE" ] || swift build --product scaletile
preset="$root/Domains/satellite/aerial-vehicles.yaml"

S=$(mktemp -d /tmp/scaletile-slurm.XXXXXX)
mkdir -p "$S/state" "$S/spool" "$S/log" "$S/work"
munged_pid=""
stop() {
  local pids=()
  for f in "$S/slurmd.pid" "$S/slurmctld.pid"; do [ -s "$f" ] && pids+=("$(cat "$f")"); done
  [ -n "$munged_pid" ] && pids+=("$munged_pid")
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  rm -rf "$S"
}
trap stop EXIT

# munge: reuse a running daemon (someone else's: not ours to stop), else start one.
if [ -s /run/munge/munged.pid ] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; then
  echo "slurm-test: using the munged already running (pid $(cat /run/munge/munged.pid))"
else
  [ -f /etc/munge/munge.key ] || mungekey -c
  mkdir -p /run/munge && chown munge:munge /run/munge
  munged --force 2>/dev/null
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  munged_pid=$(cat /run/munge/munged.pid)
fi

# Ports of our own, so a Slurm already on the machine is neither disturbed nor used.
port=$((20000 + RANDOM % 20000))
host=$(hostname)
cpus=$(nproc)
memory=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
cat > "$S/slurm.conf" <<CONF
ClusterName=scaletile
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/ctld.log
SlurmdLogFile=$S/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
SchedulerParameters=sched_interval=1
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$S/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
  [ "$(sinfo -h -o %t 2>/dev/null)" = "idle" ] && break
  sleep 0.2
done
[ "$(sinfo -h -o %t)" = "idle" ] || { cat "$S/log/ctld.log" "$S/log/d.log" >&2; fail "the node did not become idle"; }

# The array (tasks run as CPUs allow) and the merge.
read -r array merge < <(Examples/slurm/submit.sh "$preset" "$S/work" "$S/merged" 4)
echo "slurm-test: array job $array, merge job $merge"
for _ in $(seq 600); do
  [ -z "$(squeue -h -o %i)" ] && break
  if squeue -h -o %r | grep -q DependencyNeverSatisfied; then
    cat "$S/work"/*.log >&2; fail "an array task failed"
  fi
  sleep 0.2
done
[ -z "$(squeue -h -o %i)" ] || { squeue >&2; fail "jobs still queued after 120 s"; }
[ -f "$S/merged/manifest.jsonl" ] || { cat "$S/work"/*.log >&2; fail "the merge job wrote nothing"; }
shards=$(ls -d "$S/work"/shard-* | wc -l)
[ "$shards" -eq 4 ] || fail "expected 4 shard folders, found $shards"

"$SCALETILE" run "$preset" --out "$S/whole" --quiet
if ! diff -r "$S/merged" "$S/whole" >&2; then fail "the merged folder differs from the unsharded run"; fi
files=$(find "$S/whole" -type f | wc -l)
echo "slurm-test: 4 Slurm array tasks + afterok merge = unsharded run, $files files byte for byte ($(( $(date +%s) - started )) s)"
