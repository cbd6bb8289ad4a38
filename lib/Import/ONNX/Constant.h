//===- Constant.h - constant tensors of an ONNX import ----------*- C++ -*-===//
//
// Initializers, Constant nodes and everything computed from them alone (the
// shape arithmetic of torch.onnx's flatten, folded weight quantizers,
// normalisation constants) are evaluated at import time on these tensors.
// Float arithmetic is f32, one ONNX operator at a time, as the reference
// executor of the tests does (docs/ONNX.md#numerics).
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_IMPORT_ONNX_CONSTANT_H
#define BNN_LIB_IMPORT_ONNX_CONSTANT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace mlir::bnn::onnx_import {

/// The integer levels behind a constant produced by a weight quantizer:
/// value = scale * (level - zeroPoint), scale broadcast like an ONNX operand.
struct QuantLevels {
  std::vector<int64_t> levels;
  std::vector<float> scale;
  llvm::SmallVector<int64_t> scaleShape;
  int64_t zeroPoint = 0;
  int64_t min = 0, max = 0; // the level range
  bool bipolar = false;     // levels are -1 / +1
};

/// A dimension of a shape tensor that stands for the dynamic batch.
inline constexpr int64_t kBatchDim = INT64_MIN + 1;

struct Constant {
  bool isFloat = true;            // f32 values in `f`, else int64 in `i`
  int32_t onnxType = 1;           // TensorProto::DataType of the source
  llvm::SmallVector<int64_t> shape;
  std::vector<float> f;
  std::vector<int64_t> i;
  std::optional<QuantLevels> quant;

  int64_t numel() const;
  double at(int64_t k) const { return isFloat ? f[k] : double(i[k]); }
  static Constant ofFloats(llvm::SmallVector<int64_t> shape,
                           std::vector<float> values);
  static Constant ofInts(llvm::SmallVector<int64_t> shape,
                         std::vector<int64_t> values, int32_t onnxType = 7);
};

/// Reads an initializer or a Constant node's tensor; false with `error` set
/// for external data, unsupported element types or a size that does not
/// match the shape.
bool readTensor(const onnx::TensorProto &proto, Constant &out,
                std::string &error);

/// The product of `shape`, or nullopt on overflow or a negative dimension.
std::optional<int64_t> checkedNumel(llvm::ArrayRef<int64_t> shape);

/// Numpy broadcasting of two shapes; nullopt when they do not broadcast.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Element `index` (row-major in `out`) of a tensor of `shape` broadcast to
/// `out`.
int64_t broadcastIndex(int64_t index, llvm::ArrayRef<int64_t> out,
                       llvm::ArrayRef<int64_t> shape);

enum class BinaryFn { Add, Sub, Mul, Div, Pow };

/// Elementwise `a fn b` with broadcasting: f32 when either is float (ints
/// converted), int64 otherwise (Div truncates like ONNX's integer Div).
std::optional<Constant> foldBinary(BinaryFn fn, const Constant &a,
                                   const Constant &b, std::string &error);

/// `x` transposed by `perm`.
Constant transposeConstant(const Constant &x, llvm::ArrayRef<int64_t> perm);

} // namespace mlir::bnn::onnx_import

#endif // BNN_LIB_IMPORT_ONNX_CONSTANT_H
