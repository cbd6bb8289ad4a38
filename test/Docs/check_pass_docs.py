"""Checks that the generated pass reference documents every pass.

Usage: check_pass_docs.py SRC_INCLUDE_DIR DOCS_PASSES_DIR

Every `def ... : Pass<"flag", ...>` of every Passes.td under
SRC_INCLUDE_DIR must appear, with its summary, in one of the Markdown files
the build generates into DOCS_PASSES_DIR; each Passes.td keeps its passes in
alphabetical order of their definitions. Prints what is missing and exits 1.
"""
import pathlib
import re
import sys

PASS = re.compile(r'^def (\w+)\s*:\s*Pass<"([\w-]+)"', re.M)
SUMMARY = re.compile(r'let summary = "([^"]*)"')


def main():
    include, docs = map(pathlib.Path, sys.argv[1:3])
    generated = "\n".join(p.read_text() for p in sorted(docs.glob("*.md")))
    problems, count = [], 0
    for td in sorted(include.rglob("Passes.td")):
        text = td.read_text()
        defs = [m.group(1) for m in PASS.finditer(text)]
        if defs != sorted(defs):
            problems.append(f"{td}: passes not in alphabetical order: {defs}")
        for m in PASS.finditer(text):
            count += 1
            flag = m.group(2)
            if f"`-{flag}`" not in generated:
                problems.append(f"{td}: pass '{flag}' missing from {docs}")
            summary = SUMMARY.search(text, m.end())
            if summary and summary.group(1) not in generated:
                problems.append(f"{td}: summary of '{flag}' missing from {docs}")
    for p in problems:
        print(p)
    print(f"{count} passes checked, {len(problems)} problems")
    return 1 if problems or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
