#!/usr/bin/env bash
# Installs the dependencies, builds bnn and runs the whole test suite (lit
# tests and GoogleTest binaries in one lit run). Ends with lit's summary and
# fails when any test fails.   BNN_SANITIZE=1: same under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
if [ "${BNN_SANITIZE:-0}" = "1" ]; then
  BUILD_DIR="${BUILD_DIR:-build-asan}"
else
  BUILD_DIR="${BUILD_DIR:-build}"
fi
exec /usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test" "$BUILD_DIR/unittests"
