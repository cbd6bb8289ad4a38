"""Independent numpy executor for ONNX and QONNX models: the oracle of
test/ONNX/diff_onnx.py. Written from the ONNX operator specification
(onnx/onnx docs/Operators.md, default-domain opsets 9..17) and the QONNX
custom-op documents and reference code (fastmachinelearning/qonnx
docs/qonnx-custom-ops/*.md, src/qonnx/custom_op/general/{quant,intquant,
bipolar_quant,trunc,multithreshold}.py), never from the bnn importer.

    run(model, inputs) -> {output name: np.ndarray}

`model`: an onnx.ModelProto or a path; `inputs`: graph input name -> array
(converted to the declared element type, shape checked). Initializers also
listed as graph inputs are constants (a given value overrides them).
Anything unsupported raises NotImplementedError naming the op.

Numeric conventions (the importer is built to match these exactly):
 1. Float tensors are float32. Elementwise float ops are evaluated in
    float32 one ONNX op at a time (one IEEE rounding per operation, no
    fused multiply-add, no reassociation). Float attributes are float32.
 2. Conv, Gemm, MatMul (float): inputs converted to float64, products and
    sums in float64, rounded to float32 once. Conv adds its bias in float64
    before that rounding; Gemm rounds alpha*(A@B) + beta*C once. Products of
    quantized (integer * power of two) values are thus exact whenever the
    true result is a float32.
 3. BatchNormalization (inference): float32 step by step, d = sqrt(var +
    eps); y = ((x - mean) / d) * scale + B, parameters along axis 1.
 4. AveragePool, GlobalAveragePool: window sum in float64 divided by the
    count in float64, rounded to float32 once. MaxPool is exact. With
    ceil_mode a last window starting in the end padding is dropped (the
    PyTorch rule), and the part of a window past the padding never counts.
 5. Quant: q = x / scale + zeropt (float32: divide, then add); q rounded by
    rounding_mode; clamped to [min, max], signed: min = -2^(b-1) (+1 if
    narrow), max = 2^(b-1) - 1; unsigned: min = 0, max = 2^b - 1 (-1 if
    narrow); y = (q - zeropt) * scale in float32. Modes (any case): ROUND =
    HALF_EVEN (np.round), CEIL, FLOOR, UP (away from zero), DOWN =
    ROUND_TO_ZERO (toward zero), HALF_UP / HALF_DOWN (ties away from /
    toward zero, decided exactly). Defaults: signed 1, narrow 0, ROUND.
    bitwidth 1 with signed=1 is bipolar, as in the reference code: q = +1
    if x / scale + zeropt >= 0 else -1, no rounding or clamp.
 6. BipolarQuant: y = (x >= 0 ? +1 : -1) * scale in float32; -0.0 -> +1.
 7. Trunc, v1 (x, scale, zeropt, in_bits, out_bits): y = rint(x / scale +
    zeropt) / 2^(in_bits - out_bits), rounded by rounding_mode, y = (y -
    zeropt) * scale. v2 (x, scale, zeropt, in_bits, out_scale,
    [out_zeropt,] out_bits): t = 2^round(log2(out_scale / scale)); y =
    rint(x / scale + zeropt) / t clamped to the out_bits range (signed,
    narrow), rounded by rounding_mode, y = (y - zeropt / t) * out_scale.
    float32 throughout; defaults: FLOOR, signed 1, narrow 0.
 8. MultiThreshold: count of thresholds t with x >= t (float32) along the
    channel axis (1 for NCHW and 2-D inputs, 3 for 4-D NHWC, the last axis
    for other ranks); y = out_scale * count + out_bias in float64, rounded
    to float32 once. Thresholds [C, T] or [1, T].
 9. QuantizeLinear: rint(x / scale) (float32 divide, ties to even) + zero
    point, saturated to the zero point's type (default uint8).
    DequantizeLinear: float32(x - zero_point) * scale in float32. Per-axis
    parameters (opset 13+) along `axis` (default 1).
10. ConvInteger, MatMulInteger: exact integers on (x - x_zp) and (w - w_zp)
    (padding holds the zero point); int32 results. QLinearConv,
    QLinearMatMul: acc = exact integer sum (+ int32 bias); M = (a_scale *
    b_scale) / y_scale in float32 (b_scale may be per output channel);
    y = saturate(rint(float64(acc) * float64(M)) + y_zp).
11. Pow: float64 power rounded to float32 once (Pow(x, 2) == x * x). Sqrt
    is correctly rounded. Tanh, Sigmoid (1 / (1 + exp(-x))), Softmax: numpy
    float32 libm functions, compare them with a tolerance.
12. Cast float -> int and integer Div truncate toward zero.

Where the QONNX reference code and its documents disagree (the choice here
in brackets):
 - Quant narrow: documented default 0; the code declares signed and narrow
   required (nominal default 1). [0]
 - Quant narrow with signed=0: the documents narrow only signed ranges; the
   code also lowers the unsigned max to 2^b - 2. [the code]
 - Quant bitwidth 1: the documents exclude binary/bipolar from Quant; the
   code makes signed 1-bit Quant bipolar. [the code; unsigned 1-bit: {0, 1}]
 - Rounding modes: early documents list ROUND/CEIL/FLOOR, matched case-
   sensitively though lower case is promised; newer code upper-cases and
   adds HALF_EVEN, UP, DOWN, HALF_UP, HALF_DOWN, computing HALF_UP/DOWN as
   sign(x) * floor(|x| + 0.5) in float32, so 0.49999997 -> 1. [exact ties;
   ROUND_TO_ZERO, a Brevitas name, accepted as DOWN]
 - Quant clamps before rounding in code and documents: the same result as
   rounding first for integer bounds.
 - Trunc: v1 rescales by the input scale and does not clamp; the v2 document
   lists 6 inputs (out_bitwidth at index 5), the code reads 7 (index 5 the
   unused output zero point, out_bitwidth at 6). [both, by input count]
 - MultiThreshold: the code returns float64 (Python float times int64
   count); NHWC is honoured only for 4-D inputs, other ranks but 2 take the
   last axis as channels whatever data_layout says. [float32 result]
"""
import itertools
import os
from functools import reduce

import numpy as np
import onnx
from onnx import numpy_helper

F32 = np.float32
F64 = np.float64
# Accumulator of the float Conv/Gemm/MatMul (convention 2). The self-tests
# switch it to float32 to show that the "exact" models do not depend on it.
ACCUMULATE = np.float64

QONNX_DOMAINS = ("qonnx.custom_op.general", "onnx.brevitas", "finn.custom_op.general")
MIN_OPSET, MAX_OPSET = 9, 17

_OPS = {}


def _op(*names, domain=""):
    def register(fn):
        for name in names:
            _OPS[(domain, name)] = fn
        return fn
    return register


class _Node:
    def __init__(self, proto, opset):
        self.op = proto.op_type
        self.opset = opset
        self.outputs = list(proto.output)
        self.attrs = {}
        for a in proto.attribute:
            v = onnx.helper.get_attribute_value(a)
            if isinstance(v, bytes):
                v = v.decode()
            elif isinstance(v, onnx.TensorProto):
                v = numpy_helper.to_array(v)
            self.attrs[a.name] = v

    def get(self, name, default=None):
        return self.attrs.get(name, default)


def _np_dtype(elem_type):
    return onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[elem_type]


def run(model, inputs):
    if not isinstance(model, onnx.ModelProto):
        model = onnx.load(os.fspath(model))
    opsets = {}
    for imp in model.opset_import:
        opsets["" if imp.domain in ("", "ai.onnx") else imp.domain] = imp.version
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    declared = {vi.name: vi for vi in g.input}
    unknown = set(inputs) - set(declared)
    if unknown:
        raise KeyError("not graph inputs: %s" % ", ".join(sorted(unknown)))
    for name, vi in declared.items():
        if name in inputs:
            tt = vi.type.tensor_type
            value = np.asarray(inputs[name], dtype=_np_dtype(tt.elem_type))
            dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
            if tt.HasField("shape") and (len(dims) != value.ndim or any(
                    d is not None and d != s for d, s in zip(dims, value.shape))):
                raise ValueError("input %s: shape %s, declared %s" % (name, value.shape, dims))
            env[name] = value
        elif name not in env:
            raise KeyError("missing graph input %s" % name)
    for proto in g.node:
        domain = "" if proto.domain in ("", "ai.onnx") else proto.domain
        key = ("qonnx" if domain in QONNX_DOMAINS else domain, proto.op_type)
        fn = _OPS.get(key)
        if fn is None:
            raise NotImplementedError("op %s (domain %r)" % (proto.op_type, proto.domain))
        if domain not in opsets:
            raise ValueError("op %s: domain %r has no opset import" % (proto.op_type, domain))
        if domain == "" and not MIN_OPSET <= opsets[""] <= MAX_OPSET:
            raise NotImplementedError("op %s at opset %d (supported: %d..%d)" %
                                      (proto.op_type, opsets[""], MIN_OPSET, MAX_OPSET))
        args = []
        for name in proto.input:
            if name and name not in env:
                raise KeyError("op %s: undefined tensor %s" % (proto.op_type, name))
            args.append(env[name] if name else None)
        result = fn(_Node(proto, opsets[domain]), *args)
        if not isinstance(result, tuple):
            result = (result,)
        for i, name in enumerate(proto.output):
            if not name:
                continue
            if i >= len(result):
                raise NotImplementedError("op %s: output #%d" % (proto.op_type, i))
            env[name] = np.asarray(result[i])
    return {o.name: env[o.name] for o in g.output}

# ---- Helpers ---------------------------------------------------------------


def _ints(a):
    return None if a is None else [int(v) for v in np.asarray(a).reshape(-1)]


def _axis(axis, rank):
    return axis + rank if axis < 0 else axis


def _per_axis(p, rank, axis):
    """A scalar, 1-element or per-axis 1-D parameter shaped to broadcast
    along `axis` of a rank-`rank` tensor."""
    p = np.asarray(p)
    if p.size == 1:
        return p.reshape(())
    shape = [1] * rank
    shape[axis] = -1
    return p.reshape(shape)


def _windows(x, kernel, pads, strides, dil, fill, ceil=False, extra_fill=None):
    """Views of padded `x` ([N, C, *spatial]), one per kernel offset, each of
    the output's spatial shape; returns (views, output spatial shape)."""
    nd = len(kernel)
    out, widths, extra = [], [(0, 0)] * 2, [(0, 0)] * 2
    for d in range(nd):
        size, lo, hi = x.shape[2 + d], pads[d], pads[d + nd]
        span = dil[d] * (kernel[d] - 1) + 1
        num = size + lo + hi - span
        o = (-(-num // strides[d]) if ceil else num // strides[d]) + 1
        if ceil and (o - 1) * strides[d] >= size + lo:
            o -= 1
        if o < 1 or min(lo, hi) < 0:
            raise ValueError("window %s with pads %s does not fit %s" % (kernel, pads, x.shape))
        out.append(o)
        widths.append((lo, hi))
        extra.append((0, max(0, (o - 1) * strides[d] + span - size - lo - hi)))
    # ceil_mode windows may run past the end padding; that part never counts.
    xp = np.pad(np.pad(x, widths, constant_values=fill), extra,
                constant_values=fill if extra_fill is None else extra_fill)
    views = []
    for offs in itertools.product(*(range(k) for k in kernel)):
        sl = tuple(slice(o * dl, o * dl + s * (od - 1) + 1, s)
                   for o, dl, s, od in zip(offs, dil, strides, out))
        views.append(xp[(slice(None), slice(None)) + sl])
    return views, out


def _spatial_attrs(n, nd):
    auto_pad = n.get("auto_pad", "NOTSET")
    if auto_pad not in ("NOTSET", "VALID"):
        raise NotImplementedError("op %s auto_pad=%s" % (n.op, auto_pad))
    pads = [0] * (2 * nd) if auto_pad == "VALID" else list(n.get("pads", [0] * (2 * nd)))
    strides = list(n.get("strides", [1] * nd))
    dil = list(n.get("dilations", [1] * nd))
    if len(pads) != 2 * nd or len(strides) != nd or len(dil) != nd:
        raise ValueError("op %s: attributes do not match %d spatial dims" % (n.op, nd))
    return pads, strides, dil


def _conv_core(n, x, w):
    """Convolution of x [N, C, *S] with w [M, C/group, *K] in their (common)
    dtype with zero padding: float64 or int64, so the sum is exact or
    rounded only by the accumulator type."""
    nd = x.ndim - 2
    if nd < 1 or w.ndim != x.ndim:
        raise ValueError("op %s: ranks %d and %d" % (n.op, x.ndim, w.ndim))
    ks = n.get("kernel_shape")
    if ks is not None and list(ks) != list(w.shape[2:]):
        raise ValueError("op %s: kernel_shape %s, weight %s" % (n.op, ks, w.shape))
    pads, strides, dil = _spatial_attrs(n, nd)
    group = n.get("group", 1)
    batch, c = x.shape[:2]
    m, cg = w.shape[:2]
    if c != cg * group or m % group:
        raise ValueError("op %s: %d channels, weight %s, group %d" % (n.op, c, w.shape, group))
    views, out = _windows(x, w.shape[2:], pads, strides, dil, 0)
    cols = np.stack(views, axis=2).reshape(batch, group, cg, len(views), -1)
    wg = w.reshape(group, m // group, cg, -1)
    y = np.einsum("ngckp,gmck->ngmp", cols, wg, optimize=True)
    return y.reshape([batch, m] + out)


def _int_range(signed, narrow, bits):
    if signed:
        return -(2 ** (bits - 1)) + (1 if narrow else 0), 2 ** (bits - 1) - 1
    return 0, 2 ** bits - 1 - (1 if narrow else 0)


def _ties(v, offset, fn):
    # In float64, where |v| +- 0.5 is exact for every float32 v.
    return (np.sign(v) * fn(np.abs(v.astype(F64)) + offset)).astype(v.dtype)


_ROUNDING = {
    "ROUND": np.round, "HALF_EVEN": np.round, "CEIL": np.ceil, "FLOOR": np.floor,
    "UP": lambda v: np.sign(v) * np.ceil(np.abs(v)), "DOWN": np.fix, "ROUND_TO_ZERO": np.fix,
    "HALF_UP": lambda v: _ties(v, 0.5, np.floor), "HALF_DOWN": lambda v: _ties(v, -0.5, np.ceil),
}


def _rounding(n, default):
    mode = n.get("rounding_mode", default).upper()
    if mode not in _ROUNDING:
        raise NotImplementedError("op %s rounding_mode=%s" % (n.op, mode))
    return _ROUNDING[mode]


def _bits(n, b):
    b = np.asarray(b)
    b = float(b.reshape(-1)[0]) if b.size == 1 else None
    if b is None or b != int(b) or b < 1:
        raise ValueError("op %s: bit width must be a positive integer scalar" % n.op)
    return int(b)


def _saturate(q, dtype):
    info = np.iinfo(dtype)
    return np.clip(q, info.min, info.max).astype(dtype)

# ---- Float compute ops -----------------------------------------------------


@_op("Conv")
def _conv(n, x, w, b=None):
    y = _conv_core(n, x.astype(ACCUMULATE), w.astype(ACCUMULATE))
    if b is not None:
        y = y + _per_axis(b.astype(ACCUMULATE), y.ndim, 1)
    return y.astype(x.dtype)


@_op("Gemm")
def _gemm(n, a, b, c=None):
    a = a.astype(ACCUMULATE).T if n.get("transA", 0) else a.astype(ACCUMULATE)
    b = b.astype(ACCUMULATE).T if n.get("transB", 0) else b.astype(ACCUMULATE)
    y = ACCUMULATE(n.get("alpha", 1.0)) * (a @ b)
    if c is not None:
        y = y + ACCUMULATE(n.get("beta", 1.0)) * c.astype(ACCUMULATE)
    return y.astype(F32)


@_op("MatMul")
def _matmul(n, a, b):
    if np.issubdtype(a.dtype, np.integer):
        return np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(a.dtype)
    return np.matmul(a.astype(ACCUMULATE), b.astype(ACCUMULATE)).astype(a.dtype)


@_op("BatchNormalization")
def _batchnorm(n, x, scale, b, mean, var):
    if n.get("training_mode", 0) or any(n.outputs[1:]):
        raise NotImplementedError("op BatchNormalization in training mode")
    eps = x.dtype.type(n.get("epsilon", 1e-5))

    def chan(p):
        return _per_axis(p.astype(x.dtype), x.ndim, 1)
    d = np.sqrt(chan(var) + eps)
    return (x - chan(mean)) / d * chan(scale) + chan(b)


def _pool_attrs(n, x):
    if len(n.outputs) > 1 and n.outputs[1]:
        raise NotImplementedError("op %s with an Indices output" % n.op)
    kernel = list(n.get("kernel_shape"))
    pads, strides, dil = _spatial_attrs(n, len(kernel))
    return kernel, pads, strides, dil, bool(n.get("ceil_mode", 0))


@_op("MaxPool")
def _maxpool(n, x):
    kernel, pads, strides, dil, ceil = _pool_attrs(n, x)
    if n.get("storage_order", 0):
        raise NotImplementedError("op MaxPool storage_order=1")
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    views, _ = _windows(x, kernel, pads, strides, dil, fill, ceil)
    return reduce(np.maximum, views)


@_op("AveragePool")
def _avgpool(n, x):
    kernel, pads, strides, dil, ceil = _pool_attrs(n, x)
    views, _ = _windows(x.astype(F64), kernel, pads, strides, dil, 0.0, ceil)
    inside = np.ones((1, 1) + x.shape[2:], F64)
    pad_count = 1.0 if n.get("count_include_pad", 0) else 0.0
    counts, _ = _windows(inside, kernel, pads, strides, dil, pad_count, ceil, extra_fill=0.0)
    return (reduce(np.add, views) / reduce(np.add, counts)).astype(x.dtype)


@_op("GlobalAveragePool")
def _global_avgpool(n, x):
    axes = tuple(range(2, x.ndim))
    count = int(np.prod([x.shape[a] for a in axes]))
    return (x.astype(F64).sum(axis=axes, keepdims=True) / count).astype(x.dtype)


# ---- Elementwise -----------------------------------------------------------


def _binary(fn):
    def op(n, a, b):
        if a.dtype != b.dtype:
            raise TypeError("op %s: %s and %s operands" % (n.op, a.dtype, b.dtype))
        return np.asarray(fn(a, b)).astype(a.dtype)
    return op


def _div(a, b):
    if a.dtype.kind in "iu":
        q = np.abs(a) // np.abs(b)
        return np.where((a < 0) != (b < 0), -q, q)
    return a / b


for _name, _fn in [("Add", np.add), ("Sub", np.subtract), ("Mul", np.multiply), ("Div", _div)]:
    _op(_name)(_binary(_fn))


@_op("Pow")
def _pow(n, x, y):
    # One rounding from float64, so that Pow(x, 2) is x * x in float32.
    return np.power(x.astype(F64), y.astype(F64)).astype(x.dtype)


def _unary(fn):
    return lambda n, x: np.asarray(fn(x)).astype(x.dtype)


for _name, _fn in [("Sqrt", np.sqrt), ("Relu", lambda x: np.maximum(x, x.dtype.type(0))),
                   ("Sign", np.sign), ("Tanh", np.tanh), ("Identity", lambda x: x),
                   ("Sigmoid", lambda x: x.dtype.type(1) / (x.dtype.type(1) + np.exp(-x)))]:
    _op(_name)(_unary(_fn))


@_op("Clip")
def _clip(n, x, lo=None, hi=None):
    if n.opset < 11:
        lo, hi = n.get("min"), n.get("max")
    y = x
    if lo is not None:
        y = np.maximum(y, np.asarray(lo, x.dtype))
    if hi is not None:
        y = np.minimum(y, np.asarray(hi, x.dtype))
    return y


@_op("PRelu")
def _prelu(n, x, slope):
    return np.where(x < 0, slope.astype(x.dtype) * x, x)


@_op("LeakyRelu")
def _leaky_relu(n, x):
    return np.where(x < 0, x.dtype.type(n.get("alpha", 0.01)) * x, x)


@_op("Softmax")
def _softmax(n, x):
    shape = x.shape
    if n.opset < 13:
        # Opsets < 13 flatten to 2-D at `axis` and normalise each row.
        axis = _axis(n.get("axis", 1), x.ndim)
        x = x.reshape(int(np.prod(shape[:axis])), -1)
        axis = 1
    else:
        axis = n.get("axis", -1)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).reshape(shape)

# ---- Shapes and data movement ----------------------------------------------


@_op("Reshape")
def _reshape(n, x, shape):
    shape = _ints(shape)
    if not n.get("allowzero", 0):
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


@_op("Flatten")
def _flatten(n, x):
    axis = _axis(n.get("axis", 1), x.ndim)
    return x.reshape(int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:])))


@_op("Transpose")
def _transpose(n, x):
    return np.transpose(x, n.get("perm"))


@_op("Pad")
def _pad(n, x, pads=None, value=None, axes=None):
    if n.get("mode", "constant") != "constant" or axes is not None:
        raise NotImplementedError("op Pad mode=%s" % n.get("mode", "constant"))
    if n.opset < 11:
        pads, value = n.get("pads"), n.get("value", 0.0)
    else:
        value = 0 if value is None else np.asarray(value).reshape(-1)[0]
    pads = _ints(pads)
    r = x.ndim
    # Negative pads remove elements.
    crop = tuple(slice(max(0, -pads[i]), x.shape[i] - max(0, -pads[i + r])) for i in range(r))
    widths = [(max(0, pads[i]), max(0, pads[i + r])) for i in range(r)]
    return np.pad(x[crop], widths, constant_values=np.asarray(value, x.dtype))


@_op("Concat")
def _concat(n, *xs):
    return np.concatenate([x for x in xs if x is not None], axis=n.get("axis"))


@_op("Shape")
def _shape(n, x):
    return np.array(x.shape[n.get("start", 0):n.get("end", x.ndim)], np.int64)


@_op("Gather")
def _gather(n, x, idx):
    axis = _axis(n.get("axis", 0), x.ndim)
    idx = np.where(idx < 0, idx + x.shape[axis], idx)
    return np.take(x, idx, axis=axis)


def _axes_arg(n, given):
    return n.get("axes") if n.opset < 13 else _ints(given)


@_op("Unsqueeze")
def _unsqueeze(n, x, axes=None):
    axes = _axes_arg(n, axes)
    r = x.ndim + len(axes)
    for a in sorted(_axis(a, r) for a in axes):
        x = np.expand_dims(x, a)
    return x


@_op("Squeeze")
def _squeeze(n, x, axes=None):
    axes = _axes_arg(n, axes)
    if axes is None:
        return np.squeeze(x)
    return np.squeeze(x, axis=tuple(_axis(a, x.ndim) for a in axes))


@_op("Slice")
def _slice(n, x, starts=None, ends=None, axes=None, steps=None):
    if n.opset < 10:
        starts, ends, axes = n.get("starts"), n.get("ends"), n.get("axes")
    starts, ends, axes, steps = _ints(starts), _ints(ends), _ints(axes), _ints(steps)
    axes = list(range(len(starts))) if axes is None else [_axis(a, x.ndim) for a in axes]
    steps = [1] * len(starts) if steps is None else steps
    sl = [slice(None)] * x.ndim
    for st, en, ax, sp in zip(starts, ends, axes, steps):
        dim = x.shape[ax]
        st = st + dim if st < 0 else st
        en = en + dim if en < 0 else en
        if sp > 0:
            st, en = min(max(st, 0), dim), min(max(en, 0), dim)
        elif sp < 0:
            st, en = min(max(st, 0), dim - 1), min(max(en, -1), dim - 1)
        else:
            raise ValueError("op Slice: step 0")
        # After clamping, -1 with a negative step means "through index 0".
        sl[ax] = slice(st, None if en < 0 else en, sp)
    return x[tuple(sl)]


@_op("Cast")
def _cast(n, x):
    return x.astype(_np_dtype(n.get("to")))


@_op("Constant")
def _constant(n):
    kinds = {"value": None, "value_float": F32, "value_floats": F32,
             "value_int": np.int64, "value_ints": np.int64}
    for key, dtype in kinds.items():
        if key in n.attrs:
            return np.asarray(n.attrs[key], dtype)
    raise NotImplementedError("op Constant with attribute %s" % ", ".join(n.attrs))

# ---- ONNX quantization -----------------------------------------------------


@_op("QuantizeLinear")
def _quantize_linear(n, x, scale, zp=None):
    zp = np.zeros((), np.uint8) if zp is None else zp
    axis = _axis(n.get("axis", 1), x.ndim)
    q = np.rint(x.astype(F32) / _per_axis(scale.astype(F32), x.ndim, axis))
    return _saturate(q.astype(F64) + _per_axis(zp.astype(F64), x.ndim, axis), zp.dtype)


@_op("DequantizeLinear")
def _dequantize_linear(n, x, scale, zp=None):
    axis = _axis(n.get("axis", 1), x.ndim)
    d = x.astype(np.int64)
    if zp is not None:
        d = d - _per_axis(zp.astype(np.int64), x.ndim, axis)
    return d.astype(F32) * _per_axis(scale.astype(F32), x.ndim, axis)


def _minus_zp(v, zp, axis):
    v = v.astype(np.int64)
    return v if zp is None else v - _per_axis(zp.astype(np.int64), v.ndim, axis)


def _requantize(acc, multiplier, yzp):
    q = np.rint(acc.astype(F64) * multiplier.astype(F64)) + yzp.astype(F64)
    return _saturate(q, yzp.dtype)


@_op("ConvInteger")
def _conv_integer(n, x, w, xzp=None, wzp=None):
    return _conv_core(n, _minus_zp(x, xzp, 1), _minus_zp(w, wzp, 0)).astype(np.int32)


@_op("MatMulInteger")
def _matmul_integer(n, a, b, azp=None, bzp=None):
    # a_zero_point may be per row of A (axis -2), b_zero_point per column of B.
    return np.matmul(_minus_zp(a, azp, a.ndim - 2), _minus_zp(b, bzp, b.ndim - 1)).astype(np.int32)


@_op("QLinearConv")
def _qlinear_conv(n, x, xs, xzp, w, ws, wzp, ys, yzp, b=None):
    acc = _conv_core(n, _minus_zp(x, xzp, 1), _minus_zp(w, wzp, 0))
    if b is not None:
        acc = acc + _per_axis(b.astype(np.int64), acc.ndim, 1)
    m = (xs.astype(F32) * ws.astype(F32)) / ys.astype(F32)
    return _requantize(acc, _per_axis(m, acc.ndim, 1), yzp)


@_op("QLinearMatMul")
def _qlinear_matmul(n, a, as_, azp, b, bs, bzp, ys, yzp):
    acc = np.matmul(_minus_zp(a, azp, a.ndim - 2), _minus_zp(b, bzp, b.ndim - 1))
    m = (as_.astype(F32) * bs.astype(F32)) / ys.astype(F32)
    return _requantize(acc, _per_axis(m, acc.ndim, acc.ndim - 1), yzp)

# ---- QONNX custom ops ------------------------------------------------------


@_op("Quant", domain="qonnx")
def _quant(n, x, scale, zeropt, bitwidth):
    bits = _bits(n, bitwidth)
    signed, narrow = n.get("signed", 1), n.get("narrow", 0)
    s, z = scale.astype(F32), zeropt.astype(F32)
    q = x.astype(F32) / s + z
    if bits == 1 and signed:
        q = np.where(q >= 0, F32(1), F32(-1))
    else:
        lo, hi = _int_range(signed, narrow, bits)
        q = np.clip(_rounding(n, "ROUND")(q).astype(F64), lo, hi).astype(F32)
    return ((q - z) * s).astype(F32)


@_op("BipolarQuant", domain="qonnx")
def _bipolar_quant(n, x, scale):
    return (np.where(x >= 0, F32(1), F32(-1)) * scale.astype(F32)).astype(F32)


@_op("Trunc", domain="qonnx")
def _trunc(n, x, scale, zeropt, in_bits, *rest):
    rnd = _rounding(n, "FLOOR")
    s, z = scale.astype(F32), zeropt.astype(F32)
    y = np.rint(x.astype(F32) / s + z)
    if len(rest) == 1:
        t = F32(2.0 ** (_bits(n, in_bits) - _bits(n, rest[0])))
        return ((rnd(y / t) - z) * s).astype(F32)
    if len(rest) not in (2, 3):
        raise ValueError("op Trunc: %d inputs" % (4 + len(rest)))
    out_scale, out_bits = rest[0].astype(F32), _bits(n, rest[-1])
    t = (F32(2) ** np.round(np.log2(out_scale / s))).astype(F32)
    lo, hi = _int_range(n.get("signed", 1), n.get("narrow", 0), out_bits)
    y = rnd(np.clip((y / t).astype(F64), lo, hi).astype(F32))
    return ((y - z / t) * out_scale).astype(F32)


@_op("MultiThreshold", domain="qonnx")
def _multithreshold(n, x, thresholds):
    layout = n.get("data_layout", "NCHW")
    v = x
    if layout == "NHWC" and x.ndim == 4:
        v = np.transpose(x, (0, 3, 1, 2))
    elif layout == "NHWC" and x.ndim != 2:
        raise ValueError("op MultiThreshold: NHWC with a rank-%d input" % x.ndim)
    if v.ndim not in (2, 4):
        v = v.reshape(-1, v.shape[-1])
    if thresholds.ndim != 2 or thresholds.shape[0] not in (1, v.shape[1]):
        raise ValueError("op MultiThreshold: thresholds %s for %s" % (thresholds.shape, v.shape))
    cmp = np.expand_dims(np.moveaxis(v, 1, -1), -1) >= thresholds
    count = np.moveaxis(np.count_nonzero(cmp, axis=-1), -1, 1)
    y = F64(F32(n.get("out_scale", 1.0))) * count + F64(F32(n.get("out_bias", 0.0)))
    y = y.astype(F32)
    if layout == "NHWC" and x.ndim == 4:
        y = np.transpose(y, (0, 2, 3, 1))
    return y.reshape(x.shape)
