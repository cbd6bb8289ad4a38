#!/usr/bin/python3
"""FINN-style networks from torch training to compiled QONNX.

Builds, with the project's torch layers (bnn.torch), and trains briefly on
a subset of Fashion-MNIST (seeded, CPU):
  tfc-w1a1, tfc-w1a2, tfc-w2a2: TFC-style MLPs 784 -> 64 -> 64 -> 64 -> 10
      (1-bit weights and activations; 1-bit weights, unsigned 2-bit
      activations; unsigned 2-bit weights and activations), BatchNorm after
      each hidden layer, the last layer with a per-class scale and bias;
  cnv-w1a1: a CNV-style CNN: an 8-bit-input binary-weight 3x3 convolution,
      three binary 3x3 convolutions (BatchNorm, binarize, 2x2 max pooling
      after the second and the fourth), a binary dense layer and a binary
      classifier with a per-class scale and bias;
(Adam, batch 100, learning rate 0.02 for the MLPs and 0.005 for the CNN,
400 / 150 steps on the first 10000 training images, one torch thread),
exports each as QONNX (torch_qonnx.export: torch.onnx.export with QONNX
Quant / BipolarQuant nodes), compiles the .onnx file with bnn-compile
(--emit=shared) and runs the test images through bnn-run. Checks, per
network:
  - compiled predictions (argmax) identical to torch's eval-mode predictions
    on every test image (a failure otherwise); the logits are expected to be
    bit-identical as well (reported);
  - onnx_ref.run (the numpy QONNX executor) on the first --ref-images images:
    predictions identical to torch's and logits bit-identical to the
    compiled model's (failures otherwise);
  - torch_qonnx.check_chains: every reachable accumulator value of each
    layer -> BatchNorm -> quantizer chain quantized alike by torch and by the
    exported chain (reported: torch's BatchNorm rounds differently from ONNX
    BatchNormalization).

    PYTHONPATH=build/python_packages /usr/bin/python3 test/ONNX/finn_networks.py
        --tools build/bin [--images 1000] [--targets x86_64,aarch64]
        [--arm-images 200] [--only NAME]... [--out DIR]

Exit status: 0 when everything agrees; 1 on a disagreement; 2 on a failure
(export, import or compile error, crash, missing dataset or tools).
"""
import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"
QEMU = "/usr/bin/qemu-aarch64"
QEMU_SYSROOT = "/usr/aarch64-linux-gnu"
F32 = np.float32


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(data, prefix, limit):
    images = load_idx(os.path.join(data, prefix + "-images-idx3-ubyte.gz"))[:limit]
    labels = load_idx(os.path.join(data, prefix + "-labels-idx1-ubyte.gz"))[:limit]
    return images[:, None, :, :], labels.astype(np.int64)


# Input encodings: uint8 pixels -> float32 NCHW, the same array for torch,
# onnx_ref and the compiled model.
def unit(p):
    return p.astype(F32) / F32(255)


def bipolar(p):
    return p.astype(F32) / F32(127.5) - F32(1)


# ---- The networks ----------------------------------------------------------


def make_networks(torch, nn, bt):
    def tfc(wbits, abits):
        """784 -> 64 -> 64 -> 64 -> 10. 1-bit activations: the input in
        [-1, 1], binarized by the first layer; 2-bit: the input in [0, 1]
        quantized with step 1/3 (a Mul + Quant pair in QONNX), the hidden
        activations with step 1/2 (a single Quant)."""
        def layer(i, o, first=False, last=False):
            kw = {"scale": True, "bias": True} if last else {}
            if abits == 1 and wbits == 1:
                return bt.BinaryLinear(i, o, **kw)
            return bt.BitserialLinear(i, o, act_bits=abits, act_step=None if first else 0.5,
                                      weight_bits=wbits, **kw)
        mods = [nn.Flatten()]
        width = [784, 64, 64, 64]
        for k in range(3):
            mods += [layer(width[k], width[k + 1], first=k == 0), nn.BatchNorm1d(width[k + 1])]
        mods.append(layer(64, 10, last=True))
        model = nn.Sequential(*mods)
        with torch.no_grad():
            model[-1].scale.fill_(0.1)
        return model, bipolar if abits == 1 else unit

    def cnv():
        """28x28 -> 26 -> 24 -> pool 12 -> 10 -> 8 -> pool 4, 32 x 4 x 4 = 512
        -> 128 -> 10; the input in [0, 1], quantized to 8 bits with step
        1/255 (a Mul + Quant pair in QONNX)."""
        c1, c2, c3, c4 = 16, 16, 32, 32
        model = nn.Sequential(
            bt.BitserialConv2d(1, c1, 3, act_bits=8, act_step=1 / 255), nn.BatchNorm2d(c1),
            bt.BinaryConv2d(c1, c2, 3), nn.BatchNorm2d(c2), bt.Binarize(), nn.MaxPool2d(2),
            bt.BinaryConv2d(c2, c3, 3), nn.BatchNorm2d(c3),
            bt.BinaryConv2d(c3, c4, 3), nn.BatchNorm2d(c4), bt.Binarize(), nn.MaxPool2d(2),
            nn.Flatten(), bt.BinaryLinear(c4 * 16, 128), nn.BatchNorm1d(128),
            bt.BinaryLinear(128, 10, scale=True, bias=True))
        with torch.no_grad():
            model[-1].scale.fill_(0.1)
        return model, unit

    return [("tfc-w1a1", lambda: tfc(1, 1)), ("tfc-w1a2", lambda: tfc(1, 2)),
            ("tfc-w2a2", lambda: tfc(2, 2)), ("cnv-w1a1", cnv)]


def clip_latent_weights(torch, bt, model):
    """Binary latent weights stay in [-1, 1], unsigned m-bit ones in [0, 1]."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (bt.BinaryConv2d, bt.BinaryLinear)) or (
                    isinstance(m, (bt.BitserialConv2d, bt.BitserialLinear)) and
                    m.weight_bits == 1):
                m.weight.clamp_(-1.0, 1.0)
            elif isinstance(m, (bt.BitserialConv2d, bt.BitserialLinear)):
                m.weight.clamp_(0.0, 1.0)


def train(torch, bt, model, x, y, steps, batch, lr, seed):
    F = torch.nn.functional
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        idx = torch.randint(0, x.shape[0], (batch,), generator=g)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        clip_latent_weights(torch, bt, model)
    return model.eval()


# ---- Checking ---------------------------------------------------------------


def run_tool(cmd, timeout):
    """Returns (ok, message)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "timed out after %ds: %s" % (timeout, " ".join(cmd))
    if p.returncode != 0:
        out = p.stdout.decode("utf-8", "replace").rstrip()
        if len(out) > 3000:
            out = out[:1500] + "\n...\n" + out[-1500:]
        return False, "exit %d: %s%s" % (p.returncode, " ".join(cmd), "\n" + out if out else "")
    return True, ""


def same_bits(a, b):
    """Per row: all elements bit-identical."""
    return (a.view(np.uint32) == b.view(np.uint32)).reshape(a.shape[0], -1).all(axis=1)


class Result:
    def __init__(self, name):
        self.name = name
        self.failure = False
        self.mismatch = False
        self.lines = []

    def fail(self, msg):
        self.failure = True
        self.lines.append("FAILURE " + msg)

    def differ(self, msg):
        self.mismatch = True
        self.lines.append("MISMATCH " + msg)


def check_network(args, torch, bt, tq, onnx_ref, name, build, data, work):
    t0 = time.time()
    torch.manual_seed(args.seed)
    model, encode = build()
    res = Result(name)
    (train_images, train_labels), (test_images, test_labels) = data
    xtrain = torch.from_numpy(encode(train_images))
    ytrain = torch.from_numpy(train_labels)
    cnv = name.startswith("cnv")
    steps = args.cnv_steps if cnv else args.tfc_steps
    train(torch, bt, model, xtrain, ytrain, steps, args.batch, 5e-3 if cnv else 2e-2, args.seed)
    t_train = time.time() - t0

    x = encode(test_images)
    with torch.no_grad():
        want = model(torch.from_numpy(x)).numpy()
    want_pred = want.argmax(axis=1)
    acc = 100.0 * float((want_pred == test_labels).mean())
    res.lines.append("torch: %d steps (%.1fs), accuracy %.2f%% (%d images)"
                     % (steps, t_train, acc, len(x)))

    path = os.path.join(work, name + ".onnx")
    try:
        tq.export(model, torch.from_numpy(x[:1]), path, dense=args.dense)
    except Exception as ex:  # noqa: BLE001
        res.fail("export: %r" % ex)
        return res

    # The numpy QONNX executor on the first images.
    nref = min(args.ref_images, len(x))
    try:
        ref = onnx_ref.run(path, {"x": x[:nref]})["y"]
    except Exception as ex:  # noqa: BLE001
        res.fail("onnx_ref.run: %r" % ex)
        return res
    ref_same = int((ref.argmax(axis=1) == want_pred[:nref]).sum())
    ref_bits = int(same_bits(ref, want[:nref]).sum())
    res.lines.append("onnx_ref (%d images): identical predictions %d, bit-identical logits %d"
                     % (nref, ref_same, ref_bits))
    if ref_same != nref:
        res.differ("onnx_ref predicts differently from torch on %d of %d images"
                   % (nref - ref_same, nref))

    # Every reachable accumulator value of the layer -> BatchNorm ->
    # quantizer chains.
    try:
        chains = tq.check_chains(model)
    except Exception as ex:  # noqa: BLE001
        res.fail("check_chains: %r" % ex)
        chains = []
    bad = [(d, b, n) for d, b, n in chains if b]
    res.lines.append("chains: %d checked on every accumulator value, %d with values quantized "
                     "differently by torch and the exported graph" % (len(chains), len(bad)))
    for d, b, n in bad:
        res.lines.append("  note: %s: %d of %d (value, channel) pairs differ" % (d, b, n))

    xpath = os.path.join(work, name + ".x.npy")
    np.save(xpath, x)
    for target in args.targets:
        so = os.path.join(work, "%s.%s.so" % (name, target))
        t1 = time.time()
        ok, msg = run_tool([args.compile, path, "-target", target, "--emit=shared", "-o", so],
                           args.compile_timeout)
        if not ok:
            res.fail("bnn-compile (%s): %s" % (target, msg))
            continue
        tc = time.time() - t1
        n = len(x)
        inp = xpath
        if target == "aarch64":
            n = min(n, args.arm_images)
            inp = os.path.join(work, name + ".x.arm.npy")
            np.save(inp, x[:n])
            run = [QEMU, "-L", QEMU_SYSROOT, args.run_aarch64]
        else:
            run = [args.run]
        out = os.path.join(work, "%s.%s.y.npy" % (name, target))
        ok, msg = run_tool(run + [so, "--quiet", "--input", inp, "--output", out], args.timeout)
        if not ok:
            res.fail("bnn-run (%s): %s" % (target, msg))
            continue
        got = np.load(out)
        if got.shape != want[:n].shape or got.dtype != want.dtype:
            res.fail("%s: output %s %s, expected %s %s" % (target, got.dtype, list(got.shape),
                                                           want.dtype, list(want[:n].shape)))
            continue
        pred = got.argmax(axis=1)
        same = int((pred == want_pred[:n]).sum())
        bits = int(same_bits(got, want[:n]).sum())
        cacc = 100.0 * float((pred == test_labels[:n]).mean())
        res.lines.append("compiled %s (compile %.1fs): accuracy %.2f%%, identical predictions "
                         "%d/%d, bit-identical logits %d/%d"
                         % (target, tc, cacc, same, n, bits, n))
        if same != n:
            first = int(np.flatnonzero(pred != want_pred[:n])[0])
            res.differ("%s: %d of %d predictions differ from torch's (first: image %d, "
                       "torch %d, compiled %d)" % (target, n - same, n, first,
                                                   want_pred[first], pred[first]))
        m = min(n, nref)
        if not same_bits(got[:m], ref[:m]).all():
            k = int(np.flatnonzero(~same_bits(got[:m], ref[:m]))[0])
            res.differ("%s: logits differ from onnx_ref's on image %d: %s vs %s"
                       % (target, k, got[k].tolist(), ref[k].tolist()))
    res.lines.append("total %.1fs" % (time.time() - t0))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", default=os.environ.get(
        "BNN_TOOLS_DIR", os.path.normpath(os.path.join(HERE, "..", "..", "build", "bin"))),
        help="directory of bnn-compile, bnn-run and aarch64/bnn-run")
    ap.add_argument("--data", default=DATA, help="Fashion-MNIST directory (idx .gz files)")
    ap.add_argument("--targets", default="x86_64",
                    help="comma-separated: x86_64, aarch64 (under qemu)")
    ap.add_argument("--images", type=int, default=1000, help="test images")
    ap.add_argument("--arm-images", type=int, default=200,
                    help="test images run under qemu for aarch64")
    ap.add_argument("--ref-images", type=int, default=16,
                    help="test images run through onnx_ref")
    ap.add_argument("--train-images", type=int, default=10000)
    ap.add_argument("--tfc-steps", type=int, default=400)
    ap.add_argument("--cnv-steps", type=int, default=150)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (1: two threads are much slower on a busy machine)")
    ap.add_argument("--dense", choices=("gemm", "matmul"), default="gemm",
                    help="dense layers as Gemm(transB=1) or as torch.onnx's Transpose + MatMul")
    ap.add_argument("--only", action="append", default=[], help="network NAME; repeatable")
    ap.add_argument("--out", help="work directory (default: a new temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the files of passing networks")
    ap.add_argument("--timeout", type=int, default=120, help="per bnn-run call")
    ap.add_argument("--compile-timeout", type=int, default=300)
    args = ap.parse_args()

    args.targets = [t for t in args.targets.split(",") if t]
    for t in args.targets:
        if t not in ("x86_64", "aarch64"):
            ap.error("unknown target %r" % t)
    files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    missing = [f for f in files if not os.path.exists(os.path.join(args.data, f))]
    if missing:
        print("error: Fashion-MNIST is not installed: %s missing in %s (Debian package "
              "dataset-fashion-mnist)" % (", ".join(missing), args.data), file=sys.stderr)
        return 2
    args.compile = os.path.join(args.tools, "bnn-compile")
    args.run = os.path.join(args.tools, "bnn-run")
    args.run_aarch64 = os.path.join(args.tools, "aarch64", "bnn-run")
    need = [args.compile]
    need += [args.run] if "x86_64" in args.targets else []
    need += [args.run_aarch64, QEMU] if "aarch64" in args.targets else []
    missing = [p for p in need if not os.path.exists(p)]
    if missing:
        print("error: missing tools: " + ", ".join(missing), file=sys.stderr)
        return 2

    t0 = time.time()
    import torch
    from torch import nn
    import bnn.torch as bt
    import onnx_ref
    import torch_qonnx
    torch.set_num_threads(args.threads)

    data = (load_split(args.data, "train", args.train_images),
            load_split(args.data, "t10k", args.images))
    builders = make_networks(torch, nn, bt)
    out_dir = args.out or tempfile.mkdtemp(prefix="bnn-finn-networks-")
    os.makedirs(out_dir, exist_ok=True)
    print("finn_networks: Fashion-MNIST, %d training images, %d test images, targets %s, "
          "out %s" % (len(data[0][1]), len(data[1][1]), ",".join(args.targets), out_dir),
          flush=True)
    unknown = set(args.only) - {name for name, _ in builders}
    if unknown:
        print("error: no network named %s" % ", ".join(sorted(unknown)), file=sys.stderr)
        return 2
    results = []
    for name, build in builders:
        if args.only and name not in args.only:
            continue
        work = tempfile.mkdtemp(dir=out_dir)
        try:
            res = check_network(args, torch, bt, torch_qonnx, onnx_ref, name, build, data,
                                work)
        except Exception as ex:  # noqa: BLE001
            res = Result(name)
            res.fail("harness: %r" % ex)
        final = os.path.join(out_dir, res.name)
        shutil.rmtree(final, ignore_errors=True)
        os.rename(work, final)
        results.append(res)
        word = "FAIL" if (res.failure or res.mismatch) else "ok"
        print("%s %s" % (word, res.name), flush=True)
        for line in res.lines:
            print("    " + line.replace("\n", "\n    "), flush=True)
        if res.failure or res.mismatch:
            print("    files: %s" % final, flush=True)
        elif not args.keep:
            shutil.rmtree(final, ignore_errors=True)
    failures = sum(r.failure for r in results)
    mismatches = sum(r.mismatch for r in results)
    print("finn_networks: %d networks, %d with disagreements, %d with failures (%.0fs)"
          % (len(results), mismatches, failures, time.time() - t0))
    if not args.out and not args.keep and not (failures or mismatches):
        shutil.rmtree(out_dir, ignore_errors=True)
    if failures:
        return 2
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
