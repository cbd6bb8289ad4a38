"""What the x86-64 CPU running the tests can execute: its /proc/cpuinfo
flags and the code variants of a default x86-64 artifact
(docs/RuntimeABI.md#code-variants) it can run. Used by run_diff.py and by
test/lit.cfg.py (lit features host-x86-64-v3, host-x86-64-v4-vpopcntdq);
no dependency beyond the standard library."""


def host_cpu_flags():
    """The flags of the first processor in /proc/cpuinfo (empty if none)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


_V2 = ["popcnt", "sse4_2", "ssse3"]
_V3 = _V2 + ["avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm"]
_V4 = _V3 + ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd",
             "avx512_vpopcntdq", "avx512_bitalg"]

# The code variants of a default x86-64 artifact, lowest first, with the
# flags each needs.
X86_VARIANTS = [("x86-64-v2", _V2), ("x86-64-v3", _V3),
                ("x86-64-v4-vpopcntdq", _V4)]


def runnable_x86_variants():
    """The variants of X86_VARIANTS this CPU can run, lowest first."""
    flags = host_cpu_flags()
    return [name for name, needs in X86_VARIANTS if all(n in flags for n in needs)]
