"""bnn: a compiler for binary, bit-serial low-bit and int8 neural networks.

    import bnn
    so = bnn.compile(mlir_text, target="host", output="model.so")
    model = bnn.load(so)
    y = model(x)                     # numpy arrays or torch tensors

`bnn.compile` turns a model in the bnn dialect (MLIR text, a path, or what
`bnn.torch.export` returns) into an artifact; `bnn.load` loads a compiled
shared library (a path, or the bytes `bnn.compile` returned) and makes its
functions callable; `bnn.interpret` runs the reference interpreter.
`bnn.torch` holds training layers, the exporter and `bnn.torch.compile`.
See docs/Python.md.
"""

import os as _os
import stat as _stat
import tempfile as _tempfile

from ._bnn import CompileError, Error, InterpretError, LoadError
from . import _bnn
from ._module import Function, Module, TensorSpec

__all__ = ["compile", "import_onnx", "load", "interpret", "host", "Module", "Function",
           "TensorSpec", "Error", "CompileError", "InterpretError",
           "LoadError"]

_TEXT_EMITS = {"mlir", "llvm", "asm", "header"}
_EMITS = _TEXT_EMITS | {"obj", "shared"}


def host():
    """This machine as a target: {"target", "cpu", "features"}."""
    return _bnn.host()


# The limits of every tool (include/bnn/Input/ModelInput.h,
# docs/Compiler.md#input-limits): the nesting of brackets is checked by the
# native side, the size and kind of a file here, where it is read.
_MAX_MODEL_BYTES = 1 << 30


def _read_model_file(path):
    """The bytes of the model file `path` (MLIR text or an ONNX model),
    read as the tools read it: a
    regular file of at most 1 GiB, a pipe or terminal up to 1 GiB, no
    directory and no other device (/dev/zero never ends) unless it is empty
    (/dev/null)."""
    try:
        with open(path, "rb") as f:
            mode = _os.fstat(f.fileno()).st_mode
            if _stat.S_ISREG(mode):
                size = _os.fstat(f.fileno()).st_size
                if size > _MAX_MODEL_BYTES:
                    raise CompileError(
                        "error: input file '%s' is %d bytes, more than 1 GiB, "
                        "the most a model may have\n" % (path, size))
            elif ((_stat.S_ISCHR(mode) or _stat.S_ISBLK(mode))
                  and not _os.isatty(f.fileno())):
                if f.read(1):
                    raise CompileError(
                        "error: input file '%s' is a %s device; models are "
                        "read from files, pipes or a terminal\n"
                        % (path, "block" if _stat.S_ISBLK(mode)
                           else "character"))
                return b""
            data = f.read(_MAX_MODEL_BYTES + 1)
            if len(data) > _MAX_MODEL_BYTES:
                raise CompileError("error: input file '%s' is larger than 1 "
                                   "GiB, the most a model may have\n" % path)
            return data
    except OSError as e:
        raise CompileError("error: cannot open input file '%s': %s\n"
                           % (path, e.strerror or e)) from None


def _read_source(source):
    """(text or bytes, name) of MLIR text, a path (.mlir or .onnx), or an
    exported model."""
    if hasattr(source, "__fspath__"):
        path = _os.fspath(source)
        return _read_model_file(path), path
    if isinstance(source, bytes):
        return source, "<string>"
    if not isinstance(source, str):
        raise TypeError("source must be MLIR text (str), a path "
                        "(str or os.PathLike) or bytes, not "
                        + type(source).__name__)
    # A one-line string naming a file, or looking like a path (a .mlir name
    # or a directory part), is a path; MLIR text has braces or newlines.
    looks_like_path = "\n" not in source and "{" not in source and (
        _os.path.isfile(source) or source.endswith((".mlir", ".onnx"))
        or _os.sep in source)
    if looks_like_path:
        return _read_model_file(source), source
    return source, "<string>"


def _resolve_target(target, cpu, features):
    if target == "host":
        h = _bnn.host()
        if not h["target"]:
            raise CompileError("error: bnn does not generate code for this "
                               "machine's architecture\n")
        if cpu is None and features is None:
            return h["target"], h["cpu"], h["features"]
        return h["target"], cpu or "", features or ""
    if target not in ("x86_64", "aarch64"):
        raise CompileError("error: unknown target '%s' (expected host, "
                           "x86_64, aarch64)\n" % target)
    return target, cpu or "", features or ""


def _pipeline_options(options):
    if options is None:
        return ""
    if isinstance(options, str):
        return options
    if isinstance(options, dict):
        def value(v):
            return ("true" if v else "false") if isinstance(v, bool) else str(v)
        return " ".join("%s=%s" % (k, value(v)) for k, v in options.items())
    raise TypeError("pipeline_options must be a str such as "
                    "'tile=false' or a dict such as {'tile': False}")


def _write_atomically(path, data, executable, source_path):
    """Writes `data` to `path` through a temporary beside it, renamed into
    place only when complete. Refuses to replace anything but a regular
    file, and the model's own source."""
    path = _os.fspath(path)
    try:
        st = _os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not _stat.S_ISREG(st.st_mode):
        raise CompileError("error: cannot write output '%s': it exists and is "
                           "not a regular file\n" % path)
    if (st is not None and source_path is not None
            and _os.path.exists(source_path)
            and _os.path.samefile(path, source_path)):
        raise CompileError("error: the output '%s' is the model's own "
                           "source\n" % path)
    directory = _os.path.dirname(_os.path.abspath(path))
    try:
        fd, temp = _tempfile.mkstemp(
            dir=directory, prefix="." + _os.path.basename(path) + ".",
            suffix=".tmp")
    except OSError as e:
        raise CompileError("error: cannot write output '%s': %s\n"
                           % (path, e.strerror or e)) from None
    try:
        with _os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            _os.fsync(f.fileno())
        umask = _os.umask(0)
        _os.umask(umask)
        mode = (0o777 if executable else 0o666) & ~umask
        _os.chmod(temp, mode)
        _os.replace(temp, path)
    except OSError as e:
        try:
            _os.unlink(temp)
        except OSError:
            pass
        raise CompileError("error: cannot write output '%s': %s\n"
                           % (path, e.strerror or e)) from None
    except BaseException:
        try:
            _os.unlink(temp)
        except OSError:
            pass
        raise


def compile(source, *, target="host", cpu=None, features=None, opt_level=2,
            pipeline_options=None, emit="shared", output=None,
            stop_after=None):
    """Compiles a model.

    source: MLIR text, a path to a .mlir or .onnx file (ONNX and QONNX
        models are imported as bnn.import_onnx does), or bnn.torch.export's
        result.
    target: "host" (this machine's architecture, CPU and features unless
        cpu/features are given), "x86_64" or "aarch64".
    cpu, features: -mcpu and -mattr ("+avx2,-avx512f") of bnn-compile.
    opt_level: 0..3.
    pipeline_options: options of the lowering pipeline, a str
        ("tile=false") or a dict ({"tile": False}).
    emit: "shared" (default), "obj", "asm", "llvm", "mlir" or "header".
    output: a path to write the artifact to (atomically; nothing is left
        there when compilation fails). Returns the path then.
    stop_after: a lowering phase, with emit="mlir".

    Returns the artifact: bytes for shared/obj, str for the text kinds
    (unless `output` is given). Raises bnn.CompileError carrying the
    diagnostics ("<file>:line:col: error: ...").
    """
    if emit not in _EMITS:
        raise CompileError("error: unknown emit kind '%s' (expected %s)\n"
                           % (emit, ", ".join(sorted(_EMITS))))
    if not isinstance(opt_level, int) or isinstance(opt_level, bool) \
            or not 0 <= opt_level <= 3:
        raise CompileError("error: invalid optimization level %r (expected "
                           "0, 1, 2 or 3)\n" % (opt_level,))
    text, name = _read_source(source)
    target, cpu, features = _resolve_target(target, cpu, features)
    data = _bnn.compile(text, name, target, cpu, features, opt_level, emit,
                        stop_after or "", _pipeline_options(pipeline_options))
    if output is None:
        return data.decode("utf-8") if emit in _TEXT_EMITS else data
    _write_atomically(output, data, emit == "shared",
                      None if name == "<string>" else name)
    return _os.fspath(output)


def import_onnx(path, *, input_shapes=None, function_name="main"):
    """Imports an ONNX or QONNX model (docs/ONNX.md) and returns the module
    as MLIR text, which bnn.compile and bnn.interpret take.

    path: the .onnx file (or its bytes).
    input_shapes: {input name: [dims]} for graph inputs with symbolic
        dimensions other than the batch (dimension 0, which stays dynamic).
    function_name: the name of the entry point (default "main").

    Raises bnn.CompileError naming the node that cannot be imported.
    """
    if isinstance(path, (bytes, bytearray)):
        data, name = bytes(path), "<bytes>"
    else:
        name = _os.fspath(path)
        data = _read_model_file(name)
    shapes = {}
    for key, dims in (input_shapes or {}).items():
        dims = [int(d) for d in dims]
        if not dims or any(d <= 0 for d in dims):
            raise CompileError("error: input_shapes[%r]: dimensions must be "
                               "positive integers\n" % (key,))
        shapes[str(key)] = dims
    return _bnn.import_onnx(data, name, shapes, str(function_name))


def load(artifact):
    """Loads a compiled shared library (a path, or the bytes bnn.compile
    returned) and returns a bnn.Module. The library is loaded from a private
    copy: replacing or deleting the file later does not affect the module.
    Raises bnn.LoadError for a file that is not a loadable bnn artifact."""
    if isinstance(artifact, (bytes, bytearray, memoryview)):
        return Module(_bnn.Artifact(bytes(artifact), "<bytes>"), "<bytes>")
    path = _os.fspath(artifact)
    return Module(_bnn.Artifact(path, path), path)


def interpret(source, *inputs, entry=None):
    """Runs the reference interpreter on `source` (as bnn.compile takes it)
    with `inputs` (numpy arrays or torch tensors, one per argument, with the
    function's exact element types: float32, bool for binary i1 where True
    means -1, uint8 for ui1..ui8, int8, int32). Returns the result (a tuple
    for several), as numpy arrays, or torch tensors when an input was one.
    Raises bnn.InterpretError with the diagnostics."""
    from ._module import to_numpy, wants_torch
    text, name = _read_source(source)
    arrays = [to_numpy(x, "argument #%d" % i) for i, x in enumerate(inputs)]
    results = _bnn.interpret(text, name, entry or "", arrays)
    if wants_torch(inputs):
        import torch
        results = [torch.from_numpy(r) for r in results]
    return results[0] if len(results) == 1 else tuple(results)
