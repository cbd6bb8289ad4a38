#!/usr/bin/python3
"""Compile time, latency and a reference check of whole networks.

Usage: networks.py --bin DIR --out networks.json [--compile-reps N]
           [--run-reps N] [--flags "BNN-COMPILE FLAGS"] [--work-dir DIR]
           NAME=MODEL.mlir...

For each model:

- compile time: wall-clock time of `bnn-compile FLAGS MODEL.mlir -o
  MODEL.so` (a fresh process each time, so parsing, the whole pipeline,
  LLVM code generation and linking count), the median of --compile-reps
  runs; DESIGN.md's goal is a binary ResNet-18 in under 10 s;
- latency: `bnn-run MODEL.so --random-inputs 1 --repeat N --quiet`, the
  median it prints; with 1 thread, and with 2 when the artifact exports
  bnn_set_num_threads;
- reference check: the result of `bnn-run --random-inputs 1` against
  `bnn-interp --random-inputs 1` (the same input values, see
  docs/bnn-run.md): bit-exact or the largest absolute difference.

Only the standard library plus the tools in --bin.
"""

import argparse
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import time


def npy_values(path):
    """The raw element bytes and dtype string of a .npy file (v1-3)."""
    with open(path, "rb") as f:
        data = f.read()
    major = data[6]
    if major == 1:
        (hlen,), start = struct.unpack("<H", data[8:10]), 10
    else:
        (hlen,), start = struct.unpack("<I", data[8:12]), 12
    header = data[start:start + hlen].decode("latin1")
    descr = re.search(r"'descr':\s*'([^']+)'", header).group(1)
    return descr, data[start + hlen:]


def compare(got_path, ref_path):
    gd, got = npy_values(got_path)
    rd, ref = npy_values(ref_path)
    if gd != rd or len(got) != len(ref):
        return {"match": False, "note": "dtype or size differs"}
    if got == ref:
        return {"match": True, "max_abs_diff": 0.0}
    if gd == "<f4":
        n = len(got) // 4
        a, b = struct.unpack("<%df" % n, got), struct.unpack("<%df" % n, ref)
        diff = max(abs(x - y) for x, y in zip(a, b))
        return {"match": False, "max_abs_diff": diff,
                "max_abs_ref": max(abs(y) for y in b)}
    return {"match": False, "note": "integer results differ"}


def exports_threads(path):
    try:
        out = subprocess.run(["nm", "-D", "--defined-only", path],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return any(line.split()[-1] == "bnn_set_num_threads"
               for line in out.splitlines() if line.split())


LATENCY_RE = re.compile(r"latency: median ([\d.]+) ms, min ([\d.]+) ms, "
                        r"max ([\d.]+) ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True,
                    help="directory with bnn-compile, bnn-run, bnn-interp")
    ap.add_argument("--out", required=True)
    ap.add_argument("--flags", default="", help="extra bnn-compile flags")
    ap.add_argument("--compile-reps", type=int, default=3)
    ap.add_argument("--run-reps", type=int, default=10)
    ap.add_argument("--work-dir", default=None,
                    help="where the .so and .npy files go (default: beside "
                    "the models)")
    ap.add_argument("--no-interp", action="store_true",
                    help="skip the bnn-interp comparison")
    ap.add_argument("models", nargs="+", help="NAME=MODEL.mlir")
    args = ap.parse_args()

    tool = lambda name: os.path.join(args.bin, name)
    results = {"flags": args.flags, "compile_reps": args.compile_reps,
               "run_reps": args.run_reps, "networks": []}
    for spec in args.models:
        name, _, model = spec.partition("=")
        work = args.work_dir or os.path.dirname(os.path.abspath(model))
        os.makedirs(work, exist_ok=True)
        so = os.path.join(work, name + ".so")
        entry = {"name": name, "model": model,
                 "model_bytes": os.path.getsize(model)}
        results["networks"].append(entry)

        times = []
        cmd = [tool("bnn-compile")] + args.flags.split() + [model, "-o", so]
        for _ in range(args.compile_reps):
            start = time.monotonic()
            p = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.monotonic() - start)
            if p.returncode != 0:
                entry["error"] = "bnn-compile failed: " + p.stderr.strip()[:500]
                break
        if "error" in entry:
            print("networks: %s: %s" % (name, entry["error"]), file=sys.stderr)
            continue
        entry["compile_s"] = statistics.median(times)
        entry["compile_s_all"] = times
        entry["artifact_bytes"] = os.path.getsize(so)
        print("networks: %s compiles in %.2f s (median of %d)" % (
            name, entry["compile_s"], len(times)))

        entry["latency_ms"] = {}
        threads = [1, 2] if exports_threads(so) else [1]
        entry["threads_symbol"] = len(threads) > 1
        got = os.path.join(work, name + ".run.npy")
        for t in threads:
            p = subprocess.run([tool("bnn-run"), so, "--random-inputs", "1",
                                "--repeat", str(args.run_reps), "--threads",
                                str(t), "--quiet", "--output", got],
                               capture_output=True, text=True)
            m = LATENCY_RE.search(p.stderr)
            if p.returncode != 0 or not m:
                entry["error"] = "bnn-run failed: " + p.stderr.strip()[:500]
                break
            entry["latency_ms"][str(t)] = {"median": float(m.group(1)),
                                           "min": float(m.group(2)),
                                           "max": float(m.group(3))}
            print("networks: %s runs in %.2f ms with %d thread(s)" % (
                name, float(m.group(1)), t))
        if "error" in entry or args.no_interp:
            continue
        ref = os.path.join(work, name + ".interp.npy")
        start = time.monotonic()
        p = subprocess.run([tool("bnn-interp"), model, "--random-inputs=1",
                            "--quiet", "--output=" + ref],
                           capture_output=True, text=True)
        entry["interp_s"] = time.monotonic() - start
        if p.returncode != 0:
            entry["reference"] = {"match": False,
                                  "note": "bnn-interp failed: " + p.stderr.strip()[:300]}
        else:
            entry["reference"] = compare(got, ref)
        print("networks: %s against bnn-interp: %s" % (name, entry["reference"]))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
