#!/usr/bin/python3
"""The bnn.torch layers compute what their docstrings (and the dialect)
say, in training and eval mode, and train: binarize's values on 0, -0.0,
NaN and infinities and its clipped straight-through gradient; binary,
bit-serial and int8 layers against plain float64 integer arithmetic
(including accumulators beyond 2^24, which need the float64 path); the
ActQuant round trip; int8 range observation; torch.fx leaves."""

import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bnn_test_util as u  # noqa: E402
import bnn.torch as bt  # noqa: E402


def sign(t):
    return torch.where(t < 0, -1.0, 1.0).double()


def check_binarize(f):
    x = torch.tensor([-2.0, -1.0, -0.0, 0.0, 1e-45, -1e-45, float("nan"),
                      float("inf"), -float("inf"), 0.5, 3.0], requires_grad=True)
    y = bt.binarize(x)
    f.check(u.mismatch("binarize values", np.array([-1, -1, 1, 1, 1, -1, 1, 1, -1, 1, 1],
                                                   np.float32), y.detach().numpy()))
    y.sum().backward()
    f.check(u.mismatch("binarize gradient", np.array([0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0],
                                                     np.float32), x.grad.numpy()))
    f.check(u.mismatch("Binarize module", y.detach().numpy(),
                       bt.Binarize()(x).detach().numpy()))


def manual_binary_conv(m, x):
    pads = (m.padding[1], m.padding[1], m.padding[0], m.padding[0])
    xb = F.pad(sign(x), pads, value=float(m.pad_value))
    acc = F.conv2d(xb, sign(m.weight), None, m.stride, 0, m.dilation, m.groups)
    return acc


def check_binary_layers(f):
    g = torch.Generator().manual_seed(1)
    for pv in (0, 1, -1):
        for stride, dil, groups in ((1, 1, 1), (2, 1, 2), (1, 2, 4)):
            m = bt.BinaryConv2d(4, 8, 3, stride=stride, padding=2, dilation=dil,
                                groups=groups, pad_value=pv, bias=True, scale=True)
            with torch.no_grad():
                m.scale.copy_(torch.randn(8, generator=g))
                m.bias.copy_(torch.randn(8, generator=g))
            x = torch.randn(2, 4, 7, 6, generator=g)
            acc = manual_binary_conv(m, x)
            y = m(x)
            expect = acc.float() * m.scale.view(1, -1, 1, 1) + m.bias.view(1, -1, 1, 1)
            f.check(u.mismatch(f"BinaryConv2d pv={pv} s={stride} d={dil} g={groups}",
                               expect.detach().numpy(), y.detach().numpy()))
            y.sum().backward()
            f.expect(m.weight.grad is not None and torch.isfinite(m.weight.grad).all()
                     and m.scale.grad is not None, "BinaryConv2d gradients missing")
    lin = bt.BinaryLinear(37, 5)
    x = torch.randn(3, 37, generator=g)
    f.check(u.mismatch("BinaryLinear", (sign(x) @ sign(lin.weight).T).float().numpy(),
                       lin(x).detach().numpy()))


def check_act_quant(f):
    g = torch.Generator().manual_seed(2)
    x = torch.randn(1000, generator=g) * 2
    for bits in range(1, 9):
        for step in (None, 0.1, 0.37, 2.0):
            q = bt.ActQuant(bits, step)
            y = q(x)
            inv = np.float32(1) / np.float32(q.step)
            ref = np.clip(np.round(x.numpy() * inv), 0, 2 ** bits - 1) * np.float32(q.step)
            f.check(u.mismatch(f"ActQuant({bits}, {step})", ref.astype(np.float32),
                               y.numpy()))
            f.check(u.mismatch(f"ActQuant({bits}, {step}) idempotent", y.numpy(),
                               q(y).numpy()))
    q = bt.ActQuant(2)
    x = torch.tensor([-0.5, 0.2, 0.7, 1.5], requires_grad=True)
    q(x).sum().backward()
    f.check(u.mismatch("ActQuant gradient (STE inside the range)",
                       np.array([0, 1, 1, 0], np.float32), x.grad.numpy(), 1e-6, 1e-6))


def check_bitserial(f):
    g = torch.Generator().manual_seed(3)
    for act_bits, weight_bits, cin in ((2, 1, 4), (3, 2, 4), (8, 8, 64)):
        m = bt.BitserialConv2d(cin, 6, 3, padding=1, stride=2, act_bits=act_bits,
                               weight_bits=weight_bits, scale=True, bias=True)
        with torch.no_grad():
            m.scale.copy_(torch.randn(6, generator=g))
            m.bias.copy_(torch.randn(6, generator=g))
        x = torch.rand(2, cin, 6, 6, generator=g) * 1.2 - 0.1
        if act_bits == 8:  # large accumulators: beyond float32's exact range
            x = torch.rand(2, cin, 6, 6, generator=g) * 0.2 + 0.9
        q = np.clip(np.round(x.numpy() * np.float32(m.act_inv_step)), 0, 2 ** act_bits - 1)
        if weight_bits == 1:
            w = np.where(m.weight.detach().numpy() < 0, -1, 1)
        else:
            w = np.round(np.clip(m.weight.detach().numpy(), 0, 1) * (2 ** weight_bits - 1))
        acc = F.conv2d(torch.from_numpy(q).double(), torch.from_numpy(w).double(),
                       None, 2, 1).numpy()
        if act_bits == 8:
            f.expect(np.abs(acc).max() >= 2 ** 24, "the float64 case does not exceed 2^24")
        mult = (np.float32(m.act_step) * np.float32(m.weight_step)
                * m.scale.detach().numpy()).astype(np.float32)
        ref = acc.astype(np.float32) * mult.reshape(1, -1, 1, 1) + \
            m.bias.detach().numpy().reshape(1, -1, 1, 1)
        f.check(u.mismatch(f"BitserialConv2d a{act_bits} w{weight_bits}",
                           ref.astype(np.float32), m(x).detach().numpy()))
    lin = bt.BitserialLinear(20, 3, act_bits=4, weight_bits=3)
    x = torch.rand(2, 20, generator=g)
    q = np.clip(np.round(x.numpy() * np.float32(lin.act_inv_step)), 0, 15)
    w = np.round(np.clip(lin.weight.detach().numpy(), 0, 1) * 7)
    mult = np.float32(np.float32(lin.act_step) * np.float32(lin.weight_step))
    f.check(u.mismatch("BitserialLinear", (q @ w.T).astype(np.float32) * mult,
                       lin(x).detach().numpy()))


def check_int8(f):
    g = torch.Generator().manual_seed(4)
    m = bt.Int8Conv2d(3, 4, 3, padding=1)
    try:
        m.eval()(torch.randn(1, 3, 4, 4))
        f.check("uncalibrated Int8Conv2d ran in eval mode")
    except RuntimeError:
        f.check(None)
    m.train()
    for _ in range(3):
        m(torch.randn(2, 3, 5, 5, generator=g) * 2)
    m.eval()
    lo, hi = float(m.running_min), float(m.running_max)
    x = torch.randn(2, 3, 5, 5, generator=g) * 3
    y = m(x)
    f.expect((float(m.running_min), float(m.running_max)) == (lo, hi),
             "eval mode changed the observed range")
    s_in, inv, zp = m.input_qparams()
    q = np.clip(np.round(x.numpy() * np.float32(inv)) + zp, -128, 127) - zp
    w_int, s_w = m.weight_qparams()
    acc = F.conv2d(torch.from_numpy(q).double(), w_int.detach().double(), None, 1, 1)
    mult = (np.float32(s_in) * s_w.detach().numpy()).astype(np.float32)
    ref = acc.numpy().astype(np.float32) * mult.reshape(1, -1, 1, 1) + \
        m.bias.detach().numpy().reshape(1, -1, 1, 1)
    f.check(u.mismatch("Int8Conv2d", ref.astype(np.float32), y.detach().numpy()))
    f.expect(np.abs(w_int.detach().numpy()).max() == 127, "weights do not use the range")


def check_tracing(f):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = bt.BinaryConv2d(3, 3, 3)
            self.q = bt.ActQuant(2)

        def forward(self, x):
            return self.q(bt.binarize(self.c(x)))

    gm = bt.trace(M())
    ops = [(n.op, n.target) for n in gm.graph.nodes]
    f.expect(("call_module", "c") in ops and ("call_module", "q") in ops and
             ("call_function", bt.binarize) in ops, f"unexpected trace {ops}")


def check_training(f):
    """A few SGD steps on a tiny binary net lower its loss."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8),
                        bt.BinaryConv2d(8, 8, 3, padding=1, scale=True), nn.BatchNorm2d(8),
                        nn.Hardtanh(), nn.Flatten(), bt.BinaryLinear(8 * 6 * 6, 2, scale=True))
    x = torch.randn(64, 1, 6, 6)
    target = (x.mean(dim=(1, 2, 3)) > 0).long()
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    losses = []
    for _ in range(30):
        loss = F.cross_entropy(net(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    f.expect(losses[-1] < losses[0], f"training did not lower the loss: {losses}")


def main():
    f = u.Failures("test_torch_layers")
    check_binarize(f)
    check_binary_layers(f)
    check_act_quant(f)
    check_bitserial(f)
    check_int8(f)
    check_tracing(f)
    check_training(f)
    f.finish()


if __name__ == "__main__":
    main()
