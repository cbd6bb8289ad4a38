#!/usr/bin/python3
"""Seeded generator of random bnn models for differential testing.

Every module holds several independent cases, each a public function named
case_<seed>_<i>. A case is fully determined by (seed, i): the number of cases
per module does not change what case i is, so a failing case can always be
regenerated from its name alone.

Weights, thresholds, scales and biases are arith.constant / tosa.const values
inside the function; activations are the function's arguments (f32, i1, uiK,
i8 or i32). In 8% of the cases ("weights and parameters as arguments") the
weights and epilogue parameters are arguments too, fed with the same values
as .npy files. Each case also carries a description of its arguments so that the
test driver can build inputs (see run_diff.py): either the tools' own
deterministic --random-inputs, or .npy files drawn from a case-specific
distribution (special floats, integer extremes, accumulator-like integers).

The generator covers the attribute space the verifiers accept:
  binary_conv2d     N 1-3, H/W 1-9, C 1-130, kernel 1-3, strides 1-3,
                    dilations 1-2, padding 0-2 per side, pad_value
                    zero/plus_one/minus_one, groups 1, 2, other divisors and
                    depthwise (groups = C, O = C * multiplier)
                    (5% of the convolutions: C 192-513, H/W 1-5)
  binary_dense      K 1-300 (flattened chains: up to ~2000)
  bitserial_*       ui1..ui8 activations x i1 or ui1..ui8 weights
  int8_*            input zero point, per-tensor or per-channel weight zero
                    points (including -128 and 127)
  acc_to_float      per-channel or single multiplier / bias
  threshold         per-channel or single thresholds / directions, extremes
  requantize        per-channel or single scales (powers of two give ties),
                    zero point, clamp range
  multi_threshold   ui1..ui8 results, 1 to 2^K - 1 thresholds per channel
                    or one row, per-channel or single directions,
                    unsorted, repeated and extreme thresholds; alone on
                    i32 of any rank, and between a binary / bit-serial /
                    int8 conv or dense and a bit-serial conv or dense
                    (64-bit word multiples for bitpack fusion)
  quantize          f32 of any rank (ties, special floats) to i8 or
                    ui1..ui8; per-channel or single scales (powers of two,
                    0, +-inf, NaN, huge), zero point and clamps anywhere in
                    the result range (omitted, explicit, ReLU, equal);
                    alone, before int8 / bit-serial conv and dense (64-bit
                    word multiples for bitpack fusion), and after a float
                    stem (stem -> quantize -> bit-serial conv -> threshold
                    -> binary conv; stem -> quantize -> int8 conv ->
                    requantize -> int8 dense)
  binary_max_pool2d kernel 1-3, strides 1-3, padding < kernel
  binarize / unbinarize
  float glue        acc_to_float -> [tosa.mul -> tosa.add -> [tosa.sub]] ->
                    binarize between the layers of binary and bit-serial
                    chains (folded into a threshold by bnn-fuse-glue)
  chains            float stem -> binary block -> residual -> pooling ->
                    classifier; binary, bit-serial and int8 chains with
                    pooling and flattening between layers

Usage:
  gen_models.py --seed S [--cases N] [--out DIR]     write module_S.mlir/.json
  gen_models.py --seed S --case I                    print one case as a module

(--kinds restricts the kinds drawn; the cases then differ from the default
ones of the same name.)
"""
import argparse
import json
import os
import sys

import numpy as np

INT32_MIN = -2**31
INT32_MAX = 2**31 - 1

# Channel counts that sit on or next to a 64-bit word boundary.
SPECIAL_CHANNELS = [1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 96, 127,
                    128, 129, 130]
WIDE_CHANNELS = [192, 255, 256, 257, 320, 511, 512, 513]
SPECIAL_K = [1, 2, 63, 64, 65, 100, 127, 128, 129, 191, 192, 193, 255, 256,
             257, 300]

# Bounds that keep the interpreter and the module text small.
MAX_MACS = 2_500_000
MAX_FILTER = 30_000
MAX_OUTPUT = 40_000

#===------------------------------------------------------------------------===#
# Formatting
#===------------------------------------------------------------------------===#


def f32_text(v):
    v = np.float32(v)
    if np.isnan(v) or np.isinf(v):
        return "0x%08X" % int(np.array(v, dtype=np.float32).view(np.uint32))
    return repr(float(v))


def dense_text(arr, elem):
    """The dense<...> literal of a numpy array for element type elem."""
    arr = np.asarray(arr)
    if elem == "i1":
        flat = ["1" if bool(x) else "0" for x in arr.reshape(-1)]
    elif elem == "f32":
        flat = [f32_text(x) for x in arr.reshape(-1)]
    else:
        flat = [str(int(x)) for x in arr.reshape(-1)]
    if arr.ndim == 0 or (arr.size > 1 and all(x == flat[0] for x in flat)):
        return flat[0]  # a splat
    # Nest the flat list according to the shape, innermost dimension first.
    items = flat
    for d in reversed(arr.shape):
        items = ["[" + ", ".join(items[i:i + d]) + "]"
                 for i in range(0, len(items), d)]
    return items[0]


def ty(shape, elem):
    return "tensor<" + "".join("%dx" % d for d in shape) + elem + ">"


def i64s(vals):
    return "array<i64: " + ", ".join(str(int(v)) for v in vals) + ">"

#===------------------------------------------------------------------------===#
# Case builder
#===------------------------------------------------------------------------===#


class Case:
    """One function under construction: arguments, body lines, results."""

    def __init__(self, name, rng):
        self.name = name
        self.rng = rng
        self.args = []      # dicts: name, shape, elem, bits, dist
        self.lines = []
        self.results = []   # (value, shape, elem)
        self.counter = 0
        self.notes = []
        self.kind = None
        # A second stream for choices added later (emit_binary_activation),
        # so that cases which do not take them stay as they were.
        self.glue_rng = rng
        self.input_mode = "npy"
        # When set, weights and epilogue parameters become arguments (with
        # the same values, passed as .npy) instead of constants.
        self.dynamic = False
        # A structured copy of the bnn operators for numpy_ref.py: value
        # name -> ("arg", index) | ("const", array) | (op, operands, attrs);
        # None once an operator without a record (float glue) is emitted.
        self.values = {}
        self.prog = []

    def fresh(self, prefix="v"):
        self.counter += 1
        return "%%%s%d" % (prefix, self.counter)

    def arg(self, shape, elem, dist="uniform", bits=None):
        name = "%%arg%d" % len(self.args)
        self.args.append({"name": name, "shape": [int(d) for d in shape],
                          "elem": elem, "bits": bits, "dist": dist})
        self.values[name] = ("arg", len(self.args) - 1)
        return name

    def const(self, arr, elem, prefix="c"):
        v = self.fresh(prefix)
        arr = np.asarray(arr)
        self.lines.append("%s = arith.constant dense<%s> : %s" %
                          (v, dense_text(arr, elem), ty(arr.shape, elem)))
        self.values[v] = ("const", arr)
        return v

    def param(self, arr, elem, prefix="c"):
        """A weight or epilogue parameter: a constant, or in a dynamic case
        an argument that receives exactly these values."""
        if not self.dynamic:
            return self.const(arr, elem, prefix)
        arr = np.asarray(arr)
        bits = int(elem[2:]) if elem.startswith("ui") else None
        v = self.arg(arr.shape, elem, dist="fixed", bits=bits)
        self.args[-1]["fixed"] = arr
        return v

    def tosa_const(self, arr, elem="f32", prefix="t"):
        v = self.fresh(prefix)
        arr = np.asarray(arr)
        t = ty(arr.shape, elem)
        self.lines.append('%s = "tosa.const"() <{values = dense<%s> : %s}> : () -> %s'
                          % (v, dense_text(arr, elem), t, t))
        self.values[v] = ("const", arr)
        return v

    def op(self, text, rec=None):
        """Emits `%v = text`; rec = (operator, operands, attrs) describes a
        bnn operator for the numpy model."""
        v = self.fresh()
        self.lines.append("%s = %s" % (v, text))
        if rec is None or self.prog is None:
            self.prog = None
        else:
            self.values[v] = rec
            self.prog.append(v)
        return v

    def note(self, text):
        self.notes.append(text)

    def ret(self, value, shape, elem):
        self.results.append((value, [int(d) for d in shape], elem))

    def text(self):
        sig = ", ".join("%s: %s" % (a["name"], ty(a["shape"], a["elem"]))
                        for a in self.args)
        rtys = [ty(s, e) for _, s, e in self.results]
        rsig = rtys[0] if len(rtys) == 1 else "(" + ", ".join(rtys) + ")"
        out = ["// %s: %s" % (self.kind, "; ".join(self.notes))]
        out.append("func.func @%s(%s) -> %s {" % (self.name, sig, rsig))
        out += ["  " + l for l in self.lines]
        out.append("  return %s : %s" % (", ".join(v for v, _, _ in self.results),
                                         ", ".join(rtys)))
        out.append("}")
        return "\n".join(out) + "\n"

    def info(self):
        return {
            "name": self.name,
            "kind": self.kind,
            "notes": "; ".join(self.notes),
            "input_mode": self.input_mode,
            "args": [dict({"shape": a["shape"], "elem": a["elem"], "bits": a["bits"],
                           "dist": a["dist"]},
                          **({"fixed": a["fixed"]} if "fixed" in a else {}))
                     for a in self.args],
            "results": [{"shape": s, "elem": e} for _, s, e in self.results],
        }

#===------------------------------------------------------------------------===#
# Random helpers
#===------------------------------------------------------------------------===#


def pick(rng, seq, p=None):
    return seq[int(rng.choice(len(seq), p=p))]


def chance(rng, p):
    return bool(rng.random() < p)


def channels(rng, hi=130):
    if chance(rng, 0.5):
        c = pick(rng, [x for x in SPECIAL_CHANNELS if x <= hi])
    else:
        c = int(rng.integers(1, hi + 1))
    return c


def out_size(h, pad_lo, pad_hi, k, stride, dil):
    return (h + pad_lo + pad_hi - dil * (k - 1) - 1) // stride + 1


def elem_stats(kind, bits=None, zp=0):
    """Mean and variance of one decoded activation drawn uniformly."""
    if kind == "binary":
        return 0.0, 1.0
    if kind == "lowbit":
        n = 2**bits
        return (n - 1) / 2.0, (n * n - 1) / 12.0
    if kind == "int8":
        return -0.5 - zp, (256 * 256 - 1) / 12.0
    raise ValueError(kind)


def acc_stats(wdec, mean, var):
    """Per-output-channel mean and standard deviation of an accumulator.

    wdec: decoded weights with the output channel first."""
    w = wdec.reshape(wdec.shape[0], -1).astype(np.float64)
    m = mean * w.sum(axis=1)
    s = np.sqrt(var * (w * w).sum(axis=1)) + 1.0
    return m, s

#===------------------------------------------------------------------------===#
# Geometry
#===------------------------------------------------------------------------===#


def sample_conv_geometry(rng, n, h, w, c, *, max_o=24, group_mode=None,
                         allow_big=True):
    """Random conv geometry for an input N x H x W x C; returns a dict or
    None when the sample does not fit the bounds."""
    kh = int(rng.integers(1, 4))
    kw = kh if chance(rng, 0.6) else int(rng.integers(1, 4))
    sh = int(rng.integers(1, 4)) if chance(rng, 0.5) else 1
    sw = sh if chance(rng, 0.6) else int(rng.integers(1, 4))
    dh = int(rng.integers(1, 3)) if chance(rng, 0.3) else 1
    dw = dh if chance(rng, 0.6) else int(rng.integers(1, 3))
    if chance(rng, 0.3):
        pad = [0, 0, 0, 0]
    elif chance(rng, 0.4):
        p = int(rng.integers(0, 3))
        pad = [p, p, p, p]
    else:
        pad = [int(x) for x in rng.integers(0, 3, 4)]
    oh = out_size(h, pad[0], pad[1], kh, sh, dh)
    ow = out_size(w, pad[2], pad[3], kw, sw, dw)
    if oh < 1 or ow < 1:
        return None
    if group_mode is None:
        group_mode = pick(rng, ["one", "two", "depthwise", "other"],
                          p=[0.55, 0.15, 0.2, 0.1])
    if group_mode == "one":
        groups = 1
    elif group_mode == "two":
        if c % 2:
            return None
        groups = 2
    elif group_mode == "depthwise":
        groups = c
    else:
        divs = [d for d in range(3, c) if c % d == 0]
        if not divs:
            return None
        groups = pick(rng, divs)
    if groups == c and group_mode == "depthwise":
        mult = pick(rng, [1, 1, 2, 3])
        o = c * mult
    else:
        per = int(rng.integers(1, max(2, max_o // groups + 1)))
        if allow_big and chance(rng, 0.05):
            per = pick(rng, [63, 64, 65])
        o = groups * per
    cg = c // groups
    macs = n * oh * ow * o * kh * kw * cg
    if macs > MAX_MACS or o * kh * kw * cg > MAX_FILTER or n * oh * ow * o > MAX_OUTPUT:
        return None
    return {"kh": kh, "kw": kw, "strides": [sh, sw], "dilations": [dh, dw],
            "padding": pad, "groups": groups, "o": o, "cg": cg,
            "oh": oh, "ow": ow}


def geometry_attrs(rng, g, extra=None):
    """The attribute dictionary of a conv; defaults are sometimes omitted and
    sometimes spelled out."""
    parts = []
    explicit = chance(rng, 0.3)
    if g["strides"] != [1, 1] or explicit:
        parts.append("strides = " + i64s(g["strides"]))
    if g["dilations"] != [1, 1] or explicit:
        parts.append("dilations = " + i64s(g["dilations"]))
    if g["padding"] != [0, 0, 0, 0] or explicit:
        parts.append("padding = " + i64s(g["padding"]))
    if g["groups"] != 1 or explicit:
        parts.append("groups = %d : i64" % g["groups"])
    parts += extra or []
    return (" {" + ", ".join(parts) + "}") if parts else ""


def geometry_note(g):
    return ("k%dx%d s%s d%s pad%s g%d O%d" %
            (g["kh"], g["kw"], g["strides"], g["dilations"], g["padding"],
             g["groups"], g["o"])).replace(" ", "").replace("k", " k", 1).strip()

#===------------------------------------------------------------------------===#
# Weights
#===------------------------------------------------------------------------===#


def random_weights(rng, shape, wtype):
    """Stored and decoded weights for 'i1', 'uiM' or 'i8'."""
    if wtype == "i1":
        p = pick(rng, [0.5, 0.5, 0.1, 0.9, 0.0, 1.0], p=[0.4, 0.3, 0.1, 0.1, 0.05, 0.05])
        bits = rng.random(shape) < p
        return bits, np.where(bits, -1, 1)
    if wtype.startswith("ui"):
        m = int(wtype[2:])
        hi = 2**m - 1
        mode = rng.random()
        if mode < 0.1:
            vals = np.full(shape, hi)
        else:
            vals = rng.integers(0, hi + 1, shape)
        return vals, vals
    if wtype == "i8":
        mode = rng.random()
        if mode < 0.1:
            vals = rng.choice(np.array([-128, 127, 0, -1, 1]), shape)
        else:
            vals = rng.integers(-128, 128, shape)
        return vals, vals
    raise ValueError(wtype)

#===------------------------------------------------------------------------===#
# Epilogues
#===------------------------------------------------------------------------===#


def per_channel_or_single(rng, c, p_single=0.25):
    return 1 if chance(rng, p_single) else c


def emit_threshold(case, acc, shape, mean, std):
    rng = case.rng
    c = shape[-1]
    nt = per_channel_or_single(rng, c)
    nd = per_channel_or_single(rng, c)
    m = np.resize(mean, nt) if nt != c else mean
    s = np.resize(std, nt) if nt != c else std
    t = np.round(m + s * rng.normal(0, 1, nt)).astype(np.int64)
    if chance(rng, 0.15):
        idx = rng.integers(0, nt)
        t[idx] = pick(rng, [INT32_MIN, INT32_MAX, 0])
    t = np.clip(t, INT32_MIN, INT32_MAX)
    d = rng.random(nd) < pick(rng, [0.5, 0.25, 0.0, 1.0], p=[0.5, 0.3, 0.1, 0.1])
    tc = case.param(t, "i32", "thr")
    dc = case.param(d, "i1", "dir")
    case.note("threshold t%d d%d" % (nt, nd))
    return case.op("bnn.threshold %s, %s, %s : %s, %s, %s -> %s" %
                   (acc, tc, dc, ty(shape, "i32"), ty([nt], "i32"),
                    ty([nd], "i1"), ty(shape, "i1")),
                   ("threshold", [acc, tc, dc], {}))


def emit_multi_threshold(case, acc, shape, mean, std, elem):
    """bnn.multi_threshold of an accumulator into elem (uiK): up to 2^K - 1
    thresholds per channel (or one row for all), spread over about two
    standard deviations around the mean, sometimes unsorted, repeated or
    extreme."""
    rng = case.rng
    c = shape[-1]
    levels = 2**int(elem[2:]) - 1
    nt = levels if chance(rng, 0.7) else int(rng.integers(1, levels + 1))
    rows = per_channel_or_single(rng, c)
    if rows * nt > 8000:
        rows = 1  # keeps the module text small (ui8 has 255 columns)
    nd = per_channel_or_single(rng, c)
    mean, std = np.asarray(mean, np.float64), np.asarray(std, np.float64)
    m = mean if rows == c else np.full(1, np.mean(mean))
    sd = std if rows == c else np.full(1, np.mean(std))
    span = np.linspace(-2.0, 2.0, nt) + rng.normal(0, 0.1, (rows, nt))
    t = np.round(m[:, None] + sd[:, None] * span)
    mode = rng.random()
    if mode < 0.15:
        t = rng.permuted(t, axis=1)  # unsorted rows
    elif mode < 0.25 and nt > 1:
        t[:, 1::2] = t[:, 0:nt - 1:2]  # repeated thresholds
    if chance(rng, 0.15):
        t[rng.integers(0, rows), rng.integers(0, nt)] = pick(rng, [INT32_MIN, INT32_MAX, 0])
    t = np.clip(t, INT32_MIN, INT32_MAX).astype(np.int64)
    d = rng.random(nd) < pick(rng, [0.5, 0.25, 0.0, 1.0], p=[0.5, 0.3, 0.1, 0.1])
    tc = case.param(t, "i32", "mthr")
    dc = case.param(d, "i1", "mdir")
    case.note("multi_threshold %s t%dx%d d%d" % (elem, rows, nt, nd))
    return case.op("bnn.multi_threshold %s, %s, %s : %s, %s, %s -> %s" %
                   (acc, tc, dc, ty(shape, "i32"), ty([rows, nt], "i32"),
                    ty([nd], "i1"), ty(shape, elem)),
                   ("multi_threshold", [acc, tc, dc], {"elem": elem}))


def emit_binarize_glue(case, acc, shape, mean, std):
    """Binarizes an accumulator through float glue, acc_to_float ->
    [tosa.mul -> tosa.add -> [tosa.sub]] -> binarize, which bnn-fuse-glue
    folds into a threshold, with the sign change inside the accumulator
    range. Drawn from case.glue_rng so that choosing a threshold instead
    leaves the case's own stream untouched."""
    rng = case.glue_rng
    c = shape[-1]
    t0 = mean + std * rng.normal(0, 1, c)
    sign = rng.choice([1.0, -1.0], c, p=[0.7, 0.3])
    if chance(rng, 0.2):
        # Powers of two and integer boundaries: the value is exactly 0 at
        # the boundary accumulator.
        slope = sign * np.ldexp(1.0, rng.integers(-8, 1, c))
        t0 = np.round(t0)
    else:
        slope = sign * rng.uniform(0.5, 2.0, c) / std
    if chance(rng, 0.1):
        slope[rng.integers(0, c)] = 0.0
    chain = chance(rng, 0.5)
    if not chain:
        mult, bias = slope, -slope * t0
    else:
        mult = np.full(1, 1.0 / float(np.mean(std)))
        bias = rng.normal(0, 0.05, 1)
    mult, bias = mult.astype(np.float32), bias.astype(np.float32)
    mc = case.param(mult, "f32", "mul")
    bc = case.param(bias, "f32", "bias")
    v = case.op("bnn.acc_to_float %s, %s, %s : %s, %s, %s -> %s" %
                (acc, mc, bc, ty(shape, "i32"), ty([len(mult)], "f32"),
                 ty([len(bias)], "f32"), ty(shape, "f32")),
                ("acc_to_float", [acc, mc, bc], {}))
    ft = ty(shape, "f32")
    cshape = [1] * (len(shape) - 1) + [c]
    if chain:
        # value = (f32(acc) m + b) k + a [- d] with the sign change near t0.
        k = (slope / float(mult[0])).astype(np.float32)
        a = (-slope * t0 - float(bias[0]) * k).astype(np.float32)
        shift = case.tosa_const(np.zeros(1, np.int64), "i8", "shift")
        kc = case.tosa_const(k.reshape(cshape), "f32", "k")
        ac = case.tosa_const(a.reshape(cshape), "f32", "a")
        v = case.op("tosa.mul %s, %s, %s : (%s, %s, tensor<1xi8>) -> %s" %
                    (v, kc, shift, ft, ty(cshape, "f32"), ft))
        v = case.op("tosa.add %s, %s : (%s, %s) -> %s" %
                    (ac, v, ty(cshape, "f32"), ft, ft))
        if chance(rng, 0.5):
            dshape = [1] * len(shape)
            dc = case.tosa_const(rng.normal(0, 0.1, dshape).astype(np.float32),
                                 "f32", "d")
            v = case.op("tosa.sub %s, %s : (%s, %s) -> %s" %
                        (v, dc, ft, ty(dshape, "f32"), ft))
    case.note("binarize glue%s m%d b%d" % (" mul/add" if chain else "",
                                            len(mult), len(bias)))
    return case.op("bnn.binarize %s : %s -> %s" % (v, ft, ty(shape, "i1")),
                   ("binarize", [v], {}))


def emit_binary_activation(case, acc, shape, mean, std, p_glue=0.25):
    """The binary activation of an accumulator: usually bnn.threshold,
    sometimes float glue ending in bnn.binarize."""
    if chance(case.glue_rng, p_glue):
        return emit_binarize_glue(case, acc, shape, mean, std)
    return emit_threshold(case, acc, shape, mean, std)



def emit_binary_tail(case, rng, acc, shape, m, s, max_o):
    """Ends a chain: binarizes the accumulator and, when a geometry fits, a
    binary convolution (at most `max_o` outputs) with an epilogue."""
    b = emit_binary_activation(case, acc, shape, m, s)
    for _ in range(100):
        g2 = sample_conv_geometry(rng, *shape, max_o=max_o, allow_big=False)
        if g2:
            break
    else:
        case.ret(b, shape, "i1")
        return
    acc, shape, m, s = emit_conv(case, "binary", b, shape, "i1", None, g2)
    val, elem = emit_epilogue(case, acc, shape, m, s, [0.25, 0.25, 0.25, 0.25])
    case.ret(val, shape, elem)

def emit_acc_to_float(case, acc, shape, std):
    rng = case.rng
    c = shape[-1]
    nm = per_channel_or_single(rng, c)
    nb = per_channel_or_single(rng, c)
    scale = 1.0 / float(np.mean(std))
    mode = rng.random()
    if mode < 0.2:
        mult = np.ldexp(1.0, rng.integers(-8, 3, nm)) * pick(rng, [1, -1])
    elif mode < 0.3:
        mult = rng.choice(np.array([0.0, 1.0, -1.0, 0.1, 1.0 / 3]), nm)
    else:
        mult = rng.normal(0, scale, nm)
    bias = rng.normal(0, 1, nb) if chance(rng, 0.8) else np.zeros(nb)
    mult = mult.astype(np.float32)
    bias = bias.astype(np.float32)
    mc = case.param(mult, "f32", "mul")
    bc = case.param(bias, "f32", "bias")
    case.note("acc_to_float m%d b%d" % (nm, nb))
    return case.op("bnn.acc_to_float %s, %s, %s : %s, %s, %s -> %s" %
                   (acc, mc, bc, ty(shape, "i32"), ty([nm], "f32"),
                    ty([nb], "f32"), ty(shape, "f32")),
                   ("acc_to_float", [acc, mc, bc], {}))


def requantize_params(rng, c, std):
    ns = per_channel_or_single(rng, c)
    target = pick(rng, [20.0, 60.0, 200.0])
    base = target / max(float(np.mean(std)), 1.0)
    mode = rng.random()
    if mode < 0.35:
        # Powers of two: many products end in .5 exactly (ties).
        e = np.round(np.log2(base)) + rng.integers(-1, 2, ns)
        scale = np.ldexp(1.0, e.astype(np.int64))
    elif mode < 0.45:
        scale = rng.choice(np.array([0.5, 0.25, 1.5, 2.5, 0.125]), ns)
    elif mode < 0.5:
        scale = rng.choice(np.array([1e30, 1e-30, 0.0, -0.5, 3.0e9]), ns)
    else:
        scale = rng.uniform(0.3, 2.0, ns) * base * pick(rng, [1, 1, 1, -1])
    scale = scale.astype(np.float32)
    if chance(rng, 0.03):
        scale[rng.integers(0, ns)] = np.float32("nan")
    zp = pick(rng, [0, 0, -128, 127, int(rng.integers(-128, 128))])
    if chance(rng, 0.3):
        lo, hi = -128, 127
    elif chance(rng, 0.4):
        lo, hi = zp, 127  # fused ReLU
    else:
        lo, hi = sorted(int(x) for x in rng.integers(-128, 128, 2))
    return scale, zp, lo, hi


def emit_requantize(case, acc, shape, std):
    rng = case.rng
    c = shape[-1]
    scale, zp, lo, hi = requantize_params(rng, c, std)
    sc = case.param(scale, "f32", "scale")
    attrs = []
    if zp != 0 or chance(rng, 0.3):
        attrs.append("output_zero_point = %d : i64" % zp)
    if lo != -128 or chance(rng, 0.3):
        attrs.append("clamp_min = %d : i64" % lo)
    if hi != 127 or chance(rng, 0.3):
        attrs.append("clamp_max = %d : i64" % hi)
    a = (" {" + ", ".join(attrs) + "}") if attrs else ""
    case.note("requantize s%d zp%d clamp[%d,%d]" % (len(scale), zp, lo, hi))
    return case.op("bnn.requantize %s, %s%s : %s, %s -> %s" %
                   (acc, sc, a, ty(shape, "i32"), ty([len(scale)], "f32"),
                    ty(shape, "i8")),
                   ("requantize", [acc, sc], {"zp": zp, "lo": lo, "hi": hi}))


def emit_epilogue(case, acc, shape, mean, std, weights):
    """Optionally ends an accumulator with an epilogue; returns the final
    value and element type."""
    choice = pick(case.rng, ["none", "threshold", "acc_to_float", "requantize"],
                  p=weights)
    if choice == "threshold":
        return emit_threshold(case, acc, shape, mean, std), "i1"
    if choice == "acc_to_float":
        return emit_acc_to_float(case, acc, shape, std), "f32"
    if choice == "requantize":
        return emit_requantize(case, acc, shape, std), "i8"
    return acc, "i32"

#===------------------------------------------------------------------------===#
# Quantization
#===------------------------------------------------------------------------===#

QUANTIZED_ELEMS = ["i8"] + ["ui%d" % k for k in range(1, 9)]


def quantized_range(elem):
    """The values of a bnn.quantize result type: [-128, 127] for i8,
    [0, 2^k - 1] for uik."""
    if elem == "i8":
        return -128, 127
    return 0, 2**int(elem[2:]) - 1


def quantize_params(rng, c, elem, spread):
    """Scale, zero point and clamps (None: omitted, i.e. the type's bound)
    of a bnn.quantize whose input has about the given spread (a power of
    two)."""
    tlo, thi = quantized_range(elem)
    ns = per_channel_or_single(rng, c)
    # Products of about +-span/2: the clamps matter for some elements.
    base = max(thi - tlo, 1) / (4.0 * spread)
    mode = rng.random()
    if mode < 0.4:
        # Powers of two: inputs on power-of-two grids give exact ties.
        e = np.round(np.log2(base)) + rng.integers(-1, 2, ns)
        scale = np.ldexp(1.0, e.astype(np.int64))
    elif mode < 0.5:
        scale = rng.choice(np.array([0.5, 0.25, 1.5, 2.5, 0.125, 1.0 / 3]), ns)
    elif mode < 0.56:
        scale = rng.choice(np.array([1e30, 1e-30, 0.0, -0.5, 3.0e9, np.inf, -np.inf]), ns)
    else:
        scale = rng.uniform(0.3, 2.0, ns) * base * pick(rng, [1, 1, 1, 1, -1])
    scale = scale.astype(np.float32)
    if chance(rng, 0.03):
        scale[rng.integers(0, ns)] = np.float32("nan")
    zp = pick(rng, [0, 0, tlo, thi, int(rng.integers(tlo, thi + 1))])
    mode = rng.random()
    if mode < 0.45:
        lo, hi = None, None
    elif mode < 0.55:
        lo, hi = tlo, thi  # the defaults, spelled out
    elif mode < 0.7:
        lo, hi = zp, None  # fused ReLU
    elif mode < 0.75:
        lo = hi = int(rng.integers(tlo, thi + 1))
    else:
        lo, hi = sorted(int(x) for x in rng.integers(tlo, thi + 1, 2))
        if chance(rng, 0.3):
            lo = None
        elif chance(rng, 0.3):
            hi = None
    return scale, zp, lo, hi


def quantized_input(case, shape, spread=None):
    """An f32 argument to quantize: about N(0, spread) with grid values
    (ties) and special floats (.npy), or the tools' uniform [-1, 1)."""
    rng = case.rng
    if spread is None and chance(rng, 0.2):
        return case.arg(shape, "f32"), 0.5
    if spread is None:
        spread = float(np.ldexp(1.0, int(rng.integers(-3, 7))))
    return case.arg(shape, "f32", dist="qf32:%r" % spread), spread


def emit_quantize(case, x, shape, elem, spread):
    """Returns (zero point, value)."""
    rng = case.rng
    scale, zp, lo, hi = quantize_params(rng, shape[-1], elem, spread)
    sc = case.param(scale, "f32", "qscale")
    attrs = []
    if zp != 0 or chance(rng, 0.3):
        attrs.append("zero_point = %d : i64" % zp)
    if lo is not None:
        attrs.append("clamp_min = %d : i64" % lo)
    if hi is not None:
        attrs.append("clamp_max = %d : i64" % hi)
    if len(attrs) > 1 and chance(rng, 0.5):
        attrs.reverse()
    a = (" {" + ", ".join(attrs) + "}") if attrs else ""
    tlo, thi = quantized_range(elem)
    lo = tlo if lo is None else lo
    hi = thi if hi is None else hi
    case.note("quantize %s s%d zp%d clamp[%d,%d]" % (elem, len(scale), zp, lo, hi))
    return zp, case.op("bnn.quantize %s, %s%s : %s, %s -> %s" %
                   (x, sc, a, ty(shape, "f32"), ty([len(scale)], "f32"),
                    ty(shape, elem)),
                   ("quantize", [x, sc], {"zp": zp, "lo": lo, "hi": hi, "elem": elem}))

#===------------------------------------------------------------------------===#
# Products
#===------------------------------------------------------------------------===#


def activation_elem(kind, rng):
    if kind == "binary":
        return "i1", None
    if kind == "lowbit":
        k = int(rng.integers(1, 9))
        return "ui%d" % k, k
    return "i8", None


def weight_type(kind, rng):
    if kind == "binary":
        return "i1"
    if kind == "lowbit":
        if chance(rng, 0.4):
            return "i1"
        return "ui%d" % (int(rng.integers(1, 5)) if chance(rng, 0.8)
                         else int(rng.integers(5, 9)))
    return "i8"


def int8_zero_points(rng, o):
    izp = pick(rng, [0, -128, 127, int(rng.integers(-128, 128)),
                     int(rng.integers(-10, 11))])
    mode = rng.random()
    if mode < 0.3:
        wzp = None
    elif mode < 0.55:
        wzp = [pick(rng, [0, -128, 127, int(rng.integers(-128, 128))])]
    else:
        wzp = [int(x) for x in rng.integers(-128, 128, o)]
        if chance(rng, 0.3):
            wzp[0] = -128
            wzp[-1] = 127
    return izp, wzp


def emit_conv(case, kind, x, xshape, xelem, xbits, g, wtype=None, pad_value=None,
              izp=None):
    """Emits a conv of the given kind on value x; returns (acc, shape, mean,
    std). izp, when given, replaces the drawn int8 input zero point (after
    the draw, so the stream is the same either way)."""
    rng = case.rng
    n, h, w, c = xshape
    wtype = wtype or weight_type(kind, rng)
    pv, zp, wzp = "zero", 0, None
    fshape = [g["o"], g["kh"], g["kw"], g["cg"]]
    stored, dec = random_weights(rng, fshape, wtype)
    wc = case.param(stored, wtype, "w")
    extra = []
    zp = 0
    if kind == "binary":
        pv = pad_value or pick(rng, ["zero", "plus_one", "minus_one"])
        if pv != "zero" or chance(rng, 0.3):
            extra.append("pad_value = #bnn.pad_value<%s>" % pv)
        opname = "bnn.binary_conv2d"
        mean, var = elem_stats("binary")
        case.note("binary_conv2d %s pad_value=%s" % (geometry_note(g), pv))
    elif kind == "lowbit":
        opname = "bnn.bitserial_conv2d"
        mean, var = elem_stats("lowbit", xbits)
        case.note("bitserial_conv2d %s x %s %s" % (xelem, wtype, geometry_note(g)))
    else:
        opname = "bnn.int8_conv2d"
        zp, wzp = int8_zero_points(rng, g["o"])
        if izp is not None:
            zp = izp
        if zp != 0 or chance(rng, 0.3):
            extra.append("input_zero_point = %d : i64" % zp)
        if wzp is not None:
            extra.append("weight_zero_point = " + i64s(wzp))
            dec = dec - np.array(wzp).reshape(-1, 1, 1, 1)
        mean, var = elem_stats("int8", zp=zp)
        case.note("int8_conv2d izp=%d wzp=%s %s" %
                  (zp, "none" if wzp is None else
                   (str(wzp[0]) if len(wzp) == 1 else "per-channel"),
                   geometry_note(g)))
    rshape = [n, g["oh"], g["ow"], g["o"]]
    acc = case.op("%s %s, %s%s : %s, %s -> %s" %
                  (opname, x, wc, geometry_attrs(rng, g, extra), ty(xshape, xelem),
                   ty(fshape, wtype), ty(rshape, "i32")),
                  ("conv", [x, wc], {"kind": kind, "geometry": g, "pad_value": pv,
                                     "izp": zp, "wzp": wzp, "welem": wtype}))
    m, s = acc_stats(dec, mean, var)
    return acc, rshape, m, s


def emit_dense(case, kind, x, xshape, xelem, xbits, o, wtype=None, izp=None):
    rng = case.rng
    n, k = xshape
    wtype = wtype or weight_type(kind, rng)
    zp, wzp = 0, None
    stored, dec = random_weights(rng, [o, k], wtype)
    wc = case.param(stored, wtype, "w")
    attrs = []
    if kind == "binary":
        opname = "bnn.binary_dense"
        mean, var = elem_stats("binary")
        case.note("binary_dense N%d K%d O%d" % (n, k, o))
    elif kind == "lowbit":
        opname = "bnn.bitserial_dense"
        mean, var = elem_stats("lowbit", xbits)
        case.note("bitserial_dense %s x %s N%d K%d O%d" % (xelem, wtype, n, k, o))
    else:
        opname = "bnn.int8_dense"
        zp, wzp = int8_zero_points(rng, o)
        if izp is not None:
            zp = izp
        if zp != 0 or chance(rng, 0.3):
            attrs.append("input_zero_point = %d : i64" % zp)
        if wzp is not None:
            attrs.append("weight_zero_point = " + i64s(wzp))
            dec = dec - np.array(wzp).reshape(-1, 1)
        mean, var = elem_stats("int8", zp=zp)
        case.note("int8_dense izp=%d wzp=%s N%d K%d O%d" %
                  (zp, "none" if wzp is None else
                   (str(wzp[0]) if len(wzp) == 1 else "per-channel"), n, k, o))
    a = (" {" + ", ".join(attrs) + "}") if attrs else ""
    rshape = [n, o]
    acc = case.op("%s %s, %s%s : %s, %s -> %s" %
                  (opname, x, wc, a, ty(xshape, xelem), ty([o, k], wtype),
                   ty(rshape, "i32")),
                  ("dense", [x, wc], {"kind": kind, "izp": zp, "wzp": wzp, "welem": wtype}))
    m, s = acc_stats(dec, mean, var)
    return acc, rshape, m, s

#===------------------------------------------------------------------------===#
# Case kinds
#===------------------------------------------------------------------------===#


def spatial(rng, lo=1, hi=9):
    return int(rng.integers(lo, hi + 1))


def batch(rng):
    return pick(rng, [1, 1, 1, 2, 2, 3], p=[0.5, 0.1, 0.1, 0.15, 0.1, 0.05])



def kind_conv(case, kind):
    rng = case.rng
    wide = chance(rng, 0.05)
    for _ in range(200):
        n, h, w, c = batch(rng), spatial(rng), spatial(rng), channels(rng)
        if wide:
            # Several 64-bit words per pixel: whole vectors of words, not
            # only remainders.
            h, w = spatial(rng, 1, 5), spatial(rng, 1, 5)
            c = pick(rng, WIDE_CHANNELS)
        g = sample_conv_geometry(rng, n, h, w, c, max_o=8 if wide else 24)
        if g:
            break
    else:
        raise RuntimeError("no conv geometry found")
    xelem, xbits = activation_elem(kind, rng)
    case.kind = {"binary": "binary_conv2d", "lowbit": "bitserial_conv2d",
                 "int8": "int8_conv2d"}[kind]
    case.note("input %s" % ty([n, h, w, c], xelem))
    x = case.arg([n, h, w, c], xelem, bits=xbits)
    acc, shape, m, s = emit_conv(case, kind, x, [n, h, w, c], xelem, xbits, g)
    weights = ([0.35, 0.2, 0.2, 0.25] if kind != "int8" else [0.3, 0.1, 0.15, 0.45])
    val, elem = emit_epilogue(case, acc, shape, m, s, weights)
    case.ret(val, shape, elem)


def kind_dense(case, kind):
    rng = case.rng
    n = pick(rng, [1, 1, 2, 3, 4])
    k = pick(rng, SPECIAL_K) if chance(rng, 0.5) else int(rng.integers(1, 301))
    o = pick(rng, [1, 2, 3, 10, 16, 33, 64, 65]) if chance(rng, 0.4) else int(rng.integers(1, 41))
    xelem, xbits = activation_elem(kind, rng)
    case.kind = {"binary": "binary_dense", "lowbit": "bitserial_dense",
                 "int8": "int8_dense"}[kind]
    x = case.arg([n, k], xelem, bits=xbits)
    acc, shape, m, s = emit_dense(case, kind, x, [n, k], xelem, xbits, o)
    weights = ([0.35, 0.2, 0.2, 0.25] if kind != "int8" else [0.3, 0.1, 0.15, 0.45])
    val, elem = emit_epilogue(case, acc, shape, m, s, weights)
    case.ret(val, shape, elem)


def sample_pool(rng, h, w):
    for _ in range(100):
        kh = int(rng.integers(1, 4))
        kw = kh if chance(rng, 0.6) else int(rng.integers(1, 4))
        sh = int(rng.integers(1, 4))
        sw = sh if chance(rng, 0.6) else int(rng.integers(1, 4))
        pad = [int(rng.integers(0, kh)), int(rng.integers(0, kh)),
               int(rng.integers(0, kw)), int(rng.integers(0, kw))]
        if chance(rng, 0.3):
            pad = [0, 0, 0, 0]
        oh = (h + pad[0] + pad[1] - kh) // sh + 1
        ow = (w + pad[2] + pad[3] - kw) // sw + 1
        if oh >= 1 and ow >= 1:
            return {"kernel": [kh, kw], "strides": [sh, sw], "padding": pad,
                    "oh": oh, "ow": ow}
    return None


def emit_max_pool(case, x, shape, p):
    rng = case.rng
    parts = ["kernel = " + i64s(p["kernel"])]
    if p["strides"] != [1, 1] or chance(rng, 0.3):
        parts.append("strides = " + i64s(p["strides"]))
    if p["padding"] != [0, 0, 0, 0] or chance(rng, 0.3):
        parts.append("padding = " + i64s(p["padding"]))
    rshape = [shape[0], p["oh"], p["ow"], shape[3]]
    case.note("binary_max_pool2d k%s s%s pad%s" %
              (p["kernel"], p["strides"], p["padding"]))
    v = case.op("bnn.binary_max_pool2d %s {%s} : %s -> %s" %
                (x, ", ".join(parts), ty(shape, "i1"), ty(rshape, "i1")),
                ("max_pool", [x], p))
    return v, rshape


def kind_max_pool(case):
    rng = case.rng
    case.kind = "binary_max_pool2d"
    while True:
        n, h, w, c = batch(rng), spatial(rng), spatial(rng), channels(rng)
        p = sample_pool(rng, h, w)
        if p:
            break
    dist = pick(rng, ["uniform", "sparse1", "dense1"])
    x = case.arg([n, h, w, c], "i1", dist=dist)
    case.note("input %s %s" % (ty([n, h, w, c], "i1"), dist))
    v, rshape = emit_max_pool(case, x, [n, h, w, c], p)
    case.ret(v, rshape, "i1")


def random_shape(rng, max_elems=4000):
    while True:
        rank = int(rng.integers(1, 5))
        shape = [int(rng.integers(1, 10)) for _ in range(rank)]
        shape[-1] = channels(rng)
        if int(np.prod(shape)) <= max_elems:
            return shape


def kind_binarize(case):
    rng = case.rng
    case.kind = "binarize"
    shape = random_shape(rng)
    x = case.arg(shape, "f32", dist="special_f32")
    v = case.op("bnn.binarize %s : %s -> %s" % (x, ty(shape, "f32"), ty(shape, "i1")),
                ("binarize", [x], {}))
    case.note("shape %s" % shape)
    if chance(rng, 0.4):
        v = case.op("bnn.unbinarize %s : %s -> %s" % (v, ty(shape, "i1"), ty(shape, "f32")),
                    ("unbinarize", [v], {}))
        case.note("then unbinarize")
        case.ret(v, shape, "f32")
    else:
        case.ret(v, shape, "i1")


def kind_unbinarize(case):
    rng = case.rng
    case.kind = "unbinarize"
    shape = random_shape(rng)
    x = case.arg(shape, "i1")
    v = case.op("bnn.unbinarize %s : %s -> %s" % (x, ty(shape, "i1"), ty(shape, "f32")),
                ("unbinarize", [x], {}))
    case.note("shape %s" % shape)
    case.ret(v, shape, "f32")


def kind_epilogue(case):
    """An epilogue on an i32 argument with accumulator-like or extreme
    values."""
    rng = case.rng
    which = pick(rng, ["threshold", "acc_to_float", "requantize"])
    case.kind = which
    shape = random_shape(rng, 3000)
    c = shape[-1]
    spread = float(pick(rng, [10, 100, 3000, 2**20]))
    dist = "acc:%d" % spread
    if which == "acc_to_float" and chance(rng, 0.4):
        dist = "wide_i32"
        spread = 2.0**30
    x = case.arg(shape, "i32", dist=dist)
    case.note("input %s %s" % (ty(shape, "i32"), dist))
    mean = np.zeros(c)
    std = np.full(c, spread)
    if which == "threshold":
        v, e = emit_threshold(case, x, shape, mean, std), "i1"
    elif which == "acc_to_float":
        v, e = emit_acc_to_float(case, x, shape, std), "f32"
    else:
        v, e = emit_requantize(case, x, shape, std), "i8"
    case.ret(v, shape, e)


def kind_binarize_product(case):
    """f32 -> binarize -> binary conv/dense -> epilogue (bitpack fusion of
    the producer)."""
    rng = case.rng
    if chance(rng, 0.5):
        case.kind = "binarize_dense"
        n = pick(rng, [1, 2, 3])
        k = pick(rng, SPECIAL_K) if chance(rng, 0.5) else int(rng.integers(1, 301))
        o = int(rng.integers(1, 33))
        x = case.arg([n, k], "f32")
        b = case.op("bnn.binarize %s : %s -> %s" % (x, ty([n, k], "f32"), ty([n, k], "i1")),
                    ("binarize", [x], {}))
        acc, shape, m, s = emit_dense(case, "binary", b, [n, k], "i1", None, o)
    else:
        case.kind = "binarize_conv"
        while True:
            n, h, w, c = batch(rng), spatial(rng), spatial(rng), channels(rng)
            g = sample_conv_geometry(rng, n, h, w, c)
            if g:
                break
        x = case.arg([n, h, w, c], "f32")
        case.note("input %s" % ty([n, h, w, c], "f32"))
        b = case.op("bnn.binarize %s : %s -> %s" %
                    (x, ty([n, h, w, c], "f32"), ty([n, h, w, c], "i1")),
                    ("binarize", [x], {}))
        acc, shape, m, s = emit_conv(case, "binary", b, [n, h, w, c], "i1", None, g)
    val, elem = emit_epilogue(case, acc, shape, m, s, [0.2, 0.4, 0.4, 0.0])
    if elem == "i1" and chance(rng, 0.5):
        val = case.op("bnn.unbinarize %s : %s -> %s" % (val, ty(shape, "i1"), ty(shape, "f32")),
                      ("unbinarize", [val], {}))
        elem = "f32"
    case.ret(val, shape, elem)


def kind_resnet(case):
    """tosa.conv2d stem -> binarize -> binary conv -> threshold -> binary conv
    -> acc_to_float -> tosa.add residual -> avg_pool2d -> matmul."""
    rng = case.rng
    case.kind = "chain_resnet"
    n = pick(rng, [1, 1, 2])
    h, w = spatial(rng, 2, 8), spatial(rng, 2, 8)
    cin = int(rng.integers(1, 5))
    c = channels(rng, 70)
    classes = int(rng.integers(1, 11))
    zp = case.tosa_const(np.zeros(1, np.float32), "f32", "zp")
    x = case.arg([n, h, w, cin], "f32")
    case.note("input %s C%d classes%d" % (ty([n, h, w, cin], "f32"), c, classes))
    sw_ = rng.normal(0, 0.5, (c, 3, 3, cin)).astype(np.float32)
    sb = rng.normal(0, 0.1, (c,)).astype(np.float32)
    swc = case.tosa_const(sw_, "f32", "stem_w")
    sbc = case.tosa_const(sb, "f32", "stem_b")
    act = [n, h, w, c]
    stem = case.op("tosa.conv2d %s, %s, %s, %s, %s {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, "
                   "stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (%s, %s, %s, tensor<1xf32>, tensor<1xf32>) -> %s"
                   % (x, swc, sbc, zp, zp, ty([n, h, w, cin], "f32"), ty(sw_.shape, "f32"),
                      ty(sb.shape, "f32"), ty(act, "f32")),
                   ("tosa_conv2d", [x, swc, sbc], {"pad": [1, 1, 1, 1]}))
    a0 = case.op("bnn.binarize %s : %s -> %s" % (stem, ty(act, "f32"), ty(act, "i1")),
                 ("binarize", [stem], {}))

    def same_geometry():
        k = pick(rng, [1, 3, 3])
        d = pick(rng, [1, 1, 2]) if k == 3 else 1
        p = d * (k - 1) // 2
        return {"kh": k, "kw": k, "strides": [1, 1], "dilations": [d, d],
                "padding": [p, p, p, p], "groups": 1, "o": c, "cg": c,
                "oh": h, "ow": w}

    acc1, shape1, m1, s1 = emit_conv(case, "binary", a0, act, "i1", None, same_geometry())
    a1 = emit_threshold(case, acc1, shape1, m1, s1)
    acc2, shape2, m2, s2 = emit_conv(case, "binary", a1, act, "i1", None, same_geometry())
    # Batch-norm-like scale and shift.
    mult = rng.normal(1.0 / float(np.mean(s2)), 0.3 / float(np.mean(s2)), c).astype(np.float32)
    bias = rng.normal(0, 0.2, c).astype(np.float32)
    mc = case.param(mult, "f32", "mul")
    bc = case.param(bias, "f32", "bias")
    f2 = case.op("bnn.acc_to_float %s, %s, %s : %s, %s, %s -> %s" %
                 (acc2, mc, bc, ty(act, "i32"), ty([c], "f32"), ty([c], "f32"), ty(act, "f32")),
                 ("acc_to_float", [acc2, mc, bc], {}))
    res = case.op("tosa.add %s, %s : (%s, %s) -> %s" %
                  (f2, stem, ty(act, "f32"), ty(act, "f32"), ty(act, "f32")),
                  ("tosa_add", [f2, stem], {}))
    if chance(rng, 0.3):
        res = case.op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64: 3, 3>, "
                      "stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (%s, tensor<1xf32>, tensor<1xf32>) -> %s"
                      % (res, zp, zp, ty(act, "f32"), ty(act, "f32")),
                      ("tosa_avg_pool2d", [res], {"kernel": [3, 3], "pad": [1, 1, 1, 1]}))
        case.note("avg_pool 3x3 pad 1")
    pooled = [n, 1, 1, c]
    pool = case.op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64: %d, %d>, "
                   "stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (%s, tensor<1xf32>, tensor<1xf32>) -> %s"
                   % (res, zp, zp, h, w, ty(act, "f32"), ty(pooled, "f32")),
                   ("tosa_avg_pool2d", [res], {"kernel": [h, w], "pad": [0, 0, 0, 0]}))
    s3 = case.op("tosa.const_shape {values = dense<[1, %d, %d]> : tensor<3xindex>} : () -> !tosa.shape<3>" % (n, c),
                 ("shape", [], {}))
    flat = case.op("tosa.reshape %s, %s : (%s, !tosa.shape<3>) -> %s" %
                   (pool, s3, ty(pooled, "f32"), ty([1, n, c], "f32")),
                   ("collapse", [pool], {"shape": [1, n, c]}))
    fw = rng.normal(0, 0.3, (1, c, classes)).astype(np.float32)
    fb = rng.normal(0, 0.1, (1, 1, classes)).astype(np.float32)
    fwc = case.tosa_const(fw, "f32", "fc_w")
    fbc = case.tosa_const(fb, "f32", "fc_b")
    logits = case.op("tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>, tensor<1xf32>) -> %s" %
                     (flat, fwc, zp, zp, ty([1, n, c], "f32"), ty(fw.shape, "f32"),
                      ty([1, n, classes], "f32")),
                     ("tosa_matmul", [flat, fwc], {}))
    out = case.op("tosa.add %s, %s : (%s, %s) -> %s" %
                  (logits, fbc, ty([1, n, classes], "f32"), ty(fb.shape, "f32"),
                   ty([1, n, classes], "f32")),
                  ("tosa_add", [logits, fbc], {}))
    case.ret(out, [1, n, classes], "f32")
    if chance(rng, 0.3):
        case.ret(a1, act, "i1")
        case.note("also returns the threshold output")


def flatten(case, v, shape, elem):
    n = shape[0]
    k = int(np.prod(shape[1:]))
    out = case.op("tensor.collapse_shape %s [[0], [1, 2, 3]] : %s into %s" %
                  (v, ty(shape, elem), ty([n, k], elem)),
                  ("collapse", [v], {"shape": [n, k]}))
    return out, [n, k]


def kind_binary_chain(case):
    """i1 -> binary conv -> threshold -> [max pool] -> binary conv ->
    threshold -> flatten -> binary dense -> epilogue."""
    rng = case.rng
    case.kind = "chain_binary"
    while True:
        n, h, w, c = batch(rng), spatial(rng, 3, 9), spatial(rng, 3, 9), channels(rng, 100)
        g1 = sample_conv_geometry(rng, n, h, w, c, max_o=40, group_mode=pick(rng, ["one", "two"]),
                                  allow_big=False)
        if not g1:
            continue
        break
    x = case.arg([n, h, w, c], "i1")
    case.note("input %s" % ty([n, h, w, c], "i1"))
    acc, shape, m, s = emit_conv(case, "binary", x, [n, h, w, c], "i1", None, g1)
    b = emit_binary_activation(case, acc, shape, m, s)
    extra_out = None
    if chance(rng, 0.2):
        extra_out = (b, shape, "i1")
    if chance(rng, 0.5):
        p = sample_pool(rng, shape[1], shape[2])
        if p:
            b, shape = emit_max_pool(case, b, shape, p)
    for _ in range(100):
        g2 = sample_conv_geometry(rng, *shape, max_o=24, allow_big=False)
        if g2:
            break
    else:
        g2 = None
    if g2:
        acc, shape, m, s = emit_conv(case, "binary", b, shape, "i1", None, g2)
        b = emit_binary_activation(case, acc, shape, m, s)
    fl, fshape = flatten(case, b, shape, "i1")
    o = int(rng.integers(1, 17))
    acc, shape, m, s = emit_dense(case, "binary", fl, fshape, "i1", None, o)
    val, elem = emit_epilogue(case, acc, shape, m, s, [0.3, 0.2, 0.5, 0.0])
    case.ret(val, shape, elem)
    if extra_out:
        case.ret(*extra_out)
        case.note("also returns the first threshold output")


def kind_lowbit_chain(case):
    """uiK -> bitserial conv -> threshold -> binary conv -> epilogue, or
    i8 -> int8 conv -> requantize -> int8 conv -> requantize -> flatten ->
    int8 dense -> epilogue."""
    rng = case.rng
    while True:
        n, h, w, c = batch(rng), spatial(rng, 3, 9), spatial(rng, 3, 9), channels(rng, 70)
        g1 = sample_conv_geometry(rng, n, h, w, c, max_o=32, allow_big=False)
        if g1:
            break
    if chance(rng, 0.5):
        case.kind = "chain_bitserial"
        xelem, xbits = activation_elem("lowbit", rng)
        x = case.arg([n, h, w, c], xelem, bits=xbits)
        case.note("input %s" % ty([n, h, w, c], xelem))
        acc, shape, m, s = emit_conv(case, "lowbit", x, [n, h, w, c], xelem, xbits, g1)
        emit_binary_tail(case, rng, acc, shape, m, s, max_o=24)
    else:
        case.kind = "chain_int8"
        x = case.arg([n, h, w, c], "i8")
        case.note("input %s" % ty([n, h, w, c], "i8"))
        acc, shape, m, s = emit_conv(case, "int8", x, [n, h, w, c], "i8", None, g1)
        q = emit_requantize(case, acc, shape, s)
        for _ in range(100):
            g2 = sample_conv_geometry(rng, *shape, max_o=24, allow_big=False)
            if g2:
                break
        else:
            g2 = None
        if g2:
            acc, shape, m, s = emit_conv(case, "int8", q, shape, "i8", None, g2)
            q = emit_requantize(case, acc, shape, s)
        fl, fshape = flatten(case, q, shape, "i8")
        if fshape[1] <= 2000:
            o = int(rng.integers(1, 17))
            acc, shape, m, s = emit_dense(case, "int8", fl, fshape, "i8", None, o)
            val, elem = emit_epilogue(case, acc, shape, m, s, [0.3, 0.0, 0.3, 0.4])
            case.ret(val, shape, elem)
        else:
            case.ret(fl, fshape, "i8")


def kind_quantize(case):
    """f32 (any rank, special floats) -> quantize to i8 or uiK."""
    rng = case.rng
    case.kind = "quantize"
    shape = random_shape(rng)
    elem = pick(rng, QUANTIZED_ELEMS)
    case.note("shape %s" % shape)
    x, spread = quantized_input(case, shape)
    _, v = emit_quantize(case, x, shape, elem, spread)
    case.ret(v, shape, elem)


def kind_quantize_product(case):
    """f32 -> quantize -> int8 or bit-serial conv / dense -> epilogue."""
    rng = case.rng
    kind = pick(rng, ["int8", "lowbit"])
    elem, bits = activation_elem(kind, rng)
    if chance(rng, 0.3):
        case.kind = "quantize_dense"
        n = pick(rng, [1, 1, 2, 3])
        k = pick(rng, SPECIAL_K) if chance(rng, 0.5) else int(rng.integers(1, 301))
        o = int(rng.integers(1, 33))
        x, spread = quantized_input(case, [n, k])
        qzp, q = emit_quantize(case, x, [n, k], elem, spread)
        izp = qzp if kind == "int8" and chance(rng, 0.5) else None
        acc, shape, m, s = emit_dense(case, kind, q, [n, k], elem, bits, o, izp=izp)
    else:
        case.kind = "quantize_conv"
        for _ in range(200):
            n, h, w, c = batch(rng), spatial(rng), spatial(rng), channels(rng)
            if kind == "lowbit" and chance(rng, 0.3):
                # Whole 64-bit words: bnn-fuse-bitpack fuses the quantization
                # into the packing of the bit planes.
                h, w = spatial(rng, 1, 5), spatial(rng, 1, 5)
                c = pick(rng, [64, 128, 192, 256])
            g = sample_conv_geometry(rng, n, h, w, c, max_o=16, allow_big=False)
            if g:
                break
        else:
            raise RuntimeError("no conv geometry found")
        case.note("input %s" % ty([n, h, w, c], "f32"))
        x, spread = quantized_input(case, [n, h, w, c])
        qzp, q = emit_quantize(case, x, [n, h, w, c], elem, spread)
        izp = qzp if kind == "int8" and chance(rng, 0.5) else None
        acc, shape, m, s = emit_conv(case, kind, q, [n, h, w, c], elem, bits, g, izp=izp)
    val, elem = emit_epilogue(case, acc, shape, m, s, [0.3, 0.2, 0.2, 0.3])
    case.ret(val, shape, elem)


def kind_quantize_chain(case):
    """tosa.conv2d stem -> quantize -> bit-serial conv -> threshold ->
    binary conv -> epilogue, or stem -> quantize -> int8 conv -> requantize
    -> flatten -> int8 dense -> epilogue."""
    rng = case.rng
    n = pick(rng, [1, 1, 2])
    h, w = spatial(rng, 2, 8), spatial(rng, 2, 8)
    cin = int(rng.integers(1, 5))
    c = channels(rng, 70)
    zp0 = case.tosa_const(np.zeros(1, np.float32), "f32", "zp")
    x = case.arg([n, h, w, cin], "f32")
    sw_ = rng.normal(0, 0.5, (c, 3, 3, cin)).astype(np.float32)
    sb = rng.normal(0, 0.1, (c,)).astype(np.float32)
    swc = case.tosa_const(sw_, "f32", "stem_w")
    sbc = case.tosa_const(sb, "f32", "stem_b")
    act = [n, h, w, c]
    stem = case.op("tosa.conv2d %s, %s, %s, %s, %s {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, "
                   "stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (%s, %s, %s, tensor<1xf32>, tensor<1xf32>) -> %s"
                   % (x, swc, sbc, zp0, zp0, ty([n, h, w, cin], "f32"), ty(sw_.shape, "f32"),
                      ty(sb.shape, "f32"), ty(act, "f32")),
                   ("tosa_conv2d", [x, swc, sbc], {"pad": [1, 1, 1, 1]}))
    # Uniform inputs in [-1, 1) through 9 * cin taps of weights N(0, 0.5).
    spread = float(np.ldexp(1.0, int(np.round(np.log2(0.87 * np.sqrt(cin))))))
    for _ in range(100):
        g1 = sample_conv_geometry(rng, *act, max_o=24, allow_big=False)
        if g1:
            break
    else:
        g1 = {"kh": 1, "kw": 1, "strides": [1, 1], "dilations": [1, 1],
              "padding": [0, 0, 0, 0], "groups": 1, "o": c, "cg": c, "oh": h, "ow": w}
    if chance(rng, 0.6):
        case.kind = "chain_quantize_bitserial"
        elem, bits = activation_elem("lowbit", rng)
        case.note("input %s stem C%d" % (ty([n, h, w, cin], "f32"), c))
        _, q = emit_quantize(case, stem, act, elem, spread)
        acc, shape, m, s = emit_conv(case, "lowbit", q, act, elem, bits, g1)
        emit_binary_tail(case, rng, acc, shape, m, s, max_o=16)
    else:
        case.kind = "chain_quantize_int8"
        case.note("input %s stem C%d" % (ty([n, h, w, cin], "f32"), c))
        qzp, q = emit_quantize(case, stem, act, "i8", spread)
        izp = qzp if chance(rng, 0.5) else None
        acc, shape, m, s = emit_conv(case, "int8", q, act, "i8", None, g1, izp=izp)
        q = emit_requantize(case, acc, shape, s)
        fl, fshape = flatten(case, q, shape, "i8")
        if fshape[1] <= 2000:
            o = int(rng.integers(1, 17))
            acc, shape, m, s = emit_dense(case, "int8", fl, fshape, "i8", None, o)
            val, elem = emit_epilogue(case, acc, shape, m, s, [0.3, 0.0, 0.3, 0.4])
            case.ret(val, shape, elem)
        else:
            case.ret(fl, fshape, "i8")


def kind_multi_threshold(case):
    """bnn.multi_threshold alone on an i32 argument (any rank) with
    accumulator-like or full-range values."""
    rng = case.rng
    case.kind = "multi_threshold"
    shape = random_shape(rng, 3000)
    elem, _ = activation_elem("lowbit", rng)
    spread = float(pick(rng, [10, 100, 3000, 2**20]))
    dist = "acc:%d" % spread
    if chance(rng, 0.25):
        dist, spread = "wide_i32", 2.0**30
    x = case.arg(shape, "i32", dist=dist)
    case.note("input %s %s" % (ty(shape, "i32"), dist))
    c = shape[-1]
    v = emit_multi_threshold(case, x, shape, np.zeros(c), np.full(c, spread), elem)
    case.ret(v, shape, elem)


def kind_multi_threshold_product(case):
    """binary, bit-serial or int8 conv / dense -> multi_threshold (uiK) ->
    bit-serial conv / dense -> epilogue: the k-bit activations of a
    bit-serial layer computed by thresholds (in whole 64-bit words of
    channels a third of the time, which bnn-fuse-bitpack fuses into the
    packing of the bit planes)."""
    rng = case.rng
    first = pick(rng, ["binary", "lowbit", "int8"], p=[0.4, 0.3, 0.3])
    xelem, xbits = activation_elem(first, rng)
    elem, bits = activation_elem("lowbit", rng)
    words = chance(rng, 0.35)
    if chance(rng, 0.35):
        case.kind = "multi_threshold_dense"
        n = pick(rng, [1, 1, 2, 3])
        k = pick(rng, SPECIAL_K) if chance(rng, 0.5) else int(rng.integers(1, 301))
        o = pick(rng, [64, 128]) if words else int(rng.integers(1, 41))
        x = case.arg([n, k], xelem, bits=xbits)
        acc, shape, m, s = emit_dense(case, first, x, [n, k], xelem, xbits, o)
        q = emit_multi_threshold(case, acc, shape, m, s, elem)
        acc, shape, m, s = emit_dense(case, "lowbit", q, shape, elem, bits,
                                      int(rng.integers(1, 17)))
        qshape = [n, o]
    else:
        case.kind = "multi_threshold_conv"
        for _ in range(200):
            n, h, w, c = batch(rng), spatial(rng, 2, 7), spatial(rng, 2, 7), channels(rng, 70)
            g1 = sample_conv_geometry(rng, n, h, w, c, max_o=24,
                                      group_mode="one" if words else None,
                                      allow_big=False)
            if not g1:
                continue
            if words:
                g1 = dict(g1, o=pick(rng, [64, 128]))
                taps = g1["kh"] * g1["kw"] * c
                if (n * g1["oh"] * g1["ow"] * g1["o"] * taps > MAX_MACS or
                        g1["o"] * taps > MAX_FILTER):
                    continue
            g2 = sample_conv_geometry(rng, n, g1["oh"], g1["ow"], g1["o"], max_o=16,
                                      allow_big=False)
            if g2:
                break
        else:
            raise RuntimeError("no conv geometry found")
        case.note("input %s" % ty([n, h, w, c], xelem))
        x = case.arg([n, h, w, c], xelem, bits=xbits)
        acc, shape, m, s = emit_conv(case, first, x, [n, h, w, c], xelem, xbits, g1)
        q = emit_multi_threshold(case, acc, shape, m, s, elem)
        qshape = shape
        acc, shape, m, s = emit_conv(case, "lowbit", q, shape, elem, bits, g2)
    val, e = emit_epilogue(case, acc, shape, m, s, [0.3, 0.2, 0.2, 0.3])
    case.ret(val, shape, e)
    if chance(rng, 0.2):
        case.ret(q, qshape, elem)
        case.note("also returns the multi_threshold output")


KINDS = [
    ("binary_conv2d", lambda c: kind_conv(c, "binary"), 20),
    ("bitserial_conv2d", lambda c: kind_conv(c, "lowbit"), 12),
    ("int8_conv2d", lambda c: kind_conv(c, "int8"), 10),
    ("binary_dense", lambda c: kind_dense(c, "binary"), 7),
    ("bitserial_dense", lambda c: kind_dense(c, "lowbit"), 6),
    ("int8_dense", lambda c: kind_dense(c, "int8"), 6),
    ("binary_max_pool2d", kind_max_pool, 6),
    ("binarize", kind_binarize, 3),
    ("unbinarize", kind_unbinarize, 2),
    ("epilogue", kind_epilogue, 6),
    ("binarize_product", kind_binarize_product, 5),
    ("chain_resnet", kind_resnet, 7),
    ("chain_binary", kind_binary_chain, 5),
    ("chain_lowbit", kind_lowbit_chain, 5),
]

# Kinds added after the table above was fixed, in tiers: a case takes a
# kind of a tier with the tier's probability, decided by a stream of the
# tier's own (a tag), and a later tier overrides an earlier one. Every case
# that takes no kind of a tier is exactly what it was before the tier
# existed.
LATER_KINDS = [
    ("quantize", kind_quantize, 4),
    ("quantize_product", kind_quantize_product, 4),
    ("chain_quantize", kind_quantize_chain, 2),
]
MULTI_THRESHOLD_KINDS = [
    ("multi_threshold", kind_multi_threshold, 2),
    ("multi_threshold_product", kind_multi_threshold_product, 3),
]
KIND_TIERS = [
    (LATER_KINDS, 0.12, 0x6c617465),
    (MULTI_THRESHOLD_KINDS, 0.1, 0x6d746872),
]


def generate_case(seed, i, kinds=None):
    """Case i of module seed; deterministic in (seed, i)."""
    rng = np.random.default_rng([seed, i, 0x626e6e])
    table = [k for k in KINDS if kinds is None or k[0] in kinds]
    for tier_kinds, p, tag in KIND_TIERS:
        tier = [k for k in tier_kinds if kinds is None or k[0] in kinds]
        tier_rng = np.random.default_rng([seed, i, tag])
        if tier and (not table or chance(tier_rng, p)):
            table = tier
    weights = np.array([k[2] for k in table], dtype=np.float64)
    kname, fn, _ = table[int(rng.choice(len(table), p=weights / weights.sum()))]
    case = Case("case_%d_%d" % (seed, i), rng)
    case.glue_rng = np.random.default_rng([seed, i, 0x676c7565])
    case.dynamic = chance(rng, 0.08)
    fn(case)
    if case.dynamic:
        case.note("weights and parameters as arguments")
    # Cases whose every argument is drawn uniformly use the tools' own
    # --random-inputs half of the time; the others always get .npy inputs.
    if all(a["dist"] == "uniform" for a in case.args) and chance(rng, 0.5):
        case.input_mode = "random"
    return case


def case_info(c, seed, i):
    """The description run_diff.py works from: arguments, results, input
    mode, the function text and, for cases made only of bnn operators, the
    structured record numpy_ref.py evaluates (key '_model', in-process only;
    not written to .json)."""
    info = c.info()
    info["seed"] = seed
    info["index"] = i
    info["text"] = c.text()
    if c.prog is not None:
        info["_model"] = (c.values, c.prog, [v for v, _, _ in c.results])
    return info


def generate_module(seed, cases, kinds=None):
    """Returns (module text, [case info])."""
    texts, infos = [], []
    for i in range(cases):
        info = case_info(generate_case(seed, i, kinds), seed, i)
        texts.append(info["text"])
        infos.append(info)
    header = ("// Generated by test/Differential/gen_models.py --seed %d --cases %d\n"
              % (seed, cases))
    return header + "\n".join(texts), infos

#===------------------------------------------------------------------------===#
# Inputs
#===------------------------------------------------------------------------===#

NP_DTYPES = {"f32": np.float32, "i1": np.bool_, "i8": np.int8, "i32": np.int32}


def np_dtype(elem):
    if elem.startswith("ui"):
        return np.uint8
    return NP_DTYPES[elem]


SPECIAL_FLOATS = np.array([0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf,
                           1e-45, -1e-45, 1e-40, -1e-40, 1.17549435e-38,
                           -1.17549435e-38, 3.4028235e38, -3.4028235e38,
                           1.0, -1.0, 1e-30, -1e-30], dtype=np.float32)


def make_input(arg, rng):
    """A numpy array for one argument description."""
    shape = tuple(arg["shape"])
    elem, dist = arg["elem"], arg["dist"]
    if dist == "fixed":
        return np.array(arg["fixed"]).astype(np_dtype(elem)).reshape(shape)
    if elem == "f32" and dist.startswith("qf32:"):
        # Inputs of bnn.quantize: N(0, spread), a third on grids of
        # spread/2^4 .. spread/2^10 (exact ties with power-of-two scales
        # whatever the output range), 10% special.
        spread = float(dist[5:])
        x = rng.normal(0, spread, shape)
        grid = rng.random(shape) < 0.3
        step = spread / np.ldexp(1.0, rng.choice([4, 6, 8, 10], shape))
        x = np.where(grid, np.round(x / step) * step, x)
        special = rng.random(shape) < 0.1
        return np.where(special, rng.choice(SPECIAL_FLOATS, shape), x).astype(np.float32)
    if elem == "f32" and dist.startswith("halves:"):
        # Multiples of 0.5 of about N(0, spread): ties of roundeven
        # (regression cases).
        x = np.round(rng.normal(0, float(dist[7:]), shape) * 2) / 2
        return x.astype(np.float32)
    if elem == "f32":
        x = rng.uniform(-1, 1, shape).astype(np.float32)
        if dist == "special_f32":
            mask = rng.random(shape) < 0.3
            x = np.where(mask, rng.choice(SPECIAL_FLOATS, shape), x).astype(np.float32)
        return x
    if elem == "i1":
        p = {"sparse1": 0.1, "dense1": 0.9}.get(dist, 0.5)
        return rng.random(shape) < p
    if elem.startswith("ui"):
        bits = arg["bits"] or int(elem[2:])
        return rng.integers(0, 2**bits, shape).astype(np.uint8)
    if elem == "i8":
        x = rng.integers(-128, 128, shape)
        return x.astype(np.int8)
    if elem == "i32":
        if dist == "wide_i32":
            x = rng.integers(INT32_MIN, INT32_MAX, shape, endpoint=True)
            mask = rng.random(shape) < 0.1
            x = np.where(mask, rng.choice(np.array([INT32_MIN, INT32_MAX, 0, 1, -1,
                                                    16777217, -16777217, 2**24 + 3]), shape), x)
        elif dist.startswith("acc:"):
            spread = float(dist[4:])
            x = np.round(rng.normal(0, spread, shape))
            x = np.clip(x, INT32_MIN, INT32_MAX)
        else:
            x = rng.integers(INT32_MIN, INT32_MAX, shape, endpoint=True)
        return x.astype(np.int32)
    raise ValueError(elem)


def make_inputs(info):
    rng = np.random.default_rng([info["seed"], info["index"], 0x6e7079])
    return [make_input(a, rng) for a in info["args"]]

#===------------------------------------------------------------------------===#
# Command line
#===------------------------------------------------------------------------===#


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--cases", type=int, default=16, help="cases per module")
    ap.add_argument("--case", type=int, help="print only case I as a module")
    ap.add_argument("--kinds", help="comma-separated subset of: " +
                    ", ".join(k[0] for k in KINDS + LATER_KINDS +
                              MULTI_THRESHOLD_KINDS))
    ap.add_argument("--out", help="directory for module_<seed>.mlir and .json "
                    "(default: print the module)")
    args = ap.parse_args()
    kinds = set(args.kinds.split(",")) if args.kinds else None
    if args.case is not None:
        sys.stdout.write(generate_case(args.seed, args.case, kinds).text())
        return
    text, infos = generate_module(args.seed, args.cases, kinds)
    if not args.out:
        sys.stdout.write(text)
        return
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, "module_%d" % args.seed)
    with open(base + ".mlir", "w") as f:
        f.write(text)
    with open(base + ".json", "w") as f:
        json.dump([{k: v for k, v in i.items() if not k.startswith("_")} for i in infos],
                  f, indent=1, default=lambda a: a.tolist())


if __name__ == "__main__":
    main()
