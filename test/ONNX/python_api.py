#!/usr/bin/python3
"""bnn.import_onnx and ONNX files through bnn.compile / bnn.interpret: the
imported text, the compiled module's results against the numpy executor,
the ONNX input names on the entry point, errors as bnn.CompileError."""
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import onnx  # noqa: E402

import bnn  # noqa: E402
import make_model  # noqa: E402
import onnx_ref  # noqa: E402


def main():
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "binary_cnn.onnx")
        model = make_model.binary_cnn()
        onnx.save(model, path)
        text = bnn.import_onnx(path, function_name="forward")
        check("func.func @forward" in text and "bnn.binary_conv2d" in text,
              "import_onnx returns the module text")
        check(bnn.import_onnx(model.SerializeToString()) .count("bnn.binary_dense") == 1,
              "import_onnx takes bytes")
        x = np.random.default_rng(0).standard_normal((3, 4, 8, 8)).astype(np.float32)
        expected = onnx_ref.run(model, {"x": x})["y"]
        m = bnn.load(bnn.compile(path))
        got = m(x)
        check(np.array_equal(got, expected), "compiled .onnx path equals the executor (batch 3)")
        check(np.array_equal(bnn.interpret(path, x), expected),
              "interpret of an .onnx path equals the executor")
        m2 = bnn.load(bnn.compile(model.SerializeToString()))
        check(np.array_equal(m2(x), expected), "compile of ONNX bytes")
        try:
            bnn.import_onnx(b"not a model at all")
            check(False, "garbage raises CompileError")
        except bnn.CompileError as e:
            check("not a valid ONNX model" in str(e), "garbage raises CompileError")
        bad = make_model.errors()["dynamic-dim"]
        try:
            bnn.import_onnx(bad.SerializeToString())
            check(False, "dynamic dimension raises")
        except bnn.CompileError as e:
            check("--input-shape" in str(e), "dynamic dimension raises")
        text = bnn.import_onnx(bad.SerializeToString(), input_shapes={"x": [2, 3]})
        check("tensor<2x3xf32>" in text, "input_shapes gives the static shape")
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
