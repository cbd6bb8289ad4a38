"""Low-bit (bit-serial) layers: unsigned k-bit activations (k = 1..8) times
binary +1/-1 or unsigned m-bit weights (m = 2..8).

Activations. :class:`ActQuant` quantizes ``x`` to ``q = clamp(round(x *
inv_step), 0, 2^k - 1)`` (``inv_step = 1/step`` computed in float32, one
float32 multiplication, round half to even) and outputs ``q * step`` in
float32, so ordinary torch modules can consume it. The default step is
``1 / (2^k - 1)``: inputs are clipped to [0, 1] (DoReFa-style).

Bit-serial layers take the same ``act_bits`` / ``act_step`` and quantize
their input with exactly that quantizer. The quantizer is idempotent on its
own outputs (``q * step * inv_step`` rounds back to ``q``), so the intended
use -- an ``ActQuant(k, step)`` followed by a layer with ``act_bits=k,
act_step=step`` -- computes the layer on the ActQuant's integers, and the
exporter emits one ``bnn.quantize`` for both. The layer then computes the
exact integer convolution of ``q`` (zero padding) with the integer weights
and, in float32::

    multiplier[c] = f32(act_step * weight_step)  (* scale[c] if scale)
    y = acc * multiplier[c] + bias[c]

which is ``bnn.acc_to_float(acc, multiplier, bias)``.

Weights (``weight_bits``):

* 1: binary, ``binarize(weight)`` (+1/-1, clipped STE), ``weight_step = 1``;
  exported as an ``i1`` filter (set bit = -1).
* m = 2..8: unsigned ``w_int = round(clamp(weight, 0, 1) * (2^m - 1))``
  (STE inside [0, 1]), ``weight_step = 1 / (2^m - 1)`` (float32), so the
  real weight is ``w_int * weight_step`` in [0, 1]; exported as a ``ui<m>``
  filter holding ``w_int``. The weights are initialised uniformly in [0, 1].
  (The dialect's m-bit weights are unsigned; signed behaviour comes from a
  negative ``scale`` or a following BatchNorm.)

Export: ``bnn.quantize`` (``scale = [inv_step]``, ``zero_point = 0``, result
``ui<k>``) -> ``bnn.bitserial_conv2d`` / ``bnn.bitserial_dense`` ->
``bnn.acc_to_float`` (or ``bnn.threshold`` when a binarization follows and
the accumulator range is small enough to be enumerated).
"""

import math

import torch
from torch import nn

from .binary import apply_epilogue
from .functional import (binarize, f32, quantize_unsigned, reciprocal_f32,
                         round_ste)
from .integer_conv import conv_padding, integer_conv2d, integer_linear, pad2d

__all__ = ["ActQuant", "BitserialConv2d", "BitserialLinear",
           "unsigned_quantizer"]


def unsigned_quantizer(bits, step=None):
    """Validated ``(bits, step, inv_step)`` of an unsigned k-bit quantizer:
    ``step`` rounded to float32 (default ``1 / (2^bits - 1)``) and
    ``inv_step = 1 / step`` computed in float32."""
    if not isinstance(bits, int) or not 1 <= bits <= 8:
        raise ValueError(f"bits must be an integer in 1..8, got {bits!r}")
    if step is None:
        step = 1.0 / (2 ** bits - 1)
    step = f32(step)
    if not (math.isfinite(step) and step >= 2.0 ** -100):
        raise ValueError(f"step must be a positive normal float32, got {step!r}")
    inv_step = reciprocal_f32(step)
    if not math.isfinite((2 ** bits - 1) * step) or not math.isfinite(inv_step):
        raise ValueError(f"step {step!r} is out of range")
    return bits, step, inv_step


class ActQuant(nn.Module):
    """Unsigned k-bit activation quantizer (``bits`` in 1..8).

    Forward: ``q = clamp(round(x * inv_step), 0, 2^bits - 1)``, output
    ``q * step`` (float32). ``step`` defaults to ``1 / (2^bits - 1)`` and is
    rounded to float32; ``inv_step = 1 / step`` in float32. Backward:
    straight-through inside the range, 0 where clamped.

    Export: ``bnn.quantize`` of the input when a bit-serial layer with the
    same ``act_bits`` / ``act_step`` consumes it; for float consumers the
    same arithmetic in tosa (mul, cast to i32 with round-half-even, clamp,
    cast back, mul by ``step``), exactly.
    """

    def __init__(self, bits, step=None):
        super().__init__()
        self.bits, self.step, self.inv_step = unsigned_quantizer(bits, step)

    def quantize(self, x):
        """The integers ``q`` (as float32)."""
        return quantize_unsigned(x, self.inv_step, self.bits)

    def forward(self, x):
        step = torch.tensor(self.step, dtype=torch.float32, device=x.device)
        return self.quantize(x) * step

    def extra_repr(self):
        return f"bits={self.bits}, step={self.step!r}"


class _BitserialMixin:
    """Quantizer state and arithmetic shared by the two bit-serial layers."""

    def _init_bitserial(self, act_bits, act_step, weight_bits, scale, channels):
        self.act_bits, self.act_step, self.act_inv_step = unsigned_quantizer(
            act_bits, act_step)
        if not isinstance(weight_bits, int) or not 1 <= weight_bits <= 8:
            raise ValueError(
                f"weight_bits must be an integer in 1..8, got {weight_bits!r}")
        self.weight_bits = weight_bits
        self.weight_step = 1.0 if weight_bits == 1 else f32(
            1.0 / (2 ** weight_bits - 1))
        if weight_bits > 1:
            with torch.no_grad():
                nn.init.uniform_(self.weight, 0.0, 1.0)
        if scale:
            self.scale = nn.Parameter(torch.ones(channels))
        else:
            self.register_parameter("scale", None)

    def quantize_input(self, x):
        """The activation integers ``q`` (as float32)."""
        return quantize_unsigned(x, self.act_inv_step, self.act_bits)

    def integer_weight(self):
        """The weight integers (as float32): +1/-1 for ``weight_bits = 1``,
        else ``round(clamp(w, 0, 1) * (2^m - 1))``."""
        if self.weight_bits == 1:
            return binarize(self.weight)
        levels = float(2 ** self.weight_bits - 1)
        return round_ste(torch.clamp(self.weight, 0.0, 1.0) * levels)

    def max_abs_weight(self):
        return 1 if self.weight_bits == 1 else 2 ** self.weight_bits - 1

    def accumulator_range(self):
        """``(lo, hi)`` bounding every accumulator value."""
        bound = self.reduction_size() * (2 ** self.act_bits - 1) * \
            self.max_abs_weight()
        return (-bound if self.weight_bits == 1 else 0), bound

    def multiplier(self):
        """Per-output-channel float32 multiplier of the accumulator:
        ``f32(act_step * weight_step)``, times ``scale`` if any."""
        m = torch.tensor(self.act_step, dtype=torch.float32) * torch.tensor(
            self.weight_step, dtype=torch.float32)
        m = m.to(self.weight.device)
        if self.scale is not None:
            return m * self.scale
        return m.expand(self.weight.shape[0])

    def epilogue(self, acc):
        """The float32 map from the integer result to the layer output."""
        return apply_epilogue(acc, self.multiplier(), self.bias)

    def _extra(self):
        s = (f", act_bits={self.act_bits}, act_step={self.act_step!r}, "
             f"weight_bits={self.weight_bits}")
        return s + (", scale=True" if self.scale is not None else "")


class BitserialConv2d(_BitserialMixin, nn.Conv2d):
    """Unsigned k-bit x (binary or unsigned m-bit) 2-D convolution: the
    arguments of ``nn.Conv2d`` (default ``bias=False``) plus keywords
    ``act_bits`` (default 2), ``act_step`` (default ``1/(2^k-1)``),
    ``weight_bits`` (1 = binary, default; 2..8 unsigned) and ``scale``.
    Padded positions are 0 (``padding_mode='zeros'``; other modes cannot be
    exported). See the module docstring for the exact arithmetic."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, groups=1, bias=False,
                 padding_mode="zeros", device=None, dtype=None, *,
                 act_bits=2, act_step=None, weight_bits=1, scale=False):
        super().__init__(in_channels, out_channels, kernel_size, stride,
                         padding, dilation, groups, bias, padding_mode,
                         device, dtype)
        self._init_bitserial(act_bits, act_step, weight_bits, scale,
                             out_channels)

    def reduction_size(self):
        kh, kw = self.kernel_size
        return self.in_channels // self.groups * kh * kw

    def forward(self, x):
        q = pad2d(self.quantize_input(x), conv_padding(self), 0.0,
                  self.padding_mode)
        lo, hi = self.accumulator_range()
        acc = integer_conv2d(q, self.integer_weight(), self.stride,
                             self.dilation, self.groups, max(-lo, hi))
        return self.epilogue(acc)

    def extra_repr(self):
        return super().extra_repr() + self._extra()


class BitserialLinear(_BitserialMixin, nn.Linear):
    """Unsigned k-bit x (binary or unsigned m-bit) fully connected layer:
    ``nn.Linear(in_features, out_features, bias=False)`` plus the keywords of
    :class:`BitserialConv2d`."""

    def __init__(self, in_features, out_features, bias=False, device=None,
                 dtype=None, *, act_bits=2, act_step=None, weight_bits=1,
                 scale=False):
        super().__init__(in_features, out_features, bias, device, dtype)
        self._init_bitserial(act_bits, act_step, weight_bits, scale,
                             out_features)

    def reduction_size(self):
        return self.in_features

    def forward(self, x):
        lo, hi = self.accumulator_range()
        acc = integer_linear(self.quantize_input(x), self.integer_weight(),
                             max(-lo, hi))
        return self.epilogue(acc)

    def extra_repr(self):
        return super().extra_repr() + self._extra()
