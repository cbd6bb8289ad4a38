#!/usr/bin/python3
"""Latency of float ResNet-18 (or Bi-Real Net 18) in PyTorch (its CPU
convolutions run on oneDNN), the baseline of the binary networks in the
networks table.

Usage: float_resnet18.py --out float.json [--reps N] [--threads 1,2]
           [--arch resnet18|bireal18]

The architecture of examples/make_binary_resnet18.py in float: a 7x7/2
stem convolution with batch norm, 3x3/2 max pool, 4 stages x 2 basic
blocks (64, 128, 256, 512 channels; 3x3 convolutions with batch norm and
ReLU, 1x1/2 downsampling shortcuts), average pool and a 512 -> 1000
dense layer: torchvision's resnet18, written out here (torchvision is
not a dependency). --arch bireal18: the float architecture of
examples/make_binary_resnet18.py --arch bireal18, Bi-Real Net 18 (every
3x3 convolution with batch norm and a shortcut of its own; where the
resolution halves, the shortcut is a 2x2/2 average pool and a 1x1
convolution with batch norm), with the ReLU of the real-valued network.
Batch 1, 224x224, eval mode, weights random. Two ways
of running it are timed and the faster one is the baseline: scripted and
frozen (batch norm folded into the convolutions) in channels-last layout,
and converted to oneDNN's blocked layout (torch.utils.mkldnn.to_mkldnn).
The latency is the median of --reps calls after 3 warm-up calls, per
thread count (torch.set_num_threads).
"""

import argparse
import json
import statistics
import time

import torch
import torch.utils.mkldnn
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                      nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.down is None else self.down(x)))


class BiRealBlock(BasicBlock):
    """Two 3x3 convolutions, each with batch norm and its own shortcut; the
    downsampling shortcut averages before its 1x1 convolution."""

    def __init__(self, cin, cout, stride):
        super().__init__(cin, cout, stride)
        if self.down is not None:
            self.down = nn.Sequential(nn.AvgPool2d(2, 2),
                                      nn.Conv2d(cin, cout, 1, bias=False),
                                      nn.BatchNorm2d(cout))

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)) +
                       (x if self.down is None else self.down(x)))
        return torch.relu(self.bn2(self.conv2(x)) + x)


class ResNet18(nn.Module):
    def __init__(self, classes=1000, block=BasicBlock):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False),
                                  nn.BatchNorm2d(64), nn.ReLU(),
                                  nn.MaxPool2d(3, 2, 1))
        blocks, cin = [], 64
        for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            blocks += [block(cin, cout, stride), block(cout, cout, 1)]
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--arch", choices=["resnet18", "bireal18"],
                    default="resnet18")
    args = ap.parse_args()

    torch.manual_seed(0)
    block = BiRealBlock if args.arch == "bireal18" else BasicBlock
    model = ResNet18(block=block).eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        frozen = torch.jit.freeze(torch.jit.script(
            model.to(memory_format=torch.channels_last)))
        x_nhwc = x.to(memory_format=torch.channels_last)
        blocked = torch.utils.mkldnn.to_mkldnn(ResNet18(block=block).eval())
        ways = {"frozen, channels-last": lambda: frozen(x_nhwc),
                "to_mkldnn (blocked layout)":
                    lambda: blocked(x.to_mkldnn()).to_dense()}
        result = {"model": "%s_fp32" % args.arch,
                  "framework": "torch %s" % torch.__version__,
                  "onednn": torch.backends.mkldnn.is_available(),
                  "latency_ms": {}, "way": {}, "all_ms": {}}
        for threads in [int(t) for t in args.threads.split(",")]:
            torch.set_num_threads(threads)
            timed = {}
            for name, call in ways.items():
                for _ in range(3):
                    call()
                times = []
                for _ in range(args.reps):
                    start = time.perf_counter()
                    call()
                    times.append((time.perf_counter() - start) * 1e3)
                timed[name] = statistics.median(times)
            best = min(timed, key=timed.get)
            result["latency_ms"][str(threads)] = timed[best]
            result["way"][str(threads)] = best
            result["all_ms"][str(threads)] = timed
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print("float %s: %s" % (args.arch, ", ".join(
        "%s thread(s) %.2f ms" % kv for kv in result["latency_ms"].items())))


if __name__ == "__main__":
    main()
