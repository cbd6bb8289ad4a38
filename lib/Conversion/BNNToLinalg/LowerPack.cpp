//===- LowerPack.cpp - bnn-lower-pack pass --------------------------------===//
//
// bnn.pack of a non-constant tensor becomes an OR-reduction of shifted bits
// over the channels of each word (a last, partial word by a generic of its
// own); bnn.bitplane becomes a shift and a truncation. (Constant operands
// have been folded by then.)
//
//===----------------------------------------------------------------------===//

#include "bnn/Conversion/Passes.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "bnn-lower-pack"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNLOWERPACKPASS
#include "bnn/Conversion/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::lowering;

namespace {
struct PackToLinalg : public OpRewritePattern<PackOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PackOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inType = op.getInput().getType();
    ArrayRef<int64_t> outShape = op.getResult().getType().getShape();
    int64_t channels = inType.getShape().back();

    // Words [0, full) hold B channels each; a last word of `tail` < B
    // channels (the rest zero bits) is packed by a generic of its own over
    // those channels. Both read the channels in place, without padding,
    // so that both can absorb the producer of the bits.
    int64_t bits = op.getWordBits();
    int64_t full = channels / bits, tail = channels % bits;
    Value packed = createFilled(
        rewriter, loc, outShape,
        rewriter.getIntegerAttr(rewriter.getIntegerType(bits), 0));
    if (full)
      packed = packWords(rewriter, loc, op.getInput(), packed, 0, full, bits);
    if (tail)
      packed = packWords(rewriter, loc, op.getInput(), packed, full, 1, tail);
    rewriter.replaceOp(op, packed);
    return success();
  }

  /// Packs words [first, first + count) of `into` from channels
  /// B w + b, b < `bits`, of `input` (B: the word width); returns the
  /// updated `into`.
  static Value packWords(PatternRewriter &rewriter, Location loc, Value input,
                         Value into, int64_t first, int64_t count,
                         int64_t bits) {
    auto intoType = cast<RankedTensorType>(into.getType());
    int64_t rank = intoType.getRank();
    Type word = intoType.getElementType();
    int64_t wordBits = word.getIntOrFloatBitWidth();
    // Dims (..., w | b): bit b of word w is channel B (first + w) + b,
    // read in place (no reshape), so that the packing can be tiled
    // together with the producer of the bits.
    MLIRContext *ctx = rewriter.getContext();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank + 1, ctx);
    SmallVector<AffineExpr> bitsIndex(id.getResults().drop_back(2));
    bitsIndex.push_back(getAffineDimExpr(rank - 1, ctx) * wordBits +
                        getAffineDimExpr(rank, ctx) + wordBits * first);
    AffineMap bitsMap = AffineMap::get(rank + 1, 0, bitsIndex, ctx);
    // A `bits`-element operand indexed by b alone, unused by the body:
    // linalg derives loop ranges by inverting the operand maps, and
    // B w + b alone does not determine b.
    auto bitRange = RankedTensorType::get({bits}, rewriter.getI8Type());
    Value bitRangeValue = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(bitRange, rewriter.getI8IntegerAttr(0)));
    AffineMap bitMap =
        AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx), ctx);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    offsets.back() = rewriter.getIndexAttr(first);
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(ctx, intoType.getShape());
    sizes.back() = rewriter.getIndexAttr(count);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    bool whole = count == intoType.getShape().back();
    Value init = whole ? into
                       : tensor::ExtractSliceOp::create(rewriter, loc, into,
                                                        offsets, sizes, strides)
                             .getResult();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{input, bitRangeValue},
        ValueRange{init},
        ArrayRef<AffineMap>{bitsMap, bitMap, id.dropResult(rank)},
        iterators(rank, 1), "", "",
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value bit = arith::ExtUIOp::create(b, l, word, args[0]);
          Value j = arith::IndexCastOp::create(
              b, l, word, linalg::IndexOp::create(b, l, rank));
          Value shifted = arith::ShLIOp::create(b, l, bit, j);
          Value word = arith::OrIOp::create(b, l, args.back(), shifted);
          linalg::YieldOp::create(b, l, ValueRange{word});
        });
    if (whole)
      return generic.getResult(0);
    return tensor::InsertSliceOp::create(rewriter, loc, generic.getResult(0),
                                         into, offsets, sizes, strides);
  }
};

struct BitplaneToLinalg : public OpRewritePattern<BitplaneOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BitplaneOp op,
                                PatternRewriter &rewriter) const override {
    int64_t bit = op.getBit();
    rewriter.replaceOp(
        op, elementwise(
                rewriter, op.getLoc(), op.getResult().getType(), op.getInput(),
                {}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value v = toSignless(b, l, a[0]);
                  Value shifted = arith::ShRUIOp::create(
                      b, l, v, intConstant(b, l, v.getType(), bit));
                  return arith::TruncIOp::create(b, l, b.getI1Type(), shifted);
                }));
    return success();
  }
};
} // namespace

void bnn::populateLowerPackPatterns(RewritePatternSet &patterns) {
  patterns.add<PackToLinalg, BitplaneToLinalg>(patterns.getContext());
}

namespace {
struct BNNLowerPackPass
    : public bnn::impl::BNNLowerPackPassBase<BNNLowerPackPass> {
  void runOnOperation() override {
    if (failed(
            lowering::applyPatterns(getOperation(), populateLowerPackPatterns)))
      signalPassFailure();
  }
};
} // namespace
