#!/usr/bin/python3
"""Differential test of bnn.torch.export: random models (torch_models.py)
exported to MLIR, evaluated by bnn-interp and compiled for x86_64 and
aarch64 (run under qemu), compared with torch's eval-mode forward.

* binary / integer-exact outputs: equal bit for bit;
* float outputs: within rtol = atol_rel = 1e-4 (atol scaled by the output's
  largest magnitude): torch and the float glue sum convolutions and dense
  products in different orders, and torch's BatchNorm uses fused
  multiply-adds where the exported glue rounds twice;
* compiled results: equal to the interpreter's bit for bit (the optimising
  pipeline reproduces the reference semantics exactly);
* with ``dynamic_batch=True`` (first seed of each model): the interpreter
  gives the static export's results bit for bit, and the x86-64 artifact
  run on a batch of another size (the inputs repeated) gives the
  interpreter's results for that batch.

Usage: test_torch_differential.py [--seeds A:B] [--models a,b]
       [--targets x86_64,aarch64]
Seeds: --seeds, else the environment's BNN_TORCH_SEEDS, else 0:2 (seeds A to
B-1 of every model). aarch64 is skipped (with a note) when qemu-aarch64 or
the AArch64 bnn-run is missing.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bnn_test_util as u  # noqa: E402
import torch_models  # noqa: E402
import bnn.torch as bt  # noqa: E402

RTOL = 1e-4


def check_dynamic(failures, tag, model, inputs, got, targets):
    try:
        text = bt.export(model, tuple(inputs), dynamic_batch=True)
    except Exception as e:
        failures.check(f"{tag}: dynamic export failed: {e}")
        return
    arrays = [x.numpy() for x in inputs]
    try:
        dyn = u.interpret(text, arrays, len(got))
    except u.ToolError as e:
        failures.check(f"{tag}: bnn-interp (dynamic batch): {e}")
        return
    for i, (g, d) in enumerate(zip(got, dyn)):
        failures.check(u.mismatch(f"{tag} dynamic-batch interp output {i}", g, d))
    if "x86_64" not in targets:
        return
    bigger = [np.concatenate([a, a[:1]]) for a in arrays]
    try:
        want = u.interpret(text, bigger, len(got))
        have = u.run_compiled(text, bigger, "x86_64", len(got))
    except u.ToolError as e:
        failures.check(f"{tag}: dynamic batch: {e}")
        return
    for i, (w, h) in enumerate(zip(want, have)):
        failures.check(u.mismatch(f"{tag} dynamic-batch x86_64 output {i} (batch "
                                  f"{bigger[0].shape[0]}) vs interp", w, h))


def run_one(failures, name, seed, targets, dynamic=False):
    model, inputs, exact = torch_models.build(name, seed)
    with torch.no_grad():
        ref = model(*inputs)
    ref = [r.numpy() for r in (ref if isinstance(ref, tuple) else (ref,))]
    tag = f"{name}[seed {seed}]"
    try:
        text = bt.export(model, tuple(inputs))
    except Exception as e:
        failures.check(f"{tag}: export failed: {e}")
        return
    if text != bt.export(model, tuple(inputs)):
        failures.check(f"{tag}: export is not deterministic")
    arrays = [x.numpy() for x in inputs]
    try:
        got = u.interpret(text, arrays, len(ref))
    except u.ToolError as e:
        failures.check(f"{tag}: bnn-interp: {e}")
        return
    for i, (r, g) in enumerate(zip(ref, got)):
        if i in exact:
            failures.check(u.mismatch(f"{tag} interp output {i} (exact)", r, g))
        else:
            atol = RTOL * (1.0 + float(np.abs(r).max()))
            failures.check(u.mismatch(f"{tag} interp output {i}", r, g, atol, RTOL))
    if dynamic:
        check_dynamic(failures, tag, model, inputs, got, targets)
    for target in targets:
        try:
            compiled = u.run_compiled(text, arrays, target, len(ref))
        except u.ToolError as e:
            failures.check(f"{tag}: {target}: {e}")
            continue
        for i, (g, c) in enumerate(zip(got, compiled)):
            failures.check(u.mismatch(f"{tag} {target} output {i} vs interp", g, c))


def check_compile_api(failures):
    """bnn.torch.compile (export + bnn.compile + bnn.load, a CompiledModule)
    when the bnn core package is importable."""
    import bnn
    if not hasattr(bnn, "compile"):
        print("note: the bnn core package is not built; skipping bnn.torch.compile")
        return
    model, inputs, exact = torch_models.build("binary_mlp", 0)
    with torch.no_grad():
        ref = model(*inputs)
    for dynamic in (False, True):
        module = bt.compile(model, tuple(inputs), dynamic_batch=dynamic)
        with torch.no_grad():
            got = module(*inputs)
        for i, (r, g) in enumerate(zip(ref, got)):
            failures.check(u.mismatch(f"bnn.torch.compile(dynamic_batch={dynamic}) "
                                      f"output {i}", r.numpy(), np.asarray(g)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", default=os.environ.get("BNN_TORCH_SEEDS") or "0:2")
    p.add_argument("--models", default=",".join(torch_models.MODELS))
    p.add_argument("--targets", default="x86_64,aarch64")
    args = p.parse_args()
    first, _, last = args.seeds.partition(":")
    first, last = int(first), int(last) if last else int(first) + 1
    targets = [t for t in args.targets.split(",") if t]
    if "aarch64" in targets and not u.aarch64_available():
        print("note: qemu-aarch64 or the aarch64 bnn-run is missing; skipping aarch64")
        targets.remove("aarch64")
    failures = u.Failures("test_torch_differential")
    for name in args.models.split(","):
        for seed in range(first, last):
            print(f"{name} seed {seed}", flush=True)
            run_one(failures, name, seed, targets, dynamic=seed == first)
    if "x86_64" in targets:
        check_compile_api(failures)
    failures.finish()


if __name__ == "__main__":
    main()
