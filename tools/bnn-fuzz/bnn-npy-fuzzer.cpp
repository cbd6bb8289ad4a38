//===- bnn-npy-fuzzer.cpp - fuzz the .npy reader --------------------------===//
//
// Parses arbitrary bytes as a .npy file (lib/Support/Npy.cpp, which
// bnn-run, bnn-interp and the tests read inputs with) and, when they parse,
// serializes the array and parses it again: the round trip must give the
// same array. Any crash, hang, huge allocation or sanitizer report is a bug.
//
//===----------------------------------------------------------------------===//

#include "bnn/Support/Npy.h"

#include <cstdlib>
#include <string>

using namespace mlir::bnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  npy::Array array;
  std::string error;
  if (!npy::parse(bytes, array, error))
    return 0;
  npy::Array again;
  if (!npy::parse(npy::serialize(array), again, error) ||
      again.descr != array.descr || again.shape != array.shape ||
      again.data != array.data)
    std::abort(); // a parsed array must survive a round trip
  return 0;
}
