"""What the exporter knows about each torch.fx value, and how it is turned
into MLIR on demand.

Layouts. A rank-4 torch value ``[N, C, H, W]`` lives in MLIR as NHWC
``[N, H, W, C]``. A rank-2 value ``[N, F]`` lives as ``[N, F]``; when it is
the flattening of a ``[N, C, H, W]`` tensor (``flat = (C, H, W)``) its
columns are in HWC order (the reshape of the NHWC tensor), not torch's CHW
order: dense layers permute their weight columns instead of moving data,
per-feature constants are permuted alike, and the order is restored only
where the value leaves the function.

Values are lazy: a layer's integer accumulator followed by per-channel
operators (a :class:`Chain`) becomes ``bnn.threshold`` when a binarization
consumes it and ``bnn.acc_to_float`` + glue when a float operator does;
both may be requested, and each materialization is emitted once.
"""

from collections import namedtuple

import numpy as np
import torch

from .folding import (NotMonotone, accumulator_grid, commutes_with_max,
                      float_thresholds, thresholds_from_signs)
from .mlir_text import Batch

__all__ = ["QParams", "Value", "FloatValue", "BinaryValue", "ActQuantValue",
           "AccRoot", "Chain", "LazyCat", "Constant", "physical_shape",
           "feature_vector", "to_torch_order"]

#: Largest accumulator grid (values x features) enumerated for threshold
#: folding; beyond it the float thresholds of Chain._fold_float are used.
GRID_LIMIT = 1 << 24

#: Quantizer of a bnn.quantize: result element type, scale (the multiplier
#: of x, i.e. inv_step / inv_scale) and zero point.
QParams = namedtuple("QParams", "elem scale zero_point")


def physical_shape(shape):
    shape = list(shape)
    if len(shape) == 4:
        n, c, h, w = shape
        return [n, h, w, c]
    return shape


def feature_vector(vec, value):
    """A per-channel vector (torch order along dimension 1) as a constant
    array broadcastable against ``value``'s physical layout."""
    vec = np.asarray(vec, np.float32).reshape(-1)
    if len(value.shape) == 4:
        return vec.reshape(1, 1, 1, -1)
    if value.flat is not None:
        c, h, w = value.flat
        vec = vec.reshape(c, h, w).transpose(1, 2, 0).reshape(-1)
    return vec.reshape(1, -1)


class Value:
    """Base: logical torch ``shape``, ``flat`` (see module doc), ``loc``."""

    def __init__(self, shape, flat=None, loc=None):
        self.shape = tuple(s if isinstance(s, Batch) else int(s) for s in shape)
        self.flat = flat
        self.loc = loc
        self._memo = {}

    @property
    def phys(self):
        return physical_shape(self.shape)

    def _cached(self, key, make):
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def float(self, cx):
        raise NotImplementedError

    def binary(self, cx):
        """The binarized value (``x < 0 -> -1``) as a :class:`BinaryValue`."""
        return self._cached("binary", lambda: BinaryValue(
            cx.binarize(self.float(cx).ssa, self.phys, self.loc), self.shape,
            self.flat, self.loc))

    def quant(self, cx, qp):
        """SSA name of ``bnn.quantize`` of this value with ``qp``."""
        return self._cached(("quant", qp), lambda: cx.quantize(
            self.float(cx).ssa, self.phys, qp.scale, qp.zero_point, qp.elem,
            self.loc))


class Constant:
    """A non-tensor Python value (an int from ``x.size(0)``, a tuple...)."""

    def __init__(self, value):
        self.value = value


class FloatValue(Value):
    def __init__(self, ssa, shape, flat=None, loc=None):
        super().__init__(shape, flat, loc)
        self.ssa = ssa

    def float(self, cx):
        return self


class BinaryValue(Value):
    """An i1 tensor (set bit = -1); torch sees +1.0 / -1.0."""

    def __init__(self, ssa, shape, flat=None, loc=None):
        super().__init__(shape, flat, loc)
        self.ssa = ssa

    def binary(self, cx):
        return self

    def float(self, cx):
        return self._cached("float", lambda: FloatValue(
            cx.unbinarize(self.ssa, self.phys, self.loc), self.shape, self.flat,
            self.loc))


class ActQuantValue(Value):
    """The output ``q * step`` of an ActQuant applied to ``src``."""

    def __init__(self, src, bits, step, inv_step, shape, flat=None, loc=None):
        super().__init__(shape, flat, loc)
        self.src, self.bits, self.step, self.inv_step = src, bits, step, inv_step
        self.qparams = QParams(f"ui{bits}", inv_step, 0)

    def quant(self, cx, qp):
        if qp == self.qparams:  # the quantizer is idempotent: share it
            return self.src.quant(cx, qp)
        cx.note(f"{self.loc}: ActQuant(bits={self.bits}, step={self.step!r}) feeds "
                f"a layer quantizing with {qp.elem}, scale {qp.scale!r}: quantized "
                "twice")
        return super().quant(cx, qp)

    def float(self, cx):
        def make():
            x, shape = self.src.float(cx).ssa, self.phys
            ones = [1] * len(shape)
            inv = cx.const(np.full(ones, self.inv_step, np.float32), "f32", hint="inv_step")
            step = cx.const(np.full(ones, self.step, np.float32), "f32", hint="step")
            y = cx.binary("mul", x, shape, inv, ones, shape, self.loc)
            y = cx.cast(y, shape, "f32", "i32", self.loc)  # round half to even
            y = cx.clamp(y, shape, 0, 2 ** self.bits - 1, "i32", self.loc)
            y = cx.cast(y, shape, "i32", "f32", self.loc)
            y = cx.binary("mul", y, shape, step, ones, shape, self.loc)
            return FloatValue(y, self.shape, self.flat, self.loc)
        return self._cached("float", make)


class AccRoot:
    """The i32 accumulator of a bnn layer.

    ``acc``/``acc_shape``: SSA name and physical shape; ``lo, hi``: bounds of
    every accumulator value; ``epilogue``: the layer's float32 map from the
    accumulator to its output (torch code, evaluated on grids);
    ``multiplier``/``bias``: the same map as ``bnn.acc_to_float`` constants;
    ``identity``: whether that map is the identity."""

    def __init__(self, acc, acc_shape, lo, hi, channels, epilogue, multiplier,
                 bias, identity, loc):
        self.acc, self.acc_shape = acc, list(acc_shape)
        self.lo, self.hi, self.channels = int(lo), int(hi), int(channels)
        self.epilogue = epilogue
        self.multiplier = np.asarray(multiplier, np.float32)
        self.bias = np.asarray(bias, np.float32)
        self.identity = identity
        self.loc = loc


class Chain(Value):
    """``stage(parent)``: a value seen through per-channel stages (or max
    poolings, or a flatten), kept lazy until a consumer asks for it.

    ``root`` is an :class:`AccRoot` (the chain's first node then has
    ``stage = None`` and stands for the layer output) or any other
    :class:`Value` (the first node then has ``parent = None``).

    ``binary()`` is exact in three ways, tried in order:

    1. accumulator roots: torch evaluates the whole chain on every reachable
       accumulator value; the sign pattern gives ``bnn.threshold`` (then
       ``bnn.binary_max_pool2d`` for the poolings, which commute with the
       binarization when it is a non-decreasing function of the pooled
       value -- checked on the same grid);
    2. otherwise the chain is materialized in float up to its last pooling
       or flatten (``u``), and the remaining monotone per-channel stages
       plus the binarization become ``binarize((u - tau) * sign)`` with
       ``tau`` found by bisection over float32 (:func:`float_thresholds`);
    3. otherwise (non-monotone stages) ``binarize`` of the float value.
    """

    def __init__(self, root, parent, stage, shape, flat=None, loc=None):
        super().__init__(shape, flat, loc)
        self.root, self.parent, self.stage = root, parent, stage

    def nodes(self):
        """The chain nodes with a stage, first to last."""
        out, v = [], self
        while v is not None and v.stage is not None:
            out.append(v)
            v = v.parent
        return out[::-1]

    def stages(self):
        return [n.stage for n in self.nodes()]

    def float(self, cx):
        def make():
            root = self.root
            if self.stage is None:
                ssa = cx.acc_to_float(root.acc, root.acc_shape, root.multiplier,
                                      root.bias, root.loc)
                return FloatValue(ssa, self.shape, None, root.loc)
            if self.parent is None:
                return self.stage.emit(cx, root.float(cx), self.shape, self.flat)
            if (self.parent.stage is None and root.identity
                    and self.stage.kind == "bn"):
                # acc * 1 + 0 is exact, so one acc_to_float with the
                # BatchNorm's constants computes the same two roundings.
                alpha, beta = self.stage.constants()
                ssa = cx.acc_to_float(root.acc, root.acc_shape, alpha, beta,
                                      self.stage.loc)
                return FloatValue(ssa, self.shape, None, self.stage.loc)
            return self.stage.emit(cx, self.parent.float(cx), self.shape, self.flat)
        return self._cached("float", make)

    def binary(self, cx):
        def make():
            folded = self._fold(cx) if isinstance(self.root, AccRoot) else None
            if folded is None:
                folded = self._fold_float(cx)
            if folded is None:
                cx.note(f"{self.loc}: binarization of a non-monotone chain; "
                        "using binarize of the float value")
                folded = Value.binary(self, cx)
            return folded
        return self._cached("binary", make)

    def _fold_float(self, cx):
        """binarize((u - tau) * sign) after the last pooling/flatten, or
        None when a stage after it is not monotone."""
        nodes = self.nodes()
        split = max([i for i, n in enumerate(nodes) if n.stage.kind in ("pool", "flatten")],
                    default=-1)
        post = nodes[split + 1:]
        if not all(n.stage.monotone for n in post):
            return None
        if not post:
            return Value.binary(self, cx)
        if split >= 0:
            u = nodes[split]
        elif isinstance(self.root, AccRoot):
            u = post[0].parent  # the layer output itself
        else:
            u = self.root
        shape = list(u.shape)
        features = shape[1]
        view = [1, features] + [1] * (len(shape) - 2)

        def apply(vec):
            g = vec.view(view)
            for n in post:
                g = n.stage.apply(g)
            return g

        tau, sign = float_thresholds(apply, features)
        f = u.float(cx)
        t = feature_vector(tau, u)
        z = cx.binary("sub", f.ssa, f.phys, cx.const(t, "f32", hint="tau"),
                      list(t.shape), f.phys, self.loc)
        if (sign < 0).any():
            s = feature_vector(sign, u)
            z = cx.binary("mul", z, f.phys, cx.const(s, "f32", hint="dir"),
                          list(s.shape), f.phys, self.loc)
        return BinaryValue(cx.binarize(z, f.phys, self.loc), self.shape, self.flat,
                           self.loc)

    def _fold(self, cx):
        """bnn.threshold (+ binary max pools, + reshape) or None."""
        root, stages = self.root, self.stages()
        flatten = [s for s in stages if s.kind == "flatten"]
        pools = [s for s in stages if s.kind == "pool"]
        conv = len(root.acc_shape) == 4
        n = root.hi - root.lo + 1
        spatial = None
        if conv:
            spatial = (flatten[0].flat[1], flatten[0].flat[2]) if flatten else (1, 1)
        features = root.channels * (spatial[0] * spatial[1] if spatial else 1)
        if n * features > GRID_LIMIT:
            return None
        with torch.no_grad():
            g = root.epilogue(accumulator_grid(root.lo, root.hi, root.channels, spatial))
            at_pools = []
            for s in stages:
                if s.kind == "pool":
                    at_pools.append(g)
                elif s.kind == "flatten":
                    g = g.reshape(n, -1)
                else:
                    g = s.apply(g)
            g = g.reshape(n, -1)
            plus = ~(g < 0)
            for p in at_pools:
                if not commutes_with_max(p.reshape(n, -1), plus):
                    return None
        try:
            t, d = thresholds_from_signs(plus.numpy(), root.lo)
        except NotMonotone:
            return None
        loc = self.loc
        acc, shape = root.acc, root.acc_shape
        if flatten:
            c, h, w = flatten[0].flat
            t3, d3 = t.reshape(c, h, w), d.reshape(c, h, w)
            uniform = (t3 == t3[:, :1, :1]).all() and (d3 == d3[:, :1, :1]).all()
            if uniform:
                b = cx.threshold(acc, shape, t3[:, 0, 0], d3[:, 0, 0], loc)
                for p in pools:
                    b, shape = p.emit_binary(cx, b, shape)
                b = cx.reshape(b, shape, [shape[0], h * w * c], "i1", loc)
            else:
                if pools:
                    return None
                flat_shape = [shape[0], h * w * c]
                acc2 = cx.reshape(acc, shape, flat_shape, "i32", loc)
                b = cx.threshold(acc2, flat_shape, t3.transpose(1, 2, 0).reshape(-1),
                                 d3.transpose(1, 2, 0).reshape(-1), loc)
        else:
            b = cx.threshold(acc, shape, t, d, loc)
            for p in pools:
                b, shape = p.emit_binary(cx, b, shape)
        return BinaryValue(b, self.shape, self.flat, loc)


class LazyCat(Value):
    """torch.cat of ``parts`` along physical ``axis``: concatenated as i1 when
    a binarization consumes it, as f32 otherwise."""

    def __init__(self, parts, axis, shape, loc=None):
        super().__init__(shape, None, loc)
        self.parts, self.axis = parts, axis

    def float(self, cx):
        return self._cached("float", lambda: FloatValue(cx.concat(
            [p.float(cx).ssa for p in self.parts], [p.phys for p in self.parts],
            self.axis, self.phys, "f32", self.loc), self.shape, None, self.loc))

    def binary(self, cx):
        return self._cached("binary", lambda: BinaryValue(cx.concat(
            [p.binary(cx).ssa for p in self.parts], [p.phys for p in self.parts],
            self.axis, self.phys, "i1", self.loc), self.shape, None, self.loc))


def to_torch_order(cx, value, loc=None):
    """``value`` as an f32 SSA name in torch's own layout (NCHW for rank 4,
    CHW column order for flattened rank-2 values)."""
    f = value.float(cx)
    if len(value.shape) == 4:
        return cx.transpose(f.ssa, f.phys, [0, 3, 1, 2], "f32", loc, hint="nchw")
    if value.flat is None:
        return f.ssa
    c, h, w = value.flat
    n = value.shape[0]
    x = cx.reshape(f.ssa, f.phys, [n, h, w, c], "f32", loc)
    x = cx.transpose(x, [n, h, w, c], [0, 3, 1, 2], "f32", loc)
    return cx.reshape(x, [n, c, h, w], [n, c * h * w], "f32", loc, hint="out")
