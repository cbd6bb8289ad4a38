#!/usr/bin/env bash
# Installs every Debian package the build and the test suite need.
# Idempotent: when all packages are present it only checks and returns.
set -euo pipefail

PACKAGES=(
  cmake ninja-build ccache git
  clang-22 lld-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libomp-22-dev libclang-rt-22-dev libgtest-dev libgmock-dev libbenchmark-dev
  libdlpack-dev qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
  libstdc++-12-dev-arm64-cross
  libdnnl-dev
  python3 python3-numpy
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
