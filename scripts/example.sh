#!/usr/bin/env bash
# Installs the dependencies, builds bnn and runs it on the bundled example:
# bnn-opt verifies and round-trips the model, then the reference interpreter
# evaluates it on a deterministic random image and prints the class scores.
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

echo "== bnn-interp: reference evaluation on a random image (seed 1)"
"$BIN/bnn-interp" "$MODEL" --random-inputs 1
