#!/usr/bin/env bash
# The quick tier for the edit-build-test loop (docs/Testing.md): builds the
# existing build tree, then runs every lit and unit test with one random
# module per differential test (16 cases plus the regression list; the full
# suite runs 20 to 64) and without the slowest end-to-end tests (the torch
# differential tests and the Fashion-MNIST example). Ends with lit's
# summary and fails when any test fails. It does not install anything: run
# scripts/test.sh once first.      BUILD_DIR=build (default)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
bash scripts/build.sh
export BNN_DIFF_SEEDS="${BNN_DIFF_SEEDS:-0:1}"
exec /usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test" "$BUILD_DIR/unittests" \
  --filter-out 'torch-diff|fashion-mnist'
