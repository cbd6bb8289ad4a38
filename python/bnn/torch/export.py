"""torch -> bnn dialect exporter (:func:`export`).

Pipeline: an eval-mode deep copy of the model is traced with torch.fx
(:class:`BNNTracer`: bnn layers and standard ``torch.nn`` modules are
leaves, ``bnn.torch.binarize`` is recorded as one call), run once on the
example inputs to learn every node's shape, then translated node by node
into one public ``func.func`` of bnn operators plus tosa/arith glue.

Boundary and layout. The function takes and returns torch's shapes (NCHW,
float32, the example inputs' batch); a 4-D input is transposed to NHWC once,
a 4-D output back to NCHW. Flattening an NCHW value reshapes the NHWC
tensor (HWC column order); dense weights and per-feature constants are
permuted to match, and only a flattened value that leaves the function is
reordered (:mod:`bnn.torch.values`).

What each construct becomes:

=================================  ==================================================
``BinaryConv2d`` / ``BinaryLinear``  ``bnn.binary_conv2d`` (OHWI i1 filter, set bit =
                                   ``weight < 0``; ``pad_value`` attribute) /
                                   ``bnn.binary_dense``; input ``bnn.binarize``d
                                   or thresholded
``BitserialConv2d`` / ``..Linear``   ``bnn.quantize`` (``ui<k>``, scale =
                                   ``1/act_step``) + ``bnn.bitserial_conv2d`` /
                                   ``_dense`` (i1 or ``ui<m>`` weights)
``Int8Conv2d`` / ``Int8Linear``      ``bnn.quantize`` (i8, zero point) +
                                   ``bnn.int8_conv2d`` / ``_dense``
                                   (``input_zero_point``)
layer output (accumulator)         ``bnn.acc_to_float`` with the layer's exact
                                   float32 multiplier and bias -- when a float
                                   operator consumes it
accumulator -> per-channel ops ->  ``bnn.threshold``: torch's own modules are run
binarization                       on every reachable accumulator value; max
                                   poolings in between become
                                   ``bnn.binary_max_pool2d`` when they commute
                                   (checked on the same values), a flatten a
                                   reshape (per-feature thresholds if needed)
float -> monotone per-channel      ``binarize((u - tau) * sign)`` with ``tau``
ops -> binarization                bisected over float32 using torch's modules
                                   (exact for every finite ``u``)
``Binarize`` / ``binarize``        ``bnn.binarize``; ``bnn.unbinarize`` when a
                                   float operator reads +1/-1
``ActQuant``                       shared with the next bit-serial layer's
                                   ``bnn.quantize``; for float consumers tosa
                                   mul, cast (round half even), clamp, cast, mul
``Conv2d``                         ``tosa.conv2d``, ``tosa.depthwise_conv2d``
                                   (groups = in_channels), or per-group slices +
                                   ``tosa.concat``
``Linear``                         1x1 ``tosa.conv2d`` on ``[N, 1, 1, F]``
``BatchNorm1d/2d`` (float path)    ``x * alpha + beta`` (``tosa.mul``/``tosa.add``,
                                   merged into ``bnn.acc_to_float`` right after
                                   a layer without scale/bias)
ReLU, ReLU6, Hardtanh, clamp       ``tosa.clamp``
LeakyReLU, PReLU                   ``max(x,0) + min(x,0) * slope``
MaxPool2d                          ``tosa.max_pool2d`` / ``bnn.binary_max_pool2d``
AvgPool2d, AdaptiveAvgPool2d       ``tosa.avg_pool2d`` (``tosa.pad`` first when
                                   torch counts the padding); adaptive: divisible
                                   sizes only
``+``, ``-``, ``*``, ``torch.cat``   ``tosa.add`` / ``sub`` / ``mul`` (same shapes
                                   or Python scalars), ``tosa.concat`` (on i1
                                   when a binarization consumes it)
Flatten, ``view(N, -1)``, Dropout,  reshape / nothing
Identity, ``contiguous``
=================================  ==================================================

Exactness. Integer and binary values (accumulators, thresholds, quantized
activations, binary pools) are bit-exact with torch. Float glue is exact for
clamps, (leaky) ReLUs, scalar ops, max pooling, reshapes and concatenation;
convolutions, dense layers and average pools sum in another order than torch
(agreement to about 1e-6 relative), and a BatchNorm whose output stays float
is ``x * alpha + beta`` with two roundings where torch 1.13 uses a fused
multiply-add (within an ulp). Binarizations are exact with respect to the
value they read: thresholds come from torch's own modules (integer grids,
float32 bisection). A value that reaches a binarization or a quantizer
through inexact float arithmetic (a float convolution, a BatchNorm whose
output is added to a residual, ...) can still flip where it lies within
that error of a decision boundary.

Everything else -- other modules, functions, methods, arguments (padding
modes other than zeros, ceil_mode, dilated pooling, divisor_override,
broadcasting, ...) or ranks other than 2 and 4 -- is an
:class:`ExportError` naming the fx node, its target and its source line.
"""

import copy
import operator

import numpy as np
import torch
import torch.fx as fx
import torch.nn.functional as F
from torch import nn

from .binary import BinaryConv2d, BinaryLinear
from .bitserial import ActQuant, BitserialConv2d, BitserialLinear
from .errors import ExportError
from .functional import Binarize, binarize
from .int8 import Int8Conv2d, Int8Linear
from .integer_conv import conv_padding
from .mlir_text import Batch, ttype
from .ops import Ops
from .stages import (BatchNormStage, ClampStage, LeakyStage, PoolStage,
                     ScalarStage, apply_stage, flatten_value)
from .values import (AccRoot, Chain, ActQuantValue, Constant,
                     FloatValue, LazyCat, QParams, Value, physical_shape,
                     to_torch_order)

__all__ = ["export", "BNNTracer", "LEAF_TYPES"]

#: The bnn.torch modules the tracer keeps whole.
LEAF_TYPES = (BinaryConv2d, BinaryLinear, BitserialConv2d, BitserialLinear,
              Int8Conv2d, Int8Linear, Binarize, ActQuant)

_INF = float("inf")


class BNNTracer(fx.Tracer):
    """torch.fx tracer whose leaves are the bnn.torch layers plus torch's
    default leaves (modules of ``torch.nn`` other than containers). Records
    stack traces so that errors can point at the source line."""

    def __init__(self):
        super().__init__()
        self.record_stack_traces = True

    def is_leaf_module(self, m, qualname):
        return isinstance(m, LEAF_TYPES) or super().is_leaf_module(m, qualname)


class _Recorder(fx.Interpreter):
    """Runs the traced graph once and keeps every node's result."""

    def __init__(self, gm):
        super().__init__(gm)
        self.results = {}

    def run_node(self, n):
        result = super().run_node(n)
        self.results[n] = result
        return result


def _pair(v):
    return tuple(int(x) for x in v) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _ohwi(weight):
    return weight.detach().float().permute(0, 2, 3, 1).contiguous().cpu().numpy()


def _permute_columns(w, flat):
    """Dense weight [O, F] with columns reordered from torch's CHW order to
    the physical HWC order of a flattened NHWC value."""
    if flat is None:
        return w
    c, h, width = flat
    return w.reshape(w.shape[0], c, h, width).transpose(0, 2, 3, 1).reshape(w.shape[0], -1)


class Lowering(Ops):
    """State of one export: the traced graph, torch's concrete results, the
    abstract value of every node, and the emitted body."""

    def __init__(self, gm, results, dynamic=False):
        super().__init__()
        self.dynamic = dynamic
        self.gm = gm
        self.modules = dict(gm.named_modules())
        self.results = results
        self.env = {}
        self.notes = []
        self.node = None

    # -- diagnostics ----------------------------------------------------------
    def note(self, text):
        self.notes.append(text)

    def error(self, reason, node=None):
        node = node or self.node
        module = self.modules.get(node.target) if node is not None and \
            node.op == "call_module" else None
        return ExportError(reason, node, module)

    def loc(self, node):
        return node.target if node.op == "call_module" else node.name

    # -- arguments --------------------------------------------------------------
    def tensor(self, arg):
        if isinstance(arg, fx.Node):
            v = self.env[arg]
            if isinstance(v, Value):
                return v
        raise self.error(f"expected a tensor argument, got {arg!r}")

    def literal(self, arg):
        """A non-tensor argument's Python value (resolving size() results)."""
        if isinstance(arg, fx.Node):
            v = self.env[arg]
            if isinstance(v, Constant):
                return v.value
            raise self.error(f"expected a constant argument, got the tensor %{arg.name}")
        if isinstance(arg, (list, tuple)):
            return type(arg)(self.literal(a) for a in arg)
        return arg

    def out_shape(self, node=None):
        value = self.results[node or self.node]
        if not isinstance(value, torch.Tensor):
            raise self.error("expected the node to produce a tensor")
        if value.dim() not in (2, 4):
            raise self.error(f"tensors of rank {value.dim()} are not supported "
                             "(only [N, F] and [N, C, H, W])")
        if value.dtype != torch.float32:
            raise self.error(f"tensors of dtype {value.dtype} are not supported")
        shape = tuple(int(d) for d in value.shape)
        if self.dynamic:
            return (Batch(shape[0]),) + shape[1:]
        return shape

    # -- translation ----------------------------------------------------------
    def lower(self, function_name):
        args, arg_types, outputs = [], [], None
        for node in self.gm.graph.nodes:
            self.node = node
            if node.op == "placeholder":
                shape = self.out_shape(node)
                name = self.fresh(node.name)
                args.append(f"{name}: {ttype(shape, 'f32')}")
                arg_types.append(ttype(shape, "f32"))
                ssa = name
                if len(shape) == 4:
                    ssa = self.transpose(name, shape, [0, 2, 3, 1], "f32", node.name,
                                         hint=node.name + "_nhwc")
                self.env[node] = FloatValue(ssa, shape, None, node.name)
            elif node.op == "output":
                outputs = self._outputs(node)
            else:
                try:
                    self.env[node] = self._lower_node(node)
                except ExportError:
                    raise
                except Exception as e:
                    raise self.error(f"internal error: {type(e).__name__}: {e}") from e
                v = self.env[node]
                if isinstance(v, Value):
                    expected = self.out_shape(node)
                    if v.shape != expected:
                        raise self.error(f"internal error: shape {v.shape} instead of "
                                         f"{expected}")
        results = ", ".join(o[0] for o in outputs)
        types = ", ".join(o[1] for o in outputs)
        ret_types = types if len(outputs) == 1 else f"({types})"
        lines = [f"func.func @{function_name}({', '.join(args)}) -> {ret_types} {{"]
        lines += self.lines
        lines.append(f"  return {results} : {types}")
        lines.append("}")
        return lines

    def _outputs(self, node):
        out = node.args[0]
        items = list(out) if isinstance(out, (tuple, list)) else [out]
        result = []
        for item in items:
            if not isinstance(item, fx.Node) or not isinstance(self.env.get(item), Value):
                raise self.error("outputs must be tensors (or a tuple/list of tensors)")
            v = self.env[item]
            ssa = to_torch_order(self, v, "output")
            result.append((ssa, ttype(v.shape, "f32")))
        return result

    def _lower_node(self, node):
        if node.op == "get_attr":
            raise self.error("parameters or buffers used directly in the graph are "
                             "not supported (use modules)")
        if node.op == "call_module":
            module = self.modules[node.target]
            for types, handler in _MODULE_HANDLERS:
                if isinstance(module, types):
                    return handler(self, node, module)
            raise self.error(f"unsupported module {type(module).__name__}")
        if node.op == "call_function":
            handler = _FUNCTION_HANDLERS.get(node.target)
            if handler is None:
                raise self.error("unsupported function")
            return handler(self, node)
        if node.op == "call_method":
            handler = _METHOD_HANDLERS.get(node.target)
            if handler is None:
                raise self.error("unsupported tensor method")
            return handler(self, node)
        raise self.error(f"unsupported node kind {node.op}")


# ---------------------------------------------------------------------------
# Argument binding
# ---------------------------------------------------------------------------

def _bind(cx, node, names, defaults):
    """node.args / kwargs as a dict over ``names`` (positional order) with
    ``defaults`` (a dict) for the missing ones."""
    args = dict(defaults)
    if len(node.args) > len(names):
        raise cx.error("too many arguments")
    for name, value in zip(names, node.args):
        args[name] = value
    for name, value in node.kwargs.items():
        if name not in names:
            raise cx.error(f"unsupported argument {name!r}")
        args[name] = value
    missing = [n for n in names if n not in args]
    if missing:
        raise cx.error(f"missing argument {missing[0]!r}")
    return args


def _require_rank(cx, v, rank, what):
    if len(v.shape) != rank:
        raise cx.error(f"{what} needs a rank-{rank} input, got shape {list(v.shape)}")


# ---------------------------------------------------------------------------
# bnn layers
# ---------------------------------------------------------------------------

def _check_zero_padding(cx, m):
    if m.padding_mode != "zeros":
        raise cx.error(f"padding_mode={m.padding_mode!r} is not supported "
                       "(only 'zeros')")


def _root(cx, node, acc, phys, lo, hi, epilogue, multiplier, bias, identity):
    loc = cx.loc(node)
    channels = phys[-1]
    root = AccRoot(acc, phys, lo, hi, channels, epilogue, multiplier, bias,
                   identity, loc)
    return Chain(root, None, None, cx.out_shape(node), None, loc)


def _epilogue_constants(m, channels):
    bias = m.bias.detach().float().cpu().numpy() if m.bias is not None else \
        np.zeros(channels, np.float32)
    if isinstance(m, (BinaryConv2d, BinaryLinear)):
        mult = m.scale.detach().float().cpu().numpy() if m.scale is not None else \
            np.ones(channels, np.float32)
        identity = m.scale is None and m.bias is None
    else:
        with torch.no_grad():
            mult = m.multiplier().detach().float().cpu().numpy()
        identity = False
    return mult, bias, identity


def _conv_common(cx, node, m, x, opname, x_ssa, x_elem, w, w_elem, lo, hi, extra=()):
    _check_zero_padding(cx, m)
    _require_rank(cx, x, 4, type(m).__name__)
    shape = cx.out_shape(node)
    phys = physical_shape(shape)
    acc = cx.bnn_conv(opname, x_ssa, x.phys, x_elem, w, w_elem, phys, m.stride,
                      m.dilation, conv_padding(m), m.groups, extra, cx.loc(node))
    mult, bias, identity = _epilogue_constants(m, phys[-1])
    return _root(cx, node, acc, phys, lo, hi, m.epilogue, mult, bias, identity)


def _lower_binary_conv(cx, node, m):
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 4, "BinaryConv2d")
    extra = []
    if m.pad_value and any(conv_padding(m)):
        extra.append("pad_value = #bnn.pad_value<%s>" %
                     ("plus_one" if m.pad_value > 0 else "minus_one"))
    k = m.reduction_size()
    w = _ohwi(m.weight) < 0
    return _conv_common(cx, node, m, x, "binary_conv2d", x.binary(cx).ssa, "i1",
                        w, "i1", -k, k, extra)


def _bitserial_weight(m):
    with torch.no_grad():
        w = m.integer_weight().detach().float().cpu()
    if m.weight_bits == 1:
        return w < 0, "i1"
    return w.to(torch.int64), f"ui{m.weight_bits}"


def _lower_bitserial_conv(cx, node, m):
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 4, "BitserialConv2d")
    qp = QParams(f"ui{m.act_bits}", m.act_inv_step, 0)
    w, elem = _bitserial_weight(m)
    w = w.permute(0, 2, 3, 1).contiguous().numpy()
    lo, hi = m.accumulator_range()
    return _conv_common(cx, node, m, x, "bitserial_conv2d", x.quant(cx, qp), qp.elem,
                        w, elem, lo, hi)


def _int8_quant(m):
    scale, inv_scale, zp = m.input_qparams()
    with torch.no_grad():
        w_int, _ = m.weight_qparams()
    extra = [f"input_zero_point = {zp} : i64"] if zp else []
    return QParams("i8", inv_scale, zp), w_int.detach().to(torch.int64).cpu(), extra


def _lower_int8_conv(cx, node, m):
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 4, "Int8Conv2d")
    qp, w, extra = _int8_quant(m)
    lo, hi = m.accumulator_range()
    return _conv_common(cx, node, m, x, "int8_conv2d", x.quant(cx, qp), "i8",
                        w.permute(0, 2, 3, 1).contiguous().numpy(), "i8", lo, hi, extra)


def _dense_common(cx, node, m, x, opname, x_ssa, x_elem, w, w_elem, lo, hi, extra=()):
    _require_rank(cx, x, 2, type(m).__name__)
    w = _permute_columns(np.asarray(w), x.flat)
    acc = cx.bnn_dense(opname, x_ssa, x.phys, x_elem, w, w_elem, extra, cx.loc(node))
    shape = cx.out_shape(node)
    mult, bias, identity = _epilogue_constants(m, shape[1])
    return _root(cx, node, acc, list(shape), lo, hi, m.epilogue, mult, bias, identity)


def _lower_binary_linear(cx, node, m):
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 2, "BinaryLinear")
    k = m.reduction_size()
    w = m.weight.detach().float().cpu().numpy() < 0
    return _dense_common(cx, node, m, x, "binary_dense", x.binary(cx).ssa, "i1",
                         w, "i1", -k, k)


def _lower_bitserial_linear(cx, node, m):
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 2, "BitserialLinear")
    qp = QParams(f"ui{m.act_bits}", m.act_inv_step, 0)
    w, elem = _bitserial_weight(m)
    lo, hi = m.accumulator_range()
    return _dense_common(cx, node, m, x, "bitserial_dense", x.quant(cx, qp), qp.elem,
                         w.numpy(), elem, lo, hi)


def _lower_int8_linear(cx, node, m):
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 2, "Int8Linear")
    qp, w, extra = _int8_quant(m)
    lo, hi = m.accumulator_range()
    return _dense_common(cx, node, m, x, "int8_dense", x.quant(cx, qp), "i8",
                         w.numpy(), "i8", lo, hi, extra)


def _lower_binarize(cx, node, m):
    return cx.tensor(node.args[0]).binary(cx)


def _lower_act_quant(cx, node, m):
    x = cx.tensor(node.args[0])
    return ActQuantValue(x, m.bits, m.step, m.inv_step, cx.out_shape(node), x.flat,
                         cx.loc(node))


# ---------------------------------------------------------------------------
# Float layers
# ---------------------------------------------------------------------------

def _lower_conv2d(cx, node, m):
    _check_zero_padding(cx, m)
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 4, "Conv2d")
    f = x.float(cx)
    shape = cx.out_shape(node)
    phys = physical_shape(shape)
    pads, loc = conv_padding(m), cx.loc(node)
    cin, cout, g = m.in_channels, m.out_channels, m.groups
    weight = m.weight.detach().float().cpu()
    bias = m.bias.detach().float().cpu().numpy() if m.bias is not None else \
        np.zeros(cout, np.float32)
    stride, dil = _pair(m.stride), _pair(m.dilation)
    if g == 1:
        y = cx.conv2d(f.ssa, f.phys, _ohwi(weight), bias, stride, dil, pads, phys,
                      loc=loc)
    elif g == cin:
        mult = cout // cin  # depthwise: out channel c * M + m reads channel c
        kh, kw = weight.shape[2:]
        w = weight.reshape(cin, mult, kh, kw).permute(2, 3, 0, 1).contiguous().numpy()
        y = cx.conv2d(f.ssa, f.phys, w, bias, stride, dil, pads, phys, depthwise=True,
                      loc=loc)
    else:
        cg, og = cin // g, cout // g
        parts, part_shapes = [], []
        n, h, w_, _ = f.phys
        for i in range(g):
            xs = cx.slice(f.ssa, f.phys, [0, 0, 0, i * cg], [n, h, w_, cg], loc=loc)
            out = phys[:3] + [og]
            parts.append(cx.conv2d(xs, [n, h, w_, cg], _ohwi(weight[i * og:(i + 1) * og]),
                                   bias[i * og:(i + 1) * og], stride, dil, pads, out,
                                   loc=loc))
            part_shapes.append(out)
        y = cx.concat(parts, part_shapes, 3, phys, "f32", loc)
    return FloatValue(y, shape, None, loc)


def _lower_linear(cx, node, m):
    """A 1x1 ``tosa.conv2d`` on ``[N, 1, 1, F]``: per image (so a dynamic
    batch stays per image) and starting each sum from the bias."""
    x = cx.tensor(node.args[0])
    _require_rank(cx, x, 2, "Linear")
    f = x.float(cx)
    n, feat = f.phys
    loc = cx.loc(node)
    w = _permute_columns(m.weight.detach().float().cpu().numpy(), x.flat)
    out = w.shape[0]
    bias = m.bias.detach().float().cpu().numpy() if m.bias is not None else \
        np.zeros(out, np.float32)
    a = cx.reshape(f.ssa, [n, feat], [n, 1, 1, feat], "f32", loc)
    y = cx.conv2d(a, [n, 1, 1, feat], w.reshape(out, 1, 1, feat), bias, (1, 1), (1, 1),
                  (0, 0, 0, 0), [n, 1, 1, out], loc=loc)
    y = cx.reshape(y, [n, 1, 1, out], [n, out], "f32", loc)
    return FloatValue(y, cx.out_shape(node), None, loc)


def _stage_result(cx, node, x, stage):
    return apply_stage(cx, x, stage, cx.out_shape(node), x.flat)


def _lower_batchnorm(cx, node, m):
    x = cx.tensor(node.args[0])
    rank = 4 if isinstance(m, nn.BatchNorm2d) else 2
    _require_rank(cx, x, rank, type(m).__name__)
    if not m.track_running_stats or m.running_mean is None:
        raise cx.error("BatchNorm without running statistics (track_running_stats="
                       "False) normalizes with batch statistics in eval mode")
    return _stage_result(cx, node, x, BatchNormStage(m, cx.loc(node)))


def _lower_hardtanh(cx, node, m):  # also ReLU6
    x = cx.tensor(node.args[0])
    return _stage_result(cx, node, x, ClampStage(m, float(m.min_val),
                                                 float(m.max_val), cx.loc(node)))


def _lower_relu(cx, node, m):
    x = cx.tensor(node.args[0])
    return _stage_result(cx, node, x, ClampStage(m, 0.0, _INF, cx.loc(node)))


def _lower_leaky_relu(cx, node, m):
    x = cx.tensor(node.args[0])
    return _stage_result(cx, node, x, LeakyStage(m, [m.negative_slope], cx.loc(node)))


def _lower_prelu(cx, node, m):
    x = cx.tensor(node.args[0])
    w = m.weight.detach().float().cpu().numpy()
    if w.size != 1 and w.size != x.shape[1]:
        raise cx.error("PReLU needs one parameter or one per channel")
    return _stage_result(cx, node, x, LeakyStage(m, w, cx.loc(node)))


def _lower_identity(cx, node, m):
    return cx.tensor(node.args[0])


def _pool_params(cx, kernel, stride, padding, dilation, ceil_mode):
    kernel = _pair(kernel)
    stride = _pair(stride) if stride not in (None, [], ()) else kernel
    ph, pw = _pair(padding)
    if _pair(dilation) != (1, 1):
        raise cx.error("pooling with dilation is not supported")
    if ceil_mode:
        raise cx.error("ceil_mode=True is not supported")
    return kernel, stride, (ph, ph, pw, pw)


def _max_pool(cx, node, x, kernel_size, stride, padding, dilation, ceil_mode,
              return_indices):
    _require_rank(cx, x, 4, "max_pool2d")
    if return_indices:
        raise cx.error("return_indices=True is not supported")
    kernel, stride, pads = _pool_params(cx, kernel_size, stride, padding, dilation,
                                        ceil_mode)
    return _stage_result(cx, node, x, PoolStage(kernel, stride, pads, cx.loc(node)))


def _lower_max_pool(cx, node, m):
    return _max_pool(cx, node, cx.tensor(node.args[0]), m.kernel_size, m.stride,
                     m.padding, m.dilation, m.ceil_mode, m.return_indices)


def _avg_pool(cx, node, x, kernel, stride, padding, ceil_mode, count_include_pad,
              divisor_override):
    _require_rank(cx, x, 4, "avg_pool2d")
    if divisor_override is not None:
        raise cx.error("divisor_override is not supported")
    kernel, stride, pads = _pool_params(cx, kernel, stride, padding, 1, ceil_mode)
    f, loc = x.float(cx), cx.loc(node)
    shape = cx.out_shape(node)
    ssa, phys = f.ssa, f.phys
    if any(pads) and count_include_pad:
        # torch divides by the whole window: pad with zeros explicitly.
        ssa, phys = cx.pad(ssa, phys, pads, 0.0, loc)
        pads = (0, 0, 0, 0)
    y = cx.avg_pool(ssa, phys, kernel, stride, pads, physical_shape(shape), loc)
    return FloatValue(y, shape, None, loc)


def _lower_avg_pool(cx, node, m):
    return _avg_pool(cx, node, cx.tensor(node.args[0]), m.kernel_size, m.stride,
                     m.padding, m.ceil_mode, m.count_include_pad, m.divisor_override)


def _adaptive_avg_pool(cx, node, x, output_size):
    _require_rank(cx, x, 4, "adaptive_avg_pool2d")
    _, _, h, w = x.shape
    oh, ow = output_size if isinstance(output_size, (tuple, list)) else \
        (output_size, output_size)
    oh, ow = oh or h, ow or w
    if h % oh or w % ow:
        raise cx.error(f"adaptive pooling from {h}x{w} to {oh}x{ow} has uneven "
                       "windows (only divisible sizes are supported)")
    k = (h // oh, w // ow)
    f, loc = x.float(cx), cx.loc(node)
    shape = cx.out_shape(node)
    y = cx.avg_pool(f.ssa, f.phys, k, k, (0, 0, 0, 0), physical_shape(shape), loc)
    return FloatValue(y, shape, None, loc)


def _lower_adaptive_avg_pool(cx, node, m):
    return _adaptive_avg_pool(cx, node, cx.tensor(node.args[0]), m.output_size)


def _flatten(cx, node, x, start_dim, end_dim):
    rank = len(x.shape)
    start = start_dim % rank
    end = end_dim % rank
    if rank == 2 and start == 1 and end == 1:
        return x
    if start != 1 or end != rank - 1:
        raise cx.error(f"flatten(start_dim={start_dim}, end_dim={end_dim}) is not "
                       "supported (only flattening all but the batch dimension)")
    return flatten_value(cx, x, cx.out_shape(node), cx.loc(node))


def _lower_flatten_module(cx, node, m):
    return _flatten(cx, node, cx.tensor(node.args[0]), m.start_dim, m.end_dim)


# Order matters: bnn layers subclass nn.Conv2d / nn.Linear.
_MODULE_HANDLERS = [
    (BinaryConv2d, _lower_binary_conv),
    (BinaryLinear, _lower_binary_linear),
    (BitserialConv2d, _lower_bitserial_conv),
    (BitserialLinear, _lower_bitserial_linear),
    (Int8Conv2d, _lower_int8_conv),
    (Int8Linear, _lower_int8_linear),
    (Binarize, _lower_binarize),
    (ActQuant, _lower_act_quant),
    (nn.Conv2d, _lower_conv2d),
    (nn.Linear, _lower_linear),
    ((nn.BatchNorm1d, nn.BatchNorm2d), _lower_batchnorm),
    (nn.Hardtanh, _lower_hardtanh),
    (nn.ReLU, _lower_relu),
    (nn.LeakyReLU, _lower_leaky_relu),
    (nn.PReLU, _lower_prelu),
    ((nn.Identity, nn.modules.dropout._DropoutNd), _lower_identity),
    (nn.MaxPool2d, _lower_max_pool),
    (nn.AvgPool2d, _lower_avg_pool),
    (nn.AdaptiveAvgPool2d, _lower_adaptive_avg_pool),
    (nn.Flatten, _lower_flatten_module),
]


# ---------------------------------------------------------------------------
# Functions and methods
# ---------------------------------------------------------------------------

def _is_tensor_arg(cx, arg):
    return isinstance(arg, fx.Node) and isinstance(cx.env.get(arg), Value)


def _same_layout(cx, a, b):
    """Both values with one physical layout (restoring torch order for
    differently flattened rank-2 values)."""
    if a.flat == b.flat:
        return a.float(cx), b.float(cx), a.flat
    fa = FloatValue(to_torch_order(cx, a, cx.loc(cx.node)), a.shape)
    fb = FloatValue(to_torch_order(cx, b, cx.loc(cx.node)), b.shape)
    return fa, fb, None


def _arith(cx, node, op, a, b, alpha=1):
    """add / sub / mul of tensors and Python scalars."""
    if alpha != 1:
        raise cx.error(f"{op} with alpha={alpha} is not supported")
    ta, tb = _is_tensor_arg(cx, a), _is_tensor_arg(cx, b)
    loc = cx.loc(node)
    if ta and tb:
        va, vb = cx.tensor(a), cx.tensor(b)
        if va.shape != vb.shape:
            raise cx.error(f"{op} of tensors of shapes {list(va.shape)} and "
                           f"{list(vb.shape)} (broadcasting is not supported)")
        fa, fb, flat = _same_layout(cx, va, vb)
        y = cx.binary(op, fa.ssa, fa.phys, fb.ssa, fb.phys, fa.phys, loc)
        return FloatValue(y, cx.out_shape(node), flat, loc)
    if not (ta or tb):  # shape arithmetic: x.size(1) * x.size(2)
        fn = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}[op]
        return Constant(fn(cx.literal(a), cx.literal(b)))
    x = cx.tensor(a if ta else b)
    s = cx.literal(b if ta else a)
    if not isinstance(s, (int, float)) or isinstance(s, bool):
        raise cx.error(f"{op} with a {type(s).__name__} operand is not supported")
    s = float(s)
    if ta:
        fn = {"add": lambda g: g + s, "sub": lambda g: g - s, "mul": lambda g: g * s}[op]
    else:
        fn = {"add": lambda g: s + g, "sub": lambda g: s - g, "mul": lambda g: s * g}[op]
    return _stage_result(cx, node, x, ScalarStage(fn, op, s, not ta and op == "sub",
                                                  loc))


def _fn_add(cx, node):
    a = _bind(cx, node, ["input", "other", "alpha"], {"alpha": 1})
    return _arith(cx, node, "add", a["input"], a["other"], cx.literal(a["alpha"]))


def _fn_sub(cx, node):
    a = _bind(cx, node, ["input", "other", "alpha"], {"alpha": 1})
    return _arith(cx, node, "sub", a["input"], a["other"], cx.literal(a["alpha"]))


def _fn_mul(cx, node):
    a = _bind(cx, node, ["input", "other"], {})
    return _arith(cx, node, "mul", a["input"], a["other"])


def _fn_cat(cx, node):
    a = _bind(cx, node, ["tensors", "dim"], {"dim": 0})
    parts = [cx.tensor(t) for t in a["tensors"]]
    dim = cx.literal(a["dim"])
    rank = len(parts[0].shape)
    dim %= rank
    shape, loc = cx.out_shape(node), cx.loc(node)
    if rank == 2 and any(p.flat is not None for p in parts):
        ssas = [to_torch_order(cx, p, loc) for p in parts]
        y = cx.concat(ssas, [p.shape for p in parts], dim, list(shape), "f32", loc)
        return FloatValue(y, shape, None, loc)
    if dim == 0 and cx.dynamic:
        raise cx.error("concatenation along the batch dimension with a dynamic batch")
    axis = [0, 3, 1, 2][dim] if rank == 4 else dim
    return LazyCat(parts, axis, shape, loc)


def _fn_flatten(cx, node):
    a = _bind(cx, node, ["input", "start_dim", "end_dim"], {"start_dim": 0, "end_dim": -1})
    return _flatten(cx, node, cx.tensor(a["input"]), cx.literal(a["start_dim"]),
                    cx.literal(a["end_dim"]))


def _fn_binarize(cx, node):
    a = _bind(cx, node, ["x"], {})
    return cx.tensor(a["x"]).binary(cx)


def _fn_relu(cx, node):
    a = _bind(cx, node, ["input", "inplace"], {"inplace": False})
    return _stage_result(cx, node, cx.tensor(a["input"]),
                         ClampStage(torch.relu, 0.0, _INF, cx.loc(node)))


def _clamp_stage(cx, node, x, lo, hi, fn):
    for v in (lo, hi):
        if v is not None and not isinstance(v, (int, float)):
            raise cx.error("clamp bounds must be Python numbers")
    lo_f = -_INF if lo is None else float(lo)
    hi_f = _INF if hi is None else float(hi)
    return _stage_result(cx, node, x, ClampStage(fn, lo_f, hi_f, cx.loc(node)))


def _fn_hardtanh(cx, node):
    a = _bind(cx, node, ["input", "min_val", "max_val", "inplace"],
              {"min_val": -1.0, "max_val": 1.0, "inplace": False})
    lo, hi = cx.literal(a["min_val"]), cx.literal(a["max_val"])
    return _clamp_stage(cx, node, cx.tensor(a["input"]), lo, hi,
                        lambda g: F.hardtanh(g, lo, hi))


def _fn_relu6(cx, node):
    _bind(cx, node, ["input", "inplace"], {"inplace": False})
    return _clamp_stage(cx, node, cx.tensor(node.args[0]), 0.0, 6.0, F.relu6)


def _fn_clamp(cx, node):
    a = _bind(cx, node, ["input", "min", "max"], {"min": None, "max": None})
    lo, hi = cx.literal(a["min"]), cx.literal(a["max"])
    return _clamp_stage(cx, node, cx.tensor(a["input"]), lo, hi,
                        lambda g: torch.clamp(g, lo, hi))


def _fn_leaky_relu(cx, node):
    a = _bind(cx, node, ["input", "negative_slope", "inplace"],
              {"negative_slope": 0.01, "inplace": False})
    s = float(cx.literal(a["negative_slope"]))
    return _stage_result(cx, node, cx.tensor(a["input"]),
                         LeakyStage(lambda g: F.leaky_relu(g, s), [s], cx.loc(node)))


def _fn_dropout(cx, node):
    a = _bind(cx, node, ["input", "p", "training", "inplace"],
              {"p": 0.5, "training": True, "inplace": False})
    if cx.literal(a["training"]):
        raise cx.error("dropout with training=True is random")
    return cx.tensor(a["input"])


def _fn_max_pool(cx, node):
    a = _bind(cx, node, ["input", "kernel_size", "stride", "padding", "dilation",
                         "ceil_mode", "return_indices"],
              {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False,
               "return_indices": False})
    lit = {k: cx.literal(v) for k, v in a.items() if k != "input"}
    return _max_pool(cx, node, cx.tensor(a["input"]), **lit)


def _fn_avg_pool(cx, node):
    a = _bind(cx, node, ["input", "kernel_size", "stride", "padding", "ceil_mode",
                         "count_include_pad", "divisor_override"],
              {"stride": None, "padding": 0, "ceil_mode": False,
               "count_include_pad": True, "divisor_override": None})
    lit = {k: cx.literal(v) for k, v in a.items() if k != "input"}
    return _avg_pool(cx, node, cx.tensor(a["input"]), lit["kernel_size"], lit["stride"],
                     lit["padding"], lit["ceil_mode"], lit["count_include_pad"],
                     lit["divisor_override"])


def _fn_adaptive_avg_pool(cx, node):
    a = _bind(cx, node, ["input", "output_size"], {})
    return _adaptive_avg_pool(cx, node, cx.tensor(a["input"]),
                              cx.literal(a["output_size"]))


def _fn_getattr(cx, node):
    x, name = node.args
    if name != "shape" or not _is_tensor_arg(cx, x):
        raise cx.error(f"attribute {name!r} is not supported")
    return Constant(tuple(cx.results[x].shape))


def _fn_getitem(cx, node):
    base, index = node.args
    if isinstance(base, fx.Node) and isinstance(cx.env.get(base), Constant):
        return Constant(cx.env[base].value[cx.literal(index)])
    raise cx.error("indexing tensors is not supported")


def _m_size(cx, node):
    a = _bind(cx, node, ["self", "dim"], {"dim": None})
    shape = tuple(cx.results[a["self"]].shape)
    dim = cx.literal(a["dim"])
    return Constant(shape if dim is None else shape[dim])


def _m_dim(cx, node):
    return Constant(cx.results[node.args[0]].dim())


def _m_view(cx, node):
    x = cx.tensor(node.args[0])
    target = [cx.literal(a) for a in node.args[1:]]
    if len(target) == 1 and isinstance(target[0], (tuple, list, torch.Size)):
        target = list(target[0])
    if node.kwargs:
        raise cx.error("keyword arguments are not supported")
    shape = cx.out_shape(node)
    if tuple(shape) == x.shape:
        return x
    if len(x.shape) == 4 and len(shape) == 2 and shape[0] == x.shape[0]:
        return flatten_value(cx, x, shape, cx.loc(node))
    raise cx.error(f"reshaping {list(x.shape)} to {list(shape)} is not supported "
                   "(only flattening all but the batch dimension)")


def _m_flatten(cx, node):
    a = _bind(cx, node, ["self", "start_dim", "end_dim"], {"start_dim": 0, "end_dim": -1})
    return _flatten(cx, node, cx.tensor(a["self"]), cx.literal(a["start_dim"]),
                    cx.literal(a["end_dim"]))


def _m_contiguous(cx, node):
    if len(node.args) > 1 or node.kwargs:
        raise cx.error("contiguous(memory_format) is not supported")
    return cx.tensor(node.args[0])


def _m_arith(op):
    def handler(cx, node):
        a = _bind(cx, node, ["self", "other", "alpha"], {"alpha": 1})
        return _arith(cx, node, op, a["self"], a["other"], cx.literal(a["alpha"]))
    return handler


def _m_relu(cx, node):
    _bind(cx, node, ["self"], {})
    return _stage_result(cx, node, cx.tensor(node.args[0]),
                         ClampStage(torch.relu, 0.0, _INF, cx.loc(node)))


def _m_clamp(cx, node):
    a = _bind(cx, node, ["self", "min", "max"], {"min": None, "max": None})
    lo, hi = cx.literal(a["min"]), cx.literal(a["max"])
    return _clamp_stage(cx, node, cx.tensor(a["self"]), lo, hi,
                        lambda g: torch.clamp(g, lo, hi))


_FUNCTION_HANDLERS = {
    binarize: _fn_binarize,
    operator.add: _fn_add, torch.add: _fn_add,
    operator.sub: _fn_sub, torch.sub: _fn_sub,
    operator.mul: _fn_mul, torch.mul: _fn_mul,
    torch.cat: _fn_cat, torch.concat: _fn_cat,
    torch.flatten: _fn_flatten,
    F.relu: _fn_relu, torch.relu: _fn_relu,
    F.relu6: _fn_relu6,
    F.hardtanh: _fn_hardtanh,
    torch.clamp: _fn_clamp, torch.clip: _fn_clamp,
    F.leaky_relu: _fn_leaky_relu,
    F.dropout: _fn_dropout,
    F.max_pool2d: _fn_max_pool,
    F.avg_pool2d: _fn_avg_pool,
    F.adaptive_avg_pool2d: _fn_adaptive_avg_pool,
    getattr: _fn_getattr,
    operator.getitem: _fn_getitem,
}

_METHOD_HANDLERS = {
    "size": _m_size, "dim": _m_dim,
    "view": _m_view, "reshape": _m_view,
    "flatten": _m_flatten,
    "contiguous": _m_contiguous,
    "add": _m_arith("add"), "sub": _m_arith("sub"), "mul": _m_arith("mul"),
    "relu": _m_relu, "clamp": _m_clamp, "clip": _m_clamp,
}


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

def _as_tuple(example_inputs):
    if isinstance(example_inputs, torch.Tensor):
        return (example_inputs,)
    if isinstance(example_inputs, (tuple, list)) and all(
            isinstance(t, torch.Tensor) for t in example_inputs):
        return tuple(example_inputs)
    raise ExportError("example_inputs must be a tensor or a tuple of tensors")


def trace(model):
    """``model`` traced by :class:`BNNTracer` as an ``fx.GraphModule``."""
    try:
        graph = BNNTracer().trace(model)
    except Exception as e:  # TraceError, control flow on proxies, ...
        raise ExportError(f"torch.fx could not trace {type(model).__name__}: "
                          f"{type(e).__name__}: {e}") from e
    return fx.GraphModule(model, graph, type(model).__name__)


def export(model, example_inputs, *, function_name="forward", dynamic_batch=False):
    """Exports ``model`` to MLIR text (a module with one public function).

    * The model is exported in eval mode: a deep copy is put into eval mode
      and exported; ``model`` itself is not touched (so its training state
      and its statistics are left alone). Int8 layers must have observed an
      activation range (see :mod:`bnn.torch.int8`).
    * ``example_inputs`` (a tensor or a tuple of tensors, float32, shapes
      ``[N, F]`` or ``[N, C, H, W]``) fix the static shapes, batch included.
      The function takes and returns tensors with torch's shapes (NCHW);
      inside, 4-D values are NHWC (one ``tosa.transpose`` at each 4-D input
      and output).
    * ``function_name`` names the function (default ``forward``).
    * ``dynamic_batch=True`` leaves dimension 0 of every argument, result
      and activation dynamic (``tensor<?x...>``): one artifact then runs any
      batch (docs/RuntimeABI.md, "Dynamic batch"). The example inputs must
      share their batch; everything the exporter emits computes each image
      on its own (concatenation along the batch is refused).

    Returns the MLIR text (deterministic for a given model and input shapes).
    Raises :class:`ExportError` for anything that cannot be exported
    exactly: unsupported modules, functions, methods or arguments, naming
    the fx node and its source line.
    """
    if not isinstance(model, nn.Module):
        raise ExportError(f"expected an nn.Module, got {type(model).__name__}")
    if not function_name.replace("_", "a").isalnum() or function_name[0].isdigit():
        raise ExportError(f"function_name {function_name!r} is not an identifier")
    inputs = _as_tuple(example_inputs)
    for i, t in enumerate(inputs):
        if t.dtype != torch.float32 or t.dim() not in (2, 4):
            raise ExportError(f"example input {i} must be a float32 tensor of rank 2 "
                              f"or 4, got {t.dtype} {list(t.shape)}")
    try:
        model = copy.deepcopy(model).eval()
    except Exception as e:
        raise ExportError(f"could not copy the model to put it in eval mode: "
                          f"{type(e).__name__}: {e}") from e
    gm = trace(model)
    recorder = _Recorder(gm)
    with torch.no_grad():
        try:
            recorder.run(*[t.detach().cpu() for t in inputs])
        except ExportError:
            raise
        except Exception as e:
            raise ExportError(f"running the traced model on the example inputs "
                              f"failed: {type(e).__name__}: {e}") from e
    if dynamic_batch and len({t.shape[0] for t in inputs}) != 1:
        raise ExportError("with dynamic_batch=True the example inputs must share "
                          "their batch (dimension 0)")
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != len(inputs):
        raise ExportError(f"the model takes {len(placeholders)} inputs, "
                          f"{len(inputs)} example inputs given")
    cx = Lowering(gm, recorder.results, dynamic=bool(dynamic_batch))
    body = cx.lower(function_name)
    header = [f"// Exported by bnn.torch.export from {type(model).__name__} (eval mode).",
              "// Inputs and outputs use torch's shapes (NCHW); the body is NHWC."]
    if dynamic_batch:
        header.append("// Dimension 0 (the batch) is dynamic.")
    for text in cx.notes:
        header.append(f"// note: {text}")
    return "\n".join(header + ["module {"] + ["  " + line if line else line
                                              for line in body] + ["}"]) + "\n"
