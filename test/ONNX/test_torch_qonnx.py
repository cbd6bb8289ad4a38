#!/usr/bin/python3
"""Self-test of torch_qonnx.py: small models made of every layer and option
the exporter covers, with seeded random weights and BatchNorm statistics,
exported as QONNX and run through onnx_ref (and, with --tools, compiled
with bnn-compile and run with bnn-run), compared with torch's eval-mode
forward. Inputs are standard normal floats with exact zeros, -0.0 and
multiples of 1/8 (ties of the quantizers).

Models of quantized layers only must match exactly (bit for bit but for
the sign of zero: ActQuant maps -0.0 to -0.0, Quant to +0.0, see
torch_qonnx.py); those with a float
nn.Conv2d / nn.Linear within 1e-5 + 1e-5 * |expected| (they sum in another
order). Every layer -> BatchNorm -> quantizer chain is also checked on all
its accumulator values (torch_qonnx.check_chains). With --tools, the line
of each model lists the bnn operators the importer produced (for
information: a missing bnn.binary_* means a float fallback).

    PYTHONPATH=build/python_packages /usr/bin/python3 test/ONNX/test_torch_qonnx.py
        [--tools build/bin] [--only NAME]... [--keep DIR]
Exit status: 0 when everything matched, 1 on a mismatch, 2 on a failure.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import bnn.torch as bt  # noqa: E402
import onnx_ref  # noqa: E402
import torch_qonnx  # noqa: E402

RTOL = ATOL = 1e-5


def bn(c, dims=2):
    """A BatchNorm with some negative scales; calibrate() sets its
    statistics."""
    b = nn.BatchNorm1d(c) if dims == 1 else nn.BatchNorm2d(c)
    with torch.no_grad():
        b.weight.uniform_(-1, 2)
        b.bias.normal_(0, 0.5)
    return b


def calibrate(model, shape, seed):
    """BatchNorm statistics of the model's own activations on a few inputs,
    so that the quantizers after them see both signs and most levels."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return model.eval()
    for b in bns:
        b.reset_running_stats()
        b.momentum = None  # cumulative average
    model.train()
    with torch.no_grad():
        for k in range(4):
            model(torch.from_numpy(make_input((16,) + tuple(shape[1:]), 1000 * seed + k)))
    return model.eval()


class FunctionalBinarize(nn.Module):
    """bnn.torch.binarize called in a model's own forward."""

    def __init__(self):
        super().__init__()
        self.conv1 = bt.BinaryConv2d(3, 4, 3, padding=1)
        self.bn = bn(4)
        self.conv2 = bt.BinaryConv2d(4, 4, 3, padding=1)

    def forward(self, x):
        return self.conv2(bt.binarize(self.bn(self.conv1(x))))


# Inputs x in [0, 1] where clamp(round(x * f32(1/step))) differs from
# clamp(round(x / step)) for ActQuant's default step f32(1/(2^k - 1)): a
# single Quant(scale=step) node would quantize them differently.
SINGLE_QUANT_DIFFERS = {
    3: [0.21428572, 0.3571429, 0.9285715],
    4: [0.1, 0.96666676],
    8: [0.005882353, 0.9980393],
}


def cases():
    """(name, constructor, input shape, exact, dense form[, special input
    values])."""
    s = nn.Sequential
    img = (4, 3, 8, 8)
    return [
        ("actquant-default-step", lambda: s(bt.ActQuant(3)), (4, 8), True, "gemm",
            SINGLE_QUANT_DIFFERS[3]),
        ("actquant-bitserial-default-steps", lambda: s(
            bt.ActQuant(3), nn.Flatten(),
            bt.BitserialLinear(8, 6, act_bits=4, weight_bits=2, scale=True), bn(6, 1),
            bt.BitserialLinear(6, 4, act_bits=8, bias=True)), (4, 8), True, "gemm",
            SINGLE_QUANT_DIFFERS[3]),
        ("bitserial-default-steps", lambda: s(
            bt.BitserialLinear(8, 6, act_bits=4, weight_bits=1, bias=True)), (4, 8), True,
            "gemm", SINGLE_QUANT_DIFFERS[4]),
        ("bitserial-8bit-input", lambda: s(
            bt.BitserialLinear(8, 6, act_bits=8, weight_bits=3, scale=True)), (4, 8), True,
            "gemm", SINGLE_QUANT_DIFFERS[8]),
        ("binary-conv-pad0", lambda: s(
            bt.BinaryConv2d(3, 4, 3, padding=1), bn(4),
            bt.BinaryConv2d(4, 5, 3, padding=1, scale=True, bias=True)), img, True, "gemm"),
        ("binary-conv-pad+1-1", lambda: s(
            bt.BinaryConv2d(3, 4, 3, padding=1, pad_value=1), bn(4),
            bt.BinaryConv2d(4, 5, 3, padding=1, pad_value=-1)), img, True, "gemm"),
        ("binary-conv-same-even", lambda: s(
            bt.BinaryConv2d(3, 4, 2, padding="same"), bn(4),
            bt.BinaryConv2d(4, 5, 2, padding="same")), img, True, "gemm"),
        ("binary-conv-stride-dilation-groups", lambda: s(
            bt.BinaryConv2d(3, 4, 3, stride=2, padding=1), bn(4),
            bt.BinaryConv2d(4, 6, 2, dilation=2, groups=2, bias=True)), img, True, "gemm"),
        ("binary-hardtanh-relu", lambda: s(
            bt.BinaryConv2d(3, 4, 3), bn(4), nn.Hardtanh(), bt.BinaryConv2d(4, 5, 3), bn(5),
            nn.ReLU(), bt.BinaryConv2d(5, 3, 1)), img, True, "gemm"),
        ("binarize-maxpool-binary", lambda: s(
            bt.BinaryConv2d(3, 4, 3), bn(4), bt.Binarize(), nn.MaxPool2d(2),
            nn.Flatten(), bt.BinaryLinear(36, 7), bn(7, 1),
            bt.BinaryLinear(7, 5, scale=True, bias=True)), img, True, "gemm"),
        ("bn-maxpool-binary", lambda: s(
            bt.BinaryConv2d(3, 4, 3), bn(4), nn.MaxPool2d(2), bt.BinaryConv2d(4, 5, 3)),
            img, True, "gemm"),
        ("bitserial-conv", lambda: s(
            bt.BitserialConv2d(3, 4, 3, padding=1, act_bits=3, weight_bits=2, scale=True,
                               bias=True), bn(4),
            bt.BitserialConv2d(4, 5, 3, act_bits=2, act_step=0.25, weight_bits=3), bn(5),
            bt.BitserialConv2d(5, 3, 3, act_bits=4, act_step=0.1, weight_bits=1, scale=True)),
            img, True, "gemm"),
        ("actquant-maxpool-bitserial", lambda: s(
            bt.BinaryConv2d(3, 4, 3), bn(4), nn.ReLU(), bt.ActQuant(2, 0.5), nn.MaxPool2d(2),
            nn.Flatten(), bt.BitserialLinear(36, 5, act_bits=2, act_step=0.5, bias=True)),
            img, True, "gemm"),
        ("actquant-third", lambda: s(
            bt.ActQuant(2), nn.MaxPool2d(2), nn.Flatten(),
            bt.BitserialLinear(48, 6, act_bits=3, weight_bits=2, scale=True)), img, True, "gemm"),
        ("dense-gemm", lambda: s(
            nn.Flatten(), bt.BinaryLinear(192, 16), bn(16, 1),
            bt.BitserialLinear(16, 8, act_bits=2, act_step=0.5, weight_bits=2), bn(8, 1),
            bt.BitserialLinear(8, 5, act_bits=4, weight_bits=1, scale=True, bias=True)),
            img, True, "gemm"),
        ("dense-matmul", lambda: s(
            nn.Flatten(), bt.BinaryLinear(192, 16), bn(16, 1),
            bt.BitserialLinear(16, 8, act_bits=2, act_step=0.5, weight_bits=2), bn(8, 1),
            bt.BitserialLinear(8, 5, act_bits=4, weight_bits=1, scale=True, bias=True)),
            img, True, "matmul"),
        ("functional-binarize", FunctionalBinarize, img, True, "gemm"),
        ("float-conv-binary-float-linear", lambda: s(
            nn.Conv2d(3, 4, 3, padding=1), bn(4), bt.BinaryConv2d(4, 4, 3), bn(4),
            bt.ActQuant(3, 0.25), nn.Flatten(), nn.Linear(144, 5)), img, False, "gemm"),
    ]


def make_input(shape, seed, specials=()):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, shape).astype(np.float32)
    flat = x.reshape(-1)
    k = flat.size // 10
    flat[:k] = 0.0
    flat[k:2 * k] = -0.0
    flat[2 * k:4 * k] = rng.integers(-16, 17, 2 * k) / np.float32(8)
    rng.shuffle(flat)
    flat[:len(specials)] = specials
    return x


def compare(want, got, exact):
    if want.shape != got.shape or want.dtype != got.dtype:
        return "shape/dtype %s %s, expected %s %s" % (got.dtype, list(got.shape), want.dtype,
                                                     list(want.shape))
    if exact:
        bad = ~((want == got) | (np.isnan(want) & np.isnan(got)))
    else:
        bad = ~(np.abs(got.astype(np.float64) - want) <= ATOL + RTOL * np.abs(want))
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad.reshape(-1))[0])
    return "%d of %d elements differ (first at flat index %d: expected %r, got %r)" % (
        int(bad.sum()), bad.size, i, float(want.reshape(-1)[i]), float(got.reshape(-1)[i]))


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", help="directory of bnn-compile, bnn-import and bnn-run")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--keep", help="directory to keep the models and inputs in")
    args = ap.parse_args()
    torch.set_num_threads(1)
    work = args.keep or tempfile.mkdtemp(prefix="bnn-torch-qonnx-")
    os.makedirs(work, exist_ok=True)
    mismatches = failures = count = 0
    for seed, (name, make, shape, exact, dense, *specials) in enumerate(cases()):
        if args.only and name not in args.only:
            continue
        count += 1
        torch.manual_seed(seed)
        x = make_input(shape, seed, specials[0] if specials else ())
        lines, status = [], "ok"
        path = os.path.join(work, name + ".onnx")
        try:
            model = calibrate(make(), shape, seed)
            with torch.no_grad():
                want = model(torch.from_numpy(x)).numpy()
            torch_qonnx.export(model, torch.from_numpy(x[:1]), path, dense=dense)
            got = onnx_ref.run(path, {"x": x})["y"]
        except Exception as ex:  # noqa: BLE001
            print("FAIL %s: model / export / onnx_ref: %r" % (name, ex))
            failures += 1
            continue
        msg = compare(want, got, exact)
        if msg:
            status = "MISMATCH"
            lines.append("onnx_ref vs torch: " + msg)
        if isinstance(model, nn.Sequential):
            for desc, bad, total in torch_qonnx.check_chains(model):
                if bad:
                    status = "MISMATCH"
                    lines.append("chain %s: %d of %d values differ" % (desc, bad, total))
        ops = ""
        if args.tools:
            xpath = os.path.join(work, name + ".x.npy")
            ypath = os.path.join(work, name + ".y.npy")
            so = os.path.join(work, name + ".so")
            np.save(xpath, x)
            rc, out = run([os.path.join(args.tools, "bnn-compile"), path, "--emit=shared",
                           "-o", so])
            if rc == 0:
                rc, out = run([os.path.join(args.tools, "bnn-run"), so, "--quiet", "--input",
                               xpath, "--output", ypath])
            if rc != 0:
                status = "FAIL"
                lines.append("tool failure:\n" + out)
            else:
                msg = compare(want, np.load(ypath), exact)
                if msg:
                    status = "MISMATCH"
                    lines.append("compiled vs torch: " + msg)
                rc, text = run([os.path.join(args.tools, "bnn-import"), path])
                found = sorted(set(re.findall(r"\bbnn\.([a-z_0-9]+) ", text)) - {"onnx_name"})
                ops = " [%s]" % " ".join(found)
        print("%s %s%s" % (status if status != "ok" else "ok  ", name, ops))
        for line in lines:
            print("     " + line.replace("\n", "\n     "))
        mismatches += status == "MISMATCH"
        failures += status == "FAIL"
    print("test_torch_qonnx: %d models, %d with mismatches, %d with failures"
          % (count, mismatches, failures))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 2 if failures else (1 if mismatches else 0)


if __name__ == "__main__":
    sys.exit(main())
