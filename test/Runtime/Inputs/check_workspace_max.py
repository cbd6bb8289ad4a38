"""Checks that a multi-variant artifact's metadata gives the largest
workspace of its code variants: argv[1] holds `bnn-compile --layer-stats`
remarks ("workspace of @f: N bytes ... [code variant V]"), argv[2] the
stderr of `bnn-run --supply-workspace --repeat 1` ("workspace: M bytes")."""

import re
import sys

stats = open(sys.argv[1]).read()
per_variant = {v: int(n) for n, v in re.findall(
    r"workspace of @main: (\d+) bytes .*\[code variant ([^\]]+)\]", stats)}
reported = re.findall(r"workspace: (\d+) bytes, supplied", open(sys.argv[2]).read())
if len(per_variant) < 2 or len(reported) != 1:
    sys.exit("expected the workspaces of several variants and one reported "
             "size, got %s and %s" % (per_variant, reported))
if int(reported[0]) != max(per_variant.values()):
    sys.exit("metadata says %s bytes, the variants need %s"
             % (reported[0], per_variant))
print("metadata: the largest of %d variants" % len(per_variant))
