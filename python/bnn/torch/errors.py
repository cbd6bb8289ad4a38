"""The exporter's error type."""

import os

import torch

__all__ = ["ExportError"]

# Frames in these directories are torch's or bnn.torch's, not the user's.
_LIBRARY_DIRS = (os.path.dirname(os.path.abspath(torch.__file__)) + os.sep,
                 os.path.dirname(os.path.abspath(__file__)) + os.sep)


def _target_name(target):
    if isinstance(target, str):
        return target
    name = getattr(target, "__name__", None) or repr(target)
    module = getattr(target, "__module__", None)
    if module == "_operator":
        module = "operator"
    elif module and module.startswith("torch.nn.functional"):
        module = "torch.nn.functional"
    elif module is None and getattr(torch, name, None) is target:
        module = "torch"
    return f"{module}.{name}" if module else name


def _source_line(node):
    """The innermost user frame of ``node.stack_trace`` ("File ..., line N,
    in f: code"), skipping torch's and bnn.torch's own frames; or None."""
    trace = getattr(node, "stack_trace", None)
    if not trace:
        return None
    lines = [line.strip() for line in trace.strip().splitlines() if line.strip()]
    frames = []
    for i, line in enumerate(lines):
        if line.startswith("File "):
            code = lines[i + 1] if i + 1 < len(lines) and \
                not lines[i + 1].startswith("File ") else ""
            path = line.split('"')[1] if line.count('"') >= 2 else ""
            frames.append((path, line + (": " + code if code else "")))
    for path, text in frames:
        if not os.path.abspath(path).startswith(_LIBRARY_DIRS):
            return text
    return frames[0][1] if frames else lines[0]


class ExportError(Exception):
    """A model (or one of its nodes) that :func:`bnn.torch.export` cannot
    translate exactly. The message names the torch.fx node, its target (the
    module path and class for ``call_module``, the function or method
    otherwise) and the source line that created it when torch.fx recorded
    one. Attributes: ``node`` (the fx node or None) and ``reason``."""

    def __init__(self, reason, node=None, module=None):
        self.node = node
        self.reason = reason
        text = f"bnn.torch.export: {reason}"
        if node is not None:
            what = f"{node.op} {_target_name(node.target)!r}"
            if module is not None:
                what += f" ({type(module).__name__})"
            text += f"\n  node: %{node.name} = {what}"
            source = _source_line(node)
            if source:
                text += f"\n  at: {source}"
        super().__init__(text)
