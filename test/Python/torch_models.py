"""Small random torch models built from bnn.torch layers, for the
differential tests. Every builder takes a seed and returns
``(model, example_inputs, exact_outputs)`` where ``exact_outputs`` lists the
output indices that must match torch bit for bit (binary +1/-1 tensors and
integer-exact layer outputs); the other outputs are float results compared
within a tolerance.

``prepare(model, inputs)`` runs a few training-mode batches (BatchNorm
statistics and int8 activation ranges are observed from data, the
straight-through forward passes run), then randomizes BatchNorm affine
parameters (negative and zero weights included) and switches to eval mode.
"""

import torch
from torch import nn

import bnn_test_util  # noqa: F401  (sets up the import of bnn.torch)
import bnn.torch as bt


def prepare(model, inputs, seed):
    g = torch.Generator().manual_seed(seed + 1000)
    model.train()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = None  # cumulative average
    with torch.no_grad():
        for _ in range(3):
            model(*[torch.randn(x.shape, generator=g) * x.std() for x in inputs])
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                c = m.num_features
                w = torch.randn(c, generator=g)
                w[torch.rand(c, generator=g) < 0.1] = 0.0  # constant channels
                m.weight.copy_(w)
                m.bias.copy_(torch.randn(c, generator=g) * 0.5)
            if isinstance(m, nn.PReLU):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) * 0.5)
            if getattr(m, "scale", None) is not None:
                m.scale.copy_(torch.randn(m.scale.shape, generator=g))
    return model.eval()


def _choice(g, items):
    return items[int(torch.randint(len(items), (1,), generator=g))]


class BinaryVGG(nn.Module):
    """Float stem, binary convs in the classic order (conv -> pool -> BN ->
    hardtanh -> sign), pad values 0/+1/-1, flatten into a binary dense layer.
    Outputs: logits, and the binarized activations of the second block."""

    def __init__(self, g):
        super().__init__()
        pv = [_choice(g, [0, 1, -1]) for _ in range(3)]
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn0 = nn.BatchNorm2d(16)
        self.c1 = bt.BinaryConv2d(16, 32, 3, padding=1, pad_value=pv[0], scale=True)
        self.pool1 = nn.MaxPool2d(2)
        self.bn1 = nn.BatchNorm2d(32)
        self.act1 = nn.Hardtanh()
        self.c2 = bt.BinaryConv2d(32, 32, 3, padding=1, pad_value=pv[1])
        self.bn2 = nn.BatchNorm2d(32)
        self.pool2 = nn.MaxPool2d(3, stride=2, padding=1)
        self.sign = bt.Binarize()
        self.c3 = bt.BinaryConv2d(32, 16, 3, padding=1, pad_value=pv[2], bias=True)
        self.bn3 = nn.BatchNorm2d(16)
        self.fc = bt.BinaryLinear(16 * 2 * 2, 10, bias=True, scale=True)

    def forward(self, x):
        x = self.bn0(self.stem(x))
        x = self.act1(self.bn1(self.pool1(self.c1(x))))
        b = self.sign(self.pool2(self.bn2(self.c2(x))))
        x = self.bn3(self.c3(b))
        return self.fc(torch.flatten(x, 1)), b


class BiReal(nn.Module):
    """Bi-Real Net style residual blocks: sign -> binary conv -> BN -> + x,
    a strided block with an average-pooled float shortcut, global pooling and
    a float classifier."""

    def __init__(self, g):
        super().__init__()
        c = 16
        self.stem = nn.Conv2d(3, c, 3, padding=1)
        self.bn0 = nn.BatchNorm2d(c)
        self.c1 = bt.BinaryConv2d(c, c, 3, padding=1, pad_value=_choice(g, [0, 1, -1]))
        self.bn1 = nn.BatchNorm2d(c)
        self.c2 = bt.BinaryConv2d(c, 2 * c, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(2 * c)
        self.down = nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(c, 2 * c, 1, bias=False),
                                  nn.BatchNorm2d(2 * c))
        self.act = nn.PReLU(2 * c)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2 * c, 10)

    def forward(self, x):
        x = self.bn0(self.stem(x))
        x = x + self.bn1(self.c1(bt.binarize(x)))
        x = self.down(x) + self.bn2(self.c2(bt.binarize(x)))
        x = self.act(x)
        return self.fc(torch.flatten(self.pool(x), 1))


class GroupsAndConcat(nn.Module):
    """Depthwise and grouped binary convs, ReLU before a sign (constant
    channels), torch.cat of binarized branches, a 1x1 binary conv, PReLU and
    LeakyReLU, flatten into a float dense layer. Outputs: logits and the
    concatenated binary tensor."""

    def __init__(self, g):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.dw = bt.BinaryConv2d(8, 16, 3, padding=1, groups=8,
                                  pad_value=_choice(g, [0, 1, -1]))
        self.bn_dw = nn.BatchNorm2d(16)
        self.gc = bt.BinaryConv2d(8, 8, 3, padding=2, dilation=2, groups=2,
                                  pad_value=_choice(g, [0, 1, -1]))
        self.bn_gc = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.pw = bt.BinaryConv2d(24, 8, 1)
        self.bn_pw = nn.BatchNorm2d(8)
        self.prelu = nn.PReLU()
        self.fc = nn.Linear(8 * 4 * 4, 5)

    def forward(self, x):
        s = self.stem(x)
        a = self.bn_dw(self.dw(s))
        b = self.relu(self.bn_gc(self.gc(s)))
        cat = bt.binarize(torch.cat([a, b], dim=1))
        y = self.prelu(self.bn_pw(self.pw(cat)))
        y = nn.functional.leaky_relu(y, 0.2)
        y = nn.functional.max_pool2d(y, 2)
        return self.fc(y.view(y.size(0), -1)), cat


class FloatOps(nn.Module):
    """Float glue only: grouped, depthwise (multiplier 2), dilated, strided and
    'same'-padded convolutions, average pooling with and without padding in
    the divisor, ReLU6, padded max pooling, cat, add, scalar arithmetic."""

    def __init__(self, g):
        super().__init__()
        self.c1 = nn.Conv2d(4, 8, 3, padding="same", groups=2)
        self.c2 = nn.Conv2d(8, 16, 3, padding=1, groups=8)
        self.c3 = nn.Conv2d(16, 8, 3, padding=2, dilation=2, stride=2)
        self.ap1 = nn.AvgPool2d(3, stride=1, padding=1)
        self.ap2 = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
        self.mp = nn.MaxPool2d(3, stride=2, padding=1)
        self.act = nn.ReLU6()
        self.fc = nn.Linear(16 * 2 * 2, 6)

    def forward(self, x):
        y = self.c3(self.c2(self.c1(x)))
        y = torch.cat([self.ap1(y), self.ap2(y) * 0.5 - 1.0], 1)
        y = self.mp(self.act(y + y.relu()))
        return self.fc(y.flatten(1))


class BinaryMLP(nn.Module):
    """Binary dense layers with BatchNorm1d, a flatten of a binary conv's
    chain whose BatchNorm1d varies per position (thresholds per feature), a
    float input binarized after BatchNorm (float thresholds), PReLU and a
    two-input, two-output signature."""

    def __init__(self, g):
        super().__init__()
        self.conv = bt.BinaryConv2d(2, 3, 3, padding=1, pad_value=_choice(g, [0, 1, -1]))
        self.bn_flat = nn.BatchNorm1d(3 * 4 * 4)
        self.bn_vec = nn.BatchNorm1d(12)
        self.fc1 = bt.BinaryLinear(3 * 4 * 4 + 12, 32, scale=True)
        self.bn1 = nn.BatchNorm1d(32)
        self.fc2 = bt.BinaryLinear(32, 16, bias=True)
        self.bn2 = nn.BatchNorm1d(16)
        self.prelu = nn.PReLU(16)
        self.fc3 = bt.BinaryLinear(16, 4)

    def forward(self, image, vec):
        x = self.bn_flat(torch.flatten(self.conv(image), 1))
        x = torch.cat([bt.binarize(x), bt.binarize(self.bn_vec(vec) - 0.25)], 1)
        h = nn.functional.hardtanh(self.bn1(self.fc1(x)))
        h = self.prelu(self.bn2(self.fc2(h)))
        return self.fc3(h), bt.binarize(h)


class Bitserial(nn.Module):
    """k-bit activations with binary and unsigned m-bit weights, flatten into
    a bit-serial dense layer."""

    def __init__(self, g):
        super().__init__()
        a1, a2 = _choice(g, [1, 2, 3]), _choice(g, [2, 4, 8])
        w2 = _choice(g, [2, 3, 8])
        self.q0 = bt.ActQuant(a1)
        self.c1 = bt.BitserialConv2d(3, 16, 3, padding=1, act_bits=a1, weight_bits=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.q1 = bt.ActQuant(a2, step=0.25)
        self.c2 = bt.BitserialConv2d(16, 8, 3, stride=2, padding=1, groups=2,
                                     act_bits=a2, act_step=0.25, weight_bits=w2,
                                     scale=True)
        self.bn2 = nn.BatchNorm2d(8)
        self.fc = bt.BitserialLinear(8 * 4 * 4, 10, act_bits=4, weight_bits=2, bias=True)

    def forward(self, x):
        q = self.q1(self.bn1(self.c1(self.q0(x))))
        y = torch.relu(self.bn2(self.c2(q)))
        return self.fc(torch.flatten(y, 1)), q


class Int8Net(nn.Module):
    """int8 convolutions (a grouped one), BatchNorm, ReLU, global pooling and
    an int8 classifier."""

    def __init__(self, g):
        super().__init__()
        self.c1 = bt.Int8Conv2d(3, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.c2 = bt.Int8Conv2d(16, 16, 3, padding=1, stride=2, groups=4)
        self.pool = nn.AdaptiveAvgPool2d((2, 2))
        self.fc = bt.Int8Linear(64, 10)

    def forward(self, x):
        x = torch.relu(self.bn1(self.c1(x)))
        x = self.pool(self.c2(x))
        return self.fc(torch.flatten(x, 1))


def build(name, seed):
    """(model, example_inputs, exact_outputs) for builder ``name``."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    if name == "binary_vgg":
        m, inputs, exact = BinaryVGG(g), [torch.randn(2, 3, 8, 8)], [1]
        prepare(m, inputs, seed)
        if seed % 2 == 0:  # pool1 then commutes with bn1 + sign: a binary pool
            with torch.no_grad():
                m.bn1.weight.abs_()
        return m, inputs, exact
    elif name == "bireal":
        m, inputs, exact = BiReal(g), [torch.randn(2, 3, 8, 8)], []
    elif name == "groups_concat":
        m, inputs, exact = GroupsAndConcat(g), [torch.randn(2, 3, 8, 8)], [1]
    elif name == "float_ops":
        m, inputs, exact = FloatOps(g), [torch.randn(2, 4, 8, 8)], []
    elif name == "binary_mlp":
        m, inputs, exact = BinaryMLP(g), [torch.randn(3, 2, 4, 4), torch.randn(3, 12)], [0, 1]
    elif name == "bitserial":
        m, inputs, exact = Bitserial(g), [torch.rand(2, 3, 8, 8) * 1.2 - 0.1], [1]
    elif name == "int8":
        m, inputs, exact = Int8Net(g), [torch.randn(2, 3, 8, 8)], []
    else:
        raise ValueError(name)
    return prepare(m, inputs, seed), inputs, exact


MODELS = ["binary_vgg", "bireal", "groups_concat", "float_ops", "binary_mlp",
          "bitserial", "int8"]
