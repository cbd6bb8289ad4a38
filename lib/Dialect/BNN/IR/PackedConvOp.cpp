//===- PackedConvOp.cpp - the packed convolution --------------------------===//
//
// Verifier, tiling and bufferization of bnn.packed_conv. Its operands'
// maps are those of the linalg.generic it generalizes to; tiling slices the
// operands through them as linalg's own tiling does.
//
//===----------------------------------------------------------------------===//

#include "PackedConvInterfaces.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/IR/PackedConv.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::packed_conv;

SmallVector<AffineMap> PackedConvOp::getIndexingMapsArray() {
  MLIRContext *ctx = getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  ArrayRef<int64_t> s = getStrides(), dl = getDilations();
  AffineMap input = AffineMap::get(
      NumDims, 0,
      {d(P), d(N), d(OY) * s[0] + d(KY) * dl[0], d(OX) * s[1] + d(KX) * dl[1],
       d(G), d(W)},
      ctx);
  AffineMap filter =
      AffineMap::get(NumDims, 0, {d(Q), d(G), d(KY), d(KX), d(W), d(O)}, ctx);
  AffineMap out =
      hasGroupDim()
          ? AffineMap::get(NumDims, 0, {d(N), d(OY), d(OX), d(G), d(O)}, ctx)
          : AffineMap::get(NumDims, 0, {d(N), d(OY), d(OX), d(O)}, ctx);
  return {input, filter, out};
}

/// Where each loop's range is read: (operand, dim).
static constexpr std::pair<unsigned, unsigned> kRangeSource[NumDims] = {
    {0, 1}, // n: input
    {2, 1}, // oy: accumulators
    {2, 2}, // ox
    {0, 4}, // g: input
    {2, 0}, // o: accumulators, last dim (see below)
    {0, 0}, // p: input planes
    {1, 0}, // q: filter planes
    {1, 2}, // ky: filter
    {1, 3}, // kx
    {0, 5}, // w: input words
};

static unsigned rangeDim(PackedConvOp op, unsigned loop) {
  if (loop == O)
    return op.hasGroupDim() ? 4 : 3;
  return kRangeSource[loop].second;
}

SmallVector<int64_t> PackedConvOp::getStaticLoopRanges() {
  SmallVector<int64_t> ranges;
  for (unsigned loop = 0; loop < NumDims; ++loop)
    ranges.push_back(cast<ShapedType>(
                         getOperation()->getOperand(kRangeSource[loop].first)
                             .getType())
                         .getDimSize(rangeDim(*this, loop)));
  return ranges;
}

LogicalResult PackedConvOp::verify() {
  auto input = cast<ShapedType>(getInput().getType());
  auto filter = cast<ShapedType>(getFilter().getType());
  auto init = cast<ShapedType>(getInit().getType());
  bool tensors = isa<RankedTensorType>(init);
  if (isa<RankedTensorType>(input) != tensors ||
      isa<RankedTensorType>(filter) != tensors)
    return emitOpError("requires operands that are all tensors or all "
                       "memrefs");
  if (tensors != (getNumResults() == 1))
    return emitOpError("requires one result on tensors and none on memrefs");
  if (tensors && getResult()[0].getType() != init)
    return emitOpError() << "result type " << getResult()[0].getType()
                         << " differs from the accumulators' " << init;
  if (llvm::any_of(getStrides(), [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(getDilations(), [](int64_t v) { return v <= 0; }))
    return emitOpError("requires positive strides and dilations");

  // Each loop's range where it is read, compared with the other operands.
  auto check = [&](StringRef what, int64_t a, int64_t b) -> LogicalResult {
    if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b)
      return success();
    return emitOpError() << what << " differ: " << a << " vs " << b;
  };
  int64_t groups = input.getDimSize(4);
  if (failed(check("groups of input and filter", groups,
                   filter.getDimSize(1))) ||
      failed(check("words of input and filter", input.getDimSize(5),
                   filter.getDimSize(4))) ||
      failed(check("batch of input and accumulators", input.getDimSize(1),
                   init.getDimSize(0))) ||
      failed(check("output channels of filter and accumulators",
                   filter.getDimSize(5),
                   init.getDimSize(init.getRank() - 1))))
    return failure();
  if (hasGroupDim()) {
    if (failed(check("groups of input and accumulators", groups,
                     init.getDimSize(3))))
      return failure();
  } else if (failed(check("groups of input and accumulators without a group "
                          "dimension",
                          groups, 1))) {
    return failure();
  }
  PackedTerm term = getTerm();
  bool bytes =
      term == PackedTerm::ByteDot || term == PackedTerm::SignedByteDot;
  // Binary words may be 32 bits wide (channel counts 32 past a multiple
  // of 64); the bit-serial terms shift 64-bit terms by their planes.
  unsigned wordBits = bytes ? 32 : 64;
  if (term == PackedTerm::Xor && input.getElementType().isInteger(32))
    wordBits = 32;
  if (!input.getElementType().isInteger(wordBits) ||
      !filter.getElementType().isInteger(wordBits))
    return emitOpError() << "requires "
                         << (term == PackedTerm::Xor
                                 ? "i64 or i32"
                                 : (Twine("i") + Twine(wordBits)).str())
                         << " words, the same for input and filter, for term "
                         << stringifyPackedTerm(term);
  if (bytes &&
      failed(check("input planes and 1 (one for this term)",
                   input.getDimSize(0), 1)))
    return failure();
  if (term != PackedTerm::UnsignedWeights &&
      failed(check("filter planes and 1 (one for this term)",
                   filter.getDimSize(0), 1)))
    return failure();
  if (term == PackedTerm::Xor &&
      failed(check("input planes and 1 (one for this term)",
                   input.getDimSize(0), 1)))
    return failure();

  // Every tap in bounds: (OUT - 1) * stride + (K - 1) * dilation < IN.
  for (unsigned i = 0; i < 2; ++i) {
    int64_t out = init.getDimSize(1 + i), k = filter.getDimSize(2 + i),
            in = input.getDimSize(2 + i);
    if (ShapedType::isDynamic(out) || ShapedType::isDynamic(k) ||
        ShapedType::isDynamic(in) || out == 0 || k == 0)
      continue;
    int64_t outReach, kernelReach, last;
    if (llvm::MulOverflow(out - 1, getStrides()[i], outReach) ||
        llvm::MulOverflow(k - 1, getDilations()[i], kernelReach) ||
        llvm::AddOverflow(outReach, kernelReach, last))
      return emitOpError() << (i ? "columns" : "rows")
                           << ": the last tap overflows 64 bits";
    if (last >= in)
      return emitOpError() << (i ? "columns" : "rows") << ": the last tap "
                           << last << " is out of the input's " << in;
  }
  if (RegisterBlockAttr block = getRegisterBlockAttr()) {
    SmallVector<int64_t> ranges = getStaticLoopRanges();
    if ((!ShapedType::isDynamic(ranges[OX]) &&
         ranges[OX] % block.getPixels() != 0) ||
        (!ShapedType::isDynamic(ranges[O]) &&
         ranges[O] % block.getChannels() != 0))
      return emitOpError() << block << " does not divide the " << ranges[OX]
                           << " output columns and " << ranges[O]
                           << " output channels per group";
  }
  return success();
}

void PackedConvOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (hasPureTensorSemantics())
    return;
  for (OpOperand *operand : getDpsInputOperands())
    effects.emplace_back(MemoryEffects::Read::get(), operand,
                         SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Read::get(), &getInitMutable(),
                       SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &getInitMutable(),
                       SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// TilingInterface
//===----------------------------------------------------------------------===//

SmallVector<utils::IteratorType> PackedConvOp::getLoopIteratorTypes() {
  SmallVector<utils::IteratorType> types(kNumParallel,
                                         utils::IteratorType::parallel);
  types.append(NumDims - kNumParallel, utils::IteratorType::reduction);
  return types;
}

SmallVector<Range> PackedConvOp::getIterationDomain(OpBuilder &b) {
  Location loc = getLoc();
  SmallVector<Range> domain;
  for (unsigned loop = 0; loop < NumDims; ++loop) {
    Value operand = getOperation()->getOperand(kRangeSource[loop].first);
    domain.push_back(Range{
        b.getIndexAttr(0),
        linalg::createFoldedDimOp(b, loc, operand, rangeDim(*this, loop)),
        b.getIndexAttr(1)});
  }
  return domain;
}

FailureOr<TilingResult>
PackedConvOp::getTiledImplementation(OpBuilder &b,
                                     ArrayRef<OpFoldResult> offsets,
                                     ArrayRef<OpFoldResult> sizes) {
  // The term shifts by the plane indices: a tile of planes would restart
  // them at 0.
  SmallVector<int64_t> ranges = getStaticLoopRanges();
  for (unsigned loop : {P, Q})
    if (!isZeroInteger(offsets[loop]) ||
        getConstantIntValue(sizes[loop]) != ranges[loop] ||
        ShapedType::isDynamic(ranges[loop]))
      return emitOpError("cannot be tiled along its bit planes");

  Location loc = getLoc();
  IRRewriter rewriter(b);
  SmallVector<OpFoldResult> lastIndex;
  for (OpFoldResult size : sizes)
    lastIndex.push_back(affine::makeComposedFoldedAffineApply(
        rewriter, loc, b.getAffineDimExpr(0) - 1, {size}));
  SmallVector<Value> operands;
  SmallVector<Operation *> slices;
  for (auto [value, map] :
       llvm::zip(getOperation()->getOperands(), getIndexingMapsArray())) {
    linalg::SliceParameters slice = linalg::computeSliceParameters(
        b, loc, value, sizes, map, offsets, /*ubs=*/{}, lastIndex,
        /*omitPartialTileCheck=*/true);
    Operation *sliceOp =
        isa<RankedTensorType>(value.getType())
            ? tensor::ExtractSliceOp::create(b, loc, value, slice.offsets,
                                             slice.sizes, slice.strides)
                  .getOperation()
            : memref::SubViewOp::create(b, loc, value, slice.offsets,
                                        slice.sizes, slice.strides)
                  .getOperation();
    slices.push_back(sliceOp);
    operands.push_back(sliceOp->getResult(0));
  }
  SmallVector<Type> resultTypes;
  if (hasPureTensorSemantics())
    resultTypes.push_back(operands[2].getType());
  auto tiled = PackedConvOp::create(b, loc, resultTypes, operands,
                                    (*this)->getAttrs());
  return TilingResult{{tiled},
                      SmallVector<Value>(tiled->getResults()),
                      slices};
}

LogicalResult PackedConvOp::getResultTilePosition(
    OpBuilder &b, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  AffineMap out = getIndexingMapsArray()[2];
  for (AffineExpr e : out.getResults()) {
    unsigned loop = cast<AffineDimExpr>(e).getPosition();
    resultOffsets.push_back(offsets[loop]);
    resultSizes.push_back(sizes[loop]);
  }
  return success();
}

LogicalResult PackedConvOp::getIterationDomainTileFromResultTile(
    OpBuilder &b, unsigned resultNumber, ArrayRef<OpFoldResult> resultOffsets,
    ArrayRef<OpFoldResult> resultSizes,
    SmallVectorImpl<OpFoldResult> &iterDomainOffsets,
    SmallVectorImpl<OpFoldResult> &iterDomainSizes) {
  // A tile of the result needs the whole reduction.
  for (Range range : getIterationDomain(b)) {
    iterDomainOffsets.push_back(range.offset);
    iterDomainSizes.push_back(range.size);
  }
  AffineMap out = getIndexingMapsArray()[2];
  for (auto [i, e] : llvm::enumerate(out.getResults())) {
    unsigned loop = cast<AffineDimExpr>(e).getPosition();
    iterDomainOffsets[loop] = resultOffsets[i];
    iterDomainSizes[loop] = resultSizes[i];
  }
  return success();
}

FailureOr<TilingResult>
PackedConvOp::generateResultTileValue(OpBuilder &b, unsigned resultNumber,
                                      ArrayRef<OpFoldResult> offsets,
                                      ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> domainOffsets, domainSizes;
  if (failed(getIterationDomainTileFromResultTile(
          b, resultNumber, offsets, sizes, domainOffsets, domainSizes)))
    return failure();
  return getTiledImplementation(b, domainOffsets, domainSizes);
}

//===----------------------------------------------------------------------===//
// Bufferization
//===----------------------------------------------------------------------===//

namespace {
struct PackedConvBufferization
    : public bufferization::DstBufferizableOpInterfaceExternalModel<
          PackedConvBufferization, PackedConvOp> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    auto conv = cast<PackedConvOp>(op);
    if (conv.hasPureBufferSemantics())
      return success();
    SmallVector<Value> buffers;
    for (Value operand : op->getOperands()) {
      FailureOr<Value> buffer =
          bufferization::getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    PackedConvOp::create(rewriter, op->getLoc(), TypeRange(), buffers,
                         op->getAttrs());
    bufferization::replaceOpWithBufferizedValues(rewriter, op, buffers[2]);
    return success();
  }
};
} // namespace

void bnn::attachPackedConvInterfaces(MLIRContext *ctx) {
  PackedConvOp::attachInterface<PackedConvBufferization>(*ctx);
}
