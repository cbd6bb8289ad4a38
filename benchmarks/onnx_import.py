#!/usr/bin/python3
"""An imported QONNX model against the same model written in the dialect.

FINN's CNV topology (3x32x32 input, 8-bit first layer, binary 3x3
convolutions 64-64-128-128-256-256 with max pooling, binary dense
512-512-10) is built from bnn.torch layers with random weights and batch
statistics, then compiled two ways:

  dialect   bnn.torch.export: the project's exporter writes the bnn dialect
            directly (the hand-written form);
  qonnx     exported as QONNX (test/ONNX/torch_qonnx.py, the nodes Brevitas
            writes) and compiled from the .onnx file by the importer.

Both artifacts must give identical outputs; the table has their latency
(batch 1, one thread and all threads, median of --repeat calls) and the
operations of the imported module's body between the input and the output,
by dialect, next to the dialect version's.

    PYTHONPATH=build/python_packages /usr/bin/python3 benchmarks/onnx_import.py \\
        [--repeat 200] [--markdown docs/benchmarks.md]
"""
import argparse
import collections
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "ONNX"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import bnn  # noqa: E402
import bnn.torch as bt  # noqa: E402
import torch_qonnx  # noqa: E402


def cnv():
    torch.manual_seed(0)
    c = [64, 64, 128, 128, 256, 256]
    layers = [bt.BitserialConv2d(3, c[0], 3, act_bits=8, act_step=1 / 255),
              nn.BatchNorm2d(c[0])]
    pools = {1, 3}
    for i in range(1, 6):
        layers += [bt.BinaryConv2d(c[i - 1], c[i], 3), nn.BatchNorm2d(c[i])]
        if i in pools:
            layers += [bt.Binarize(), nn.MaxPool2d(2)]
    layers += [bt.Binarize(), nn.Flatten(),
               bt.BinaryLinear(256, 512), nn.BatchNorm1d(512),
               bt.BinaryLinear(512, 512), nn.BatchNorm1d(512),
               bt.BinaryLinear(512, 10, scale=True, bias=True)]
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                n = m.num_features
                m.running_mean.uniform_(-20, 20)
                m.running_var.uniform_(20, 200)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    return model.eval()


def census(text):
    """Operations of the function body by name (constants excluded)."""
    ops = collections.Counter(re.findall(r"= (?:\"?)([a-z_]+\.[a-z_0-9]+)", text))
    for k in list(ops):
        if k in ("tosa.const", "arith.constant", "tosa.const_shape"):
            del ops[k]
    return ops


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--markdown", help="append the table to this file")
    args = ap.parse_args()

    model = cnv()
    x = torch.rand(1, 3, 32, 32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cnv.onnx")
        torch_qonnx.export(model, x, path, dynamic_batch=False)
        exported = bt.export(model, x, function_name="forward")
        sources = {"dialect": exported, "qonnx": path}
        texts = {k: bnn.compile(s, emit="mlir", stop_after="input")
                 for k, s in sources.items()}
        modules = {k: bnn.load(bnn.compile(s)) for k, s in sources.items()}
    xs = [torch.rand(1, 3, 32, 32).numpy() for _ in range(8)]
    outs = {k: [m(v) for v in xs] for k, m in modules.items()}
    identical = all(np.array_equal(a, b) for a, b in zip(outs["dialect"], outs["qonnx"]))
    rows = []
    for k, m in modules.items():
        m.set_num_threads(1)
        one = m.benchmark(xs[0], repeat=args.repeat)["median_ms"]
        m.set_num_threads(os.cpu_count())
        all_ = m.benchmark(xs[0], repeat=args.repeat)["median_ms"]
        ops = census(texts[k])
        rows.append((k, one, all_, ops))
    keys = sorted(set().union(*[r[3] for r in rows]))
    lines = ["", "### Imported QONNX vs the dialect (FINN CNV)", "",
             "- CPU: %s, %d threads (`os.cpu_count()`)" % (cpu_model(), os.cpu_count()),
             "- Reproduce: `PYTHONPATH=build/python_packages /usr/bin/python3 "
             "benchmarks/onnx_import.py`",
             "- Outputs of the two artifacts identical on 8 random inputs: %s"
             % ("yes" if identical else "NO"), "",
             "| source | ms, 1 thread | ms, %d threads | operations (before lowering) |"
             % os.cpu_count(),
             "|---|---:|---:|---|"]
    for k, one, all_, ops in rows:
        lines.append("| %s | %.3f | %.3f | %s |" % (
            k, one, all_, ", ".join("%s %d" % (o, ops[o]) for o in keys if ops[o])))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write(text)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
