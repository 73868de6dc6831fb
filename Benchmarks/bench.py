#!/usr/bin/env python3
"""ScaleTile benchmarks, timed next to the peers in the same run (standard library only).

Usage:
  python3 Benchmarks/bench.py list
  python3 Benchmarks/bench.py run CASE [CASE ...] [--reps 3]
  python3 Benchmarks/bench.py report [--group tiling|pyramid|medical|sampling]

Each repetition runs the case's untimed `pre` step, then the command under `/usr/bin/time -v`;
wall time, CPU time, peak RSS and `METRIC key=value` lines go to Benchmarks/results/CASE.json.
Peers are the same commands as ../shared/bench/peers/bench.py (gdal_retile.py, the rasterio
tiler, gdaladdo, MONAI, TorchIO, scipy), so ratios come from one machine state.
Inputs: /tmp/benchdata (../shared/bench/peers/make_data.py) plus scene_rgb8_20000.tif
(Benchmarks/run.sh makes it). Release builds only: Benchmarks/run.sh builds both packages.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "peers"))
DATA = os.environ.get("BENCH_DATA", "/tmp/benchdata")
OUT = os.path.join(DATA, "scaletile-out")
RES = os.path.join(HERE, "results")
VPY = os.environ.get("PEERS_PY", "/opt/peers-venv/bin/python")
SYSPY = "/usr/bin/python3"
SCALETILE = os.path.join(ROOT, ".build", "release", "scaletile")
BENCH = os.path.join(HERE, ".build", "release", "scaletile-bench")
CO = ["-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=2"]


def cases():
    u16 = f"{DATA}/scene_u16.tif"
    big8 = f"{DATA}/scene_rgb8_20000.tif"
    return {
        # ---- issue 2: grid tiling, 512-px tiles, 64-px overlap, DEFLATE + PREDICTOR=2
        "tile_scaletile": dict(group="tiling", cmd=lambda o: [SCALETILE, "tile", u16, "--out", o, "--tile-size", "512",
                                                               "--overlap", "64", "--co", "PREDICTOR=2", "--quiet"]),
        "tile_scaletile_strips": dict(group="tiling", cmd=lambda o: [SCALETILE, "tile", u16, "--out", o, "--tile-size", "512",   # the peers' striped layout
                                                                      "--overlap", "64", "--co", "TILED=NO", "--quiet"]),
        "tile_scaletile_1thread": dict(group="tiling", cmd=lambda o: [SCALETILE, "tile", u16, "--out", o, "--tile-size", "512",
                                                                       "--overlap", "64", "--threads", "1", "--quiet"]),
        "tile_scaletile_20000_rgb8": dict(group="tiling", cmd=lambda o: [SCALETILE, "tile", big8, "--out", o, "--quiet"]),
        "codec_floor": dict(group="tiling", cmd=lambda o: [BENCH, "codec-floor", u16, "--tile-size", "512", "--overlap", "64",
                                                            "--co", "PREDICTOR=2", "--scratch", o + "/scratch"]),
        "tile_gdal_retile": dict(group="tiling", peer=True, cmd=lambda o: ["gdal_retile.py", "-q", "-ps", "512", "512", "-overlap", "64",
                                                                            *CO, "-targetDir", o, u16]),
        "tile_rasterio": dict(group="tiling", peer=True, cmd=lambda o: [VPY, f"{PEERS}/tile_rasterio.py", u16, o]),
        # ---- issue 4: pyramids and multi-level tiling
        "pyr_scaletile": dict(group="pyramid", cmd=lambda o: [SCALETILE, "pyramid", u16, "--out", o, "--levels", "1-5", "--quiet"]),
        "pyr_gdaladdo": dict(group="pyramid", peer=True, pre=lambda o: shutil.copy(u16, f"{o}/scene_u16.tif"),
                             cmd=lambda o: ["gdaladdo", "-q", "-r", "average", f"{o}/scene_u16.tif", "2", "4", "8", "16", "32"]),
        "tile_levels_scaletile": dict(group="pyramid", cmd=lambda o: [SCALETILE, "tile", u16, "--out", o, "--levels", "0-4", "--quiet"]),
        "pyr_gdal_retile_levels": dict(group="pyramid", peer=True, cmd=lambda o: ["gdal_retile.py", "-q", "-ps", "512", "512", "-overlap", "64",
                                                                                   "-levels", "4", *CO, "-targetDir", o, u16]),
        # ---- issue 5: scale-aware tiling and sampling
        "scale_tile_scaletile": dict(group="sampling", cmd=lambda o: [
            SCALETILE, "tile", f"{DATA}/scene_rgb8.tif", "--labels", f"{DATA}/objects_coco.json", "--overlap", "auto",
            "--levels", "auto", "--object-size", "8:256", "--out", o, "--quiet"]),
        "scale_grid_scaletile_sahi_grid": dict(group="sampling", cmd=lambda o: [   # SAHI's grid: 512 px, 64 px overlap, last slice shifted
            SCALETILE, "tile", f"{DATA}/scene_rgb8.tif", "--labels", f"{DATA}/objects_coco.json", "--overlap", "64",
            "--out", o, "--quiet"]),
        "scale_stratified_scaletile": dict(group="sampling", cmd=lambda o: [
            SCALETILE, "sample", f"{DATA}/scene_rgb8.tif", "--labels", f"{DATA}/objects_coco.json", "--strategy", "scale-stratified",
            "--count", "3000", "--patch", "512x512", "--levels", "0-5", "--out", o, "--quiet"]),
        "sample_in_memory_scaletile": dict(group="sampling", cmd=lambda o: [
            BENCH, "sample-in-memory", f"{DATA}/ct_stack.tif", f"{DATA}/ct_mask.tif", "--count", "2000", "--patch", "96x96x48"]),
        "sample_npy_scaletile": dict(group="sampling", cmd=lambda o: [
            SCALETILE, "sample", f"{DATA}/ct_stack.tif", "--labels", f"{DATA}/ct_mask.tif", "--strategy", "object-balanced",
            "--count", "2000", "--patch", "96x96x48", "--format", "npy", "--out", o, "--quiet"]),
        "med_monai": dict(group="sampling", peer=True, cmd=lambda o: [
            VPY, f"{PEERS}/med_sample.py", "--tool", "monai", "--precompute", "--n", "2000", "--per-call", "4", "--seed", "0",
            "--data", DATA, "--out", o]),
        "med_torchio": dict(group="sampling", peer=True, cmd=lambda o: [
            VPY, f"{PEERS}/med_sample.py", "--tool", "torchio", "--n", "2000", "--seed", "0", "--data", DATA, "--out", o]),
        # ---- issue 3: lesion index of the peers' 256 x 512 x 512 mask, reading included
        "lesion_index_scaletile": dict(group="medical", cmd=lambda o: [BENCH, "lesion-index", f"{DATA}/ct_mask.tif"]),
        "lesion_index_scipy": dict(group="medical", peer=True, cmd=lambda o: [VPY, "-c", (
            "import time,numpy as np,tifffile,scipy.ndimage as nd\n"
            "t=time.perf_counter()\n"
            f"m=tifffile.imread('{DATA}/ct_mask.tif')\n"
            "l,n=nd.label(m,structure=np.ones((3,3,3)))\n"
            "print(f'METRIC lesions={n}')\n"
            "print(f'METRIC index_s={time.perf_counter()-t:.3f}')")]),
    }


PAIRS = [  # (ours, peer) whose wall-time ratio the report prints
    ("tile_scaletile", "tile_gdal_retile"), ("tile_scaletile", "tile_rasterio"),
    ("tile_scaletile_strips", "tile_gdal_retile"), ("tile_scaletile_strips", "tile_rasterio"),
    ("pyr_scaletile", "pyr_gdaladdo"), ("tile_levels_scaletile", "pyr_gdal_retile_levels"),
    ("lesion_index_scaletile", "lesion_index_scipy"),
    ("sample_in_memory_scaletile", "med_monai"), ("sample_in_memory_scaletile", "med_torchio"),
    ("sample_npy_scaletile", "med_monai"),
]

AUDIT_KEYS = ("containedShare", "inBandShare", "samplingBias", "containableSamplingBias", "bucketBalance",
              "targetedBucketBalance", "sizeSlope")


def audit_metrics(out):
    """The audit figures of a ScaleTile run's summary.json, as metrics."""
    path = os.path.join(out, "summary.json")
    if not os.path.exists(path):
        return {}
    audit = json.load(open(path)).get("audit") or {}
    metrics = {k: audit[k] for k in AUDIT_KEYS if k in audit}
    for c in audit.get("coverage", []):
        metrics[f"coverage{c['k']}"] = c.get("share")
    return metrics


def parse_time(path):
    text = open(path).read()

    def grab(label):
        m = re.search(re.escape(label) + r":\s*(.+)", text)
        return m.group(1).strip() if m else None

    parts = [float(p) for p in grab("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    return {"wall_s": round(wall, 2), "cpu_s": round(float(grab("User time (seconds)")) + float(grab("System time (seconds)")), 2),
            "max_rss_mb": round(int(grab("Maximum resident set size (kbytes)")) / 1024, 1),
            "exit": int(grab("Exit status") or -1)}


def run_case(name, reps):
    case = cases()[name]
    os.makedirs(RES, exist_ok=True)
    out = os.path.join(OUT, name)
    records = []
    for rep in range(reps):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        if "pre" in case:
            case["pre"](out)
        cmd = case["cmd"](out)
        tfile, lfile = out + ".time.txt", out + ".log"
        with open(lfile, "w") as log:
            subprocess.run(["/usr/bin/time", "-v", "-o", tfile, *cmd], stdout=log, stderr=subprocess.STDOUT, cwd=out)
        rec = parse_time(tfile)
        rec.update(rep=rep, started=time.strftime("%Y-%m-%d %H:%M:%S"), cmd=" ".join(cmd),
                   metrics=dict(re.findall(r"METRIC (\w+)=(\S+)", open(lfile).read())))
        if rec["exit"] != 0:
            rec["log_tail"] = open(lfile).read()[-1500:]
        records.append(rec)
        print(f"{name} rep {rep}: wall {rec['wall_s']} s, cpu {rec['cpu_s']} s, rss {rec['max_rss_mb']} MB, exit {rec['exit']} {rec['metrics']}",
              flush=True)
    path = os.path.join(RES, f"{name}.json")
    old = json.load(open(path)) if os.path.exists(path) else []
    json.dump(old + records, open(path, "w"), indent=1)


def medians(name):
    path = os.path.join(RES, f"{name}.json")
    if not os.path.exists(path):
        return None
    recs = [r for r in json.load(open(path)) if r["exit"] == 0][-3:]
    if not recs:
        return None
    m = {k: statistics.median(r[k] for r in recs) for k in ("wall_s", "cpu_s", "max_rss_mb")}
    m["reps"] = len(recs)
    m["walls"] = [r["wall_s"] for r in recs]
    m["metrics"] = {}
    for key in recs[0]["metrics"]:
        try:
            m["metrics"][key] = statistics.median(float(r["metrics"][key]) for r in recs)
        except (KeyError, ValueError):
            pass
    return m


def report(group=None):
    print("| case | reps | median wall s | median CPU s | median peak RSS MB | walls | metrics |")
    print("|---|---|---|---|---|---|---|")
    for name, case in cases().items():
        if group and case["group"] != group:
            continue
        m = medians(name)
        if m:
            tag = " (peer)" if case.get("peer") else ""
            print(f"| {name}{tag} | {m['reps']} | {m['wall_s']:.2f} | {m['cpu_s']:.2f} | {m['max_rss_mb']:.0f} | {m['walls']} | {m['metrics'] or ''} |")
    print()
    for ours, peer in PAIRS:
        a, b = medians(ours), medians(peer)
        if a and b and (not group or cases()[ours]["group"] == group):
            print(f"- {peer} / {ours}: wall {b['wall_s'] / a['wall_s']:.2f}x, peak RSS {b['max_rss_mb']:.0f} MB vs {a['max_rss_mb']:.0f} MB")
    ours, floor = medians("tile_scaletile"), medians("codec_floor")
    if ours and floor and "floor_s" in floor["metrics"] and (not group or group == "tiling"):
        f = floor["metrics"]["floor_s"]
        print(f"- codec floor {f:.2f} s (decode {floor['metrics'].get('decode_cpu_s')} s + encode "
              f"{floor['metrics'].get('encode_cpu_s')} s CPU over {int(floor['metrics'].get('cores', 1))} cores): "
              f"scaletile tile wall / floor = {ours['wall_s'] / f:.2f}")
    one = medians("tile_scaletile_1thread")
    if ours and one:
        print(f"- scaling: 1 thread {one['wall_s']:.2f} s, all cores {ours['wall_s']:.2f} s ({one['wall_s'] / ours['wall_s']:.2f}x)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["list", "run", "report"])
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--group")
    a = ap.parse_args()
    if a.action == "list":
        for name, case in cases().items():
            print(f"{name:28s} {case['group']}{' (peer)' if case.get('peer') else ''}")
    elif a.action == "run":
        unknown = [c for c in a.cases if c not in cases()]
        if unknown:
            sys.exit(f"unknown case(s): {', '.join(unknown)}")
        for name in a.cases:
            run_case(name, a.reps)
    else:
        report(a.group)


if __name__ == "__main__":
    main()
