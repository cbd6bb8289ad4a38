#!/usr/bin/env bash
# Installs the dependencies, builds bnn and runs it on the bundled example
# (examples/tiny_binary_resnet.mlir):
#   1. bnn-opt verifies the model and round-trips it through the printer;
#   2. bnn-interp evaluates it on a deterministic random image (the reference);
#   3. bnn-compile builds a shared library for x86-64 and one for AArch64;
#   4. bnn-run runs the x86-64 library natively (with its latency) and the
#      AArch64 one under qemu, and each result is compared with the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
BIN="${BUILD_DIR:-build}/bin"
MODEL=examples/tiny_binary_resnet.mlir
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "== bnn-opt: verify and round-trip $MODEL"
"$BIN/bnn-opt" "$MODEL" -o "$TMP/printed.mlir"
"$BIN/bnn-opt" "$TMP/printed.mlir" -o "$TMP/reprinted.mlir"
cmp "$TMP/printed.mlir" "$TMP/reprinted.mlir"
echo "round trip: identical ($(grep -c 'bnn\.' "$TMP/printed.mlir") bnn ops)"

echo "== reference (bnn-interp, random image with seed 1)"
"$BIN/bnn-interp" "$MODEL" --random-inputs 1 --output "$TMP/reference.npy"

echo "== x86-64: bnn-compile + bnn-run"
"$BIN/bnn-compile" "$MODEL" -target x86_64 -o "$TMP/model-x86_64.so"
"$BIN/bnn-run" "$TMP/model-x86_64.so" --random-inputs 1 --repeat 50 \
  --output "$TMP/x86_64.npy"

echo "== AArch64: bnn-compile + bnn-run under qemu-aarch64"
"$BIN/bnn-compile" "$MODEL" -target aarch64 -o "$TMP/model-aarch64.so"
qemu-aarch64 -L /usr/aarch64-linux-gnu "$BIN/aarch64/bnn-run" \
  "$TMP/model-aarch64.so" --random-inputs 1 --output "$TMP/aarch64.npy"

echo "== agreement with the reference"
/usr/bin/python3 - "$TMP" <<'PY'
import sys, numpy as np
tmp = sys.argv[1]
ref = np.load(f"{tmp}/reference.npy")
ok = True
for target in ("x86_64", "aarch64"):
    got = np.load(f"{tmp}/{target}.npy")
    exact = np.array_equal(got.view(np.uint32), ref.view(np.uint32))
    close = got.shape == ref.shape and np.allclose(got, ref, rtol=1e-5, atol=1e-5)
    verdict = "bit-exact" if exact else ("agree within 1e-5" if close else "DISAGREE")
    print(f"{target}: {verdict} (max abs difference {np.max(np.abs(got - ref)):.3g})")
    ok = ok and close
sys.exit(0 if ok else 1)
PY
