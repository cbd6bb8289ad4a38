#!/usr/bin/env bash
# Builds and runs the benchmarks in benchmarks/ and writes docs/benchmarks.md.
#
#   MIN_TIME=0.2      seconds per repetition of each Google Benchmark
#   REPS=5            repetitions (the table shows the median)
#   JOBS=1            build parallelism
#   BUILD_DIR=build-bench           benchmark programs, models, artifacts
#   OUT_DIR=$BUILD_DIR/results      JSON and TSV the table is made from
#   COMPILER_BUILD_DIR=build        where bnn-compile, bnn-run and bnn-interp
#                                   are built (incrementally; configured like
#                                   scripts/build.sh if it does not exist)
#   ISAS="avx512 avx2 default"      x86 code generation variants to time
#                                   (default: no -mcpu, the multi-variant
#                                   artifact)
#   AVX512_FLAGS="-mcpu=<host>"     bnn-compile flags of each variant (the
#   AVX2_FLAGS="-mcpu=haswell"      host CPU name comes from llc-22 --version)
#   ABLATION_ISAS="avx512 avx2"     variants of the ablation ("" skips it)
#   ONLY=name,...                   a subset of the gen_layers.py models
#   BASELINES=1  MCA=1  NETWORKS=1  0 skips the popcount peak + oneDNN runs,
#                                   the AArch64 llvm-mca report, or the
#                                   whole-network compile times
#   COMPILE_REPS=3  RUN_REPS=20     networks: compiles and bnn-run calls
#   BUILD_COMPILER=1                0 uses the tools already in
#                                   COMPILER_BUILD_DIR as they are
#
# Run on an otherwise idle machine: the 2-thread numbers share the cores
# with anything else that runs. The whole run takes about 7 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${BUILD_DIR:-build-bench}"
MIN_TIME="${MIN_TIME:-0.2}"
REPS="${REPS:-5}"
JOBS="${JOBS:-1}"
OUT_DIR="${OUT_DIR:-$BUILD_DIR/results}"
COMPILER_BUILD_DIR="${COMPILER_BUILD_DIR:-build}"
ISAS="${ISAS:-avx512 avx2 default}"
ABLATION_ISAS="${ABLATION_ISAS-avx512 avx2}"
ONLY="${ONLY:-}"
BASELINES="${BASELINES:-1}"
MCA="${MCA:-1}"
NETWORKS="${NETWORKS:-1}"
COMPILE_REPS="${COMPILE_REPS:-3}"
RUN_REPS="${RUN_REPS:-20}"
BUILD_COMPILER="${BUILD_COMPILER:-1}"
PY=/usr/bin/python3

# The compiler and runtime tools: an incremental build of the normal build
# directory (a second full compiler build would take as long as the run).
if [ "$BUILD_COMPILER" = 1 ]; then
  if [ ! -f "$COMPILER_BUILD_DIR/build.ninja" ]; then
    cmake -G Ninja -S . -B "$COMPILER_BUILD_DIR" \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
      -DPython3_EXECUTABLE="$PY" >/dev/null
  fi
  cmake --build "$COMPILER_BUILD_DIR" -j "$JOBS" \
    --target bnn-compile bnn-run bnn-interp
fi
# A copy, so that the whole run uses one compiler even if the build
# directory is rebuilt meanwhile.
BIN="$BUILD_DIR/bnn-tools"
mkdir -p "$BIN"
for tool in bnn-compile bnn-run bnn-interp; do
  cp -T "$COMPILER_BUILD_DIR/bin/$tool" "$BIN/$tool"
done
BNN_COMPILE="$BIN/bnn-compile"
"$BNN_COMPILE" --version >/dev/null

# The benchmark programs (Release, benchmarks on); they need no compiler
# libraries, only BNNSupport.
cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DCMAKE_BUILD_TYPE=Release -DBNN_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" \
  --target bnn-bench-popcount-peak bnn-bench-onednn bnn-bench-layers

mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/*.json "$OUT_DIR"/*.tsv
MODELS="$BUILD_DIR/models"
rm -rf "$MODELS"
"$PY" benchmarks/gen_layers.py --out-dir "$MODELS" ${ONLY:+--only "$ONLY"}

# x86 variants. AVX-512 needs VPOPCNTDQ (the popcount peak's best kernel);
# AVX2 is a Haswell-class core (no AVX-512 at all).
HOST_CPU="$(llc-22 --version | sed -n 's/^ *Host CPU: *//p')"
AVX512_FLAGS="${AVX512_FLAGS:--mcpu=$HOST_CPU}"
AVX2_FLAGS="${AVX2_FLAGS:--mcpu=haswell}"
isa_flags() {
  case "$1" in
    avx512) echo "$AVX512_FLAGS" ;;
    avx2) echo "$AVX2_FLAGS" ;;
    default) echo "" ;;
    *) echo "bench: unknown ISA '$1' (avx512, avx2, default)" >&2; return 1 ;;
  esac
}
isa_runs_here() {
  case "$1" in
    avx512) grep -qw avx512f /proc/cpuinfo && grep -qw avx512_vpopcntdq /proc/cpuinfo ;;
    avx2) grep -qw avx2 /proc/cpuinfo ;;
    default) true ;;
  esac
}

# Every artifact compiled, one line each, for the table:
# variant, model, pipeline options, status, compile seconds, flags.
ARTIFACTS="$OUT_DIR/artifacts.tsv"
printf 'variant\tmodel\tpipeline_options\tstatus\tcompile_s\tflags\n' >"$ARTIFACTS"
# compile VARIANT MODEL FLAGS PIPELINE-OPTIONS OUT.so; appends to SPECS.
SPECS=""
compile() {
  local variant="$1" model="$2" flags="$3" popts="$4" out="$5"
  local macs start end status=ok
  macs="$(awk -F'\t' -v m="$model" '$1 == m { print $3 }' "$MODELS/layers.tsv")"
  mkdir -p "$(dirname "$out")"
  start="$(date +%s%N)"
  # shellcheck disable=SC2086 # flags are words
  if ! "$BNN_COMPILE" $flags ${popts:+--pipeline-options="$popts"} \
      "$MODELS/$model.mlir" -o "$out" 2>"$out.log"; then
    status=failed
    echo "bench: $variant/$model did not compile: $(head -c 300 "$out.log")" >&2
  fi
  end="$(date +%s%N)"
  printf '%s\t%s\t%s\t%s\t%d.%03d\t%s\n' "$variant" "$model" "$popts" \
    "$status" $(((end - start) / 1000000000)) \
    $((((end - start) / 1000000) % 1000)) "$flags" >>"$ARTIFACTS"
  if [ "$status" = ok ]; then
    SPECS="${SPECS:+$SPECS,}$variant/$model=$out@$macs"
  fi
}

MODEL_NAMES="$(cut -f1 "$MODELS/layers.tsv")"
RUN_ISAS=""
for isa in $ISAS; do
  if ! isa_runs_here "$isa"; then
    echo "bench: this CPU cannot run $isa code; skipping it" >&2
    continue
  fi
  RUN_ISAS="$RUN_ISAS $isa"
  flags="$(isa_flags "$isa")"
  for model in $MODEL_NAMES; do
    compile "$isa" "$model" "$flags" "" "$MODELS/$isa/$model.so"
  done
done
LAYER_SPECS="$SPECS"

# Ablation (RipTide): each optimisation off in turn, on the conv layers
# whose glue the pipeline can fold (the _bn models), against all on (the
# main run's artifacts of the same models).
ABLATION_OPTIONS="fuse-glue fuse-bitpack tile vectorize lazy-popcount parallel"
SPECS=""
if [ -n "$ABLATION_ISAS" ]; then
  if ! "$BNN_COMPILE" --help | grep -q -- '--pipeline-options'; then
    echo "bench: bnn-compile has no --pipeline-options; no ablation" >&2
    printf 'ablation\t-\t-\tno --pipeline-options\t0\t-\n' >>"$ARTIFACTS"
  else
    for isa in $ABLATION_ISAS; do
      case " $RUN_ISAS " in *" $isa "*) ;; *) continue ;; esac
      flags="$(isa_flags "$isa")"
      for model in $(echo "$MODEL_NAMES" | grep '^conv.*_bn$' || true); do
        for opt in $ABLATION_OPTIONS; do
          compile "$isa-no-$opt" "$model" "$flags" "$opt=false" \
            "$MODELS/ablation/$isa-no-$opt/$model.so"
        done
      done
    done
  fi
fi
ABLATION_SPECS="$SPECS"

# libbenchmark 1.7 takes --benchmark_min_time in plain seconds.
run() { # run PROGRAM JSON-NAME [EXTRA FLAGS...]
  local prog="$1" out="$2"
  shift 2
  "$BUILD_DIR/benchmarks/bnn-bench-$prog" "$@" \
    --benchmark_min_time="$MIN_TIME" --benchmark_repetitions="$REPS" \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$OUT_DIR/$out.json" --benchmark_out_format=json
}
if [ "$BASELINES" = 1 ]; then
  run popcount-peak popcount-peak
  run onednn onednn
  # int8 again with oneDNN capped at VNNI (DESIGN.md's int8 baseline): on AMX
  # cores the uncapped run measures the AMX tile unit instead.
  if grep -qw avx512_vnni /proc/cpuinfo; then
    run onednn onednn-vnni --onednn_max_isa=avx512_core_vnni \
      --benchmark_filter=/int8/
  fi
  # And capped at AVX2, the baseline of the AVX2 int8 code.
  if grep -qw avx2 /proc/cpuinfo; then
    run onednn onednn-avx2 --onednn_max_isa=avx2 --benchmark_filter=/int8/
  fi
fi
if [ -n "$LAYER_SPECS" ]; then
  run layers layers --layers="$LAYER_SPECS"
fi
if [ -n "$ABLATION_SPECS" ]; then
  run layers ablation --layers="$ABLATION_SPECS"
fi

TABLE_ARGS=(--artifacts "$ARTIFACTS")
if [ "$MCA" = 1 ]; then
  mca_layers="$(echo "$MODEL_NAMES" | grep '^conv.*_thr$' | paste -sd, || true)"
  if [ -n "$mca_layers" ]; then
    "$PY" benchmarks/mca_aarch64.py --bnn-compile "$BNN_COMPILE" \
      --models "$MODELS" --layers "$mca_layers" --out "$OUT_DIR/mca.json"
    TABLE_ARGS+=(--mca "$OUT_DIR/mca.json")
  fi
fi
if [ "$NETWORKS" = 1 ]; then
  "$PY" examples/make_binary_resnet18.py --out "$MODELS/binary_resnet18.mlir"
  "$PY" examples/make_binary_resnet18.py --arch bireal18 \
    --out "$MODELS/binary_bireal18.mlir"
  "$PY" benchmarks/networks.py --bin "$BIN" --out "$OUT_DIR/networks.json" \
    --flags="$AVX512_FLAGS" --compile-reps "$COMPILE_REPS" \
    --run-reps "$RUN_REPS" --work-dir "$MODELS/networks" \
    tiny_binary_resnet=examples/tiny_binary_resnet.mlir \
    binary_resnet18="$MODELS/binary_resnet18.mlir" \
    binary_bireal18="$MODELS/binary_bireal18.mlir"
  TABLE_ARGS+=(--networks "$OUT_DIR/networks.json")
  # The float architectures in torch (oneDNN), when python3-torch is
  # installed.
  if "$PY" -c "import torch" 2>/dev/null; then
    for arch in resnet18 bireal18; do
      "$PY" benchmarks/float_resnet18.py --arch "$arch" \
        --out "$OUT_DIR/float-$arch.json"
      TABLE_ARGS+=(--float-baseline "$OUT_DIR/float-$arch.json")
    done
  fi
fi

shopt -s nullglob
BENCH_JSON=()
for f in popcount-peak onednn onednn-vnni onednn-avx2 layers ablation; do
  [ -f "$OUT_DIR/$f.json" ] && BENCH_JSON+=("$OUT_DIR/$f.json")
done
COMMAND="MIN_TIME=$MIN_TIME REPS=$REPS bash scripts/bench.sh"
[ -n "$ONLY" ] && COMMAND="ONLY=$ONLY $COMMAND"
"$PY" benchmarks/make_table.py --command "$COMMAND" \
  --commit "$(git describe --always --dirty 2>/dev/null || echo unknown)" \
  "${TABLE_ARGS[@]}" --out docs/benchmarks.md "${BENCH_JSON[@]}"
echo "bench: wrote docs/benchmarks.md"
