#!/usr/bin/python3
"""Writes one .mlir model per DESIGN.md benchmark workload.

Usage: gen_layers.py --out-dir DIR [--only NAME,...] [--seed N]

Models (batch 1, NHWC, OHWI filters, weights are constants):

  conv3x3_<H>x<W>x<C>      binary 3x3 conv, stride 1, padding 1 with
                           pad_value plus_one; i1 input argument, i32 result
                           (the raw accumulator).
  conv3x3_<H>x<W>x<C>_thr  the same conv followed by bnn.threshold with
                           constant per-channel thresholds and directions:
                           binary in, binary out (what the optimising
                           pipeline fuses into one kernel).
  conv3x3_<H>x<W>x<C>_bn   the same conv followed by float glue,
                           bnn.acc_to_float (batch-norm scale and shift) and
                           bnn.binarize: binary in, binary out, with the glue
                           left for the pipeline to fold into thresholds
                           (the model of the ablation, where fuse-glue
                           matters).
  conv3x3_<H>x<W>x<C>_int8 int8 3x3 conv (input zero point -3, padding
                           1): int8 in, i32 accumulators out (what the
                           oneDNN int8 baseline computes).
  conv3x3_<H>x<W>x<C>_int8q the same conv and bnn.requantize with
                           per-channel scales: int8 in, int8 out.
  dense_1x4096x4096        binary dense 1x4096 -> 4096, i32 result.
  dense_1x4096x4096_int8   int8 dense of the same shape (input zero point
                           -3), i32 result.

for the four 3x3 layers of ResNet-18 at 224x224 (56x56x64, 28x28x128,
14x14x256, 7x7x512, same channel count out as in), and, in the `_thr`
form only, shape classes off that grid: channel counts that are not a
multiple of 64 (conv3x3_28x28x96, _14x14x200, _56x56x32), stride 2
(conv3x3s2_*), 1x1 (conv1x1_*), dilation 2 (conv3x3d2_*), groups
(conv3x3g4_*, conv3x3g8_*: 64 and 32 channels per group), depthwise
(dwconv3x3_*) and batch 4 (conv3x3n4_*). Padding is d (k - 1) / 2.

Besides the .mlir files the script writes DIR/layers.tsv, one line per model:
name, file, binary MACs per call, and a description. One binary MAC is one
+-1 product accumulated; the benchmarks count 2 binary ops per MAC, so for a
conv binary ops = 2 * OH * OW * O * KH * KW * C, for a dense 2 * O * K.

Constants are written as hex dense literals: for i1 MLIR takes the bits
packed into bytes, least significant bit first, which keeps the 4.7 Mbit
filter of the 7x7x512 layer at 600 kB of text. Values are deterministic
(numpy seed --seed). Only numpy: it runs with the system /usr/bin/python3.
"""

import argparse
import os

import numpy as np

# (name, H = W, C = O); all 3x3, stride 1, padding 1.
CONVS = [("conv3x3_56x56x64", 56, 64), ("conv3x3_28x28x128", 28, 128),
         ("conv3x3_14x14x256", 14, 256), ("conv3x3_7x7x512", 7, 512)]
DENSE = ("dense_1x4096x4096", 4096, 4096)
# Shape classes off the grid (binary in and out, the `_thr` form):
# (name, H = W, C = O, keyword arguments of conv_model).
SHAPES = [
    ("conv3x3_28x28x96", 28, 96, {}),
    ("conv3x3_14x14x200", 14, 200, {}),
    ("conv3x3_56x56x32", 56, 32, {}),
    ("conv3x3s2_56x56x128", 56, 128, {"stride": 2}),
    ("conv1x1_28x28x256", 28, 256, {"k": 1}),
    ("conv3x3d2_28x28x128", 28, 128, {"dilation": 2}),
    ("conv3x3g4_28x28x256", 28, 256, {"groups": 4}),
    ("conv3x3g8_28x28x256", 28, 256, {"groups": 8}),
    ("dwconv3x3_56x56x64", 56, 64, {"groups": 64}),
    ("conv3x3n4_28x28x128", 28, 128, {"batch": 4}),
]
VARIANTS = ["", "_thr", "_bn"]


def ty(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def hex_bits(bits):
    """i1 array -> MLIR hex literal (bits packed LSB first)."""
    flat = np.asarray(bits, dtype=np.uint8).reshape(-1)
    return '"0x' + np.packbits(flat, bitorder="little").tobytes().hex().upper() + '"'


def hex_array(values, dtype):
    """int32 / float32 array -> MLIR hex literal (little-endian elements)."""
    data = np.asarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    return '"0x' + data.tobytes().hex().upper() + '"'


def conv_model(name, hw, c, variant, rng, k=3, stride=1, dilation=1,
               groups=1, batch=1):
    """A binary KxK convolution, C -> C channels, padding d (k - 1) / 2."""
    o = c
    pad = dilation * (k - 1) // 2
    oh = (hw + 2 * pad - dilation * (k - 1) - 1) // stride + 1
    in_t, w_t = ty([batch, hw, hw, c], "i1"), ty([o, k, k, c // groups], "i1")
    acc_t = ty([batch, oh, oh, o], "i32")
    bin_t = ty([batch, oh, oh, o], "i1")
    w = rng.integers(0, 2, (o, k, k, c // groups))
    attrs = ["padding = array<i64: %d, %d, %d, %d>" % ((pad,) * 4),
             "pad_value = #bnn.pad_value<plus_one>"]
    if stride != 1:
        attrs.append("strides = array<i64: %d, %d>" % (stride, stride))
    if dilation != 1:
        attrs.append("dilations = array<i64: %d, %d>" % (dilation, dilation))
    if groups != 1:
        attrs.append("groups = %d : i64" % groups)
    lines = [
        "// %s%s: generated by benchmarks/gen_layers.py." % (name, variant),
        "func.func @main(%%input: %s) -> %s {" % (
            in_t, acc_t if variant == "" else bin_t),
        "  %%w = arith.constant dense<%s> : %s" % (hex_bits(w), w_t),
        "  %%acc = bnn.binary_conv2d %%input, %%w {%s} : %s, %s -> %s" % (
            ", ".join(attrs), in_t, w_t, acc_t),
    ]
    reach = k * k * c // groups  # accumulators lie in [-reach, reach]
    ch_i32, ch_i1, ch_f32 = ty([o], "i32"), ty([o], "i1"), ty([o], "f32")
    if variant == "_thr":
        # Thresholds near the middle of the accumulator distribution (a sum
        # of `reach` random +-1 has standard deviation sqrt(reach)), so the
        # outputs are a mix of +1 and -1.
        spread = int(np.sqrt(reach))
        t = rng.integers(-spread, spread + 1, o)
        d = rng.random(o) < 0.25
        lines += [
            "  %%t = arith.constant dense<%s> : %s" % (hex_array(t, "i4"), ch_i32),
            "  %%d = arith.constant dense<%s> : %s" % (hex_bits(d), ch_i1),
            "  %%out = bnn.threshold %%acc, %%t, %%d : %s, %s, %s -> %s" % (
                acc_t, ch_i32, ch_i1, bin_t),
            "  return %%out : %s" % bin_t,
        ]
    elif variant == "_bn":
        # Batch-norm scale (some negative) and shift, then the sign.
        scale = rng.normal(0.02, 0.01, o).astype(np.float32)
        scale[rng.random(o) < 0.25] *= -1
        shift = rng.normal(0, 0.2, o).astype(np.float32)
        lines += [
            "  %%m = arith.constant dense<%s> : %s" % (hex_array(scale, "f4"), ch_f32),
            "  %%b = arith.constant dense<%s> : %s" % (hex_array(shift, "f4"), ch_f32),
            "  %%f = bnn.acc_to_float %%acc, %%m, %%b : %s, %s, %s -> %s" % (
                acc_t, ch_f32, ch_f32, ty([batch, oh, oh, o], "f32")),
            "  %%out = bnn.binarize %%f : %s -> %s" % (
                ty([batch, oh, oh, o], "f32"), bin_t),
            "  return %%out : %s" % bin_t,
        ]
    else:
        lines += ["  return %%acc : %s" % acc_t]
    lines.append("}")
    return "\n".join(lines) + "\n", batch * oh * oh * o * k * k * c // groups


def kbit_model(name, hw, c, rng, bits=2):
    """A bits x bits bit-serial 3x3 convolution, C -> C, zero padding 1."""
    o, k = c, 3
    uty = "ui%d" % bits
    in_t, w_t = ty([1, hw, hw, c], uty), ty([o, k, k, c], uty)
    acc_t = ty([1, hw, hw, o], "i32")
    w = rng.integers(0, 1 << bits, (o, k, k, c)).astype(np.uint8)
    text = "\n".join([
        "// %s_a%dw%d: generated by benchmarks/gen_layers.py." % (name, bits, bits),
        "func.func @main(%%input: %s) -> %s {" % (in_t, acc_t),
        "  %%w = arith.constant dense<\"0x%s\"> : %s" % (w.tobytes().hex().upper(), w_t),
        "  %%acc = bnn.bitserial_conv2d %%input, %%w {padding = array<i64: 1, 1, 1, 1>} "
        ": %s, %s -> %s" % (in_t, w_t, acc_t),
        "  return %%acc : %s" % acc_t,
        "}",
    ]) + "\n"
    return text, hw * hw * o * k * k * c


def int8_model(name, hw, c, rng, requantize):
    """An int8 3x3 convolution, C -> C, padding 1 (with the input zero
    point): the i32 accumulators, or with `requantize` int8 values after
    per-channel requantization."""
    o, k = c, 3
    in_t, w_t = ty([1, hw, hw, c], "i8"), ty([o, k, k, c], "i8")
    acc_t, out_t = ty([1, hw, hw, o], "i32"), ty([1, hw, hw, o], "i8")
    w = rng.integers(-128, 128, (o, k, k, c)).astype(np.int8)
    # Scales that map the accumulators (standard deviation about
    # 74 * 74 * sqrt(9 C) for uniform bytes) to a few tens.
    scale = (30.0 / (74 * 74 * np.sqrt(k * k * c)) *
             rng.uniform(0.5, 1.5, o)).astype(np.float32)
    suffix = "_int8q" if requantize else "_int8"
    lines = [
        "// %s%s: generated by benchmarks/gen_layers.py." % (name, suffix),
        "func.func @main(%%input: %s) -> %s {" % (
            in_t, out_t if requantize else acc_t),
        "  %%w = arith.constant dense<\"0x%s\"> : %s" % (w.tobytes().hex().upper(), w_t),
        "  %%s = arith.constant dense<%s> : %s" % (hex_array(scale, "f4"), ty([o], "f32")),
        "  %%acc = bnn.int8_conv2d %%input, %%w {padding = array<i64: 1, 1, 1, 1>, "
        "input_zero_point = -3 : i64} : %s, %s -> %s" % (in_t, w_t, acc_t),
    ]
    if requantize:
        lines += [
            "  %%out = bnn.requantize %%acc, %%s {output_zero_point = 5 : i64} "
            ": %s, %s -> %s" % (acc_t, ty([o], "f32"), out_t),
            "  return %%out : %s" % out_t,
        ]
    else:
        lines += ["  return %%acc : %s" % acc_t]
    lines.append("}")
    return "\n".join(lines) + "\n", hw * hw * o * k * k * c


def int8_dense_model(name, k, o, rng):
    """An int8 dense layer, K -> O, input zero point -3: i32 out."""
    in_t, w_t, out_t = ty([1, k], "i8"), ty([o, k], "i8"), ty([1, o], "i32")
    w = rng.integers(-128, 128, (o, k)).astype(np.int8)
    text = "\n".join([
        "// %s_int8: generated by benchmarks/gen_layers.py." % name,
        "func.func @main(%%input: %s) -> %s {" % (in_t, out_t),
        "  %%w = arith.constant dense<\"0x%s\"> : %s" % (w.tobytes().hex().upper(), w_t),
        "  %%acc = bnn.int8_dense %%input, %%w {input_zero_point = -3 : i64} "
        ": %s, %s -> %s" % (in_t, w_t, out_t),
        "  return %%acc : %s" % out_t,
        "}",
    ]) + "\n"
    return text, o * k


def dense_model(name, k, o, rng):
    in_t, w_t, out_t = ty([1, k], "i1"), ty([o, k], "i1"), ty([1, o], "i32")
    w = rng.integers(0, 2, (o, k))
    text = "\n".join([
        "// %s: generated by benchmarks/gen_layers.py." % name,
        "func.func @main(%%input: %s) -> %s {" % (in_t, out_t),
        "  %%w = arith.constant dense<%s> : %s" % (hex_bits(w), w_t),
        "  %%acc = bnn.binary_dense %%input, %%w : %s, %s -> %s" % (in_t, w_t, out_t),
        "  return %%acc : %s" % out_t,
        "}",
    ]) + "\n"
    return text, o * k


def all_models():
    """[(name, description, builder(rng) -> (text, macs))]."""
    models = []
    for name, hw, c in CONVS:
        for variant in VARIANTS:
            desc = {"": "binary conv, i32 out",
                    "_thr": "binary conv + threshold, i1 out",
                    "_bn": "binary conv + acc_to_float + binarize, i1 out"}[variant]
            models.append((name + variant, desc,
                           lambda rng, n=name, hw=hw, c=c, v=variant:
                           conv_model(n, hw, c, v, rng)))
    for name, hw, c, kwargs in SHAPES:
        models.append((name + "_thr", "binary conv + threshold, i1 out",
                       lambda rng, n=name, hw=hw, c=c, kw=kwargs:
                       conv_model(n, hw, c, "_thr", rng, **kw)))
    # The bit-serial product of the 28x28x128 layer (2-bit activations and
    # weights), against the binary one of the same shape.
    models.append(("conv3x3_28x28x128_a2w2", "2-bit x 2-bit bit-serial conv, i32 out",
                   lambda rng: kbit_model("conv3x3_28x28x128", 28, 128, rng)))
    # int8 convolutions of the same layers, against oneDNN's int8 (which
    # writes the s32 accumulators), and with the requantization.
    for name, hw, c in CONVS:
        models.append((name + "_int8", "int8 conv, i32 out",
                       lambda rng, n=name, hw=hw, c=c:
                       int8_model(n, hw, c, rng, requantize=False)))
        models.append((name + "_int8q", "int8 conv + requantize, i8 out",
                       lambda rng, n=name, hw=hw, c=c:
                       int8_model(n, hw, c, rng, requantize=True)))
    models.append((DENSE[0], "binary dense, i32 out",
                   lambda rng: dense_model(DENSE[0], DENSE[1], DENSE[2], rng)))
    models.append((DENSE[0] + "_int8", "int8 dense, i32 out",
                   lambda rng: int8_dense_model(DENSE[0], DENSE[1], DENSE[2], rng)))
    return models


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--only", default="",
                    help="comma-separated model names (default: all)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    models = all_models()
    names = [m[0] for m in models]
    only = [n for n in args.only.split(",") if n]
    for n in only:
        if n not in names:
            ap.error("unknown model '%s' (known: %s)" % (n, ", ".join(names)))
    os.makedirs(args.out_dir, exist_ok=True)
    manifest = []
    for index, (name, desc, build) in enumerate(models):
        if only and name not in only:
            continue
        # One generator per model, so a subset gets the same weights.
        text, macs = build(np.random.default_rng([args.seed, index]))
        path = os.path.join(args.out_dir, name + ".mlir")
        with open(path, "w") as f:
            f.write(text)
        manifest.append("%s\t%s\t%d\t%s" % (name, path, macs, desc))
    with open(os.path.join(args.out_dir, "layers.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    print("gen_layers: wrote %d models to %s" % (len(manifest), args.out_dir))


if __name__ == "__main__":
    main()
