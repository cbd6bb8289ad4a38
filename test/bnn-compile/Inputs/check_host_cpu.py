"""Checks that LLVM IR was compiled for the host CPU that `llc --version`
names. Usage: check_host_cpu.py LLC_VERSION_OUTPUT MODULE_LL"""
import re
import sys

host = re.search(r"Host CPU: (\S+)", open(sys.argv[1]).read()).group(1)
cpus = set(re.findall(r'"target-cpu"="([^"]*)"', open(sys.argv[2]).read()))
# LLVM cannot name every CPU; bnn then keeps the generic one.
expected = {"x86-64"} if host == "generic" else {host}
if cpus != expected:
    sys.exit(f"target-cpu {sorted(cpus)}, host CPU {host}")
print("target-cpu is the host CPU")
