"""Binary (1-bit activations x 1-bit weights) layers.

Both layers binarize their input and their weight with
:func:`bnn.torch.functional.binarize` (``x < 0 -> -1``, else ``+1``; clipped
straight-through gradients), compute the exact integer convolution / dense
product of the +1/-1 values, then apply the optional per-output-channel
``scale`` (a multiplier) and ``bias``, each as one float32 operation::

    acc = sum of a * w over the receptive field       (exact integer)
    y   = acc * scale[c]  (if scale)  + bias[c]  (if bias)

which is ``bnn.acc_to_float(acc, scale or 1, bias or 0)``.

Export: ``bnn.binary_conv2d`` / ``bnn.binary_dense`` with i1 weights (a set
bit means -1, i.e. ``weight < 0``), OHWI filters, followed by
``bnn.threshold`` when the next consumer binarizes (the scale/bias and any
BatchNorm/Hardtanh/... in between are folded exactly) or by
``bnn.acc_to_float`` otherwise.
"""

import torch
from torch import nn

from .functional import binarize
from .integer_conv import conv_padding, integer_conv2d, integer_linear, pad2d

__all__ = ["BinaryConv2d", "BinaryLinear", "apply_epilogue"]

PAD_VALUES = (0, 1, -1)


def apply_epilogue(acc, multiplier, bias):
    """``acc * multiplier[c] + bias[c]`` (either may be None) on the channel
    dimension 1, each operation rounded to float32 -- the arithmetic of
    ``bnn.acc_to_float``."""
    shape = [1, -1] + [1] * (acc.dim() - 2)
    y = acc
    if multiplier is not None:
        y = y * multiplier.view(shape)
    if bias is not None:
        y = y + bias.view(shape)
    return y


class BinaryConv2d(nn.Conv2d):
    """Binary 2-D convolution: the arguments of ``nn.Conv2d`` (default
    ``bias=False``) plus

    * ``pad_value`` (keyword): the value of padded input positions after
      binarization: 0 (zero padding, as ``nn.Conv2d``; the default), +1 or
      -1. Only with ``padding_mode='zeros'``; other padding modes train as in
      torch but cannot be exported.
    * ``scale`` (keyword): a learnable per-output-channel multiplier of the
      integer result, initialised to 1.

    Forward (training and eval): ``binarize(x)`` padded explicitly with
    ``pad_value``, convolved without padding with ``binarize(weight)``; the
    integer result (exact in float32 below 2^24 products) times ``scale[c]``
    plus ``bias[c]``, each rounded to float32.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, groups=1, bias=False,
                 padding_mode="zeros", device=None, dtype=None, *,
                 pad_value=0, scale=False):
        super().__init__(in_channels, out_channels, kernel_size, stride,
                         padding, dilation, groups, bias, padding_mode,
                         device, dtype)
        if pad_value not in PAD_VALUES:
            raise ValueError(f"pad_value must be 0, +1 or -1, got {pad_value!r}")
        if pad_value != 0 and padding_mode != "zeros":
            raise ValueError("pad_value applies to padding_mode='zeros' only")
        self.pad_value = int(pad_value)
        if scale:
            self.scale = nn.Parameter(torch.ones(out_channels, device=device,
                                                 dtype=dtype))
        else:
            self.register_parameter("scale", None)

    def reduction_size(self):
        """Terms per output value: ``in_channels / groups * kh * kw``; the
        integer result lies in ``[-K, K]``."""
        kh, kw = self.kernel_size
        return self.in_channels // self.groups * kh * kw

    def epilogue(self, acc):
        """The float32 map from the integer result to the layer output."""
        return apply_epilogue(acc, self.scale, self.bias)

    def forward(self, x):
        xb = pad2d(binarize(x), conv_padding(self), self.pad_value,
                   self.padding_mode)
        acc = integer_conv2d(xb, binarize(self.weight), self.stride,
                             self.dilation, self.groups, self.reduction_size())
        return self.epilogue(acc)

    def extra_repr(self):
        s = super().extra_repr()
        if self.pad_value:
            s += f", pad_value={self.pad_value:+d}"
        if self.scale is not None:
            s += ", scale=True"
        return s


class BinaryLinear(nn.Linear):
    """Binary fully connected layer: ``nn.Linear(in_features, out_features,
    bias=False)`` plus a keyword ``scale`` (learnable per-output multiplier,
    initialised to 1). Forward: ``binarize(x) @ binarize(weight).T`` (exact),
    times ``scale[o]`` plus ``bias[o]``, each rounded to float32.
    """

    def __init__(self, in_features, out_features, bias=False, device=None,
                 dtype=None, *, scale=False):
        super().__init__(in_features, out_features, bias, device, dtype)
        if scale:
            self.scale = nn.Parameter(torch.ones(out_features, device=device,
                                                 dtype=dtype))
        else:
            self.register_parameter("scale", None)

    def reduction_size(self):
        """Terms per output value: ``in_features``."""
        return self.in_features

    def epilogue(self, acc):
        """The float32 map from the integer result to the layer output."""
        return apply_epilogue(acc, self.scale, self.bias)

    def forward(self, x):
        acc = integer_linear(binarize(x), binarize(self.weight),
                             self.reduction_size())
        return self.epilogue(acc)

    def extra_repr(self):
        s = super().extra_repr()
        return s + (", scale=True" if self.scale is not None else "")
