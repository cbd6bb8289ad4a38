//===- LowerToLinalg.cpp - bnn-lower-to-linalg pass -----------------------===//
//
// The operators that need no bit packing, as linalg.generic with the exact
// arithmetic of the reference interpreter (lib/Reference/Kernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "bnn/Conversion/Passes.h"

#include "DenseAsConv2D.h"
#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "bnn-lower-to-linalg"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNLOWERTOLINALGPASS
#include "bnn/Conversion/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::lowering;

namespace {

struct BinarizeToLinalg : public OpRewritePattern<BinarizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BinarizeOp op,
                                PatternRewriter &rewriter) const override {
    // Bit 1 (-1) iff x < 0: ordered less-than is false for NaN and -0.0.
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), op.getInput(), {},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value zero = arith::ConstantOp::create(
                              b, l, b.getF32FloatAttr(0.0f));
                          return arith::CmpFOp::create(
                              b, l, arith::CmpFPredicate::OLT, a[0], zero);
                        }));
    return success();
  }
};

struct UnbinarizeToLinalg : public OpRewritePattern<UnbinarizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(UnbinarizeOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(
                rewriter, op.getLoc(), op.getType(), op.getInput(), {},
                [](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value minus =
                      arith::ConstantOp::create(b, l, b.getF32FloatAttr(-1.0f));
                  Value plus =
                      arith::ConstantOp::create(b, l, b.getF32FloatAttr(1.0f));
                  return arith::SelectOp::create(b, l, a[0], minus, plus);
                }));
    return success();
  }
};

struct AccToFloatToLinalg : public OpRewritePattern<AccToFloatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AccToFloatOp op,
                                PatternRewriter &rewriter) const override {
    // Separate multiply and add: LLVM does not contract them without
    // fast-math flags, matching the reference's two roundings.
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), op.getAcc(),
                        {op.getMultiplier(), op.getBias()},
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value f = arith::SIToFPOp::create(
                              b, l, b.getF32Type(), a[0]);
                          Value m = arith::MulFOp::create(b, l, f, a[1]);
                          return arith::AddFOp::create(b, l, m, a[2]);
                        }));
    return success();
  }
};

/// The directions of a threshold as i32 masks m = d ? -1 : 0 per channel,
/// for the test (acc ^ m) >= (t ^ m): ~x = -x - 1 reverses the order
/// without overflow, so one comparison serves both directions and the
/// per-element work reads no i1 tensor (which bnn-fuse-bitpack needs: i1
/// tensors are bytes in memory, not vector lanes).
Value directionMasks(OpBuilder &builder, Location loc, Value directions) {
  auto type = cast<RankedTensorType>(directions.getType());
  return elementwise(
      builder, loc,
      RankedTensorType::get(type.getShape(), builder.getI32Type()), directions,
      {}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Type i32 = b.getI32Type();
        return arith::SelectOp::create(b, l, a[0], intConstant(b, l, i32, -1),
                                       intConstant(b, l, i32, 0));
      });
}

struct ThresholdToLinalg : public OpRewritePattern<ThresholdOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ThresholdOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // Constant thresholds and directions: the masks and the masked
    // thresholds t ^ m are constants too, one xor less per element.
    DenseIntElementsAttr tAttr, dAttr;
    bool folded =
        matchPattern(op.getThresholds(), m_Constant(&tAttr)) &&
        matchPattern(op.getDirections(), m_Constant(&dAttr));
    Value thresholds = op.getThresholds(), masks;
    if (folded) {
      int64_t nd = dAttr.getNumElements();
      int64_t n = std::max<int64_t>(tAttr.getNumElements(), nd);
      SmallVector<APInt> t = perChannelValues(tAttr, n),
                         d = perChannelValues(dAttr, n);
      SmallVector<int32_t> masked, maskValues;
      for (int64_t c = 0; c < n; ++c) {
        int32_t m = d[c].isZero() ? 0 : -1;
        masked.push_back(static_cast<int32_t>(t[c].getSExtValue()) ^ m);
        if (c < nd)
          maskValues.push_back(m);
      }
      Type i32 = rewriter.getI32Type();
      thresholds = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({n}, i32),
                                 ArrayRef(masked)));
      masks = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get(
                  {static_cast<int64_t>(maskValues.size())}, i32),
              ArrayRef(maskValues)));
    } else {
      masks = directionMasks(rewriter, loc, op.getDirections());
    }
    rewriter.replaceOp(
        op, elementwise(
                rewriter, loc, op.getType(), op.getAcc(), {thresholds, masks},
                [folded](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value acc = arith::XOrIOp::create(b, l, a[0], a[2]);
                  Value t = folded
                                ? a[1]
                                : arith::XOrIOp::create(b, l, a[1], a[2])
                                      .getResult();
                  Value plusOne = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::sge, acc, t);
                  Value one =
                      arith::ConstantOp::create(b, l, b.getBoolAttr(true));
                  return arith::XOrIOp::create(b, l, plusOne,
                                               one); // bit 1 = -1
                }));
    return success();
  }
};

/// The [C or 1, T] thresholds of a multi-threshold transposed to [T, C'] and
/// xor-ed with the direction masks ([C or 1], see directionMasks): row j,
/// t[c, j] ^ m[c], is the per-channel operand of threshold j, contiguous.
/// C' is C unless both have a single row.
Value maskedThresholdRows(OpBuilder &b, Location loc, Value table,
                          Value masks) {
  MLIRContext *ctx = b.getContext();
  auto tableType = cast<RankedTensorType>(table.getType());
  int64_t rows = tableType.getDimSize(0), columns = tableType.getDimSize(1);
  int64_t maskRows = cast<RankedTensorType>(masks.getType()).getDimSize(0);
  int64_t channels = std::max(rows, maskRows);
  AffineExpr j = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx);
  AffineExpr zero = getAffineConstantExpr(0, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(2, 0, {rows == 1 ? zero : c, j}, ctx),
      AffineMap::get(2, 0, maskRows == 1 ? zero : c),
      AffineMap::get(2, 0, {j, c}, ctx)};
  Value init = tensor::EmptyOp::create(b, loc, {columns, channels},
                                       tableType.getElementType());
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{table, masks}, ValueRange{init},
             maps, iterators(2, 0), "", "",
             [](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(
                   nb, l, ValueRange{arith::XOrIOp::create(nb, l, a[0], a[1])});
             })
      .getResult(0);
}

struct MultiThresholdToLinalg : public OpRewritePattern<MultiThresholdOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MultiThresholdOp op,
                                PatternRewriter &rewriter) const override {
    // One elementwise generic that compares the accumulator with every
    // threshold and adds up the comparisons, with the test of
    // bnn.threshold, (acc ^ m) >= (t ^ m), and t ^ m computed beforehand
    // for the whole table: each threshold column is a per-channel operand
    // of its own, so that bnn-fuse-bitpack can fuse the whole count (3
    // operations per threshold: up to 15 thresholds within its default
    // bound) into the packing of the bit planes of a bit-serial consumer,
    // as it does for bnn.threshold and bnn.quantize. The count is at most
    // T <= 2^k - 1, exact in ik.
    Location loc = op.getLoc();
    int64_t columns = op.getThresholds().getType().getDimSize(1);
    Value masks = directionMasks(rewriter, loc, op.getDirections());
    Value table = maskedThresholdRows(rewriter, loc, op.getThresholds(), masks);
    auto tableType = cast<RankedTensorType>(table.getType());
    int64_t channels = tableType.getDimSize(1);
    SmallVector<Value> channelArgs;
    for (int64_t j = 0; j < columns; ++j)
      channelArgs.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc,
          RankedTensorType::get({channels}, tableType.getElementType()), table,
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(j),
                                 rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                 rewriter.getIndexAttr(channels)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                 rewriter.getIndexAttr(1)}));
    channelArgs.push_back(masks);
    Type resultElement = op.getType().getElementType();
    rewriter.replaceOp(
        op, elementwise(
                rewriter, loc, op.getType(), op.getAcc(), channelArgs,
                [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Type count =
                      b.getIntegerType(resultElement.getIntOrFloatBitWidth());
                  Value acc = arith::XOrIOp::create(b, l, a[0], a.back());
                  Value sum;
                  for (Value t : a.slice(1, columns)) {
                    Value holds = arith::CmpIOp::create(
                        b, l, arith::CmpIPredicate::sge, acc, t);
                    if (!count.isInteger(1))
                      holds = arith::ExtUIOp::create(b, l, count, holds);
                    sum = sum ? arith::AddIOp::create(b, l, sum, holds) : holds;
                  }
                  return fromSignless(b, l, sum, resultElement);
                }));
    return success();
  }
};

struct RequantizeToLinalg : public OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    int64_t zp = op.getOutputZeroPoint(), lo = op.getClampMin(),
            hi = op.getClampMax();
    rewriter.replaceOp(
        op,
        elementwise(
            rewriter, op.getLoc(), op.getType(), op.getAcc(), {op.getScale()},
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              auto f32 = [&](double v) {
                return arith::ConstantOp::create(
                    b, l, b.getF32FloatAttr(static_cast<float>(v)));
              };
              Value f = arith::SIToFPOp::create(b, l, b.getF32Type(), a[0]);
              Value p = arith::MulFOp::create(b, l, f, a[1]);
              Value r = math::RoundEvenOp::create(b, l, p);
              // Integer-valued and clamped to [-128, 127], so the float
              // addition and the conversion below are exact (values
              // beyond 2^24 clamp either way).
              Value shifted = arith::AddFOp::create(b, l, r, f32(zp));
              Value clamped = arith::MaximumFOp::create(
                  b, l, arith::MinimumFOp::create(b, l, shifted, f32(hi)),
                  f32(lo));
              Value q = arith::FPToSIOp::create(b, l, b.getI8Type(), clamped);
              Value isNan =
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, p, p);
              Value nanValue = intConstant(b, l, b.getI8Type(),
                                           std::min(std::max(zp, lo), hi));
              return arith::SelectOp::create(b, l, isNan, nanValue, q);
            }));
    return success();
  }
};

struct QuantizeToLinalg : public OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    int64_t zp = op.getZeroPoint(), lo = op.getClampMinOrDefault(),
            hi = op.getClampMaxOrDefault();
    Type resultElement = op.getType().getElementType();
    unsigned width = resultElement.getIntOrFloatBitWidth();
    rewriter.replaceOp(
        op,
        elementwise(
            rewriter, op.getLoc(), op.getType(), op.getInput(), {op.getScale()},
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              auto f32 = [&](int64_t v) {
                return arith::ConstantOp::create(
                    b, l, b.getF32FloatAttr(static_cast<float>(v)));
              };
              Type i32 = b.getI32Type();
              Value p = arith::MulFOp::create(b, l, a[0], a[1]);
              Value r = math::RoundEvenOp::create(b, l, p);
              // For an integer r, clamp(zp + r, lo, hi) = zp +
              // clamp(r, lo - zp, hi - zp): clamping first, in f32 (the
              // bounds are small integers, exact), keeps the conversion
              // defined for every r, infinities included, and the integer
              // addition exact.
              Value clamped = arith::MaximumFOp::create(
                  b, l, arith::MinimumFOp::create(b, l, r, f32(hi - zp)),
                  f32(lo - zp));
              Value shifted = arith::AddIOp::create(
                  b, l, arith::FPToSIOp::create(b, l, i32, clamped),
                  intConstant(b, l, i32, zp));
              Type narrow = b.getIntegerType(width);
              Value q = arith::TruncIOp::create(b, l, narrow, shifted);
              // NaN propagates through the clamp; its conversion is poison,
              // which the select discards.
              Value isNan =
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, p, p);
              Value nanValue =
                  intConstant(b, l, narrow, std::min(std::max(zp, lo), hi));
              return fromSignless(
                  b, l, arith::SelectOp::create(b, l, isNan, nanValue, q),
                  resultElement);
            }));
    return success();
  }
};

struct Int8Conv2DToLinalg : public OpRewritePattern<Int8Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Int8Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Conv2DGeometry g = op.getGeometry();
    ArrayRef<int64_t> r = op.getResult().getType().getShape();
    int64_t o = op.getFilter().getType().getDimSize(0), groups = g.groups;
    int64_t og = o / groups;
    int64_t izp = op.getInputZeroPoint();

    // Padding holds the input zero point, i.e. real zero.
    Value input = padSpatial(rewriter, loc,
                             splitDim(rewriter, loc, op.getInput(), 3, groups),
                             1, g, rewriter.getI8IntegerAttr(izp));
    Value filter = splitDim(rewriter, loc, op.getFilter(), 0, groups);
    SmallVector<int32_t> zps = weightZeroPoints(op.getWeightZeroPoint(), o);
    Value weightZps = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({groups, og}, rewriter.getI32Type()),
            ArrayRef<int32_t>(zps)));

    // Dimensions: n oy ox g o | ky kx c
    enum { N, OY, OX, G, O, KY, KX, C, NumDims };
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps = {
        AffineMap::get(NumDims, 0,
                       {d(N), d(OY) * g.strideH + d(KY) * g.dilationH,
                        d(OX) * g.strideW + d(KX) * g.dilationW, d(G), d(C)},
                       ctx),
        AffineMap::get(NumDims, 0, {d(G), d(O), d(KY), d(KX), d(C)}, ctx),
        AffineMap::get(NumDims, 0, {d(G), d(O)}, ctx),
        AffineMap::get(NumDims, 0, {d(N), d(OY), d(OX), d(G), d(O)}, ctx)};
    Value init = createFilled(rewriter, loc, {r[0], r[1], r[2], groups, og},
                              rewriter.getI32IntegerAttr(0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{input, filter, weightZps},
        ValueRange{init}, maps, iterators(5, 3), "", "",
        [&](OpBuilder &b, Location l, ValueRange a) {
          Type i32 = b.getI32Type();
          // Exact in i32 modulo 2^32, like the reference's wrapped sum.
          Value x = arith::SubIOp::create(
              b, l, arith::ExtSIOp::create(b, l, i32, a[0]),
              intConstant(b, l, i32, izp));
          Value w = arith::SubIOp::create(
              b, l, arith::ExtSIOp::create(b, l, i32, a[1]), a[2]);
          Value prod = arith::MulIOp::create(b, l, x, w);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddIOp::create(b, l, a[3], prod)});
        });
    rewriter.replaceOp(op, mergeDims(rewriter, loc, generic.getResult(0), 3));
    return success();
  }
};

struct BinaryMaxPool2DToLinalg : public OpRewritePattern<BinaryMaxPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BinaryMaxPool2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Conv2DGeometry g = op.getGeometry();
    int64_t kh = op.getKernel()[0], kw = op.getKernel()[1];
    // The max of +1/-1 values is the AND of the stored bits; padding holds
    // the AND identity (1, i.e. -1) and so never wins.
    Value input = padSpatial(rewriter, loc, op.getInput(), 1, g,
                             rewriter.getBoolAttr(true));
    Value window =
        tensor::EmptyOp::create(rewriter, loc, {kh, kw}, rewriter.getI1Type());
    enum { N, OY, OX, C, KY, KX, NumDims };
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps = {
        AffineMap::get(
            NumDims, 0,
            {d(N), d(OY) * g.strideH + d(KY), d(OX) * g.strideW + d(KX), d(C)},
            ctx),
        AffineMap::get(NumDims, 0, {d(KY), d(KX)}, ctx),
        AffineMap::get(NumDims, 0, {d(N), d(OY), d(OX), d(C)}, ctx)};
    Value init =
        createFilled(rewriter, loc, op.getResult().getType().getShape(),
                     rewriter.getBoolAttr(true));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{input, window},
        ValueRange{init}, maps, iterators(4, 2), "", "",
        [&](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AndIOp::create(b, l, a[2], a[0])});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void bnn::populateLowerToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<AccToFloatToLinalg, BinarizeToLinalg, BinaryMaxPool2DToLinalg,
               Int8Conv2DToLinalg, MultiThresholdToLinalg, QuantizeToLinalg,
               RequantizeToLinalg, ThresholdToLinalg, UnbinarizeToLinalg>(
      patterns.getContext());
  populateDenseAsConv2DPatterns(patterns);
}

namespace {
struct BNNLowerToLinalgPass
    : public bnn::impl::BNNLowerToLinalgPassBase<BNNLowerToLinalgPass> {
  void runOnOperation() override {
    // The products and bnn.pack have lowerings of their own that must run
    // first; naming them is more use than "failed to legalize".
    WalkResult order = getOperation()->walk([](Operation *op) {
      if (!isa<BinaryConv2DOp, BinaryDenseOp, BitserialConv2DOp,
               BitserialDenseOp, PackOp>(op))
        return WalkResult::advance();
      op->emitError() << "'" << op->getName()
                      << "' is lowered by bnn-bitpack and bnn-lower-pack, "
                         "which must run before bnn-lower-to-linalg";
      return WalkResult::interrupt();
    });
    if (order.wasInterrupted())
      return signalPassFailure();

    // A dialect conversion: a bnn operator that survives is an error at its
    // location, not a silently unlowered model.
    ConversionTarget target(getContext());
    target.addIllegalDialect<BNNDialect>();
    // The code generator's own operator, made by bnn-bitpack.
    target.addLegalOp<PackedConvOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateLowerToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    // The conversion leaves the bodies' constants where the patterns built
    // them; folding hoists them out of the linalg bodies as the passes after
    // this one (fusion limits, vectorizers) expect.
    (void)applyPatternsGreedily(getOperation(), FrozenRewritePatternSet());
  }
};
} // namespace
