"""Straight-through estimators and the exact quantization functions.

Every function here computes in its forward pass exactly the value the bnn
dialect computes for the corresponding operator, element by element, in
float32 (so a torch model built from them and the compiled model agree bit
for bit on the quantized values). The backward passes are straight-through
estimators (STE): the gradient of a rounding or sign step is taken to be the
gradient of the identity, restricted to the range where the quantizer is not
saturated.

The estimators are ``torch.autograd.Function`` subclasses. torch.fx cannot
trace ``Function.apply``; the modules of :mod:`bnn.torch` that call these
functions are leaves of the exporter's tracer, so a model never needs to be
traced through them.
"""

import torch
import torch.fx

__all__ = [
    "binarize",
    "round_ste",
    "f32",
    "reciprocal_f32",
    "quantize_unsigned",
    "quantize_int8",
    "Binarize",
]


class _BinarizeSTE(torch.autograd.Function):
    """sign with +1 for 0, -0.0 and NaN; gradient passed where |x| <= 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        one = torch.ones((), dtype=x.dtype, device=x.device)
        return torch.where(x < 0, -one, one)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)


class _RoundSTE(torch.autograd.Function):
    """torch.round (half to even) with the identity as its gradient."""

    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


def binarize(x):
    """Binarizes ``x``: -1.0 where ``x < 0``, else +1.0 (so 0, -0.0 and NaN
    give +1, as ``bnn.binarize``; this is not ``torch.sign``).

    Backward: the straight-through estimator clipped to ``|x| <= 1``
    (gradient ``g * (|x| <= 1)``).

    Under torch.fx tracing the call is recorded as one ``call_function``
    node (the estimator itself cannot be traced).
    """
    if isinstance(x, torch.fx.Proxy):
        return x.tracer.create_proxy("call_function", binarize, (x,), {})
    return _BinarizeSTE.apply(x)


def round_ste(x):
    """``torch.round(x)`` (round half to even, like ``roundeven``) whose
    gradient is the identity."""
    return _RoundSTE.apply(x)


def f32(value):
    """``value`` rounded to the nearest float32, as a Python float."""
    return float(torch.tensor(float(value), dtype=torch.float32))


def reciprocal_f32(value):
    """``1 / value`` computed in float32 (``value`` first rounded to float32),
    as a Python float. This is how every quantizer of bnn.torch turns a step
    (or scale) into the multiplier that ``bnn.quantize`` takes."""
    one = torch.tensor(1.0, dtype=torch.float32)
    return float(one / torch.tensor(float(value), dtype=torch.float32))


def quantize_unsigned(x, inv_step, bits):
    """``q = clamp(round(x * inv_step), 0, 2^bits - 1)`` in float32.

    ``x * inv_step`` is one float32 multiplication (``inv_step`` a float32
    scalar), ``round`` is half to even: exactly ``bnn.quantize`` with
    ``scale = [inv_step]``, ``zero_point = 0`` and result type ``ui<bits>``.
    The result holds the integers as float32. Backward: STE, gradient
    ``inv_step`` where ``0 <= x * inv_step <= 2^bits - 1`` and 0 outside.
    """
    scaled = x * torch.tensor(inv_step, dtype=torch.float32, device=x.device)
    return torch.clamp(round_ste(scaled), 0.0, float(2 ** bits - 1))


def quantize_int8(x, inv_scale, zero_point):
    """``q = clamp(round(x * inv_scale) + zero_point, -128, 127)`` in float32:
    exactly ``bnn.quantize`` with ``scale = [inv_scale]``, ``zero_point`` and
    result type ``i8``. Backward: STE, gradient ``inv_scale`` where the value
    is not clamped."""
    scaled = x * torch.tensor(inv_scale, dtype=torch.float32, device=x.device)
    return torch.clamp(round_ste(scaled) + float(zero_point), -128.0, 127.0)


class Binarize(torch.nn.Module):
    """Module form of :func:`binarize`: ``where(x < 0, -1, +1)`` with the
    clipped straight-through gradient.

    Export: ``bnn.binarize`` of its input; when the input is the integer
    accumulator of a bnn layer seen through per-channel operators
    (scale/bias, BatchNorm, Hardtanh, ...), a ``bnn.threshold`` instead.
    Its float value (when a float operator consumes it) is
    ``bnn.unbinarize``.
    """

    def forward(self, x):
        return binarize(x)
