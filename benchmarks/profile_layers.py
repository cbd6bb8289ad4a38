#!/usr/bin/python3
"""Where a compiled network spends its time, layer by layer.

Usage: profile_layers.py --bin DIR MODEL.mlir [--flags "BNN-COMPILE FLAGS"]
           [--threads N] [--repeat N] [--work-dir DIR] [--out FILE.json]

Compiles MODEL.mlir, times `bnn-run --random-inputs 1 --repeat N`, and
samples the same run with `perf record`. Every parallel loop nest of the
artifact is a function named after the source line of the layer it
computes (`<f>__loop_body_l<line>`, bnn-runtime-threads), so the samples
in it are that layer's, whatever was fused into its tiles (packing of the
next layer's input, thresholds, batch norm, residual adds). The rest of
the artifact's code is the glue between the loop nests (copies, padding,
pooling, the dense head, packing that did not fuse); samples outside the
artifact are the C library (memset, memcpy), the kernel (page faults),
libomp and bnn-run itself. Prints a Markdown table: share of the samples
and that share of the median latency, per layer in source order.

Needs `perf` (linux-perf) and permission to sample the own process
(kernel.perf_event_paranoid <= 2).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

LOOP = re.compile(r"__loop_body_l(\d+)$")


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("profile_layers: %s failed (%d): %s" % (
            " ".join(cmd[:2]), r.returncode, (r.stderr or r.stdout)[-2000:]))
    return r


def symbolizer(so):
    """A function from an address perf reports in the artifact to the name
    of the function there. bnn-run loads artifacts from a snapshot (memfd)
    that perf cannot read, so perf gives file offsets; the sections of
    model.so and its symbol table (nm) turn them into names."""
    sections = []
    for line in run(["readelf", "-SW", so]).stdout.split("\n"):
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)",
                     line)
        if m:
            addr, off, size = (int(m.group(i), 16) for i in (2, 3, 4))
            sections.append((off, off + size, addr - off))
    starts = []
    for line in run(["nm", "-n", so]).stdout.split("\n"):
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT":
            starts.append((int(parts[0], 16), parts[2]))

    def name(offset):
        delta = next((d for lo, hi, d in sections if lo <= offset < hi), 0)
        address = offset + delta
        best = None
        for start, sym in starts:
            if start > address:
                break
            best = sym
        return best or hex(offset)
    return name


def layer_of(source, line):
    """(op, result type) of the operation at `line` (1-based) of the model."""
    if not 1 <= line <= len(source):
        return "?", ""
    text = source[line - 1]
    op = re.search(r"=\s*\"?([a-z_]+\.[a-z_0-9]+)", text)
    result = re.search(r"->\s*(tensor<[^>]*>)\s*$", text.strip())
    return (op.group(1) if op else text.strip()[:40],
            result.group(1) if result else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="directory of bnn-compile, bnn-run")
    ap.add_argument("model")
    ap.add_argument("--flags", default="", help="bnn-compile flags")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--work-dir", default=None)
    ap.add_argument("--out", default=None, help="also write the rows as JSON")
    args = ap.parse_args()
    if not shutil.which("perf"):
        sys.exit("profile_layers: needs perf (Debian: linux-perf)")

    work = args.work_dir or tempfile.mkdtemp(prefix="bnn-profile-")
    os.makedirs(work, exist_ok=True)
    so = os.path.join(work, "model.so")
    run([os.path.join(args.bin, "bnn-compile")] + args.flags.split() +
        [args.model, "-o", so])
    bnn_run = [os.path.join(args.bin, "bnn-run"), so, "--random-inputs", "1",
               "--repeat", str(args.repeat), "--quiet",
               "--threads", str(args.threads)]
    timed = run(bnn_run)
    median = float(re.search(r"median ([0-9.]+) ms", timed.stderr).group(1))
    data = os.path.join(work, "perf.data")
    run(["perf", "record", "-q", "-o", data, "--"] + bnn_run)
    report = run(["perf", "report", "-i", data, "--stdio", "--no-children",
                  "--sort", "dso,sym", "--percent-limit", "0", "-q"]).stdout

    source = open(args.model).read().split("\n")
    symbol = symbolizer(so)
    glue = "glue (artifact code outside the loop nests)"
    layers, outside = {}, {}
    for row in report.split("\n"):
        m = re.match(r"\s*([0-9.]+)%\s+(.+?)\s+\[(.)\]\s+(\S+)", row)
        if not m:
            continue
        share, dso, kind, sym = (float(m.group(1)), m.group(2), m.group(3),
                                 m.group(4))
        if "bnn-artifact" in dso or dso == os.path.basename(so):
            if sym.startswith("0x"):
                sym = symbol(int(sym, 16))
            loop = LOOP.search(sym)
            if loop:
                line = int(loop.group(1))
                layers[line] = layers.get(line, 0) + share
            else:
                outside[glue] = outside.get(glue, 0) + share
            continue
        name = "kernel" if kind == "k" else \
            os.path.basename(dso).split(".so")[0].strip("[]")
        outside[name] = outside.get(name, 0) + share

    rows = []
    for line in sorted(layers):
        op, result = layer_of(source, line)
        rows.append({"line": line, "op": op, "result": result,
                     "percent": layers[line],
                     "ms": median * layers[line] / 100})
    for name, share in sorted(outside.items(), key=lambda kv: -kv[1]):
        rows.append({"line": None, "op": name, "result": "", "percent": share,
                     "ms": median * share / 100})

    print("%s, %d thread(s), median %.3f ms over %d calls; flags: %s" % (
        os.path.basename(args.model), args.threads, median, args.repeat,
        args.flags or "(default)"))
    print()
    print("| line | layer | result | share of samples | ms per call |")
    print("|---:|---|---|---:|---:|")
    for r in rows:
        print("| %s | %s | %s | %.1f%% | %.3f |" % (
            r["line"] if r["line"] else "", r["op"],
            r["result"].replace("tensor<", "").rstrip(">"), r["percent"],
            r["ms"]))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"model": args.model, "threads": args.threads,
                       "median_ms": median, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
