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
  libonnx-dev libprotobuf-dev python3-onnx
  python3 python3-numpy python3-dev pybind11-dev python3-torch
  dataset-fashion-mnist
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The AArch64 OpenMP runtime, for parallel AArch64 artifacts under
# qemu-aarch64 (sysroot /usr/aarch64-linux-gnu). Debian has no cross package
# of it and the arm64 libomp5 cannot be installed beside the amd64 one, so
# the arm64 package is fetched with a private apt state (the system's
# architectures and package lists are untouched) and only libomp.so.5 is
# copied out.
ARM_OMP=/usr/aarch64-linux-gnu/lib/libomp.so.5
if [ ! -e "$ARM_OMP" ]; then
  omp_pkg=$(dpkg-query -W -f='${Depends}' libomp-22-dev | tr ',' '\n' |
            grep -o 'libomp5-[0-9]*' | head -n1)
  omp_pkg=${omp_pkg:-libomp5-19}
  echo "install-deps: fetching $omp_pkg:arm64 for $ARM_OMP"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  touch "$work/status"
  apt_arm=(-qq -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
           -o "Dir::State::Status=$work/status" -o APT::Architecture=arm64
           -o "APT::Architectures::=arm64" -o APT::Sandbox::User=root)
  apt-get "${apt_arm[@]}" update
  (cd "$work" && apt-get "${apt_arm[@]}" download "$omp_pkg:arm64")
  dpkg-deb -x "$work"/"$omp_pkg"_*_arm64.deb "$work/root"
  lib=$(find "$work/root" -name libomp.so.5 -type f | head -n1)
  $SUDO install -m 0644 "$lib" "$ARM_OMP"
fi
