//===- PackInt8.cpp - int8 convolutions to byte_dot packed convolutions ---===//
//
// An int8 convolution becomes a bnn.packed_conv <byte_dot> over words of
// four channels' bytes, which the code generation passes tile, vectorize
// (vpdpbusd, usdot) and parallelize like the binary ones. byte_dot
// multiplies unsigned input bytes by signed filter bytes, so the input is
// stored as u = x + 128 (x xor 0x80) and its zero point becomes
// uzp = izp + 128 (for targets whose instruction multiplies signed bytes,
// AArch64 sdot, signed_byte_dot keeps u = x and uzp = izp). With sums over
// the whole receptive field (K taps,
// out-of-bounds ones holding the zero point, i.e. u = uzp):
//
//   sum (x - izp)(w - wzp) = sum (u - uzp)(w - wzp)
//                          = D - uzp SW - wzp SU + K uzp wzp
//
// where D = sum u w (the packed convolution), SW = sum w per output channel
// and SU = sum u per output pixel (needed only for weight zero points).
// Everything is i32 arithmetic modulo 2^32, like the reference's sum.
//
//===----------------------------------------------------------------------===//

#include "bnn/Conversion/BNNToLinalg/BNNToLinalg.h"
#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::lowering;

namespace {

/// The low 32 bits of `v` (the i32 arithmetic of the reference is modulo
/// 2^32; the products here are exact in 64 bits).
int32_t low32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(v));
}

/// `t` padded at the end of its last dimension to `size` with `value`.
Value padLastDim(OpBuilder &b, Location loc, Value t, int64_t size,
                 TypedAttr value) {
  auto type = cast<RankedTensorType>(t.getType());
  int64_t rank = type.getRank();
  int64_t extra = size - type.getDimSize(rank - 1);
  if (extra == 0)
    return t;
  SmallVector<OpFoldResult> low(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(rank, b.getIndexAttr(0));
  high.back() = b.getIndexAttr(extra);
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = size;
  Value pad = arith::ConstantOp::create(b, loc, value);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), t, low,
      high, pad);
}

/// Words of four bytes: result[i..., w] = bytes t'[perm(i..., w, j)] for
/// j < 4 at bits 8j, each xor `flip`, where t' is `t` with its last
/// dimension split into [words, 4] and `perm` maps the result's dims plus
/// j to t'`s dims.
Value packBytes(OpBuilder &b, Location loc, Value t, ArrayRef<int64_t> shape,
                ArrayRef<unsigned> perm, int64_t flip) {
  unsigned rank = shape.size();
  auto type = cast<RankedTensorType>(t.getType());
  t = splitDim(b, loc, t, type.getRank() - 1, type.getShape().back() / 4);
  AffineMap inMap = AffineMap::getPermutationMap(perm, b.getContext());
  Value init = createFilled(b, loc, shape, b.getI32IntegerAttr(0));
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(rank + 1, b.getContext())
                         .getMajorSubMap(rank);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{t}, ValueRange{init},
      SmallVector<AffineMap>{inMap, outMap}, iterators(rank, 1), "", "",
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Type i32 = nb.getI32Type();
        Value byte = a[0];
        if (flip)
          byte = arith::XOrIOp::create(nb, l, byte,
                                       intConstant(nb, l, byte.getType(), flip));
        Value j = arith::IndexCastOp::create(
            nb, l, i32, linalg::IndexOp::create(nb, l, rank));
        Value shift =
            arith::MulIOp::create(nb, l, j, intConstant(nb, l, i32, 8));
        Value placed = arith::ShLIOp::create(
            nb, l, arith::ExtUIOp::create(nb, l, i32, byte), shift);
        linalg::YieldOp::create(
            nb, l, ValueRange{arith::OrIOp::create(nb, l, a[1], placed)});
      });
  return generic.getResult(0);
}

struct Int8Conv2DToPacked : public OpRewritePattern<Int8Conv2DOp> {
  Int8Conv2DToPacked(MLIRContext *ctx, bool signedBytes)
      : OpRewritePattern(ctx), signedBytes(signedBytes) {}
  bool signedBytes;
  LogicalResult matchAndRewrite(Int8Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Conv2DGeometry g = op.getGeometry();
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> f = op.getFilter().getType().getShape();
    ArrayRef<int64_t> r = op.getResult().getType().getShape();
    int64_t groups = g.groups, o = f[0], og = o / groups, kh = f[1],
            kw = f[2], cg = in[3] / groups;
    int64_t words = (cg + 3) / 4;
    int64_t k = kh * kw * cg;
    int64_t izp = op.getInputZeroPoint();
    int64_t flip = signedBytes ? 0 : 0x80, uzp = signedBytes ? izp : izp + 128;
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };

    SmallVector<int32_t> wzps = weightZeroPoints(op.getWeightZeroPoint(), o);
    bool weightZeroPoints = llvm::any_of(wzps, [](int32_t z) { return z; });

    // Input words [1, N, H', W', G, words]: the channels of each group
    // padded to whole words (the filter's pad bytes are 0, so the input's
    // never count), packed, and placed in a buffer filled with the words
    // of the zero point (the spatial padding), so that the input is read
    // once.
    Value grouped = splitDim(rewriter, loc, op.getInput(), 3, groups);
    Value inputWords = packBytes(
        rewriter, loc,
        padLastDim(rewriter, loc, grouped, 4 * words,
                   rewriter.getI8IntegerAttr(izp)),
        {in[0], in[1], in[2], groups, words}, {0, 1, 2, 3, 4, 5},
        flip);
    if (g.padTop || g.padBottom || g.padLeft || g.padRight) {
      uint32_t padWord = static_cast<uint32_t>(uzp & 0xff) * 0x01010101u;
      Value padded = createFilled(
          rewriter, loc,
          {in[0], in[1] + g.padTop + g.padBottom,
           in[2] + g.padLeft + g.padRight, groups, words},
          rewriter.getI32IntegerAttr(static_cast<int32_t>(padWord)));
      SmallVector<int64_t> offsets = {0, g.padTop, g.padLeft, 0, 0};
      SmallVector<int64_t> sizes = {in[0], in[1], in[2], groups, words};
      SmallVector<int64_t> strides(5, 1);
      inputWords = tensor::InsertSliceOp::create(rewriter, loc, inputWords,
                                                 padded, ValueRange{},
                                                 ValueRange{}, ValueRange{},
                                                 offsets, sizes, strides);
    }
    Value input = addLeadingUnitDim(rewriter, loc, inputWords);

    // Filter words [1, G, KH, KW, words, O/G] and the per-channel bias
    // K uzp wzp - uzp SW: computed here for constant weights, by generics
    // for others.
    auto filterType = RankedTensorType::get({1, groups, kh, kw, words, og}, i32);
    SmallVector<int64_t> channelShape =
        groups == 1 ? SmallVector<int64_t>{o} : SmallVector<int64_t>{groups, og};
    auto channelType = RankedTensorType::get(channelShape, i32);
    Value filter, bias;
    // A constant seen through reshapes (a dense layer's weights reach here
    // expanded to OHWI), which keep the elements' order.
    Value source = op.getFilter();
    while (Operation *def = source.getDefiningOp()) {
      if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
        break;
      source = def->getOperand(0);
    }
    DenseIntElementsAttr constant;
    if (matchPattern(source, m_Constant(&constant))) {
      SmallVector<int8_t> w;
      for (const APInt &v : constant.getValues<APInt>())
        w.push_back(static_cast<int8_t>(v.getSExtValue()));
      std::vector<int32_t> packed(filterType.getNumElements(), 0);
      std::vector<int32_t> biases(o);
      for (int64_t oc = 0; oc < o; ++oc) {
        int64_t grp = oc / og, ol = oc % og;
        int64_t sum = 0;
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t xx = 0; xx < kw; ++xx)
            for (int64_t c = 0; c < cg; ++c) {
              int8_t v = w[((oc * kh + y) * kw + xx) * cg + c];
              sum += v;
              int64_t word = (((grp * kh + y) * kw + xx) * words + c / 4) * og + ol;
              packed[word] = static_cast<int32_t>(
                  static_cast<uint32_t>(packed[word]) |
                  (static_cast<uint32_t>(static_cast<uint8_t>(v))
                   << (8 * (c % 4))));
            }
        biases[oc] = low32(k * uzp * wzps[oc] - uzp * sum);
      }
      filter = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(filterType, ArrayRef<int32_t>(packed)));
      bias = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(channelType, ArrayRef<int32_t>(biases)));
    } else {
      Value grouped = splitDim(rewriter, loc, op.getFilter(), 0, groups);
      Value padded = padLastDim(rewriter, loc, grouped, 4 * words,
                                rewriter.getI8IntegerAttr(0));
      // Dims g ky kx w o | j over [G, O/G, KH, KW, 4 words].
      filter = addLeadingUnitDim(
          rewriter, loc,
          packBytes(rewriter, loc, padded, {groups, kh, kw, words, og},
                    {0, 4, 1, 2, 3, 5}, /*flip=*/0));
      // bias[g, o] = K uzp wzp - uzp sum w: dims g o | ky kx c.
      SmallVector<int32_t> start;
      for (int32_t z : wzps)
        start.push_back(low32(k * uzp * z));
      Value init = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({groups, og}, i32),
                                 ArrayRef<int32_t>(start)));
      auto sum = linalg::GenericOp::create(
          rewriter, loc, init.getType(), ValueRange{grouped}, ValueRange{init},
          SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(5, ctx),
                                 AffineMap::get(5, 0, {d(0), d(1)}, ctx)},
          iterators(2, 3), "", "",
          [&](OpBuilder &b, Location l, ValueRange a) {
            Value scaled = arith::MulIOp::create(
                b, l, arith::ExtSIOp::create(b, l, i32, a[0]),
                intConstant(b, l, i32, uzp));
            linalg::YieldOp::create(
                b, l, ValueRange{arith::SubIOp::create(b, l, a[1], scaled)});
          });
      bias = sum.getResult(0);
      if (groups == 1)
        bias = tensor::CollapseShapeOp::create(
            rewriter, loc, channelType, bias,
            SmallVector<ReassociationIndices>{{0, 1}});
    }

    // D: the packed convolution, [N, OY, OX, O] or [N, OY, OX, G, O/G].
    SmallVector<int64_t> outShape =
        groups == 1 ? SmallVector<int64_t>{r[0], r[1], r[2], o}
                    : SmallVector<int64_t>{r[0], r[1], r[2], groups, og};
    Value init = createFilled(rewriter, loc, outShape, rewriter.getI32IntegerAttr(0));
    Value dots =
        PackedConvOp::create(
            rewriter, loc, TypeRange{init.getType()}, input, filter, init,
            PackedTermAttr::get(ctx, signedBytes ? PackedTerm::SignedByteDot
                                                  : PackedTerm::ByteDot),
            rewriter.getDenseI64ArrayAttr({g.strideH, g.strideW}),
            rewriter.getDenseI64ArrayAttr({g.dilationH, g.dilationW}),
            /*register_block=*/RegisterBlockAttr())
            .getResult()[0];

    // The epilogue: D + bias - wzp SU, elementwise over D (so that tiling
    // fuses it into the convolution's tiles).
    unsigned rank = outShape.size();
    auto identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channelMap =
        groups == 1 ? AffineMap::get(rank, 0, {d(3)}, ctx)
                    : AffineMap::get(rank, 0, {d(3), d(4)}, ctx);
    SmallVector<Value> operands = {dots, bias};
    SmallVector<AffineMap> maps = {identity, channelMap};
    if (weightZeroPoints) {
      // SU[n, oy, ox, g] = sum of u over the receptive field, the
      // zero-point padding included: dims n oy ox g | ky kx c.
      Value x = padSpatial(rewriter, loc, grouped, 1, g,
                           rewriter.getI8IntegerAttr(izp));
      Value suInit = createFilled(rewriter, loc, {r[0], r[1], r[2], groups},
                                  rewriter.getI32IntegerAttr(0));
      // The window operand gives ky and kx their ranges.
      Value window = tensor::EmptyOp::create(rewriter, loc, {kh, kw}, i8);
      auto su = linalg::GenericOp::create(
          rewriter, loc, suInit.getType(), ValueRange{x, window},
          ValueRange{suInit},
          SmallVector<AffineMap>{
              AffineMap::get(7, 0,
                             {d(0), d(1) * g.strideH + d(4) * g.dilationH,
                              d(2) * g.strideW + d(5) * g.dilationW, d(3),
                              d(6)},
                             ctx),
              AffineMap::get(7, 0, {d(4), d(5)}, ctx),
              AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)},
          iterators(4, 3), "", "",
          [&](OpBuilder &b, Location l, ValueRange a) {
            Value u =
                signedBytes
                    ? arith::ExtSIOp::create(b, l, i32, a[0]).getResult()
                    : arith::ExtUIOp::create(
                          b, l, i32,
                          arith::XOrIOp::create(b, l, a[0],
                                                intConstant(b, l, i8, 0x80)))
                          .getResult();
            linalg::YieldOp::create(
                b, l, ValueRange{arith::AddIOp::create(b, l, a[2], u)});
          });
      Value wzpTensor = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(channelType, ArrayRef<int32_t>(wzps)));
      operands.push_back(wzpTensor);
      maps.push_back(channelMap);
      operands.push_back(su.getResult(0));
      maps.push_back(groups == 1
                         ? AffineMap::get(rank, 0,
                                          {d(0), d(1), d(2),
                                           getAffineConstantExpr(0, ctx)},
                                          ctx)
                         : AffineMap::get(rank, 0, {d(0), d(1), d(2), d(3)},
                                          ctx));
    }
    Value out = tensor::EmptyOp::create(rewriter, loc, outShape, i32);
    maps.push_back(identity);
    auto epilogue = linalg::GenericOp::create(
        rewriter, loc, out.getType(), operands, ValueRange{out}, maps,
        iterators(rank, 0), "", "",
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = arith::AddIOp::create(b, l, a[0], a[1]);
          if (weightZeroPoints)
            v = arith::SubIOp::create(b, l, v,
                                      arith::MulIOp::create(b, l, a[2], a[3]));
          linalg::YieldOp::create(b, l, ValueRange{v});
        });
    Value result = epilogue.getResult(0);
    rewriter.replaceOp(op, groups == 1 ? result
                                       : mergeDims(rewriter, loc, result, 3));
    return success();
  }
};

} // namespace

void bnn::populateInt8ToPackedPatterns(RewritePatternSet &patterns,
                                       bool signedBytes) {
  patterns.add<Int8Conv2DToPacked>(patterns.getContext(), signedBytes);
}
