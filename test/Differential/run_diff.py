#!/usr/bin/python3
"""Differential test: compiled artifacts against the reference interpreter.

For every module (a seed of gen_models.py, or a file of the regression list):
  1. write the module (several public functions case_<seed>_<i>),
  2. compile it once: bnn-compile MODULE.mlir -target T -o MODULE.so,
  3. for every case: run bnn-interp (the oracle) and bnn-run (the artifact;
     AArch64 artifacts run under qemu-aarch64) on the same inputs, and
     compare every result.

Comparison:
  - integer results (i1, i8, i32, ui*) must be bit-exact;
  - f32 results must satisfy |got - expected| <= 1e-5 + 1e-5 * |expected|
    element-wise, NaN matching NaN and infinities matching exactly. The
    interpreter follows the lowering's summation order, so float results
    are expected to be bit-exact as well; the summary reports how many
    were.

Inputs: a case either uses the tools' own deterministic generator
(--random-inputs SEED on both tools, with --input-bits for uiK arguments of
bnn-run) or .npy files written here from a case-specific distribution
(special floats, accumulator-like i32, sparse binary maps, or the exact
weights of a case that passes its weights as arguments) and passed with
--input to both tools.

Compile flags: modules rotate through flag sets (--flag-sets; 'auto' picks
per target the sets that select different code paths and that the host can
run); a generated module uses set (seed mod number of sets), so --case
reruns a case with the flags it failed with. An x86-64 artifact compiled
without -mcpu or -mattr holds one code variant per ISA level; each of its
cases runs once per variant the host can run (bnn-run --variant).

Oracle check: cases made only of bnn operators with .npy inputs are also
evaluated by numpy_ref.py; a difference from bnn-interp is reported as an
ORACLE MISMATCH (a tool failure: the reference itself is in question).

Regression files (--regressions): every public function of each file is a
case; see regression_cases() for the input directives.

On a mismatch the case name, seed, result, first differing index, expected
and got values are printed, and the failing function is saved as a
self-contained module under OUT/failures/ (with its inputs), ready to be
copied to test/Differential/regressions/.

Exit status: 0 when every case matched, 1 on any mismatch, 2 on any tool
failure (compile error, crash, timeout, missing output).

Seeds: --seeds A:B (B exclusive). Without --seeds, the environment variable
BNN_DIFF_SEEDS (A:B) is used when set, and --default-seeds otherwise.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen_models  # noqa: E402
import host_cpu  # noqa: E402
import numpy_ref  # noqa: E402

RTOL = 1e-5
ATOL = 1e-5
QEMU = "/usr/bin/qemu-aarch64"
QEMU_SYSROOT = "/usr/aarch64-linux-gnu"

print_lock = threading.Lock()


def log(msg):
    with print_lock:
        print(msg, flush=True)


def parse_range(text):
    m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError("expected A:B, got %r" % text)
    a, b = int(m.group(1)), int(m.group(2))
    if b < a:
        raise argparse.ArgumentTypeError("empty range %r" % text)
    return a, b

#===------------------------------------------------------------------------===#
# Compile flag sets
#===------------------------------------------------------------------------===#

# bnn-compile picks its popcount strategy from the target features (scalar,
# SSSE3/AVX2 nibble lookup, AVX-512 VPOPCNTDQ on x86-64; NEON cnt on
# AArch64), so modules rotate through flag sets: module k uses set
# k mod len(sets). Sets the host cannot execute are left out.
X86_AVX2 = ("-mattr=+avx2,+popcnt,+fma", ["avx2", "popcnt", "fma"])
X86_AVX512 = ("-mattr=+avx512f,+avx512bw,+avx512vl,+avx512dq,+avx512vpopcntdq,"
              "+avx512bitalg,+avx2,+popcnt,+fma",
              ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vpopcntdq",
               "avx512_bitalg", "avx2", "popcnt", "fma"])


def artifact_variants(target, flags):
    """The code variants to force in turn for an artifact compiled with
    `flags` ([None]: run as selected). An x86-64 artifact compiled without
    -mcpu or -mattr runs once per variant the host can run."""
    if target != "x86_64" or any(f.startswith(("-mcpu", "-mattr", "--mcpu", "--mattr"))
                                 for f in flags):
        return [None]
    return host_cpu.runnable_x86_variants() or [None]


def auto_flag_sets(target):
    """Every optimizing set is followed by -O0: LLVM's optimizer off, the
    same bnn lowering, about ten times faster to compile, so that the
    default test run stays short."""
    if target == "aarch64":
        # qemu-aarch64 emulates every architecture feature these CPUs use:
        # int8 dot products as widening multiplies (generic), sdot
        # (neoverse-n1) and usdot (neoverse-n2, I8MM).
        optimizing = ["", "-mcpu=neoverse-n1", "-mcpu=neoverse-n2"]
    else:
        host = host_cpu.host_cpu_flags()
        optimizing = [""] + [flags for flags, needs in (X86_AVX2, X86_AVX512)
                             if all(n in host for n in needs)]
        # Everything this machine's CPU has, under its own name.
        optimizing.append("-mcpu=native")
    sets = []
    # -O0 compiles for the target's default CPU alone (a default x86-64
    # artifact is three, one per code variant).
    o0 = "-O0" if target == "aarch64" else "-O0 -mcpu=x86-64"
    for flags in optimizing:
        sets += [flags, o0]
    return sets


# The optimisation passes of bnn-lower-to-llvm, each switchable off
# (--pipeline-options); 'all' rotates modules through every combination.
PIPELINE_TOGGLES = ["fuse-glue", "fuse-bitpack", "tile", "vectorize",
                    "lazy-popcount", "parallel"]


def parse_pass_sets(text):
    if text == "none":
        return [""]
    if text == "all":
        sets = []
        for bits in range(1 << len(PIPELINE_TOGGLES)):
            sets.append(" ".join("%s=%s" % (name, "true" if bits >> i & 1 else "false")
                                 for i, name in enumerate(PIPELINE_TOGGLES)))
        return sets
    return [x.strip() for x in text.split(";")]


def parse_flag_sets(text, target):
    if text == "auto":
        return auto_flag_sets(target)
    if text == "none":
        return [""]
    return [x.strip() for x in text.split(";")]

#===------------------------------------------------------------------------===#
# Tools
#===------------------------------------------------------------------------===#


class Tools:
    def __init__(self, args):
        d = args.tools_dir
        self.interp = os.path.join(d, "bnn-interp")
        self.compile = os.path.join(d, "bnn-compile")
        self.target = args.target
        if args.target == "aarch64":
            self.run = [QEMU, "-L", QEMU_SYSROOT, os.path.join(d, "aarch64", "bnn-run")]
        else:
            self.run = [os.path.join(d, "bnn-run")]
        self.compile_flags = args.compile_flag or []
        self.run_flags = ["--threads", str(args.threads)] if args.threads else []
        self.check_oracle = not args.no_oracle_check
        self.oracle_only = args.oracle_only
        self.timeout = args.timeout

    def missing(self):
        if self.oracle_only:
            return [p for p in [self.interp] if not os.path.exists(p)]
        need = [self.interp, self.compile, self.run[-1]]
        if self.target == "aarch64":
            need.append(QEMU)
        return [p for p in need if not os.path.exists(p)]


def run_tool(cmd, timeout):
    """Runs a command; returns (ok, message)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "timed out after %ds: %s" % (timeout, " ".join(cmd))
    if p.returncode != 0:
        out = p.stdout.decode("utf-8", "replace")
        if len(out) > 3000:
            out = out[:1500] + "\n...\n" + out[-1500:]
        return False, "exit %d: %s\n%s" % (p.returncode, " ".join(cmd), out.rstrip())
    return True, ""

#===------------------------------------------------------------------------===#
# Comparison
#===------------------------------------------------------------------------===#


def fmt_value(v):
    if isinstance(v, (np.floating, float)):
        f = np.float32(v)
        return "%r (0x%08x)" % (float(f), int(np.array(f).view(np.uint32)))
    if isinstance(v, (np.bool_, bool)):
        return "%d (%s)" % (int(v), "-1" if v else "+1")
    return str(int(v))


def compare(exp, got, elem):
    """Returns (ok, bit_exact, message)."""
    if exp.shape != got.shape:
        return False, False, "shape %s, expected %s" % (list(got.shape), list(exp.shape))
    if exp.dtype != got.dtype:
        return False, False, "dtype %s, expected %s" % (got.dtype, exp.dtype)
    if exp.dtype == np.float32:
        bits_equal = exp.view(np.uint32) == got.view(np.uint32)
        both_nan = np.isnan(exp) & np.isnan(got)
        with np.errstate(invalid="ignore", over="ignore"):
            close = (exp == got) | both_nan | (np.abs(got.astype(np.float64) - exp) <=
                                               ATOL + RTOL * np.abs(exp.astype(np.float64)))
        bad = ~close
        bit_exact = bool(np.all(bits_equal | both_nan))
    else:
        bad = exp != got
        bit_exact = not bad.any()
    if not bad.any():
        return True, bit_exact, ""
    flat = int(np.flatnonzero(bad.reshape(-1))[0])
    idx = tuple(int(i) for i in np.unravel_index(flat, exp.shape))
    msg = ("first difference at flat index %d %s: expected %s, got %s (%d of %d elements differ)"
           % (flat, list(idx), fmt_value(exp.reshape(-1)[flat]), fmt_value(got.reshape(-1)[flat]),
              int(bad.sum()), bad.size))
    return False, bit_exact, msg

#===------------------------------------------------------------------------===#
# Regression files
#===------------------------------------------------------------------------===#

FUNC_RE = re.compile(r"^\s*func\.func\s+(?:(public|private|nested)\s+)?@([\w$.]+)\s*\((.*?)\)\s*->"
                     r"\s*(.*?)\s*(?:attributes\b.*)?\{\s*$", re.M | re.S)
RESULT_RE = re.compile(r"tensor<([^>]*)>")
ARG_RE = re.compile(r"%[\w$.]+\s*:\s*tensor<([^>]*)>")
DIRECTIVE_RE = re.compile(r"^//\s*diff-(\w[\w-]*):\s*(.*)$", re.M)


def parse_tensor(text):
    parts = text.split("x")
    return [int(d) for d in parts[:-1]], parts[-1]


def split_functions(text):
    """Yields (name, is_public, function text) for the top-level functions of
    a module written one function after another (as the generator and the
    regression files do), including the comment lines just above each."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if re.match(r"^\s*func\.func\b", l)]
    for k, s in enumerate(starts):
        b = s
        while b > 0 and lines[b - 1].lstrip().startswith("//") and \
                (k == 0 or b - 1 > starts[k - 1]):
            b -= 1
        e = starts[k + 1] if k + 1 < len(starts) else len(lines)
        # Stop at the closing brace of the function.
        depth = 0
        end = e
        for j in range(s, e):
            depth += lines[j].count("{") - lines[j].count("}")
            if depth == 0 and j > s:
                end = j + 1
                break
        m = FUNC_RE.match("".join(lines[s:end]))
        if not m:
            continue
        yield m.group(2), m.group(1) != "private", "".join(lines[b:end])


def regression_cases(path):
    """Case descriptions for every public function of a regression file.

    Directives in the comments of a function (or of the file, before the
    first function) say how to build inputs:
      // diff-random-inputs: 1 7      run once per listed seed with the
                                      tools' --random-inputs (default: 1)
      // diff-npy-inputs: SEED INDEX DIST...   .npy inputs drawn as for
                                      generated case SEED/INDEX, one DIST per
                                      argument (uniform, special_f32, ...)
      // diff-npy-files: A.npy B.npy  these .npy files (beside the .mlir
                                      file), one per argument
    """
    text = open(path).read()
    first = re.search(r"^\s*func\.func\b", text, re.M)
    file_dirs = dict(DIRECTIVE_RE.findall(text[:first.start()] if first else text))
    cases = []
    for name, public, ftext in split_functions(text):
        if not public:
            continue
        dirs = dict(file_dirs)
        dirs.update(DIRECTIVE_RE.findall(ftext))
        m = FUNC_RE.search(ftext)
        args = []
        for a in ARG_RE.findall(m.group(3)):
            shape, elem = parse_tensor(a)
            args.append({"shape": shape, "elem": elem,
                         "bits": int(elem[2:]) if elem.startswith("ui") else None,
                         "dist": "uniform"})
        results = []
        for r in RESULT_RE.findall(m.group(4)):
            shape, elem = parse_tensor(r)
            results.append({"shape": shape, "elem": elem})
        base = {"name": name, "kind": "regression", "notes": os.path.basename(path),
                "args": args, "results": results, "file": path, "text": ftext}
        if "npy-files" in dirs:
            files = [os.path.join(os.path.dirname(os.path.abspath(path)), f)
                     for f in dirs["npy-files"].split()]
            cases.append(dict(base, input_mode="npy", seed=0, index=0, npy_files=files))
        elif "npy-inputs" in dirs:
            fields = dirs["npy-inputs"].split()
            info = dict(base, input_mode="npy", seed=int(fields[0]), index=int(fields[1]))
            for a, d in zip(info["args"], fields[2:]):
                a["dist"] = d
            cases.append(info)
        else:
            seeds = [int(s) for s in dirs.get("random-inputs", "1").split()]
            for s in seeds:
                cases.append(dict(base, input_mode="random", random_seed=s,
                                  seed=s, index=0))
    return cases

#===------------------------------------------------------------------------===#
# One module
#===------------------------------------------------------------------------===#


class Result:
    def __init__(self):
        self.cases = 0
        self.mismatches = 0
        self.failures = 0
        self.float_results = 0
        self.float_exact = 0
        self.oracle_checked = 0
        self.lines = []


def input_bits_flags(info):
    flags = []
    for i, a in enumerate(info["args"]):
        if a["elem"].startswith("ui"):
            flags += ["--input-bits", "%d=%d" % (i, int(a["elem"][2:]))]
    return flags


def random_seed_of(info):
    if "random_seed" in info:
        return info["random_seed"]
    return info["seed"] * 1000 + info["index"]


def save_failure(out_dir, info, inputs_dir, tag):
    fdir = os.path.join(out_dir, "failures")
    os.makedirs(fdir, exist_ok=True)
    path = os.path.join(fdir, "%s%s.mlir" % (info["name"], tag))
    header = ["// Failing differential case %s (%s)." % (info["name"], info.get("notes", ""))]
    if info["input_mode"] == "random":
        header.append("// diff-random-inputs: %d" % random_seed_of(info))
    elif "npy_files" in info or any(a["dist"] == "fixed" for a in info["args"]):
        header.append("// diff-npy-files: %s" % " ".join(
            "%s%s.in%d.npy" % (info["name"], tag, i) for i in range(len(info["args"]))))
    else:
        header.append("// diff-npy-inputs: %d %d %s" %
                      (info["seed"], info["index"],
                       " ".join(a["dist"] for a in info["args"])))
    with open(path, "w") as f:
        f.write("\n".join(header) + "\n" + info["text"])
    if inputs_dir and os.path.isdir(inputs_dir):
        for p in glob.glob(os.path.join(inputs_dir, "in*.npy")):
            shutil.copy(p, os.path.join(fdir, "%s%s.%s" % (info["name"], tag, os.path.basename(p))))
    return path


def run_case(tools, so, mlir, info, work, out_dir, res, target, tag, flags,
             variants=(None,)):
    """Runs one case through both tools and compares, the artifact once per
    code variant in `variants` (None: the one it selects); appends to
    res."""
    name = info["name"]
    cdir = os.path.join(work, name + tag)
    os.makedirs(cdir, exist_ok=True)
    res.cases += 1
    common_in = []
    run_extra = input_bits_flags(info)
    inputs = None
    if info["input_mode"] == "random":
        common_in = ["--random-inputs", str(random_seed_of(info))]
    else:
        if "npy_files" in info:
            inputs = [np.load(f) for f in info["npy_files"]]
        else:
            inputs = gen_models.make_inputs(info)
        for i, x in enumerate(inputs):
            p = os.path.join(cdir, "in%d.npy" % i)
            np.save(p, x)
            common_in += ["--input", p]
    nres = len(info["results"])
    exp = [os.path.join(cdir, "exp%d.npy" % i) for i in range(nres)]
    got = [os.path.join(cdir, "got%d.npy" % i) for i in range(nres)]
    icmd = [tools.interp, mlir, "--entry", name, "--quiet"] + common_in
    rcmd = tools.run + [so, "--entry", name, "--quiet"] + common_in + run_extra + tools.run_flags
    for p in exp:
        icmd += ["--output", p]
    for p in got:
        rcmd += ["--output", p]
    where = "%s (seed %d, %s: %s)" % (name, info["seed"], info["kind"], info.get("notes", ""))
    if flags or tools.compile_flags:
        where += " [bnn-compile %s]" % " ".join(flags + tools.compile_flags)
    ok, msg = run_tool(icmd, tools.timeout)
    if not ok:
        res.failures += 1
        path = save_failure(out_dir, info, cdir, tag)
        res.lines.append("TOOL FAILURE (bnn-interp) %s\n  %s\n  saved %s" % (where, msg, path))
        return
    if inputs is not None and info.get("_model") and tools.check_oracle:
        # The interpreter against the independent numpy model.
        values, prog, names = info["_model"]
        try:
            want = numpy_ref.evaluate(values, prog, inputs, names)
            for i, r in enumerate(info["results"]):
                same, exact, msg = compare(want[i], np.load(exp[i]), r["elem"])
                if same and not exact:
                    same, msg = False, "f32 results within tolerance but not bit-exact"
                if not same:
                    res.failures += 1
                    path = save_failure(out_dir, info, cdir, tag)
                    res.lines.append("ORACLE MISMATCH (bnn-interp against numpy_ref.py) %s\n"
                                     "  result #%d: %s (expected = numpy, got = bnn-interp)\n"
                                     "  saved %s" % (where, i, msg, path))
                    return
            res.oracle_checked += 1
        except Exception as ex:  # noqa: BLE001
            res.failures += 1
            res.lines.append("HARNESS ERROR (numpy_ref.py) %s: %r" % (where, ex))
            return
    if tools.oracle_only:
        return
    for variant in variants:
        vcmd = rcmd + (["--variant", variant] if variant else [])
        vwhere = where + (" [variant %s]" % variant if variant else "")
        if not run_artifact(tools, vcmd, exp, got, info, cdir, out_dir, res,
                            target, tag, vwhere):
            return


def run_artifact(tools, rcmd, exp, got, info, cdir, out_dir, res, target, tag,
                 where):
    """Runs the artifact and compares with the interpreter's results;
    False after a failure (recorded in res)."""
    ok, msg = run_tool(rcmd, tools.timeout)
    if not ok:
        res.failures += 1
        path = save_failure(out_dir, info, cdir, tag)
        res.lines.append("TOOL FAILURE (bnn-run, %s) %s\n  %s\n  saved %s" % (target, where, msg, path))
        return False
    bad = []
    for i, r in enumerate(info["results"]):
        try:
            e = np.load(exp[i])
            g = np.load(got[i])
        except Exception as ex:  # noqa: BLE001
            res.failures += 1
            path = save_failure(out_dir, info, cdir, tag)
            res.lines.append("TOOL FAILURE (reading results) %s: %s\n  saved %s" % (where, ex, path))
            return False
        same, exact, msg = compare(e, g, r["elem"])
        if e.dtype == np.float32:
            res.float_results += 1
            res.float_exact += int(exact)
        if not same:
            bad.append("result #%d %s: %s" % (i, gen_models.ty(r["shape"], r["elem"]), msg))
    if bad:
        res.mismatches += 1
        path = save_failure(out_dir, info, cdir, tag)
        inputs = ("--random-inputs %d" % random_seed_of(info) if info["input_mode"] == "random"
                  else "npy inputs saved beside it")
        res.lines.append("MISMATCH %s on %s\n  %s\n  inputs: %s\n  saved %s" %
                         (where, target, "\n  ".join(bad), inputs, path))
        return False
    return True


def process_module(tools, args, label, mlir_text, cases, out_dir, keep, flags):
    """Compiles one module with the extra flags and runs its cases; returns a
    Result."""
    res = Result()
    work = os.path.join(out_dir, label)
    os.makedirs(work, exist_ok=True)
    mlir = os.path.join(work, label + ".mlir")
    with open(mlir, "w") as f:
        f.write(mlir_text)
    so = os.path.join(work, label + ".so")
    t0 = time.time()
    if tools.oracle_only:
        for info in cases:
            info["input_mode"] = "npy"
            run_case(tools, None, mlir, info, work, out_dir, res, args.target, "", [])
        res.lines.append("%s: %d cases checked against numpy_ref.py, %d failures" %
                         (label, res.cases, res.failures))
        if not keep and res.failures == 0:
            shutil.rmtree(work, ignore_errors=True)
        return res
    ccmd = ([tools.compile, mlir, "-target", args.target] + flags + tools.compile_flags +
            ["-o", so])
    ok, msg = run_tool(ccmd, args.compile_timeout)
    tc = time.time() - t0
    names = [c["name"] for c in cases]
    per_case = {}
    if not ok:
        if len(set(names)) == 1:
            res.failures += 1
            res.cases += len(cases)
            path = save_failure(out_dir, cases[0], None, "")
            res.lines.append("TOOL FAILURE (bnn-compile%s) %s: %s\n  saved %s" %
                             ("".join(" " + f for f in flags), label, msg, path))
            return res
        # Find the functions that do not compile: compile each case alone,
        # and run the others from their own artifacts.
        res.lines.append("%s: the module does not compile; compiling its cases one by one" % label)
        for info in cases:
            name = info["name"]
            if name in per_case:
                continue
            cmlir = os.path.join(work, name + ".mlir")
            with open(cmlir, "w") as f:
                f.write(info["text"])
            cso = os.path.join(work, name + ".so")
            cok, cmsg = run_tool([tools.compile, cmlir, "-target", args.target] + flags +
                                 tools.compile_flags + ["-o", cso], args.compile_timeout)
            per_case[name] = (cmlir, cso) if cok else cmsg
    t1 = time.time()
    for info in cases:
        tag = ""
        if names.count(info["name"]) > 1 and "random_seed" in info:
            tag = "_r%d" % info["random_seed"]
        cmlir, cso = mlir, so
        if per_case:
            got = per_case[info["name"]]
            if isinstance(got, str):
                res.cases += 1
                res.failures += 1
                path = save_failure(out_dir, info, None, tag)
                res.lines.append("TOOL FAILURE (bnn-compile%s) %s (seed %d, %s: %s)\n  %s\n  saved %s" %
                                 ("".join(" " + f for f in flags), info["name"], info["seed"],
                                  info["kind"], info.get("notes", ""), got, path))
                continue
            cmlir, cso = got
        run_case(tools, cso, cmlir, info, work, out_dir, res, args.target, tag, flags,
                 artifact_variants(args.target, flags + tools.compile_flags))
    tr = time.time() - t1
    res.lines.append("%s (%s%s): %d cases, %d mismatches, %d tool failures, "
                     "compile %.1fs, run %.1fs" %
                     (label, args.target, "".join(" " + f for f in flags), res.cases,
                      res.mismatches, res.failures, tc, tr))
    if not keep and res.mismatches == 0 and res.failures == 0:
        shutil.rmtree(work, ignore_errors=True)
    return res

#===------------------------------------------------------------------------===#
# Driver
#===------------------------------------------------------------------------===#


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=["x86_64", "aarch64"], default="x86_64")
    ap.add_argument("--seeds", type=parse_range, help="generated modules A..B-1")
    ap.add_argument("--default-seeds", type=parse_range, default=(0, 20),
                    help="seed range when neither --seeds nor BNN_DIFF_SEEDS is given")
    ap.add_argument("--case", action="append", default=[],
                    help="run only the generated case NAME (case_<seed>_<i>); repeatable")
    ap.add_argument("--cases-per-module", type=int, default=16)
    ap.add_argument("--kinds", help="generate only these kinds (comma-separated; "
                    "case names then differ from a default run)")
    ap.add_argument("--regressions", action="append", default=[],
                    help="a regression .mlir file or a directory of them; repeatable")
    ap.add_argument("--no-generated", action="store_true",
                    help="run only the regression list")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("BNN_DIFF_JOBS", "2")),
                    help="modules processed in parallel (default: BNN_DIFF_JOBS or 2)")
    ap.add_argument("--out", help="work directory (default: a new temporary directory)")
    ap.add_argument("--unique-subdir", action="store_true",
                    help="work in a new subdirectory of --out (concurrent runs with the "
                    "same --out do not collide); removed when everything passed")
    ap.add_argument("--keep", action="store_true",
                    help="keep modules, artifacts and .npy files of passing modules")
    ap.add_argument("--tools-dir", default=os.environ.get(
        "BNN_TOOLS_DIR", os.path.normpath(os.path.join(HERE, "..", "..", "build", "bin"))))
    ap.add_argument("--compile-flag", action="append",
                    help="extra bnn-compile flag (e.g. -O0, -mattr=+avx2); repeatable")
    ap.add_argument("--threads", type=int,
                    help="bnn-run --threads N (artifacts that export bnn_set_num_threads)")
    ap.add_argument("--flag-sets", default="auto",
                    help="bnn-compile flag sets the modules rotate through: 'auto' (by "
                    "target and host CPU), 'none', or 'FLAGS;FLAGS;...'")
    ap.add_argument("--pass-sets", default="none",
                    help="bnn-lower-to-llvm option sets the modules rotate through "
                    "(module k uses set k mod len): 'none', 'all' (every on/off "
                    "combination of the optimisation passes) or 'OPTS;OPTS;...'")
    ap.add_argument("--no-oracle-check", action="store_true",
                    help="do not check bnn-interp against numpy_ref.py")
    ap.add_argument("--oracle-only", action="store_true",
                    help="no compilation: only check bnn-interp against numpy_ref.py "
                    "(every case with .npy inputs)")
    ap.add_argument("--timeout", type=int, default=120, help="per bnn-interp / bnn-run call")
    ap.add_argument("--compile-timeout", type=int, default=600)
    args = ap.parse_args()

    tools = Tools(args)
    missing = tools.missing()
    if missing:
        print("error: missing tools: " + ", ".join(missing), file=sys.stderr)
        return 2

    if args.seeds:
        seeds = args.seeds
    elif os.environ.get("BNN_DIFF_SEEDS"):
        seeds = parse_range(os.environ["BNN_DIFF_SEEDS"])
    else:
        seeds = args.default_seeds
    kinds = set(args.kinds.split(",")) if args.kinds else None

    if args.out and args.unique_subdir:
        os.makedirs(args.out, exist_ok=True)
        out_dir = tempfile.mkdtemp(prefix="run-", dir=args.out)
    else:
        out_dir = args.out or tempfile.mkdtemp(prefix="bnn-diff-")
        os.makedirs(out_dir, exist_ok=True)
    keep = args.keep

    flag_sets = parse_flag_sets(args.flag_sets, args.target)
    pass_sets = parse_pass_sets(args.pass_sets)
    # Work items: (label, text producer, flag set rotation index). A
    # generated module uses flag set seed mod len(sets), so a rerun of one
    # case (--case) compiles with the same flags.
    items = []
    for path in args.regressions:
        files = sorted(glob.glob(os.path.join(path, "*.mlir"))) if os.path.isdir(path) else [path]
        for fpath in files:
            label = "regression_" + os.path.splitext(os.path.basename(fpath))[0]
            items.append((label, lambda fpath=fpath: (open(fpath).read(), regression_cases(fpath)),
                          len(items)))
    if args.case:
        for name in args.case:
            m = re.fullmatch(r"case_(\d+)_(\d+)", name)
            if not m:
                print("error: --case expects case_<seed>_<i>, got %r" % name, file=sys.stderr)
                return 2
            s, i = int(m.group(1)), int(m.group(2))

            def one(s=s, i=i):
                info = gen_models.case_info(gen_models.generate_case(s, i, kinds), s, i)
                return info["text"], [info]
            items.append((name, one, s))
    elif not args.no_generated:
        for s in range(*seeds):
            items.append(("module_%d" % s,
                          lambda s=s: gen_models.generate_module(s, args.cases_per_module, kinds),
                          s))

    print("differential test: target %s, flag sets %s, %s, %d cases per module, tools %s, out %s" %
          (args.target, " | ".join(repr(f) for f in flag_sets), ("case(s) " + " ".join(args.case[:5]) + (" and %d more" % (len(args.case) - 5)
                                            if len(args.case) > 5 else "")) if args.case else
           ("seeds %d:%d" % seeds if not args.no_generated else "regressions only"),
           args.cases_per_module, args.tools_dir, out_dir), flush=True)
    total = Result()
    t0 = time.time()

    def work(item):
        label, produce, rot = item
        flags = flag_sets[rot % len(flag_sets)].split()
        passes = pass_sets[rot % len(pass_sets)]
        if passes:
            flags.append("--pipeline-options=" + passes)
        try:
            text, cases = produce()
            return process_module(tools, args, label, text, cases, out_dir, keep, flags)
        except Exception as ex:  # noqa: BLE001
            import traceback
            r = Result()
            r.failures += 1
            r.lines.append("HARNESS ERROR %s: %s\n%s" % (label, ex, traceback.format_exc()))
            return r

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futures = [ex.submit(work, it) for it in items]
        for fut in concurrent.futures.as_completed(futures):
            r = fut.result()
            for l in r.lines:
                log(l)
            total.cases += r.cases
            total.mismatches += r.mismatches
            total.failures += r.failures
            total.float_results += r.float_results
            total.float_exact += r.float_exact
            total.oracle_checked += r.oracle_checked

    print("float results: %d of %d bit-exact (tolerance: |got - expected| <= %g + %g * |expected|)"
          % (total.float_exact, total.float_results, ATOL, RTOL))
    print("bnn-interp checked against numpy_ref.py on %d cases" % total.oracle_checked)
    print("%d cases, %d mismatches, %d tool failures (%.0fs)" %
          (total.cases, total.mismatches, total.failures, time.time() - t0))
    if total.mismatches or total.failures:
        print("failing cases saved under %s" % os.path.join(out_dir, "failures"))
    if (not args.out or args.unique_subdir) and not args.keep and \
            not (total.mismatches or total.failures):
        shutil.rmtree(out_dir, ignore_errors=True)
    if total.failures:
        return 2
    return 1 if total.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
