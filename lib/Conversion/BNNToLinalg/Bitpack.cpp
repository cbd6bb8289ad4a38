//===- Bitpack.cpp - bnn-bitpack pass -------------------------------------===//
//
// Binary and bit-serial convolutions become popcount reductions over packed
// words. Everything is expressed as one generic "packed convolution":
//
//   input planes  A[p, n, y, x, g, w]   (p: activation bit plane)
//   weight planes W[q, g, ky, kx, w, o] (q: weight bit plane; output
//                                         channels innermost, so one vector
//                                         load reads a word of consecutive
//                                         output channels)
//   P[n, oy, ox, g, o] = sum over p, q, ky, kx, w of term(A, W, p, q)
//
// with term = popcount(a xor w)                      binary x binary
//           = (popcount(a) - 2 popcount(a and w)) << p   k-bit x binary
//           = popcount(a and w) << (p + q)           k-bit x m-bit
//
// Binary results are then K - 2 P (+ a correction for padding values other
// than +1); bit-serial results are P itself. Dense layers are 1x1
// convolutions of a 1x1 image.
//
//===----------------------------------------------------------------------===//

#include "bnn/Conversion/Passes.h"

#include "DenseAsConv2D.h"
#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/IR/PackedConv.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

#define DEBUG_TYPE "bnn-bitpack"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNBITPACKPASS
#include "bnn/Conversion/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::lowering;

namespace {

ArrayRef<int64_t> shapeOf(Value t) {
  return cast<RankedTensorType>(t.getType()).getShape();
}

/// Packs the bit planes of an NHWC activation or OHWI filter tensor after
/// splitting its group dimension: returns [P, d0, d1, d2, G, words] for
/// activations (groupDim = 3, split of the channels) and
/// [P, G, O/G, KH, KW, words] for filters (groupDim = 0); words of
/// `wordBits`.
Value packPlanes(OpBuilder &b, Location loc, Value t, int64_t groups,
                 bool isFilter, unsigned wordBits) {
  auto type = cast<RankedTensorType>(t.getType());
  auto elementType = cast<IntegerType>(type.getElementType());
  // One group of activations: pack the tensor as it is and add the group
  // dim to the words, so that the packing reads its producer's result
  // directly (bnn-tile-packed-conv can then fuse the producing convolution
  // into it).
  bool packThenGroup = !isFilter && groups == 1;
  Value grouped = packThenGroup ? t
                  : isFilter    ? splitDim(b, loc, t, 0, groups)
                                : splitDim(b, loc, t, 3, groups);
  auto packed = [&](Value bits) {
    Value words = pack(b, loc, bits, wordBits);
    return packThenGroup ? splitDim(b, loc, words, 3, 1) : words;
  };
  if (elementType.isSignless()) // i1: binary values, one plane
    return addLeadingUnitDim(b, loc, packed(grouped));
  SmallVector<Value> planes;
  auto bitsType = RankedTensorType::get(shapeOf(grouped), b.getI1Type());
  for (unsigned bit = 0; bit < elementType.getWidth(); ++bit) {
    Value plane =
        BitplaneOp::create(b, loc, bitsType, grouped, b.getI64IntegerAttr(bit));
    planes.push_back(packed(plane));
  }
  return stack(b, loc, planes);
}

/// [Q, G, O, KY, KX, W] -> [Q, G, KY, KX, W, O]. Constant filters fold
/// (FoldConstantTranspose), so constant weights keep being packed at
/// compile time.
Value outputChannelsLast(OpBuilder &b, Location loc, Value filter) {
  ArrayRef<int64_t> s = shapeOf(filter);
  SmallVector<int64_t> perm = {0, 1, 3, 4, 5, 2};
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(s[p]);
  Value init = tensor::EmptyOp::create(
      b, loc, shape, cast<ShapedType>(filter.getType()).getElementType());
  return linalg::TransposeOp::create(b, loc, filter, init, perm)->getResult(0);
}

/// linalg.transpose of an integer constant -> the transposed constant.
struct FoldConstantTranspose : public OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    DenseIntElementsAttr input;
    if (!op.hasPureTensorSemantics() ||
        !matchPattern(op.getInput(), m_Constant(&input)))
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    DenseElementsAttr folded;
    if (input.isSplat()) {
      folded = input.resizeSplat(resultType);
    } else {
      ArrayRef<int64_t> inShape = input.getType().getShape();
      ArrayRef<int64_t> perm = op.getPermutation();
      SmallVector<int64_t> inStrides(inShape.size(), 1);
      for (int64_t i = static_cast<int64_t>(inShape.size()) - 2; i >= 0; --i)
        inStrides[i] = inStrides[i + 1] * inShape[i + 1];
      SmallVector<APInt> in(input.getValues<APInt>());
      SmallVector<APInt> out;
      out.reserve(in.size());
      ArrayRef<int64_t> outShape = resultType.getShape();
      SmallVector<int64_t> index(outShape.size(), 0);
      for (size_t n = 0; n < in.size(); ++n) {
        int64_t offset = 0;
        for (size_t d = 0; d < index.size(); ++d)
          offset += index[d] * inStrides[perm[d]];
        out.push_back(in[offset]);
        for (int64_t d = static_cast<int64_t>(index.size()) - 1; d >= 0; --d) {
          if (++index[d] < outShape[d])
            break;
          index[d] = 0;
        }
      }
      folded = DenseElementsAttr::get(resultType, out);
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, resultType, folded);
    return success();
  }
};

/// The popcount reduction P[n, oy, ox, g, o] (i32) of packed planes.
Value packedConv(OpBuilder &b, Location loc, Value input, Value filter,
                 const Conv2DGeometry &g, ArrayRef<int64_t> outShape,
                 PackedTerm kind) {
  // One group: the result is the convolution's own [N, OY, OX, O] (no
  // reshape after it, so the buffer it is computed in can be the caller's).
  Value init = createFilled(b, loc, outShape, b.getI32IntegerAttr(0));
  return PackedConvOp::create(
             b, loc, TypeRange{init.getType()}, input, filter, init,
             PackedTermAttr::get(b.getContext(), kind),
             b.getDenseI64ArrayAttr({g.strideH, g.strideW}),
             b.getDenseI64ArrayAttr({g.dilationH, g.dilationW}),
             /*register_block=*/RegisterBlockAttr())
      .getResult()[0];
}

/// For zero and -1 padding of a binary convolution: C[oy, ox, g, o], the
/// sum over the out-of-bounds taps of (Cg - 2 popcount(w)), i.e. what those
/// taps contributed when they were padded with +1 (zero words). `filterBits`
/// is the unpacked filter.
Value paddingCorrection(OpBuilder &b, Location loc, Value packedFilter,
                        Value filterBits, const Conv2DGeometry &g, int64_t h,
                        int64_t w, int64_t cg, ArrayRef<int64_t> outShape) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> fs = shapeOf(packedFilter); // [1, G, KY, KX, W, O]
  int64_t groups = fs[1], kh = fs[2], kw = fs[3], og = fs[5];
  int64_t oh = outShape[1], ow = outShape[2];
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };

  // T[g, o, ky, kx] = popcount of the tap's weight words. For a splat
  // filter that is a splat too (Cg or 0): the packed splat is then never
  // read, and never stored in the artifact.
  enum { TG, TO, TKY, TKX, TW, TNum };
  Value tapCounts;
  DenseIntElementsAttr bits;
  if (matchPattern(filterBits, m_Constant(&bits)) && bits.isSplat()) {
    auto tType = RankedTensorType::get({groups, og, kh, kw}, b.getI32Type());
    tapCounts = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            tType, APInt(32, bits.getSplatValue<bool>() ? cg : 0)));
  } else {
    Value tInit =
        createFilled(b, loc, {groups, og, kh, kw}, b.getI32IntegerAttr(0));
    tapCounts =
        linalg::GenericOp::create(
            b, loc, tInit.getType(), ValueRange{packedFilter},
            ValueRange{tInit},
            ArrayRef<AffineMap>{
                AffineMap::get(TNum, 0,
                               {getAffineConstantExpr(0, ctx), d(TG), d(TKY),
                                d(TKX), d(TW), d(TO)},
                               ctx),
                AffineMap::get(TNum, 0, {d(TG), d(TO), d(TKY), d(TKX)}, ctx)},
            iterators(4, 1), "", "",
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value count = math::CtPopOp::create(nb, nl, args[0]);
              if (!count.getType().isInteger(32))
                count = arith::TruncIOp::create(nb, nl, nb.getI32Type(), count);
              linalg::YieldOp::create(
                  nb, nl,
                  ValueRange{arith::AddIOp::create(nb, nl, args[1], count)});
            })
            .getResult(0);
  }

  // M[oy, ox, ky, kx] = 1 where the tap reads outside the image.
  SmallVector<int32_t> mask;
  mask.reserve(oh * ow * kh * kw);
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x)
      for (int64_t ky = 0; ky < kh; ++ky)
        for (int64_t kx = 0; kx < kw; ++kx) {
          int64_t iy = y * g.strideH + ky * g.dilationH - g.padTop;
          int64_t ix = x * g.strideW + kx * g.dilationW - g.padLeft;
          mask.push_back(iy < 0 || iy >= h || ix < 0 || ix >= w);
        }
  auto maskType = RankedTensorType::get({oh, ow, kh, kw}, b.getI32Type());
  Value maskValue = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(maskType, ArrayRef<int32_t>(mask)));

  enum { CY, CX, CG, CO, CKY, CKX, CNum };
  Value cInit =
      createFilled(b, loc, {oh, ow, groups, og}, b.getI32IntegerAttr(0));
  auto cGeneric = linalg::GenericOp::create(
      b, loc, cInit.getType(), ValueRange{maskValue, tapCounts},
      ValueRange{cInit},
      ArrayRef<AffineMap>{
          AffineMap::get(CNum, 0, {d(CY), d(CX), d(CKY), d(CKX)}, ctx),
          AffineMap::get(CNum, 0, {d(CG), d(CO), d(CKY), d(CKX)}, ctx),
          AffineMap::get(CNum, 0, {d(CY), d(CX), d(CG), d(CO)}, ctx)},
      iterators(4, 2), "", "",
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Type i32 = nb.getI32Type();
        Value twice =
            arith::ShLIOp::create(nb, nl, args[1], intConstant(nb, nl, i32, 1));
        Value tapSum =
            arith::SubIOp::create(nb, nl, intConstant(nb, nl, i32, cg), twice);
        Value masked = arith::MulIOp::create(nb, nl, args[0], tapSum);
        linalg::YieldOp::create(
            nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[2], masked)});
      });
  return cGeneric.getResult(0);
}

/// result[n, oy, ox, g, o] = K - 2 P (+ (pad - 1) * C[oy, ox, g, o]), in
/// the shape of P ([N, OY, OX, O] for one group).
Value binaryEpilogue(OpBuilder &b, Location loc, Value popcounts,
                     Value correction, int64_t k, int64_t padValue) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = shapeOf(popcounts).size();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> inputs = {popcounts};
  SmallVector<AffineMap> maps = {id};
  if (correction) {
    inputs.push_back(correction);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    maps.push_back(rank == 5 ? id.dropResult(0)
                             : AffineMap::get(4, 0,
                                              {d(1), d(2),
                                               getAffineConstantExpr(0, ctx),
                                               d(3)},
                                              ctx));
  }
  maps.push_back(id);
  Value init =
      tensor::EmptyOp::create(b, loc, shapeOf(popcounts), b.getI32Type());
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps,
      iterators(rank, 0),
      "", "", [&](OpBuilder &nb, Location nl, ValueRange args) {
        Type i32 = nb.getI32Type();
        Value twice =
            arith::ShLIOp::create(nb, nl, args[0], intConstant(nb, nl, i32, 1));
        Value v =
            arith::SubIOp::create(nb, nl, intConstant(nb, nl, i32, k), twice);
        if (correction) {
          Value scaled = arith::MulIOp::create(
              nb, nl, args[1], intConstant(nb, nl, i32, padValue - 1));
          v = arith::AddIOp::create(nb, nl, v, scaled);
        }
        linalg::YieldOp::create(nb, nl, ValueRange{v});
      });
  return generic.getResult(0);
}

int64_t padValueOf(PadValue p) {
  switch (p) {
  case PadValue::Zero:
    return 0;
  case PadValue::PlusOne:
    return 1;
  case PadValue::MinusOne:
    return -1;
  }
  return 0;
}

/// Shared shape bookkeeping of the conv patterns.
struct ConvShapes {
  int64_t n, h, w, c, o, kh, kw, oh, ow, groups;
  SmallVector<int64_t> groupedOut; // [N, OH, OW, G, O/G]

  /// The packed convolution's result shape: [N, OH, OW, O] for one group.
  SmallVector<int64_t> packedOut() const {
    if (groups == 1)
      return {groupedOut[0], oh, ow, o};
    return groupedOut;
  }

  template <typename ConvOp> static ConvShapes of(ConvOp op) {
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> f = op.getFilter().getType().getShape();
    ArrayRef<int64_t> r = op.getResult().getType().getShape();
    int64_t groups = op.getGeometry().groups;
    return {in[0],
            in[1],
            in[2],
            in[3],
            f[0],
            f[1],
            f[2],
            r[1],
            r[2],
            groups,
            {r[0], r[1], r[2], groups, f[0] / groups}};
  }
};

/// The packed planes of a convolution's input (padded spatially with zero
/// words) and filter, in words of `wordBits`.
template <typename ConvOp>
std::pair<Value, Value> packOperands(OpBuilder &b, Location loc, ConvOp op,
                                     const Conv2DGeometry &g,
                                     unsigned wordBits = 64) {
  Value input = padSpatial(b, loc,
                           packPlanes(b, loc, op.getInput(), g.groups,
                                      /*isFilter=*/false, wordBits),
                           2, g, b.getIntegerAttr(b.getIntegerType(wordBits), 0));
  Value filter = outputChannelsLast(
      b, loc,
      packPlanes(b, loc, op.getFilter(), g.groups, /*isFilter=*/true,
                 wordBits));
  return {input, filter};
}

/// A depthwise binary convolution (one input channel per group) is not
/// packed: a word would hold one channel's bit and waste the other 63.
/// It becomes a sum of +-1 products over the taps, with the channels
/// innermost: the input as i8 (+1, -1, and the pad value, 0 included, in
/// the padding), the filter's bit negating it. Dims (n, oy, ox | ky, kx |
/// o): the loops over channels are contiguous in memory and vectorize.
struct DepthwiseBinaryConv2DToLinalg
    : public OpRewritePattern<BinaryConv2DOp> {
  DepthwiseBinaryConv2DToLinalg(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(BinaryConv2DOp op,
                                PatternRewriter &rewriter) const override {
    Conv2DGeometry g = op.getGeometry();
    ConvShapes s = ConvShapes::of(op);
    if (s.c != s.groups || s.c == 1)
      return rewriter.notifyMatchFailure(op, "not depthwise");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    // Bit 1 is -1.
    RankedTensorType inType = op.getInput().getType();
    Value values = elementwise(
        rewriter, loc, RankedTensorType::get(inType.getShape(), i8),
        op.getInput(), {}, [&](OpBuilder &b, Location l, ValueRange a) {
          return arith::SelectOp::create(b, l, a[0], intConstant(b, l, i8, -1),
                                         intConstant(b, l, i8, 1))
              .getResult();
        });
    Value input =
        padSpatial(rewriter, loc, values, 1, g,
                   rewriter.getI8IntegerAttr(padValueOf(op.getPadValue())));
    int64_t multiplier = s.o / s.c;
    enum { N, OY, OX, KY, KX, O, NumDims };
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps = {
        AffineMap::get(NumDims, 0,
                       {d(N), d(OY) * g.strideH + d(KY) * g.dilationH,
                        d(OX) * g.strideW + d(KX) * g.dilationW,
                        d(O).floorDiv(multiplier)},
                       ctx),
        AffineMap::get(NumDims, 0,
                       {d(KY), d(KX), getAffineConstantExpr(0, ctx), d(O)},
                       ctx),
        AffineMap::get(NumDims, 0, {d(N), d(OY), d(OX), d(O)}, ctx)};
    using utils::IteratorType;
    SmallVector<IteratorType> iteratorTypes = {
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::parallel,  IteratorType::reduction,
        IteratorType::reduction, IteratorType::parallel};
    // The filter [O, KH, KW, 1] with the channels last, contiguous like
    // the input's and the result's (a constant filter folds).
    SmallVector<int64_t> perm = {1, 2, 3, 0};
    Value filter = linalg::TransposeOp::create(
                       rewriter, loc, op.getFilter(),
                       tensor::EmptyOp::create(rewriter, loc,
                                               {s.kh, s.kw, 1, s.o},
                                               rewriter.getI1Type()),
                       perm)
                       ->getResult(0);
    Value init = createFilled(rewriter, loc, {s.n, s.oh, s.ow, s.o},
                              rewriter.getI32IntegerAttr(0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{input, filter},
        ValueRange{init}, maps, iteratorTypes, "", "",
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value x = arith::ExtSIOp::create(b, l, i32, a[0]);
          Value negated =
              arith::SubIOp::create(b, l, intConstant(b, l, i32, 0), x);
          Value term = arith::SelectOp::create(b, l, a[1], negated, x);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddIOp::create(b, l, a[2], term)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// The only use of a binary convolution's result, a threshold with constant
/// thresholds and directions, rewritten to threshold the popcounts P
/// directly: K - 2P >= t iff P <= floor((K - t) / 2), and K - 2P <= t iff
/// P >= ceil((K - t) / 2), so the direction flips and the epilogue's
/// K - 2P disappears. Thresholds are clamped to [-1, K + 1], which keeps
/// every comparison with a P in [0, K] and fits i32. Returns failure (and
/// changes nothing) where it does not apply.
LogicalResult foldThresholdIntoPopcounts(PatternRewriter &rewriter,
                                         BinaryConv2DOp conv,
                                         Value popcounts, int64_t k,
                                         bool grouped) {
  Value result = conv.getResult();
  if (!result.hasOneUse() || k >= std::numeric_limits<int32_t>::max())
    return failure();
  auto threshold = dyn_cast<ThresholdOp>(*result.getUsers().begin());
  DenseIntElementsAttr t, d;
  if (!threshold || threshold.getAcc() != result ||
      !matchPattern(threshold.getThresholds(), m_Constant(&t)) ||
      !matchPattern(threshold.getDirections(), m_Constant(&d)))
    return failure();
  int64_t n = std::max<int64_t>(t.getNumElements(), d.getNumElements());
  SmallVector<int32_t> thresholds;
  SmallVector<bool> directions;
  SmallVector<APInt> tv = perChannelValues(t, n), dv = perChannelValues(d, n);
  for (int64_t c = 0; c < n; ++c) {
    int64_t tc = tv[c].getSExtValue();
    bool dc = !dv[c].isZero();
    int64_t num = k - tc; // |num| < 2^32: no overflow
    int64_t half = dc ? llvm::divideCeilSigned(num, int64_t(2))
                      : llvm::divideFloorSigned(num, int64_t(2));
    thresholds.push_back(
        static_cast<int32_t>(std::clamp<int64_t>(half, -1, k + 1)));
    directions.push_back(!dc);
  }
  Location loc = threshold.getLoc();
  auto tType = RankedTensorType::get({n}, rewriter.getI32Type());
  auto dType = RankedTensorType::get({n}, rewriter.getI1Type());
  Value newT = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(tType, ArrayRef(thresholds)));
  Value newD = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(dType, ArrayRef(directions)));
  // Groups: P is [N, OY, OX, G, O/G], the threshold's channels G x O/G.
  if (grouped)
    popcounts = mergeDims(rewriter, conv.getLoc(), popcounts, 3);
  rewriter.setInsertionPoint(threshold);
  rewriter.replaceOpWithNewOp<ThresholdOp>(threshold, threshold.getType(),
                                           popcounts, newT, newD);
  rewriter.eraseOp(conv);
  return success();
}

struct BinaryConv2DToPacked : public OpRewritePattern<BinaryConv2DOp> {
  BinaryConv2DToPacked(MLIRContext *ctx, bool narrowWords,
                       int64_t vectorBits, double narrowWordGain)
      : OpRewritePattern(ctx), narrowWords(narrowWords),
        vectorBits(vectorBits), narrowWordGain(narrowWordGain) {}
  LogicalResult matchAndRewrite(BinaryConv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Conv2DGeometry g = op.getGeometry();
    ConvShapes s = ConvShapes::of(op);
    int64_t cg = s.c / s.groups;
    // Out-of-bounds taps read zero words (+1); the correction handles the
    // other pad values.
    unsigned wordBits =
        narrowWords ? packedWordBits(cg, s.o / s.groups, vectorBits,
                                     narrowWordGain)
                    : 64;
    auto [input, filter] = packOperands(rewriter, loc, op, g, wordBits);
    Value popcounts = packedConv(rewriter, loc, input, filter, g, s.packedOut(),
                                 PackedTerm::Xor);
    int64_t pad = padValueOf(op.getPadValue());
    bool padded = g.padTop || g.padBottom || g.padLeft || g.padRight;
    // A threshold of the result compares the popcounts directly where no
    // padding correction varies per pixel.
    if ((!padded || pad == 1) &&
        succeeded(foldThresholdIntoPopcounts(rewriter, op, popcounts,
                                             s.kh * s.kw * cg, s.groups > 1)))
      return success();
    Value correction = padded && pad != 1
                           ? paddingCorrection(rewriter, loc, filter,
                                               op.getFilter(), g, s.h, s.w, cg,
                                               s.groupedOut)
                           : Value();
    Value result = binaryEpilogue(rewriter, loc, popcounts, correction,
                                  s.kh * s.kw * cg, pad);
    rewriter.replaceOp(op, s.groups == 1 ? result
                                         : mergeDims(rewriter, loc, result, 3));
    return success();
  }

private:
  bool narrowWords;
  int64_t vectorBits;
  double narrowWordGain;
};

struct BitserialConv2DToPacked : public OpRewritePattern<BitserialConv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BitserialConv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Conv2DGeometry g = op.getGeometry();
    ConvShapes s = ConvShapes::of(op);
    // Zero padding: zero words contribute nothing to any term.
    auto [input, filter] = packOperands(rewriter, loc, op, g);
    bool binaryWeights =
        op.getFilter().getType().getElementType().isSignlessInteger(1);
    Value result = packedConv(rewriter, loc, input, filter, g, s.packedOut(),
                              binaryWeights ? PackedTerm::SignedWeights
                                            : PackedTerm::UnsignedWeights);
    rewriter.replaceOp(op, s.groups == 1 ? result
                                         : mergeDims(rewriter, loc, result, 3));
    return success();
  }
};

/// [N, K] x [O, K] as a 1x1 convolution of an N x 1 x 1 x K image.
template <typename DenseOp, typename ConvOp>
struct DenseAsConv2D : public OpRewritePattern<DenseOp> {
  using OpRewritePattern<DenseOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(DenseOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto image = [&](Value t) {
      return insertUnitDim(rewriter, loc, insertUnitDim(rewriter, loc, t, 1),
                           1);
    };
    ArrayRef<int64_t> r = op.getResult().getType().getShape();
    auto convType =
        RankedTensorType::get({r[0], 1, 1, r[1]}, rewriter.getI32Type());
    auto conv =
        ConvOp::create(rewriter, loc, TypeRange{convType},
                       ValueRange{image(op.getInput()), image(op.getWeight())},
                       ArrayRef<NamedAttribute>{});
    copyDenseAttrs(op, conv);
    Value flat = tensor::CollapseShapeOp::create(
        rewriter, loc, op.getResult().getType(), conv.getResult(),
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    rewriter.replaceOp(op, flat);
    return success();
  }

  static void copyDenseAttrs(DenseOp from, ConvOp to) {
    if constexpr (std::is_same_v<DenseOp, Int8DenseOp>) {
      to.setInputZeroPoint(from.getInputZeroPoint());
      if (auto zps = from.getWeightZeroPointAttr())
        to.setWeightZeroPointAttr(zps);
    }
  }
};

} // namespace

void bnn::populateBitpackPatterns(RewritePatternSet &patterns,
                                  bool signedBytes, bool narrowWords,
                                  int64_t vectorBits, double narrowWordGain) {
  patterns.add<BinaryConv2DToPacked>(patterns.getContext(), narrowWords,
                                     vectorBits, narrowWordGain);
  patterns.add<BitserialConv2DToPacked,
               DepthwiseBinaryConv2DToLinalg,
               DenseAsConv2D<BinaryDenseOp, BinaryConv2DOp>,
               DenseAsConv2D<BitserialDenseOp, BitserialConv2DOp>,
               DenseAsConv2D<Int8DenseOp, Int8Conv2DOp>,
               FoldConstantTranspose>(patterns.getContext());
  populateInt8ToPackedPatterns(patterns, signedBytes);
}

void bnn::populateDenseAsConv2DPatterns(RewritePatternSet &patterns) {
  patterns.add<DenseAsConv2D<Int8DenseOp, Int8Conv2DOp>>(patterns.getContext());
}

namespace {
struct BNNBitpackPass : public bnn::impl::BNNBitpackPassBase<BNNBitpackPass> {
  using Base::Base;
  void runOnOperation() override {
    // `!(x > 0)` also rejects NaN.
    if (vectorBits <= 0 || !(narrowWordGain > 0) ||
        std::isinf(double(narrowWordGain))) {
      emitError(getOperation().getLoc())
          << "bnn-bitpack: vector-bits must be positive and narrow-word-gain "
             "positive and finite, got "
          << static_cast<int64_t>(vectorBits) << " and "
          << static_cast<double>(narrowWordGain);
      return signalPassFailure();
    }
    if (failed(lowering::applyPatterns(
            getOperation(), [&](RewritePatternSet &patterns) {
              populateBitpackPatterns(patterns, signedBytes, narrowWords,
                                      vectorBits, narrowWordGain);
            })))
      signalPassFailure();
  }
};
} // namespace
