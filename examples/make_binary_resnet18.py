#!/usr/bin/python3
"""Writes a binary ResNet-18 or Bi-Real Net 18 for 224x224 RGB images
(1000 classes).

Usage: make_binary_resnet18.py --out FILE.mlir [--seed N]
           [--arch resnet18|bireal18]

The structure follows make_tiny_binary_resnet.py at full size, with the
float residual path of Bi-Real Net:

  float 7x7/2 stem conv (batch-norm folded into its bias) -> 3x3/2 max pool
  (both with TensorFlow "SAME" padding: TOSA wants exact strides)
  4 stages x 2 basic blocks (64, 128, 256, 512 channels at 56, 28, 14, 7):
    a   = binarize(x)
    y   = binary 3x3 conv(a, stride s, +1 padding) -> threshold
          (batch-norm + sign folded into per-channel integer thresholds)
    y   = binary 3x3 conv(y, +1 padding) -> acc_to_float (batch-norm)
    out = y + shortcut, where shortcut = x, or, in the first block of
          stages 2-4 (stride 2, twice the channels), acc_to_float of a 1x1
          stride-2 binary conv of a
  7x7 average pool -> float dense 512 -> 1000

Sixteen binary 3x3 convolutions (1.8 G binary MACs) and three 1x1 ones.

--arch bireal18 writes Bi-Real Net 18 (Liu et al., ECCV 2018) instead:
every binary convolution has a float shortcut of its own,

    x = acc_to_float(binary 3x3 conv(binarize(x), stride s)) + shortcut

where the shortcut is x, or, where the resolution halves, a 2x2/2 average
pool and a float 1x1 convolution (batch norm folded into its bias) to
twice the channels. The same sixteen binary 3x3 convolutions, no binary
1x1 ones, and three float 1x1 ones (19 M float MACs).
Weights are deterministic pseudo-random values (numpy seed --seed) written
as hex dense literals (i1 packed 8 per byte, least significant bit first;
f32 and i32 little-endian); the file is about 7 MB, so it is generated
where it is needed (scripts/bench.sh writes it into its build directory)
rather than kept in the repository.
"""

import argparse
import os
import sys

import numpy as np

# The hex literal writers of the benchmark layer generator.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "benchmarks"))
from gen_layers import hex_array, hex_bits, ty  # noqa: E402

IMAGE, CLASSES = 224, 1000
STAGES = [(64, 56), (128, 28), (256, 14), (512, 7)]


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.count = 0

    def name(self, base):
        self.count += 1
        return "%%%s%d" % (base, self.count)

    def emit(self, line):
        self.lines.append("  " + line)

    def const(self, base, literal, t, tosa=False):
        v = self.name(base)
        if tosa:
            self.emit('%s = "tosa.const"() <{values = dense<%s> : %s}> : () -> %s'
                      % (v, literal, t, t))
        else:
            self.emit("%s = arith.constant dense<%s> : %s" % (v, literal, t))
        return v

    def binary_conv(self, a, hw, cin, cout, k, stride, pad):
        """Binary conv of `a` (1 x hw x hw x cin, i1); returns (acc, out hw)."""
        w_t = ty([cout, k, k, cin], "i1")
        w = self.const("w", hex_bits(self.rng.integers(0, 2, (cout, k, k, cin))), w_t)
        ohw = (hw + 2 * pad - k) // stride + 1
        acc = self.name("acc")
        attrs = ["strides = array<i64: %d, %d>" % (stride, stride)]
        if pad:
            attrs += ["padding = array<i64: %d, %d, %d, %d>" % ((pad,) * 4),
                      "pad_value = #bnn.pad_value<plus_one>"]
        self.emit("%s = bnn.binary_conv2d %s, %s {%s} : %s, %s -> %s" % (
            acc, a, w, ", ".join(attrs), ty([1, hw, hw, cin], "i1"), w_t,
            ty([1, ohw, ohw, cout], "i32")))
        return acc, ohw

    def threshold(self, acc, hw, c, reach):
        spread = int(np.sqrt(reach))
        t = self.const("t", hex_array(self.rng.integers(-spread, spread + 1, c), "i4"),
                       ty([c], "i32"))
        d = self.const("d", hex_bits(self.rng.random(c) < 0.25), ty([c], "i1"))
        out = self.name("b")
        self.emit("%s = bnn.threshold %s, %s, %s : %s, %s, %s -> %s" % (
            out, acc, t, d, ty([1, hw, hw, c], "i32"), ty([c], "i32"),
            ty([c], "i1"), ty([1, hw, hw, c], "i1")))
        return out

    def acc_to_float(self, acc, hw, c, reach):
        # Batch-norm of an accumulator with standard deviation sqrt(reach):
        # scale ~ 1/sqrt(reach) keeps the float path near unit variance.
        scale = (self.rng.normal(1.0, 0.2, c) / np.sqrt(reach)).astype(np.float32)
        shift = self.rng.normal(0, 0.1, c).astype(np.float32)
        m = self.const("m", hex_array(scale, "f4"), ty([c], "f32"))
        b = self.const("bias", hex_array(shift, "f4"), ty([c], "f32"))
        out = self.name("f")
        self.emit("%s = bnn.acc_to_float %s, %s, %s : %s, %s, %s -> %s" % (
            out, acc, m, b, ty([1, hw, hw, c], "i32"), ty([c], "f32"),
            ty([c], "f32"), ty([1, hw, hw, c], "f32")))
        return out

    def binarize(self, x, hw, c):
        out = self.name("a")
        self.emit("%s = bnn.binarize %s : %s -> %s" % (
            out, x, ty([1, hw, hw, c], "f32"), ty([1, hw, hw, c], "i1")))
        return out

    def add(self, x, y, hw, c):
        out = self.name("res")
        t = ty([1, hw, hw, c], "f32")
        self.emit("%s = tosa.add %s, %s : (%s, %s) -> %s" % (out, x, y, t, t, t))
        return out

    def block(self, x, hw, cin, cout, stride):
        a = self.binarize(x, hw, cin)
        acc1, ohw = self.binary_conv(a, hw, cin, cout, 3, stride, 1)
        b1 = self.threshold(acc1, ohw, cout, 9 * cin)
        acc2, _ = self.binary_conv(b1, ohw, cout, cout, 3, 1, 1)
        y = self.acc_to_float(acc2, ohw, cout, 9 * cout)
        if stride == 1 and cin == cout:
            shortcut = x
        else:
            accs, _ = self.binary_conv(a, hw, cin, cout, 1, stride, 0)
            shortcut = self.acc_to_float(accs, ohw, cout, cin)
        return self.add(y, shortcut, ohw, cout), ohw

    def float_downsample(self, x, hw, cin, cout):
        """2x2/2 average pool, then a float 1x1 conv to `cout` channels."""
        f32 = ty([1], "f32")
        ohw = hw // 2
        pooled = self.name("avg")
        self.emit("%s = tosa.avg_pool2d %s, %%zp, %%zp {acc_type = f32, kernel = "
                  "array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: "
                  "0, 0, 0, 0>} : (%s, %s, %s) -> %s" % (
                      pooled, x, ty([1, hw, hw, cin], "f32"), f32, f32,
                      ty([1, ohw, ohw, cin], "f32")))
        w_t, b_t = ty([cout, 1, 1, cin], "f32"), ty([cout], "f32")
        w = self.const("dw", hex_array(self.rng.normal(0, 1 / np.sqrt(cin),
                                                       (cout, 1, 1, cin)), "f4"),
                       w_t, tosa=True)
        b = self.const("db", hex_array(self.rng.normal(0, 0.1, cout), "f4"), b_t,
                       tosa=True)
        out = self.name("down")
        self.emit("%s = tosa.conv2d %s, %s, %s, %%zp, %%zp {acc_type = f32, "
                  "pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, "
                  "dilation = array<i64: 1, 1>} : (%s, %s, %s, %s, %s) -> %s" % (
                      out, pooled, w, b, ty([1, ohw, ohw, cin], "f32"), w_t, b_t,
                      f32, f32, ty([1, ohw, ohw, cout], "f32")))
        return out

    def bireal_block(self, x, hw, cin, cout, stride):
        """Two binary 3x3 convs, each with a float shortcut of its own."""
        for conv in range(2):
            s = stride if conv == 0 else 1
            a = self.binarize(x, hw, cin)
            acc, ohw = self.binary_conv(a, hw, cin, cout, 3, s, 1)
            y = self.acc_to_float(acc, ohw, cout, 9 * cin)
            shortcut = x if s == 1 and cin == cout else \
                self.float_downsample(x, hw, cin, cout)
            x, hw, cin = self.add(y, shortcut, ohw, cout), ohw, cout
        return x, hw


def model(rng, arch="resnet18"):
    w = Writer(rng)
    f32 = ty([1], "f32")
    w.emit('%%zp = "tosa.const"() <{values = dense<0.0> : %s}> : () -> %s' % (f32, f32))
    # Stem: 7x7/2 float conv, 3 -> 64 channels, then 3x3/2 max pool.
    c0 = STAGES[0][0]
    stem_w_t, stem_b_t = ty([c0, 7, 7, 3], "f32"), ty([c0], "f32")
    stem_w = w.const("stem_w", hex_array(rng.normal(0, 0.2, (c0, 7, 7, 3)), "f4"),
                     stem_w_t, tosa=True)
    stem_b = w.const("stem_b", hex_array(rng.normal(0, 0.1, c0), "f4"), stem_b_t,
                     tosa=True)
    img_t, stem_t = ty([1, IMAGE, IMAGE, 3], "f32"), ty([1, 112, 112, c0], "f32")
    w.emit("%%stem = tosa.conv2d %%image, %s, %s, %%zp, %%zp {acc_type = f32, "
           "pad = array<i64: 2, 3, 2, 3>, stride = array<i64: 2, 2>, "
           "dilation = array<i64: 1, 1>} : (%s, %s, %s, %s, %s) -> %s" % (
               stem_w, stem_b, img_t, stem_w_t, stem_b_t, f32, f32, stem_t))
    pool_t = ty([1, 56, 56, c0], "f32")
    w.emit("%%pool = tosa.max_pool2d %%stem {kernel = array<i64: 3, 3>, "
           "stride = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>} : (%s) -> %s"
           % (stem_t, pool_t))
    x, hw, cin = "%pool", 56, c0
    for stage, (c, _) in enumerate(STAGES):
        w.lines.append("")
        w.lines.append("  // Stage %d: %d channels." % (stage + 1, c))
        for i in range(2):
            stride = 2 if stage > 0 and i == 0 else 1
            block = w.bireal_block if arch == "bireal18" else w.block
            x, hw = block(x, hw, cin, c, stride)
            cin = c
    # Classifier.
    w.lines.append("")
    cl = STAGES[-1][0]
    w.emit("%%gap = tosa.avg_pool2d %s, %%zp, %%zp {acc_type = f32, kernel = "
           "array<i64: %d, %d>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>}"
           " : (%s, %s, %s) -> %s" % (x, hw, hw, ty([1, hw, hw, cl], "f32"), f32, f32,
                                     ty([1, 1, 1, cl], "f32")))
    w.emit("%%shape3 = tosa.const_shape {values = dense<[1, 1, %d]> : tensor<3xindex>}"
           " : () -> !tosa.shape<3>" % cl)
    w.emit("%%flat = tosa.reshape %%gap, %%shape3 : (%s, !tosa.shape<3>) -> %s" % (
        ty([1, 1, 1, cl], "f32"), ty([1, 1, cl], "f32")))
    fc_w_t, fc_b_t = ty([1, cl, CLASSES], "f32"), ty([1, 1, CLASSES], "f32")
    fc_w = w.const("fc_w", hex_array(rng.normal(0, 0.05, (1, cl, CLASSES)), "f4"),
                   fc_w_t, tosa=True)
    fc_b = w.const("fc_b", hex_array(rng.normal(0, 0.1, (1, 1, CLASSES)), "f4"),
                   fc_b_t, tosa=True)
    w.emit("%%logits3 = tosa.matmul %%flat, %s, %%zp, %%zp : (%s, %s, %s, %s) -> %s" % (
        fc_w, ty([1, 1, cl], "f32"), fc_w_t, f32, f32, fc_b_t))
    w.emit("%%biased = tosa.add %%logits3, %s : (%s, %s) -> %s" % (
        fc_b, fc_b_t, fc_b_t, fc_b_t))
    w.emit("%%shape2 = tosa.const_shape {values = dense<[1, %d]> : tensor<2xindex>}"
           " : () -> !tosa.shape<2>" % CLASSES)
    out_t = ty([1, CLASSES], "f32")
    w.emit("%%logits = tosa.reshape %%biased, %%shape2 : (%s, !tosa.shape<2>) -> %s"
           % (fc_b_t, out_t))
    w.emit("return %%logits : %s" % out_t)
    title = "Bi-Real Net 18" if arch == "bireal18" else "Binary ResNet-18"
    return "\n".join(
        ["// %s (generated by examples/make_binary_resnet18.py)." % title,
         "// Input: one 224x224 RGB image, NHWC. Output: %d class scores." % CLASSES,
         "func.func @main(%%image: %s) -> %s {" % (img_t, out_t)]
        + w.lines + ["}"]) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--arch", choices=["resnet18", "bireal18"],
                    default="resnet18")
    args = ap.parse_args()
    text = model(np.random.default_rng(args.seed), args.arch)
    with open(args.out, "w") as f:
        f.write(text)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
