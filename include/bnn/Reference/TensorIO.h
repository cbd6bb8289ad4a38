//===- TensorIO.h - reference tensors from and to files ---------*- C++ -*-===//

#ifndef BNN_REFERENCE_TENSORIO_H
#define BNN_REFERENCE_TENSORIO_H

#include "bnn/Reference/Tensor.h"
#include "bnn/Support/Npy.h"

namespace mlir {
namespace bnn {
namespace ref {

/// Converts a .npy array into a tensor of element type `type`. Accepted
/// pairs: <f4 -> f32; |b1, |u1 or |i1 holding 0/1 -> i1 (1 means -1);
/// |u1 -> ui1..ui8 within range; |i1 -> i8; <i4 -> i32; <i8 -> i64. Fails
/// with a message for anything else or for out-of-range values.
std::optional<Tensor> fromNpy(const npy::Array &array, ElementType type,
                              std::string &error);

/// The .npy form of a tensor (i1 as |b1, uiN as |u1, i8 as |i1, ...).
npy::Array toNpy(const Tensor &tensor);

/// A deterministic pseudo-random tensor: floats uniform in [-1, 1), integers
/// uniform over the type's range (binary bits 0/1). The same seed, type and
/// shape always give the same values.
Tensor randomTensor(ElementType type, std::vector<int64_t> shape,
                    uint64_t seed);

} // namespace ref
} // namespace bnn
} // namespace mlir

#endif // BNN_REFERENCE_TENSORIO_H
