"""A second, independent model of the bnn operators in numpy.

run_diff.py evaluates every generated case that uses only bnn operators (and
tensor.collapse_shape) with this model as well, and reports any difference
from bnn-interp as an oracle mismatch: the interpreter is the reference of
the compiled code, and this model is the check of the interpreter. It works
from the structured record gen_models.py keeps of each case, written
directly from the operator definitions in BNNOps.td:

  binary values      stored 1 = -1, stored 0 = +1
  conv / dense       plain integer sums of decoded values; padding holds
                     pad_value (binary), 0 (bit-serial) or the input zero
                     point (int8, i.e. 0 after decoding)
  acc_to_float       f32(acc) * m + b, each step rounded to f32
  threshold          +1 iff acc >= t (direction false) / acc <= t (true)
  multi_threshold    the number of j with acc >= t[c, j] (direction false)
                     / acc <= t[c, j] (true), as uiK
  requantize         clamp(zp + roundeven(f32(acc) * s)); NaN -> clamp(zp)
  quantize           clamp(zp + roundeven(x * s)) as i8 or uiK; NaN ->
                     clamp(zp); +-inf saturate
  binary_max_pool2d  AND of the stored bits over the in-bounds window

and of the float glue the generated chains use, in f32 with the order of
operations of the upstream TOSA lowering (every product and sum rounded to
f32, no fused multiply-add):

  tosa.conv2d        acc = bias; acc += x * w in ky, kx, ic order; pad 0
  tosa.avg_pool2d    sum of the in-bounds inputs in ky, kx order, divided
                     by their count
  tosa.matmul        acc = 0; acc += a * b in k order
  tosa.add           elementwise with broadcasting
"""
import numpy as np


def decode_binary(bits):
    return np.where(bits, -1, 1).astype(np.int64)


def decode_weights(w, welem, wzp):
    if welem == "i1":
        return decode_binary(w)
    d = w.astype(np.int64)
    if wzp is not None:
        d = d - np.array(wzp, dtype=np.int64).reshape((-1,) + (1,) * (w.ndim - 1))
    return d


def decode_input(x, kind, izp):
    if kind == "binary":
        return decode_binary(x)
    if kind == "lowbit":
        return x.astype(np.int64)
    return x.astype(np.int64) - izp


def conv(x, w, a):
    g = a["geometry"]
    kind = a["kind"]
    xd = decode_input(x, kind, a["izp"])
    wd = decode_weights(w, a["welem"], a["wzp"])
    n, h, wi, c = xd.shape
    o, kh, kw, cg = wd.shape
    groups = g["groups"]
    pt, pb, pl, pr = g["padding"]
    sh, sw = g["strides"]
    dh, dw = g["dilations"]
    pad = {"zero": 0, "plus_one": 1, "minus_one": -1}[a["pad_value"]] if kind == "binary" else 0
    xp = np.full((n, h + pt + pb, wi + pl + pr, c), pad, dtype=np.int64)
    xp[:, pt:pt + h, pl:pl + wi, :] = xd
    oh = (h + pt + pb - dh * (kh - 1) - 1) // sh + 1
    ow = (wi + pl + pr - dw * (kw - 1) - 1) // sw + 1
    og = o // groups
    out = np.zeros((n, oh, ow, o), dtype=np.int64)
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dh, kx * dw
            win = xp[:, y0:y0 + sh * (oh - 1) + 1:sh, x0:x0 + sw * (ow - 1) + 1:sw, :]
            for gi in range(groups):
                xs = win[..., gi * cg:(gi + 1) * cg]
                ws = wd[gi * og:(gi + 1) * og, ky, kx, :]
                out[..., gi * og:(gi + 1) * og] += np.einsum("nhwc,oc->nhwo", xs, ws)
    return out


def dense(x, w, a):
    xd = decode_input(x, a["kind"], a["izp"])
    wd = decode_weights(w, a["welem"], a["wzp"])
    return xd @ wd.T


def per_channel(v, c):
    v = np.asarray(v)
    return v if v.shape[0] == c else np.repeat(v, c)


def acc_to_float(acc, m, b):
    c = acc.shape[-1]
    f = acc.astype(np.float32)
    with np.errstate(all="ignore"):
        return (f * per_channel(m, c).astype(np.float32)) + per_channel(b, c).astype(np.float32)


def threshold(acc, t, d):
    c = acc.shape[-1]
    t = per_channel(t, c).astype(np.int64)
    d = per_channel(d, c).astype(bool)
    plus = np.where(d, acc <= t, acc >= t)
    return ~plus


def multi_threshold(acc, t, d, a):
    c = acc.shape[-1]
    t = np.asarray(t, dtype=np.int64)
    if t.shape[0] != c:
        t = np.repeat(t, c, axis=0)
    d = per_channel(d, c).astype(bool)[:, None]
    x = acc.astype(np.int64)[..., None]
    counts = np.where(d, x <= t, x >= t).sum(axis=-1)
    assert counts.max(initial=0) < 2**int(a["elem"][2:])
    return counts.astype(np.uint8)


def requantize(acc, s, a):
    c = acc.shape[-1]
    with np.errstate(all="ignore"):
        p = acc.astype(np.float32) * per_channel(s, c).astype(np.float32)
        r = np.rint(p.astype(np.float64))  # half to even
        v = np.where(np.isnan(p), float(a["zp"]), a["zp"] + r)
    v = np.clip(v, a["lo"], a["hi"])
    return v.astype(np.int8)


def quantize(x, s, a):
    c = x.shape[-1]
    with np.errstate(all="ignore"):
        p = x.astype(np.float32) * per_channel(s, c).astype(np.float32)
        r = np.rint(p.astype(np.float64))  # half to even; +-inf stay
        v = np.where(np.isnan(p), float(a["zp"]), a["zp"] + r)
    v = np.clip(v, a["lo"], a["hi"])
    return v.astype(np.int8 if a["elem"] == "i8" else np.uint8)


def max_pool(x, p):
    n, h, w, c = x.shape
    kh, kw = p["kernel"]
    sh, sw = p["strides"]
    pt, pb, pl, pr = p["padding"]
    oh = (h + pt + pb - kh) // sh + 1
    ow = (w + pl + pr - kw) // sw + 1
    # Padding is ignored: pad with stored 1 (-1), the identity of AND.
    xp = np.ones((n, h + pt + pb, w + pl + pr, c), dtype=bool)
    xp[:, pt:pt + h, pl:pl + w, :] = x
    out = np.ones((n, oh, ow, c), dtype=bool)
    for ky in range(kh):
        for kx in range(kw):
            out &= xp[:, ky:ky + sh * (oh - 1) + 1:sh, kx:kx + sw * (ow - 1) + 1:sw, :]
    return out


def tosa_conv2d(x, w, b, pad):
    n, h, wi, c = x.shape
    o, kh, kw, _ = w.shape
    pt, pb, pl, pr = pad
    xp = np.zeros((n, h + pt + pb, wi + pl + pr, c), dtype=np.float32)
    xp[:, pt:pt + h, pl:pl + wi, :] = x
    oh, ow = h + pt + pb - kh + 1, wi + pl + pr - kw + 1
    acc = np.broadcast_to(np.resize(b, o).astype(np.float32), (n, oh, ow, o)).copy()
    for ky in range(kh):
        for kx in range(kw):
            for ic in range(c):
                v = xp[:, ky:ky + oh, kx:kx + ow, ic:ic + 1]
                acc = acc + v * w[:, ky, kx, ic].astype(np.float32)
    return acc


def tosa_avg_pool2d(x, kernel, pad):
    n, h, w, c = x.shape
    kh, kw = kernel
    pt, pb, pl, pr = pad
    oh, ow = h + pt + pb - kh + 1, w + pl + pr - kw + 1
    out = np.zeros((n, oh, ow, c), dtype=np.float32)
    for oy in range(oh):
        for ox in range(ow):
            s = np.zeros((n, c), dtype=np.float32)
            count = 0
            for ky in range(kh):
                for kx in range(kw):
                    y, xx = oy - pt + ky, ox - pl + kx
                    if 0 <= y < h and 0 <= xx < w:
                        s = s + x[:, y, xx, :]
                        count += 1
            out[:, oy, ox, :] = s / np.float32(count)
    return out


def tosa_matmul(a, b):
    acc = np.zeros((a.shape[0], a.shape[1], b.shape[2]), dtype=np.float32)
    for k in range(a.shape[2]):
        acc = acc + a[:, :, k:k + 1] * b[:, k:k + 1, :]
    return acc


def evaluate(values, prog, inputs, result_names):
    """Evaluates a recorded case on numpy inputs; returns the results."""
    env = {}

    def get(name):
        if name in env:
            return env[name]
        rec = values[name]
        if rec[0] == "arg":
            return inputs[rec[1]]
        if rec[0] == "const":
            return rec[1]
        raise KeyError(name)

    for name in prog:
        op, operands, attrs = values[name]
        args = [get(o) for o in operands]
        if op == "conv":
            r = conv(args[0], args[1], attrs).astype(np.int32)
        elif op == "dense":
            r = dense(args[0], args[1], attrs).astype(np.int32)
        elif op == "threshold":
            r = threshold(args[0].astype(np.int64), args[1], args[2])
        elif op == "multi_threshold":
            r = multi_threshold(args[0], args[1], args[2], attrs)
        elif op == "acc_to_float":
            r = acc_to_float(args[0], args[1], args[2])
        elif op == "requantize":
            r = requantize(args[0], args[1], attrs)
        elif op == "quantize":
            r = quantize(args[0], args[1], attrs)
        elif op == "max_pool":
            r = max_pool(args[0], attrs)
        elif op == "binarize":
            with np.errstate(invalid="ignore"):
                r = args[0] < 0
        elif op == "unbinarize":
            r = np.where(args[0], np.float32(-1), np.float32(1)).astype(np.float32)
        elif op == "collapse":
            r = args[0].reshape(attrs["shape"])
        elif op == "tosa_conv2d":
            with np.errstate(all="ignore"):
                r = tosa_conv2d(args[0], args[1], args[2], attrs["pad"])
        elif op == "tosa_avg_pool2d":
            with np.errstate(all="ignore"):
                r = tosa_avg_pool2d(args[0], attrs["kernel"], attrs["pad"])
        elif op == "tosa_matmul":
            with np.errstate(all="ignore"):
                r = tosa_matmul(args[0], args[1])
        elif op == "tosa_add":
            with np.errstate(all="ignore"):
                r = (args[0] + args[1]).astype(np.float32)
        elif op == "shape":
            r = None
        else:
            raise ValueError(op)
        env[name] = r
    return [get(n) for n in result_names]
