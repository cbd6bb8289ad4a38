//===- Tensor.h - value-level tensors of the interpreter ------*- C++ -*-===//
//
// A deliberately plain tensor: a shape, an element type and one flat
// row-major buffer. Floats are stored as float, every integer type (binary
// i1 bits included) as int64_t holding the value the type denotes: a binary
// bit is 0 (+1) or 1 (-1), ui4 holds 0..15, i8 holds -128..127.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_REFERENCE_TENSOR_H
#define BNN_REFERENCE_TENSOR_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace bnn {
namespace ref {

/// The element types the reference interpreter distinguishes.
struct ElementType {
  enum class Kind { Float, Signless, Unsigned, Signed };
  Kind kind = Kind::Float;
  unsigned bitWidth = 32;

  static ElementType f32() { return {Kind::Float, 32}; }
  static ElementType i1() { return {Kind::Signless, 1}; }
  static ElementType i8() { return {Kind::Signless, 8}; }
  static ElementType i32() { return {Kind::Signless, 32}; }
  static ElementType i64() { return {Kind::Signless, 64}; }
  static ElementType ui(unsigned bits) { return {Kind::Unsigned, bits}; }

  bool isFloat() const { return kind == Kind::Float; }
  bool isBinary() const { return kind == Kind::Signless && bitWidth == 1; }
  /// Smallest and largest value an element can hold (integers only).
  int64_t minValue() const;
  int64_t maxValue() const;

  /// Maps an MLIR element type (f32, i1, iN, uiN, siN with N <= 64); fails
  /// for anything else.
  static std::optional<ElementType> fromMLIR(Type type);
  Type toMLIR(MLIRContext *context) const;

  bool operator==(const ElementType &other) const {
    return kind == other.kind && bitWidth == other.bitWidth;
  }
  bool operator!=(const ElementType &other) const { return !(*this == other); }
};

/// The most elements one tensor of the interpreter may have: 2^28, i.e.
/// 1 GiB of f32 or 2 GiB of integers (stored as int64_t). The interpreter
/// refuses larger values with a diagnostic instead of failing to allocate
/// them; the oracle of the differential tests never needs more.
inline constexpr int64_t kMaxElements = int64_t(1) << 28;

/// The element count of `shape` when every dimension and the count are in
/// [0, kMaxElements]; std::nullopt otherwise (including a product that would
/// overflow int64_t).
std::optional<int64_t> checkedElementCount(ArrayRef<int64_t> shape);

class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor. The shape must pass checkedElementCount.
  Tensor(ElementType type, std::vector<int64_t> shape);

  /// Builders for tests and hand-written cases.
  static Tensor ofFloats(std::vector<int64_t> shape, std::vector<float> values);
  static Tensor ofInts(ElementType type, std::vector<int64_t> shape,
                       std::vector<int64_t> values);

  /// Converts a dense constant; fails for element types the interpreter
  /// does not know.
  static std::optional<Tensor> fromAttr(DenseElementsAttr attr);
  DenseElementsAttr toAttr(MLIRContext *context) const;

  const ElementType &type() const { return elementType; }
  const std::vector<int64_t> &shape() const { return dims; }
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  int64_t dim(int64_t i) const { return dims[i]; }
  int64_t numElements() const;
  bool isFloat() const { return elementType.isFloat(); }

  std::vector<float> &floats() { return floatData; }
  const std::vector<float> &floats() const { return floatData; }
  std::vector<int64_t> &ints() { return intData; }
  const std::vector<int64_t> &ints() const { return intData; }

  /// Row-major offset of a multi-index.
  int64_t offset(const std::vector<int64_t> &index) const;

  /// Same data, new shape with the same element count.
  Tensor reshaped(std::vector<int64_t> newShape) const;

  /// "tensor<2x3xf32>" style description used in diagnostics.
  std::string typeString() const;

  /// Prints the values as nested brackets, one innermost row per line.
  void print(llvm::raw_ostream &os) const;

  bool operator==(const Tensor &other) const;

private:
  ElementType elementType;
  std::vector<int64_t> dims;
  std::vector<float> floatData;
  std::vector<int64_t> intData;
};

} // namespace ref
} // namespace bnn
} // namespace mlir

#endif // BNN_REFERENCE_TENSOR_H
