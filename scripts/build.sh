#!/usr/bin/env bash
# Configures and builds bnn with Ninja, clang++-22 and lld.
#   BUILD_DIR=build (default)    BNN_SANITIZE=1 adds ASan+UBSan (default dir build-asan)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BNN_SANITIZE:-0}" = "1" ]; then
  BUILD_DIR="${BUILD_DIR:-build-asan}"
  EXTRA=(-DBNN_ENABLE_SANITIZERS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
else
  BUILD_DIR="${BUILD_DIR:-build}"
  EXTRA=()
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DPython3_EXECUTABLE=/usr/bin/python3 "${EXTRA[@]}"
fi
cmake --build "$BUILD_DIR"
