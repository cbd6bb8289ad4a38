"""Exact folding of per-channel float maps + binarization into thresholds,
and the float32 constants of an eval-mode BatchNorm.

Thresholds are never derived from formulas such as ``ceil(-beta / alpha)``:
the exporter evaluates torch's own eval-mode modules on every reachable
integer accumulator value (see :func:`accumulator_grid`) and reads the
threshold and direction off the resulting sign pattern
(:func:`thresholds_from_signs`). Whatever arithmetic torch uses (fused
multiply-adds included), ``bnn.threshold`` then reproduces torch's binarized
values for every accumulator the layer can produce.
"""

from fractions import Fraction

import numpy as np
import torch

__all__ = ["INT32_MIN", "INT32_MAX", "NotMonotone", "accumulator_grid",
           "thresholds_from_signs", "commutes_with_max", "batchnorm_constants",
           "round_to_f32", "fma_f32"]

INT32_MIN = -2 ** 31
INT32_MAX = 2 ** 31 - 1


class NotMonotone(Exception):
    """The binarized value is not a single step function of the accumulator
    for some channels (``features`` lists them)."""

    def __init__(self, features):
        self.features = list(features)
        super().__init__(f"not monotone in features {self.features[:8]}")


def accumulator_grid(lo, hi, channels, spatial=None):
    """Every integer in ``[lo, hi]`` as float32 (rounded to nearest even
    like ``f32(acc)``), broadcast to every channel: shape ``[n, channels]``
    or, with ``spatial = (H, W)``, ``[n, channels, H, W]`` (dimension 0
    enumerates the accumulator values, so per-channel torch modules see the
    values as a batch)."""
    values = torch.arange(lo, hi + 1, dtype=torch.float64).float()
    n = values.numel()
    if spatial is None:
        return values.view(n, 1).expand(n, channels).contiguous()
    h, w = spatial
    return values.view(n, 1, 1, 1).expand(n, channels, h, w).contiguous()


def thresholds_from_signs(plus, lo):
    """Threshold and direction per feature from ``plus[i, f]`` (True where
    the binarized value of accumulator ``lo + i`` in feature ``f`` is +1).

    * always +1: ``(INT32_MIN, False)``; always -1: ``(INT32_MAX, False)``
      (the convention of ``bnn.threshold``);
    * -1 then +1 from accumulator ``t`` on: ``(t, False)`` (``acc >= t``);
    * +1 up to accumulator ``t`` then -1: ``(t, True)`` (``acc <= t``);
    * anything else raises :class:`NotMonotone`.

    Returns two numpy arrays (int64, bool) of length F.
    """
    plus = np.asarray(plus, dtype=bool)
    n = plus.shape[0]
    changes = (plus[1:] != plus[:-1]).sum(axis=0) if n > 1 else \
        np.zeros(plus.shape[1], np.int64)
    bad = np.nonzero(changes > 1)[0]
    if bad.size:
        raise NotMonotone(bad)
    first = plus[0]
    t = np.where(first, INT32_MIN, INT32_MAX).astype(np.int64)
    d = np.zeros(plus.shape[1], dtype=bool)
    up = (changes == 1) & ~first
    down = (changes == 1) & first
    t[up] = lo + np.argmax(plus[:, up], axis=0)
    t[down] = lo + np.argmin(plus[:, down], axis=0) - 1
    d[down] = True
    return t, d


def commutes_with_max(values, plus):
    """True when, per feature, the binarized result ``plus`` is a
    non-decreasing function of ``values`` (the tensor seen by a max pooling
    somewhere in the chain): then pooling before or after the binarization
    gives the same bits. ``values`` and ``plus`` are ``[n, F]``."""
    values = torch.as_tensor(values)
    if torch.isnan(values).any():
        return False
    order = torch.argsort(values, dim=0, stable=True)
    v = torch.gather(values, 0, order)
    p = torch.gather(torch.as_tensor(plus).to(torch.int8), 0, order)
    if (p[1:] < p[:-1]).any():
        return False
    ties = v[1:] == v[:-1]
    return not bool(((p[1:] != p[:-1]) & ties).any())


def round_to_f32(x):
    """The float32 nearest to the rational ``x`` (ties to even)."""
    x = Fraction(x)
    c = np.float32(float(x))
    below = c if Fraction(float(c)) <= x else np.nextafter(c, np.float32(-np.inf))
    above = np.nextafter(below, np.float32(np.inf))
    db, da = x - Fraction(float(below)), Fraction(float(above)) - x
    if db < da:
        return below
    if da < db:
        return above
    return below if int(below.view(np.uint32)) % 2 == 0 else above


def fma_f32(a, b, c):
    """``a * b + c`` for float32 arrays with one rounding (a fused
    multiply-add), elementwise, exactly."""
    a, b, c = (np.asarray(v, np.float32).reshape(-1) for v in (a, b, c))
    out = np.empty(a.shape, np.float32)
    for i in range(a.size):
        out[i] = round_to_f32(Fraction(float(a[i])) * Fraction(float(b[i]))
                              + Fraction(float(c[i])))
    return out


def batchnorm_constants(bn):
    """``(alpha, beta)`` (float32 numpy, one per channel) of an eval-mode
    ``BatchNorm1d/2d`` as torch 1.13's CPU kernel computes them::

        invstd = 1 / sqrt(running_var + eps)      (float32)
        alpha  = invstd * weight
        beta   = fma(-running_mean, alpha, bias)

    torch then computes ``fma(x, alpha, beta)``; the exported float glue
    computes ``x * alpha + beta`` with two roundings (the dialect has no
    fused multiply-add), which can differ from torch by an ulp of ``x *
    alpha``. Binarized BatchNorm outputs are folded into thresholds and are
    exact."""
    var = bn.running_var.detach().float().cpu().numpy()
    mean = bn.running_mean.detach().float().cpu().numpy()
    c = var.shape[0]
    weight = bn.weight.detach().float().cpu().numpy() if bn.weight is not None \
        else np.ones(c, np.float32)
    bias = bn.bias.detach().float().cpu().numpy() if bn.bias is not None \
        else np.zeros(c, np.float32)
    invstd = np.float32(1.0) / np.sqrt(var + np.float32(bn.eps))
    alpha = (invstd * weight).astype(np.float32)
    beta = fma_f32(-mean, alpha, bias)
    return alpha, beta


_F32_MAX = float(np.finfo(np.float32).max)


def _key(values):
    """Order-preserving map from float32 values to uint32 keys (-0 < +0)."""
    bits = np.asarray(values, np.float32).view(np.uint32).astype(np.int64)
    return np.where(bits & 0x80000000, 0xFFFFFFFF - bits, bits | 0x80000000)


def _from_key(keys):
    keys = np.asarray(keys, np.int64)
    bits = np.where(keys & 0x80000000, keys & 0x7FFFFFFF, 0xFFFFFFFF - keys)
    return bits.astype(np.uint32).view(np.float32)


def float_thresholds(post, features):
    """Per-feature ``(tau, sign)`` with ``binarize(post(u)) == binarize((u -
    tau) * sign)`` for every finite float32 ``u``, where ``post`` maps a
    ``[features]`` float32 vector (one candidate per feature) to the vector
    that is binarized and is monotone per feature (a composition of
    BatchNorm, clamps, non-negative-slope leaky ReLUs and scalar affine
    maps). ``tau`` is found by bisection over the ordered float32 values,
    evaluating ``post`` (torch's own modules) at each step:

    * +1 from ``tau`` on: ``sign = +1`` (``u - tau >= 0``);
    * +1 up to ``tau``: ``sign = -1`` (``(u - tau) * -1 = tau - u >= 0``;
      at ``u = tau`` that is -0.0, which binarizes to +1);
    * constant: ``tau = -inf`` (always +1) or ``+inf`` (always -1).

    Returns two float32 numpy arrays.
    """
    def plus(values):
        with torch.no_grad():
            out = post(torch.from_numpy(np.asarray(values, np.float32).copy()))
        return ~(out.reshape(-1) < 0).numpy()

    lo_plus = plus(np.full(features, -_F32_MAX, np.float32))
    hi_plus = plus(np.full(features, _F32_MAX, np.float32))
    lo = np.full(features, _key([-_F32_MAX])[0], np.int64)
    hi = np.full(features, _key([_F32_MAX])[0], np.int64)
    up = ~lo_plus & hi_plus
    down = lo_plus & ~hi_plus
    while True:
        active = (hi - lo > 1) & (up | down)
        if not active.any():
            break
        mid = np.where(active, (lo + hi) // 2, lo)
        p = plus(_from_key(mid))
        # up: invariant plus(lo) false, plus(hi) true; down: the reverse.
        move_hi = active & np.where(up, p, ~p)
        move_lo = active & ~move_hi
        hi = np.where(move_hi, mid, hi)
        lo = np.where(move_lo, mid, lo)
    tau = np.where(lo_plus, -np.inf, np.inf).astype(np.float32)
    tau[up] = _from_key(hi[up])
    tau[down] = _from_key(lo[down])
    sign = np.where(down, -1.0, 1.0).astype(np.float32)
    return tau, sign
