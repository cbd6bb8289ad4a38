# lit configuration of the bnn FileCheck tests.
import os
import platform
import subprocess
import sys

import lit.formats
import lit.llvm
import lit.util

# The site configuration does not set up lit.llvm; do it here so that
# llvm_config (tool substitutions, environment) is available.
if lit.llvm.llvm_config is None:
    lit.llvm.initialize(lit_config, config)
from lit.llvm import llvm_config

config.name = "bnn"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.bnn_obj_root

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
config.substitutions.append(("%bnn_src", config.bnn_source_dir))
config.substitutions.append(("%bnn_obj_root", config.bnn_obj_root))
config.substitutions.append(
    ("%bnn_include", os.path.join(config.bnn_source_dir, "include")))
config.substitutions.append(("%bnn_tools_dir", config.bnn_tools_dir))
# Seed ranges of the differential tests (test/Differential, docs/Testing.md).
llvm_config.with_system_environment(["BNN_DIFF_SEEDS", "BNN_DIFF_JOBS",
                                     "BNN_ONNX_DIFF_RANDOM"])

tool_dirs = [config.bnn_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["bnn-opt", "bnn-interp", "bnn-run", "FileCheck", "not", "count",
     "split-file"],
    tool_dirs)

# The host's architecture, for -mcpu=native (host-x86_64, host-aarch64).
config.available_features.add("host-" + platform.machine())

# The code variants of a default x86-64 artifact this CPU can run
# (host-x86-64-v3, host-x86-64-v4-vpopcntdq).
sys.path.insert(0, os.path.join(config.bnn_source_dir, "test", "Differential"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import host_cpu  # noqa: E402
for _variant in host_cpu.runnable_x86_variants():
    config.available_features.add("host-" + _variant)

# The LLVM toolchain that turns lowered modules into shared libraries and
# builds the C programs loading them; tests needing it require "bnn-exec".
exec_tools = ["mlir-translate", "llc", "ld.lld", "clang-22"]
if all(lit.util.which(t, config.llvm_tools_dir) for t in exec_tools):
    config.available_features.add("bnn-exec")
    llvm_config.add_tool_substitutions(exec_tools, [config.llvm_tools_dir])

fuzzers = ["bnn-parser-fuzzer", "bnn-pipeline-fuzzer", "bnn-capi-fuzzer",
           "bnn-npy-fuzzer", "bnn-abi-fuzzer", "bnn-onnx-fuzzer"]
if all(os.path.exists(os.path.join(config.bnn_tools_dir, f)) for f in fuzzers):
    config.available_features.add("bnn-fuzzer")
    llvm_config.add_tool_substitutions(fuzzers, tool_dirs)

# A C compiler for the hand-written artifacts of test/Runtime.
clang = (lit.util.which("clang", config.llvm_tools_dir) or
         lit.util.which("clang-22"))
if clang:
    config.available_features.add("clang")
    config.substitutions.append(("%clang", clang))

# The AArch64 bnn-run, run under user-mode qemu with the arm64 cross libraries.
qemu = "/usr/bin/qemu-aarch64"
bnn_run_aarch64 = os.path.join(config.bnn_tools_dir, "aarch64", "bnn-run")
if clang and os.path.exists(qemu) and os.path.exists(bnn_run_aarch64):
    config.available_features.add("qemu-aarch64")
    config.substitutions.append(
        ("%bnn_run_aarch64",
         "%s -L /usr/aarch64-linux-gnu %s" % (qemu, bnn_run_aarch64)))

# /usr/bin/python3 with numpy, for tests that read results back with numpy.
numpy_python = "/usr/bin/python3"
if os.path.exists(numpy_python) and subprocess.call(
        [numpy_python, "-c", "import numpy"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("numpy")
    config.substitutions.append(("%numpy_python", numpy_python))

# bnn-compile and the LLVM utilities its tests inspect artifacts with.
llvm_config.add_tool_substitutions(
    ["bnn-compile", "bnn-import", "llvm-nm", "llvm-readelf", "llvm-objdump"],
    tool_dirs)

# The bnn Python package (build/python_packages) and what its tests import.
bnn_python_packages = os.path.join(os.path.dirname(config.bnn_tools_dir),
                                   "python_packages")
config.substitutions.append(("%bnn_python_packages", bnn_python_packages))
# In a sanitizer build the extension module is instrumented but
# /usr/bin/python3 is not: it cannot be imported (the ASan runtime must come
# first), so the tests that import it are unsupported there. The library
# code under it is exercised by the tools' tests.
bnn_sanitizers = str(getattr(config, "bnn_sanitizers", "")).upper() in (
    "ON", "1", "TRUE", "YES")
if os.path.isdir(os.path.join(bnn_python_packages, "bnn")) and not bnn_sanitizers:
    config.available_features.add("bnn-python")
for module in ["torch", "onnx"]:
    if subprocess.run(["/usr/bin/python3", "-c", "import " + module],
                      stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode == 0:
        config.available_features.add(module)
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")

# Tests of output files on devices and full or unusual file systems
# (test/bnn-compile/output-paths.test, test/Runtime/full-disk.test):
# "mknod" when this user can create device nodes (root), so that a test
# writes to its own copy of /dev/full rather than the system's;
# "mount-namespace" when it can mount a tmpfs in a private mount namespace
# (`unshare -m`), so that nothing stays mounted whatever the test does.
import tempfile
with tempfile.TemporaryDirectory() as scratch:
    try:
        os.mknod(os.path.join(scratch, "full"), 0o600 | 0o020000,
                 os.makedev(1, 7))
        config.available_features.add("mknod")
    except (OSError, AttributeError):
        pass
    if lit.util.which("unshare") and subprocess.call(
            ["unshare", "-m", "sh", "-c",
             "mount -t tmpfs -o size=16k tmpfs '%s'" % scratch],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("mount-namespace")

# Sanitizer builds reserve terabytes of address space for shadow memory:
# tests that limit it (ulimit -v) require a build without them.
if bnn_sanitizers:
    config.available_features.add("sanitizers")
