"""Helpers of the bnn.torch tests: importing bnn.torch from the source tree,
running exported models through the command-line tools, comparing results.

bnn.torch is imported from PYTHONPATH when that provides it (e.g. the
build's python_packages, as lit runs the tests), else from the source tree
(python/), without the core package's native extension if it is not built.

Environment:
  BNN_TOOLS_DIR     directory of bnn-interp / bnn-compile / bnn-run
                    (default: <repo>/build/bin); bnn-run for AArch64 is
                    <dir>/aarch64/bnn-run.
  BNN_QEMU          qemu-aarch64 command (default: qemu-aarch64); the AArch64
                    runs are skipped when it or that bnn-run is missing.
  BNN_TEST_BACKEND  "tools" (default): the command-line tools; "python": the
                    bnn package's interpret / compile / load for the
                    interpreter and host-target runs (AArch64 still runs
                    bnn-run under qemu).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import types

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.join(REPO, "python")
TOOLS = os.environ.get("BNN_TOOLS_DIR", os.path.join(REPO, "build", "bin"))
QEMU = os.environ.get("BNN_QEMU", "qemu-aarch64")

BACKEND = os.environ.get("BNN_TEST_BACKEND", "tools")


def _import_bnn_torch():
    try:
        import bnn.torch  # noqa: F401
        return
    except Exception:
        for name in [m for m in sys.modules if m == "bnn" or m.startswith("bnn.")]:
            del sys.modules[name]
    sys.path.insert(0, PYTHON_DIR)
    try:  # the bnn core needs its native extension; bnn.torch does not
        import bnn  # noqa: F401
    except Exception:
        for name in [m for m in sys.modules if m == "bnn" or m.startswith("bnn.")]:
            del sys.modules[name]
        pkg = types.ModuleType("bnn")
        pkg.__path__ = [os.path.join(PYTHON_DIR, "bnn")]
        sys.modules["bnn"] = pkg
    import bnn.torch  # noqa: F401


_import_bnn_torch()


class ToolError(Exception):
    pass


def _run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        raise ToolError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-4000:]}")
    return p


def _save_inputs(tmp, inputs):
    args = []
    for i, x in enumerate(inputs):
        path = os.path.join(tmp, f"in{i}.npy")
        np.save(path, np.ascontiguousarray(np.asarray(x, dtype=np.float32)))
        args += ["--input", path]
    return args


def _outputs(tmp, count):
    return ["--output" if i % 2 == 0 else os.path.join(tmp, f"out{i // 2}.npy")
            for i in range(2 * count)]


def _load(tmp, count):
    return [np.load(os.path.join(tmp, f"out{i}.npy")) for i in range(count)]


def _as_list(results):
    return [np.asarray(r) for r in (results if isinstance(results, tuple) else (results,))]


def interpret(mlir_text, inputs, num_outputs=1):
    """Results of build/bin/bnn-interp on ``inputs`` (numpy arrays)."""
    if BACKEND == "python":
        import bnn
        return _as_list(bnn.interpret(mlir_text, *[np.asarray(x, np.float32)
                                                   for x in inputs]))
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.mlir")
        with open(model, "w") as f:
            f.write(mlir_text)
        _run([os.path.join(TOOLS, "bnn-interp"), model, "--quiet"]
             + _save_inputs(tmp, inputs) + _outputs(tmp, num_outputs), tmp)
        return _load(tmp, num_outputs)


def aarch64_available():
    return shutil.which(QEMU) is not None and os.path.exists(
        os.path.join(TOOLS, "aarch64", "bnn-run"))


def run_compiled(mlir_text, inputs, target="x86_64", num_outputs=1):
    """Compiles with bnn-compile -target TARGET and runs with bnn-run (under
    qemu for aarch64); returns the results."""
    if BACKEND == "python" and target == "x86_64":
        import bnn
        module = bnn.load(bnn.compile(mlir_text, target=target))
        return _as_list(module(*[np.asarray(x, np.float32) for x in inputs]))
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.mlir")
        with open(model, "w") as f:
            f.write(mlir_text)
        so = os.path.join(tmp, "model.so")
        _run([os.path.join(TOOLS, "bnn-compile"), model, "-target", target, "-o", so], tmp)
        if target == "aarch64":
            cmd = [QEMU, "-L", "/usr/aarch64-linux-gnu",
                   os.path.join(TOOLS, "aarch64", "bnn-run"), so]
        else:
            cmd = [os.path.join(TOOLS, "bnn-run"), so]
        _run(cmd + ["--quiet"] + _save_inputs(tmp, inputs) + _outputs(tmp, num_outputs),
             tmp)
        return _load(tmp, num_outputs)


def mismatch(name, expected, actual, atol=0.0, rtol=0.0):
    """None when ``actual`` matches ``expected`` (exactly when both
    tolerances are 0), else a description of the worst differences."""
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    if expected.shape != actual.shape:
        return f"{name}: shape {actual.shape} instead of {expected.shape}"
    if atol == 0.0 and rtol == 0.0:
        bad = ~((expected == actual) | (np.isnan(expected) & np.isnan(actual)))
    else:
        bad = ~np.isclose(actual, expected, atol=atol, rtol=rtol, equal_nan=True)
    if not bad.any():
        return None
    idx = np.argwhere(bad)[:5]
    lines = [f"{name}: {int(bad.sum())} of {bad.size} elements differ "
             f"(atol={atol}, rtol={rtol}); max |diff| "
             f"{np.nanmax(np.abs(expected.astype(np.float64) - actual)):.3g}"]
    for i in idx:
        i = tuple(int(v) for v in i)
        lines.append(f"  at {i}: expected {expected[i]!r}, got {actual[i]!r}")
    return "\n".join(lines)


class Failures:
    """Collects failures; ``finish()`` prints them and exits non-zero."""

    def __init__(self, name):
        self.name, self.items, self.checks = name, [], 0

    def check(self, description):
        self.checks += 1
        if description:
            self.items.append(description)
            print("FAIL", description, flush=True)

    def expect(self, condition, description):
        self.check(None if condition else description)

    def finish(self):
        if self.items:
            print(f"{self.name}: {len(self.items)} of {self.checks} checks failed")
            sys.exit(1)
        print(f"{self.name}: all {self.checks} checks passed")
