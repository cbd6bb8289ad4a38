//===- TensorIO.cpp - reference tensors from and to files -----------------===//

#include "bnn/Reference/TensorIO.h"
#include "bnn/Support/Random.h"

#include <cstring>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {
template <typename T> T loadLE(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof(T)); // all supported hosts are little-endian
  return v;
}

template <typename T> void storeLE(std::vector<uint8_t> &out, T v) {
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
  // The generator is shared with bnn-run (bnn/Support/Random.h), so that
  // compiled artifacts can be fed exactly the same values.
  if (type.isFloat())
    fillRandom(RandomElementKind::floats(), seed, t.numElements(),
               t.floats().data(), nullptr);
  else
    fillRandom(RandomElementKind::integers(type.minValue(), type.maxValue()),
               seed, t.numElements(), nullptr, t.ints().data());
  return t;
}
