"""bnn.torch.compile: a CompiledModule runs the artifact in eval mode only,
sits inside a larger torch program (as a submodule, through the operator
torch.ops.bnn.run, fx-traced and TorchScript-scripted) and refuses
gradients with a clear error."""
import sys

import numpy as np
import torch
from torch import nn

import bnn
import bnn.torch as bt

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def raises(exc, fn, contains):
    try:
        fn()
    except exc as e:
        check(contains in str(e), "%r not in %r" % (contains, str(e)))
        return
    except Exception as e:  # another type
        check(False, "raised %s(%s), expected %s" % (type(e).__name__, e,
                                                      exc.__name__))
        return
    check(False, "did not raise %s (%s)" % (exc.__name__, contains))


torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8),
    bt.BinaryConv2d(8, 16, 3, padding=1, pad_value=-1), nn.BatchNorm2d(16),
    nn.MaxPool2d(2), nn.Flatten(), bt.BinaryLinear(16 * 4 * 4, 10),
    nn.BatchNorm1d(10))
model.train()
with torch.no_grad():  # batch-norm statistics that are not the defaults
    for _ in range(3):
        model(torch.randn(32, 1, 8, 8))
model.eval()
x = torch.randn(5, 1, 8, 8)
with torch.no_grad():
    expected = model(x)

compiled = bt.compile(model, torch.zeros(1, 1, 8, 8), dynamic_batch=True)
check(isinstance(compiled, nn.Module) and not compiled.training, "eval")
got = compiled(x)
check(isinstance(got, torch.Tensor) and got.shape == (5, 10), "shape")
check(torch.allclose(got, expected, rtol=1e-5, atol=1e-5),
      "compiled vs torch: max diff %g" % (got - expected).abs().max())
check(compiled.function.inputs[0].shape == (None, 1, 8, 8),
      "dynamic batch signature")

# Training mode is refused; eval() brings it back.
compiled.train()
raises(RuntimeError, lambda: compiled(x), "eval mode only")
compiled.eval()

# Inputs that require grad under grad mode are refused by the operator.
xg = x.clone().requires_grad_()
raises(RuntimeError, lambda: compiled(xg), "no gradient")
with torch.no_grad():
    check(torch.equal(compiled(xg), got), "no_grad call")

# The operator itself, and inside a larger program.
r = torch.ops.bnn.run(compiled.handle, [x])
check(isinstance(r, list) and torch.equal(r[0], got), "torch.ops.bnn.run")


class Larger(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.pre = nn.ReLU()
        self.inner = inner
        self.head = nn.Linear(10, 3)

    def forward(self, x):
        return self.head(self.inner(self.pre(x)) * 2.0)


larger = Larger(compiled).eval()
with torch.no_grad():
    out = larger(x)
    want = larger.head(model(torch.relu(x)) * 2.0)
check(torch.allclose(out, want, rtol=1e-5, atol=1e-5), "larger program")


class ViaOp(nn.Module):
    def __init__(self, handle: int):
        super().__init__()
        self.handle = handle

    def forward(self, x):
        return torch.ops.bnn.run(self.handle, [x])[0] + 1.0


scripted = torch.jit.script(ViaOp(compiled.handle))
with torch.no_grad():
    check(torch.equal(scripted(x), got + 1.0), "TorchScript")
traced = torch.fx.symbolic_trace(ViaOp(compiled.handle))
with torch.no_grad():
    check(torch.equal(traced(x), got + 1.0), "torch.fx")

# Wrong inputs: the binding's messages.
raises(TypeError, lambda: compiled(x.double()), "torch.float64")
raises(ValueError, lambda: compiled(torch.randn(2, 1, 9, 8)), "(2, 1, 9, 8)")
raises(RuntimeError, lambda: torch.ops.bnn.run(123456, [x]), "no compiled model")

# A model the exporter cannot take: an ExportError names the node.
bad = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, padding_mode="reflect"))
raises(bt.ExportError, lambda: bt.compile(bad, torch.zeros(1, 1, 8, 8)),
       "reflect")

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("torch_compiled: all checks passed")
