//===- FuseGlue.cpp - bnn-fuse-glue pass ----------------------------------===//
//
// Folds the float glue between an accumulator and its binarization,
//
//   bnn.binarize(g(bnn.acc_to_float(acc, m, b)))
//
// with g a chain of tosa.mul / tosa.add / tosa.sub by per-channel constants,
// into bnn.threshold(acc, t, d). The thresholds are exact: they are found by
// evaluating the f32 arithmetic of the chain itself, one rounding per
// operation, never by solving the real-number inequality.
//
// Why a threshold exists. Per channel, every step x -> round(x * k),
// round(x + k), round(x - k) and round(k - x) with a finite constant k is a
// monotone map of the extended reals (rounding to nearest is monotone,
// overflow included), non-decreasing except for a negative k or k - x; a
// zero k maps every finite x to +-0. f32(acc) is non-decreasing in acc. So
// acc -> value is monotone, and binarize (+1 iff value >= 0) turns a monotone
// function into a single step. The only value that breaks the argument is
// NaN: with finite constants it arises only from an infinite intermediate
// (an overflowing product) multiplied by zero. An intermediate that is
// infinite for some accumulator is infinite at INT32_MIN or INT32_MAX (it is
// monotone up to that step), and NaN propagates to the end, so checking that
// the value at both ends of the accumulator range is not NaN excludes it.
// Signed zeros do not matter: binarize maps both to +1, and the remaining
// steps map +0 and -0 to equal values or to +-0.
//
//===----------------------------------------------------------------------===//

#include "bnn/Dialect/BNN/Transforms/Passes.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <cstdint>
#include <limits>

#define DEBUG_TYPE "bnn-fuse-glue"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNFUSEGLUEPASS
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

/// One f32 operation of the chain; `k` is the constant operand.
enum class StepKind { Mul, Add, Sub, SubFrom };

/// A step with its per-channel constants (one element: every channel).
struct Step {
  StepKind kind;
  SmallVector<float> k;
};

/// Channel `c` of per-channel constants, or the single element.
float channelValue(ArrayRef<float> values, int64_t c) {
  return values.size() == 1 ? values[0] : values[c];
}

/// One operation rounded to f32. The volatile store forces the rounding of
/// every result and keeps the compiler from contracting a product and the
/// following sum into a fused multiply-add.
float apply(StepKind kind, float x, float k) {
  volatile float r;
  switch (kind) {
  case StepKind::Mul:
    r = x * k;
    break;
  case StepKind::Add:
    r = x + k;
    break;
  case StepKind::Sub:
    r = x - k;
    break;
  case StepKind::SubFrom:
    r = k - x;
    break;
  }
  return r;
}

/// The f32 chain of one channel as a function of the accumulator.
struct ChannelChain {
  float multiplier, bias;
  SmallVector<std::pair<StepKind, float>> steps;

  float value(int64_t acc) const {
    // int32 -> f32 rounds to nearest even (the conversion of the target and
    // of the reference interpreter).
    volatile float x = static_cast<float>(static_cast<int32_t>(acc));
    float v = apply(StepKind::Mul, x, multiplier);
    v = apply(StepKind::Add, v, bias);
    for (auto [kind, k] : steps)
      v = apply(kind, v, k);
    return v;
  }

  /// binarize: +1 unless the value is negative (-0 and NaN give +1).
  bool plusOne(int64_t acc) const { return !(value(acc) < 0.0f); }

  /// +1, -1 or 0: how the value moves when the accumulator grows.
  int direction() const {
    int sign = multiplier > 0 ? 1 : (multiplier < 0 ? -1 : 0);
    for (auto [kind, k] : steps) {
      if (kind == StepKind::SubFrom)
        sign = -sign;
      else if (kind == StepKind::Mul)
        sign *= k > 0 ? 1 : (k < 0 ? -1 : 0);
    }
    return sign;
  }
};

/// The threshold and direction of one channel, or failure when the chain is
/// not a single step of the accumulator (a NaN at either end).
FailureOr<std::pair<int64_t, bool>> channelThreshold(const ChannelChain &ch) {
  if (std::isnan(ch.value(kInt32Min)) || std::isnan(ch.value(kInt32Max)))
    return failure();
  // Always -1 is INT32_MAX with direction false: inexact only at
  // acc == INT32_MAX, as the bnn.threshold documentation describes.
  const std::pair<int64_t, bool> alwaysPlus{kInt32Min, false},
      alwaysMinus{kInt32Max, false};
  int dir = ch.direction();
  if (dir == 0) {
    bool lo = ch.plusOne(kInt32Min), hi = ch.plusOne(kInt32Max),
         mid = ch.plusOne(0);
    if (lo != hi || lo != mid)
      return failure();
    return lo ? alwaysPlus : alwaysMinus;
  }
  // `past(acc)`: acc lies beyond the sign change (+1 for an increasing
  // value, -1 for a decreasing one), false ... false true ... true.
  const bool up = dir > 0;
  auto past = [&](int64_t acc) { return ch.plusOne(acc) == up; };
  if (past(kInt32Min))
    return up ? alwaysPlus : alwaysMinus;
  if (!past(kInt32Max))
    return up ? alwaysMinus : alwaysPlus;
  int64_t lo = kInt32Min, hi = kInt32Max; // past(lo) false, past(hi) true
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    (past(mid) ? hi : lo) = mid;
  }
  if (past(lo) || !past(hi) || (lo > kInt32Min && past(lo - 1)) ||
      (hi < kInt32Max && !past(hi + 1)))
    return failure();
  // Increasing: +1 from hi on; decreasing: +1 up to lo.
  return up ? std::pair<int64_t, bool>{hi, false}
            : std::pair<int64_t, bool>{lo, true};
}

/// The finite f32 values of a constant, or failure.
FailureOr<SmallVector<float>> finiteConstant(Value v) {
  DenseFPElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.getElementType().isF32())
    return failure();
  SmallVector<float> values;
  for (const APFloat &f : attr.getValues<APFloat>()) {
    if (!f.isFinite())
      return failure();
    values.push_back(f.convertToFloat());
  }
  return values;
}

/// Per-channel constants of a tosa operand: rank `rank`, every dimension 1
/// except the last, which is 1 or `channels`.
FailureOr<SmallVector<float>> channelConstant(Value v, int64_t rank,
                                              int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() != rank || rank == 0)
    return failure();
  ArrayRef<int64_t> shape = type.getShape();
  for (int64_t d : shape.drop_back())
    if (d != 1)
      return failure();
  if (shape.back() != 1 && shape.back() != channels)
    return failure();
  return finiteConstant(v);
}

/// Matches `op` as a step of the chain whose non-constant operand is the
/// chain value; returns that operand.
FailureOr<Value> matchStep(Operation *op, int64_t channels,
                           SmallVectorImpl<Step> &steps) {
  if (!op || !isa<tosa::MulOp, tosa::AddOp, tosa::SubOp>(op))
    return failure();
  Value result = op->getResult(0);
  auto type = cast<RankedTensorType>(result.getType());
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    DenseIntElementsAttr shift;
    if (!matchPattern(mul.getShift(), m_Constant(&shift)) ||
        llvm::any_of(shift.getValues<APInt>(),
                     [](const APInt &s) { return !s.isZero(); }))
      return failure();
  }
  for (unsigned i = 0; i < 2; ++i) {
    Value chain = op->getOperand(i), other = op->getOperand(1 - i);
    // The chain value keeps its shape: no broadcasting of the activations.
    if (chain.getType() != type)
      continue;
    FailureOr<SmallVector<float>> k =
        channelConstant(other, type.getRank(), channels);
    if (failed(k))
      continue;
    StepKind kind = isa<tosa::MulOp>(op)   ? StepKind::Mul
                    : isa<tosa::AddOp>(op) ? StepKind::Add
                    : i == 0               ? StepKind::Sub
                                           : StepKind::SubFrom;
    steps.push_back(Step{kind, std::move(*k)});
    return chain;
  }
  return failure();
}

/// binarize(chain(acc_to_float(acc, m, b))) -> threshold(acc, t, d).
struct GlueToThreshold : public OpRewritePattern<BinarizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BinarizeOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType.getRank() == 0 || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static channel dim");
    int64_t channels = resultType.getShape().back();

    // Walk up from the binarize operand; every intermediate must have no
    // other use, or the float value is still needed.
    SmallVector<Step> steps; // innermost last
    SmallVector<Operation *> glue;
    Value v = op.getInput();
    AccToFloatOp accToFloat;
    while (true) {
      if (!v.hasOneUse())
        return rewriter.notifyMatchFailure(op, "glue value has other uses");
      Operation *def = v.getDefiningOp();
      if ((accToFloat = dyn_cast_or_null<AccToFloatOp>(def)))
        break;
      FailureOr<Value> next = matchStep(def, channels, steps);
      if (failed(next))
        return rewriter.notifyMatchFailure(
            op, "operand is not acc_to_float or a constant mul/add/sub");
      glue.push_back(def);
      v = *next;
    }
    if (accToFloat.getAcc().getType().getShape() != resultType.getShape())
      return rewriter.notifyMatchFailure(op, "shape changes along the glue");
    FailureOr<SmallVector<float>> m =
        finiteConstant(accToFloat.getMultiplier());
    FailureOr<SmallVector<float>> b = finiteConstant(accToFloat.getBias());
    if (failed(m) || failed(b))
      return rewriter.notifyMatchFailure(
          op, "multiplier or bias is not a finite constant");

    SmallVector<int32_t> thresholds;
    SmallVector<bool> directions;
    for (int64_t c = 0; c < channels; ++c) {
      ChannelChain ch{channelValue(*m, c), channelValue(*b, c), {}};
      for (const Step &s : llvm::reverse(steps))
        ch.steps.push_back({s.kind, channelValue(s.k, c)});
      FailureOr<std::pair<int64_t, bool>> t = channelThreshold(ch);
      if (failed(t))
        return rewriter.notifyMatchFailure(
            op, "the glue is not a step function of the accumulator");
      thresholds.push_back(static_cast<int32_t>(t->first));
      directions.push_back(t->second);
    }

    Location loc = op.getLoc();
    auto tType = RankedTensorType::get({channels}, rewriter.getI32Type());
    auto dType = RankedTensorType::get({channels}, rewriter.getI1Type());
    Value t = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(tType, thresholds));
    Value d = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(dType, directions));
    rewriter.replaceOpWithNewOp<ThresholdOp>(op, resultType,
                                             accToFloat.getAcc(), t, d);
    // The glue is dead now, outermost first.
    for (Operation *g : glue)
      rewriter.eraseOp(g);
    rewriter.eraseOp(accToFloat);
    return success();
  }
};

} // namespace

void bnn::populateFuseGluePatterns(RewritePatternSet &patterns) {
  patterns.add<GlueToThreshold>(patterns.getContext());
}

namespace {
struct BNNFuseGluePass
    : public bnn::impl::BNNFuseGluePassBase<BNNFuseGluePass> {
  void runOnOperation() override {
    if (failed(
            lowering::applyPatterns(getOperation(), populateFuseGluePatterns)))
      signalPassFailure();
  }
};
} // namespace
