"""Writing MLIR text: types, dense literals, SSA names, one function body.

Everything is deterministic: SSA names come from hints and counters,
constants are printed exactly (float32 as the shortest decimal that
round-trips or as little-endian hex bytes; i1 as bit-packed hex, least
significant bit first, which is MLIR's dense i1 hex format) and identical
constants are emitted once.
"""

import re

import numpy as np

__all__ = ["Emitter", "Batch", "ttype", "float_literal"]

_ELEM_DTYPES = {"f32": np.float32, "i1": np.bool_, "i8": np.int8,
                "i32": np.int32, "i64": np.int64, "index": np.int64}


class Batch(int):
    """The batch dimension of an exported activation: an int (the example
    inputs' batch) that prints as ``?`` in types and as ``-1`` in
    ``!tosa.shape`` constants when the function has a dynamic batch."""

    def __repr__(self):
        return f"Batch({int(self)})"


def _dim(d):
    return "?" if isinstance(d, Batch) else str(int(d))


def ttype(shape, elem):
    """``tensor<AxBxelem>`` (``?`` for a :class:`Batch` dimension)."""
    dims = "".join(f"{_dim(d)}x" for d in shape)
    return f"tensor<{dims}{elem}>"


def float_literal(value):
    """An f32 scalar as MLIR text that parses back to the same float32."""
    v = np.float32(value)
    if not np.isfinite(v):
        return "0x%08X" % int(v.view(np.uint32))
    s = repr(float(v))
    if "e" in s and "." not in s:
        s = s.replace("e", ".0e")
    return s


def _nested(array, fmt):
    if array.ndim == 0:
        return fmt(array.item())
    if array.ndim == 1:
        return "[" + ", ".join(fmt(x) for x in array.tolist()) + "]"
    return "[" + ", ".join(_nested(a, fmt) for a in array) + "]"


def dense_literal(array, elem):
    """``dense<...>`` for ``array`` (already holding the exact values)."""
    flat = array.reshape(-1)
    if elem == "f32":
        a = np.ascontiguousarray(array, dtype=np.float32)
        bits = a.view(np.uint32).reshape(-1)
        if flat.size and (bits == bits[0]).all():
            return f"dense<{float_literal(flat[0])}>"
        if flat.size <= 16 and np.isfinite(a).all():
            return f"dense<{_nested(a, float_literal)}>"
        return 'dense<"0x' + a.astype("<f4").tobytes().hex().upper() + '">'
    if elem == "i1":
        a = np.asarray(array, dtype=bool)
        if flat.size and (a.reshape(-1) == a.reshape(-1)[0]).all():
            return "dense<true>" if bool(a.reshape(-1)[0]) else "dense<false>"
        if flat.size <= 64:
            return "dense<" + _nested(a, lambda b: "true" if b else "false") + ">"
        packed = np.packbits(a.reshape(-1), bitorder="little")
        return 'dense<"0x' + packed.tobytes().hex().upper() + '">'
    a = np.asarray(array).astype(np.int64)
    if flat.size and (a.reshape(-1) == a.reshape(-1)[0]).all():
        return f"dense<{int(a.reshape(-1)[0])}>"
    if elem == "i8" and flat.size > 64:
        return 'dense<"0x' + a.astype(np.int8).tobytes().hex().upper() + '">'
    return "dense<" + _nested(a, lambda x: str(int(x))) + ">"


def _loc(loc):
    if not loc:
        return ""
    text = str(loc).replace("\\", "\\\\").replace('"', '\\"')
    return f' loc("{text}")'


class Emitter:
    """Collects the operations of one function body.

    ``op(hint, text, loc)`` appends ``%name = text loc("...")`` and returns
    ``%name``; ``const`` and ``shape`` return (possibly shared) constants.
    """

    def __init__(self):
        self.lines = []
        self._counts = {}
        self._consts = {}

    def fresh(self, hint):
        hint = re.sub(r"[^A-Za-z0-9_]", "_", str(hint or "v")).strip("_") or "v"
        if hint[0].isdigit():
            hint = "v" + hint
        n = self._counts.get(hint, 0)
        self._counts[hint] = n + 1
        return f"%{hint}" if n == 0 else f"%{hint}_{n}"

    def comment(self, text):
        self.lines.append(f"  // {text}")

    def op(self, hint, text, loc=None):
        name = self.fresh(hint)
        self.lines.append(f"  {name} = {text}{_loc(loc)}")
        return name

    def const(self, array, elem, dialect="tosa", hint="cst"):
        """A constant tensor of ``array``'s shape: ``"tosa.const"`` (operands
        of tosa operators) or ``arith.constant`` (operands of bnn ones)."""
        array = np.asarray(array)
        literal = dense_literal(array, elem)
        ty = ttype(array.shape, elem)
        key = (dialect, ty, literal)
        if key not in self._consts:
            if dialect == "tosa":
                text = f'"tosa.const"() <{{values = {literal} : {ty}}}> : () -> {ty}'
            else:
                text = f"arith.constant {literal} : {ty}"
            self._consts[key] = self.op(hint, text)
        return self._consts[key]

    def shape(self, values):
        """A ``!tosa.shape<n>`` constant."""
        values = [-1 if isinstance(v, Batch) else int(v) for v in values]
        key = ("shape", tuple(values))
        if key not in self._consts:
            text = (f"tosa.const_shape {{values = dense<[{', '.join(map(str, values))}]>"
                    f" : tensor<{len(values)}xindex>}} : () -> !tosa.shape<{len(values)}>")
            self._consts[key] = self.op("shape", text)
        return self._consts[key]

    def zero_f32(self):
        """The ``tensor<1xf32>`` zero used as tosa zero points / pad values."""
        return self.const(np.zeros(1, np.float32), "f32", hint="zero")

    def shift0(self):
        """The ``tensor<1xi8>`` zero shift of ``tosa.mul``."""
        return self.const(np.zeros(1, np.int8), "i8", hint="shift")
