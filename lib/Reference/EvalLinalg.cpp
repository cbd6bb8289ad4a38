//===- EvalLinalg.cpp - reference evaluation of linalg named operators ----===//
//
// Named linalg operators on tensors. Contractions and convolutions add into
// their `outs` operand, each output element summed in the iteration order of
// the operator's definition (reduction dimensions innermost, ascending).
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;
using namespace mlir::bnn::ref::glue;

namespace {
/// out[o] += a[i] * b[j] in the arithmetic of the output: f32 rounded after
/// the product and after the sum; integers sign-extended, wrapped to the
/// output type.
void multiplyAccumulate(Tensor &out, int64_t o, const Tensor &a, int64_t i,
                        const Tensor &b, int64_t j) {
  if (out.isFloat()) {
    out.floats()[o] = mulAdd(out.floats()[o], a.floats()[i], b.floats()[j]);
    return;
  }
  int64_t product = mulWrap(signedValue(a.ints()[i], a.type()),
                            signedValue(b.ints()[j], b.type()));
  out.ints()[o] = wrapInt(addWrap(out.ints()[o], product), out.type());
}

/// Contractions need f32 throughout or integers throughout.
LogicalResult checkContraction(Operation *op, Operands in) {
  bool floats = llvm::all_of(in, [](const Tensor *t) { return t->isFloat(); });
  bool ints = llvm::none_of(in, [](const Tensor *t) { return t->isFloat(); });
  if (floats || ints)
    return success();
  return notSupported(op, op->getName().getStringRef() +
                              " mixing f32 and integer operands");
}

template <typename ContractionOp>
LogicalResult checkMatmul(ContractionOp op, Operands in) {
  StringRef name = op->getName().getStringRef();
  if (op.hasUserDefinedMaps())
    return notSupported(op, name + " with user-defined indexing maps");
  if (op.getCast() != linalg::TypeFn::cast_signed)
    return notSupported(op, name + " with unsigned casts");
  return checkContraction(op, in);
}

FailureOr<bool> evalMatmul(linalg::MatmulOp op, Operands in, Results &out) {
  if (failed(checkMatmul(op, in)))
    return failure();
  const Tensor &a = *in[0], &b = *in[1]; // [M, K] x [K, N]
  Tensor c = *in[2];
  if (failed(requireRank(op, a, 2, "operand A")) ||
      failed(requireRank(op, b, 2, "operand B")) ||
      failed(requireRank(op, c, 2, "the output")))
    return failure();
  const int64_t m = a.dim(0), k = a.dim(1), n = b.dim(1);
  if (b.dim(0) != k || c.dim(0) != m || c.dim(1) != n)
    return cannotEvaluate(op, a.typeString() + " x " + b.typeString() +
                                  " does not give " + c.typeString());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t r = 0; r < k; ++r)
        multiplyAccumulate(c, i * n + j, a, i * k + r, b, r * n + j);
  out.push_back(std::move(c));
  return true;
}

FailureOr<bool> evalBatchMatmul(linalg::BatchMatmulOp op, Operands in,
                                Results &out) {
  if (failed(checkMatmul(op, in)))
    return failure();
  const Tensor &a = *in[0], &b = *in[1]; // [B, M, K] x [B, K, N]
  Tensor c = *in[2];
  if (failed(requireRank(op, a, 3, "operand A")) ||
      failed(requireRank(op, b, 3, "operand B")) ||
      failed(requireRank(op, c, 3, "the output")))
    return failure();
  const int64_t batch = a.dim(0), m = a.dim(1), k = a.dim(2), n = b.dim(2);
  if (b.dim(0) != batch || b.dim(1) != k || c.dim(0) != batch ||
      c.dim(1) != m || c.dim(2) != n)
    return cannotEvaluate(op, a.typeString() + " x " + b.typeString() +
                                  " does not give " + c.typeString());
  for (int64_t s = 0; s < batch; ++s)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        for (int64_t r = 0; r < k; ++r)
          multiplyAccumulate(c, (s * m + i) * n + j, a, (s * m + i) * k + r, b,
                             (s * k + r) * n + j);
  out.push_back(std::move(c));
  return true;
}

/// Row-major offset of a 4-D index.
int64_t at4(const Tensor &t, int64_t a, int64_t b, int64_t c, int64_t d) {
  return ((a * t.dim(1) + b) * t.dim(2) + c) * t.dim(3) + d;
}

/// NHWC convolution without padding into the NHWF `outs`, iterating
/// (n, oh, ow, f, kh, kw, c). `filterAt(f, kh, kw, c)` locates a tap of
/// the filter, whose channel count is `filterChannels` and whose output
/// channel count is `filterOutputs`.
template <typename ConvOp>
FailureOr<bool> conv2DNhwc(
    ConvOp op, Operands in, Results &out,
    llvm::function_ref<int64_t(int64_t, int64_t, int64_t, int64_t)> filterAt,
    int64_t kernelH, int64_t kernelW, int64_t filterChannels,
    int64_t filterOutputs) {
  if (failed(checkContraction(op, in)))
    return failure();
  const Tensor &x = *in[0], &w = *in[1];
  Tensor y = *in[2];
  if (failed(requireRank(op, x, 4, "the input")) ||
      failed(requireRank(op, w, 4, "the filter")) ||
      failed(requireRank(op, y, 4, "the output")))
    return failure();
  SmallVector<int64_t> strides(op.getStrides().template getValues<int64_t>());
  SmallVector<int64_t> dilations(
      op.getDilations().template getValues<int64_t>());
  if (failed(checkWindow(op, {}, 0, strides, dilations)))
    return failure();
  const int64_t channels = x.dim(3);
  if (y.dim(0) != x.dim(0) || filterChannels != channels ||
      filterOutputs != y.dim(3))
    return cannotEvaluate(op, "input " + x.typeString() + ", filter " +
                                  w.typeString() + " and output " +
                                  y.typeString() + " do not agree");
  // Without padding every tap must be inside the input: the last output
  // position's last tap included.
  if (y.numElements() > 0 && kernelH > 0 && kernelW > 0 &&
      ((y.dim(1) - 1) * strides[0] + (kernelH - 1) * dilations[0] >= x.dim(1) ||
       (y.dim(2) - 1) * strides[1] + (kernelW - 1) * dilations[1] >= x.dim(2)))
    return cannotEvaluate(op, "the windows of " + y.typeString() +
                                  " reach outside the input " + x.typeString());
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t oh = 0; oh < y.dim(1); ++oh)
      for (int64_t ow = 0; ow < y.dim(2); ++ow)
        for (int64_t f = 0; f < y.dim(3); ++f)
          for (int64_t kh = 0; kh < kernelH; ++kh)
            for (int64_t kw = 0; kw < kernelW; ++kw)
              for (int64_t c = 0; c < channels; ++c) {
                int64_t ih = oh * strides[0] + kh * dilations[0];
                int64_t iw = ow * strides[1] + kw * dilations[1];
                multiplyAccumulate(y, at4(y, n, oh, ow, f), x,
                                   at4(x, n, ih, iw, c), w,
                                   filterAt(f, kh, kw, c));
              }
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalFill(linalg::FillOp op, Operands in, Results &out) {
  const Tensor &value = *in[0];
  Tensor y = zerosOf(op->getResult(0));
  if (value.numElements() != 1)
    return cannotEvaluate(op, "fill value " + value.typeString());
  if (value.isFloat() != y.isFloat())
    return notSupported(op, "linalg.fill of " + value.typeString() + " into " +
                                y.typeString());
  if (y.isFloat())
    fillWith(y, value);
  else
    fillWith(
        y, Tensor::ofInts(y.type(), {}, {wrapInt(value.ints()[0], y.type())}));
  out.push_back(std::move(y));
  return true;
}
} // namespace

FailureOr<bool> glue::evaluateLinalgOp(Operation *op, Operands in,
                                       Results &out) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (linalgOp && !linalgOp.hasPureTensorSemantics())
    return notSupported(op, op->getName().getStringRef() + " on buffers");
  auto add = [](float a, float b) { return a + b; };
  return llvm::TypeSwitch<Operation *, FailureOr<bool>>(op)
      .Case([&](linalg::FillOp f) { return evalFill(f, in, out); })
      .Case([&](linalg::MatmulOp m) { return evalMatmul(m, in, out); })
      .Case(
          [&](linalg::BatchMatmulOp m) { return evalBatchMatmul(m, in, out); })
      .Case([&](linalg::Conv2DNhwcHwcfOp c) -> FailureOr<bool> {
        const Tensor &w = *in[1]; // [KH, KW, C, F]
        if (failed(requireRank(op, w, 4, "the filter")))
          return failure();
        return conv2DNhwc(
            c, in, out,
            [&](int64_t f, int64_t kh, int64_t kw, int64_t ch) {
              return at4(w, kh, kw, ch, f);
            },
            w.dim(0), w.dim(1), w.dim(2), w.dim(3));
      })
      .Case([&](linalg::Conv2DNhwcFhwcOp c) -> FailureOr<bool> {
        const Tensor &w = *in[1]; // [F, KH, KW, C]
        if (failed(requireRank(op, w, 4, "the filter")))
          return failure();
        return conv2DNhwc(
            c, in, out,
            [&](int64_t f, int64_t kh, int64_t kw, int64_t ch) {
              return at4(w, f, kh, kw, ch);
            },
            w.dim(1), w.dim(2), w.dim(3), w.dim(0));
      })
      .Case([&](linalg::AddOp) {
        return binaryElementwise(op, in, out, add, addWrap);
      })
      .Case([&](linalg::SubOp) {
        return binaryElementwise(
            op, in, out, [](float a, float b) { return a - b; }, subWrap);
      })
      .Case([&](linalg::MulOp) {
        return binaryElementwise(
            op, in, out, [](float a, float b) { return a * b; }, mulWrap);
      })
      .Default([](Operation *) { return false; });
}
