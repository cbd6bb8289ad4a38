#!/usr/bin/python3
"""Threshold folding checked exhaustively against torch.

1. ``thresholds_from_signs`` on synthetic sign patterns.
2. For random layers (binary conv / dense with and without scale and bias)
   followed by random per-channel chains (BatchNorm with negative, zero,
   tiny and huge weights, means on integer boundaries; Hardtanh, ReLU,
   PReLU, LeakyReLU, scalar arithmetic, a second BatchNorm) and a
   binarization: export, read the ``bnn.threshold`` constants from the MLIR
   text, and compare ``acc >= t`` / ``acc <= t`` with torch's own result for
   EVERY accumulator value in [-K, K]. torch is evaluated here on tensors
   laid out like real activations ([1, C, n, 1] for convolutions), not on
   the exporter's grid.
3. End to end: a binary dense layer + BatchNorm + sign on inputs that reach
   every accumulator value of every channel, through bnn-interp.
4. ``float_thresholds`` (binarize((u - tau) * sign)) against torch on the
   float32 values around each tau and on random values.
5. The float glue of an unfolded BatchNorm (``x * alpha + beta``, two
   roundings) stays within an ulp of torch's; whether torch itself computes
   ``fma(x, alpha, beta)`` (what this torch build does, and why BatchNorm
   outputs that stay float are not bit-exact) is printed.
"""

import os
import re
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bnn_test_util as u  # noqa: E402
import bnn.torch as bt  # noqa: E402
from bnn.torch.folding import (INT32_MAX, INT32_MIN, NotMonotone,  # noqa: E402
                               batchnorm_constants, float_thresholds, fma_f32,
                               thresholds_from_signs)


def parse_dense(text):
    """Values of a dense<...> literal (splat or nested list of ints/bools)."""
    body = text.strip()
    body = body.replace("true", "1").replace("false", "0")
    return np.array([int(v) for v in re.findall(r"-?\d+", body)], dtype=np.int64)


def thresholds_in(mlir):
    """[(thresholds, directions)] of every bnn.threshold in ``mlir``."""
    consts = dict(re.findall(r"(%\w+) = arith\.constant dense<(.*?)> : tensor", mlir))
    out = []
    for t, d, ty in re.findall(r"bnn\.threshold %\w+, (%\w+), (%\w+) : .*?tensor<(\d+)xi32>",
                               mlir):
        c = int(ty)
        tv, dv = parse_dense(consts[t]), parse_dense(consts[d]).astype(bool)
        out.append((np.broadcast_to(tv, (c,)), np.broadcast_to(dv, (c,))))
    return out


def check_patterns(f):
    lo = -3  # rows: accumulators -3..1; columns: features
    plus = np.array([[0, 0, 0, 0, 0],   # always -1
                     [1, 1, 1, 1, 1],   # always +1
                     [0, 0, 1, 1, 1],   # +1 from -1 on
                     [1, 1, 1, 0, 0],   # +1 up to -1
                     [1, 0, 0, 0, 0]], dtype=bool).T  # +1 up to -3
    t, d = thresholds_from_signs(plus, lo)
    f.check(u.mismatch("patterns t", np.array([INT32_MAX, INT32_MIN, -1, -1, -3]), t))
    f.check(u.mismatch("patterns d", np.array([False, False, False, True, True]), d))
    try:
        thresholds_from_signs(np.array([[1], [0], [1]], dtype=bool), 0)
        f.check("non-monotone pattern accepted")
    except NotMonotone:
        f.check(None)


def make_bn(cls, c, k, g):
    bn = cls(c, eps=[1e-5, 1e-3, 0.1][int(torch.randint(0, 3, (1,), generator=g))])
    with torch.no_grad():
        mean = torch.randint(-k, k + 1, (c,), generator=g).float()
        half = torch.rand(c, generator=g) < 0.3
        mean[half] += 0.5  # ties between two accumulators
        bn.running_mean.copy_(mean + torch.where(torch.rand(c, generator=g) < 0.3,
                                                 torch.randn(c, generator=g) * 1e-3,
                                                 torch.zeros(c)))
        bn.running_var.copy_(torch.rand(c, generator=g) * k + 1e-3)
        w = torch.randn(c, generator=g)
        kind = torch.randint(0, 6, (c,), generator=g)
        w[kind == 0] = 0.0
        w[kind == 1] *= 1e-7
        w[kind == 2] *= 1e6
        bn.weight.copy_(w)
        bn.bias.copy_(torch.randn(c, generator=g) * 2)
    return bn.eval()


def random_chain(rank, c, k, g):
    cls = nn.BatchNorm2d if rank == 4 else nn.BatchNorm1d
    mods = [make_bn(cls, c, k, g)]
    pick = int(torch.randint(0, 7, (1,), generator=g))
    if pick == 1:
        mods.append(nn.Hardtanh(-0.5, 0.75))
    elif pick == 2:
        mods.append(nn.ReLU())
    elif pick == 3:
        p = nn.PReLU(c)
        with torch.no_grad():
            p.weight.copy_(torch.randn(c, generator=g))  # negative slopes too
        mods.append(p)
    elif pick == 4:
        mods.append(nn.LeakyReLU(0.1))
    elif pick == 5:
        mods.append(make_bn(cls, c, 4, g))
    return mods


class ScalarOps(nn.Module):
    def forward(self, x):
        return (x * 0.75 - 0.25) + 1.5


def exhaustive_case(f, seed):
    g = torch.Generator().manual_seed(seed)
    conv = seed % 2 == 0
    c = int(torch.randint(1, 9, (1,), generator=g))
    opts = dict(scale=bool(seed % 3 == 0))
    bias = bool(seed % 5 < 2)
    if conv:
        cin, kk = int(torch.randint(1, 5, (1,), generator=g)), 3
        layer = bt.BinaryConv2d(cin, c, kk, padding=1, bias=bias, **opts)
        k = layer.reduction_size()
        x = torch.randn(1, cin, 4, 4)
    else:
        cin = int(torch.randint(1, 40, (1,), generator=g))
        layer = bt.BinaryLinear(cin, c, bias=bias, **opts)
        k = cin
        x = torch.randn(2, cin)
    with torch.no_grad():
        if layer.scale is not None:
            layer.scale.copy_(torch.randn(c, generator=g))
        if layer.bias is not None:
            layer.bias.copy_(torch.randn(c, generator=g) * 3)
    chain = random_chain(4 if conv else 2, c, k, g)
    if seed % 7 == 0:
        chain.append(ScalarOps())
    model = nn.Sequential(layer, *chain, bt.Binarize()).eval()
    mlir = bt.export(model, x)
    found = thresholds_in(mlir)
    tag = f"seed {seed} ({'conv' if conv else 'dense'} K={k} C={c}, " \
          f"{[type(m).__name__ for m in chain]})"
    if len(found) != 1:
        nonmono = any(isinstance(m, nn.PReLU) for m in chain)
        f.expect(nonmono, f"{tag}: {len(found)} bnn.threshold ops:\n{mlir}")
        return 0
    t, d = found[0]
    acc = np.arange(-k, k + 1)
    n = acc.size
    with torch.no_grad():
        if conv:
            grid = torch.from_numpy(acc.astype(np.float32)).view(1, 1, n, 1).expand(1, c, n, 1)
            y = nn.Sequential(*chain)(layer.epilogue(grid.contiguous()))
            plus = ~(y[0, :, :, 0] < 0).numpy().T  # [n, c]
        else:
            grid = torch.from_numpy(acc[::-1].astype(np.float32).copy()).view(n, 1).expand(n, c)
            y = nn.Sequential(*chain)(layer.epilogue(grid.contiguous()))
            plus = ~(y < 0).numpy()[::-1]
    expect = np.where(d[None, :], acc[:, None] <= t[None, :], acc[:, None] >= t[None, :])
    f.check(u.mismatch(f"{tag}: binarized value per accumulator", plus, expect))
    return 1


def end_to_end(f, seed):
    """Every reachable accumulator K - 2j of every channel, through bnn-interp."""
    g = torch.Generator().manual_seed(seed)
    k, c = 9, 6
    layer = bt.BinaryLinear(k, c, scale=True, bias=True)
    with torch.no_grad():
        layer.scale.copy_(torch.randn(c, generator=g))
        layer.bias.copy_(torch.randn(c, generator=g))
    bn = make_bn(nn.BatchNorm1d, c, k, g)
    model = nn.Sequential(layer, bn, nn.Hardtanh(), bt.Binarize()).eval()
    w = torch.where(layer.weight < 0, -1.0, 1.0)
    rows = []
    for o in range(c):
        for j in range(k + 1):
            x = w[o].clone()
            x[:j] *= -1  # j disagreements: acc_o = K - 2j
            rows.append(x * 0.5)
    x = torch.stack(rows).detach()
    with torch.no_grad():
        ref = model(x).numpy()
    mlir = bt.export(model, x)
    got = u.interpret(mlir, [x.numpy()])[0]
    f.check(u.mismatch(f"end to end seed {seed}", ref, got))


class Post(nn.Module):
    def __init__(self, mods):
        super().__init__()
        self.mods = nn.Sequential(*mods)

    def forward(self, v):
        return self.mods(v.view(1, -1, 1, 1))


def float_threshold_case(f, seed):
    g = torch.Generator().manual_seed(seed)
    c = 8
    mods = [make_bn(nn.BatchNorm2d, c, 50, g)]
    if seed % 2:
        mods += [nn.Hardtanh(), make_bn(nn.BatchNorm2d, c, 3, g)]
    post = Post(mods).eval()
    tau, sign = float_thresholds(post, c)
    finite = tau[np.isfinite(tau)]
    samples = [np.random.default_rng(seed).standard_normal(2000).astype(np.float32) * 100,
               np.array([0.0, -0.0, 3e38, -3e38, 1e-30, -1e-30], np.float32)]
    for delta in (-2, -1, 0, 1, 2):
        v = finite.copy()
        for _ in range(abs(delta)):
            v = np.nextafter(v, np.float32(np.inf if delta > 0 else -np.inf))
        samples.append(v)
    u_vals = np.concatenate(samples).astype(np.float32)
    m = u_vals.size
    with torch.no_grad():
        ref = post.mods(torch.from_numpy(u_vals).view(m, 1, 1, 1).expand(m, c, 1, 1)
                        .contiguous())[:, :, 0, 0].numpy()
    ref_plus = ~(ref < 0)
    z = (u_vals[:, None] - tau[None, :]).astype(np.float32) * sign[None, :]
    got_plus = ~(z < 0)
    f.check(u.mismatch(f"float thresholds seed {seed}", ref_plus, got_plus))


def batchnorm_glue(f):
    g = torch.Generator().manual_seed(9)
    bn = make_bn(nn.BatchNorm2d, 16, 40, g)
    x = torch.randn(4, 16, 5, 7, generator=g) * 30
    with torch.no_grad():
        ref = bn(x).numpy()
    alpha, beta = batchnorm_constants(bn)
    xn = x.numpy().transpose(0, 2, 3, 1)
    prod = (xn * alpha).astype(np.float32)
    glue = (prod + beta).astype(np.float32).transpose(0, 3, 1, 2)
    bound = (np.abs(prod) + np.abs(beta)).transpose(0, 3, 1, 2) * 2.0 ** -23
    f.expect((np.abs(glue - ref) <= bound).all(), "BatchNorm glue further than an ulp "
             "from torch")
    a = np.broadcast_to(alpha, xn.shape).reshape(-1)
    b = np.broadcast_to(beta, xn.shape).reshape(-1)
    fused = fma_f32(xn.reshape(-1), a, b).reshape(xn.shape).transpose(0, 3, 1, 2)
    print(f"torch BatchNorm (eval) == fma(x, alpha, beta): {np.array_equal(fused, ref)}; "
          f"== x * alpha + beta: {np.array_equal(glue, ref)} "
          f"({int((glue != ref).sum())} of {ref.size} differ)")


def main():
    f = u.Failures("test_torch_threshold_folding")
    batchnorm_glue(f)
    check_patterns(f)
    cases = int(os.environ.get("BNN_FOLD_CASES", 60))
    folded = sum(exhaustive_case(f, seed) for seed in range(cases))
    print(f"{folded} of {cases} chains folded into thresholds and checked")
    f.expect(folded >= cases * 2 // 3, "too few chains were folded")
    for seed in range(3):
        end_to_end(f, seed)
    for seed in range(6):
        float_threshold_case(f, seed)
    f.finish()


if __name__ == "__main__":
    main()
