#!/usr/bin/env bash
# Builds and runs the benchmarks in benchmarks/ and writes docs/benchmarks.md.
#   BUILD_DIR=build-bench (default)   MIN_TIME=0.2 (seconds per repetition)
#   REPS=5 (repetitions; the table shows the median)
#   JOBS=1 (build parallelism)        OUT_DIR=build-bench/results (JSON)
# Run on an otherwise idle machine: the 2-thread oneDNN numbers share the
# cores with anything else that runs.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${BUILD_DIR:-build-bench}"
MIN_TIME="${MIN_TIME:-0.2}"
REPS="${REPS:-5}"
JOBS="${JOBS:-1}"
OUT_DIR="${OUT_DIR:-$BUILD_DIR/results}"

cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DCMAKE_BUILD_TYPE=Release -DBNN_BUILD_BENCHMARKS=ON >/dev/null
# Only the benchmark programs: they do not need the compiler libraries.
cmake --build "$BUILD_DIR" -j "$JOBS" \
  --target bnn-bench-popcount-peak bnn-bench-onednn

mkdir -p "$OUT_DIR"
# libbenchmark 1.7 takes --benchmark_min_time in plain seconds.
run() { # run PROGRAM JSON-NAME [EXTRA FLAGS...]
  local prog="$1" out="$2"
  shift 2
  "$BUILD_DIR/benchmarks/bnn-bench-$prog" "$@" \
    --benchmark_min_time="$MIN_TIME" --benchmark_repetitions="$REPS" \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$OUT_DIR/$out.json" --benchmark_out_format=json
}
run popcount-peak popcount-peak
run onednn onednn
# int8 again with oneDNN capped at VNNI (DESIGN.md's int8 baseline): on AMX
# cores the uncapped run measures the AMX tile unit instead.
if grep -qw avx512_vnni /proc/cpuinfo; then
  run onednn onednn-vnni --onednn_max_isa=avx512_core_vnni \
    --benchmark_filter=/int8/
fi

/usr/bin/python3 benchmarks/make_table.py \
  --command "MIN_TIME=$MIN_TIME REPS=$REPS bash scripts/bench.sh" \
  --out docs/benchmarks.md "$OUT_DIR"/*.json
echo "bench: wrote docs/benchmarks.md"
