"""Loaded artifacts: bnn.Module and its functions."""

import sys
from collections import namedtuple

TensorSpec = namedtuple("TensorSpec", ["shape", "type", "dtype"])
TensorSpec.__doc__ = """One argument or result of a compiled function.

shape: a tuple of ints, None for a dynamic batch (dimension 0); type: the model's element type ("f32", "i1",
"ui8", "i8", "i32"; unsigned k-bit tensors travel as bytes and read "ui8");
dtype: the numpy dtype a caller passes (bool for binary tensors, where True
means -1)."""


def wants_torch(values):
    """Whether any of `values` is a torch tensor (torch results then)."""
    torch = sys.modules.get("torch")
    return torch is not None and any(isinstance(v, torch.Tensor)
                                     for v in values)


def to_numpy(value, what):
    """A numpy view (or, for non-CPU or grad tensors, a copy) of `value`."""
    import numpy as np
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        if value.device.type != "cpu":
            raise ValueError("%s is a torch tensor on '%s'; use .cpu()"
                             % (what, value.device.type))
        return value.detach().numpy()
    if isinstance(value, np.ndarray):
        return value
    try:
        return np.asarray(value)
    except Exception:
        raise TypeError("%s is a %s, which is not an array"
                        % (what, type(value).__name__)) from None


class Function:
    """One public function of a compiled model: `f(*inputs, out=None)`."""

    def __init__(self, module, index, name, inputs, outputs, workspace_bytes):
        self._module = module
        self._index = index
        self._call = module._artifact.call
        self.name = name
        self.inputs = tuple(TensorSpec(*t) for t in inputs)
        self.outputs = tuple(TensorSpec(*t) for t in outputs)
        # Bytes of temporaries one call uses: a buffer the artifact keeps
        # between calls (one per concurrent call).
        self.workspace_bytes = workspace_bytes

    def __call__(self, *inputs, out=None):
        if out is None:
            return self._call(self._index, inputs, None)
        outs = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        self._call(self._index, inputs, outs)
        return outs[0] if len(outs) == 1 else outs

    def benchmark(self, *inputs, repeat=100, warmup=1):
        return self._module._artifact.benchmark(self._index, inputs, repeat,
                                                warmup)

    def __repr__(self):
        def types(specs):
            return ", ".join("tensor<%s>" % "x".join(
                ["?" if d is None else str(d) for d in s.shape] + [s.type])
                for s in specs)
        return "<bnn function %s(%s) -> (%s)>" % (
            self.name, types(self.inputs), types(self.outputs))


class Module:
    """A loaded artifact (bnn.load). Its functions are in `functions` and
    are also attributes (`m.forward(x)`); `m(*inputs)` calls the only
    function, `m.call(name, *inputs)` any of them.

    Inputs are numpy arrays or torch tensors (any array-like through
    numpy.asarray) with the function's exact dtype and shape: they are read
    in place when compact row-major and aligned, otherwise copied once.
    Results are new numpy arrays, or torch tensors when an input was a
    torch tensor, or the caller's tensors given with out= (one per result,
    compact and writable, not sharing memory with the inputs). Nothing is
    written when an argument is wrong. Calls release the GIL and may run
    concurrently from several threads."""

    def __init__(self, artifact, path):
        self._artifact = artifact
        self.path = path
        self.functions = {}
        for index, (name, inputs, outputs, workspace) in enumerate(
                artifact.entries):
            self.functions[name] = Function(self, index, name, inputs,
                                            outputs, workspace)

    def __getattr__(self, name):
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError("bnn module %r has no function %r (functions: "
                             "%s)" % (self.__dict__.get("path"), name,
                                      ", ".join(functions) or "none"))

    def _only(self):
        if len(self.functions) != 1:
            raise TypeError("%r has %d functions (%s): use "
                            "m.call(name, ...)" % (
                                self.path, len(self.functions),
                                ", ".join(self.functions)))
        return next(iter(self.functions.values()))

    def _function(self, name):
        if name is None:
            return self._only()
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError("no function %r in %r (functions: %s)" % (
                name, self.path, ", ".join(self.functions) or "none")) \
                from None

    def __call__(self, *inputs, out=None):
        only = self.__dict__.get("_single")
        if only is None:
            only = self._single = self._only()
        return only(*inputs, out=out)

    def call(self, name, *inputs, out=None):
        return self._function(name)(*inputs, out=out)

    def set_num_threads(self, n):
        """Thread count of the artifact's parallel loops (default 1).
        Returns False when the artifact has no parallel code."""
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError("the thread count must be an int")
        return self._artifact.set_num_threads(n)

    @property
    def variants(self):
        """The code variants of a multi-variant artifact, lowest first
        (docs/RuntimeABI.md#code-variants); [] for code for one CPU."""
        return list(self._artifact.variants())

    @property
    def variant(self):
        """The code variant that runs ("" for code for one CPU)."""
        return self._artifact.variant()

    def force_variant(self, name):
        """Runs code variant `name` from the next call on. ValueError when
        the artifact holds no such variant or this CPU cannot run it."""
        if not isinstance(name, str):
            raise TypeError("the variant name must be a str")
        self._artifact.force_variant(name)

    def benchmark(self, *inputs, repeat=100, warmup=1, name=None):
        """Times `repeat` calls (after `warmup` untimed ones) of the
        artifact's code alone, in milliseconds: {"median_ms", "mean_ms",
        "std_ms", "min_ms", "max_ms", "p90_ms", "repeat"}."""
        return self._function(name).benchmark(*inputs, repeat=repeat,
                                              warmup=warmup)

    def __repr__(self):
        return "<bnn module %r: %s>" % (self.path,
                                        ", ".join(self.functions) or "empty")
