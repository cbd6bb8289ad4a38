//===- VectorizePackedConv.cpp - bnn-vectorize-packed-conv pass -----------===//
//
// A packed convolution block (a few output pixels x a few vectors of output
// channels) becomes loops over its reduction dims (p, q, ky, kx, w) that
// carry one vector accumulator per pixel and channel vector:
//
//   for p, q, ky, kx, w:                       (iter_args: accumulators)
//     a[px]  = broadcast(input[p, n, iy(px, ky), ix(px, kx), g, w])
//     wv[j]  = filter[q, g, ky, kx, w, o0 + j*L .. o0 + j*L + L]
//     acc[px][j] += term(a[px], wv[j])          (the op's term, lane-wise)
//   out[.., px, .., o0 + j*L ..] += trunc(acc[px][j])
//
// Accumulating the 64-bit terms and truncating once is exact: the original
// body adds the truncated terms modulo 2^32, and truncation commutes with
// addition. With byte popcounts, a term popcount(x) is counted per byte
// and summed in 8-bit lanes for at most 31 words before it is widened.
//
//===----------------------------------------------------------------------===//

#include "Lanewise.h"
#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "bnn-vectorize-packed-conv"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNVECTORIZEPACKEDCONVPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::packed_conv;
using namespace mlir::bnn::lanewise;

namespace {

/// Most words a byte accumulator takes before it is widened: a byte's
/// popcount is at most 8 and 8 x 31 = 248 < 256.
constexpr int64_t kMaxBytesWords = 31;

struct VectorizeOptions {
  unsigned vectorBits;
  bool bytePopcount;
  int64_t maxAccumulators;
};


/// One reduction loop: `dim` advances by `scale` per iteration; a dim split
/// into two loops (the word loop, for byte popcounts) has two levels.
struct Level {
  unsigned dim;
  int64_t count;
  int64_t scale;
};

/// Sum of the bytes of each `laneBits`-bit lane (64 or 32) of `bytes`
/// (each at most 248).
Value widenBytes(OpBuilder &b, Location loc, Value bytes, int64_t lanes,
                 unsigned laneBits) {
  auto laneVec = VectorType::get({lanes}, b.getIntegerType(laneBits));
  auto splat = [&](uint64_t c) {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(laneVec, APInt(laneBits, c, /*isSigned=*/false,
                                              /*implicitTrunc=*/true)));
  };
  Value x = vector::BitCastOp::create(b, loc, laneVec, bytes);
  Value m = splat(0x00ff00ff00ff00ffULL);
  // 16-bit sums of byte pairs, then the sum of those.
  x = arith::AddIOp::create(
      b, loc, arith::AndIOp::create(b, loc, x, m),
      arith::AndIOp::create(
          b, loc, arith::ShRUIOp::create(b, loc, x, splat(8)), m));
  for (unsigned shift = 16; shift < laneBits; shift *= 2)
    x = arith::AddIOp::create(b, loc, x,
                              arith::ShRUIOp::create(b, loc, x, splat(shift)));
  return arith::AndIOp::create(b, loc, x, splat(0xffff));
}

/// The element of `t` if it is a splat constant, seen through the slices
/// and reshapes that tiling puts between a constant and its use.
std::optional<APInt> splatValue(Value t) {
  while (Operation *def = t.getDefiningOp()) {
    if (isa<tensor::ExtractSliceOp, tensor::ExpandShapeOp,
            tensor::CollapseShapeOp>(def)) {
      t = def->getOperand(0);
      continue;
    }
    DenseIntElementsAttr value;
    if (matchPattern(def, m_Constant(&value)) && value.isSplat())
      return value.getSplatValue<APInt>();
    break;
  }
  return std::nullopt;
}

/// Index values of a packed convolution map with the parallel dims fixed to
/// `point` (n, oy, ox, g, o) and the reduction dims given by `dims`.
SmallVector<Value> indicesAt(OpBuilder &b, Location loc, AffineMap map,
                             ArrayRef<int64_t> point, ArrayRef<Value> dims) {
  SmallVector<OpFoldResult> operands;
  for (unsigned d = 0; d < NumDims; ++d)
    operands.push_back(d < kNumParallel
                           ? OpFoldResult(b.getIndexAttr(point[d]))
                           : OpFoldResult(dims[d]));
  return applyMap(b, loc, map, operands);
}

/// Vectorizes `op`, or leaves it unchanged and says why in `why`.
LogicalResult vectorize(RewriterBase &rewriter, PackedConvOp op,
                        const VectorizeOptions &options, std::string &why) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t lanes = vectorLanes(ranges[O], options.vectorBits, wordBits(op));
  int64_t points = ranges[N] * ranges[OY] * ranges[OX] * ranges[G];
  if (points * (ranges[O] / lanes) > options.maxAccumulators) {
    LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << points << " points x "
                            << ranges[O] / lanes
                            << " vectors exceed max-accumulators; blocks of "
                               "one pixel and one vector\n");
    FailureOr<PackedConvOp> tiled =
        tile(rewriter, op, {1, 1, 1, 1, lanes}, /*forall=*/false);
    if (failed(tiled)) {
      why = "splitting it into blocks of one pixel and one vector failed";
      return failure();
    }
    op = *tiled;
    ranges = op.getStaticLoopRanges();
    points = 1;
  }
  // Output channels are the innermost dim of the filter and the result,
  // and only there: a channel vector is one contiguous load.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  PackedTerm kind = op.getTerm();
  // Only a plain popcount can be counted per byte: binary x binary, and
  // one plane of each unsigned operand (no shift).
  bool onePopcount =
      kind == PackedTerm::Xor ||
      (kind == PackedTerm::UnsignedWeights && ranges[P] == 1 && ranges[Q] == 1);
  bool bytes = options.bytePopcount && onePopcount;
  // Bit-serial terms are shifted by their planes: summed unshifted over
  // the taps and words of one plane pair, then shifted once.
  bool hoistShift =
      kind != PackedTerm::Xor && (ranges[P] > 1 || ranges[Q] > 1) && !bytes;
  LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << points << " points x "
                          << ranges[O] / lanes << " vectors of " << lanes
                          << " lanes, "
                          << (bytes ? "byte popcounts widened lazily"
                                    : "popcounts in the accumulator's lanes")
                          << "\n");

  // The reduction loops, outermost first; the byte accumulators live in
  // the innermost levels whose trip counts multiply to at most 31 words.
  SmallVector<Level> levels;
  for (unsigned d : {P, Q, KY, KX}) // unit trip counts fold away later
    levels.push_back({d, ranges[d], 1});
  int64_t wordChunk =
      bytes ? largestDivisorAtMost(ranges[W], kMaxBytesWords) : ranges[W];
  if (wordChunk != ranges[W])
    levels.push_back({W, ranges[W] / wordChunk, wordChunk});
  levels.push_back({W, wordChunk, 1});
  size_t byteLevel = levels.size();
  for (int64_t words = 1; bytes && byteLevel > 0 &&
                          words * levels[byteLevel - 1].count <= kMaxBytesWords;
       --byteLevel)
    words *= levels[byteLevel - 1].count;

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  // Accumulators have the lanes of the words: popcounts of 64-bit words
  // accumulate in i64 lanes (truncated once at the end), those of 32-bit
  // words and byte dot products in i32 lanes.
  Type wordType = rewriter.getIntegerType(wordBits(op));
  Type accElement = wordType;
  auto accType = VectorType::get({lanes}, accElement);
  auto byteType = VectorType::get({lanes * wordBits(op) / 8},
                                  rewriter.getI8Type());
  int64_t vectors = ranges[O] / lanes;
  int64_t numAcc = points * vectors;
  Value zero = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(accType,
                             APInt(accElement.getIntOrFloatBitWidth(), 0)));
  Value zeroBytes = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(byteType, APInt(8, 0)));

  // The parallel coordinates (n, oy, ox, g) of each block point.
  SmallVector<SmallVector<int64_t>> pointCoords;
  for (int64_t n = 0; n < ranges[N]; ++n)
    for (int64_t y = 0; y < ranges[OY]; ++y)
      for (int64_t x = 0; x < ranges[OX]; ++x)
        for (int64_t g = 0; g < ranges[G]; ++g)
          pointCoords.push_back({n, y, x, g, 0});

  Value input = op.getInput(), filter = op.getFilter();
  // A splat filter (a constant of one repeated word) is read as a constant
  // vector: the filter then needs no storage, and a splat of any size costs
  // the artifact nothing.
  std::optional<APInt> splatWord = splatValue(filter);
  auto step = [&](OpBuilder &b, Location l, ArrayRef<Value> dims,
                  ValueRange accs, bool countBytes) {
    SmallVector<Value> next;
    DenseMap<int64_t, Value> weights; // by g * vectors + j
    for (auto [p, point] : llvm::enumerate(pointCoords)) {
      Value word = tensor::ExtractOp::create(
          b, l, input, indicesAt(b, l, maps[0], point, dims));
      Value a = splatTo(b, l, word, lanes);
      for (int64_t j = 0; j < vectors; ++j) {
        Value &w = weights[point[G] * vectors + j];
        if (!w && splatWord) {
          w = arith::ConstantOp::create(
              b, l,
              DenseElementsAttr::get(VectorType::get({lanes}, wordType),
                                     *splatWord));
        } else if (!w) {
          SmallVector<int64_t> at = point;
          at[O] = j * lanes;
          Value pad = arith::ConstantOp::create(
              b, l, b.getIntegerAttr(wordType, 0));
          w = vector::TransferReadOp::create(
              b, l, VectorType::get({lanes}, wordType), filter,
              indicesAt(b, l, maps[1], at, dims), pad,
              ArrayRef<bool>{true});
        }
        Value acc = accs[p * vectors + j];
        if (isByteDot(kind)) {
          next.push_back(ByteDotOp::create(
              b, l, acc.getType(), acc, a, w,
              /*signed_a=*/kind == PackedTerm::SignedByteDot));
        } else if (countBytes) {
          Value x = kind == PackedTerm::Xor
                        ? arith::XOrIOp::create(b, l, a, w).getResult()
                        : arith::AndIOp::create(b, l, a, w).getResult();
          Value counts = math::CtPopOp::create(
              b, l, vector::BitCastOp::create(b, l, byteType, x));
          next.push_back(arith::AddIOp::create(b, l, acc, counts));
        } else {
          Value t = buildTerm(b, l, kind, a, w, dims[P], dims[Q],
                              /*shifted=*/!hoistShift);
          next.push_back(arith::AddIOp::create(b, l, acc, t));
        }
      }
    }
    return next;
  };

  // Builds levels[level..] around `step`; `dims` collects the reduction
  // dims' index values as the loops open.
  // `inBytes`: the accumulators are byte accumulators.
  // `inPlanes`: the accumulators sum one plane pair's unshifted terms.
  std::function<SmallVector<Value>(OpBuilder &, unsigned, SmallVector<Value>,
                                   ValueRange, bool, bool)>
      build = [&](OpBuilder &b, unsigned level, SmallVector<Value> dims,
                  ValueRange accs, bool inBytes,
                  bool inPlanes) -> SmallVector<Value> {
    // Below the plane loops (levels 0 and 1): fresh accumulators, shifted
    // by the planes and added after.
    if (hoistShift && !inPlanes && level == 2) {
      SmallVector<Value> summed =
          build(b, level, dims, SmallVector<Value>(numAcc, zero), inBytes,
                /*inPlanes=*/true);
      SmallVector<Value> shifted;
      for (auto [acc, sum] : llvm::zip(accs, summed))
        shifted.push_back(arith::AddIOp::create(
            b, loc, acc,
            shiftByPlanes(b, loc, kind, sum, dims[P], dims[Q])));
      return shifted;
    }
    if (bytes && !inBytes && level == byteLevel) {
      // Entering the byte levels: fresh byte accumulators, widened after.
      SmallVector<Value> counted =
          build(b, level, dims, SmallVector<Value>(numAcc, zeroBytes),
                /*inBytes=*/true, inPlanes);
      SmallVector<Value> widened;
      for (auto [acc, c] : llvm::zip(accs, counted))
        widened.push_back(arith::AddIOp::create(
            b, loc, acc, widenBytes(b, loc, c, lanes, wordBits(op))));
      return widened;
    }
    if (level == levels.size())
      return step(b, loc, dims, accs, inBytes);
    Level lv = levels[level];
    Value lb = arith::ConstantIndexOp::create(b, loc, 0);
    Value ub = arith::ConstantIndexOp::create(b, loc, lv.count);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, one, accs,
        [&](OpBuilder &nb, Location nl, Value iv, ValueRange iterArgs) {
          SmallVector<Value> inner = dims;
          Value scaled = lv.scale == 1
                             ? iv
                             : arith::MulIOp::create(
                                   nb, nl, iv,
                                   arith::ConstantIndexOp::create(nb, nl,
                                                                  lv.scale));
          inner[lv.dim] = inner[lv.dim]
                              ? arith::AddIOp::create(nb, nl, inner[lv.dim],
                                                      scaled)
                              : scaled;
          scf::YieldOp::create(
              nb, nl, build(nb, level + 1, inner, iterArgs, inBytes, inPlanes));
        });
    return loop.getResults();
  };
  SmallVector<Value> noDims(NumDims, Value());
  SmallVector<Value> accs =
      build(rewriter, 0, noDims, SmallVector<Value>(numAcc, zero),
            /*inBytes=*/false, /*inPlanes=*/false);

  // out[point, o0 + j*L ..] += trunc(acc). Truncated 64-bit accumulators
  // fill half a vector: pairs of them are joined and stored as one whole
  // vector, so that the epilogue's whole-vector loads of the results read
  // what one store wrote (a load spanning two stores cannot take its data
  // from the store buffer and waits for both to reach the cache: 14% of a
  // 1x1 layer's time on AVX-512).
  Value out = op.getInit();
  auto fill = out.getDefiningOp<linalg::FillOp>();
  bool zeroInit = fill && matchPattern(fill.getInputs()[0], m_Zero());
  auto outElement = cast<RankedTensorType>(out.getType()).getElementType();
  int64_t join = accElement.getIntOrFloatBitWidth() == 64 &&
                         outElement.getIntOrFloatBitWidth() == 32 &&
                         vectors % 2 == 0
                     ? 2
                     : 1;
  auto outVec = VectorType::get({lanes * join}, outElement);
  auto partVec = VectorType::get({lanes}, outElement);
  Value outPad = arith::ConstantOp::create(
      rewriter, loc, rewriter.getIntegerAttr(outElement, 0));
  SmallVector<Value> none(NumDims, Value());
  for (auto [p, point] : llvm::enumerate(pointCoords))
    for (int64_t j = 0; j < vectors; j += join) {
      SmallVector<int64_t> at = point;
      at[O] = j * lanes;
      SmallVector<Value> idx = indicesAt(rewriter, loc, maps[2], at, none);
      auto narrow = [&](Value v) {
        return accElement == outElement
                   ? v
                   : arith::TruncIOp::create(rewriter, loc, partVec, v)
                         .getResult();
      };
      Value acc = narrow(accs[p * vectors + j]);
      if (join == 2) // acc ++ next: the 2 x lanes lanes of the two.
        acc = vector::ShuffleOp::create(
            rewriter, loc, acc, narrow(accs[p * vectors + j + 1]),
            llvm::to_vector(llvm::seq<int64_t>(0, 2 * lanes)));
      // Accumulators that start at zero (the fill tiling fused into the
      // block) are written, not added to.
      Value sum = acc;
      if (!zeroInit) {
        Value old = vector::TransferReadOp::create(rewriter, loc, outVec, out,
                                                   idx, outPad,
                                                   ArrayRef<bool>{true});
        sum = arith::AddIOp::create(rewriter, loc, old, acc);
      }
      out = vector::TransferWriteOp::create(rewriter, loc, sum, out, idx,
                                            ArrayRef<bool>{true})
                .getResult();
    }
  rewriter.replaceOp(op, out);

  // The epilogue that tiling fused into the block (zero-point corrections,
  // requantization, float glue) runs on the block's vectors too, rather
  // than as loops over the accumulators.
  if (!out.hasOneUse())
    return success();
  auto epilogue = dyn_cast<linalg::GenericOp>(*out.getUsers().begin());
  // Vectors of sub-byte elements (i1, ui2..) are stored bit-packed by LLVM,
  // while tensors of them keep a byte per element: such epilogues stay
  // loops.
  auto wholeBytes = [](Type t) {
    return getElementTypeOrSelf(t).getIntOrFloatBitWidth() % 8 == 0;
  };
  if (epilogue &&
      (!llvm::all_of(epilogue->getOperandTypes(), wholeBytes) ||
       !llvm::all_of(epilogue->getResultTypes(), wholeBytes)))
    return success();
  if (epilogue && epilogue.hasPureTensorSemantics() &&
      epilogue.getNumReductionLoops() == 0 && epilogue->getNumResults() == 1 &&
      cast<ShapedType>(epilogue->getResult(0).getType()).getShape() ==
          cast<ShapedType>(out.getType()).getShape()) {
    rewriter.setInsertionPoint(epilogue);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, epilogue);
    if (succeeded(result))
      rewriter.replaceOp(epilogue, result->replacements);
  }
  return success();
}

struct BNNVectorizePackedConvPass
    : public bnn::impl::BNNVectorizePackedConvPassBase<
          BNNVectorizePackedConvPass> {
  using Base::Base;
  void runOnOperation() override {
    VectorizeOptions options{vectorBits, popcount == PopcountLanes::Bytes,
                             maxAccumulators};
    IRRewriter rewriter(&getContext());
    // What cannot be vectorized stays loops: correct, only slower.
    SmallVector<PackedConvOp> convs;
    getOperation().walk([&](PackedConvOp op) { convs.push_back(op); });
    for (PackedConvOp op : convs) {
      std::string why;
      if (const char *reason = whyNotTransformed(op))
        why = reason;
      else if (succeeded(vectorize(rewriter, op, options, why)))
        continue;
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": not vectorized: " << why
                              << "\n");
      if (remarks)
        op.emitRemark() << "packed convolution not vectorized: " << why;
    }
    SmallVector<linalg::GenericOp> packs;
    getOperation().walk([&](linalg::GenericOp op) {
      if (bitPackBit(op))
        packs.push_back(op);
    });
    for (linalg::GenericOp op : packs) {
      std::string why;
      if (succeeded(vectorizeBitPack(rewriter, op, why)) || why.empty())
        continue;
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": packing not vectorized: "
                              << why << "\n");
      if (remarks)
        op.emitRemark() << "bit packing not vectorized: " << why;
    }
  }
};

} // namespace
