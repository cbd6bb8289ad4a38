#!/usr/bin/python3
"""Static throughput of the generated AArch64 inner loops, with llvm-mca.

Usage: mca_aarch64.py --bnn-compile build/bin/bnn-compile \\
           --models DIR [--layers NAME,...] [--cpus CPU,...] --out mca.json

There is no AArch64 hardware here, so DESIGN.md ("Performance targets")
judges the AArch64 code by llvm-mca's model of each core. For every layer
(a model written by gen_layers.py, listed in DIR/layers.tsv) and CPU this
script

1. compiles the model with `bnn-compile --target=aarch64 -mcpu=CPU
   --emit=asm` (and --pipeline-options when given);
2. finds the hot loop: every backward branch (a branch to a label above it
   in the same function) delimits a loop; among the loops whose body holds a
   `cnt` instruction it takes the innermost one (no other loop inside) with
   the most `cnt` bits;
3. runs `llvm-mca -mcpu=CPU` on that loop body (directives dropped, the
   loop's own label kept so the backward branch resolves) and reads the
   cycles per iteration (total cycles / iterations in steady state);
4. counts the binary MACs of one iteration as the bits the loop popcounts:
   `cnt vN.16b` is 128 binary MACs, `cnt vN.8b` 64 (every popcounted bit is
   one xor'ed activation/weight pair). The vector `eor`s are counted too, as
   a cross-check (each 128-bit eor feeds 128 MACs in a plain loop);
5. reports binary MACs per cycle and the percentage of the DESIGN.md bound:
   a hand-blocked eor + cnt + uadalp loop (3 vector ops per 128-bit word)
   reaches 85 binary MACs/cycle on Neoverse-N1 and Cortex-A76 (2 vector
   pipes: 128 * 2 / 3), 28 on Cortex-A53, 169 on Neoverse-V1 (4 pipes); the
   goal is >= 70% of it.

The same llvm-mca run is made on such a reference loop (REFERENCE_LOOP
below: 4 activation x 4 weight registers of 128 bits, 16 eor + 16 cnt + 16
uadalp per iteration), and its measured rate is reported beside the bound.
Only the standard library; llvm-mca-22 and bnn-compile do the work.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

# DESIGN.md: binary MACs/cycle of the hand-blocked eor + cnt + uadalp loop.
DESIGN_BOUND = {"neoverse-n1": 85.0, "cortex-a76": 85.0, "cortex-a53": 28.0,
                "neoverse-v1": 169.0}
# Neoverse-V1 is not a default: LLVM uses SVE there (`cnt z.d`), whose
# bits per instruction depend on the vector length, so the MACs per
# iteration cannot be read off the loop.
DEFAULT_CPUS = ["neoverse-n1", "cortex-a76", "cortex-a53"]
DEFAULT_LAYERS = ["conv3x3_56x56x64_thr", "conv3x3_28x28x128_thr",
                  "conv3x3_14x14x256_thr", "conv3x3_7x7x512_thr"]
GOAL_PERCENT = 70.0
MCA_ITERATIONS = 1000


def reference_loop():
    """The hand-blocked loop: 4 x 4 register block, one 128-bit word of each
    of 4 activations and 4 weights per iteration; eors grouped by 8 so that
    an in-order core (A53) is not stalled on each eor -> cnt -> uadalp chain."""
    lines = ["ref_loop:",
             "\tldp\tq0, q1, [x0], #32", "\tldp\tq2, q3, [x0], #32",
             "\tldp\tq4, q5, [x1], #32", "\tldp\tq6, q7, [x1], #32"]
    pairs = [(a, w) for a in range(4) for w in range(4)]
    for group in (pairs[:8], pairs[8:]):
        for i, (a, w) in enumerate(group):
            lines.append("\teor\tv%d.16b, v%d.16b, v%d.16b" % (24 + i, a, 4 + w))
        for i, _ in enumerate(group):
            lines.append("\tcnt\tv%d.16b, v%d.16b" % (24 + i, 24 + i))
        for i, (a, w) in enumerate(group):
            lines.append("\tuadalp\tv%d.8h, v%d.16b" % (8 + 4 * a + w, 24 + i))
    lines += ["\tsubs\tx2, x2, #1", "\tb.ne\tref_loop"]
    return "\n".join(lines) + "\n"


LABEL_RE = re.compile(r"^([A-Za-z_.$][\w.$]*):")
# Conditional and unconditional branches with a label operand.
BRANCH_RE = re.compile(r"^\s*(b(?:\.\w+)?|cbn?z|tbn?z)\s+(?:.*,\s*)?([A-Za-z_.$][\w.$]*)\s*$")
CNT_RE = re.compile(r"^\s*cnt\s+v\d+\.(16b|8b)\b")
SVE_CNT_RE = re.compile(r"^\s*cnt\s+z\d+\.")
EOR_RE = re.compile(r"^\s*eor\s+v\d+\.(16b|8b)\b")


def is_instruction(line):
    s = line.strip()
    return bool(s) and not s.startswith((".", "//", "@", "#", ";")) \
        and not LABEL_RE.match(s)


def find_hot_loop(asm_lines):
    """Returns (label, [lines of the loop body]) or None."""
    labels = {}
    for i, line in enumerate(asm_lines):
        m = LABEL_RE.match(line)
        if m:
            labels[m.group(1)] = i
    loops = []  # (start, end) line indices, end = the backward branch
    for j, line in enumerate(asm_lines):
        m = BRANCH_RE.match(line)
        if m and m.group(2) in labels and labels[m.group(2)] < j:
            loops.append((labels[m.group(2)], j, m.group(2)))
    best = None
    for start, end, label in loops:
        inner = any(start <= s and e <= end and (s, e) != (start, end)
                    for s, e, _ in loops)
        if inner:
            continue
        body = asm_lines[start:end + 1]
        bits = sum(128 if m.group(1) == "16b" else 64
                   for m in (CNT_RE.match(l) for l in body) if m)
        if bits and (best is None or bits > best[0]):
            best = (bits, label, body)
    if best is None:
        return None
    return best[1], best[2]


def loop_source(label, body):
    """Assembly for llvm-mca: the loop label, the instructions, and empty
    labels for branch targets outside the loop."""
    out, defined, targets = [label + ":"], {label}, set()
    for line in body:
        m = LABEL_RE.match(line.strip())
        if m:
            if m.group(1) != label:
                out.append(m.group(1) + ":")
                defined.add(m.group(1))
            continue
        if not is_instruction(line):
            continue
        b = BRANCH_RE.match(line)
        if b:
            targets.add(b.group(2))
        out.append("\t" + line.strip())
    out += [t + ":" for t in sorted(targets - defined)]
    return "\n".join(out) + "\n"


def run_mca(mca, cpu, source, path):
    with open(path, "w") as f:
        f.write(source)
    out = subprocess.run([mca, "-mtriple=aarch64", "-mcpu=" + cpu,
                          "-iterations=%d" % MCA_ITERATIONS, path],
                         capture_output=True, text=True, check=True).stdout
    fields = {}
    for key in ("Iterations", "Instructions", "Total Cycles",
                "Block RThroughput", "IPC"):
        m = re.search(r"^%s:\s+([\d.]+)" % re.escape(key), out, re.M)
        fields[key] = float(m.group(1)) if m else None
    return fields


def count_bits(body):
    cnt = eor = 0
    for line in body:
        m = CNT_RE.match(line)
        if m:
            cnt += 128 if m.group(1) == "16b" else 64
        m = EOR_RE.match(line)
        if m:
            eor += 128 if m.group(1) == "16b" else 64
    return cnt, eor


def measure_loop(mca, cpu, body, path, label=None):
    """llvm-mca figures of one loop body (the label line may be included)."""
    if label is None:
        label = LABEL_RE.match(body[0]).group(1)
    cnt_bits, eor_bits = count_bits(body)
    f = run_mca(mca, cpu, loop_source(label, body), path)
    cycles = f["Total Cycles"] / f["Iterations"]
    entry = {
        "loop_label": label,
        "instructions": sum(1 for l in body if is_instruction(l)),
        "cnt_bits": cnt_bits, "eor_bits": eor_bits,
        "macs_per_iter": cnt_bits,
        "cycles_per_iter": cycles,
        "block_rthroughput": f["Block RThroughput"],
        "macs_per_cycle": cnt_bits / cycles,
        "design_bound": DESIGN_BOUND.get(cpu),
    }
    if entry["design_bound"]:
        entry["percent_of_bound"] = (100.0 * entry["macs_per_cycle"] /
                                     entry["design_bound"])
    return entry


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bnn-compile", required=True)
    ap.add_argument("--models", required=True,
                    help="directory written by gen_layers.py")
    ap.add_argument("--layers", default=",".join(DEFAULT_LAYERS))
    ap.add_argument("--cpus", default=",".join(DEFAULT_CPUS))
    ap.add_argument("--pipeline-options", default="",
                    help="passed to bnn-compile --pipeline-options")
    ap.add_argument("--llvm-mca", default=shutil.which("llvm-mca-22") or
                    "/usr/lib/llvm-22/bin/llvm-mca")
    ap.add_argument("--work-dir", help="where the .s files go "
                    "(default: MODELS/aarch64)")
    ap.add_argument("--out", required=True, help="JSON result")
    args = ap.parse_args()

    work = args.work_dir or os.path.join(args.models, "aarch64")
    os.makedirs(work, exist_ok=True)
    cpus = [c for c in args.cpus.split(",") if c]
    result = {"mca": args.llvm_mca, "iterations": MCA_ITERATIONS,
              "goal_percent": GOAL_PERCENT, "reference": {}, "layers": []}

    ref = reference_loop()
    for cpu in cpus:
        result["reference"][cpu] = measure_loop(
            args.llvm_mca, cpu, ref.splitlines(),
            os.path.join(work, "reference.s"))

    for layer in [l for l in args.layers.split(",") if l]:
        model = os.path.join(args.models, layer + ".mlir")
        for cpu in cpus:
            entry = {"layer": layer, "cpu": cpu,
                     "design_bound": DESIGN_BOUND.get(cpu)}
            result["layers"].append(entry)
            asm = os.path.join(work, "%s.%s.s" % (layer, cpu))
            cmd = [args.bnn_compile, "--target=aarch64", "-mcpu=" + cpu,
                   "--emit=asm", model, "-o", asm]
            if args.pipeline_options:
                cmd.insert(1, "--pipeline-options=" + args.pipeline_options)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                entry["error"] = "bnn-compile failed: " + p.stderr.strip()[:300]
                print("mca_aarch64: %s %s: %s" % (layer, cpu, entry["error"]),
                      file=sys.stderr)
                continue
            with open(asm) as f:
                lines = f.read().splitlines()
            loop = find_hot_loop(lines)
            if loop is None:
                entry["error"] = ("popcounts use SVE (cnt z): MACs per "
                                  "iteration unknown" if any(
                                      SVE_CNT_RE.match(l) for l in lines)
                                  else "no loop with cnt instructions")
                continue
            entry.update(measure_loop(
                args.llvm_mca, cpu, loop[1],
                os.path.join(work, "%s.%s.loop.s" % (layer, cpu)), loop[0]))
            cycles = entry["cycles_per_iter"]
            print("mca_aarch64: %-22s %-12s %6.2f cycles/iter, %6.1f MACs/cycle"
                  % (layer, cpu, cycles, entry["macs_per_cycle"]))
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
