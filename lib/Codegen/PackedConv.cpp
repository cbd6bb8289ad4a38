//===- PackedConv.cpp - helpers for packed convolutions -------------------===//

#include "PackedConv.h"
#include "Lanewise.h"

#include "bnn/Codegen/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bnn;

const char *packed_conv::whyNotTransformed(PackedConvOp op) {
  if (!op.hasPureTensorSemantics())
    return "it is on memrefs";
  if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return "its loop ranges are not static";
  return nullptr;
}

SmallVector<PackedConvOp> packed_conv::collect(Operation *root) {
  SmallVector<PackedConvOp> ops;
  root->walk([&](PackedConvOp op) {
    if (!whyNotTransformed(op))
      ops.push_back(op);
  });
  return ops;
}

Value packed_conv::shiftByPlanes(OpBuilder &b, Location loc, PackedTerm kind,
                                 Value v, Value p, Value q) {
  SmallVector<Value> planes;
  if (kind == PackedTerm::SignedWeights)
    planes = {p};
  else if (kind == PackedTerm::UnsignedWeights)
    planes = {p, q};
  if (planes.empty())
    return v;
  Type i64 = b.getI64Type();
  Value shift = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
  for (Value plane : planes)
    shift = arith::AddIOp::create(
        b, loc, shift, arith::IndexCastOp::create(b, loc, i64, plane));
  // Scalar shifts of vector values are splatted.
  if (auto vector = dyn_cast<VectorType>(v.getType()))
    shift = lanewise::splatTo(b, loc, shift, vector.getNumElements());
  return arith::ShLIOp::create(b, loc, v, shift);
}

Value packed_conv::buildTerm(OpBuilder &b, Location loc, PackedTerm kind,
                             Value a, Value w, Value p, Value q,
                             bool shifted) {
  auto shift = [&](Value v) {
    return shifted ? shiftByPlanes(b, loc, kind, v, p, q) : v;
  };
  switch (kind) {
  case PackedTerm::Xor:
    return math::CtPopOp::create(b, loc, arith::XOrIOp::create(b, loc, a, w));
  case PackedTerm::SignedWeights: {
    Value all = math::CtPopOp::create(b, loc, a);
    Value neg =
        math::CtPopOp::create(b, loc, arith::AndIOp::create(b, loc, a, w));
    Value one = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(1));
    if (auto vector = dyn_cast<VectorType>(a.getType()))
      one = lanewise::splatTo(b, loc, one, vector.getNumElements());
    Value twice = arith::ShLIOp::create(b, loc, neg, one);
    return shift(arith::SubIOp::create(b, loc, all, twice));
  }
  case PackedTerm::UnsignedWeights:
    return shift(
        math::CtPopOp::create(b, loc, arith::AndIOp::create(b, loc, a, w)));
  case PackedTerm::ByteDot:
    return byteDotTerm(b, loc, a, w);
  case PackedTerm::SignedByteDot:
    return byteDotTerm(b, loc, a, w, /*signedA=*/true);
  }
  llvm_unreachable("unknown packed term");
}

Value packed_conv::byteDotTerm(OpBuilder &b, Location loc, Value a, Value w,
                               bool signedA) {
  auto vector = dyn_cast<VectorType>(a.getType());
  int64_t lanes = vector ? vector.getNumElements() : 1;
  Type i32 = b.getI32Type();
  auto words = VectorType::get({lanes}, i32);
  auto bytes = VectorType::get({4 * lanes}, b.getI8Type());
  auto wide = VectorType::get({4 * lanes}, i32);
  // The bytes of each word in memory order: bits 8j.. of a word are its
  // byte j on the little-endian targets bnn generates code for.
  auto asBytes = [&](Value v) {
    if (!vector)
      v = vector::BroadcastOp::create(b, loc, words, v);
    return vector::BitCastOp::create(b, loc, bytes, v).getResult();
  };
  Value wideA =
      signedA ? arith::ExtSIOp::create(b, loc, wide, asBytes(a)).getResult()
              : arith::ExtUIOp::create(b, loc, wide, asBytes(a)).getResult();
  Value products = arith::MulIOp::create(
      b, loc, wideA, arith::ExtSIOp::create(b, loc, wide, asBytes(w)));
  // Byte j of every word, then the sum over j: a form LLVM turns into
  // pmaddwd (x86) or smlal (NEON).
  Value sum;
  for (int64_t j = 0; j < 4; ++j) {
    SmallVector<int64_t> mask;
    for (int64_t lane = 0; lane < lanes; ++lane)
      mask.push_back(4 * lane + j);
    Value part =
        vector::ShuffleOp::create(b, loc, products, products, mask);
    sum = sum ? arith::AddIOp::create(b, loc, sum, part).getResult() : part;
  }
  if (!vector)
    return vector::ExtractOp::create(b, loc, sum, ArrayRef<int64_t>{0});
  return sum;
}

bool packed_conv::isByteDot(PackedTerm kind) {
  return kind == PackedTerm::ByteDot || kind == PackedTerm::SignedByteDot;
}

unsigned packed_conv::wordBits(PackedConvOp op) {
  return cast<ShapedType>(op.getInput().getType()).getElementTypeBitWidth();
}

linalg::GenericOp packed_conv::generalize(RewriterBase &rewriter,
                                          PackedConvOp op) {
  rewriter.setInsertionPoint(op);
  PackedTerm kind = op.getTerm();
  SmallVector<utils::IteratorType> iterators = op.getLoopIteratorTypes();
  auto generic = linalg::GenericOp::create(
      rewriter, op.getLoc(), op->getResultTypes(),
      ValueRange{op.getInput(), op.getFilter()}, ValueRange{op.getInit()},
      op.getIndexingMapsArray(), iterators, /*doc=*/"", /*libraryCall=*/"",
      [&](OpBuilder &b, Location loc, ValueRange args) {
        // Only the bit-serial terms read the plane indices.
        Value p = kind == PackedTerm::Xor || isByteDot(kind)
                      ? Value()
                      : linalg::IndexOp::create(b, loc, P).getResult();
        Value q = kind == PackedTerm::UnsignedWeights
                      ? linalg::IndexOp::create(b, loc, Q).getResult()
                      : Value();
        Value term = buildTerm(b, loc, kind, args[0], args[1], p, q);
        Value narrow =
            term.getType() == b.getI32Type()
                ? term
                : arith::TruncIOp::create(b, loc, b.getI32Type(), term);
        linalg::YieldOp::create(
            b, loc, ValueRange{arith::AddIOp::create(b, loc, args[2], narrow)});
      });
  rewriter.replaceOp(op, generic->getResults());
  return generic;
}

Value packed_conv::bitPackBit(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 1)
    return Value();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned b = ranges.size() - 1;
  Block &body = op.getRegion().front();
  Value acc = body.getArguments().back();
  if (!acc.getType().isInteger(32) && !acc.getType().isInteger(64))
    return Value();
  if (iterators[b] != utils::IteratorType::reduction ||
      ranges[b] > acc.getType().getIntOrFloatBitWidth() ||
      llvm::any_of(ranges, ShapedType::isDynamic))
    return Value();
  auto orOp = body.getTerminator()->getOperand(0).getDefiningOp<arith::OrIOp>();
  if (!orOp ||
      (orOp.getLhs() != acc && orOp.getRhs() != acc))
    return Value();
  Value shifted = orOp.getLhs() == acc ? orOp.getRhs() : orOp.getLhs();
  auto shl = shifted.getDefiningOp<arith::ShLIOp>();
  if (!shl)
    return Value();
  auto ext = shl.getLhs().getDefiningOp<arith::ExtUIOp>();
  auto cast = shl.getRhs().getDefiningOp<arith::IndexCastOp>();
  auto index = cast ? cast.getIn().getDefiningOp<linalg::IndexOp>() : nullptr;
  if (!ext || !ext.getIn().getType().isInteger(1) || !index ||
      index.getDim() != b)
    return Value();
  return ext.getIn();
}

int64_t packed_conv::packWordBits(linalg::GenericOp pack) {
  return getElementTypeOrSelf(pack.getDpsInits()[0].getType())
      .getIntOrFloatBitWidth();
}

int64_t packed_conv::largestDivisorAtMost(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

linalg::GenericOp packed_conv::fusibleEpilogue(PackedConvOp conv) {
  Value result = conv->getResult(0);
  if (!result.hasOneUse())
    return nullptr;
  OpOperand &use = *result.use_begin();
  auto epilogue = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!epilogue || !epilogue.hasPureTensorSemantics() ||
      epilogue.getNumReductionLoops() != 0 ||
      epilogue.getNumDpsInits() != 1 || epilogue->getNumResults() != 1 ||
      epilogue.isDpsInit(&use) ||
      !epilogue.getMatchingIndexingMap(&use).isIdentity() ||
      !epilogue.getIndexingMapMatchingResult(epilogue->getResult(0))
           .isIdentity() ||
      cast<ShapedType>(epilogue->getResult(0).getType()).getShape() !=
          cast<ShapedType>(result.getType()).getShape())
    return nullptr;
  return epilogue;
}

linalg::GenericOp packed_conv::fusiblePack(PackedConvOp conv) {
  Value result = conv->getResult(0);
  if (!result.hasOneUse() ||
      cast<ShapedType>(result.getType()).getRank() != 4)
    return nullptr;
  OpOperand &use = *result.use_begin();
  auto pack = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!pack || !bitPackBit(pack) || pack.isDpsInit(&use) ||
      pack.getNumLoops() != 5 ||
      pack.getStaticLoopRanges().back() != packWordBits(pack))
    return nullptr;
  MLIRContext *ctx = conv.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap expected = AffineMap::get(
      5, 0, {d(0), d(1), d(2), d(3) * packWordBits(pack) + d(4)}, ctx);
  if (pack.getMatchingIndexingMap(&use) != expected)
    return nullptr;
  return pack;
}

/// Tiles `consumer` by `sizes` (its own dims) and fuses `conv` and fills
/// into each tile; returns the tiled convolution.
static FailureOr<PackedConvOp>
tileConsumerAndFuse(RewriterBase &rewriter, PackedConvOp conv,
                    linalg::GenericOp consumer, ArrayRef<int64_t> sizes,
                    scf::SCFTilingOptions options) {
  options.setTileSizes(getAsIndexOpFoldResult(conv.getContext(), sizes));
  scf::SCFTileAndFuseOptions fuseOptions;
  fuseOptions.setTilingOptions(options);
  Operation *convOp = conv;
  fuseOptions.setFusionControlFn(
      [convOp](tensor::ExtractSliceOp, OpResult producer, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (producer.getOwner() == convOp ||
            isa<linalg::FillOp>(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(consumer);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(consumer.getOperation()),
          fuseOptions);
  if (failed(fused))
    return failure();
  PackedConvOp tiledConv;
  for (Operation *tiled : fused->tiledAndFusedOps)
    if (auto packed = dyn_cast<PackedConvOp>(tiled))
      tiledConv = packed;
  Value replacement = fused->replacements.lookup(consumer->getResult(0));
  if (!tiledConv || !replacement)
    return failure();
  rewriter.replaceAllUsesWith(consumer->getResult(0), replacement);
  rewriter.eraseOp(consumer);
  // The untiled convolution may still be read as the destination of the
  // fills that restart the tiles, whose values a fill ignores: those become
  // empty tensors, so that the tiles are the only readers of its operands
  // (bnn-parallelize-packed-conv regroups a filter that only they read).
  SmallVector<tensor::ExtractSliceOp> fillDests;
  for (Operation *user : conv->getUsers()) {
    auto slice = dyn_cast<tensor::ExtractSliceOp>(user);
    if (!slice || !llvm::all_of(slice->getUses(), [](OpOperand &use) {
          auto fill = dyn_cast<linalg::FillOp>(use.getOwner());
          return fill && fill.isDpsInit(&use);
        }))
      return tiledConv;
    fillDests.push_back(slice);
  }
  for (tensor::ExtractSliceOp slice : fillDests) {
    rewriter.setInsertionPoint(slice);
    rewriter.replaceOpWithNewOp<tensor::EmptyOp>(
        slice, slice.getResultType().getShape(),
        slice.getResultType().getElementType());
  }
  rewriter.eraseOp(conv);
  return tiledConv;
}

FailureOr<PackedConvOp>
packed_conv::tile(RewriterBase &rewriter, PackedConvOp op,
                  ArrayRef<int64_t> sizes, bool forall, bool fuseConsumer) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> all(NumDims, 0);
  bool trivial = true;
  for (unsigned d = 0; d < kNumParallel; ++d) {
    if (sizes[d] && ranges[d] % sizes[d] != 0)
      return failure();
    all[d] = sizes[d] == ranges[d] ? 0 : sizes[d];
    trivial &= all[d] == 0;
  }
  if (trivial)
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(forall ? scf::SCFTilingOptions::LoopType::ForallOp
                             : scf::SCFTilingOptions::LoopType::ForOp);
  rewriter.setInsertionPoint(op);
  // Tasks run in the order of their index; channel chunks outermost make
  // consecutive tasks (one thread's share, under a static schedule) reuse
  // one chunk's weights across rows from cache, rather than every row
  // streaming all weights again (2.4 MB for the 7x7x512 int8 layer).
  auto channelsFirst = [&](unsigned rank, unsigned channelDim) {
    if (!forall)
      return;
    SmallVector<int64_t> order = {channelDim};
    for (unsigned d = 0; d < rank; ++d)
      if (d != channelDim)
        order.push_back(d);
    options.setInterchange(order);
  };

  // With an elementwise epilogue, the epilogue is tiled and the convolution
  // (and the fill of its accumulators) computed per tile inside it: the
  // accumulators of a block are consumed while they are in cache.
  if (linalg::GenericOp epilogue = fuseConsumer ? fusibleEpilogue(op)
                                                : linalg::GenericOp()) {
    // The epilogue's dims are the convolution's result dims.
    AffineMap outMap = op.getIndexingMapsArray()[2];
    SmallVector<int64_t> epilogueSizes;
    for (AffineExpr e : outMap.getResults())
      epilogueSizes.push_back(all[cast<AffineDimExpr>(e).getPosition()]);
    channelsFirst(epilogueSizes.size(), epilogueSizes.size() - 1);
    return tileConsumerAndFuse(rewriter, op, epilogue, epilogueSizes,
                               options);
  }
  // Likewise the packing of a binary result into words (after
  // bnn-fuse-bitpack: thresholds included), in tiles of whole words.
  int64_t channels = all[O] ? all[O] : ranges[O];
  linalg::GenericOp pack =
      fuseConsumer ? fusiblePack(op) : linalg::GenericOp();
  if (pack && channels % packWordBits(pack) == 0) {
    SmallVector<int64_t> packSizes = {all[N], all[OY], all[OX],
                                      all[O] / packWordBits(pack), 0};
    channelsFirst(packSizes.size(), 3);
    return tileConsumerAndFuse(rewriter, op, pack, packSizes, options);
  }

  channelsFirst(NumDims, O);
  options.setTileSizes(getAsIndexOpFoldResult(op.getContext(), all));
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled) || tiled->tiledOps.size() != 1)
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  auto result = dyn_cast<PackedConvOp>(tiled->tiledOps.front());
  if (!result)
    return failure();
  return result;
}
