"""bnn.torch: PyTorch training layers and an exporter to the bnn dialect.

Layers (their forward passes, in training and eval mode, compute exactly
what the compiled model computes; straight-through estimators give the
gradients):

* ``binarize(x)`` / ``Binarize()``: ``where(x < 0, -1, +1)``
  -> ``bnn.binarize`` (or ``bnn.threshold`` after a bnn layer);
* ``BinaryConv2d`` / ``BinaryLinear``: +-1 x +-1, pad value 0/+1/-1,
  optional per-channel ``scale`` and ``bias``
  -> ``bnn.binary_conv2d`` / ``bnn.binary_dense``;
* ``ActQuant(bits, step)``: unsigned k-bit activations
  -> ``bnn.quantize`` (``ui<k>``);
* ``BitserialConv2d`` / ``BitserialLinear``: k-bit activations x +-1 or
  unsigned m-bit weights -> ``bnn.bitserial_conv2d`` / ``bnn.bitserial_dense``;
* ``Int8Conv2d`` / ``Int8Linear``: affine int8 activations (observed range),
  symmetric per-channel int8 weights
  -> ``bnn.quantize`` (``i8``) + ``bnn.int8_conv2d`` / ``bnn.int8_dense``.

They compose with ``nn.Conv2d``, ``nn.Linear``, ``BatchNorm1d/2d``, ``ReLU``,
``ReLU6``, ``Hardtanh``, ``LeakyReLU``, ``PReLU``, ``MaxPool2d``,
``AvgPool2d``, ``AdaptiveAvgPool2d`` (divisible sizes), ``Flatten`` /
``torch.flatten`` / ``view(N, -1)``, ``Dropout``/``Identity``, residual
``+`` / ``torch.add`` and ``torch.cat``.

``export(model, example_inputs, function_name="forward") -> str`` traces an
eval-mode copy of ``model`` with torch.fx and returns MLIR text; see
:mod:`bnn.torch.export`. Unsupported constructs raise :class:`ExportError`.
``export(..., dynamic_batch=True)`` leaves the batch dimension dynamic.
``compile(model, example_inputs, target="host", ...)`` (:mod:`bnn.torch.compiled`)
exports, compiles and loads the model as a ``CompiledModule``.
"""

from .binary import BinaryConv2d, BinaryLinear
from .bitserial import ActQuant, BitserialConv2d, BitserialLinear
from .errors import ExportError
from .export import BNNTracer, export, trace
from .functional import Binarize, binarize
from .int8 import Int8Conv2d, Int8Linear

__all__ = [
    "binarize", "Binarize", "BinaryConv2d", "BinaryLinear", "ActQuant",
    "BitserialConv2d", "BitserialLinear", "Int8Conv2d", "Int8Linear",
    "export", "compile", "CompiledModule", "trace", "BNNTracer", "ExportError",
]


def __getattr__(name):
    # compile / CompiledModule (bnn.torch.compiled) need the bnn core package
    # and register a torch operator: imported on first use.
    if name in ("compile", "CompiledModule"):
        from . import compiled
        return getattr(compiled, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
