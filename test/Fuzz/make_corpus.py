#!/usr/bin/python3
"""Writes seed corpora for the libFuzzer targets of tools/bnn-fuzz.

    make_corpus.py KIND DIR

KIND is pipeline or capi (valid models from the differential generator and
the bundled example, with the option bytes each target reads first), npy
(.npy files of every supported dtype and rank, and broken ones) or onnx (the
ONNX / QONNX test models of test/ONNX, which need the onnx module). The
structure-aware part of the fuzzing is here: libFuzzer mutates valid models
instead of starting from nothing.
"""
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def models():
    """Module texts: two modules of generated cases, split into one case
    each, and the bundled example."""
    texts = []
    for seed in (0, 1):
        for case in range(4):
            out = subprocess.run(
                [sys.executable, os.path.join(ROOT, "test", "Differential",
                                              "gen_models.py"),
                 "--seed", str(seed), "--case", str(case)],
                check=True, capture_output=True, text=True).stdout
            texts.append(out)
    with open(os.path.join(ROOT, "examples", "tiny_binary_resnet.mlir")) as f:
        texts.append(f.read())
    return texts


KINDS = ("pipeline", "capi", "npy", "onnx")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit("usage: make_corpus.py {%s} OUT_DIR" % "|".join(KINDS))
    kind, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    if kind in ("pipeline", "capi"):
        for i, text in enumerate(models()):
            for j, prefix in enumerate([b"\x00", b"\x09", b"\x01", b"\x26"]):
                data = prefix + text.encode()
                if kind == "capi":
                    # byte 1: the CPU; then the features and pipeline lines
                    data = prefix + bytes([2 + j]) + b"\n" + \
                        (b"tile=false" if j == 1 else b"") + b"\n" + \
                        text.encode()
                with open(os.path.join(out, "%d-%d" % (i, j)), "wb") as f:
                    f.write(data)
    elif kind == "npy":
        rng = np.random.default_rng(0)
        arrays = [rng.standard_normal((2, 3)).astype(np.float32),
                  rng.integers(0, 2, (4,)).astype(bool),
                  rng.integers(0, 255, (2, 2, 2)).astype(np.uint8),
                  rng.integers(-128, 127, (5,)).astype(np.int8),
                  rng.integers(-9, 9, (3, 1)).astype(np.int32),
                  np.zeros((0, 4), np.int64), np.float32(1.5)]
        for i, a in enumerate(arrays):
            path = os.path.join(out, "%d.npy" % i)
            np.save(path, a)
            with open(path, "rb") as f:
                data = f.read()
            with open(os.path.join(out, "%d-cut" % i), "wb") as f:
                f.write(data[:len(data) // 2])
    elif kind == "onnx":
        sys.path.insert(0, os.path.join(ROOT, "test", "ONNX"))
        import make_model
        import onnx_models
        named = [(n, f()) for n, f in make_model.MODELS.items()]
        named += [(n, m) for n, m, _ in onnx_models.cases(n_random=4)]
        for name, m in named:
            with open(os.path.join(out, name + ".onnx"), "wb") as f:
                f.write(m.SerializeToString())
    else:
        sys.exit("unknown corpus kind " + kind)


if __name__ == "__main__":
    main()
