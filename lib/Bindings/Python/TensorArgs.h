//===- TensorArgs.h - Python tensors as DLTensors ---------------*- C++ -*-===//
//
// Turns the Python objects a caller passes (numpy arrays, torch tensors,
// anything with __dlpack__ or convertible by numpy.asarray) into DLTensors
// that an artifact's entry point reads or writes, checked against the
// entry's metadata. Zero-copy when the object is a compact CPU tensor of the
// right dtype; otherwise one documented copy (non-compact layout) or a
// Python exception that names the argument (dtype, shape, device, rank,
// count).
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_BINDINGS_PYTHON_TENSORARGS_H
#define BNN_LIB_BINDINGS_PYTHON_TENSORARGS_H

#include "bnn/Runtime/Artifact.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

namespace mlir {
namespace bnn {
namespace python {

/// One argument or result bound for a call: the DLTensor the entry sees and
/// the Python objects that own its memory.
struct BoundTensor {
  DLTensor dl{};
  std::vector<int64_t> shape;
  /// The object the caller passed or the copy made of it, and a DLPack
  /// capsule when the memory came through one; both live until the call
  /// returns.
  pybind11::object owner;
  pybind11::object capsule;
  /// Whether the caller passed a torch tensor.
  bool fromTorch = false;
};

/// Binds `object` as argument `what` ("argument #0 of 'main'") of element
/// type and shape `info`. A dynamic batch (dimension 0 of -1 in `info`)
/// takes the object's when `batch` is still -1 and must equal `batch`
/// otherwise. Throws TypeError (dtype, object kind) or ValueError (rank,
/// shape, device, values of binary tensors).
BoundTensor bindInput(pybind11::handle object, const bnn_tensor_info &info,
                      const std::string &what, int64_t &batch);

/// Binds a caller-provided result tensor: like bindInput, but the memory
/// must be writable and compact (no copy is made).
BoundTensor bindOutput(pybind11::handle object, const bnn_tensor_info &info,
                       const std::string &what, int64_t &batch);

/// A new numpy array for a result described by `info` (a dynamic batch
/// takes `batch` images).
pybind11::array allocateResult(const bnn_tensor_info &info, int64_t batch);

/// The numpy dtype of an ABI element type (bool for binary tensors).
pybind11::dtype numpyDtype(const runtime::ElemType &type);

/// Whether `object` is a torch.Tensor (without importing torch).
bool isTorchTensor(pybind11::handle object);

} // namespace python
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_BINDINGS_PYTHON_TENSORARGS_H
