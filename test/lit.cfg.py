# lit configuration of the bnn FileCheck tests.
import os

import lit.formats
import lit.llvm

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

tool_dirs = [config.bnn_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["bnn-opt", "bnn-interp", "FileCheck", "not", "count", "split-file"],
    tool_dirs)

if os.path.exists(os.path.join(config.bnn_tools_dir, "bnn-parser-fuzzer")):
    config.available_features.add("bnn-fuzzer")
    llvm_config.add_tool_substitutions(["bnn-parser-fuzzer"], tool_dirs)
