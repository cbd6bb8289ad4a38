//===- CompiledLayers.cpp - Latency of compiled bnn artifacts -------------===//
//
// Times shared libraries produced by `bnn-compile model.mlir -o model.so`
// (DESIGN.md, "Performance targets"): each one is dlopen'ed, its single
// entry point is found through the runtime ABI metadata (bnn-c/Runtime.h),
// the arguments are filled with random values once, and every benchmark
// iteration is one call of the entry.
//
//   bnn-bench-layers --layers=NAME=PATH[@MACS],... [benchmark flags]
//
// NAME becomes the benchmark name "Compiled/NAME/threads:N" (scripts/bench.sh
// uses ISA/LAYER, e.g. avx512/conv3x3_56x56x64_thr). MACS is the number of
// binary multiply-accumulates of one call (benchmarks/gen_layers.py writes
// it: OH*OW*O*KH*KW*C for a conv, O*K for a dense); with it the benchmark
// reports `MACs/s` and `GOPS`, binary ops counted as 2 per MAC (an xor and a
// popcount-accumulate), the convention of PopcountPeak.cpp and
// OneDNNBaseline.cpp.
//
// Threads: artifacts built with the parallel pass export
// `bnn_set_num_threads` (docs/bnn-run.md). For those the benchmark runs with
// 1 and 2 threads, setting the count before the first timed call. For the
// others it runs once with 1 thread and labels the run "single-threaded
// artifact". The `threads` counter is the count the artifact was given.
//
// Loading and argument filling follow tools/bnn-run (the same dtype rules,
// and the random values of lib/Support/Random.cpp); only what a benchmark
// needs is kept: no .npy files, no result printing.
//
//===----------------------------------------------------------------------===//

#include "bnn-c/Runtime.h"
#include "bnn/Support/Random.h"

#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

/// One --layers item.
struct LayerSpec {
  std::string name;
  std::string path;
  double macs = 0; // 0: unknown, no rate counters
};

/// 64-byte aligned, zero-filled storage, as bnn-run allocates it.
struct Buffer {
  struct Free {
    void operator()(void *p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> memory;

  bool allocate(size_t bytes) {
    void *p = nullptr;
    bytes = bytes ? bytes : 1;
    if (posix_memalign(&p, 64, bytes) != 0)
      return false;
    std::memset(p, 0, bytes);
    memory.reset(p);
    return true;
  }
};

/// An argument or result of the entry: storage plus its DLTensor view.
struct Tensor {
  std::vector<int64_t> shape;
  int64_t numElements = 1;
  Buffer buffer;
  DLTensor dl{};
};

/// Bytes per element of the ABI's dtypes (bnn-c/Runtime.h), or 0.
size_t elementSize(DLDataType t) {
  if (t.lanes != 1)
    return 0;
  if ((t.code == kDLFloat || t.code == kDLInt) && t.bits == 32)
    return 4;
  if ((t.code == BNN_DL_BOOL || t.code == kDLUInt || t.code == kDLInt) &&
      t.bits == 8)
    return 1;
  return 0;
}

bool allocate(const bnn_tensor_info &info, Tensor &t) {
  size_t size = elementSize(info.dtype);
  if (size == 0 || info.ndim < 0 || (info.ndim > 0 && !info.shape))
    return false;
  t.shape.assign(info.shape, info.shape + info.ndim);
  for (int64_t d : t.shape)
    t.numElements *= d;
  if (!t.buffer.allocate(size_t(t.numElements) * size))
    return false;
  static int64_t scalarShape[1] = {1};
  t.dl.data = t.buffer.memory.get();
  t.dl.device = {kDLCPU, 0};
  t.dl.ndim = info.ndim;
  t.dl.dtype = info.dtype;
  t.dl.shape = t.shape.empty() ? scalarShape : t.shape.data();
  t.dl.strides = nullptr;
  t.dl.byte_offset = 0;
  return true;
}

/// Random values over the whole range of the dtype (binary: 0 or 1), drawn
/// as bnn-run --random-inputs draws them.
void fillRandom(Tensor &t, uint64_t seed) {
  using mlir::bnn::RandomElementKind;
  auto *p = static_cast<uint8_t *>(t.dl.data);
  DLDataType type = t.dl.dtype;
  if (type.code == kDLFloat) {
    std::vector<float> v(t.numElements);
    mlir::bnn::fillRandom(RandomElementKind::floats(), seed, t.numElements,
                          v.data(), nullptr);
    std::memcpy(p, v.data(), v.size() * sizeof(float));
    return;
  }
  RandomElementKind kind = RandomElementKind::integers(INT32_MIN, INT32_MAX);
  if (type.code == BNN_DL_BOOL)
    kind = RandomElementKind::integers(0, 1);
  else if (type.code == kDLUInt)
    kind = RandomElementKind::integers(0, 255);
  else if (type.bits == 8)
    kind = RandomElementKind::integers(-128, 127);
  std::vector<int64_t> v(t.numElements);
  mlir::bnn::fillRandom(kind, seed, t.numElements, nullptr, v.data());
  for (int64_t i = 0; i < t.numElements; ++i) {
    if (type.bits == 8)
      p[i] = uint8_t(v[i]);
    else {
      int32_t x = int32_t(v[i]);
      std::memcpy(p + 4 * i, &x, 4);
    }
  }
}

/// A loaded artifact with its entry and tensors, ready to call.
struct Artifact {
  void *handle = nullptr;
  const bnn_entry_info *entry = nullptr;
  void (*setThreads)(int32_t) = nullptr;
  std::vector<Tensor> inputs, outputs;
  std::vector<DLTensor *> inputTable, outputTable;

  /// Loads `path`; returns an error message, empty on success.
  std::string load(const std::string &path) {
    std::string file = path.find('/') == std::string::npos ? "./" + path : path;
    handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      return std::string("cannot load: ") + dlerror();
    using ModuleFn = const bnn_module_info *(*)();
    auto moduleFn = reinterpret_cast<ModuleFn>(dlsym(handle, "bnn_module"));
    if (!moduleFn)
      return "not a bnn artifact (no bnn_module)";
    const bnn_module_info *module = moduleFn();
    if (!module || module->abi_version != BNN_ABI_VERSION)
      return "runtime ABI version mismatch";
    if (module->num_entries != 1)
      return "expected exactly one entry, found " +
             std::to_string(module->num_entries);
    entry = &module->entries[0];
    // Optional (docs/bnn-run.md); its int32_t result, if any, is not used.
    setThreads = reinterpret_cast<void (*)(int32_t)>(
        dlsym(handle, "bnn_set_num_threads"));

    inputs.resize(entry->num_inputs);
    outputs.resize(entry->num_outputs);
    for (int32_t i = 0; i < entry->num_inputs; ++i) {
      if (!allocate(entry->inputs[i], inputs[i]))
        return "cannot allocate argument #" + std::to_string(i);
      fillRandom(inputs[i], 1 + uint64_t(i));
      inputTable.push_back(&inputs[i].dl);
    }
    for (int32_t i = 0; i < entry->num_outputs; ++i) {
      if (!allocate(entry->outputs[i], outputs[i]))
        return "cannot allocate result #" + std::to_string(i);
      outputTable.push_back(&outputs[i].dl);
    }
    // Null-terminated, so never null (as bnn-run passes them).
    inputTable.push_back(nullptr);
    outputTable.push_back(nullptr);
    return "";
  }

  int32_t call() { return entry->fn(inputTable.data(), outputTable.data()); }
};

void BM_Compiled(benchmark::State &state, Artifact *artifact, double macs) {
  int threads = int(state.range(0));
  if (artifact->setThreads)
    artifact->setThreads(threads);
  // Warm-up call outside the timed loop; it also checks the status.
  if (int32_t status = artifact->call()) {
    state.SkipWithError(bnn_status_string(status));
    return;
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(artifact->call());
  benchmark::ClobberMemory();
  state.counters["threads"] = threads;
  if (macs > 0) {
    double n = double(state.iterations());
    state.counters["MACs"] = macs;
    state.counters["MACs/s"] =
        benchmark::Counter(macs * n, benchmark::Counter::kIsRate);
    state.counters["GOPS"] =
        benchmark::Counter(2.0 * macs * n / 1e9, benchmark::Counter::kIsRate);
  }
  if (!artifact->setThreads)
    state.SetLabel("single-threaded artifact");
}

/// Parses "NAME=PATH[@MACS],..."; returns false with a message on error.
bool parseLayers(const std::string &text, std::vector<LayerSpec> &layers,
                 std::string &error) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty())
      continue;
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      error = "expected NAME=PATH[@MACS], got '" + item + "'";
      return false;
    }
    LayerSpec spec;
    spec.name = item.substr(0, eq);
    spec.path = item.substr(eq + 1);
    size_t at = spec.path.rfind('@');
    if (at != std::string::npos) {
      char *rest = nullptr;
      std::string number = spec.path.substr(at + 1);
      spec.macs = std::strtod(number.c_str(), &rest);
      if (number.empty() || *rest || spec.macs <= 0) {
        error = "bad MAC count in '" + item + "'";
        return false;
      }
      spec.path.resize(at);
    }
    layers.push_back(spec);
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  // Our flag; removed before Google Benchmark parses the rest.
  const std::string flag = "--layers=";
  std::vector<LayerSpec> layers;
  for (int i = 1; i < argc;) {
    std::string arg = argv[i];
    if (arg.compare(0, flag.size(), flag) != 0) {
      ++i;
      continue;
    }
    std::string error;
    if (!parseLayers(arg.substr(flag.size()), layers, error)) {
      std::fprintf(stderr, "CompiledLayers: --layers: %s\n", error.c_str());
      return 1;
    }
    for (int j = i; j + 1 < argc; ++j)
      argv[j] = argv[j + 1];
    --argc;
  }
  if (layers.empty()) {
    std::fprintf(stderr,
                 "usage: %s --layers=NAME=PATH[@MACS],... "
                 "[benchmark flags]\n",
                 argv[0]);
    return 1;
  }

  // Artifacts stay loaded for the whole run (they are never dlclose'd).
  std::vector<std::unique_ptr<Artifact>> artifacts;
  for (const LayerSpec &spec : layers) {
    auto artifact = std::make_unique<Artifact>();
    std::string error = artifact->load(spec.path);
    if (!error.empty()) {
      std::fprintf(stderr, "CompiledLayers: %s ('%s'): %s\n", spec.name.c_str(),
                   spec.path.c_str(), error.c_str());
      return 1;
    }
    auto *b =
        benchmark::RegisterBenchmark(("Compiled/" + spec.name).c_str(),
                                     BM_Compiled, artifact.get(), spec.macs);
    b->ArgName("threads")->UseRealTime()->Unit(benchmark::kMicrosecond);
    b->Arg(1);
    if (artifact->setThreads)
      b->Arg(2);
    artifacts.push_back(std::move(artifact));
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
