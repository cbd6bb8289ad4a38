//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Reads and writes NumPy .npy files (format versions 1.0-3.0, C order,
// little-endian). Plain C++ with no LLVM/MLIR dependency, so that runtime
// tools built for other targets can use it too.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_SUPPORT_NPY_H
#define BNN_SUPPORT_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace bnn {
namespace npy {

struct Array {
  /// NumPy type string: "<f4", "|b1", "|u1", "|i1", "<i4", "<i8".
  std::string descr;
  std::vector<int64_t> shape;
  /// Little-endian element data in C order.
  std::vector<uint8_t> data;

  int64_t numElements() const;
};

/// Size in bytes of one element of a supported type string, or 0 when the
/// type string is not supported.
size_t elementSize(const std::string &descr);

/// Parses the contents of a .npy file. On failure returns false and sets
/// `error` to a message that says what is wrong.
bool parse(const std::string &bytes, Array &array, std::string &error);
/// Serializes to .npy format version 1.0.
std::string serialize(const Array &array);

/// File wrappers; messages name the file.
bool readFile(const std::string &path, Array &array, std::string &error);
bool writeFile(const std::string &path, const Array &array, std::string &error);

} // namespace npy
} // namespace bnn
} // namespace mlir

#endif // BNN_SUPPORT_NPY_H
