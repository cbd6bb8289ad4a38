//===- Tensor.cpp - value-level tensors of the reference interpreter ------===//

#include "bnn/Reference/Tensor.h"

#include "llvm/Support/Format.h"
#include <cassert>

using namespace mlir;
using namespace mlir::bnn::ref;

int64_t ElementType::minValue() const {
  if (kind == Kind::Unsigned || bitWidth == 1)
    return 0;
  if (bitWidth >= 64)
    return INT64_MIN;
  return -(int64_t(1) << (bitWidth - 1));
}

int64_t ElementType::maxValue() const {
  if (bitWidth == 1)
    return 1;
  if (kind == Kind::Unsigned)
    return bitWidth >= 64 ? INT64_MAX : (int64_t(1) << bitWidth) - 1;
  if (bitWidth >= 64)
    return INT64_MAX;
  return (int64_t(1) << (bitWidth - 1)) - 1;
}

std::optional<ElementType> ElementType::fromMLIR(Type type) {
  if (type.isF32())
    return f32();
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType || intType.getWidth() > 64)
    return std::nullopt;
  Kind kind = intType.isUnsigned() ? Kind::Unsigned
              : intType.isSigned() ? Kind::Signed
                                   : Kind::Signless;
  if (kind == Kind::Unsigned && intType.getWidth() == 64)
    return std::nullopt; // values would not fit the int64_t storage
  return ElementType{kind, intType.getWidth()};
}

Type ElementType::toMLIR(MLIRContext *context) const {
  switch (kind) {
  case Kind::Float:
    return Float32Type::get(context);
  case Kind::Signless:
    return IntegerType::get(context, bitWidth);
  case Kind::Unsigned:
    return IntegerType::get(context, bitWidth, IntegerType::Unsigned);
  case Kind::Signed:
    return IntegerType::get(context, bitWidth, IntegerType::Signed);
  }
  return {};
}

std::optional<int64_t>
mlir::bnn::ref::checkedElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    // Every dimension is bounded too, so that no loop over one runs longer
    // than kMaxElements even when another dimension is 0.
    if (d < 0 || d > kMaxElements)
      return std::nullopt;
    // Dividing first: count * d could overflow before it is compared.
    if (d != 0 && count > kMaxElements / d)
      return std::nullopt;
    count *= d;
  }
  return count;
}

Tensor::Tensor(ElementType type, std::vector<int64_t> shape)
    : elementType(type), dims(std::move(shape)) {
  if (type.isFloat())
    floatData.assign(numElements(), 0.0f);
  else
    intData.assign(numElements(), 0);
}

Tensor Tensor::ofFloats(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t(ElementType::f32(), std::move(shape));
  assert(values.size() == t.floatData.size() && "value count mismatch");
  t.floatData = std::move(values);
  return t;
}

Tensor Tensor::ofInts(ElementType type, std::vector<int64_t> shape,
                      std::vector<int64_t> values) {
  Tensor t(type, std::move(shape));
  assert(values.size() == t.intData.size() && "value count mismatch");
  t.intData = std::move(values);
  return t;
}

std::optional<Tensor> Tensor::fromAttr(DenseElementsAttr attr) {
  auto shapedType = attr.getType();
  std::optional<ElementType> type =
      ElementType::fromMLIR(shapedType.getElementType());
  if (!type || !shapedType.hasStaticShape())
    return std::nullopt;
  Tensor t(*type, std::vector<int64_t>(shapedType.getShape().begin(),
                                       shapedType.getShape().end()));
  if (type->isFloat()) {
    int64_t i = 0;
    for (const APFloat &v : attr.getValues<APFloat>())
      t.floatData[i++] = v.convertToFloat();
    return t;
  }
  bool isUnsigned =
      type->kind == ElementType::Kind::Unsigned || type->bitWidth == 1;
  int64_t i = 0;
  for (const APInt &v : attr.getValues<APInt>())
    t.intData[i++] = isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue();
  return t;
}

DenseElementsAttr Tensor::toAttr(MLIRContext *context) const {
  auto type = RankedTensorType::get(dims, elementType.toMLIR(context));
  if (isFloat())
    return DenseElementsAttr::get(type, ArrayRef<float>(floatData));
  SmallVector<APInt> values;
  values.reserve(intData.size());
  for (int64_t v : intData)
    values.emplace_back(elementType.bitWidth, static_cast<uint64_t>(v),
                        /*isSigned=*/elementType.kind !=
                                ElementType::Kind::Unsigned &&
                            elementType.bitWidth != 1,
                        /*implicitTrunc=*/true);
  return DenseElementsAttr::get(type, values);
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

int64_t Tensor::offset(const std::vector<int64_t> &index) const {
  assert(index.size() == dims.size() && "index rank mismatch");
  int64_t off = 0;
  for (size_t i = 0; i < dims.size(); ++i)
    off = off * dims[i] + index[i];
  return off;
}

Tensor Tensor::reshaped(std::vector<int64_t> newShape) const {
  Tensor t = *this;
  t.dims = std::move(newShape);
  assert(t.numElements() == numElements() && "reshape changes element count");
  return t;
}

std::string Tensor::typeString() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "tensor<";
  for (int64_t d : dims)
    os << d << "x";
  switch (elementType.kind) {
  case ElementType::Kind::Float:
    os << "f32";
    break;
  case ElementType::Kind::Signless:
    os << "i" << elementType.bitWidth;
    break;
  case ElementType::Kind::Unsigned:
    os << "ui" << elementType.bitWidth;
    break;
  case ElementType::Kind::Signed:
    os << "si" << elementType.bitWidth;
    break;
  }
  os << ">";
  return s;
}

namespace {
void printRec(const Tensor &t, llvm::raw_ostream &os, size_t dim, int64_t &flat,
              unsigned indent) {
  if (dim == t.shape().size()) {
    if (t.isFloat())
      os << llvm::format("%.6g", t.floats()[flat]);
    else if (t.type().isBinary())
      os << (t.ints()[flat] ? -1 : 1); // binary values print as +1 / -1
    else
      os << t.ints()[flat];
    ++flat;
    return;
  }
  os << "[";
  for (int64_t i = 0; i < t.dim(dim); ++i) {
    if (i > 0) {
      os << ",";
      if (dim + 1 == t.shape().size())
        os << " ";
      else
        os << "\n" << std::string(indent + 1, ' ');
    }
    printRec(t, os, dim + 1, flat, indent + 1);
  }
  os << "]";
}
} // namespace

void Tensor::print(llvm::raw_ostream &os) const {
  int64_t flat = 0;
  printRec(*this, os, 0, flat, 0);
  os << "\n";
}

bool Tensor::operator==(const Tensor &other) const {
  return elementType == other.elementType && dims == other.dims &&
         floatData == other.floatData && intData == other.intData;
}
