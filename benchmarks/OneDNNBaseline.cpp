//===- OneDNNBaseline.cpp - oneDNN fp32 / int8 baselines ------------------===//
//
// The binary kernels are judged against oneDNN on the same shapes in the same
// run (DESIGN.md, "Performance targets"): fp32 and int8 (u8 x s8 -> s32, which
// oneDNN maps to VNNI vpdpbusd where the CPU has it) forward-inference
// convolution for the ResNet-18 3x3 layers at 224x224, batch 1, and a
// 1x4096 -> 4096 inner product.
//
// Activations are NHWC (what the bnn compiler uses); weights use
// format_tag::any so oneDNN picks its blocked layout, and the reorder into it
// happens once, outside the timed loop, as a deployed model would do.
//
// ISA: on cores with AMX (Sapphire Rapids and later) oneDNN runs int8 on the
// AMX tile unit, far above what VNNI gives; DESIGN.md's int8 target is
// against VNNI. `--onednn_max_isa=avx512_core_vnni` caps oneDNN's ISA (it can
// be set only once per process, so scripts/bench.sh runs this program once
// per cap) and prefixes the benchmark names with "OneDNN[avx512_core_vnni]";
// `--onednn_max_isa=avx2` gives the baseline of AVX2-only cores.
//
// Threads: Debian's libdnnl is built with the OpenMP (libgomp) runtime, so
// the thread count is set with omp_set_num_threads before the primitive is
// created (oneDNN sizes its work split at creation). We declare the function
// ourselves and link libgomp directly, instead of -fopenmp, because clang's
// -fopenmp would pull in LLVM's libomp: two OpenMP runtimes in one process.
//
//===----------------------------------------------------------------------===//

#include <benchmark/benchmark.h>
#include <dnnl.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" void omp_set_num_threads(int);

namespace {

using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

struct ConvShape {
  const char *name;
  int64_t hw, c, oc; // square input, stride 1, pad 1, 3x3: output is hw x hw
};

// The 3x3 layers of ResNet-18 at 224x224 (DESIGN.md workloads).
const ConvShape kConvShapes[] = {
    {"56x56x64", 56, 64, 64},
    {"28x28x128", 28, 128, 128},
    {"14x14x256", 14, 256, 256},
    {"7x7x512", 7, 512, 512},
};

// Fills a memory object with small random values of its data type (the
// values do not change the speed, but denormal or NaN fp32 could).
void fillRandom(memory &m, dt type) {
  size_t bytes = m.get_desc().get_size();
  auto *p = static_cast<uint8_t *>(m.get_data_handle());
  std::mt19937 rng(42);
  if (type == dt::f32) {
    std::uniform_real_distribution<float> d(-1.f, 1.f);
    for (size_t i = 0; i < bytes / 4; ++i) {
      float v = d(rng);
      std::memcpy(p + 4 * i, &v, 4);
    }
  } else {
    for (size_t i = 0; i < bytes; ++i)
      p[i] = uint8_t(rng() & 0x3f); // small: no s8/u8 saturation questions
  }
}

// Creates a memory in the user layout `userTag`, fills it, and reorders it
// into `wanted` if the primitive chose another layout.
memory makeInput(const dnnl::engine &eng, dnnl::stream &strm,
                 const memory::desc &wanted, const memory::dims &dims, dt type,
                 tag userTag) {
  memory user(memory::desc(dims, type, userTag), eng);
  fillRandom(user, type);
  if (wanted == user.get_desc())
    return user;
  memory out(wanted, eng);
  dnnl::reorder(user, out).execute(strm, user, out);
  strm.wait();
  return out;
}

void setCounters(benchmark::State &state, double macs) {
  state.counters["MACs"] = macs;
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * macs / 1e9 * double(state.iterations()), benchmark::Counter::kIsRate);
}

// 3x3, stride 1, pad 1 convolution. int8 = u8 activations x s8 weights ->
// s32 output (no requantisation: the binary kernels also output raw sums).
void BM_Conv(benchmark::State &state, ConvShape s, bool int8, int threads) {
  omp_set_num_threads(threads);
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  dt srcT = int8 ? dt::u8 : dt::f32, weiT = int8 ? dt::s8 : dt::f32,
     dstT = int8 ? dt::s32 : dt::f32;
  memory::dims src{1, s.c, s.hw, s.hw}, wei{s.oc, s.c, 3, 3},
      dst{1, s.oc, s.hw, s.hw};
  memory::desc srcMd(src, srcT, tag::nhwc), weiMd(wei, weiT, tag::any),
      dstMd(dst, dstT, tag::nhwc);
  dnnl::convolution_forward::desc d(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
      srcMd, weiMd, dstMd, {1, 1}, {1, 1}, {1, 1});
  dnnl::convolution_forward::primitive_desc pd(d, eng);
  dnnl::convolution_forward conv(pd);

  memory srcM = makeInput(eng, strm, pd.src_desc(), src, srcT, tag::nhwc);
  memory weiM = makeInput(eng, strm, pd.weights_desc(), wei, weiT, tag::ohwi);
  memory dstM(pd.dst_desc(), eng);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, srcM}, {DNNL_ARG_WEIGHTS, weiM}, {DNNL_ARG_DST, dstM}};

  for (auto _ : state) {
    conv.execute(strm, args);
    strm.wait();
  }
  state.SetLabel(pd.impl_info_str());
  setCounters(state, double(s.hw * s.hw) * double(s.oc) * double(s.c) * 9.0);
}

// 1x4096 -> 4096 inner product (the binary dense workload).
void BM_InnerProduct(benchmark::State &state, bool int8, int threads) {
  omp_set_num_threads(threads);
  constexpr int64_t kIn = 4096, kOut = 4096;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  dt srcT = int8 ? dt::u8 : dt::f32, weiT = int8 ? dt::s8 : dt::f32,
     dstT = int8 ? dt::s32 : dt::f32;
  memory::dims src{1, kIn}, wei{kOut, kIn}, dst{1, kOut};
  memory::desc srcMd(src, srcT, tag::nc), weiMd(wei, weiT, tag::any),
      dstMd(dst, dstT, tag::nc);
  dnnl::inner_product_forward::desc d(dnnl::prop_kind::forward_inference,
                                      srcMd, weiMd, dstMd);
  dnnl::inner_product_forward::primitive_desc pd(d, eng);
  dnnl::inner_product_forward ip(pd);

  memory srcM = makeInput(eng, strm, pd.src_desc(), src, srcT, tag::nc);
  memory weiM = makeInput(eng, strm, pd.weights_desc(), wei, weiT, tag::oi);
  memory dstM(pd.dst_desc(), eng);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, srcM}, {DNNL_ARG_WEIGHTS, weiM}, {DNNL_ARG_DST, dstM}};

  for (auto _ : state) {
    ip.execute(strm, args);
    strm.wait();
  }
  state.SetLabel(pd.impl_info_str());
  setCounters(state, double(kIn) * double(kOut));
}

} // namespace

int main(int argc, char **argv) {
  // Our one flag; removed before Google Benchmark parses the rest.
  std::string prefix = "OneDNN";
  const std::string isaFlag = "--onednn_max_isa=";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.compare(0, isaFlag.size(), isaFlag) != 0)
      continue;
    std::string isa = arg.substr(isaFlag.size());
    dnnl::cpu_isa cap;
    if (isa == "avx512_core_vnni") {
      cap = dnnl::cpu_isa::avx512_core_vnni;
    } else if (isa == "avx2") {
      cap = dnnl::cpu_isa::avx2;
    } else {
      std::fprintf(stderr,
                   "OneDNNBaseline: unsupported ISA cap '%s' (expected "
                   "avx512_core_vnni or avx2)\n",
                   isa.c_str());
      return 1;
    }
    if (dnnl::set_max_cpu_isa(cap) != dnnl::status::success) {
      std::fprintf(stderr, "OneDNNBaseline: cannot cap the ISA\n");
      return 1;
    }
    prefix += "[" + isa + "]";
    for (int j = i; j + 1 < argc; ++j)
      argv[j] = argv[j + 1];
    --argc;
    break;
  }

  for (int threads : {1, 2}) {
    for (bool int8 : {false, true}) {
      const char *type = int8 ? "int8" : "fp32";
      for (const ConvShape &s : kConvShapes) {
        std::string name = prefix + "/conv3x3_" + s.name + "/" +
                           type + "/omp_threads:" + std::to_string(threads);
        // Real time: oneDNN's worker threads do not show in the main
        // thread's CPU time.
        benchmark::RegisterBenchmark(name.c_str(), BM_Conv, s, int8, threads)
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond);
      }
      std::string name = prefix + "/dense_1x4096x4096/" + type +
                         "/omp_threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(name.c_str(), BM_InnerProduct, int8, threads)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
