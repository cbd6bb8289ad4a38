//===- ParallelizePackedConv.cpp - bnn-parallelize-packed-conv pass -------===//

#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNPARALLELIZEPACKEDCONVPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::packed_conv;

namespace {

/// A constant filter [Q, G, KY, KX, W, O] read by the tasks in chunks of
/// `chunk` output channels: rewritten chunk-major, [O / chunk, Q, G, KY,
/// KX, W, chunk], so that each task's weights are one contiguous block
/// instead of `chunk` channels out of every row of O (2 KB apart for the
/// 7x7x512 int8 layer: one row or two per 4 KB page, a TLB entry per
/// page). The task's slice of the filter becomes a slice of that constant;
/// the values are the same.
void chunkMajorFilter(RewriterBase &rewriter, PackedConvOp tiled,
                      int64_t chunk) {
  auto slice = tiled.getFilter().getDefiningOp<tensor::ExtractSliceOp>();
  DenseElementsAttr filter;
  // Only a constant that nothing else reads (else both would be stored),
  // of whole bytes per element.
  if (!slice || !slice.getSource().hasOneUse() ||
      !matchPattern(slice.getSource(), m_Constant(&filter)) ||
      filter.isSplat() || filter.getElementType().getIntOrFloatBitWidth() % 8)
    return;
  auto type = cast<RankedTensorType>(filter.getType());
  int64_t rank = type.getRank(), channels = type.getShape().back();
  auto sliceType = slice.getResultType();
  if (rank != 6 || channels % chunk != 0 || channels == chunk ||
      sliceType.getShape() !=
          ArrayRef<int64_t>(llvm::to_vector(llvm::concat<const int64_t>(
              type.getShape().drop_back(), ArrayRef<int64_t>{chunk}))) ||
      !llvm::all_of(slice.getStaticStrides(),
                    [](int64_t s) { return s == 1; }) ||
      !llvm::all_of(slice.getStaticOffsets().drop_back(),
                    [](int64_t o) { return o == 0; }))
    return;
  // The rows of O channels, each split into chunks, regrouped by chunk.
  ArrayRef<char> raw = filter.getRawData();
  int64_t bytes = type.getElementTypeBitWidth() / 8;
  int64_t rows = type.getNumElements() / channels, chunks = channels / chunk;
  std::vector<char> data(raw.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < chunks; ++k)
      std::memcpy(data.data() + ((k * rows + r) * chunk) * bytes,
                  raw.data() + (r * channels + k * chunk) * bytes,
                  chunk * bytes);
  SmallVector<int64_t> shape = {chunks};
  llvm::append_range(shape, type.getShape().drop_back());
  shape.push_back(chunk);
  auto newType = RankedTensorType::get(shape, type.getElementType());
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(newType, data, detectedSplat))
    return;
  Location loc = slice.getLoc();
  rewriter.setInsertionPoint(slice.getSource().getDefiningOp());
  Value regrouped = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::getFromRawBuffer(newType, data));
  rewriter.setInsertionPoint(slice);
  OpFoldResult offset = slice.getMixedOffsets().back();
  AffineExpr o = getAffineDimExpr(0, rewriter.getContext());
  OpFoldResult index = affine::makeComposedFoldedAffineApply(
      rewriter, loc, o.floorDiv(chunk), {offset});
  SmallVector<OpFoldResult> offsets(rank + 1, rewriter.getIndexAttr(0));
  offsets[0] = index;
  SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1)};
  for (int64_t d : sliceType.getShape())
    sizes.push_back(rewriter.getIndexAttr(d));
  SmallVector<OpFoldResult> strides(rank + 1, rewriter.getIndexAttr(1));
  Operation *original = slice.getSource().getDefiningOp();
  rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
      slice, sliceType, regrouped, offsets, sizes, strides);
  rewriter.eraseOp(original);
}

struct BNNParallelizePackedConvPass
    : public bnn::impl::BNNParallelizePackedConvPassBase<
          BNNParallelizePackedConvPass> {
  using Base::Base;
  void runOnOperation() override {
    if (channelChunk <= 0) {
      emitError(getOperation().getLoc())
          << "bnn-parallelize-packed-conv: channel-chunk must be positive, "
             "got "
          << static_cast<int64_t>(channelChunk);
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    SmallVector<std::pair<PackedConvOp, int64_t>> chunked;
    for (PackedConvOp op : collect(getOperation())) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      // One task per row (and group); wide layers also split their output
      // channels, in chunks that keep whole register blocks together. With
      // one pixel per row (a dense layer) a block can only grow along the
      // channels: its chunks are no narrower than the block the whole
      // layer would get (1 x 256 int8 channels on AVX-512 ran 1.7x faster
      // than the 1 x 64 of 64-channel chunks). With more pixels, narrow
      // chunks leave the block room along the row (7 x 32 channels beat
      // 1 x 256 on the 7x7x512 int8 layer).
      // Chunks are whole vectors of the layer's lane width at least: 100
      // of 200 channels would leave the blocks 4 lanes of 8 (32% of the
      // popcount peak on AVX-512, against 76% for whole rows).
      int64_t block = vectorLanes(ranges[O], vectorBits, wordBits(op));
      if (ranges[OX] == 1) {
        PackedConvTileOptions tileOptions;
        tileOptions.vectorBits = vectorBits;
        tileOptions.vectorRegisters = vectorRegisters;
        block = chooseRegisterBlock(ranges[OX], ranges[O], tileOptions,
                                    wordBits(op))
                    .channels;
      }
      int64_t chunk = ranges[O];
      for (int64_t c = std::max<int64_t>(channelChunk, block); c < ranges[O];
           c += block)
        if (ranges[O] % c == 0 && c % block == 0) {
          chunk = c;
          break;
        }
      if (ranges[N] * ranges[OY] * ranges[G] * (ranges[O] / chunk) < 2)
        continue;
      FailureOr<PackedConvOp> tiled =
          tile(rewriter, op, {1, 1, 0, 1, chunk}, /*forall=*/true);
      if (failed(tiled)) {
        op.emitError("bnn-parallelize-packed-conv: cannot tile this packed "
                     "convolution");
        return signalPassFailure();
      }
      chunked.push_back({*tiled, chunk});
    }
    for (auto [tiled, chunk] : chunked)
      chunkMajorFilter(rewriter, tiled, chunk);
  }
};
} // namespace
