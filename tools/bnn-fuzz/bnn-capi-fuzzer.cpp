//===- bnn-capi-fuzzer.cpp - fuzz the C API -------------------------------===//
//
// Calls bnn_compile_string (include/bnn-c/Compiler.h) with options and text
// taken from the input: byte 0 picks the target, emit kind and optimisation
// level, byte 1 a CPU (valid, invalid, 32-bit), then a features line and a
// pipeline-options line (any bytes up to a newline), then the MLIR text.
// The API must return 0 with an artifact or non-zero with a message, never
// abort, exit or crash the calling program.
//
//===----------------------------------------------------------------------===//

#include "bnn-c/Compiler.h"

#include <cstdlib>
#include <string>

namespace {
std::string line(const uint8_t *&data, size_t &size) {
  std::string text;
  while (size > 0) {
    char c = static_cast<char>(*data++);
    --size;
    if (c == '\n')
      break;
    text.push_back(c);
  }
  return text;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  static const char *const kCPUs[] = {
      nullptr, "", "znver4", "skylake-avx512", "i386", "pentium4",
      "cortex-a53", "neoverse-n1", "nope", "x86-64-v2"};
  uint8_t selector = data[0];
  const char *cpu = kCPUs[data[1] % (sizeof(kCPUs) / sizeof(*kCPUs))];
  data += 2;
  size -= 2;
  std::string features = line(data, size);
  std::string pipeline = line(data, size);

  bnn_compile_options options;
  bnn_compile_options_init(&options);
  options.target = selector & 1 ? "aarch64" : "x86_64";
  options.cpu = cpu;
  options.features = features.c_str();
  options.pipeline_options = pipeline.c_str();
  options.opt_level = (selector >> 1) % 5; // 4 is invalid
  options.emit = 1 + (selector >> 4) % 6;  // mlir .. header
  void *bytes = nullptr;
  size_t length = 0;
  char *error = nullptr;
  int rc = bnn_compile_string(reinterpret_cast<const char *>(data), size,
                              &options, &bytes, &length, &error);
  if (rc == 0 ? (!bytes || error) : (bytes || !error))
    std::abort(); // the documented contract of bnn_compile_string
  bnn_free(bytes);
  bnn_free(error);
  return 0;
}
