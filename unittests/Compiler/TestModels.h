//===- TestModels.h - small models for the compiler tests -------*- C++ -*-===//

#ifndef BNN_UNITTESTS_COMPILER_TESTMODELS_H
#define BNN_UNITTESTS_COMPILER_TESTMODELS_H

#include <cstdint>
#include <string>

namespace bnn_test {

/// clamp(x + y, 0, 6) on 1x4 floats.
inline const char *kFloatModel = R"mlir(
func.func @main(%x: tensor<1x4xf32>, %y: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = tosa.add %x, %y : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %1 : tensor<1x4xf32>
}
)mlir";

/// A syntax error on line 3, column 48.
inline const char *kMalformedModel = R"mlir(
func.func @main() -> tensor<2xf32> {
  %0 = arith.constant dense<1.0> : tensor<2xf32
  return %0 : tensor<2xf32>
}
)mlir";

/// tosa.custom, which nothing lowers, on line 3, column 8.
inline const char *kUnsupportedModel = R"mlir(
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tosa.custom %x {operator_name = "my_op", domain_name = "ext", implementation_attrs = ""} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
)mlir";

/// ELF header fields of an artifact (little-endian ELF64).
inline bool isELF(const std::string &bytes) {
  return bytes.size() >= 64 && bytes.compare(0, 4,
                                             "\x7f"
                                             "ELF") == 0;
}
inline unsigned elfHalf(const std::string &bytes, size_t offset) {
  return static_cast<unsigned char>(bytes[offset]) |
         static_cast<unsigned char>(bytes[offset + 1]) << 8;
}
/// e_type: 1 relocatable, 3 shared object.
inline unsigned elfType(const std::string &bytes) { return elfHalf(bytes, 16); }
/// e_machine: 62 x86-64, 183 AArch64.
inline unsigned elfMachine(const std::string &bytes) {
  return elfHalf(bytes, 18);
}
constexpr unsigned kELFRelocatable = 1, kELFShared = 3;
constexpr unsigned kMachineX86_64 = 62, kMachineAArch64 = 183;

} // namespace bnn_test

#endif // BNN_UNITTESTS_COMPILER_TESTMODELS_H
