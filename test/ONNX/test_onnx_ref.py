#!/usr/bin/python3
"""Self-tests of onnx_ref.py (the oracle of the ONNX importer's differential
test) and of the models of onnx_models.py.

Float ops are checked against torch.nn.functional, the QONNX ops against
examples worked by hand from the QONNX documents, the shape ops against
their specification, and the models for the properties the harness relies
on (checker, determinism, exactness independent of summation order).

    /usr/bin/python3 test/ONNX/test_onnx_ref.py [-v]
"""
import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from onnx import helper, numpy_helper  # noqa: E402

import onnx_models  # noqa: E402
import onnx_ref  # noqa: E402

QONNX = "qonnx.custom_op.general"
F32 = np.float32


def f32(*values):
    return np.array(values, F32)


def node_model(op, inputs, domain="", opset=13, n_out=1, consts=(), **attrs):
    """A one-node model whose inputs are graph inputs (None: an omitted
    optional input), or initializers for the indices in `consts`."""
    names, vis, inits, feed = [], [], [], {}
    for i, a in enumerate(inputs):
        if a is None:
            names.append("")
            continue
        a = np.asarray(a)
        name = "in%d" % i
        names.append(name)
        if i in consts:
            inits.append(numpy_helper.from_array(a, name))
        else:
            vis.append(helper.make_tensor_value_info(
                name, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype], list(a.shape)))
            feed[name] = a
    outs = ["out%d" % i for i in range(n_out)]
    node = helper.make_node(op, names, outs, domain=domain, **attrs)
    graph = helper.make_graph([node], "t", vis, [helper.make_tensor_value_info(o, 0, None)
                                                  for o in outs], inits)
    ops = [helper.make_opsetid("", opset)] + ([helper.make_opsetid(domain, 1)] if domain else [])
    return helper.make_model(graph, opset_imports=ops), feed


def run1(op, inputs, **kw):
    model, feed = node_model(op, inputs, **kw)
    res = onnx_ref.run(model, feed)
    return res["out0"] if len(res) == 1 else [res["out%d" % i] for i in range(len(res))]


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


class Case(unittest.TestCase):
    def same(self, got, want):
        """Exact: same dtype, shape and values (NaN never expected)."""
        want = np.asarray(want)
        self.assertEqual(got.dtype, want.dtype, "dtype")
        self.assertEqual(got.shape, want.shape, "shape")
        np.testing.assert_array_equal(got, want)

    def close(self, got, want, tol=1e-5):
        want = np.asarray(want)
        self.assertEqual(got.shape, want.shape, "shape")
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)

#===------------------------------------------------------------------------===#
# Float compute ops against torch
#===------------------------------------------------------------------------===#


class FloatOps(Case):
    rng = np.random.default_rng(1)

    def conv_case(self, n, c, h, w, m, k, group, stride, dil, pads, bias=True, ints=False):
        r = self.rng
        if ints:
            x = r.integers(-8, 8, (n, c, h, w)).astype(F32)
            wt = r.integers(-8, 8, (m, c // group, k, k)).astype(F32)
        else:
            x = r.standard_normal((n, c, h, w)).astype(F32)
            wt = r.standard_normal((m, c // group, k, k)).astype(F32)
        b = r.standard_normal(m).astype(F32) if bias else None
        got = run1("Conv", [x, wt, b], group=group, strides=[stride] * 2, dilations=[dil] * 2,
                   pads=pads)
        # torch pads symmetrically only: pad first (ONNX order t, l, b, r).
        xp = F.pad(t(x).double(), (pads[1], pads[3], pads[0], pads[2]))
        want = F.conv2d(xp, t(wt).double(), None if b is None else t(b).double(), stride=stride,
                        dilation=dil, groups=group).float().numpy()
        return got, want

    def test_conv(self):
        for args in [(1, 3, 9, 7, 5, 3, 1, 1, 1, [1, 1, 1, 1]),
                     (2, 4, 8, 8, 6, 3, 2, 1, 1, [0, 0, 0, 0]),
                     (1, 6, 7, 9, 6, 3, 6, 1, 1, [1, 1, 1, 1]),      # depthwise
                     (1, 6, 11, 10, 12, 3, 6, 2, 1, [1, 0, 2, 1]),   # asymmetric, stride 2
                     (1, 3, 12, 12, 4, 3, 1, 1, 2, [2, 2, 2, 2]),    # dilation
                     (1, 5, 6, 5, 3, 1, 1, 2, 1, [0, 1, 1, 0])]:
            with self.subTest(args=args):
                got, want = self.conv_case(*args)
                # float64 accumulation rounded once equals torch's float64 conv rounded once.
                self.same(got, want)

    def test_conv_exact_on_integers(self):
        got, want = self.conv_case(1, 16, 9, 9, 8, 3, 1, 1, 1, [1, 1, 1, 1], bias=False, ints=True)
        self.same(got, want)
        self.assertTrue(np.all(got == np.round(got)))

    def test_conv_1d(self):
        x = self.rng.standard_normal((1, 3, 10)).astype(F32)
        w = self.rng.standard_normal((4, 3, 3)).astype(F32)
        got = run1("Conv", [x, w], pads=[2, 1], strides=[2])
        want = F.conv1d(F.pad(t(x).double(), (2, 1)), t(w).double(), stride=2).float().numpy()
        self.same(got, want)

    def test_maxpool(self):
        x = self.rng.standard_normal((2, 3, 11, 10)).astype(F32)
        for k, s, p, d, ceil in [(2, 2, 0, 1, 0), (3, 2, 1, 1, 0), (3, 2, 1, 1, 1), (2, 2, 0, 1, 1),
                                 (3, 1, 1, 2, 0), (3, 3, 1, 1, 1)]:
            with self.subTest(k=k, s=s, p=p, d=d, ceil=ceil):
                got = run1("MaxPool", [x], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4,
                           dilations=[d, d], ceil_mode=ceil)
                want = F.max_pool2d(t(x), k, s, p, d, ceil_mode=bool(ceil)).numpy()
                self.same(got, want)
        got = run1("MaxPool", [x], kernel_shape=[3, 2], pads=[0, 1, 2, 0], strides=[2, 1])
        xp = F.pad(t(x), (1, 0, 0, 2), value=-np.inf)
        self.same(got, F.max_pool2d(xp, (3, 2), (2, 1)).numpy())

    def test_avgpool(self):
        x = self.rng.standard_normal((1, 4, 9, 8)).astype(F32)
        for k, s, p, cip, ceil in [(2, 2, 0, 0, 0), (3, 2, 1, 0, 0), (3, 2, 1, 1, 0),
                                   (3, 2, 1, 1, 1), (3, 2, 1, 0, 1), (2, 3, 1, 1, 1)]:
            with self.subTest(k=k, s=s, p=p, cip=cip, ceil=ceil):
                got = run1("AveragePool", [x], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4,
                           count_include_pad=cip, ceil_mode=ceil)
                want = F.avg_pool2d(t(x).double(), k, s, p, ceil_mode=bool(ceil),
                                    count_include_pad=bool(cip)).float().numpy()
                self.same(got, want)
        got = run1("AveragePool", [x], kernel_shape=[2, 3], pads=[1, 0, 0, 2], count_include_pad=1)
        want = F.avg_pool2d(F.pad(t(x).double(), (0, 2, 1, 0)), (2, 3), 1).float().numpy()
        self.same(got, want)

    def test_global_average_pool(self):
        x = self.rng.standard_normal((2, 5, 7, 3)).astype(F32)
        got = run1("GlobalAveragePool", [x])
        self.same(got, t(x).double().mean((2, 3), keepdim=True).float().numpy())

    def test_gemm_matmul(self):
        r = self.rng
        a = r.standard_normal((4, 6)).astype(F32)
        b = r.standard_normal((5, 6)).astype(F32)
        c = r.standard_normal(5).astype(F32)
        got = run1("Gemm", [a, b, c], transB=1)
        self.same(got, F.linear(t(a).double(), t(b).double(), t(c).double()).float().numpy())
        got = run1("Gemm", [a.T.copy(), b, c.reshape(1, 5)], transA=1, transB=1, alpha=0.5,
                   beta=-2.0)
        want = (0.5 * (t(a).double() @ t(b).double().T) - 2.0 * t(c).double()).float().numpy()
        self.same(got, want)
        got = run1("Gemm", [a, b.T.copy()], opset=11)
        self.same(got, (t(a).double() @ t(b).double().T).float().numpy())
        x = r.standard_normal((2, 3, 4, 6)).astype(F32)
        y = r.standard_normal((6, 7)).astype(F32)
        self.same(run1("MatMul", [x, y]), (t(x).double() @ t(y).double()).float().numpy())

    def test_batchnorm(self):
        r = self.rng
        for shape in [(2, 5, 4, 3), (3, 5)]:
            x = r.standard_normal(shape).astype(F32)
            s, b, m = (r.standard_normal(5).astype(F32) for _ in range(3))
            v = r.uniform(0.1, 2, 5).astype(F32)
            got = run1("BatchNormalization", [x, s, b, m, v], epsilon=1e-3)
            want = F.batch_norm(t(x), t(m), t(v), t(s), t(b), False, eps=1e-3).numpy()
            self.close(got, want)
            # The documented float32 order, step by step.
            sh = (1, 5) + (1,) * (len(shape) - 2)
            d = np.sqrt(v + F32(1e-3)).reshape(sh)
            self.same(got, (x - m.reshape(sh)) / d * s.reshape(sh) + b.reshape(sh))

    def test_activations(self):
        r = self.rng
        x = r.standard_normal((2, 3, 4, 4)).astype(F32)
        slope = r.uniform(0, 0.5, (3, 1, 1)).astype(F32)
        self.same(run1("PRelu", [x, slope]), F.prelu(t(x), t(slope.reshape(3))).numpy())
        self.same(run1("LeakyRelu", [x], alpha=0.2), F.leaky_relu(t(x), 0.2).numpy())
        self.same(run1("Relu", [x]), F.relu(t(x)).numpy())
        self.close(run1("Sigmoid", [x]), torch.sigmoid(t(x)).numpy(), 1e-6)
        self.close(run1("Tanh", [x]), torch.tanh(t(x)).numpy(), 1e-6)
        self.close(run1("Softmax", [x], axis=1), F.softmax(t(x), 1).numpy(), 1e-6)
        self.close(run1("Softmax", [x]), F.softmax(t(x), -1).numpy(), 1e-6)
        # Opset < 13 normalises the flattened trailing dimensions together.
        got = run1("Softmax", [x], opset=11, axis=1)
        self.close(got, F.softmax(t(x).reshape(2, -1), 1).reshape(x.shape).numpy(), 1e-6)

    def test_clip_opsets(self):
        x = f32(-3, -1, 0, 0.5, 2, 7)
        self.same(run1("Clip", [x], opset=9, min=-1.0, max=2.0), f32(-1, -1, 0, 0.5, 2, 2))
        self.same(run1("Clip", [x, f32(-1)[0], f32(2)[0]], opset=13), f32(-1, -1, 0, 0.5, 2, 2))
        self.same(run1("Clip", [x, None, np.array(1, F32)], opset=13), f32(-3, -1, 0, 0.5, 1, 1))
        self.same(run1("Clip", [x], opset=13), x)

    def test_elementwise_float32(self):
        r = self.rng
        a = r.standard_normal((2, 3, 4)).astype(F32)
        b = r.standard_normal((3, 1)).astype(F32)
        self.same(run1("Add", [a, b]), a + b)
        self.same(run1("Sub", [a, b]), a - b)
        self.same(run1("Mul", [a, b]), a * b)
        self.same(run1("Div", [a, b]), a / b)
        self.same(run1("Sqrt", [np.abs(a)]), np.sqrt(np.abs(a)))
        self.same(run1("Pow", [a, f32(2)]), a * a)
        self.same(run1("Pow", [a, np.array(3, np.int64)]), (a.astype(np.float64) ** 3).astype(F32))
        self.same(run1("Sign", [f32(-2, 0, 3)]), f32(-1, 0, 1))
        self.same(run1("Div", [np.array([7, -7, 7, -7]), np.array([2, 2, -2, -2])]),
                  np.array([3, -3, -3, 3]))

#===------------------------------------------------------------------------===#
# Shape and data-movement ops
#===------------------------------------------------------------------------===#


class ShapeOps(Case):
    x = np.arange(2 * 3 * 4 * 5, dtype=F32).reshape(2, 3, 4, 5)

    def test_reshape(self):
        x = self.x
        self.same(run1("Reshape", [x, np.array([0, -1, 5])]), x.reshape(2, 12, 5))
        self.same(run1("Reshape", [x, np.array([-1, 0, 4, 5])]), x.reshape(2, 3, 4, 5))
        z = np.zeros((0, 3), F32)
        self.same(run1("Reshape", [z, np.array([3, 0])], opset=14, allowzero=1), z.reshape(3, 0))

    def test_flatten_transpose_concat(self):
        x = self.x
        self.same(run1("Flatten", [x]), x.reshape(2, 60))
        self.same(run1("Flatten", [x], axis=0), x.reshape(1, 120))
        self.same(run1("Flatten", [x], axis=-1), x.reshape(24, 5))
        self.same(run1("Transpose", [x], perm=[0, 2, 3, 1]), x.transpose(0, 2, 3, 1))
        self.same(run1("Transpose", [x]), x.transpose())
        self.same(run1("Concat", [x, x[:, :1]], axis=1), np.concatenate([x, x[:, :1]], 1))
        self.same(run1("Concat", [x, x], axis=-1), np.concatenate([x, x], 3))

    def test_pad_opsets(self):
        x = self.x[0, 0]
        want = np.pad(x, ((1, 0), (2, 3)), constant_values=-1.5)
        self.same(run1("Pad", [x], opset=9, pads=[1, 2, 0, 3], value=-1.5), want)
        self.same(run1("Pad", [x, np.array([1, 2, 0, 3]), np.array(-1.5, F32)], opset=13), want)
        self.same(run1("Pad", [x, np.array([1, 2, 0, 3])], opset=11), np.pad(x, ((1, 0), (2, 3))))
        # Negative pads crop.
        self.same(run1("Pad", [x, np.array([-1, 1, 0, -2])], opset=13),
                  np.pad(x[1:, :-2], ((0, 0), (1, 0))))

    def test_slice_opsets(self):
        x = self.x
        self.same(run1("Slice", [x], opset=9, starts=[1, -3], ends=[100, -1], axes=[1, 3]),
                  x[:, 1:, :, -3:-1])
        self.same(run1("Slice", [x, np.array([1, -3]), np.array([100, -1]), np.array([1, 3])]),
                  x[:, 1:, :, -3:-1])
        self.same(run1("Slice", [x, np.array([-1]), np.array([-100]), np.array([2]),
                                 np.array([-1])]), x[:, :, ::-1])
        self.same(run1("Slice", [x, np.array([4, 0]), np.array([0, 9]), np.array([-1, 1]),
                                 np.array([-2, 2])]), x[:, :, :, 4:0:-2][:, ::2])
        self.same(run1("Slice", [x, np.array([0]), np.array([np.iinfo(np.int64).max])]), x)

    def test_squeeze_unsqueeze_opsets(self):
        x = np.ones((3, 1, 4, 1), F32)
        self.same(run1("Squeeze", [x], opset=11, axes=[1]), x.reshape(3, 4, 1))
        self.same(run1("Squeeze", [x, np.array([-1, 1])]), x.reshape(3, 4))
        self.same(run1("Squeeze", [x]), x.reshape(3, 4))
        y = np.ones((3, 4), F32)
        self.same(run1("Unsqueeze", [y], opset=11, axes=[0, -1]), y.reshape(1, 3, 4, 1))
        self.same(run1("Unsqueeze", [y, np.array([3, 1])]), y.reshape(3, 1, 4, 1))

    def test_shape_gather_cast_constant(self):
        x = self.x
        self.same(run1("Shape", [x]), np.array([2, 3, 4, 5]))
        self.same(run1("Shape", [x], opset=15, start=1, end=-1), np.array([3, 4]))
        self.same(run1("Gather", [x, np.array(-1)], axis=1), x[:, -1])
        self.same(run1("Gather", [x, np.array([[0, 2], [1, 1]])], axis=2),
                  x[:, :, [[0, 2], [1, 1]]])
        self.same(run1("Cast", [f32(-2.7, 2.7, 0.5)], to=onnx.TensorProto.INT32),
                  np.array([-2, 2, 0], np.int32))
        self.same(run1("Constant", [], value=numpy_helper.from_array(f32(1, 2))), f32(1, 2))
        self.same(run1("Constant", [], value_ints=[3, 4]), np.array([3, 4]))
        self.same(run1("Identity", [x]), x)

    def test_torch_flatten_subgraph(self):
        """Shape -> Gather -> Unsqueeze -> Concat -> Reshape equals Flatten,
        in the attribute (opset 11) and input (opset 13) forms."""
        for opset in (11, 13):
            b = onnx_models.Builder("flat", 0, opset)
            b.input_kind = "normal"
            x = b.input("input", (2, 3, 4, 5))
            y = b.torch_flatten(b.op("Relu", [x], "relu"))
            model = b.model([y], shapes={y: np.zeros((2, 60), F32)})
            x = np.random.default_rng(opset).standard_normal((2, 3, 4, 5)).astype(F32)
            ops = [n.op_type for n in model.graph.node]
            self.assertEqual(ops, ["Relu", "Shape", "Gather", "Unsqueeze", "Concat", "Reshape"])
            self.same(onnx_ref.run(model, {"input": x})[y], run1("Flatten", [np.maximum(x, 0)]))

#===------------------------------------------------------------------------===#
# ONNX integer quantization
#===------------------------------------------------------------------------===#


class OnnxQuantization(Case):
    rng = np.random.default_rng(3)

    def test_quantize_linear(self):
        x = f32(-1.0, -0.25, 0.0, 0.25, 0.75, 1.25, 100)
        s = np.array(0.5, F32)
        self.same(run1("QuantizeLinear", [x, s]), np.array([0, 0, 0, 0, 2, 2, 200], np.uint8))
        self.same(run1("QuantizeLinear", [x, s, np.array(1, np.int8)]),
                  np.array([-1, 1, 1, 1, 3, 3, 127], np.int8))
        x = f32(1.0, 1.0, -3.0, -3.0).reshape(1, 2, 2)
        got = run1("QuantizeLinear", [x, f32(1.0, 0.5), np.array([0, -1], np.int8)], axis=1)
        self.same(got, np.array([[[1, 1], [-7, -7]]], np.int8))

    def test_dequantize_linear(self):
        q = np.array([0, 1, 128, 255], np.uint8)
        self.same(run1("DequantizeLinear", [q, np.array(0.25, F32), np.array(128, np.uint8)]),
                  f32(-32, -31.75, 0, 31.75))
        q = np.array([[-128, 127], [5, -5]], np.int8)
        got = run1("DequantizeLinear", [q, f32(2, 0.5), np.array([1, -1], np.int8)], axis=0)
        self.same(got, f32(-258, 252, 3, -2).reshape(2, 2))

    def test_conv_integer(self):
        r = self.rng
        x = r.integers(0, 256, (1, 3, 6, 5)).astype(np.uint8)
        w = r.integers(-128, 128, (4, 3, 3, 3)).astype(np.int8)
        got = run1("ConvInteger", [x, w, np.array(100, np.uint8), np.array([1, 0, -2, 3], np.int8)],
                   pads=[1, 1, 0, 2], strides=[1, 2])
        xi = t(x.astype(np.float64) - 100)
        wi = t(w.astype(np.float64) - np.array([1, 0, -2, 3]).reshape(4, 1, 1, 1))
        want = F.conv2d(F.pad(xi, (1, 2, 1, 0)), wi, stride=(1, 2)).numpy().astype(np.int32)
        self.same(got, want)

    def test_matmul_integer(self):
        r = self.rng
        a = r.integers(0, 256, (3, 4)).astype(np.uint8)
        b = r.integers(-128, 128, (4, 2)).astype(np.int8)
        got = run1("MatMulInteger", [a, b, np.array(128, np.uint8), np.array([3, -4], np.int8)])
        want = (a.astype(np.int64) - 128) @ (b.astype(np.int64) - np.array([3, -4]))
        self.same(got, want.astype(np.int32))

    def test_qlinear_conv(self):
        """Against dequantize -> float64 conv -> requantize (power-of-two
        scales make both exact)."""
        r = self.rng
        x = r.integers(0, 256, (1, 4, 7, 6)).astype(np.uint8)
        w = r.integers(-127, 128, (6, 2, 3, 3)).astype(np.int8)
        ws = (2.0 ** r.integers(-8, -5, 6)).astype(F32)
        b = r.integers(-3000, 3000, 6).astype(np.int32)
        xs, ys = np.array(2.0 ** -4, F32), np.array(2.0 ** -2, F32)
        for yzp in (np.array(10, np.uint8), np.array(-3, np.int8)):
            got = run1("QLinearConv", [x, xs, np.array(128, np.uint8), w, ws, np.zeros(6, np.int8),
                                       ys, yzp, b], pads=[1, 0, 1, 2], group=2, strides=[2, 1])
            xr = (x.astype(np.float64) - 128) * xs
            wr = w.astype(np.float64) * ws.reshape(6, 1, 1, 1)
            y = F.conv2d(F.pad(t(xr), (0, 2, 1, 1)), t(wr), t(b * xs.astype(np.float64) * ws),
                         stride=(2, 1), groups=2).numpy()
            info = np.iinfo(yzp.dtype)
            want = np.clip(np.rint(y / ys) + yzp, info.min, info.max).astype(yzp.dtype)
            self.same(got, want)

    def test_qlinear_matmul(self):
        r = self.rng
        a = r.integers(-128, 128, (2, 5)).astype(np.int8)
        b = r.integers(0, 256, (5, 3)).astype(np.uint8)
        got = run1("QLinearMatMul", [a, np.array(0.5, F32), np.array(-1, np.int8), b,
                                     np.array(0.25, F32), np.array(120, np.uint8),
                                     np.array(8.0, F32), np.array(100, np.uint8)])
        acc = (a.astype(np.int64) + 1) @ (b.astype(np.int64) - 120)
        want = np.clip(np.rint(acc / 64.0) + 100, 0, 255).astype(np.uint8)
        self.same(got, want)

#===------------------------------------------------------------------------===#
# QONNX ops, hand-worked
#===------------------------------------------------------------------------===#


def quant(x, scale, zeropt, bits, domain=QONNX, **attrs):
    return run1("Quant", [np.asarray(x, F32), np.asarray(scale, F32), np.asarray(zeropt, F32),
                          np.asarray(bits, F32)], domain=domain, **attrs)


class Qonnx(Case):
    X = f32(-5.0, -4.25, -0.75, -0.25, 0.0, 0.25, 0.75, 1.25, 3.5, 3.75, 10.0)
    # X / 0.5 = -10 -8.5 -1.5 -0.5 0 0.5 1.5 2.5 7 7.5 20
    #  ROUND  = -10 -8   -2   -0  0 0   2   2   7 8   20   (half to even)

    def test_quant_signed(self):
        self.same(quant(self.X, 0.5, 0, 4, signed=1, narrow=0),
                  f32(-4, -4, -1, 0, 0, 0, 1, 1, 3.5, 3.5, 3.5))            # [-8, 7]
        self.same(quant(self.X, 0.5, 0, 4, signed=1, narrow=1),
                  f32(-3.5, -3.5, -1, 0, 0, 0, 1, 1, 3.5, 3.5, 3.5))        # [-7, 7]

    def test_quant_unsigned(self):
        self.same(quant(self.X, 0.5, 0, 4, signed=0, narrow=0),
                  f32(0, 0, 0, 0, 0, 0, 1, 1, 3.5, 4, 7.5))                 # [0, 15]
        self.same(quant(self.X, 0.5, 0, 4, signed=0, narrow=1),
                  f32(0, 0, 0, 0, 0, 0, 1, 1, 3.5, 4, 7))                   # [0, 14]

    def test_quant_defaults(self):
        # signed=1, narrow=0, rounding_mode=ROUND as documented.
        self.same(quant(f32(-9, -8.5, 7.5, 8.5), 1, 0, 4), f32(-8, -8, 7, 7))

    def test_quant_rounding_modes(self):
        """The table of the QONNX Quant document (scale 1, 8 bits)."""
        x = f32(5.5, 2.5, 1.6, 1.1, 1.0, -1.0, -1.1, -1.6, -2.5, -5.5)
        table = {
            "ROUND": [6, 2, 2, 1, 1, -1, -1, -2, -2, -6],
            "HALF_EVEN": [6, 2, 2, 1, 1, -1, -1, -2, -2, -6],
            "CEIL": [6, 3, 2, 2, 1, -1, -1, -1, -2, -5],
            "FLOOR": [5, 2, 1, 1, 1, -1, -2, -2, -3, -6],
            "UP": [6, 3, 2, 2, 1, -1, -2, -2, -3, -6],
            "DOWN": [5, 2, 1, 1, 1, -1, -1, -1, -2, -5],
            "ROUND_TO_ZERO": [5, 2, 1, 1, 1, -1, -1, -1, -2, -5],
            "HALF_UP": [6, 3, 2, 1, 1, -1, -1, -2, -3, -6],
            "HALF_DOWN": [5, 2, 2, 1, 1, -1, -1, -2, -2, -5],
        }
        for mode, want in table.items():
            for name in (mode, mode.lower()):
                with self.subTest(mode=name):
                    self.same(quant(x, 1, 0, 8, rounding_mode=name), np.array(want, F32))
        below_half = np.nextafter(F32(0.5), F32(0))
        self.same(quant(np.array([below_half, -below_half]), 1, 0, 8, rounding_mode="HALF_UP"),
                  f32(0, 0))
        with self.assertRaises(NotImplementedError):
            quant(x, 1, 0, 8, rounding_mode="STOCHASTIC")

    def test_quant_per_channel_and_zeropt(self):
        x = f32(1.0, 2.6, -3.0, 1.0, 2.6, -3.0).reshape(2, 3)
        # Row 1: x / 0.25 = 4 10.4 -12 -> 4 10 -12 -> clamp [-8, 7] -> 4 7 -8.
        self.same(quant(x, f32(1.0, 0.25).reshape(2, 1), 0, 4),
                  f32(1, 3, -3, 1, 1.75, -2).reshape(2, 3))
        # x / 0.5 + 8 = -2 5.6 8 8.6 15 16 -> 0 6 8 9 15 15 (unsigned 4-bit).
        self.same(quant(f32(-5, -1.2, 0, 0.3, 3.5, 4), 0.5, 8, 4, signed=0),
                  f32(-4, -1, 0, 0.5, 3.5, 3.5))

    def test_quant_one_bit(self):
        # Signed 1-bit is bipolar (reference code): x / scale + zeropt >= 0 -> +1.
        self.same(quant(f32(-0.1, 0.0, -0.0, 0.3, 5), 2, 0, 1), f32(-2, 2, 2, 2, 2))
        self.same(quant(f32(-1, 0.4, 0.5, 0.6, 3), 1, 0, 1, signed=0), f32(0, 0, 0, 1, 1))
        self.same(quant(f32(-3, -0.6, 0.4, 2), 1, 0, 2, narrow=1), f32(-1, -1, 0, 1))   # ternary

    def test_quant_domains(self):
        for domain in onnx_ref.QONNX_DOMAINS:
            self.same(quant(self.X, 0.5, 0, 4, domain=domain), quant(self.X, 0.5, 0, 4))

    def test_quant_random_power_of_two(self):
        """With a power-of-two scale, x / scale is exact: compare with the
        same quantizer computed in float64 from the definition."""
        r = np.random.default_rng(5)
        x = (r.integers(-4000, 4000, 500) / 128).astype(F32)
        for bits, signed, narrow in [(2, 1, 0), (3, 0, 1), (5, 1, 1), (8, 0, 0)]:
            s = F32(2.0 ** r.integers(-4, 2))
            lo = -(2 ** (bits - 1)) + narrow if signed else 0
            hi = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1 - narrow
            want = np.clip(np.round(x.astype(np.float64) / s), lo, hi) * s
            self.same(quant(x, s, 0, bits, signed=signed, narrow=narrow), want.astype(F32))

    def test_quant_bad_bitwidth(self):
        with self.assertRaises(ValueError):
            quant(self.X, 1, 0, 2.5)

    def test_bipolar_quant(self):
        x = f32(-2, -0.0, 0.0, 1e-30, -1e-30, 3)
        got = run1("BipolarQuant", [x, np.array(0.5, F32)], domain=QONNX)
        self.same(got, f32(-0.5, 0.5, 0.5, 0.5, -0.5, 0.5))
        got = run1("BipolarQuant", [x.reshape(2, 3), f32(1, 4).reshape(2, 1)],
                   domain="onnx.brevitas")
        self.same(got, f32(-1, 1, 1, 4, -4, 4).reshape(2, 3))

    def test_trunc(self):
        x = f32(-33, -17, -1, 0, 15, 16, 31, 47.6)
        one, zero = np.array(1, F32), np.array(0, F32)
        # v1: rint(x) / 2^(8 - 4) = -2.0625 -1.0625 -0.0625 0 0.9375 1 1.9375 3.
        got = run1("Trunc", [x, one, zero, np.array(8, F32), np.array(4, F32)], domain=QONNX)
        self.same(got, f32(-3, -2, -1, 0, 0, 1, 1, 3))
        got = run1("Trunc", [x, one, zero, np.array(8, F32), np.array(4, F32)], domain=QONNX,
                   rounding_mode="ROUND")
        self.same(got, f32(-2, -1, 0, 0, 1, 1, 2, 3))
        # v2: t = 16, y / 16 clamped to [-8, 7], floored, times out_scale 16.
        x = f32(-200, -33, -1, 15, 16, 31, 200)
        want = f32(-128, -48, -16, 0, 16, 16, 112)
        got = run1("Trunc", [x, one, zero, np.array(8, F32), np.array(16, F32), np.array(4, F32)],
                   domain=QONNX)
        self.same(got, want)
        got = run1("Trunc", [x, one, zero, np.array(8, F32), np.array(16, F32), zero,
                             np.array(4, F32)], domain=QONNX)
        self.same(got, want)

    def test_multithreshold(self):
        thr = f32(0.0, 0.5, 1.0, -1.0, 1.0, 3.0).reshape(2, 3)
        x = f32(-1.0, 0.5, 2.0, 0.0, 1.0, 5.0).reshape(1, 2, 1, 3)
        # Channel 0: -1 -> 0, 0.5 -> 2 (0.5 >= 0.5 counts), 2 -> 3.
        # Channel 1: 0 -> 1, 1 -> 2 (1 >= 1 counts), 5 -> 3.
        counts = f32(0, 2, 3, 1, 2, 3).reshape(1, 2, 1, 3)
        got = run1("MultiThreshold", [x, thr], domain="finn.custom_op.general", out_dtype="UINT2")
        self.same(got, counts)
        got = run1("MultiThreshold", [x, thr], domain=QONNX, out_dtype="INT2", out_scale=2.0,
                   out_bias=-3.0)
        self.same(got, counts * 2 - 3)
        nhwc = x.transpose(0, 2, 3, 1)
        got = run1("MultiThreshold", [nhwc, thr], domain=QONNX, out_dtype="UINT2",
                   data_layout="NHWC")
        self.same(got, counts.transpose(0, 2, 3, 1))
        # 2-D input, one threshold row for every channel.
        got = run1("MultiThreshold", [f32(-0.5, 0.0, 1.0, 2.0).reshape(2, 2),
                                      f32(0.0, 1.0).reshape(1, 2)], domain=QONNX, out_dtype="UINT2")
        self.same(got, f32(0, 1, 2, 2).reshape(2, 2))
        # Rank 3: the last axis holds the channels. Channel 0 sees -1 2 1,
        # channel 1 sees 0.5 0 5.
        got = run1("MultiThreshold", [x.reshape(1, 3, 2), thr], domain=QONNX, out_dtype="UINT2")
        self.same(got, f32(0, 1, 3, 1, 3, 3).reshape(1, 3, 2))

#===------------------------------------------------------------------------===#
# Graph handling
#===------------------------------------------------------------------------===#


class Graphs(Case):
    def test_initializer_listed_as_input(self):
        w = f32(1, 2, 3)
        model, feed = node_model("Mul", [f32(2, 2, 2), w], consts=(1,))
        model.graph.input.append(helper.make_tensor_value_info("in1", onnx.TensorProto.FLOAT, [3]))
        self.same(onnx_ref.run(model, feed)["out0"], f32(2, 4, 6))
        self.same(onnx_ref.run(model, dict(feed, in1=f32(0, 1, 0)))["out0"], f32(0, 2, 0))

    def test_errors(self):
        model, feed = node_model("Relu", [f32(1)])
        with self.assertRaises(KeyError):
            onnx_ref.run(model, {})
        with self.assertRaises(KeyError):
            onnx_ref.run(model, dict(feed, other=f32(1)))
        with self.assertRaises(ValueError):
            onnx_ref.run(model, {"in0": f32(1, 2)})
        with self.assertRaisesRegex(NotImplementedError, "LSTM"):
            run1("LSTM", [f32(1)])
        with self.assertRaisesRegex(NotImplementedError, "XnorPopcountMatMul"):
            run1("XnorPopcountMatMul", [f32(1)], domain=QONNX)
        with self.assertRaisesRegex(NotImplementedError, "opset 18"):
            run1("Relu", [f32(1)], opset=18)
        with self.assertRaisesRegex(NotImplementedError, "auto_pad"):
            run1("Conv", [np.ones((1, 1, 3, 3), F32), np.ones((1, 1, 3, 3), F32)],
                 auto_pad="SAME_UPPER")

    def test_model_path(self):
        import tempfile
        model = onnx_models.multithreshold_net()
        x = onnx_models.make_inputs(model, 2)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            onnx.save(model, path)
            a, b = onnx_ref.run(path, x), onnx_ref.run(model, x)
        self.assertEqual(list(a), list(b))
        for k in a:
            self.same(a[k], b[k])

#===------------------------------------------------------------------------===#
# The test models
#===------------------------------------------------------------------------===#


class Models(Case):
    cases = onnx_models.cases(int(os.environ.get("BNN_ONNX_SELFTEST_RANDOM", "12")))

    def test_checker_and_metadata(self):
        for name, model, exact in self.cases:
            with self.subTest(model=name):
                onnx.checker.check_model(model)
                props = {p.key: p.value for p in model.metadata_props}
                self.assertEqual(props["bnn.test.exact"], "1" if exact else "0")
                self.assertIn(props["bnn.test.inputs"], ("dyadic", "normal"))

    def test_deterministic(self):
        again = onnx_models.cases(4)
        for (name, m1, _), (_, m2, _) in zip(self.cases, again):
            with self.subTest(model=name):
                self.assertEqual(m1.SerializeToString(), m2.SerializeToString())

    def test_exact_models_do_not_depend_on_summation(self):
        """What the harness compares exactly must come out the same with
        float32 accumulation, and be integers times a power of two."""
        for name, model, exact in self.cases:
            for seed in range(3):
                x = onnx_models.make_inputs(model, seed)
                ref = onnx_ref.run(model, x)
                for k, v in ref.items():
                    self.assertTrue(np.all(np.isfinite(v)), name)
                if not exact:
                    continue
                saved = onnx_ref.ACCUMULATE
                onnx_ref.ACCUMULATE = np.float32
                try:
                    alt = onnx_ref.run(model, x)
                finally:
                    onnx_ref.ACCUMULATE = saved
                with self.subTest(model=name, seed=seed):
                    for k, v in ref.items():
                        self.same(alt[k], v)
                        self.assertTrue(np.all(v * 2.0 ** 24 == np.round(v * 2.0 ** 24)))

    def test_outputs_vary(self):
        """A model whose output ignores its input tests little."""
        for name, model, _ in self.cases[:14]:
            with self.subTest(model=name):
                outs = [next(iter(onnx_ref.run(model, onnx_models.make_inputs(model, s)).values()))
                        for s in range(3)]
                self.assertFalse(all(np.array_equal(outs[0], o) for o in outs[1:]))


if __name__ == "__main__":
    unittest.main()
