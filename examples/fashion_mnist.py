#!/usr/bin/python3
"""A binary network for Fashion-MNIST, from torch training to compiled code.

    PYTHONPATH=build/python_packages /usr/bin/python3 examples/fashion_mnist.py
        [--train] [--epochs 3] [--limit N] [--arm-images N] [--no-arm]

The network: a float 3x3 stem convolution with batch norm; two binary 3x3
convolutions with batch norm + sign, the first padding with +1, the second
with zeros, each followed by a 2x2 max-pool that sits between two
binarization points (so it becomes a binary max-pool); a binary dense layer
with batch norm; a float classifier.

Without --train the script uses the weights in fashion_mnist_weights.npz
(binary weights stored as sign bits: only their signs matter); --train
trains for --epochs epochs on the 60000 training images (2 threads, about
2-3 minutes per epoch on two cores) and rewrites that file.

It then evaluates on the 10000 test images (the first --limit of them):
  - torch's eval-mode accuracy;
  - the model exported (bnn.torch.export, dynamic batch) and compiled for
    this machine: accuracy, and the fraction of images whose predicted class
    is identical to torch's, with each difference explained (the float stem
    sums in another order than torch: an activation within rounding of 0
    may binarize the other way; the script counts these flips);
  - the same artifact compiled for AArch64 and run under qemu-aarch64 on the
    first --arm-images images (bnn-run for AArch64);
  - latency per image at batch 1 and 1 thread, compiled against torch.
Exits non-zero when the compiled predictions agree with torch's on fewer
than --min-agreement of the images.
"""
import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn

import bnn
import bnn.torch as bt

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = "/usr/share/datasets/fashion-mnist"
WEIGHTS = os.path.join(HERE, "fashion_mnist_weights.npz")
MEAN, STD = 0.2860, 0.3530
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
           "Shirt", "Sneaker", "Bag", "Ankle boot"]


def load_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big")
             for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(prefix):
    images = load_idx(prefix + "-images-idx3-ubyte.gz").astype(np.float32)
    labels = load_idx(prefix + "-labels-idx1-ubyte.gz").astype(np.int64)
    images = ((images / 255.0 - MEAN) / STD).astype(np.float32)
    return images[:, None, :, :], labels


def make_model():
    return nn.Sequential(
        # Float stem.
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32),
        # Binary block 1: +1 padding, batch norm + sign, binary max-pool.
        bt.BinaryConv2d(32, 64, 3, padding=1, pad_value=1),
        nn.BatchNorm2d(64), nn.MaxPool2d(2),
        # Binary block 2: zero padding.
        bt.BinaryConv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64),
        nn.MaxPool2d(2),
        # Binary dense layer and a float classifier.
        nn.Flatten(), bt.BinaryLinear(64 * 7 * 7, 128), nn.BatchNorm1d(128),
        nn.Linear(128, 10))


BINARY = (bt.BinaryConv2d, bt.BinaryLinear)


def save_weights(model, path):
    """Binary weights as packed sign bits, everything else as float32."""
    arrays = {}
    binary = {name + ".weight" for name, m in model.named_modules()
              if isinstance(m, BINARY)}
    for name, value in model.state_dict().items():
        v = value.detach().cpu().numpy()
        if name in binary:
            arrays["signs:" + name] = np.packbits((v < 0).reshape(-1))
            arrays["shape:" + name] = np.array(v.shape, np.int64)
        else:
            arrays[name] = v
    np.savez_compressed(path, **arrays)


def load_weights(model, path):
    state = {}
    with np.load(path) as f:
        for key in f.files:
            if key.startswith("signs:"):
                name = key[len("signs:"):]
                shape = tuple(f["shape:" + name])
                n = int(np.prod(shape))
                bits = np.unpackbits(f[key])[:n].reshape(shape)
                state[name] = torch.from_numpy(
                    np.where(bits == 1, -1.0, 1.0).astype(np.float32))
            elif not key.startswith("shape:"):
                state[key] = torch.from_numpy(f[key])
    model.load_state_dict(state)


def train(model, images, labels, epochs):
    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = epochs * ((len(images) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3,
                                                total_steps=steps)
    x_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(images))
        start, total, correct = time.time(), 0.0, 0
        for i in range(0, len(images), 128):
            idx = order[i:i + 128]
            x, y = x_all[idx], y_all[idx]
            out = model(x)
            loss = nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            correct += (out.argmax(1) == y).sum().item()
        print("epoch %d: loss %.4f, train accuracy %.2f%%, %.0f s"
              % (epoch + 1, total / len(images), 100 * correct / len(images),
                 time.time() - start), flush=True)
    model.eval()


def predict_torch(model, images):
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(images[i:i + 500]))
                          for i in range(0, len(images), 500)]).numpy()


def predict_compiled(fn, images):
    return np.concatenate([fn(images[i:i + 500])
                           for i in range(0, len(images), 500)])


def median_ms(fn, repeat=200):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.median(times))


def stem_flips(model, images):
    """Per image, how many stem activations binarize differently in the
    compiled stem and in torch's. The float stem convolution sums in another
    order than torch's, so an activation within rounding of 0 can take the
    other sign; such a flip is the one way integer parts can differ."""
    stem = nn.Sequential(*list(model)[:2]).eval()
    compiled_stem = bt.compile(stem, torch.zeros(1, 1, 28, 28),
                               dynamic_batch=True)
    with torch.no_grad():
        t = predict_torch(stem, images)
    c = predict_compiled(compiled_stem.function, images)
    return ((t < 0) != (c < 0)).reshape(len(images), -1).sum(1)


def explain(flips, differ, torch_logits, compiled_logits):
    """Reports the stem flips and, for each image whose prediction differs,
    torch's top-2 margin and its flips."""
    clean = flips == 0
    gap = np.abs(compiled_logits - torch_logits).max(1)
    print("images with a stem activation binarized differently: %d of %d; "
          "largest |logit difference| with none: %.3g, with some: %.3g"
          % ((~clean).sum(), len(flips), gap[clean].max() if clean.any()
             else 0.0, gap[~clean].max() if (~clean).any() else 0.0))
    for k in differ:
        top = np.sort(torch_logits[k])[-2:]
        print("  image %d: torch says %s, compiled says %s; torch's top-2 "
              "margin %.3g; %d stem activations binarized differently"
              % (k, CLASSES[torch_logits[k].argmax()],
                 CLASSES[compiled_logits[k].argmax()], top[1] - top[0],
                 flips[k]))


def run_aarch64(text, images, work):
    qemu = shutil.which("qemu-aarch64")
    tools = os.environ.get("BNN_TOOLS_DIR", os.path.join(ROOT, "build", "bin"))
    runner = os.path.join(tools, "aarch64", "bnn-run")
    if not qemu or not os.path.exists(runner):
        print("AArch64: skipped (needs qemu-aarch64 and %s)" % runner)
        return None
    so = bnn.compile(text, target="aarch64",
                     output=os.path.join(work, "fashion_aarch64.so"))
    np.save(os.path.join(work, "x.npy"), images)
    out = os.path.join(work, "y.npy")
    subprocess.run([qemu, "-L", "/usr/aarch64-linux-gnu", runner, so,
                    "--input", os.path.join(work, "x.npy"), "--output", out,
                    "--quiet"], check=True)
    return np.load(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", action="store_true",
                        help="train instead of loading %s" % WEIGHTS)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=10000,
                        help="test images to evaluate")
    parser.add_argument("--arm-images", type=int, default=1000,
                        help="test images to run under qemu-aarch64")
    parser.add_argument("--no-arm", action="store_true")
    parser.add_argument("--min-agreement", type=float, default=0.999)
    args = parser.parse_args()

    model = make_model()
    if args.train or not os.path.exists(WEIGHTS):
        images, labels = load_split("train")
        train(model, images, labels, args.epochs)
        save_weights(model, WEIGHTS)
        load_weights(model, WEIGHTS)  # what the file holds is what runs
    else:
        load_weights(model, WEIGHTS)
    model.eval()
    test_x, test_y = load_split("t10k")
    test_x, test_y = test_x[:args.limit], test_y[:args.limit]
    n = len(test_y)

    torch.set_num_threads(1)
    torch_logits = predict_torch(model, test_x)
    torch_pred = torch_logits.argmax(1)
    print("torch accuracy:    %.2f%% (%d images)"
          % (100 * (torch_pred == test_y).mean(), n))

    example = torch.zeros(1, 1, 28, 28)
    text = bt.export(model, example, dynamic_batch=True)
    compiled = bt.compile(model, example, dynamic_batch=True)
    compiled_logits = predict_compiled(compiled.function, test_x)
    compiled_pred = compiled_logits.argmax(1)
    agree = (compiled_pred == torch_pred).mean()
    print("compiled accuracy: %.2f%% (%s, %s)"
          % (100 * (compiled_pred == test_y).mean(), bnn.host()["target"],
             bnn.host()["cpu"] or "generic CPU"))
    print("identical predictions: %.2f%% (%d of %d differ)"
          % (100 * agree, (compiled_pred != torch_pred).sum(), n))
    print("largest |logit difference|: %.3g"
          % np.abs(compiled_logits - torch_logits).max())
    differ = np.nonzero(compiled_pred != torch_pred)[0]
    explain(stem_flips(model, test_x), differ[:20], torch_logits,
            compiled_logits)

    if not args.no_arm and args.arm_images > 0:
        with tempfile.TemporaryDirectory() as work:
            k = min(args.arm_images, n)
            arm = run_aarch64(text, test_x[:k], work)
        if arm is not None:
            arm_pred = arm.argmax(1)
            print("AArch64 (qemu, %d images): accuracy %.2f%%, identical to "
                  "torch %.2f%%, to the x86-64 artifact %.2f%%"
                  % (k, 100 * (arm_pred == test_y[:k]).mean(),
                     100 * (arm_pred == torch_pred[:k]).mean(),
                     100 * (arm_pred == compiled_pred[:k]).mean()))

    x1 = test_x[:1]
    compiled.set_num_threads(1)
    t_compiled = compiled.benchmark(x1, repeat=500)["median_ms"]
    with torch.no_grad():
        xt = torch.from_numpy(x1)
        t_torch = median_ms(lambda: model(xt))
    # The same architecture with float layers: what torch would run for a
    # float network of this shape (torch's binary layers emulate +-1
    # arithmetic in float and are slower than that).
    twin = nn.Sequential(*[
        nn.Conv2d(m.in_channels, m.out_channels, m.kernel_size,
                  padding=m.padding, bias=False)
        if isinstance(m, bt.BinaryConv2d) else
        nn.Linear(m.in_features, m.out_features, bias=False)
        if isinstance(m, bt.BinaryLinear) else m for m in model]).eval()
    with torch.no_grad():
        t_twin = median_ms(lambda: twin(xt))
    print("latency per image, batch 1, 1 thread: compiled %.3f ms; torch "
          "%.3f ms (%.1fx), the float twin in torch %.3f ms (%.1fx)"
          % (t_compiled, t_torch, t_torch / t_compiled, t_twin,
             t_twin / t_compiled))
    if agree < args.min_agreement:
        sys.exit("identical predictions %.4f < %.4f"
                 % (agree, args.min_agreement))


if __name__ == "__main__":
    main()
