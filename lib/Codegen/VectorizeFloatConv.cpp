//===- VectorizeFloatConv.cpp - bnn-vectorize-float-conv pass -------------===//
//
// The float glue's convolutions and pooling (a network's stem, from
// tosa.conv2d and tosa.max_pool2d / avg_pool2d) are upstream linalg named
// ops; lowered to loops they run one scalar operation at a time and
// dominate a binary network's latency. This pass runs the upstream recipe
// for them: filter to HWCF, tile to one output row and kernel row per step
// and a block of output columns x channels, decompose the 2-D operation
// into a 1-D one, and vectorize that. Float matrix products (a network's
// dense head, from tosa.matmul) get tiles of one row by a block of output
// columns and a few reduction steps, the accumulator kept in registers
// across the reduction loop.
//
//===----------------------------------------------------------------------===//

#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNVECTORIZEFLOATCONVPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// Tensors only, every loop range static.
bool isStatic(linalg::LinalgOp op) {
  return op.hasPureTensorSemantics() &&
         llvm::none_of(op.getStaticLoopRanges(), ShapedType::isDynamic);
}

/// acc + lhs x rhs as separate multiplies and adds: LLVM would fuse the
/// vector.fma the upstream lowering emits, and a fused multiply-add rounds
/// once where the model's multiply and add round twice (results must not
/// depend on the target's FMA units, nor differ from the reference).
struct OuterProductToMulAdd : public OpRewritePattern<vector::OuterProductOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::OuterProductOp op,
                                PatternRewriter &rewriter) const override {
    VectorType lhsType = op.getLhs().getType();
    if (!isa<FloatType>(lhsType.getElementType()) ||
        op.getKind() != vector::CombiningKind::ADD || !op.getAcc() ||
        lhsType.isScalable())
      return failure();
    Location loc = op.getLoc();
    Value rhs = op.getRhs();
    // AXPY form: acc + lhs * splat(rhs).
    if (!isa<VectorType>(rhs.getType())) {
      Value splat = vector::BroadcastOp::create(rewriter, loc, lhsType, rhs);
      Value product = arith::MulFOp::create(rewriter, loc, op.getLhs(), splat);
      rewriter.replaceOpWithNewOp<arith::AddFOp>(op, op.getAcc(), product);
      return success();
    }
    // Row i: acc[i] + splat(lhs[i]) * rhs.
    auto rhsType = cast<VectorType>(rhs.getType());
    Value result = op.getAcc();
    for (int64_t i = 0, e = lhsType.getDimSize(0); i < e; ++i) {
      Value a = vector::ExtractOp::create(rewriter, loc, op.getLhs(),
                                          ArrayRef<int64_t>{i});
      Value splat = vector::BroadcastOp::create(rewriter, loc, rhsType, a);
      Value product = arith::MulFOp::create(rewriter, loc, splat, rhs);
      Value row = vector::ExtractOp::create(rewriter, loc, op.getAcc(),
                                            ArrayRef<int64_t>{i});
      Value sum = arith::AddFOp::create(rewriter, loc, row, product);
      result = vector::InsertOp::create(rewriter, loc, sum, result,
                                        ArrayRef<int64_t>{i});
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Tiles `op` by `sizes` (0: not tiled) into scf.for loops, or into one
/// scf.forall, and replaces it; returns the tiled operation, or null.
Operation *tileInPlace(RewriterBase &rewriter, Operation *op,
                       ArrayRef<int64_t> sizes, bool forall = false) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  if (forall)
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return nullptr;
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.front();
}

/// Output columns per tile of a matrix product: a power of two from 4
/// vectors down to 8 floats that divides them (1000 columns: 8; a width of
/// 40 becomes shuffles in LLVM's legalization), else a divisor.
int64_t productColumns(int64_t columns, int64_t lanes) {
  for (int64_t width = 4 * lanes; width >= 8; width /= 2)
    if (columns % width == 0)
      return width;
  return packed_conv::largestDivisorAtMost(columns, 4 * lanes);
}

struct BNNVectorizeFloatConvPass
    : public bnn::impl::BNNVectorizeFloatConvPassBase<
          BNNVectorizeFloatConvPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Nothing to do without convolutions (or pooling, which the
    // decomposition also matches) or contractions: skip the greedy rewrites
    // over the whole function, which cost time in every binary layer.
    bool candidates = func.walk([](Operation *op) {
                            return isa<linalg::ConvolutionOpInterface,
                                       linalg::BatchMatmulOp, linalg::MatmulOp,
                                       vector::ContractionOp>(op)
                                       ? WalkResult::interrupt()
                                       : WalkResult::advance();
                          })
                          .wasInterrupted();
    if (!candidates)
      return;
    IRRewriter rewriter(&getContext());

    // Filters to HWCF (constant filters fold).
    SmallVector<linalg::Conv2DNhwcFhwcOp> fhwc;
    func.walk([&](linalg::Conv2DNhwcFhwcOp op) { fhwc.push_back(op); });
    for (linalg::Conv2DNhwcFhwcOp op : fhwc) {
      if (!isStatic(op))
        continue;
      rewriter.setInsertionPoint(op);
      (void)linalg::transposeConv2D(rewriter, op);
    }

    // Tile: n, oh, kh by 1, a block of output columns and channels.
    // Convolution loops: n, oh, ow, f | kh, kw, c; pooling: n, oh, ow, c |
    // kh, kw (with a vector's worth of lanes more per block: a pooling step
    // is one operation, not a multiply and an add).
    int64_t lanes = std::max<unsigned>(1, vectorBits / 32);
    SmallVector<linalg::LinalgOp> tileable;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv2DNhwcHwcfOp, linalg::PoolingNhwcMaxOp,
              linalg::PoolingNhwcSumOp>(op))
        tileable.push_back(op);
    });
    for (linalg::LinalgOp op : tileable) {
      if (!isStatic(op) ||
          !getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        continue;
      bool pooling = !isa<linalg::Conv2DNhwcHwcfOp>(op);
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      int64_t ow = packed_conv::largestDivisorAtMost(ranges[2], 8);
      int64_t f = packed_conv::largestDivisorAtMost(ranges[3],
                                                    (pooling ? 4 : 2) * lanes);
      unsigned numLoops = op.getNumLoops();
      // With threads: first the images and output rows, as tasks of an
      // scf.forall (OpenMP after bufferization, like the packed
      // convolutions' rows).
      Operation *target = op;
      if (threads) {
        SmallVector<int64_t> rows(numLoops, 0);
        rows[0] = rows[1] = 1;
        target = tileInPlace(rewriter, op, rows, /*forall=*/true);
        if (!target)
          continue;
      }
      SmallVector<int64_t> sizes(numLoops, 0);
      sizes[0] = sizes[1] = sizes[4] = 1;
      sizes[2] = ow;
      sizes[3] = f;
      // A 1-wide kernel over many channels (Bi-Real Net's 1x1
      // downsampling): the channels in steps of 16, not one unrolled
      // contraction of all of them (3584 multiplies for 256 channels, 20 G
      // MAC/s). With one kernel column the summation order stays the
      // reference's: channel after channel.
      if (!pooling && ranges[5] == 1 && ranges[6] > 32)
        sizes[6] = packed_conv::largestDivisorAtMost(ranges[6], 16);
      (void)tileInPlace(rewriter, target, sizes);
    }

    // Matrix products: one row (and batch) by a block of output columns
    // and one reduction step per tile; the reduction stays in order
    // (each output sums its products from the first to the last, as the
    // reference does), only the output columns are vectorized.
    SmallVector<linalg::LinalgOp> products;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::BatchMatmulOp, linalg::MatmulOp>(op) && isStatic(op) &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        products.push_back(op);
    });
    SmallVector<linalg::LinalgOp> productTiles;
    for (linalg::LinalgOp op : products) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      // Loops: [b,] m, n | k.
      unsigned n = ranges.size() - 2, k = ranges.size() - 1;
      SmallVector<int64_t> sizes(ranges.size(), 1);
      sizes[n] = productColumns(ranges[n], lanes);
      // One reduction step per iteration: a multiply and an add per
      // output, in the reference's order.
      sizes[k] = 1;
      if (Operation *tile = tileInPlace(rewriter, op, sizes))
        productTiles.push_back(cast<linalg::LinalgOp>(tile));
    }
    for (linalg::LinalgOp tile : productTiles) {
      auto reduction = tile->getParentOfType<scf::ForOp>();
      rewriter.setInsertionPoint(tile);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, tile);
      if (failed(result))
        continue;
      rewriter.replaceOp(tile, result->replacements);
      // The tile's slice of the accumulator is taken before the reduction
      // loop and put back after it; LLVM keeps the vectors in registers
      // across the loop.
      if (reduction)
        (void)hoistLoopInvariantSubsets(
            rewriter, cast<LoopLikeOpInterface>(reduction.getOperation()));
    }

    // 2-D convolutions with one output row and kernel row are 1-D.
    RewritePatternSet decompose(&getContext());
    linalg::populateDecomposeConvolutionPatterns(decompose);
    if (failed(applyPatternsGreedily(func, std::move(decompose))))
      return signalPassFailure();

    SmallVector<linalg::LinalgOp> convs;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv1DNwcWcfOp, linalg::PoolingNwcMaxOp,
              linalg::PoolingNwcSumOp>(op))
        convs.push_back(op);
    });
    for (linalg::LinalgOp op : convs) {
      if (!isStatic(op))
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, op);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }

    // Contractions over the few input channels of a stem as outer products
    // (broadcast input x vector of output channels, one FMA each), not as
    // horizontal dot products.
    RewritePatternSet lowering(&getContext());
    vector::populateVectorContractLoweringPatterns(
        lowering, vector::VectorContractLowering::OuterProduct);
    lowering.add<OuterProductToMulAdd>(&getContext(), /*benefit=*/2);
    if (failed(applyPatternsGreedily(func, std::move(lowering))))
      return signalPassFailure();
  }
};
} // namespace
