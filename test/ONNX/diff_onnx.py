#!/usr/bin/python3
"""Differential test of the ONNX importer: compiled ONNX / QONNX models
against the numpy executor onnx_ref.py.

For every model of onnx_models.cases() (the fixed models and --random N
random graphs):
  1. save MODEL.onnx and .npy inputs (onnx_models.make_inputs, --input-sets
     seeds), in the model's own layout (NCHW) and argument order: the graph
     inputs that are not initializers, in graph order;
  2. expected outputs: onnx_ref.run;
  3. per target: bnn-compile MODEL.onnx -target T --emit=shared -o T.so,
     then bnn-run T.so --input ... --output ... (the AArch64 bnn-run under
     qemu-aarch64 -L /usr/aarch64-linux-gnu), as test/Differential/run_diff.py;
  4. compare every graph output, in graph order: models marked exact
     (bnn.test.exact = 1: outputs are integers times a power of two) must
     match exactly; the others within |got - expected| <= 1e-5 + 1e-5 *
     |expected|. Dtypes and shapes must match.

One line per model, details under a failing one, and a summary. A failing
model's directory (model, inputs, expected and obtained outputs) is kept
under OUT and its path printed.

Exit status: 0 when everything matched, 1 on any mismatch, 2 on any tool
failure (import or compile error, crash, timeout, missing output).

    /usr/bin/python3 test/ONNX/diff_onnx.py --tools build/bin [--random 8]
        [--targets x86_64,aarch64] [--only NAME]... [--out DIR] [--keep]
    /usr/bin/python3 test/ONNX/diff_onnx.py --oracle-only   # no tools needed
Random graph count: --random, else BNN_ONNX_DIFF_RANDOM, else 8.
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import onnx  # noqa: E402

import onnx_models  # noqa: E402
import onnx_ref  # noqa: E402

RTOL = 1e-5
ATOL = 1e-5
QEMU = "/usr/bin/qemu-aarch64"
QEMU_SYSROOT = "/usr/aarch64-linux-gnu"


def run_tool(cmd, timeout, cwd=None):
    """Returns (ok, message)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return False, "timed out after %ds: %s" % (timeout, " ".join(cmd))
    if p.returncode != 0:
        out = p.stdout.decode("utf-8", "replace").rstrip()
        if len(out) > 3000:
            out = out[:1500] + "\n...\n" + out[-1500:]
        return False, "exit %d: %s%s" % (p.returncode, " ".join(cmd), "\n" + out if out else "")
    return True, ""


def fmt(v):
    if isinstance(v, (np.floating, float)):
        f = np.float32(v)
        return "%r (0x%08x)" % (float(f), int(np.array(f).view(np.uint32)))
    return str(v)


def compare(exp, got, exact):
    """Returns (ok, bit_exact, message)."""
    if exp.shape != got.shape:
        return False, False, "shape %s, expected %s" % (list(got.shape), list(exp.shape))
    if exp.dtype != got.dtype:
        return False, False, "dtype %s, expected %s" % (got.dtype, exp.dtype)
    if exp.dtype.kind == "f":
        nan = np.isnan(exp) & np.isnan(got)
        bits = "u%d" % exp.itemsize
        bit_exact = bool(np.all((exp.view(bits) == got.view(bits)) | nan))
        with np.errstate(invalid="ignore", over="ignore"):
            good = (exp == got) | nan
            if not exact:
                good |= np.abs(got.astype(np.float64) - exp) <= ATOL + RTOL * np.abs(
                    exp.astype(np.float64))
    else:
        good = exp == got
        bit_exact = bool(good.all())
    if good.all():
        return True, bit_exact, ""
    bad = ~good
    flat = int(np.flatnonzero(bad.reshape(-1))[0])
    idx = [int(i) for i in np.unravel_index(flat, exp.shape)]
    tol = "" if exact else ", tolerance %g + %g*|expected|" % (ATOL, RTOL)
    return False, bit_exact, ("first difference at %s: expected %s, got %s (%d of %d elements "
                              "differ%s)" % (idx, fmt(exp.reshape(-1)[flat]),
                                             fmt(got.reshape(-1)[flat]), int(bad.sum()), bad.size,
                                             tol))


class Outcome:
    def __init__(self, name):
        self.name = name
        self.mismatch = False
        self.failure = False
        self.status = []   # per target
        self.details = []
        self.float_results = 0
        self.float_exact = 0


def graph_inputs(model):
    inits = {t.name for t in model.graph.initializer}
    return [vi.name for vi in model.graph.input if vi.name not in inits]


def check_model(args, name, model, exact, out_dir):
    res = Outcome(name)
    work = os.path.join(out_dir, name)
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, name + ".onnx")
    onnx.save(model, path)
    in_names = graph_inputs(model)
    out_names = [o.name for o in model.graph.output]
    sets = []
    for s in range(args.input_sets):
        feed = onnx_models.make_inputs(model, 1 + s)
        try:
            want = onnx_ref.run(model, feed)
        except Exception as ex:  # noqa: BLE001
            res.failure = True
            res.details.append("HARNESS ERROR (onnx_ref.run): %r" % ex)
            return res
        files = []
        for i, n in enumerate(in_names):
            p = os.path.join(work, "in%d.set%d.npy" % (i, s))
            np.save(p, feed[n])
            files.append(p)
        for i, n in enumerate(out_names):
            np.save(os.path.join(work, "exp%d.set%d.npy" % (i, s)), want[n])
        sets.append((files, [want[n] for n in out_names]))
    if args.oracle_only:
        res.status.append("oracle ok")
        return res
    for target in args.targets:
        so = os.path.join(work, "%s.so" % target)
        t0 = time.time()
        ok, msg = run_tool([args.compile, path, "-target", target, "--emit=shared", "-o", so] +
                           args.compile_flag, args.compile_timeout)
        tc = time.time() - t0
        if not ok:
            res.failure = True
            res.status.append("%s: COMPILE FAILED" % target)
            res.details.append("TOOL FAILURE (bnn-compile, %s): %s" % (target, msg))
            continue
        run = ([QEMU, "-L", QEMU_SYSROOT, args.run_aarch64] if target == "aarch64" else [args.run])
        state = "exact"
        for s, (files, want) in enumerate(sets):
            got_files = [os.path.join(work, "got%d.%s.set%d.npy" % (i, target, s))
                         for i in range(len(out_names))]
            cmd = run + [so, "--quiet"]
            for f in files:
                cmd += ["--input", f]
            for f in got_files:
                cmd += ["--output", f]
            ok, msg = run_tool(cmd, args.timeout)
            if not ok:
                res.failure = True
                state = "RUN FAILED"
                res.details.append("TOOL FAILURE (bnn-run, %s, input set %d): %s" %
                                   (target, s, msg))
                break
            for i, (n, w) in enumerate(zip(out_names, want)):
                try:
                    g = np.load(got_files[i])
                except Exception as ex:  # noqa: BLE001
                    res.failure = True
                    state = "RUN FAILED"
                    res.details.append("TOOL FAILURE (reading %s): %s" % (got_files[i], ex))
                    continue
                same, bit_exact, msg = compare(w, g, exact)
                if w.dtype.kind == "f":
                    res.float_results += 1
                    res.float_exact += int(bit_exact)
                if not same:
                    res.mismatch = True
                    state = "MISMATCH"
                    res.details.append("MISMATCH %s, output %s (#%d), input set %d: %s" %
                                       (target, n, i, s, msg))
                elif not bit_exact and state == "exact":
                    state = "within tolerance"
        res.status.append("%s: %s (compile %.1fs)" % (target, state, tc))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", default=os.environ.get(
        "BNN_TOOLS_DIR", os.path.normpath(os.path.join(HERE, "..", "..", "build", "bin"))),
        help="directory of bnn-compile, bnn-run and aarch64/bnn-run")
    ap.add_argument("--targets", default="x86_64,aarch64",
                    help="comma-separated: x86_64, aarch64 (under qemu)")
    ap.add_argument("--random", type=int,
                    default=int(os.environ.get("BNN_ONNX_DIFF_RANDOM", "8")),
                    help="random graphs (default: BNN_ONNX_DIFF_RANDOM or 8)")
    ap.add_argument("--first-seed", type=int, default=0, help="seed of the first random graph")
    ap.add_argument("--only", action="append", default=[], help="run only model NAME; repeatable")
    ap.add_argument("--input-sets", type=int, default=2, help="input sets per model")
    ap.add_argument("--compile-flag", action="append", default=[],
                    help="extra bnn-compile flag (e.g. -O0); repeatable")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("BNN_DIFF_JOBS", "2")))
    ap.add_argument("--out", help="work directory (default: a new temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the files of passing models")
    ap.add_argument("--oracle-only", action="store_true",
                    help="build the models and run the executor only (no bnn tools)")
    ap.add_argument("--timeout", type=int, default=120, help="per bnn-run call")
    ap.add_argument("--compile-timeout", type=int, default=300)
    args = ap.parse_args()

    args.targets = [t for t in args.targets.split(",") if t]
    for t in args.targets:
        if t not in ("x86_64", "aarch64"):
            ap.error("unknown target %r" % t)
    args.compile = os.path.join(args.tools, "bnn-compile")
    args.run = os.path.join(args.tools, "bnn-run")
    args.run_aarch64 = os.path.join(args.tools, "aarch64", "bnn-run")
    if not args.oracle_only:
        need = [args.compile]
        need += [args.run] if "x86_64" in args.targets else []
        need += [args.run_aarch64, QEMU] if "aarch64" in args.targets else []
        missing = [p for p in need if not os.path.exists(p)]
        if missing:
            print("error: missing tools: " + ", ".join(missing), file=sys.stderr)
            return 2

    t0 = time.time()
    cases = onnx_models.cases(args.random, args.first_seed)
    if args.only:
        unknown = set(args.only) - {c[0] for c in cases}
        if unknown:
            print("error: no model named %s" % ", ".join(sorted(unknown)), file=sys.stderr)
            return 2
        cases = [c for c in cases if c[0] in args.only]
    out_dir = args.out or tempfile.mkdtemp(prefix="bnn-onnx-diff-")
    os.makedirs(out_dir, exist_ok=True)
    print("ONNX differential test: %d models (%d random from seed %d), targets %s, tools %s, out %s"
          % (len(cases), args.random, args.first_seed,
             "none (oracle only)" if args.oracle_only else ",".join(args.targets), args.tools,
             out_dir), flush=True)

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futures = {ex.submit(check_model, args, name, model, exact, out_dir): (name, exact)
                   for name, model, exact in cases}
        for fut in concurrent.futures.as_completed(futures):
            name, exact = futures[fut]
            try:
                r = fut.result()
            except Exception as e:  # noqa: BLE001
                r = Outcome(name)
                r.failure = True
                r.details.append("HARNESS ERROR: %r" % e)
            results.append(r)
            word = "FAIL" if (r.mismatch or r.failure) else "ok  "
            print("%s %-32s %-6s %s" % (word, name, "exact" if exact else "tol",
                                        "; ".join(r.status)), flush=True)
            for d in r.details:
                print("     " + d.replace("\n", "\n     "), flush=True)
            if r.mismatch or r.failure:
                print("     files: %s" % os.path.join(out_dir, name), flush=True)
            elif not args.keep:
                shutil.rmtree(os.path.join(out_dir, name), ignore_errors=True)

    mismatches = sum(r.mismatch for r in results)
    failures = sum(r.failure for r in results)
    print("float outputs: %d of %d bit-exact" % (sum(r.float_exact for r in results),
                                                   sum(r.float_results for r in results)))
    print("%d models, %d with mismatches, %d with tool failures (%.0fs)" %
          (len(results), mismatches, failures, time.time() - t0))
    if not args.out and not args.keep and not (mismatches or failures):
        shutil.rmtree(out_dir, ignore_errors=True)
    if failures:
        return 2
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
