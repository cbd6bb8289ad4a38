"""Exact integer convolutions and dense products computed with torch.

The quantized layers hold their integer operands (+1/-1, 0..2^k-1, int8) as
float tensors. A float32 sum of integers is exact while every partial sum
stays below 2^24 in magnitude; the helpers bound the sum by
``terms * max|a| * max|w|`` and compute in float64 (exact below 2^53) when
that bound reaches 2^24. The result is returned as float32, i.e. the exact
integer rounded to nearest even, which is what ``bnn.acc_to_float`` does to
an i32 accumulator.

Padding is always explicit (``F.pad`` with the layer's pad value before a
convolution with ``padding=0``), so every padded position holds exactly the
value the dialect's operator reads there.
"""

import torch.nn.functional as F

__all__ = ["conv_padding", "pad2d", "integer_conv2d", "integer_linear"]

_F32_EXACT = 2 ** 24


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def conv_padding(conv):
    """(top, bottom, left, right) of an ``nn.Conv2d``-like module, with the
    string paddings resolved as torch resolves them: ``'valid'`` is 0 and
    ``'same'`` puts ``total // 2`` before and the rest after, where
    ``total = dilation * (kernel - 1)``."""
    if isinstance(conv.padding, str):
        if conv.padding == "valid":
            return (0, 0, 0, 0)
        pads = []
        for d, k in zip(_pair(conv.dilation), _pair(conv.kernel_size)):
            total = d * (k - 1)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    ph, pw = _pair(conv.padding)
    return (ph, ph, pw, pw)


def pad2d(x, pads, value=0.0, mode="zeros"):
    """Pads the last two dimensions of ``x`` by ``pads = (top, bottom, left,
    right)`` with the constant ``value`` (``mode='zeros'``) or with torch's
    ``reflect`` / ``replicate`` / ``circular`` modes."""
    if not any(pads):
        return x
    top, bottom, left, right = pads
    if mode == "zeros":
        return F.pad(x, (left, right, top, bottom), value=float(value))
    return F.pad(x, (left, right, top, bottom), mode=mode)


def integer_conv2d(x, w, stride, dilation, groups, bound):
    """``conv2d(x, w)`` without padding, exact for integer-valued ``x`` and
    ``w`` whose partial sums are bounded by ``bound``; float32 result."""
    if bound < _F32_EXACT:
        return F.conv2d(x, w, None, stride, 0, dilation, groups)
    return F.conv2d(x.double(), w.double(), None, stride, 0, dilation,
                    groups).float()


def integer_linear(x, w, bound):
    """``x @ w.T``, exact for integer-valued operands whose partial sums are
    bounded by ``bound``; float32 result."""
    if bound < _F32_EXACT:
        return F.linear(x, w)
    return F.linear(x.double(), w.double()).float()
