//===- VectorizeBitPack.cpp - vector code for fused bit packing -----------===//
//
// Part of bnn-vectorize-packed-conv: a bit-packing generic whose bits are
// computed from non-i1 values (after bnn-fuse-bitpack) becomes, per word,
// 64 lanes (fewer for a partial last word) read along the channels, the
// bit computation lane-wise, and one bitcast of the 64-lane mask to the
// word.
//
//===----------------------------------------------------------------------===//

#include "Lanewise.h"
#include "PackedConv.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::lanewise;

/// A packing generic (see bitPackBit) whose bits are computed from
/// non-i1 values (a fused threshold or binarization): each word becomes 64
/// (or 32) lanes read along the channels, the bit computation lane-wise,
/// and one bitcast of the mask to the word.
LogicalResult packed_conv::vectorizeBitPack(RewriterBase &rewriter,
                                           linalg::GenericOp op,
                                           std::string &why) {
  Value bit = bitPackBit(op);
  if (!bit)
    return failure();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned numLoops = ranges.size(), bitDim = numLoops - 1;
  // A whole word has 64 (32) lanes; a last, partial word fewer.
  int64_t lanes = ranges[bitDim];
  int64_t wordBits = packWordBits(op);
  MLIRContext *ctx = op.getContext();
  AffineExpr bitExpr = getAffineDimExpr(bitDim, ctx);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Block &body = op.getRegion().front();
  // The bit index may only shift the bit into place, and inputs vary along
  // the bits only contiguously (in their last dim); i1 inputs are bytes in
  // memory, which a 64 x i1 vector load would misread.
  unsigned bitIndexUses = 0;
  body.walk([&](linalg::IndexOp index) {
    bitIndexUses += index.getDim() == bitDim;
  });
  // Packing of stored bits (i1 inputs) is not what this vectorizes.
  for (OpOperand *input : op.getDpsInputOperands())
    if (getElementTypeOrSelf(input->get().getType()).isInteger(1))
      return failure();
  if (bitIndexUses != 1) {
    why = "the bit index is used other than to shift the bit into place";
    return failure();
  }
  // Lane-wise cloning handles arith and math ops.
  for (Operation &inner : body.without_terminator())
    if (!isa<linalg::IndexOp>(inner) &&
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect())) {
      why = ("the body holds '" + inner.getName().getStringRef() +
             "', which is not an arith or math operation")
                .str();
      return failure();
    }
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = maps[input->getOperandNumber()];
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!type || !type.getElementType().isSignlessIntOrFloat()) {
      why = "an input is not a tensor of signless integers or floats";
      return failure();
    }
    for (AffineExpr e : map.getResults().drop_back())
      if (e.isFunctionOfDim(bitDim)) {
        why = "an input varies with the bit in a dimension other than its "
              "last";
        return failure();
      }
    // The last index may vary with the bit only as `base + b`.
    if (map.getNumResults() && map.isFunctionOfDim(bitDim)) {
      AffineExpr last = map.getResults().back();
      AffineExpr base =
          last.replace(bitExpr, getAffineConstantExpr(0, ctx));
      if (simplifyAffineExpr(last - base, numLoops, 0) != bitExpr) {
        why = "an input's last index is not its base plus the bit";
        return failure();
      }
    }
  }

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  // Indices of `map` with the parallel dims at `ivs` and the bit at 0.
  auto indicesAt = [&](OpBuilder &b, AffineMap map, ValueRange ivs) {
    SmallVector<OpFoldResult> dims(ivs.begin(), ivs.end());
    dims.push_back(b.getIndexAttr(0));
    return applyMap(b, loc, map, dims);
  };
  std::function<Value(OpBuilder &, unsigned, SmallVector<Value>, Value)>
      build = [&](OpBuilder &b, unsigned dim, SmallVector<Value> ivs,
                  Value out) -> Value {
    if (dim == bitDim) {
      SmallVector<Value> args;
      for (OpOperand *input : op.getDpsInputOperands()) {
        AffineMap map = maps[input->getOperandNumber()];
        SmallVector<Value> idx = indicesAt(b, map, ivs);
        Type element =
            cast<RankedTensorType>(input->get().getType()).getElementType();
        if (map.isFunctionOfDim(bitDim)) {
          Value pad = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
          args.push_back(vector::TransferReadOp::create(
              b, loc, VectorType::get({lanes}, element), input->get(), idx,
              pad,
              ArrayRef<bool>{true}));
        } else {
          args.push_back(tensor::ExtractOp::create(b, loc, input->get(), idx));
        }
      }
      SmallVector<Value> dims(ivs.begin(), ivs.end());
      dims.push_back(Value());
      Value bits = cloneLanewise(b, loc, op, bit, args, dims, lanes);
      if (lanes != wordBits) {
        // The bits of a partial word go to its low lanes, zeros above.
        auto mask = VectorType::get({wordBits}, b.getI1Type());
        Value zeros = arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(mask, false));
        bits = vector::InsertStridedSliceOp::create(
            b, loc, bits, zeros, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{1});
      }
      Value word = vector::ExtractOp::create(
          b, loc,
          vector::BitCastOp::create(
              b, loc, VectorType::get({1}, b.getIntegerType(wordBits)), bits),
          ArrayRef<int64_t>{0});
      SmallVector<Value> outIdx = indicesAt(b, maps.back(), ivs);
      Value old = tensor::ExtractOp::create(b, loc, out, outIdx);
      Value merged = arith::OrIOp::create(b, loc, old, word);
      return tensor::InsertOp::create(b, loc, merged, out, outIdx);
    }
    Value ub = arith::ConstantIndexOp::create(b, loc, ranges[dim]);
    auto loop = scf::ForOp::create(
        b, loc, zero, ub, one, ValueRange{out},
        [&](OpBuilder &nb, Location nl, Value iv, ValueRange iterArgs) {
          SmallVector<Value> inner = ivs;
          inner.push_back(iv);
          scf::YieldOp::create(nb, nl,
                               build(nb, dim + 1, inner, iterArgs[0]));
        });
    return loop.getResult(0);
  };
  Value result = build(rewriter, 0, {}, op.getDpsInits()[0]);
  rewriter.replaceOp(op, result);
  return success();
}
