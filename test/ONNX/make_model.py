#!/usr/bin/python3
"""Small ONNX / QONNX models for the importer's lit tests, built with
onnx.helper at test time: `make_model.py NAME OUT.onnx`. Each model shows
one lowering rule or one error of docs/ONNX.md; the .test files check what
bnn-import makes of it. Weights are seeded and power-of-two scaled."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QONNX = "qonnx.custom_op.general"
F = TensorProto.FLOAT


def const(name, value, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(value, dtype=dtype), name)


def model(nodes, inputs, outputs, inits, opset=13, qonnx=True, ir=8):
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    opsets = [helper.make_opsetid("", opset)]
    if qonnx:
        opsets.append(helper.make_opsetid(QONNX, 1))
    return helper.make_model(graph, opset_imports=opsets, ir_version=ir)


def vi(name, shape):
    return helper.make_tensor_value_info(name, F, shape)


def quant(x, out, scale, bits, signed=1, narrow=0, rounding="ROUND",
          zeropt=0.0, attrs=True):
    """A QONNX Quant node and its constant operands."""
    kw = dict(signed=signed, narrow=narrow, rounding_mode=rounding) if attrs else {}
    node = helper.make_node("Quant", [x, out + "_s", out + "_z", out + "_b"],
                            [out], domain=QONNX, name=out, **kw)
    return node, [const(out + "_s", scale), const(out + "_z", zeropt),
                  const(out + "_b", float(bits))]


def bipolar(x, out, scale=1.0):
    node = helper.make_node("BipolarQuant", [x, out + "_s"], [out],
                            domain=QONNX, name=out)
    return node, [const(out + "_s", scale)]


def batchnorm(x, out, c, rng):
    inits = [const(out + "_g", rng.uniform(0.5, 2, c) * rng.choice([-1, 1], c)),
             const(out + "_b", rng.uniform(-1, 1, c)),
             const(out + "_m", rng.uniform(-2, 2, c)),
             const(out + "_v", rng.uniform(0.5, 2, c))]
    node = helper.make_node("BatchNormalization",
                            [x] + [i.name for i in inits], [out], name=out)
    return node, inits


def binary_cnn():
    """Float input -> BipolarQuant -> Conv with BipolarQuant weights ->
    BatchNormalization -> BipolarQuant -> MaxPool -> Flatten -> MatMul."""
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    for n, i in [bipolar("x", "a0"),
                 bipolar("w1", "w1q", 0.5),
                 (helper.make_node("Conv", ["a0", "w1q"], ["c1"], name="conv1",
                                   pads=[1, 1, 1, 1]), []),
                 batchnorm("c1", "bn1", 8, rng),
                 bipolar("bn1", "a1"),
                 (helper.make_node("MaxPool", ["a1"], ["p1"], name="pool",
                                   kernel_shape=[2, 2], strides=[2, 2]), []),
                 (helper.make_node("Flatten", ["p1"], ["f"], name="flat"), []),
                 bipolar("w2", "w2q", 0.25),
                 (helper.make_node("MatMul", ["f", "w2q"], ["y"], name="fc"), [])]:
        nodes.append(n)
        inits += i
    inits += [const("w1", rng.standard_normal((8, 4, 3, 3))),
              const("w2", rng.standard_normal((8 * 4 * 4, 10)))]
    return model(nodes, [vi("x", ["N", 4, 8, 8])], [vi("y", ["N", 10])], inits)


def kbit_mlp():
    """Signed 3-bit activations and signed narrow 2-bit weights: bit-serial
    products with offset corrections, a 3-bit quantizer after
    BatchNormalization as a multi-threshold."""
    rng = np.random.default_rng(1)
    nodes, inits = [], []
    for n, i in [quant("x", "a0", 0.25, 3, signed=1),
                 quant("w1", "w1q", 0.5, 2, signed=1, narrow=1),
                 (helper.make_node("MatMul", ["a0", "w1q"], ["m1"], name="fc1"), []),
                 batchnorm("m1", "bn1", 16, rng),
                 quant("bn1", "a1", 0.5, 3, signed=0),
                 quant("w2", "w2q", 0.5, 2, signed=1, narrow=1),
                 (helper.make_node("MatMul", ["a1", "w2q"], ["y"], name="fc2"), [])]:
        nodes.append(n)
        inits += i
    inits += [const("w1", rng.standard_normal((32, 16))),
              const("w2", rng.standard_normal((16, 4)))]
    return model(nodes, [vi("x", [1, 32])], [vi("y", [1, 4])], inits)


def qdq_conv():
    """QuantizeLinear / DequantizeLinear around a Conv with int8 weights and
    an int32 bias, ReLU, and a QuantizeLinear of its result."""
    rng = np.random.default_rng(2)
    w = rng.integers(-127, 128, (8, 3, 3, 3))
    b = rng.integers(-500, 500, 8)
    inits = [const("xs", 2.0 ** -5), const("xz", 0, np.uint8),
             const("wq", w, np.int8), const("ws", 2.0 ** -7),
             const("wz", 0, np.int8),
             const("bq", b, np.int32), const("bs", 2.0 ** -12),
             const("ys", 2.0 ** -3), const("yz", 0, np.uint8)]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="qx"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="dqx"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], name="dqw"),
        helper.make_node("DequantizeLinear", ["bq", "bs"], ["bd"], name="dqb"),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["c"], name="conv",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("QuantizeLinear", ["r", "ys", "yz"], ["y"], name="qy"),
    ]
    out = helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 8, 6, 6])
    return model(nodes, [vi("x", [1, 3, 6, 6])], [out], inits, qonnx=False)


def float_cnn():
    """Float layers only: tosa, with the graph's NCHW boundary and a
    flatten that permutes the dense weights instead of transposing."""
    rng = np.random.default_rng(3)
    inits = [const("w", rng.standard_normal((6, 3, 3, 3))),
             const("b", rng.standard_normal(6)),
             const("fw", rng.standard_normal((10, 6 * 4 * 4)))]
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv",
                              pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Flatten", ["r"], ["f"], name="flat"),
             helper.make_node("Gemm", ["f", "fw"], ["y"], name="fc", transB=1)]
    return model(nodes, [vi("x", [1, 3, 4, 4])], [vi("y", [1, 10])], inits,
                 qonnx=False)


def single(op, attrs=None, inputs=("x",), inits=(), domain="", opset=13,
           shape=(1, 4), qonnx=False):
    node = helper.make_node(op, list(inputs), ["y"], name="the_node",
                            domain=domain, **(attrs or {}))
    return model([node], [vi("x", list(shape))], [vi("y", None)], list(inits),
                 opset=opset, qonnx=qonnx)


def errors():
    """Models each import error is checked with (see errors.test)."""
    w = const("w", np.ones((4, 4)))
    prelu = binary_cnn()
    return {
        "unsupported-op": single("Einsum", {"equation": "ij->ji"}),
        "unsupported-attr": single("Conv", {"auto_pad": "SAME_UPPER"},
                                   inputs=("x", "w"),
                                   inits=[const("w", np.ones((2, 1, 3, 3)))],
                                   shape=(1, 1, 4, 4)),
        "opset-8": single("Relu", opset=8),
        "opset-18": single("Relu", opset=18),
        "unknown-domain": single("Relu", domain="com.example"),
        "dynamic-dim": single("Relu", shape=("N", "C")),
        "quant-no-signed": model(
            [quant("x", "y", 0.5, 4, attrs=False)[0]], [vi("x", [1, 4])],
            [vi("y", None)], quant("x", "y", 0.5, 4)[1]),
        "negative-prelu": None,  # built below
        "undefined-input": single("Add", inputs=("x", "nowhere")),
        "int-input": model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                           [helper.make_tensor_value_info("x", TensorProto.INT32, [1, 4])],
                           [vi("y", None)], [], qonnx=False),
        "external-data": None,
        "nan-zeropoint": model(
            [quant("x", "y", 0.5, 4, zeropt=float("nan"))[0]], [vi("x", [1, 4])],
            [vi("y", None)], quant("x", "y", 0.5, 4, zeropt=float("nan"))[1]),
        "matmul-bad-shape": single("MatMul", inputs=("x", "w"), inits=[w],
                                   shape=(1, 5)),
    }


def negative_prelu():
    """A negative PReLU slope between an accumulator and a quantizer: not
    monotone, so no exact thresholds exist."""
    rng = np.random.default_rng(4)
    nodes, inits = [], []
    for n, i in [bipolar("x", "a0"), bipolar("w", "wq"),
                 (helper.make_node("MatMul", ["a0", "wq"], ["m"], name="fc"), []),
                 (helper.make_node("PRelu", ["m", "slope"], ["p"], name="prelu"), []),
                 bipolar("p", "y")]:
        nodes.append(n)
        inits += i
    inits += [const("w", rng.standard_normal((8, 4))), const("slope", -0.5)]
    return model(nodes, [vi("x", [1, 8])], [vi("y", [1, 4])], inits)


def external_data():
    m = single("Add", inputs=("x", "w"), inits=[const("w", np.ones((1, 4)))])
    t = m.graph.initializer[0]
    t.ClearField("raw_data")
    t.data_location = TensorProto.EXTERNAL
    t.external_data.add(key="location", value="weights.bin")
    return m


MODELS = {"binary-cnn": binary_cnn, "kbit-mlp": kbit_mlp, "qdq-conv": qdq_conv,
          "float-cnn": float_cnn, "negative-prelu": negative_prelu,
          "external-data": external_data}


def main():
    name, out = sys.argv[1], sys.argv[2]
    if name in MODELS:
        m = MODELS[name]()
    else:
        m = errors()[name]
    with open(out, "wb") as f:
        f.write(m.SerializeToString())


if __name__ == "__main__":
    main()
