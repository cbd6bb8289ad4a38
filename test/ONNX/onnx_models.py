"""ONNX / QONNX test models for the bnn ONNX importer (test/ONNX/diff_onnx.py).

Every builder returns an onnx.ModelProto (default opset 13) with seeded
numpy weights that passes onnx.checker.check_model; custom-domain ops come
with an opset import of version 1 for their domain. Two metadata props tell
the harness how to test a model:
  bnn.test.exact   "1": every output is integer * power of two and does not
                   depend on summation order (compare exactly); "0": compare
                   with a tolerance.
  bnn.test.inputs  "dyadic": inputs are multiples of 2^-6 in [-4, 4) with
                   zeros, -0.0 and values on quantizer ties; "normal":
                   standard normal floats.
BatchNormalization statistics are calibrated by running the reference
executor (onnx_ref.run) on a few inputs, so that quantizers see both signs
and most levels instead of saturating.

    float_cnn, bnn_cnn, kbit_mlp, multithreshold_net, qdq_int8_net,
    random_graph(seed) -> (model, exact), cases(n_random) -> [(name, model,
    exact)], make_inputs(model, seed) -> {name: array}
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import onnx_ref

FINN = "finn.custom_op.general"
QONNX = "qonnx.custom_op.general"
BREVITAS = "onnx.brevitas"


class Builder:
    """Accumulates nodes and initializers; names are unique and readable."""

    def __init__(self, name, seed, opset=13):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.opset = opset
        self.nodes, self.inits, self.inputs = [], [], []
        self.domains = set()
        self.used = set()
        self.input_kind = "dyadic"

    def fresh(self, base):
        k = 0
        name = base
        while name in self.used:
            k += 1
            name = "%s_%d" % (base, k)
        self.used.add(name)
        return name

    def input(self, name, shape, elem=TensorProto.FLOAT):
        self.used.add(name)
        self.inputs.append(helper.make_tensor_value_info(name, elem, list(shape)))
        return name

    def const(self, value, base="c", dtype=np.float32):
        name = self.fresh(base)
        self.inits.append(numpy_helper.from_array(np.asarray(value, dtype), name))
        return name

    def op(self, op_type, inputs, base=None, domain="", outputs=1, **attrs):
        if domain:
            self.domains.add(domain)
        outs = [self.fresh(base or op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), outs,
                                           name=self.fresh("n_" + op_type), domain=domain,
                                           **attrs))
        return outs[0] if outputs == 1 else outs

    def model(self, outputs, exact=None, shapes=None):
        """The model; output types and shapes come from one executor run
        unless `shapes` gives them."""
        outs = [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs]
        m = self._make(outs)
        if shapes is None:
            got = onnx_ref.run(m, make_inputs(m, 0))
            shapes = {o: got[o] for o in outputs}
        outs = [helper.make_tensor_value_info(
            o, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[shapes[o].dtype], list(shapes[o].shape))
            for o in outputs]
        m = self._make(outs)
        if exact is not None:
            helper.set_model_props(m, {"bnn.test.exact": "1" if exact else "0",
                                       "bnn.test.inputs": self.input_kind})
        onnx.checker.check_model(m)
        return m

    def _make(self, outs):
        g = helper.make_graph(self.nodes, self.name, self.inputs, outs, self.inits)
        ops = [helper.make_opsetid("", self.opset)]
        ops += [helper.make_opsetid(d, 1) for d in sorted(self.domains)]
        m = helper.make_model(g, opset_imports=ops, producer_name="bnn test/ONNX")
        helper.set_model_props(m, {"bnn.test.inputs": self.input_kind})
        return m

    def probe(self, tensor, runs=8):
        """Values of `tensor` on a few inputs, stacked along axis 0."""
        m = self._make([helper.make_tensor_value_info(tensor, TensorProto.FLOAT, None)])
        return np.concatenate([onnx_ref.run(m, make_inputs(m, 100 + s))[tensor]
                               for s in range(runs)])

    # Layers ---------------------------------------------------------------

    def batchnorm(self, x, flip=0.1, spread=1.0):
        """BatchNormalization whose statistics roughly normalise `x`; some
        channels get a negative scale (flip probability) so quantizers after
        it see inverted orders."""
        v = self.probe(x).astype(np.float64)
        axes = tuple(a for a in range(v.ndim) if a != 1)
        c = v.shape[1]
        mean = v.mean(axis=axes) + self.rng.normal(0, 0.1, c) * (v.std(axis=axes) + 0.5)
        var = (v.var(axis=axes) + 0.25) * self.rng.uniform(0.5, 2.0, c)
        scale = self.rng.uniform(0.5, 1.5, c) * spread
        scale *= np.where(self.rng.random(c) < flip, -1.0, 1.0)
        bias = self.rng.normal(0, 0.2, c) * spread
        return self.op("BatchNormalization",
                       [x, self.const(scale, "bn_scale"), self.const(bias, "bn_bias"),
                        self.const(mean, "bn_mean"), self.const(var, "bn_var")],
                       "bn", epsilon=1e-5)

    def quant(self, x, scale, bits, signed=True, narrow=False, mode="ROUND", domain=QONNX,
              zeropt=0.0):
        return self.op("Quant", [x, self.const(scale, "q_scale"), self.const(zeropt, "q_zeropt"),
                                 self.const(float(bits), "q_bits")],
                       "quant", domain=domain, signed=int(signed), narrow=int(narrow),
                       rounding_mode=mode)

    def bipolar(self, x, scale=1.0, domain=QONNX):
        return self.op("BipolarQuant", [x, self.const(scale, "bq_scale")], "bipolar",
                       domain=domain)

    def weight(self, shape, bits, scale, narrow=True, domain=QONNX, out_axis=0):
        """A Brevitas-style quantized weight: a quantizer node on a float
        initializer. Bipolar weights include exact 0.0 and -0.0 (both +1).
        k-bit weights are drawn as integer levels, some one beyond the
        range (clamped), each output channel with a non-zero level, plus a
        fraction in (-0.45, 0.45) or, for one weight in twenty, exactly 0.5
        (a tie)."""
        r = self.rng
        if bits == 1:
            w = r.normal(0, 1.0, shape).astype(np.float32)
            flat = w.reshape(-1)
            k = max(1, flat.size // 50)
            flat[r.choice(flat.size, k, replace=False)] = 0.0
            flat[r.choice(flat.size, k, replace=False)] = -0.0
            return self.bipolar(self.const(w, "w"), scale, domain)
        lo, hi = -(2 ** (bits - 1)) + int(narrow), 2 ** (bits - 1) - 1
        q = np.moveaxis(r.integers(lo - 1, hi + 2, shape), out_axis, 0).copy()
        rows = q.reshape(q.shape[0], -1)
        dead = ~np.any(np.clip(rows, lo, hi) != 0, axis=1)
        rows[dead, 0] = r.choice([-1, 1], int(dead.sum()))
        q = np.moveaxis(rows.reshape(q.shape), 0, out_axis)
        frac = np.where(r.random(shape) < 0.05, 0.5, r.uniform(-0.45, 0.45, shape))
        w = (q + frac) * np.asarray(scale, np.float64)
        return self.quant(self.const(w, "w"), scale, bits, True, narrow, domain=domain)

    def torch_flatten(self, x):
        """x.view(x.size(0), -1) as PyTorch exports it."""
        shape = self.op("Shape", [x], "shape")
        n = self.op("Gather", [shape, self.const(0, "idx0", np.int64)], "batch", axis=0)
        if self.opset >= 13:
            n = self.op("Unsqueeze", [n, self.const([0], "axes0", np.int64)], "batch1")
        else:
            n = self.op("Unsqueeze", [n], "batch1", axes=[0])
        target = self.op("Concat", [n, self.const([-1], "minus1", np.int64)], "target", axis=0)
        return self.op("Reshape", [x, target], "flat")


def _scale(rng, pow2, shape=(), lo=-6, hi=0):
    if pow2:
        return (2.0 ** rng.integers(lo, hi + 1, shape)).astype(np.float32)
    return rng.uniform(2.0 ** lo, 2.0 ** hi, shape).astype(np.float32)


def make_inputs(model, seed=0):
    """Inputs for every graph input that is not an initializer."""
    rng = np.random.default_rng(seed)
    props = {p.key: p.value for p in model.metadata_props}
    kind = props.get("bnn.test.inputs", "normal")
    inits = {t.name for t in model.graph.initializer}
    out = {}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else 1 for d in tt.shape.dim]
        dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[tt.elem_type]
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            out[vi.name] = rng.integers(info.min, int(info.max) + 1, shape).astype(dtype)
        elif kind == "dyadic":
            x = (rng.integers(-256, 256, shape) / 64.0).astype(np.float32)
            flat = x.reshape(-1)
            # Exact ties (k + 1/2) * 2^e of the power-of-two quantizer scales
            # 2^-5 .. 2^1, and zeros of both signs.
            ties = rng.random(flat.size) < 0.15
            e = rng.integers(-5, 2, int(ties.sum()))
            k = rng.integers(-8, 8, int(ties.sum())) * 2.0 ** (-3 - np.minimum(e, 0))
            flat[ties] = (np.floor(k) + 0.5) * 2.0 ** e
            flat[rng.random(flat.size) < 0.03] = 0.0
            flat[rng.random(flat.size) < 0.03] = -0.0
            out[vi.name] = x
        else:
            out[vi.name] = rng.standard_normal(shape).astype(dtype)
    return out

#===------------------------------------------------------------------------===#
# Fixed models
#===------------------------------------------------------------------------===#


def float_cnn(seed=0, shape=(1, 3, 16, 16), c1=8, c2=16, classes=10, opset=13):
    """Conv 3x3 pads 1 -> BN -> Relu -> MaxPool 2 -> Conv stride 2 with
    asymmetric pads -> Relu -> GlobalAveragePool -> Flatten -> Gemm."""
    b = Builder("float_cnn", seed, opset)
    b.input_kind = "normal"
    r = b.rng
    x = b.input("input", shape)

    def w(*s):
        return r.normal(0, np.sqrt(2.0 / np.prod(s[1:])), s)
    y = b.op("Conv", [x, b.const(w(c1, shape[1], 3, 3), "w1"), b.const(r.normal(0, 0.1, c1), "b1")],
             "conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = b.op("Relu", [b.batchnorm(y)], "relu1")
    y = b.op("MaxPool", [y], "pool1", kernel_shape=[2, 2], strides=[2, 2])
    y = b.op("Conv", [y, b.const(w(c2, c1, 3, 3), "w2"), b.const(r.normal(0, 0.1, c2), "b2")],
             "conv2", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])
    y = b.op("Relu", [y], "relu2")
    y = b.op("Flatten", [b.op("GlobalAveragePool", [y], "gap")], "flat", axis=1)
    y = b.op("Gemm", [y, b.const(w(classes, c2), "fc_w"),
                      b.const(r.normal(0, 0.1, classes), "fc_b")], "logits", transB=1)
    return b.model([y], exact=False)


def float_glue(seed=0, shape=(1, 4, 6, 5), opset=13):
    """The layout and arithmetic operators of float glue: Pad (asymmetric),
    two Conv branches joined by Concat on channels, Transpose of H and W,
    Sqrt, Pow, division by a tensor, Sign, AveragePool with
    count_include_pad, Flatten -> MatMul."""
    b = Builder("float_glue", seed, opset)
    b.input_kind = "normal"
    r = b.rng
    x = b.input("input", shape)
    c = shape[1]
    pads = b.const(np.array([0, 0, 1, 0, 0, 0, 0, 2]), "pads", dtype=np.int64)
    y = b.op("Pad", [x, pads], "pad")
    h, w = shape[2] + 1, shape[3] + 2
    y1 = b.op("Conv", [y, b.const(r.normal(0, 0.5, (3, c, 3, 3)), "wa")], "conva",
              kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y2 = b.op("Conv", [y, b.const(r.normal(0, 0.5, (2, c, 1, 1)), "wb")], "convb",
              kernel_shape=[1, 1])
    # Grouped (not depthwise): 2 groups of c / 2 channels, 4 outputs each.
    y3 = b.op("Conv", [y, b.const(r.normal(0, 0.5, (8, c // 2, 3, 3)), "wg"),
                       b.const(r.normal(0, 0.1, 8), "bg")], "convg",
              kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=2)
    y2 = b.op("Conv", [b.op("Concat", [y2, y3], "cat0", axis=1),
                       b.const(r.normal(0, 0.5, (2, 10, 1, 1)), "wc")], "convc",
              kernel_shape=[1, 1])
    y = b.op("Concat", [y1, y2], "cat", axis=1)
    y = b.op("Transpose", [y], "tr", perm=[0, 1, 3, 2])
    one = b.const(np.array(1.0, np.float32), "one")
    pos = b.op("Add", [b.op("Relu", [y], "relu"), one], "pos")
    y = b.op("Div", [b.op("Pow", [y, b.const(np.array(2.0, np.float32), "two")], "sq"),
                     b.op("Sqrt", [pos], "sqrt")], "div")
    y = b.op("AveragePool", [y], "avg", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
             count_include_pad=1)
    s = b.op("Sign", [b.op("Sub", [y, b.const(np.array(0.5, np.float32), "half")], "shift")],
             "sign")
    y = b.op("Flatten", [b.op("Mul", [y, s], "signed")], "flat")
    y = b.op("MatMul", [y, b.const(r.normal(0, 0.3, (5 * w * h, 4)), "fw")], "fc")
    return b.model([y], exact=False)


def bnn_cnn(seed=0, shape=(1, 3, 16, 16), channels=(16, 32, 32), classes=10, input_quant=True,
            pow2_scales=True, domain=QONNX, opset=13):
    """FINN/Brevitas-style binary CNN: [Quant 8-bit] -> float Conv stem ->
    BN -> BipolarQuant -> Conv(BipolarQuant(W)) pads 1 -> BN -> BipolarQuant
    -> MaxPool 2 -> Conv(BipolarQuant(W)) -> BN -> BipolarQuant -> torch-style
    flatten -> MatMul(BipolarQuant(W)) -> Mul(per-class scale).

    The stem weights are multiples of 2^-5, so with quantized or dyadic
    inputs the stem is exact in any summation order."""
    b = Builder("bnn_cnn", seed, opset)
    r = b.rng
    c0, c1, c2 = channels
    x = b.input("input", shape)
    if input_quant:
        x = b.quant(x, _scale(r, pow2_scales, (), -5, -5), 8, True, False, domain=domain)
    stem = np.round(r.normal(0, 0.5, (c0, shape[1], 3, 3)) * 32) / 32
    stem_b = np.round(r.normal(0, 8, c0)) / 32
    y = b.op("Conv", [x, b.const(stem, "stem_w"), b.const(stem_b, "stem_b")], "stem",
             kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = b.bipolar(b.batchnorm(y), 1.0, domain)
    w1 = b.weight((c1, c0, 3, 3), 1, _scale(r, pow2_scales, (c1, 1, 1, 1), -3, 0), domain=domain)
    y = b.op("Conv", [y, w1], "conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = b.bipolar(b.batchnorm(y), 1.0, domain)
    y = b.op("MaxPool", [y], "pool", kernel_shape=[2, 2], strides=[2, 2])
    w2 = b.weight((c2, c1, 3, 3), 1, _scale(r, pow2_scales, (), -2, -2), domain=domain)
    y = b.op("Conv", [y, w2], "conv2", kernel_shape=[3, 3], pads=[0, 0, 0, 0])
    y = b.bipolar(b.batchnorm(y), 1.0, domain)
    y = b.torch_flatten(y)
    feat = c2 * (shape[2] // 2 - 2) * (shape[3] // 2 - 2)
    wf = b.weight((feat, classes), 1, _scale(r, pow2_scales, (1, classes), -4, -1), domain=domain,
                  out_axis=1)
    y = b.op("MatMul", [y, wf], "fc")
    y = b.op("Mul", [y, b.const(_scale(r, pow2_scales, (classes,), -3, 1), "out_scale")], "logits")
    return b.model([y], exact=pow2_scales)


def kbit_mlp(w_bits=2, a_bits=2, signed_act=True, narrow=False, hidden=64, layers=3,
             in_features=784, classes=10, seed=0, pow2_scales=True, domain=QONNX, opset=13):
    """FINN TFC-style MLP: Quant(a_bits) -> layers x [MatMul(Quant(W,
    w_bits)) -> BN -> Quant(a_bits)] -> MatMul. 1-bit weights or activations
    use BipolarQuant."""
    b = Builder("kbit_mlp_w%da%d" % (w_bits, a_bits), seed, opset)
    r = b.rng

    def act(t):
        if a_bits == 1:
            return b.bipolar(t, 1.0, domain)
        # Levels cover about [-2, 2) signed, [0, 4) unsigned.
        s = _scale(r, pow2_scales, (), 2 - a_bits, 2 - a_bits)
        return b.quant(t, s, a_bits, signed_act, narrow, domain=domain)
    y = act(b.input("input", (1, in_features)))
    fan = in_features
    for i in range(layers):
        w = b.weight((fan, hidden), w_bits, _scale(r, pow2_scales, (1, hidden), -4, -1),
                     narrow, domain, out_axis=1)
        y = act(b.batchnorm(b.op("MatMul", [y, w], "fc%d" % i)))
        fan = hidden
    w = b.weight((fan, classes), w_bits, _scale(r, pow2_scales, (1, classes), -4, -1), narrow,
                 domain, out_axis=1)
    return b.model([b.op("MatMul", [y, w], "logits")], exact=pow2_scales)


def padded_binary_net(seed=0, shape=(1, 8, 6, 5), opset=13):
    """Pad nodes between a binary activation and a Conv (+1, then zero and
    asymmetric), a k-bit activation padded with zero before a Conv, and a
    bipolar weight transposed before MatMul (torch.onnx's F.linear)."""
    b = Builder("padded_binary_net", seed, opset)
    x = b.bipolar(b.input("input", shape))
    x = b.op("Pad", [x, b.const(np.array([0, 0, 1, 1, 0, 0, 1, 1]), "p1", dtype=np.int64),
                     b.const(np.array(1.0, np.float32), "pv1")], "pad1")
    y = b.op("Conv", [x, b.weight((8, shape[1], 3, 3), 1, 1.0)], "conv1", kernel_shape=[3, 3])
    y = b.bipolar(b.batchnorm(y))
    y = b.op("Pad", [y, b.const(np.array([0, 0, 0, 1, 0, 0, 2, 0]), "p2", dtype=np.int64)],
             "pad2")
    y = b.op("Conv", [y, b.weight((8, 8, 3, 3), 1, 0.5)], "conv2", kernel_shape=[3, 3])
    y = b.quant(b.batchnorm(y), 0.5, 3, False)
    y = b.op("Pad", [y, b.const(np.array([0, 0, 1, 0, 0, 0, 0, 1]), "p3", dtype=np.int64)],
             "pad3")
    y = b.op("Conv", [y, b.weight((4, 8, 2, 2), 1, 0.25)], "conv3", kernel_shape=[2, 2])
    y = b.bipolar(b.batchnorm(y))
    y = b.op("Flatten", [y], "flat")
    n = int(np.prod(b.probe(y).shape[1:]))
    w = b.weight((6, n), 1, 0.25)
    wt = b.op("Transpose", [w], "wt", perm=[1, 0])
    return b.model([b.op("MatMul", [y, wt], "logits")], exact=True)


def trunc_net(seed=0, shape=(1, 4, 6, 6), opset=13):
    """Brevitas's truncation: a 4-bit conv whose accumulator goes through
    Trunc version 1 (no clamp) to a k-bit activation, then an average pool
    of 4-bit activations truncated by Trunc version 2 (with an output range)
    before the dense layer."""
    b = Builder("trunc_net", seed, opset)
    r = b.rng
    x = b.quant(b.input("input", shape), 2.0 ** -3, 4, False)
    w = b.weight((8, shape[1], 3, 3), 3, 2.0 ** -2)
    y = b.op("Conv", [x, w], "conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = b.op("Trunc", [y, b.const(2.0 ** -1, "t_scale"), b.const(0.0, "t_zp"),
                       b.const(6.0, "t_in"), b.const(4.0, "t_out")], "trunc1",
             domain=QONNX, rounding_mode="FLOOR")
    y = b.quant(b.op("Relu", [y], "relu"), 2.0 ** -1, 4, False)
    y = b.op("AveragePool", [y], "avg", kernel_shape=[2, 2], strides=[2, 2])
    y = b.op("Trunc", [y, b.const(2.0 ** -3, "t2_scale"), b.const(0.0, "t2_zp"),
                       b.const(8.0, "t2_in"), b.const(2.0 ** -1, "t2_out_scale"),
                       b.const(4.0, "t2_out")], "trunc2", domain=QONNX,
             rounding_mode="ROUND", signed=0, narrow=0)
    y = b.op("Flatten", [y], "flat")
    w2 = b.weight((8 * (shape[2] // 2) * (shape[3] // 2), 5), 2, 2.0 ** -2, out_axis=1)
    return b.model([b.op("MatMul", [y, w2], "logits")], exact=True)


def multithreshold_net(seed=0, in_features=32, hidden=16, classes=10, steps=7, out_scale=0.5,
                       out_bias=-1.5, global_thresholds=False, opset=13):
    """MatMul -> MultiThreshold (finn domain) -> MatMul, all dyadic. The
    thresholds lie on a coarse 2^-4 grid so that some inputs hit them
    exactly (x >= t counts)."""
    b = Builder("multithreshold_net", seed, opset)
    r = b.rng
    x = b.input("input", (1, in_features))
    w1 = np.round(r.normal(0, 0.5, (in_features, hidden)) * 16) / 16
    y = b.op("MatMul", [x, b.const(w1, "w1")], "fc1")
    v = b.probe(y)
    rows = 1 if global_thresholds else hidden
    qs = np.linspace(0.05, 0.95, steps)
    thr = np.quantile(v.reshape(-1, 1) if global_thresholds else v, qs, axis=0)
    thr = thr.T.reshape(rows, steps)
    thr = np.sort(np.round(thr * 16) / 16 + r.integers(-1, 2, thr.shape) / 16, axis=1)
    y = b.op("MultiThreshold", [y, b.const(thr, "thresholds")], "mt", domain=FINN,
             out_dtype="UINT%d" % int(np.ceil(np.log2(steps + 1))), out_scale=out_scale,
             out_bias=out_bias)
    w2 = np.round(r.normal(0, 0.5, (hidden, classes)) * 16) / 16
    return b.model([b.op("MatMul", [y, b.const(w2, "w2")], "logits")], exact=True)


def qdq_int8_net(seed=0, variant="qdq", shape=(1, 3, 8, 8), channels=8, classes=10, opset=13):
    """ONNX integer quantization, power-of-two scales throughout.
    qdq:     QuantizeLinear/DequantizeLinear around Conv (per-channel int8
             weights) -> Relu -> Q/DQ -> MaxPool -> Flatten -> MatMul(DQ(W)).
    qlinear: QuantizeLinear -> QLinearConv -> Flatten -> QLinearMatMul ->
             DequantizeLinear.
    integer: QuantizeLinear -> ConvInteger -> Cast -> Mul -> MaxPool ->
             Flatten -> MatMulInteger -> Cast -> Mul."""
    b = Builder("qdq_int8_%s" % variant, seed, opset)
    r = b.rng
    cin = shape[1]
    x = b.input("input", shape)
    sx = np.float32(2.0 ** -5)
    xq = b.op("QuantizeLinear", [x, b.const(sx, "x_scale"), b.const(128, "x_zp", np.uint8)], "xq")
    wq = r.integers(-127, 128, (channels, cin, 3, 3)).astype(np.int8)
    sw = (2.0 ** r.integers(-8, -5, channels)).astype(np.float32)
    feat = channels * shape[2] * shape[3]
    w2 = r.integers(-127, 128, (feat if variant == "qlinear" else feat // 4, classes))
    if variant == "qdq":
        xd = b.op("DequantizeLinear", [xq, b.const(sx, "x_scale"),
                                       b.const(128, "x_zp", np.uint8)], "xd")
        wd = b.op("DequantizeLinear", [b.const(wq, "w_q", np.int8), b.const(sw, "w_scale"),
                                       b.const(np.zeros(channels), "w_zp", np.int8)], "wd", axis=0)
        bias = r.integers(-2000, 2000, channels) * sx * sw
        y = b.op("Conv", [xd, wd, b.const(bias, "bias")], "conv", kernel_shape=[3, 3],
                 pads=[1, 1, 1, 1])
        y = b.op("Relu", [y], "relu")
        s1 = b.const(2.0 ** -3, "a_scale")
        y = b.op("QuantizeLinear", [y, s1, b.const(0, "a_zp", np.uint8)], "aq")
        y = b.op("DequantizeLinear", [y, s1, b.const(0, "a_zp", np.uint8)], "ad")
        y = b.op("MaxPool", [y], "pool", kernel_shape=[2, 2], strides=[2, 2])
        y = b.op("Flatten", [y], "flat")
        w2d = b.op("DequantizeLinear", [b.const(w2, "w2_q", np.int8),
                                        b.const(2.0 ** -7, "w2_scale")], "w2d")
        y = b.op("MatMul", [y, w2d], "logits")
    elif variant == "qlinear":
        y = b.op("QLinearConv", [xq, b.const(sx, "x_scale"), b.const(128, "x_zp", np.uint8),
                                 b.const(wq, "w_q", np.int8), b.const(sw, "w_scale"),
                                 b.const(np.zeros(channels), "w_zp", np.int8),
                                 b.const(2.0 ** -3, "y_scale"), b.const(64, "y_zp", np.uint8),
                                 b.const(r.integers(-2000, 2000, channels), "bias", np.int32)],
                 "qconv", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        y = b.op("Flatten", [y], "flat")
        y = b.op("QLinearMatMul", [y, b.const(2.0 ** -3, "a_scale"), b.const(64, "a_zp", np.uint8),
                                   b.const(w2, "w2_q", np.int8), b.const(2.0 ** -7, "w2_scale"),
                                   b.const(0, "w2_zp", np.int8), b.const(2.0, "o_scale"),
                                   b.const(0, "o_zp", np.int8)], "qfc")
        y = b.op("DequantizeLinear", [y, b.const(2.0, "o_scale"), b.const(0, "o_zp", np.int8)],
                 "logits")
    elif variant == "integer":
        acc = b.op("ConvInteger", [xq, b.const(wq, "w_q", np.int8), b.const(128, "x_zp", np.uint8)],
                   "acc", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        y = b.op("Cast", [acc], "accf", to=TensorProto.FLOAT)
        y = b.op("Mul", [y, b.const((sx * sw).reshape(1, -1, 1, 1), "acc_scale")], "conv")
        y = b.op("QuantizeLinear", [y, b.const(2.0 ** -3, "a_scale"),
                                    b.const(0, "a_zp", np.int8)], "aq")
        y = b.op("MaxPool", [y], "pool", kernel_shape=[2, 2], strides=[2, 2])
        y = b.op("Flatten", [y], "flat")
        acc = b.op("MatMulInteger", [y, b.const(w2, "w2_q", np.int8)], "acc2")
        y = b.op("Cast", [acc], "acc2f", to=TensorProto.FLOAT)
        y = b.op("Mul", [y, b.const(2.0 ** -10, "out_scale")], "logits")
    else:
        raise ValueError("variant %r" % variant)
    return b.model([y], exact=True)

#===------------------------------------------------------------------------===#
# Random graphs
#===------------------------------------------------------------------------===#


def random_graph(seed):
    """A small random quantized network: an input quantizer, 1-3 conv layers
    (binary or k-bit weights, odd channel counts and spatial sizes, stride
    1/2, symmetric/asymmetric/no padding, some depthwise, optional bias, BN,
    a binary or k-bit activation quantizer, sometimes MaxPool or a residual
    Add), a flatten (Flatten, torch-style shape arithmetic or
    GlobalAveragePool + quantizer), 0-2 quantized dense layers and a last
    quantized MatMul or Gemm with an optional per-class scale.

    Returns (model, exact): one graph in ten uses arbitrary scales and needs
    a tolerance; the others are exact. A graph whose output is the same for
    three inputs is drawn again (from a derived seed)."""
    for attempt in range(8):
        model, exact = _random_graph(seed, attempt)
        outs = [onnx_ref.run(model, make_inputs(model, s)) for s in range(3)]
        if any(not np.array_equal(outs[0][k], o[k]) for o in outs[1:] for k in o):
            break
    return model, exact


def _random_graph(seed, attempt):
    r = np.random.default_rng([seed, attempt])
    pow2 = r.random() >= 0.1
    opset = int(r.choice([11, 13, 13, 17]))
    domain = str(r.choice([QONNX, FINN, BREVITAS]))
    b = Builder("random_%d" % seed, [seed, attempt], opset)
    c = int(r.choice([1, 2, 3, 5, 8]))
    h, w = int(r.integers(3, 13)), int(r.integers(3, 13))
    x = b.input("input", (1, c, h, w))
    # Track the largest integer magnitude of the current activation so that
    # every integer dot product stays below 2^24.
    kind = r.choice(["signed", "unsigned", "bipolar"])
    if kind == "bipolar":
        x, amax = b.bipolar(x, 1.0, domain), 1
    else:
        bits = int(r.integers(2, 9))
        x = b.quant(x, _scale(r, pow2, (), -5, -1), bits, kind == "signed", r.random() < 0.3,
                    domain=domain)
        amax = 2 ** bits

    def act(t):
        """A random activation quantizer whose scale fits the values of t."""
        kind = r.choice(["bipolar", "signed", "unsigned", "relu"])
        if kind == "bipolar":
            return b.bipolar(t, 1.0, domain), 1
        bits = int(r.integers(2, 6))
        target = 2.0 * max(float(b.probe(t).std()), 2.0 ** -6) / 2 ** (bits - 1)
        s = np.float32(2.0 ** np.round(np.log2(target)) if pow2 else target * r.uniform(0.8, 1.25))
        if kind == "relu":
            return b.quant(b.op("Relu", [t], "relu"), s, bits, False, domain=domain), 2 ** bits
        return b.quant(t, s, bits, kind == "signed", r.random() < 0.3, domain=domain), 2 ** bits

    def wbits(fan):
        for bits in (int(r.choice([1, 2, 3, 4, 8])), 4, 2, 1):
            if fan * amax * max(1, 2 ** (bits - 1)) < 2 ** 23:
                return bits
        return 1
    for _ in range(int(r.integers(1, 4))):
        k = int(r.choice([1, 3])) if min(h, w) >= 3 else 1
        stride = int(r.choice([1, 1, 2]))
        pad = r.choice(["none", "same", "asym"]) if k == 3 else "none"
        pads = {"none": [0, 0, 0, 0], "same": [1, 1, 1, 1],
                "asym": [int(v) for v in r.integers(0, 2, 4)]}[pad]
        depthwise = k == 3 and c > 1 and r.random() < 0.2
        m = c if depthwise else int(r.choice([1, 3, 7, 16, 33]))
        group = c if depthwise else 1
        cg = c // group
        bits = wbits(cg * k * k)
        wq = b.weight((m, cg, k, k), bits, _scale(r, pow2, (m, 1, 1, 1) if r.random() < 0.5 else (),
                                                  -4, 0), r.random() < 0.5, domain)
        ins = [x, wq]
        if r.random() < 0.3:
            ins.append(b.const(np.round(r.normal(0, 4, m)) / 16, "bias"))
        y = b.op("Conv", ins, "conv", kernel_shape=[k, k], pads=pads, strides=[stride, stride],
                 group=group)
        h = (h + pads[0] + pads[2] - k) // stride + 1
        w = (w + pads[1] + pads[3] - k) // stride + 1
        if r.random() < 0.8:
            y = b.batchnorm(y)
        y, amax_next = act(y)
        if m == c and stride == 1 and pads == [1, 1, 1, 1] and r.random() < 0.5:
            # Residual Add of two quantized tensors: exact in float32.
            y = b.op("Add", [y, x], "residual")
            amax_next += amax
        x, c, amax = y, m, amax_next
        if min(h, w) >= 2 and r.random() < 0.3:
            x = b.op("MaxPool", [x], "pool", kernel_shape=[2, 2], strides=[2, 2])
            h, w = h // 2, w // 2
    head = r.choice(["flatten", "torch", "gap"])
    if head == "flatten":
        x = b.op("Flatten", [x], "flat")
        fan = c * h * w
    elif head == "torch":
        x = b.torch_flatten(x)
        fan = c * h * w
    else:
        # The mean is not dyadic: requantize before anything sums it.
        x, amax = act(b.batchnorm(b.op("GlobalAveragePool", [x], "gap")))
        x = b.op("Flatten", [x], "flat")
        fan = c
    for _ in range(int(r.integers(0, 3))):
        units = int(r.choice([5, 16, 31]))
        bits = wbits(fan)
        x = b.op("MatMul", [x, b.weight((fan, units), bits, _scale(r, pow2, (1, units), -4, 0),
                                        r.random() < 0.5, domain, out_axis=1)], "fc")
        x, amax = act(b.batchnorm(x))
        fan = units
    classes = int(r.integers(1, 11))
    bits = wbits(fan)
    if r.random() < 0.5:
        wt = b.weight((fan, classes), bits, _scale(r, pow2, (), -4, 0), r.random() < 0.5, domain,
                      out_axis=1)
        y = b.op("MatMul", [x, wt], "logits")
    else:
        wt = b.weight((classes, fan), bits, _scale(r, pow2, (classes, 1), -4, 0), r.random() < 0.5,
                      domain)
        bias = np.round(r.normal(0, 8, classes)) / 16
        y = b.op("Gemm", [x, wt, b.const(bias, "bias")], "logits", transB=1)
    if r.random() < 0.5:
        y = b.op("Mul", [y, b.const(_scale(r, pow2, (classes,), -2, 2), "out_scale")], "scaled")
    return b.model([y], exact=pow2), bool(pow2)


def cases(n_random=0, first_seed=0):
    """(name, model, exact) for every fixed model and n_random random ones."""
    fixed = [
        ("float_cnn", float_cnn(), False),
        ("float_cnn_opset11", float_cnn(seed=1, shape=(1, 3, 9, 13), opset=11), False),
        ("float_glue", float_glue(), False),
        ("bnn_cnn", bnn_cnn(), True),
        ("bnn_cnn_float_input", bnn_cnn(seed=1, input_quant=False, domain=FINN), True),
        ("bnn_cnn_arbitrary_scales", bnn_cnn(seed=2, pow2_scales=False, domain=BREVITAS), False),
        ("kbit_mlp_w1a1", kbit_mlp(1, 1, hidden=64, seed=3), True),
        ("kbit_mlp_w2a2", kbit_mlp(2, 2, hidden=64, seed=4), True),
        ("kbit_mlp_w4a4_unsigned_narrow", kbit_mlp(4, 4, False, True, hidden=32, seed=5), True),
        ("kbit_mlp_w8a3", kbit_mlp(8, 3, hidden=16, seed=6, domain=FINN), True),
        ("multithreshold_net", multithreshold_net(), True),
        ("trunc_net", trunc_net(), True),
        ("padded_binary_net", padded_binary_net(), True),
        ("multithreshold_global", multithreshold_net(seed=7, global_thresholds=True, out_scale=1.0,
                                                     out_bias=0.0, opset=11), True),
        ("qdq_int8", qdq_int8_net(), True),
        ("qlinear_int8", qdq_int8_net(seed=8, variant="qlinear"), True),
        ("integer_int8", qdq_int8_net(seed=9, variant="integer"), True),
    ]
    rand = []
    for s in range(first_seed, first_seed + n_random):
        m, exact = random_graph(s)
        rand.append(("random_%d" % s, m, exact))
    return fixed + rand
