//===- Constant.cpp - constant tensors of an ONNX import ------------------===//

#include "Constant.h"

#include "onnx/onnx_pb.h"
#include "llvm/Support/MathExtras.h"

#include <cfloat>
#include <cmath>
#include <cstring>

using namespace mlir::bnn::onnx_import;

int64_t Constant::numel() const { return isFloat ? f.size() : i.size(); }

Constant Constant::ofFloats(llvm::SmallVector<int64_t> shape,
                            std::vector<float> values) {
  Constant c;
  c.shape = std::move(shape);
  c.f = std::move(values);
  return c;
}

Constant Constant::ofInts(llvm::SmallVector<int64_t> shape,
                          std::vector<int64_t> values, int32_t onnxType) {
  Constant c;
  c.isFloat = false;
  c.onnxType = onnxType;
  c.shape = std::move(shape);
  c.i = std::move(values);
  return c;
}

std::optional<int64_t>
mlir::bnn::onnx_import::checkedNumel(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d != 0 && n > INT64_MAX / d))
      return std::nullopt;
    n *= d;
  }
  return n;
}

namespace {
template <typename T>
bool readRaw(const std::string &raw, int64_t n, std::vector<T> &out) {
  if (raw.size() != size_t(n) * sizeof(T))
    return false;
  out.resize(n);
  std::memcpy(out.data(), raw.data(), raw.size());
  return true;
}

/// Copies `n` elements of a repeated field, or false when its size is not n.
template <typename Field, typename T>
bool readField(const Field &field, int64_t n, std::vector<T> &out) {
  if (field.size() != n)
    return false;
  out.assign(field.begin(), field.end());
  return true;
}
/// 8-bit elements: raw bytes, or one int32_data entry per element.
template <typename T>
bool readNarrow(const onnx::TensorProto &proto, const std::string &raw,
                bool hasRaw, int64_t n, Constant &out) {
  out.isFloat = false;
  if (hasRaw) {
    std::vector<T> v;
    if (!readRaw(raw, n, v))
      return false;
    out.i.assign(v.begin(), v.end());
    return true;
  }
  return readField(proto.int32_data(), n, out.i);
}
} // namespace

bool mlir::bnn::onnx_import::readTensor(const onnx::TensorProto &proto,
                                        Constant &out, std::string &error) {
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "tensor '" + proto.name() +
            "' keeps its data in an external file, which is not supported "
            "(save the model with its weights inside: "
            "onnx.save(model, path, save_as_external_data=False))";
    return false;
  }
  out = Constant();
  out.onnxType = proto.data_type();
  for (int64_t d : proto.dims())
    out.shape.push_back(d);
  std::optional<int64_t> n = checkedNumel(out.shape);
  if (!n || *n > (int64_t(1) << 32)) {
    error = "tensor '" + proto.name() + "' has an invalid or too large shape";
    return false;
  }
  const std::string &raw = proto.raw_data();
  bool hasRaw = !raw.empty() || *n == 0;
  bool ok = false;
  auto toInts = [&](auto values) {
    out.isFloat = false;
    out.i.assign(values.begin(), values.end());
  };
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    ok = hasRaw ? readRaw(raw, *n, out.f) : readField(proto.float_data(), *n, out.f);
    break;
  case onnx::TensorProto::DOUBLE: {
    std::vector<double> d;
    ok = hasRaw ? readRaw(raw, *n, d) : readField(proto.double_data(), *n, d);
    // Beyond the float range is infinity (a plain conversion would be
    // undefined).
    for (double v : d)
      out.f.push_back(std::fabs(v) > double(FLT_MAX) && std::isfinite(v)
                          ? std::copysign(INFINITY, float(v > 0 ? 1 : -1))
                          : float(v));
    break;
  }
  case onnx::TensorProto::INT64: {
    std::vector<int64_t> v;
    ok = hasRaw ? readRaw(raw, *n, v) : readField(proto.int64_data(), *n, v);
    toInts(v);
    break;
  }
  case onnx::TensorProto::INT32: {
    std::vector<int32_t> v;
    ok = hasRaw ? readRaw(raw, *n, v) : readField(proto.int32_data(), *n, v);
    toInts(v);
    break;
  }
  case onnx::TensorProto::INT8:
    ok = readNarrow<int8_t>(proto, raw, hasRaw, *n, out);
    break;
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    ok = readNarrow<uint8_t>(proto, raw, hasRaw, *n, out);
    break;
  default:
    error = "tensor '" + proto.name() + "' has element type " +
            onnx::TensorProto::DataType_Name(
                onnx::TensorProto::DataType(proto.data_type())) +
            ", which is not supported (float, double, int64, int32, int8, "
            "uint8 and bool are)";
    return false;
  }
  if (!ok) {
    error = "tensor '" + proto.name() +
            "' holds a number of elements that does not match its shape";
    return false;
  }
  return true;
}

std::optional<llvm::SmallVector<int64_t>>
mlir::bnn::onnx_import::broadcastShapes(llvm::ArrayRef<int64_t> a,
                                        llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  llvm::SmallVector<int64_t> out(rank);
  for (size_t k = 0; k < rank; ++k) {
    int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[k] = da == 1 ? db : da;
  }
  return out;
}

int64_t mlir::bnn::onnx_import::broadcastIndex(int64_t index,
                                               llvm::ArrayRef<int64_t> out,
                                               llvm::ArrayRef<int64_t> shape) {
  int64_t result = 0, stride = 1;
  size_t offset = out.size() - shape.size();
  for (size_t k = out.size(); k-- > 0;) {
    int64_t coord = index % out[k];
    index /= out[k];
    if (k < offset)
      continue;
    int64_t d = shape[k - offset];
    if (d != 1)
      result += coord * stride;
    stride *= d;
  }
  return result;
}

std::optional<Constant> mlir::bnn::onnx_import::foldBinary(BinaryFn fn,
                                                           const Constant &a,
                                                           const Constant &b,
                                                           std::string &error) {
  std::optional<llvm::SmallVector<int64_t>> shape =
      broadcastShapes(a.shape, b.shape);
  if (!shape) {
    error = "operand shapes do not broadcast";
    return std::nullopt;
  }
  int64_t n = *checkedNumel(*shape);
  if (a.isFloat || b.isFloat) {
    std::vector<float> out(n);
    for (int64_t k = 0; k < n; ++k) {
      float x = float(a.at(broadcastIndex(k, *shape, a.shape)));
      float y = float(b.at(broadcastIndex(k, *shape, b.shape)));
      switch (fn) {
      case BinaryFn::Add: out[k] = x + y; break;
      case BinaryFn::Sub: out[k] = x - y; break;
      case BinaryFn::Mul: out[k] = x * y; break;
      case BinaryFn::Div: out[k] = x / y; break;
      case BinaryFn::Pow: out[k] = std::pow(x, y); break;
      }
    }
    return Constant::ofFloats(*shape, std::move(out));
  }
  std::vector<int64_t> out(n);
  for (int64_t k = 0; k < n; ++k) {
    int64_t x = a.i[broadcastIndex(k, *shape, a.shape)];
    int64_t y = b.i[broadcastIndex(k, *shape, b.shape)];
    if (x == kBatchDim || y == kBatchDim) {
      error = "arithmetic on the dynamic batch size cannot be folded; give "
              "the input a static shape (--input-shape)";
      return std::nullopt;
    }
    bool overflow = false;
    switch (fn) {
    case BinaryFn::Add: overflow = __builtin_add_overflow(x, y, &out[k]); break;
    case BinaryFn::Sub: overflow = __builtin_sub_overflow(x, y, &out[k]); break;
    case BinaryFn::Mul: overflow = __builtin_mul_overflow(x, y, &out[k]); break;
    case BinaryFn::Div:
      overflow = y == 0 || (x == INT64_MIN && y == -1);
      if (!overflow)
        out[k] = x / y;
      break;
    case BinaryFn::Pow:
      error = "integer Pow is not supported";
      return std::nullopt;
    }
    if (overflow) {
      error = "integer arithmetic overflows or divides by zero";
      return std::nullopt;
    }
  }
  return Constant::ofInts(*shape, std::move(out), a.onnxType);
}

Constant mlir::bnn::onnx_import::transposeConstant(const Constant &x,
                                                   llvm::ArrayRef<int64_t> perm) {
  Constant out = x;
  out.quant.reset();
  size_t rank = x.shape.size();
  for (size_t k = 0; k < rank; ++k)
    out.shape[k] = x.shape[perm[k]];
  llvm::SmallVector<int64_t> inStrides(rank, 1);
  for (size_t k = rank; k-- > 1;)
    inStrides[k - 1] = inStrides[k] * x.shape[k];
  int64_t n = x.numel();
  llvm::SmallVector<int64_t> coord(rank, 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t rem = k, src = 0;
    for (size_t d = rank; d-- > 0;) {
      int64_t c = rem % out.shape[d];
      rem /= out.shape[d];
      src += c * inStrides[perm[d]];
    }
    if (x.isFloat)
      out.f[k] = x.f[src];
    else
      out.i[k] = x.i[src];
  }
  return out;
}
