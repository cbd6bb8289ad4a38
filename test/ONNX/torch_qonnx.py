"""QONNX export of torch models built from the project's layers (bnn.torch),
the way Brevitas exports its quantized layers: torch.onnx.export traces the
model, and the quantizers are torch.autograd.Function subclasses whose
`symbolic` emits the QONNX custom ops (domain qonnx.custom_op.general):

    Quant(x, scale, zeropt, bitwidth; signed, narrow, rounding_mode)
    BipolarQuant(x, scale)

Weight quantizers are such nodes on the float weight initializers (the
export keeps them as nodes: do_constant_folding=False).

    export(model, example, path=None, dense="gemm", dynamic_batch=True)
        -> onnx.ModelProto

Covered modules: bnn.torch BinaryConv2d, BinaryLinear, BitserialConv2d,
BitserialLinear, ActQuant, Binarize (and calls of bnn.torch.binarize in a
model's own forward code), plus whatever torch.onnx exports itself
(nn.BatchNorm1d/2d, MaxPool2d, ReLU, Hardtanh, Flatten, ...). Each project
layer is replaced, in an eval-mode copy, by a twin module written in the
operators the graph holds; export() checks that the twin model returns
bit for bit what the model returns on the example input.

Exactness, layer by layer (QONNX semantics as test/ONNX/onnx_ref.py
implements them):

 * binarize(x) = where(x < 0, -1, +1) is BipolarQuant(x, scale 1): +1 for
   0 and -0.0 in both. (NaN: +1 in torch, -1 in BipolarQuant, since
   NaN >= 0 is false; the only difference.)
 * BinaryConv2d / BinaryLinear: BipolarQuant on the input and on the weight
   initializer, Conv (zero padding as Conv pads; pad_value +-1 as a Pad of
   the binarized input with that constant, as one Pad node with constant
   pads) / Gemm(transB=1) (dense="matmul": torch.onnx's own Transpose +
   MatMul for a bias-free F.linear), then the
   epilogue as Mul(scale[c]) and Add(bias[c]): the same float32 operations
   as apply_epilogue. The integer sum is exact in both.
 * ActQuant(k, step) computes q = clamp(round(x * inv_step), 0, 2^k - 1),
   inv_step = f32(1 / step), output q * step. Quant divides (x / scale),
   and x / step differs from x * inv_step in float32 unless step is a power
   of two: for the default steps 1/(2^k - 1), k = 3..8, a few inputs in
   [0, 1] quantize differently (k = 3: x = 0.21428572 gives 1 by ActQuant,
   2 by Quant; for k = 2 all such inputs lie above the clamp). So:
     - step a power of two: one Quant(x, scale=step, zeropt=0, bits=k,
       signed=0, narrow=0, rounding_mode=ROUND) (ROUND is half to even, as
       torch.round);
     - otherwise: Mul(x, inv_step) -> Quant(scale=1, ...) -> Mul(step).
   A single Quant node cannot reproduce ActQuant exactly for such steps.
   The sign of zero differs: ActQuant maps -0.0 to -0.0 (torch.clamp
   returns its input), Quant to +0.0 (x / scale + zeropt adds +0.0).
 * Bit-serial layers: the input quantizer as above (without the final
   Mul(step) when step is not a power of two: the layer multiplies the
   integers), weights BipolarQuant (1-bit) or, for unsigned m-bit weights
   round(clamp(w, 0, 1) * (2^m - 1)), Mul(w, 2^m - 1) -> Quant(scale=1,
   bits=m, signed=0, narrow=0, ROUND) (clamping after rounding gives the
   same integers; Quant(w, scale=f32(1/(2^m-1))) would not, for the reason
   above, and its dequantized levels are not multiples of one float32).
   Then Conv / Gemm, one Mul by the layer's multiplier divided by the
   input's power-of-two scale (exact), and Add(bias). Conv's integer sum
   times a power of two is exact, so Mul rounds acc * multiplier once, as
   the layer does.
 * BatchNorm: torch 1.13 evaluates it in eval mode as x * alpha + beta with
   its own precomputed alpha and beta (fused on CPU); ONNX
   BatchNormalization is ((x - mean) / sqrt(var + eps)) * scale + B, one
   rounding per operation. The results differ in the last bit for about
   half of all inputs, which flips a quantizer decision only when the
   BatchNorm input lies within that error of a threshold: for the integer
   accumulators of the quantized layers that is rare, and check_chains()
   tests every reachable accumulator value of each layer -> BatchNorm ->
   quantizer chain against onnx_ref. BatchNorm outputs consumed as floats
   agree within a few ulps only.
 * Not covered: Int8Conv2d / Int8Linear (round(x * inv_scale) + zero_point
   is not Quant's round(x / scale + zeropt) in float32), padding modes
   other than zeros, and accumulators of 2^24 or more (the twins sum in
   float32).
"""
import copy
import io
import math
import warnings

import onnx
import torch
import torch.nn.functional as F
from torch import nn

import bnn.torch as bt
from bnn.torch import functional as btf
from bnn.torch.integer_conv import conv_padding

QONNX = "qonnx.custom_op.general"
_F32_EXACT = 2 ** 24

__all__ = ["export", "twin_model", "check_chains", "QONNX"]


def _f32(v):
    return torch.tensor(float(v), dtype=torch.float32)


def _const(g, value):
    return g.op("Constant", value_t=torch.as_tensor(value, dtype=torch.float32))


def _is_pow2(v):
    return v > 0 and math.isfinite(v) and math.frexp(v)[0] == 0.5


# ---- Quantizers: forward = the project's arithmetic, symbolic = QONNX ----


def _bipolar_symbolic(g, x):
    y = g.op(QONNX + "::BipolarQuant", x, _const(g, 1.0))
    y.setType(x.type())
    return y


class BipolarQuantFn(torch.autograd.Function):
    """bnn.torch.binarize: where(x < 0, -1, +1); BipolarQuant(x, 1)."""

    @staticmethod
    def forward(ctx, x):
        one = torch.ones((), dtype=x.dtype, device=x.device)
        return torch.where(x < 0, -one, one)

    @staticmethod
    def symbolic(g, x):
        return _bipolar_symbolic(g, x)


def _quant(g, x, scale, bits, signed=0, narrow=0):
    y = g.op(QONNX + "::Quant", x, _const(g, scale), _const(g, 0.0), _const(g, float(bits)),
             signed_i=signed, narrow_i=narrow, rounding_mode_s="ROUND")
    y.setType(x.type())
    return y


def _mul(g, x, c):
    y = g.op("Mul", x, _const(g, c))
    y.setType(x.type())
    return y


class UnsignedActQuantFn(torch.autograd.Function):
    """bnn.torch ActQuant / the bit-serial input quantizer:
    q = clamp(round(x * inv_step), 0, 2^bits - 1) (float32). Returns
    q * step when `scaled` or when step is a power of two (then the Quant
    node's own dequantization), else q."""

    @staticmethod
    def forward(ctx, x, bits, step, inv_step, scaled):
        q = btf.quantize_unsigned(x, inv_step, bits)
        if scaled or _is_pow2(step):
            return q * _f32(step).to(x.device)
        return q

    @staticmethod
    def symbolic(g, x, bits, step, inv_step, scaled):
        if _is_pow2(step):
            return _quant(g, x, step, bits)
        q = _quant(g, _mul(g, x, inv_step), 1.0, bits)
        return _mul(g, q, step) if scaled else q


class UnsignedWeightQuantFn(torch.autograd.Function):
    """Unsigned m-bit weight integers round(clamp(w, 0, 1) * (2^m - 1)) (the
    bit-serial layers' integer_weight); Mul(w, 2^m - 1) -> Quant(scale 1)."""

    @staticmethod
    def forward(ctx, w, bits):
        levels = float(2 ** bits - 1)
        return torch.round(torch.clamp(w, 0.0, 1.0) * levels)

    @staticmethod
    def symbolic(g, w, bits):
        return _quant(g, _mul(g, w, float(2 ** bits - 1)), 1.0, bits)


class DenseFn(torch.autograd.Function):
    """x @ w.T as one Gemm(transB=1) (a 2-D x), as nn.Linear with a bias
    exports; torch.onnx writes Transpose + MatMul for F.linear without one."""

    @staticmethod
    def forward(ctx, x, w):
        return F.linear(x, w)

    @staticmethod
    def symbolic(g, x, w):
        return g.op("Gemm", x, w, transB_i=1)


class PadFn(torch.autograd.Function):
    """F.pad of the last two dimensions with a constant, as one Pad node
    with constant pads (torch.onnx writes a chain of shape arithmetic
    ending in ConstantOfShape / Concat / Slice without constant folding)."""

    @staticmethod
    def forward(ctx, x, pads, value):
        top, bottom, left, right = pads
        return F.pad(x, (left, right, top, bottom), value=float(value))

    @staticmethod
    def symbolic(g, x, pads, value):
        top, bottom, left, right = pads
        p = g.op("Constant", value_t=torch.tensor([0, 0, top, left, 0, 0, bottom, right],
                                                  dtype=torch.int64))
        return g.op("Pad", x, p, _const(g, value), mode_s="constant")


# ---- Twin modules ----------------------------------------------------------


class _Twin(nn.Module):
    """Common parts: the epilogue constants as buffers shaped for the
    accumulator's rank (exported as initializers)."""

    def _set_epilogue(self, multiplier, bias, rank):
        shape = [1, -1] + [1] * (rank - 2)
        self.has_mul = multiplier is not None
        self.has_bias = bias is not None
        if self.has_mul:
            self.register_buffer("mul_c", multiplier.detach().float().reshape(shape).clone())
        if self.has_bias:
            self.register_buffer("bias_c", bias.detach().float().reshape(shape).clone())

    def _epilogue(self, acc):
        y = acc
        if self.has_mul:
            y = y * self.mul_c
        if self.has_bias:
            y = y + self.bias_c
        return y

    def _dense(self, x, w):
        if self.dense == "gemm" and x.dim() == 2:
            return DenseFn.apply(x, w)
        return F.linear(x, w)


def _check_bound(layer, bound):
    if bound >= _F32_EXACT:
        raise NotImplementedError("%s: accumulators up to %d are not exact in float32"
                                  % (type(layer).__name__, bound))


def _conv(x, w, conv, pad_value=0.0):
    top, bottom, left, right = conv_padding(conv)
    if conv.padding_mode != "zeros":
        raise NotImplementedError("padding_mode %r" % conv.padding_mode)
    if pad_value == 0 and top == bottom and left == right:
        padding = (top, left)
    else:
        if any((top, bottom, left, right)):
            x = PadFn.apply(x, (top, bottom, left, right), float(pad_value))
        padding = 0
    return F.conv2d(x, w, None, conv.stride, padding, conv.dilation, conv.groups)


class BinaryTwin(_Twin):
    """BinaryConv2d / BinaryLinear."""

    def __init__(self, layer, dense):
        super().__init__()
        self.layer = layer  # parameters stay the original's
        self.dense = dense
        self.conv = isinstance(layer, bt.BinaryConv2d)
        _check_bound(layer, layer.reduction_size())
        self.weight = layer.weight
        self._set_epilogue(layer.scale, layer.bias, 4 if self.conv else 2)

    def forward(self, x):
        xb = BipolarQuantFn.apply(x)
        wb = BipolarQuantFn.apply(self.weight)
        if self.conv:
            acc = _conv(xb, wb, self.layer, self.layer.pad_value)
        else:
            acc = self._dense(xb, wb)
        return self._epilogue(acc)


class BitserialTwin(_Twin):
    """BitserialConv2d / BitserialLinear."""

    def __init__(self, layer, dense):
        super().__init__()
        self.layer = layer
        self.dense = dense
        self.conv = isinstance(layer, bt.BitserialConv2d)
        lo, hi = layer.accumulator_range()
        _check_bound(layer, max(-lo, hi))
        self.weight = layer.weight
        self.bits, self.step, self.inv_step = layer.act_bits, layer.act_step, layer.act_inv_step
        # The Conv / Gemm input is q * in_scale: in_scale = step when it is
        # a power of two (one Quant node), else 1 (the integers).
        in_scale = self.step if _is_pow2(self.step) else 1.0
        with torch.no_grad():
            m = layer.multiplier().float() * _f32(1.0 / in_scale)  # exact: a power of two
        if in_scale != 1.0 and not torch.equal(m * _f32(in_scale), layer.multiplier().float()):
            raise NotImplementedError("multiplier / input scale is not exact")
        self._set_epilogue(None if bool((m == 1).all()) else m, layer.bias, 4 if self.conv else 2)

    def forward(self, x):
        xq = UnsignedActQuantFn.apply(x, self.bits, self.step, self.inv_step, False)
        if self.layer.weight_bits == 1:
            wq = BipolarQuantFn.apply(self.weight)
        else:
            wq = UnsignedWeightQuantFn.apply(self.weight, self.layer.weight_bits)
        if self.conv:
            acc = _conv(xq, wq, self.layer)
        else:
            acc = self._dense(xq, wq)
        return self._epilogue(acc)


class ActQuantTwin(nn.Module):
    def __init__(self, layer):
        super().__init__()
        self.bits, self.step, self.inv_step = layer.bits, layer.step, layer.inv_step

    def forward(self, x):
        return UnsignedActQuantFn.apply(x, self.bits, self.step, self.inv_step, True)


class BinarizeTwin(nn.Module):
    def forward(self, x):
        return BipolarQuantFn.apply(x)


def _twin_of(m, dense):
    if isinstance(m, (bt.BinaryConv2d, bt.BinaryLinear)):
        return BinaryTwin(m, dense)
    if isinstance(m, (bt.BitserialConv2d, bt.BitserialLinear)):
        return BitserialTwin(m, dense)
    if isinstance(m, bt.ActQuant):
        return ActQuantTwin(m)
    if isinstance(m, bt.Binarize):
        return BinarizeTwin()
    if isinstance(m, (bt.Int8Conv2d, bt.Int8Linear)):
        raise NotImplementedError("%s has no exact QONNX form here" % type(m).__name__)
    return None


def twin_model(model, dense="gemm"):
    """An eval-mode deep copy of `model` with every project layer replaced
    by its export twin."""
    if dense not in ("gemm", "matmul"):
        raise ValueError("dense must be 'gemm' or 'matmul'")
    twin = copy.deepcopy(model).eval()

    def replace(parent):
        for name, child in list(parent.named_children()):
            t = _twin_of(child, dense)
            if t is not None:
                setattr(parent, name, t)
            else:
                replace(child)
    t = _twin_of(twin, dense)
    if t is not None:
        return t.eval()
    replace(twin)
    return twin.eval()


class _SymbolicBinarize:
    """Gives bnn.torch.binarize's estimator a symbolic during the export, for
    models calling binarize() in their own forward code."""

    def __enter__(self):
        self.had = "symbolic" in btf._BinarizeSTE.__dict__
        self.old = btf._BinarizeSTE.__dict__.get("symbolic")
        btf._BinarizeSTE.symbolic = staticmethod(_bipolar_symbolic)

    def __exit__(self, *exc):
        if self.had:
            btf._BinarizeSTE.symbolic = self.old
        else:
            del btf._BinarizeSTE.symbolic


def _same(a, b):
    return a.shape == b.shape and bool(((a == b) | (torch.isnan(a) & torch.isnan(b))).all())


def export(model, example, path=None, dense="gemm", dynamic_batch=True, input_name="x",
           output_name="y", check=True):
    """Exports `model` (eval mode; one tensor input, one output) as a QONNX
    model with opset 13; returns the ModelProto (and saves it to `path`).
    `dense`: "gemm" (Gemm with transB=1 for the dense layers) or "matmul"
    (torch.onnx's own Transpose + MatMul). With `check`, the twin model must
    return exactly the model's output on `example`."""
    twin = twin_model(model, dense)
    if check:
        with torch.no_grad():
            want = copy.deepcopy(model).eval()(example)
            got = twin(example)
        if not _same(want, got):
            raise AssertionError("torch_qonnx: the twin model differs from the model on the "
                                 "example input (max |diff| %g)"
                                 % float((want - got).abs().max()))
    f = io.BytesIO()
    kwargs = {}
    if dynamic_batch:
        kwargs["dynamic_axes"] = {input_name: {0: "N"}, output_name: {0: "N"}}
    with _SymbolicBinarize(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(twin, (example,), f, opset_version=13, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.EVAL, input_names=[input_name],
                          output_names=[output_name], **kwargs)
    m = fixup(onnx.load_from_string(f.getvalue()))
    if path is not None:
        onnx.save(m, path)
    return m


def fixup(m):
    """What torch 1.13 leaves to do: declare the QONNX domain's opset when a
    node uses it (torch adds it; kept as a check), drop value_info of the
    custom ops' outputs (their shapes are not inferred), name the model."""
    used = {n.domain for n in m.graph.node if n.domain not in ("", "ai.onnx")}
    have = {o.domain for o in m.opset_import}
    for d in sorted(used - have):
        m.opset_import.append(onnx.helper.make_opsetid(d, 1))
    custom = {o for n in m.graph.node if n.domain == QONNX for o in n.output}
    keep = [vi for vi in m.graph.value_info if vi.name not in custom]
    del m.graph.value_info[:]
    m.graph.value_info.extend(keep)
    m.producer_name = "bnn test/ONNX/torch_qonnx.py"
    onnx.checker.check_model(m)
    return m


# ---- Exactness of layer -> BatchNorm -> quantizer chains ------------------


def _input_quantizer(m):
    """The module that quantizes the input of project layer `m` the way `m`
    does, or `m` itself when it is a quantizer; None otherwise."""
    if isinstance(m, (bt.BinaryConv2d, bt.BinaryLinear, bt.Binarize)):
        return bt.Binarize()
    if isinstance(m, (bt.BitserialConv2d, bt.BitserialLinear)):
        return bt.ActQuant(m.act_bits, m.act_step)
    if isinstance(m, bt.ActQuant):
        return bt.ActQuant(m.bits, m.step)
    return None


_LAYERS = (bt.BinaryConv2d, bt.BinaryLinear, bt.BitserialConv2d, bt.BitserialLinear)
_PASS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.ReLU, nn.Hardtanh)


def check_chains(model):
    """For each layer -> (BatchNorm / ReLU / Hardtanh)* -> quantizer chain of
    an nn.Sequential `model` (MaxPool2d and Flatten may follow the float
    chain, they commute with the monotone quantizers), evaluates torch's
    modules and the exported chain (onnx_ref) on every integer accumulator
    value the layer can produce, per channel. Returns a list of
    (chain description, number of (value, channel) pairs that differ,
    number checked)."""
    import onnx_ref
    mods = list(model.eval())
    out = []
    for i, layer in enumerate(mods):
        if not isinstance(layer, _LAYERS):
            continue
        chain, j = [], i + 1
        while j < len(mods) and isinstance(mods[j], _PASS):
            chain.append(mods[j])
            j += 1
        while j < len(mods) and isinstance(mods[j], (nn.MaxPool2d, nn.Flatten)) and \
                not isinstance(mods[j - 1], (bt.Binarize, bt.ActQuant)):
            j += 1
        q = _input_quantizer(mods[j]) if j < len(mods) else None
        if not chain or q is None:
            continue
        if isinstance(layer, (bt.BinaryConv2d, bt.BinaryLinear)):
            k = layer.reduction_size()
            lo, hi = -k, k
        else:
            lo, hi = layer.accumulator_range()
        channels = layer.weight.shape[0]
        acc = torch.arange(lo, hi + 1, dtype=torch.float32)[:, None].expand(-1, channels)
        if isinstance(layer, (bt.BinaryConv2d, bt.BitserialConv2d)):
            acc = acc[:, :, None, None]
        with torch.no_grad():
            u = layer.epilogue(acc.contiguous()).contiguous()
            probe = nn.Sequential(*[copy.deepcopy(c) for c in chain], q).eval()
            want = probe(u).numpy()
        om = export(probe, u[:1], dynamic_batch=True)
        got = onnx_ref.run(om, {"x": u.numpy()})["y"]
        bad = int((want != got).sum())
        desc = "%s[%d] -> %s -> %s" % (type(layer).__name__, i,
                                       " -> ".join(type(c).__name__ for c in chain),
                                       type(q).__name__)
        out.append((desc, bad, int(want.size)))
    return out
