//===- TensorIO.cpp - reference tensors from and to files -----------------===//

#include "bnn/Reference/TensorIO.h"

#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {
template <typename T>
T loadLE(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof(T)); // all supported hosts are little-endian
  return v;
}

template <typename T>
void storeLE(std::vector<uint8_t> &out, T v) {
  uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

std::string expectedDescr(ElementType type) {
  if (type.isFloat())
    return "<f4";
  if (type.isBinary())
    return "|b1";
  if (type.kind == ElementType::Kind::Unsigned)
    return "|u1";
  switch (type.bitWidth) {
  case 8:
    return "|i1";
  case 32:
    return "<i4";
  default:
    return "<i8";
  }
}
} // namespace

std::optional<Tensor> ref::fromNpy(const npy::Array &array, ElementType type,
                                   std::string &error) {
  Tensor t(type, array.shape);
  const std::string &d = array.descr;
  bool accepted = d == expectedDescr(type) ||
                  (type.isBinary() && (d == "|u1" || d == "|i1"));
  if (!accepted) {
    error = "dtype '" + d + "' does not match " + t.typeString() +
            " (expected '" + expectedDescr(type) + "')";
    return std::nullopt;
  }
  const uint8_t *p = array.data.data();
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    if (type.isFloat()) {
      t.floats()[i] = loadLE<float>(p + 4 * i);
      continue;
    }
    int64_t v;
    if (d == "|b1" || d == "|u1")
      v = p[i];
    else if (d == "|i1")
      v = static_cast<int8_t>(p[i]);
    else if (d == "<i4")
      v = loadLE<int32_t>(p + 4 * i);
    else
      v = loadLE<int64_t>(p + 8 * i);
    if (v < type.minValue() || v > type.maxValue()) {
      error = "element " + std::to_string(i) + " is " + std::to_string(v) +
              ", outside the range of " + t.typeString();
      return std::nullopt;
    }
    t.ints()[i] = v;
  }
  return t;
}

npy::Array ref::toNpy(const Tensor &tensor) {
  npy::Array array;
  array.descr = expectedDescr(tensor.type());
  array.shape = tensor.shape();
  size_t size = npy::elementSize(array.descr);
  array.data.reserve(size * tensor.numElements());
  for (int64_t i = 0, e = tensor.numElements(); i < e; ++i) {
    if (tensor.isFloat())
      storeLE<float>(array.data, tensor.floats()[i]);
    else if (size == 1)
      array.data.push_back(static_cast<uint8_t>(tensor.ints()[i]));
    else if (size == 4)
      storeLE<int32_t>(array.data, static_cast<int32_t>(tensor.ints()[i]));
    else
      storeLE<int64_t>(array.data, tensor.ints()[i]);
  }
  return array;
}

Tensor ref::randomTensor(ElementType type, std::vector<int64_t> shape,
                         uint64_t seed) {
  Tensor t(type, std::move(shape));
  // mt19937_64 is specified exactly by the standard; the conversions below
  // avoid std::uniform_*_distribution, whose output is implementation-defined.
  std::mt19937_64 rng(seed);
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    uint64_t r = rng();
    if (type.isFloat()) {
      // 24 random bits scaled by 2^-23 are exact in f32: [-1, 1) precisely.
      t.floats()[i] = static_cast<float>(r >> 40) * 0x1p-23f - 1.0f;
      continue;
    }
    uint64_t span = static_cast<uint64_t>(type.maxValue()) -
                    static_cast<uint64_t>(type.minValue());
    int64_t v = span == UINT64_MAX
                    ? static_cast<int64_t>(r)
                    : static_cast<int64_t>(
                          static_cast<uint64_t>(type.minValue()) + r % (span + 1));
    t.ints()[i] = v;
  }
  return t;
}
