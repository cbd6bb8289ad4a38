"""Typed emitters of the bnn, tosa and arith operations the exporter uses.

Every method takes SSA names plus the physical (NHWC / [N, F]) shapes and
returns the result's SSA name; the syntax is MLIR 22's (tosa 1.0: zero points
and shifts as operands, shapes as ``!tosa.shape`` constants). Only operators
that the reference interpreter (``lib/Reference``) evaluates are used.
"""

import numpy as np

from .mlir_text import Emitter, float_literal, ttype

__all__ = ["Ops", "conv_out_size"]


def conv_out_size(size, pad_before, pad_after, kernel, stride, dilation=1):
    return (size + pad_before + pad_after - dilation * (kernel - 1) - 1) // stride + 1


def _arr(values):
    return "array<i64: " + ", ".join(str(int(v)) for v in values) + ">"


class Ops(Emitter):
    def fit_window(self, x, shape, kernel, strides, dilations, pads, loc=None):
        """TOSA's convolutions and poolings require ``size - 1 + pads -
        dilation * (kernel - 1)`` to be divisible by the stride; torch rounds
        down. Drops the trailing padding (or input rows/columns) that no
        window reads: returns ``(x, shape, pads)`` with the same outputs."""
        t, b, l, r = pads
        crop = [0, 0]
        after = [b, r]
        for i, (size, before) in enumerate(((shape[1], t), (shape[2], l))):
            rem = (size - 1 + before + after[i] - dilations[i] * (kernel[i] - 1)) % strides[i]
            if rem <= after[i]:
                after[i] -= rem
            else:
                crop[i] = rem - after[i]
                after[i] = 0
        if any(crop):
            size = [shape[0], shape[1] - crop[0], shape[2] - crop[1], shape[3]]
            x = self.slice(x, shape, [0, 0, 0, 0], size, loc=loc)
            shape = size
        return x, shape, (t, after[0], l, after[1])

    # -- layout -------------------------------------------------------------
    def transpose(self, x, shape, perms, elem="f32", loc=None, hint="t"):
        out = [shape[p] for p in perms]
        perm_text = ", ".join(str(p) for p in perms)
        return self.op(hint, f"tosa.transpose {x} {{perms = array<i32: {perm_text}>}}"
                       f" : ({ttype(shape, elem)}) -> {ttype(out, elem)}", loc)

    def reshape(self, x, shape, out_shape, elem="f32", loc=None, hint="r"):
        if list(shape) == list(out_shape):
            return x
        s = self.shape(out_shape)
        return self.op(hint, f"tosa.reshape {x}, {s} : ({ttype(shape, elem)}, "
                       f"!tosa.shape<{len(out_shape)}>) -> {ttype(out_shape, elem)}",
                       loc)

    def concat(self, xs, shapes, axis, out_shape, elem="f32", loc=None):
        types = ", ".join(ttype(s, elem) for s in shapes)
        return self.op("cat", f"tosa.concat {', '.join(xs)} {{axis = {axis} : i32}}"
                       f" : ({types}) -> {ttype(out_shape, elem)}", loc)

    def slice(self, x, shape, start, size, elem="f32", loc=None):
        st, sz = self.shape(start), self.shape(size)
        r = len(shape)
        return self.op("slice", f"tosa.slice {x}, {st}, {sz} : ({ttype(shape, elem)}, "
                       f"!tosa.shape<{r}>, !tosa.shape<{r}>) -> {ttype(size, elem)}", loc)

    def pad(self, x, shape, pads4, value=0.0, loc=None):
        """Zero (or ``value``) padding of an NHWC f32 tensor by (top, bottom,
        left, right)."""
        t, b, l, r = pads4
        out = [shape[0], shape[1] + t + b, shape[2] + l + r, shape[3]]
        p = self.shape([0, 0, t, b, l, r, 0, 0])
        v = self.const(np.full(1, value, np.float32), "f32", hint="padv")
        return self.op("pad", f"tosa.pad {x}, {p}, {v} : ({ttype(shape, 'f32')}, "
                       f"!tosa.shape<8>, tensor<1xf32>) -> {ttype(out, 'f32')}", loc), out

    # -- elementwise (f32 unless said otherwise) ----------------------------
    def binary(self, name, a, a_shape, b, b_shape, out_shape, loc=None, elem="f32"):
        ta, tb, tr = ttype(a_shape, elem), ttype(b_shape, elem), ttype(out_shape, elem)
        if name == "mul":
            return self.op("mul", f"tosa.mul {a}, {b}, {self.shift0()} : ({ta}, {tb}, "
                           f"tensor<1xi8>) -> {tr}", loc)
        return self.op(name, f"tosa.{name} {a}, {b} : ({ta}, {tb}) -> {tr}", loc)

    def clamp(self, x, shape, lo, hi, elem="f32", loc=None):
        if elem == "f32":
            attrs = f"min_val = {float_literal(lo)} : f32, max_val = {float_literal(hi)} : f32"
        else:
            attrs = f"min_val = {int(lo)} : {elem}, max_val = {int(hi)} : {elem}"
        t = ttype(shape, elem)
        return self.op("clamp", f"tosa.clamp {x} {{{attrs}}} : ({t}) -> {t}", loc)

    def cast(self, x, shape, src, dst, loc=None):
        return self.op("cast", f"tosa.cast {x} : ({ttype(shape, src)}) -> "
                       f"{ttype(shape, dst)}", loc)

    # -- bnn conversions and epilogues --------------------------------------
    def binarize(self, x, shape, loc=None):
        return self.op("bin", f"bnn.binarize {x} : {ttype(shape, 'f32')} -> "
                       f"{ttype(shape, 'i1')}", loc)

    def unbinarize(self, x, shape, loc=None):
        return self.op("pm1", f"bnn.unbinarize {x} : {ttype(shape, 'i1')} -> "
                       f"{ttype(shape, 'f32')}", loc)

    def quantize(self, x, shape, scale, zero_point, elem, loc=None):
        s = self.const(np.full(1, scale, np.float32), "f32", "arith", hint="qscale")
        return self.op("q", f"bnn.quantize {x}, {s} {{zero_point = {int(zero_point)} : i64}}"
                       f" : {ttype(shape, 'f32')}, tensor<1xf32> -> {ttype(shape, elem)}", loc)

    def acc_to_float(self, acc, shape, multiplier, bias, loc=None):
        m = self.const(np.asarray(multiplier, np.float32), "f32", "arith", hint="mult")
        b = self.const(np.asarray(bias, np.float32), "f32", "arith", hint="bias")
        c = len(multiplier)
        return self.op("f", f"bnn.acc_to_float {acc}, {m}, {b} : {ttype(shape, 'i32')}, "
                       f"tensor<{c}xf32>, tensor<{c}xf32> -> {ttype(shape, 'f32')}", loc)

    def threshold(self, acc, shape, thresholds, directions, loc=None):
        t = self.const(np.asarray(thresholds, np.int64), "i32", "arith", hint="thr")
        d = self.const(np.asarray(directions, bool), "i1", "arith", hint="dir")
        c = len(thresholds)
        return self.op("b", f"bnn.threshold {acc}, {t}, {d} : {ttype(shape, 'i32')}, "
                       f"tensor<{c}xi32>, tensor<{c}xi1> -> {ttype(shape, 'i1')}", loc)

    # -- bnn layers -----------------------------------------------------------
    def bnn_conv(self, opname, x, x_shape, x_elem, w, w_elem, out_shape, strides,
                 dilations, pads, groups, extra_attrs=(), loc=None):
        wc = self.const(w, w_elem, "arith", hint="filter")
        attrs = []
        if tuple(strides) != (1, 1):
            attrs.append(f"strides = {_arr(strides)}")
        if tuple(dilations) != (1, 1):
            attrs.append(f"dilations = {_arr(dilations)}")
        if any(pads):
            attrs.append(f"padding = {_arr(pads)}")
        if groups != 1:
            attrs.append(f"groups = {int(groups)} : i64")
        attrs += list(extra_attrs)
        attr_text = " {" + ", ".join(attrs) + "}" if attrs else ""
        return self.op("acc", f"bnn.{opname} {x}, {wc}{attr_text} : "
                       f"{ttype(x_shape, x_elem)}, {ttype(w.shape, w_elem)} -> "
                       f"{ttype(out_shape, 'i32')}", loc)

    def bnn_dense(self, opname, x, x_shape, x_elem, w, w_elem, extra_attrs=(), loc=None):
        wc = self.const(w, w_elem, "arith", hint="weight")
        out = [x_shape[0], w.shape[0]]
        attr_text = " {" + ", ".join(extra_attrs) + "}" if extra_attrs else ""
        return self.op("acc", f"bnn.{opname} {x}, {wc}{attr_text} : "
                       f"{ttype(x_shape, x_elem)}, {ttype(w.shape, w_elem)} -> "
                       f"{ttype(out, 'i32')}", loc)

    def binary_max_pool(self, x, shape, kernel, strides, pads, out_shape, loc=None):
        attrs = [f"kernel = {_arr(kernel)}"]
        if tuple(strides) != (1, 1):
            attrs.append(f"strides = {_arr(strides)}")
        if any(pads):
            attrs.append(f"padding = {_arr(pads)}")
        return self.op("bpool", f"bnn.binary_max_pool2d {x} {{{', '.join(attrs)}}} : "
                       f"{ttype(shape, 'i1')} -> {ttype(out_shape, 'i1')}", loc)

    # -- float layers ---------------------------------------------------------
    def max_pool(self, x, shape, kernel, strides, pads, out_shape, loc=None):
        x, shape, pads = self.fit_window(x, shape, kernel, strides, (1, 1), pads, loc)
        return self.op("pool", f"tosa.max_pool2d {x} {{kernel = {_arr(kernel)}, stride = "
                       f"{_arr(strides)}, pad = {_arr(pads)}}} : ({ttype(shape, 'f32')}) -> "
                       f"{ttype(out_shape, 'f32')}", loc)

    def avg_pool(self, x, shape, kernel, strides, pads, out_shape, loc=None):
        x, shape, pads = self.fit_window(x, shape, kernel, strides, (1, 1), pads, loc)
        z = self.zero_f32()
        return self.op("pool", f"tosa.avg_pool2d {x}, {z}, {z} {{acc_type = f32, kernel = "
                       f"{_arr(kernel)}, stride = {_arr(strides)}, pad = {_arr(pads)}}} : "
                       f"({ttype(shape, 'f32')}, tensor<1xf32>, tensor<1xf32>) -> "
                       f"{ttype(out_shape, 'f32')}", loc)

    def conv2d(self, x, shape, w_ohwi, bias, strides, dilations, pads, out_shape,
               depthwise=False, loc=None):
        """tosa.conv2d (filter OHWI) or tosa.depthwise_conv2d (filter
        [KH, KW, C, M])."""
        kernel = np.shape(w_ohwi)[1:3] if not depthwise else np.shape(w_ohwi)[0:2]
        x, shape, pads = self.fit_window(x, shape, kernel, strides, dilations, pads, loc)
        w = self.const(np.asarray(w_ohwi, np.float32), "f32", hint="w")
        b = self.const(np.asarray(bias, np.float32), "f32", hint="b")
        z = self.zero_f32()
        name = "depthwise_conv2d" if depthwise else "conv2d"
        return self.op("conv", f"tosa.{name} {x}, {w}, {b}, {z}, {z} {{acc_type = f32, "
                       f"pad = {_arr(pads)}, stride = {_arr(strides)}, dilation = "
                       f"{_arr(dilations)}}} : ({ttype(shape, 'f32')}, "
                       f"{ttype(np.shape(w_ohwi), 'f32')}, {ttype(np.shape(bias), 'f32')}, "
                       f"tensor<1xf32>, tensor<1xf32>) -> {ttype(out_shape, 'f32')}", loc)
