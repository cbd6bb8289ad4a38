"""Compiled models as torch modules and as a torch operator.

``bnn.torch.compile(model, example_inputs)`` exports `model` (bnn.torch.export),
compiles it (bnn.compile) and loads the artifact (bnn.load); the result is a
``CompiledModule``, an ``nn.Module`` whose forward runs the artifact. Its
forward goes through the torch operator ``torch.ops.bnn.run(handle, inputs)``
(registered with torch.library), so a compiled model can sit inside a larger
PyTorch program, fx-traced or TorchScript-scripted with it.

Compiled models are for inference: they have no gradients. The module
refuses to run in training mode, and the operator refuses inputs that
require grad while grad mode is on (use ``torch.no_grad()`` or ``.detach()``).
"""

import threading

import torch
from torch.library import Library

import bnn

from .export import export

__all__ = ["compile", "CompiledModule"]

# Loaded functions by handle: the operator's only argument besides the
# tensors is an int, which TorchScript and fx can carry.
_functions = {}
_functions_lock = threading.Lock()
_next_handle = [1]

_library = Library("bnn", "DEF")
_library.define("run(int handle, Tensor[] inputs) -> Tensor[]")


def _run(handle, inputs):
    function = _functions.get(handle)
    if function is None:
        raise RuntimeError("bnn::run: no compiled model with handle %d (was "
                           "its CompiledModule deleted?)" % handle)
    if torch.is_grad_enabled() and any(t.requires_grad for t in inputs):
        raise RuntimeError(
            "bnn::run (%s): compiled bnn models run in inference only and "
            "have no gradient; call them under torch.no_grad() or pass "
            "detached tensors" % function.name)
    results = function(*inputs)
    return list(results) if isinstance(results, tuple) else [results]


_library.impl("run", _run, "CPU")


def _register(function):
    with _functions_lock:
        handle = _next_handle[0]
        _next_handle[0] += 1
        _functions[handle] = function
    return handle


class CompiledModule(torch.nn.Module):
    """An ``nn.Module`` running a compiled bnn artifact (eval mode only).

    Attributes: ``module`` (the bnn.Module), ``function`` (its bnn.Function),
    ``mlir`` (the exported model), ``handle`` (for ``torch.ops.bnn.run``).
    """

    def __init__(self, module, function_name, mlir=None):
        super().__init__()
        self.module = module
        self.function = module.functions[function_name]
        self.mlir = mlir
        self.handle = _register(self.function)
        self.eval()

    def forward(self, *inputs):
        if self.training:
            raise RuntimeError(
                "a compiled bnn model runs in eval mode only (it has no "
                "gradients); call .eval() on it, and train the original "
                "model instead")
        results = torch.ops.bnn.run(self.handle, list(inputs))
        return results[0] if len(results) == 1 else tuple(results)

    def set_num_threads(self, n):
        return self.module.set_num_threads(n)

    def benchmark(self, *inputs, repeat=100, warmup=1):
        return self.function.benchmark(*inputs, repeat=repeat, warmup=warmup)

    def __del__(self):
        with _functions_lock:
            _functions.pop(getattr(self, "handle", None), None)

    def extra_repr(self):
        return repr(self.function)


def compile(model, example_inputs, target="host", *, function_name="forward",
            dynamic_batch=False, **compile_options):
    """Exports `model` (in eval mode) with `example_inputs`, compiles it for
    `target` ("host", "x86_64" or "aarch64"; only the host's architecture
    can run here) and returns a CompiledModule. `dynamic_batch` exports the
    batch dimension as `?` (any batch size at run time). Other keyword
    arguments go to bnn.compile (cpu, features, opt_level,
    pipeline_options). Raises bnn.torch.ExportError or bnn.CompileError."""
    if not isinstance(example_inputs, (list, tuple)):
        example_inputs = (example_inputs,)
    kwargs = {"function_name": function_name}
    if dynamic_batch:
        kwargs["dynamic_batch"] = True
    text = export(model, example_inputs, **kwargs)
    artifact = bnn.compile(text, target=target, **compile_options)
    return CompiledModule(bnn.load(artifact), function_name, text)
