#!/usr/bin/python3
"""Benchmarks of the Python package: per-call overhead of the binding and
the per-image speed of a dynamic batch. Writes docs/benchmarks-python.md.

    PYTHONPATH=build/python_packages /usr/bin/python3 benchmarks/python_binding.py

1. Overhead: a small model (a 2x3 float add) called from Python with numpy
   and with torch tensors, against the artifact's own time (Module.benchmark
   times the entry point alone, in C++) and against bnn-run's reported
   latency for the same artifact. Overhead = Python per-call time minus the
   entry point's own time.
2. Dynamic batch: a binary 3x3 layer (28x28x128 -> 128, threshold epilogue)
   compiled with batch `?` and run at batch 8, against the same layer
   compiled for a static batch of 8 and of 1; per-image latency.
"""
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

import bnn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.environ.get("BNN_TOOLS", os.path.join(ROOT, "build", "bin"))
OUT = os.environ.get("OUT", os.path.join(ROOT, "docs", "benchmarks-python.md"))
REPEAT = int(os.environ.get("REPEAT", "20000"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


ADD = """
func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tosa.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
"""


def per_call_us(fn, repeat):
    """Best of ROUNDS of the mean time of `repeat` calls, in microseconds."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat * 1e6)
    return best


def overhead_rows(work):
    path = bnn.compile(ADD, output=os.path.join(work, "add.so"))
    m = bnn.load(path)
    a = np.ones((2, 3), np.float32)
    b = np.ones((2, 3), np.float32)
    out = np.empty((2, 3), np.float32)
    entry_us = min(m.benchmark(a, b, repeat=REPEAT)["median_ms"] * 1e3
                   for _ in range(ROUNDS))
    rows = [("entry point alone (Module.benchmark)", entry_us, 0.0)]
    run = subprocess.run([os.path.join(TOOLS, "bnn-run"), path,
                          "--random-inputs", "1", "--repeat", "10000",
                          "--quiet"], capture_output=True, text=True)
    match = re.search(r"median ([0-9.]+) ms", run.stderr)
    if match:
        # bnn-run prints milliseconds with three decimals.
        rows.append(("bnn-run --repeat (median; printed to 1 us)",
                     float(match.group(1)) * 1e3, None))
    for name, fn in [("m(a, b), numpy", lambda: m(a, b)),
                     ("m(a, b, out=out), numpy", lambda: m(a, b, out=out)),
                     ("m.add(a, b), numpy", lambda: m.add(a, b))]:
        t = per_call_us(fn, REPEAT)
        rows.append((name, t, t - entry_us))
    try:
        import torch
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        t = per_call_us(lambda: m(ta, tb), REPEAT)
        rows.append(("m(a, b), torch", t, t - entry_us))
    except ImportError:
        pass
    return rows


def layer_text(batch, rng):
    """A binary 3x3 layer with a threshold epilogue; batch None is `?`."""
    n = "?" if batch is None else str(batch)
    h, c = 28, 128
    w = rng.integers(0, 2, (c, 3, 3, c)).astype(bool)
    t = rng.integers(-20, 20, c)

    def bools(a):
        if isinstance(a, np.ndarray):
            return "[" + ", ".join(bools(x) for x in a) + "]"
        return "true" if a else "false"
    act = "tensor<%sx%dx%dx%dxi1>" % (n, h, h, c)
    acc = "tensor<%sx%dx%dx%dxi32>" % (n, h, h, c)
    return f"""
func.func @layer(%x: {act}) -> {act} {{
  %w = arith.constant dense<{bools(w)}> : tensor<{c}x3x3x{c}xi1>
  %t = arith.constant dense<[{", ".join(map(str, t))}]> : tensor<{c}xi32>
  %d = arith.constant dense<false> : tensor<{c}xi1>
  %acc = bnn.binary_conv2d %x, %w {{padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>}} : {act}, tensor<{c}x3x3x{c}xi1> -> {acc}
  %y = bnn.threshold %acc, %t, %d : {acc}, tensor<{c}xi32>, tensor<{c}xi1> -> {act}
  return %y : {act}
}}
"""


def batch_rows(batch=8):
    rows = []
    rng = np.random.default_rng(0)
    x = np.random.default_rng(1).integers(0, 2, (batch, 28, 28, 128)) \
        .astype(bool)
    results = {}
    for label, model_batch, inputs in [
            ("static batch 1 (one call per image)", 1, [x[i:i + 1]
                                                        for i in range(batch)]),
            ("static batch %d" % batch, batch, [x]),
            ("dynamic batch, called with %d" % batch, None, [x])]:
        m = bnn.load(bnn.compile(layer_text(model_batch, np.random.default_rng(0))))
        per_image = []
        for _ in range(ROUNDS):
            total = 0.0
            for inp in inputs:
                total += m.benchmark(inp, repeat=20)["median_ms"]
            per_image.append(total / batch)
        results[label] = [m(inp) for inp in inputs]
        rows.append((label, min(per_image)))
    reference = np.concatenate(results["static batch 1 (one call per image)"])
    for label, outs in results.items():
        if not np.array_equal(np.concatenate(outs), reference):
            sys.exit("results of '%s' differ from batch 1" % label)
    return rows


def main():
    with tempfile.TemporaryDirectory() as work:
        overhead = overhead_rows(work)
    batch = batch_rows()
    host = bnn.host()
    lines = [
        "# Benchmarks of the Python package",
        "",
        "Generated by `benchmarks/python_binding.py`; do not edit by hand.",
        "",
        "- Machine: %s, %d logical CPUs; compiled for the host (`%s`)"
        % (cpu_model(), os.cpu_count(), host["cpu"] or "generic"),
        "- Date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "- Reproduce: `PYTHONPATH=build/python_packages /usr/bin/python3 "
        "benchmarks/python_binding.py`",
        "- Python per-call times are the best of %d rounds of the mean of "
        "%d calls; entry-point times are medians (C++ timer)."
        % (ROUNDS, REPEAT),
        "",
        "## Per-call overhead of the binding",
        "",
        "A 2x3 float add, 1 thread. Goal: under 5 us on top of the "
        "artifact's own time.",
        "",
        "| call | time per call (us) | overhead over the entry point (us) |",
        "|---|---:|---:|",
    ]
    for name, t, over in overhead:
        lines.append("| %s | %s | %s |" % (
            name, "< 1" if over is None and t < 1 else "%.2f" % t,
            "" if over is None else "%.2f" % over))
    worst = max(o for _, _, o in overhead if o is not None)
    lines += ["", "Worst overhead: %.2f us (goal < 5 us: %s)."
              % (worst, "met" if worst < 5 else "not met"), ""]
    lines += [
        "## Dynamic batch",
        "",
        "Binary 3x3 convolution 28x28x128 -> 128 with +1 padding and a "
        "threshold epilogue (binary in, binary out), 1 thread, batch 8. "
        "Goal: the dynamic-batch artifact within 10% of the static-batch "
        "one per image. Results of all three are checked equal.",
        "",
        "| model | per image (ms) | vs static batch 8 |",
        "|---|---:|---:|",
    ]
    static = dict(batch)["static batch 8"]
    for name, t in batch:
        lines.append("| %s | %.4f | %.2fx |" % (name, t, t / static))
    dyn = dict(batch)["dynamic batch, called with 8"]
    lines += ["", "Dynamic / static: %.2f (goal <= 1.10: %s)."
              % (dyn / static, "met" if dyn / static <= 1.10 else "not met"),
              ""]
    with open(OUT, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
