#!/usr/bin/python3
"""Compile time and peak memory of bnn-compile as models grow.

Usage: compile_scaling.py [--tools DIR] [--out FILE.md] [--work-dir DIR]
                          [--only DIM,...] [--full] [--timeout S]
       compile_scaling.py --model DIM N      (prints one model)

Generates models that grow in one dimension each and compiles every one
to a shared library with `bnn-compile MODEL.mlir -o MODEL.so` (a fresh
process: parsing, the whole pipeline, LLVM and the link), recording the
wall-clock time and the peak resident memory of the compiler (/usr/bin/time).

Dimensions (N is the size):

  layers      a chain of N binary 3x3 convolutions (8x8x64 -> 64, padding
              1, random weights) with per-channel thresholds in between;
              f32 input, i32 result
  splat       one binary dense layer N -> N whose weight is a splat
              constant (`dense<true> : tensor<NxNxi1>`): N^2 bits that
              must never be materialised
  random      the same layer with random weights (N^2 bits of hex text)
  arguments   one function with N tensor<4xf32> arguments, summed by a
              tree of tosa.add into one result
  functions   N public functions, each one tosa.add
  glue        a chain of N tosa.add (no binary operator at all)
  glue-nofuse the same chain with --pipeline-options=fuse-bitpack=false

For each dimension the growth exponent between the two largest sizes,
log(t2 / t1) / log(N2 / N1), says whether compile time is linear (about 1;
<= 1.3 is reported linear, allowing for noise on a shared machine); the
same for memory above the compiler's baseline (the peak of compiling a
trivial model). The goal "1,000 layers or 1,000 arguments in under a
minute" is checked on the measurement at N = 1000 where there is one,
else extrapolated from the largest size with the measured exponent.

The default sizes take about 2 minutes on 2 cores; --full adds 1,000
layers (about a minute more). The compiler is BNN_TOOLS/bnn-compile
(--tools overrides; default build/bin). Only the standard library.
"""

import argparse
import datetime
import math
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def ty(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


# ---------------------------------------------------------------------------
# Model generators: each returns MLIR text.
# ---------------------------------------------------------------------------

def hex_le(value, nbytes):
    return "0x" + value.to_bytes(nbytes, "little").hex().upper()


def gen_layers(n, hw=8, c=64):
    rng = random.Random(n)
    act_f, act_b = ty([1, hw, hw, c], "f32"), ty([1, hw, hw, c], "i1")
    acc, w_t = ty([1, hw, hw, c], "i32"), ty([c, 3, 3, c], "i1")
    ch_i32, ch_i1 = ty([c], "i32"), ty([c], "i1")
    lines = ["func.func @main(%%x: %s) -> %s {" % (act_f, acc),
             "  %%b0 = bnn.binarize %%x : %s -> %s" % (act_f, act_b)]
    for i in range(n):
        bits = c * 9 * c
        lines.append('  %%w%d = arith.constant dense<"%s"> : %s' % (
            i, hex_le(rng.getrandbits(bits), bits // 8), w_t))
        lines.append(
            "  %%a%d = bnn.binary_conv2d %%b%d, %%w%d {padding = array<i64: "
            "1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : %s, %s -> %s"
            % (i, i, i, act_b, w_t, acc))
        if i == n - 1:
            lines.append("  return %%a%d : %s" % (i, acc))
            break
        # Thresholds near the middle of the accumulators (|acc| <= 576).
        t = b"".join((rng.randrange(-24, 25) & 0xFFFFFFFF).to_bytes(4, "little")
                     for _ in range(c))
        lines.append('  %%t%d = arith.constant dense<"0x%s"> : %s' % (
            i, t.hex().upper(), ch_i32))
        lines.append('  %%d%d = arith.constant dense<"%s"> : %s' % (
            i, hex_le(rng.getrandbits(c), c // 8), ch_i1))
        lines.append("  %%b%d = bnn.threshold %%a%d, %%t%d, %%d%d : %s, %s, "
                     "%s -> %s" % (i + 1, i, i, i, acc, ch_i32, ch_i1, act_b))
    lines.append("}")
    return "\n".join(lines) + "\n"


def gen_dense(n, weights):
    x_t, w_t, r_t = ty([1, n], "i1"), ty([n, n], "i1"), ty([1, n], "i32")
    if weights == "splat":
        value = "true"
    else:
        value = '"%s"' % hex_le(random.Random(n).getrandbits(n * n), n * n // 8)
    return "\n".join([
        "func.func @main(%%x: %s) -> %s {" % (x_t, r_t),
        "  %%w = arith.constant dense<%s> : %s" % (value, w_t),
        "  %%a = bnn.binary_dense %%x, %%w : %s, %s -> %s" % (x_t, w_t, r_t),
        "  return %%a : %s" % r_t,
        "}"]) + "\n"


def gen_arguments(n):
    t = ty([4], "f32")
    add = "(%s, %s) -> %s" % (t, t, t)
    lines = ["func.func @main(%s) -> %s {" % (
        ", ".join("%%a%d: %s" % (i, t) for i in range(n)), t)]
    values = ["%%a%d" % i for i in range(n)]
    k = 0
    while len(values) > 1:
        nxt = []
        for i in range(0, len(values) - 1, 2):
            lines.append("  %%s%d = tosa.add %s, %s : %s" % (
                k, values[i], values[i + 1], add))
            nxt.append("%%s%d" % k)
            k += 1
        if len(values) % 2:
            nxt.append(values[-1])
        values = nxt
    lines += ["  return %s : %s" % (values[0], t), "}"]
    return "\n".join(lines) + "\n"


def gen_functions(n):
    t = ty([4], "f32")
    out = []
    for i in range(n):
        out += ["func.func @f%d(%%a: %s) -> %s {" % (i, t, t),
                "  %%0 = tosa.add %%a, %%a : (%s, %s) -> %s" % (t, t, t),
                "  return %%0 : %s" % t, "}"]
    return "\n".join(out) + "\n"


def gen_glue(n):
    t = ty([1, 16], "f32")
    lines = ["func.func @main(%%x: %s, %%y: %s) -> %s {" % (t, t, t)]
    prev = "%x"
    for i in range(n):
        lines.append("  %%g%d = tosa.add %s, %%y : (%s, %s) -> %s" % (
            i, prev, t, t, t))
        prev = "%%g%d" % i
    lines += ["  return %s : %s" % (prev, t), "}"]
    return "\n".join(lines) + "\n"


# (name, generator, default sizes, --full extra sizes, pipeline options,
#  description). The growth is measured against the model size: N, but
# N^2 weight bits for the dense layers (SQUARED).
SQUARED = ("splat", "random")
DIMENSIONS = [
    ("layers", gen_layers, [50, 100, 200, 400], [1000], "",
     "chain of binary 3x3 conv layers (8x8x64) with thresholds"),
    ("splat", lambda n: gen_dense(n, "splat"), [4096, 16384, 65536, 262144],
     [], "", "binary dense N -> N, splat weight (size: N^2 bits)"),
    ("random", lambda n: gen_dense(n, "random"), [2048, 4096, 8192, 16384],
     [], "", "binary dense N -> N, random weights (size: N^2 bits)"),
    ("arguments", gen_arguments, [500, 1000, 2000, 4000], [], "",
     "one function with N tensor arguments"),
    ("functions", gen_functions, [125, 250, 500, 1000], [], "",
     "N public functions of one tosa.add"),
    ("glue", gen_glue, [2000, 4000, 8000, 16000], [], "",
     "chain of N tosa.add"),
    ("glue-nofuse", gen_glue, [500, 1000, 2000, 4000], [],
     "fuse-bitpack=false", "chain of N tosa.add, fuse-bitpack=false"),
]

# What the numbers do not say by themselves (checked with profiles of the
# compiler when this script was written; see docs/Pipeline.md).
NOTES = """
- What keeps each dimension linear: splat weights pack as splats and are
  read as constant vectors (nothing is materialised); entry points check
  their tensors in a loop over one shared, non-inlined function; fused
  elementwise bodies are bounded (bnn-fuse-bitpack `max-fused-ops`); large
  functions are cut into chunks of bounded size before LLVM
  (bnn-split-large-functions, `split-max-ops`); wide functions called once
  are inlined before LLVM's called-value propagation; the dealloc that
  frees a function's temporaries is split without alias queries
  (bnn-split-deallocs).
- Where the time of a large model goes (docs/Compiler.md#compile-time):
  the lowering up to bnn-split-large-functions works on one function and
  LLVM's optimisation on the whole module, both on one core; the lowering
  after the split and LLVM's code generation (in partitions, linked
  together) use every core. The IR is verified once, not after each pass.
  Memory steps up where code generation starts to be split (glue at
  16,000, layers from 100): the second partition reads a copy of the
  module.
- arguments: the step from about 1,000 to 2,000 arguments is steeper than
  linear: LLVM's DAG combiner merges the chain of every load pending
  before a call (one per argument descriptor) in time quadratic in their
  number, up to its limit of 2,048 operands, beyond which growth is linear
  again.
- glue-nofuse: with the elementwise fusion switched off, thousands of
  elementwise generics stay in one function until bufferization, and
  upstream one-shot-bufferize is superlinear in the operations of one
  function (the LLVM part is linear; buffer-deallocation-simplification
  was too, until bnn-split-deallocs). With the default fusion a chain of
  N operations is N / 64 generics.
"""

# The goal: "1,000 layers or 1,000 arguments in under a minute".
GOAL_SIZE, GOAL_SECONDS = 1000, 60.0
LINEAR_EXPONENT = 1.3


# ---------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------

def run_measured(cmd, timeout):
    """(wall seconds, CPU seconds (user + system), peak RSS in MiB, exit
    status or 'timeout', stderr).

    The peak comes from /usr/bin/time, which forks the compiler from a small
    process: the ru_maxrss of a child forked straight from this script would
    include this script's own peak (Linux keeps the larger of the two
    across exec), which holds the text of the largest model generated so
    far. Without /usr/bin/time the script's children's peak is used.
    """
    time_tool = "/usr/bin/time"
    with tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss_file:
        full = cmd
        if os.access(time_tool, os.X_OK):
            full = [time_tool, "-f", "%M %U %S", "-o", rss_file.name] + cmd
        start = time.monotonic()
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=err)
        try:
            proc.wait(timeout=timeout)
            status = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            status = "timeout"
        wall = time.monotonic() - start
        err.seek(0)
        message = err.read().decode(errors="replace").strip()
        rss_text = rss_file.read().strip().splitlines()
    try:
        # /usr/bin/time -o writes "Command exited with non-zero status N"
        # before the values when the compiler fails.
        rss_kib, user, system = (float(v) for v in rss_text[-1].split())
        cpu = user + system
    except (IndexError, ValueError):
        import resource
        rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        cpu = wall
    return wall, cpu, rss_kib / 1024.0, status, message


def step_exponent(a, b, index):
    """log(y_b / y_a) / log(size_b / size_a), or None."""
    ya, yb = a[index], b[index]
    if ya <= 0 or yb <= 0:
        return None
    return math.log(yb / ya) / math.log(b["size"] / a["size"])


def exponent(points, index):
    """Growth exponent between the two largest successful sizes."""
    ok = [p for p in points if p["status"] == 0]
    if len(ok) < 2:
        return None
    return step_exponent(ok[-2], ok[-1], index)


def worst_exponent(points, index):
    """The largest exponent between consecutive successful sizes."""
    ok = [p for p in points if p["status"] == 0]
    steps = [step_exponent(a, b, index) for a, b in zip(ok, ok[1:])]
    steps = [e for e in steps if e is not None]
    return max(steps) if steps else None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_revision():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                               "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fmt_exp(e):
    if e is None:
        return "n/a"
    return "%.2f" % (e if abs(e) >= 0.005 else 0.0)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_tools = os.environ.get("BNN_TOOLS",
                                   os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--tools", default=default_tools,
                    help="directory of bnn-compile (default: $BNN_TOOLS or "
                         "build/bin)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs",
                                                  "benchmarks-compile.md"))
    ap.add_argument("--work-dir", default=None,
                    help="where models and artifacts go (default: a "
                         "temporary directory, removed afterwards)")
    ap.add_argument("--only", default="",
                    help="comma-separated dimensions (default: all)")
    ap.add_argument("--full", action="store_true",
                    help="also the larger sizes (1,000 layers)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds per compile before it counts as failed")
    ap.add_argument("--reps", type=int, default=1,
                    help="compiles per model; the fastest counts")
    ap.add_argument("--model", nargs=2, metavar=("DIM", "N"),
                    help="only print the model of dimension DIM at size N "
                         "(the lit tests compile and run them)")
    args = ap.parse_args()

    if args.model:
        generators = {d[0]: d[1] for d in DIMENSIONS}
        if args.model[0] not in generators:
            ap.error("unknown dimension '%s'" % args.model[0])
        sys.stdout.write(generators[args.model[0]](int(args.model[1])))
        return

    compiler = os.path.join(args.tools, "bnn-compile")
    if not os.access(compiler, os.X_OK):
        ap.error("no bnn-compile in %s (set BNN_TOOLS or --tools)" % args.tools)
    names = [d[0] for d in DIMENSIONS]
    only = [n for n in args.only.split(",") if n]
    for n in only:
        if n not in names:
            ap.error("unknown dimension '%s' (known: %s)" % (n, ", ".join(names)))

    tmp = None
    work = args.work_dir
    if work is None:
        tmp = tempfile.TemporaryDirectory(prefix="bnn-compile-scaling-")
        work = tmp.name
    os.makedirs(work, exist_ok=True)

    def compile_model(name, n, text, options):
        model = os.path.join(work, "%s_%d.mlir" % (name, n))
        with open(model, "w") as f:
            f.write(text)
        del text
        cmd = [compiler, model, "-o", os.path.join(work, "%s_%d.so" % (name, n))]
        if options:
            cmd.append("--pipeline-options=" + options)
        # The fastest of --reps runs: other load only ever adds time.
        best = None
        for _ in range(args.reps):
            wall, cpu, rss, status, message = run_measured(cmd, args.timeout)
            run = {"n": n, "wall": wall, "cpu": cpu, "rss": rss,
                   "status": status,
                   "message": message.splitlines()[-1] if message else ""}
            if status != 0:
                best = run
                break
            if best is None or wall < best["wall"]:
                best = run
        os.remove(model)
        artifact = os.path.join(work, "%s_%d.so" % (name, n))
        if os.path.exists(artifact):
            os.remove(artifact)
        return best

    load_before = os.getloadavg()[0]
    # The compiler's own footprint: a trivial model.
    base = compile_model("baseline", 1, gen_functions(1), "")
    if base["status"] != 0:
        sys.exit("compile_scaling: the baseline model fails: %s" % base["message"])
    print("baseline: %.2f s, %.0f MiB" % (base["wall"], base["rss"]), flush=True)

    results = []
    for name, gen, sizes, extra, options, desc in DIMENSIONS:
        if only and name not in only:
            continue
        points = []
        for n in sizes + (extra if args.full else []):
            p = compile_model(name, n, gen(n), options)
            p["size"] = n * n if name in SQUARED else n
            p["extra_rss"] = max(p["rss"] - base["rss"], 0.0)
            points.append(p)
            print("%-12s N=%-7d %8.2f s %8.2f s CPU %8.0f MiB %s" % (
                name, n, p["wall"], p["cpu"], p["rss"],
                "" if p["status"] == 0 else "FAILED (%s) %s" % (
                    p["status"], p["message"])), flush=True)
            if p["status"] != 0:
                break
        results.append((name, desc, options, points))

    # -----------------------------------------------------------------------
    # The report
    # -----------------------------------------------------------------------
    command = "BNN_TOOLS=%s /usr/bin/python3 benchmarks/compile_scaling.py%s%s%s" % (
        os.path.relpath(args.tools, ROOT) if args.tools.startswith(ROOT)
        else args.tools,
        " --full" if args.full else "",
        (" --reps %d" % args.reps) if args.reps != 1 else "",
        (" --only " + ",".join(only)) if only else "")
    lines = [
        "# Compile-time scaling",
        "",
        "Wall-clock time and peak resident memory of `bnn-compile MODEL.mlir "
        "-o MODEL.so` (one fresh process per model: parsing, the pipeline, "
        "LLVM -O2 and the link) for models that grow in one dimension "
        "each; written by `benchmarks/compile_scaling.py` (its docstring "
        "describes the models).",
        "",
        "- CPU: %s, %d cores (`nproc`)" % (cpu_model(), os.cpu_count() or 0),
        "- Date: %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "- Compiler: `%s` (revision %s)" % (
            os.path.relpath(compiler, ROOT) if compiler.startswith(ROOT)
            else compiler, git_revision()),
        "- Reproduce: `%s`" % command,
        "- Baseline (a one-function model): %.2f s, %.0f MiB; memory growth "
        "is measured above it." % (base["wall"], base["rss"]),
        "- Load average (1 min) before and after the run: %.2f, %.2f (a "
        "large model keeps every core busy for part of its compile: the "
        "lowering after bnn-split-large-functions and LLVM's code "
        "generation run in parallel; other load slows the wall time)."
        % (load_before, os.getloadavg()[0]),
        "",
        "Growth exponent: log(t2 / t1) / log(S2 / S1) between the two "
        "largest sizes S (the model size: N, or N^2 weight bits for the "
        "dense layers; 1 = linear, 2 = quadratic) of the CPU time (user + "
        "system, which other load on the machine disturbs less than the "
        "wall time) and of the memory above the baseline; up to %.1f "
        "counts as linear. The worst step is the largest time exponent "
        "between two consecutive sizes. Each time is the fastest of %d "
        "compile(s)." % (LINEAR_EXPONENT, args.reps),
        "",
        "| dimension | N | wall time (s) | CPU time (s) | peak memory (MiB) "
        "| status |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, desc, options, points in results:
        for p in points:
            lines.append("| %s | %d | %.2f | %.2f | %.0f | %s |" % (
                name, p["n"], p["wall"], p["cpu"], p["rss"],
                "ok" if p["status"] == 0 else "failed (%s)" % p["status"]))
    lines += ["", "## Growth", "",
              "| dimension | model | sizes compared | time exponent | "
              "worst step | memory exponent | linear? |",
              "|---|---|---|---:|---:|---:|---|"]
    verdicts = {}
    for name, desc, options, points in results:
        ok = [p for p in points if p["status"] == 0]
        te = exponent(points, "cpu")
        me = exponent(points, "extra_rss")
        # Memory within 32 MiB of the baseline is flat whatever the ratio.
        if ok and max(p["extra_rss"] for p in ok) < 32:
            me_text, mem_linear = "flat", True
        else:
            me_text, mem_linear = fmt_exp(me), me is not None and me <= LINEAR_EXPONENT
        failed = len(ok) < len(points)
        linear = (not failed and te is not None and te <= LINEAR_EXPONENT
                  and mem_linear)
        verdicts[name] = (te, ok)
        compared = "%d -> %d" % (ok[-2]["n"], ok[-1]["n"]) if len(ok) >= 2 else "-"
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, desc, compared, fmt_exp(te),
            fmt_exp(worst_exponent(points, "cpu")), me_text,
            "failed" if failed else ("yes" if linear else "no")))

    lines += ["", "## Goal: 1,000 layers or 1,000 arguments in under a minute",
              ""]
    for name in ("layers", "arguments"):
        if name not in verdicts:
            continue
        te, ok = verdicts[name]
        if not ok:
            lines.append("- %s: no successful compile" % name)
            continue
        at = [p for p in ok if p["n"] == GOAL_SIZE]
        if at:
            t, how = at[0]["wall"], "measured"
        else:
            last = ok[-1]
            e = te if te is not None else 1.0
            t = last["wall"] * (GOAL_SIZE / last["n"]) ** max(e, 1.0)
            how = "extrapolated from N = %d with exponent %.2f" % (
                last["n"], max(e, 1.0))
        lines.append("- %s: %.1f s for N = %d (%s): %s" % (
            name, t, GOAL_SIZE, how,
            "met" if t < GOAL_SECONDS else "not met"))
    lines += ["", "## Notes", "", NOTES.strip()]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print("compile_scaling: wrote %s" % args.out)
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
