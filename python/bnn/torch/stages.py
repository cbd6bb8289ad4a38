"""Per-channel operators, max pooling and flattening as exporter stages.

A stage can (1) be evaluated by torch on an accumulator grid (``apply``:
always torch's own module or function with the node's arguments, so folding
sees exactly torch's arithmetic) and (2) emit its float32 glue (``emit``).
Float emission is exact (bit for bit the torch result) for clamps, ReLU,
leaky ReLU / PReLU, scalar mul/add/sub, max pooling and flattening; for
BatchNorm it is ``x * alpha + beta`` with two roundings where torch uses a
fused multiply-add (see :func:`bnn.torch.folding.batchnorm_constants`).
"""

import numpy as np

from .folding import batchnorm_constants
from .ops import conv_out_size
from .values import BinaryValue, FloatValue, feature_vector, physical_shape

__all__ = ["Stage", "BatchNormStage", "ClampStage", "LeakyStage",
           "ScalarStage", "PoolStage", "FlattenStage", "apply_stage",
           "flatten_value"]


class Stage:
    """``kind``: "elementwise", "bn", "pool" or "flatten"; ``monotone``:
    whether the stage is a monotone function per channel (so that a
    binarization after it is a single threshold on its input)."""

    kind = "elementwise"
    monotone = True

    def __init__(self, fn, loc):
        self.fn, self.loc = fn, loc

    def apply(self, grid):
        return self.fn(grid)

    def emit(self, cx, v, shape, flat):
        raise NotImplementedError


class BatchNormStage(Stage):
    kind = "bn"

    def __init__(self, module, loc):
        super().__init__(module, loc)
        self.module = module

    def constants(self):
        return batchnorm_constants(self.module)

    def emit(self, cx, v, shape, flat):
        alpha, beta = self.constants()
        a = feature_vector(alpha, v)
        b = feature_vector(beta, v)
        y = cx.binary("mul", v.ssa, v.phys, cx.const(a, "f32", hint="bn_scale"),
                      list(a.shape), v.phys, self.loc)
        y = cx.binary("add", y, v.phys, cx.const(b, "f32", hint="bn_shift"),
                      list(b.shape), v.phys, self.loc)
        return FloatValue(y, shape, flat, self.loc)


class ClampStage(Stage):
    """clamp(x, lo, hi): ReLU, ReLU6, Hardtanh, torch.clamp."""

    def __init__(self, fn, lo, hi, loc):
        super().__init__(fn, loc)
        self.lo, self.hi = lo, hi

    def emit(self, cx, v, shape, flat):
        return FloatValue(cx.clamp(v.ssa, v.phys, self.lo, self.hi, "f32", self.loc),
                          shape, flat, self.loc)


class LeakyStage(Stage):
    """``x > 0 ? x : slope * x`` (LeakyReLU, PReLU) as
    ``max(x, 0) + min(x, 0) * slope``, exact up to the sign of zero."""

    def __init__(self, fn, slopes, loc):
        super().__init__(fn, loc)
        self.slopes = np.asarray(slopes, np.float32).reshape(-1)
        self.monotone = bool((self.slopes >= 0).all())

    def emit(self, cx, v, shape, flat):
        ones = [1] * len(v.phys)
        zero = cx.const(np.zeros(ones, np.float32), "f32", hint="zeros")
        if self.slopes.size == 1:
            s = np.full(ones, self.slopes[0], np.float32)
        else:
            s = feature_vector(self.slopes, v)
        pos = cx.binary("maximum", v.ssa, v.phys, zero, ones, v.phys, self.loc)
        neg = cx.binary("minimum", v.ssa, v.phys, zero, ones, v.phys, self.loc)
        neg = cx.binary("mul", neg, v.phys, cx.const(s, "f32", hint="slope"),
                        list(s.shape), v.phys, self.loc)
        y = cx.binary("add", pos, v.phys, neg, v.phys, v.phys, self.loc)
        return FloatValue(y, shape, flat, self.loc)


class ScalarStage(Stage):
    """``x op s`` or (``reverse``) ``s op x`` for op in add, sub, mul."""

    def __init__(self, fn, op, scalar, reverse, loc):
        super().__init__(fn, loc)
        self.op, self.scalar, self.reverse = op, float(scalar), reverse

    def emit(self, cx, v, shape, flat):
        ones = [1] * len(v.phys)
        c = cx.const(np.full(ones, self.scalar, np.float32), "f32", hint="scalar")
        a, sa, b, sb = v.ssa, v.phys, c, ones
        if self.reverse:
            a, sa, b, sb = b, sb, a, sa
        return FloatValue(cx.binary(self.op, a, sa, b, sb, v.phys, self.loc),
                          shape, flat, self.loc)


class PoolStage(Stage):
    """MaxPool2d (no dilation, floor mode): ``tosa.max_pool2d`` on floats,
    ``bnn.binary_max_pool2d`` on binary values. torch pads with -inf and both
    operators ignore padded positions: the same results."""

    kind = "pool"

    def __init__(self, kernel, stride, pads, loc):
        super().__init__(None, loc)
        self.kernel, self.stride, self.pads = kernel, stride, pads

    def apply(self, grid):
        return grid

    def out_phys(self, shape):
        n, h, w, c = shape
        t, b, l, r = self.pads
        return [n, conv_out_size(h, t, b, self.kernel[0], self.stride[0]),
                conv_out_size(w, l, r, self.kernel[1], self.stride[1]), c]

    def emit(self, cx, v, shape, flat):
        out = self.out_phys(v.phys)
        assert out == physical_shape(shape), (out, shape)
        return FloatValue(cx.max_pool(v.ssa, v.phys, self.kernel, self.stride,
                                      self.pads, out, self.loc), shape, None, self.loc)

    def emit_binary(self, cx, b, phys):
        out = self.out_phys(phys)
        return cx.binary_max_pool(b, phys, self.kernel, self.stride, self.pads, out,
                                  self.loc), out


class FlattenStage(Stage):
    """[N, C, H, W] -> [N, C*H*W]: a reshape of the NHWC tensor, whose
    columns are then in HWC order (``flat = (C, H, W)``)."""

    kind = "flatten"

    def __init__(self, chw, loc):
        super().__init__(None, loc)
        self.flat = tuple(chw)

    def apply(self, grid):
        return grid.reshape(grid.shape[0], -1)

    def emit(self, cx, v, shape, flat):
        return FloatValue(cx.reshape(v.ssa, v.phys, list(shape), "f32", self.loc),
                          shape, flat, self.loc)


def flat_of(chw):
    """``flat`` of a flattened [N, C, H, W]: None when HWC order is CHW."""
    c, h, w = chw
    return None if c == 1 or h * w == 1 else (c, h, w)


def apply_stage(cx, v, stage, shape, flat):
    """``stage`` applied to the abstract value ``v``: a binary max pool on
    binary values, else a lazy :class:`Chain` (onto ``v``'s chain, or rooted
    at ``v``)."""
    from .values import Chain  # local: values does not import stages
    if isinstance(v, BinaryValue) and stage.kind == "pool":
        b, _ = stage.emit_binary(cx, v.ssa, v.phys)
        return BinaryValue(b, shape, None, stage.loc)
    if isinstance(v, Chain):
        return Chain(v.root, v, stage, shape, flat, stage.loc)
    return Chain(v, None, stage, shape, flat, stage.loc)


def flatten_value(cx, v, shape, loc):
    """torch.flatten(v, 1) of a rank-4 value, keeping it lazy where possible."""
    from .values import ActQuantValue, Chain
    if len(v.shape) == 2:
        return v
    n, c, h, w = v.shape
    flat = flat_of((c, h, w))
    if isinstance(v, Chain):
        return Chain(v.root, v, FlattenStage((c, h, w), loc), shape, flat, loc)
    if isinstance(v, BinaryValue):
        return BinaryValue(cx.reshape(v.ssa, v.phys, list(shape), "i1", loc),
                           shape, flat, loc)
    if isinstance(v, ActQuantValue):
        src = flatten_value(cx, v.src, shape, loc)
        return ActQuantValue(src, v.bits, v.step, v.inv_step, shape, flat, loc)
    f = v.float(cx)
    return FloatValue(cx.reshape(f.ssa, f.phys, list(shape), "f32", loc),
                      shape, flat, loc)
