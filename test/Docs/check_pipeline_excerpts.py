"""Checks the IR excerpts of docs/Pipeline.md against the compiler.

Usage: check_pipeline_excerpts.py PIPELINE_MD BNN_OPT

Every ```mlir block of the document is tagged by the HTML comment on the
line before it:

  <!-- excerpt: model -->           the model the excerpts follow
  <!-- excerpt: PHASE -->           IR after `bnn-lower-to-llvm stop-after=PHASE`
  <!-- excerpt: illustration -->    not compiler output (a sketch)

The model is compiled to each tagged phase with bnn-opt, and every line of
an excerpt must occur in the output, in the excerpt's order (a line may
continue the output line of the one before it, as wrapped lines do): `...` stands
for any text within a line, a trailing `// comment` is the document's, and
lines that are only braces or `...` are skipped. Whitespace runs compare
equal. Prints each problem and a summary; exits 1 on a problem.
"""
import re
import subprocess
import sys

TAG = re.compile(r"<!--\s*excerpt:\s*([\w-]+)\s*-->")


def blocks(text):
    """(tag, lines) for each ```mlir block, tag None when untagged."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```mlir":
            tag = None
            if i > 0:
                m = TAG.search(lines[i - 1])
                tag = m.group(1) if m else None
            j = i + 1
            while lines[j].strip() != "```":
                j += 1
            out.append((tag, i + 1, lines[i + 1:j]))
            i = j
        i += 1
    return out


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def fragments(line):
    line = re.sub(r"\s+//.*$", "", line)
    if norm(line) in ("", "{", "}", "...", "} ...", "{ ... }"):
        return None
    return [norm(f) for f in line.split("...") if norm(f)]


def matches(frags, line):
    pos = 0
    for f in frags:
        k = line.find(f, pos)
        if k < 0:
            return False
        pos = k + len(f)
    return True


def main():
    doc, bnn_opt = sys.argv[1:3]
    found = blocks(open(doc).read())
    problems = []
    model = [b for b in found if b[0] == "model"]
    if len(model) != 1:
        problems.append(f"{doc}: expected one block tagged 'model', found {len(model)}")
        model_text = None
    else:
        model_text = "\n".join(model[0][2])
    checked = 0
    outputs = {}
    for tag, start, lines in found:
        if tag is None:
            problems.append(f"{doc}:{start}: ```mlir block without an excerpt tag")
            continue
        if tag in ("model", "illustration") or model_text is None:
            continue
        if tag not in outputs:
            run = subprocess.run(
                [bnn_opt, "-", f"--bnn-lower-to-llvm=stop-after={tag}"],
                input=model_text, capture_output=True, text=True)
            if run.returncode != 0:
                problems.append(f"{doc}:{start}: bnn-opt failed for phase '{tag}': "
                                + run.stderr.strip())
                outputs[tag] = None
                continue
            outputs[tag] = [norm(l) for l in run.stdout.split("\n")]
        output = outputs[tag]
        if output is None:
            continue
        checked += 1
        at = 0
        for k, line in enumerate(lines):
            frags = fragments(line)
            if not frags:
                continue
            # A wrapped line continues the output line of the one before.
            hit = next((n for n in range(max(at - 1, 0), len(output))
                        if matches(frags, output[n])), None)
            if hit is None:
                problems.append(f"{doc}:{start + k + 1}: not in the IR after "
                                f"'{tag}' (in this order): {line.strip()}")
            else:
                at = hit + 1
    for p in problems:
        print(p)
    print(f"{checked} excerpts checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
