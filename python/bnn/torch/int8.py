"""int8 layers: asymmetric per-tensor activations, symmetric per-output-channel
weights, exact integer accumulation.

Activation range. In training mode every forward observes the batch's min
and max (``running_min/max``, an exponential moving average with factor
``momentum``; the first batch sets them); in eval mode they are frozen. The
quantization parameters are derived from them in this order::

    lo = min(running_min, 0),  hi = max(running_max, 0)
    s_in = f32((hi - lo) / 255)            (1.0 if that is 0)
    inv_scale = 1 / s_in                   (float32)
    zp = clamp(round_half_even(-128 - lo / s_in), -128, 127)

Weights: ``s_w[c] = f32(max|w[c]|) / 127`` (float32; 1.0 for an all-zero
channel), ``w_int = clamp(round(w / s_w[c]), -127, 127)``.

Forward (training and eval)::

    q   = clamp(round(x * inv_scale) + zp, -128, 127)     (bnn.quantize)
    acc = sum (q - zp) * w_int over the receptive field  (zero padding = real 0)
    y   = acc * f32(s_in * s_w[c]) + bias[c]             (bnn.acc_to_float)

with straight-through gradients for both roundings (inside the clamp
ranges). Export: ``bnn.quantize`` (``scale = [inv_scale]``, ``zero_point =
zp``, ``i8``) -> ``bnn.int8_conv2d`` / ``bnn.int8_dense``
(``input_zero_point = zp``, weight zero point 0) -> ``bnn.acc_to_float``.
A layer that never ran in training mode has no range: its forward raises
``RuntimeError`` (run calibration batches in training mode, or call
:meth:`set_input_range`).
"""

import torch
from torch import nn

from .binary import apply_epilogue
from .functional import f32, quantize_int8, reciprocal_f32, round_ste
from .integer_conv import conv_padding, integer_conv2d, integer_linear, pad2d

__all__ = ["Int8Conv2d", "Int8Linear"]


class _Int8Mixin:
    def _init_int8(self, momentum):
        self.momentum = float(momentum)
        self.register_buffer("running_min", torch.zeros(()))
        self.register_buffer("running_max", torch.zeros(()))
        self.register_buffer("num_batches_tracked",
                             torch.zeros((), dtype=torch.long))

    @torch.no_grad()
    def _observe(self, x):
        lo, hi = x.min().float(), x.max().float()
        if int(self.num_batches_tracked) == 0:
            self.running_min.copy_(lo)
            self.running_max.copy_(hi)
        else:
            m = self.momentum
            self.running_min.mul_(1 - m).add_(lo * m)
            self.running_max.mul_(1 - m).add_(hi * m)
        self.num_batches_tracked += 1

    @torch.no_grad()
    def set_input_range(self, lo, hi):
        """Sets the observed activation range explicitly (freezes it as if
        one batch with this min and max had been observed)."""
        self.running_min.fill_(float(lo))
        self.running_max.fill_(float(hi))
        self.num_batches_tracked.fill_(max(1, int(self.num_batches_tracked)))

    def input_qparams(self):
        """``(s_in, inv_scale, zero_point)`` as Python float, float, int."""
        if int(self.num_batches_tracked) == 0:
            raise RuntimeError(
                f"{type(self).__name__} has no observed activation range: run "
                "it in training mode on calibration data first, or call "
                "set_input_range(lo, hi)")
        lo = min(float(self.running_min), 0.0)
        hi = max(float(self.running_max), 0.0)
        scale = f32((hi - lo) / 255.0)
        if scale == 0.0:
            scale = 1.0
        zero_point = int(min(127, max(-128, round(-128.0 - lo / scale))))
        return scale, reciprocal_f32(scale), zero_point

    def weight_qparams(self):
        """``(w_int, s_w)``: the integer weights (float32 tensor, values in
        -127..127, with straight-through gradient) and the per-output-channel
        float32 scales."""
        w = self.weight
        amax = w.detach().abs().reshape(w.shape[0], -1).amax(dim=1)
        s_w = amax / 127.0
        s_w = torch.where(s_w > 0, s_w, torch.ones_like(s_w))
        shape = [-1] + [1] * (w.dim() - 1)
        w_int = torch.clamp(round_ste(w / s_w.view(shape)), -127.0, 127.0)
        return w_int, s_w

    def multiplier(self):
        """Per-output-channel float32 multiplier ``f32(s_in * s_w[c])``."""
        s_in = self.input_qparams()[0]
        return torch.tensor(s_in, dtype=torch.float32) * \
            self.weight_qparams()[1]

    def epilogue(self, acc):
        """The float32 map from the integer result to the layer output."""
        return apply_epilogue(acc, self.multiplier(), self.bias)

    def _quantized_input(self, x):
        if self.training:
            self._observe(x)
        _, inv_scale, zp = self.input_qparams()
        return quantize_int8(x, inv_scale, zp) - float(zp)

    def accumulator_range(self):
        bound = self.reduction_size() * 255 * 127
        return -bound, bound

    def _extra(self):
        return f", momentum={self.momentum}"


class Int8Conv2d(_Int8Mixin, nn.Conv2d):
    """int8 2-D convolution: the arguments of ``nn.Conv2d`` plus the keyword
    ``momentum`` (default 0.1) of the activation-range average. See the
    module docstring for the exact arithmetic."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None, *,
                 momentum=0.1):
        super().__init__(in_channels, out_channels, kernel_size, stride,
                         padding, dilation, groups, bias, padding_mode,
                         device, dtype)
        self._init_int8(momentum)

    def reduction_size(self):
        kh, kw = self.kernel_size
        return self.in_channels // self.groups * kh * kw

    def forward(self, x):
        a = pad2d(self._quantized_input(x), conv_padding(self), 0.0,
                  self.padding_mode)
        w_int, _ = self.weight_qparams()
        acc = integer_conv2d(a, w_int, self.stride, self.dilation, self.groups,
                             self.accumulator_range()[1])
        return self.epilogue(acc)

    def extra_repr(self):
        return super().extra_repr() + self._extra()


class Int8Linear(_Int8Mixin, nn.Linear):
    """int8 fully connected layer: ``nn.Linear`` arguments plus ``momentum``."""

    def __init__(self, in_features, out_features, bias=True, device=None,
                 dtype=None, *, momentum=0.1):
        super().__init__(in_features, out_features, bias, device, dtype)
        self._init_int8(momentum)

    def reduction_size(self):
        return self.in_features

    def forward(self, x):
        a = self._quantized_input(x)
        w_int, _ = self.weight_qparams()
        acc = integer_linear(a, w_int, self.accumulator_range()[1])
        return self.epilogue(acc)

    def extra_repr(self):
        return super().extra_repr() + self._extra()
