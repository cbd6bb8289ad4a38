//===- LoweringUtils.cpp - shared helpers of the bnn lowerings ------------===//

#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::bnn;

namespace {
RankedTensorType withShape(Value t, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(
      shape, cast<RankedTensorType>(t.getType()).getElementType());
}

ArrayRef<int64_t> shapeOf(Value t) {
  return cast<RankedTensorType>(t.getType()).getShape();
}

/// Reassociation that groups `dim` with `dim + 1` and keeps the rest.
SmallVector<ReassociationIndices> groupPair(int64_t rank, int64_t dim) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < rank; ++i) {
    if (i == dim) {
      groups.push_back({i, i + 1});
      ++i;
      continue;
    }
    groups.push_back({i});
  }
  return groups;
}
} // namespace

Value lowering::createFilled(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape, TypedAttr value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

SmallVector<int32_t>
lowering::weightZeroPoints(std::optional<ArrayRef<int64_t>> attr,
                           int64_t channels) {
  SmallVector<int32_t> zps;
  for (int64_t i = 0; i < channels; ++i)
    zps.push_back(!attr ? 0 : attr->size() == 1 ? (*attr)[0] : (*attr)[i]);
  return zps;
}

Value lowering::intConstant(OpBuilder &b, Location loc, Type type,
                            int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value lowering::splitDim(OpBuilder &b, Location loc, Value t, int64_t dim,
                         int64_t outer) {
  SmallVector<int64_t> shape(shapeOf(t));
  int64_t size = shape[dim];
  shape[dim] = size / outer;
  shape.insert(shape.begin() + dim, outer);
  return tensor::ExpandShapeOp::create(b, loc, withShape(t, shape), t,
                                       groupPair(shape.size(), dim));
}

Value lowering::mergeDims(OpBuilder &b, Location loc, Value t, int64_t dim) {
  SmallVector<int64_t> shape(shapeOf(t));
  SmallVector<ReassociationIndices> groups = groupPair(shape.size(), dim);
  shape[dim] *= shape[dim + 1];
  shape.erase(shape.begin() + dim + 1);
  return tensor::CollapseShapeOp::create(b, loc, withShape(t, shape), t,
                                         groups);
}

Value lowering::insertUnitDim(OpBuilder &b, Location loc, Value t,
                              int64_t dim) {
  SmallVector<int64_t> shape(shapeOf(t));
  int64_t rank = shape.size();
  shape.insert(shape.begin() + dim, 1);
  // The unit dimension joins its right neighbour, or the last one.
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < rank; ++i) {
    if (i == dim)
      groups.push_back({i, i + 1});
    else if (dim == rank && i == rank - 1)
      groups.push_back({i, i + 1});
    else
      groups.push_back({i < dim ? i : i + 1});
  }
  return tensor::ExpandShapeOp::create(b, loc, withShape(t, shape), t, groups);
}

Value lowering::addLeadingUnitDim(OpBuilder &b, Location loc, Value t) {
  return insertUnitDim(b, loc, t, 0);
}

SmallVector<APInt> lowering::perChannelValues(DenseIntElementsAttr values,
                                              int64_t n) {
  if (values.getNumElements() == 1)
    return SmallVector<APInt>(n, *values.getValues<APInt>().begin());
  return llvm::to_vector(values.getValues<APInt>());
}

Value lowering::pack(OpBuilder &b, Location loc, Value bits,
                     unsigned wordBits) {
  SmallVector<int64_t> shape(shapeOf(bits));
  shape.back() = llvm::divideCeil(shape.back(), wordBits);
  return PackOp::create(
      b, loc, RankedTensorType::get(shape, b.getIntegerType(wordBits)), bits);
}

int64_t bnn::vectorLanes(int64_t channels, unsigned vectorBits,
                         unsigned laneBits) {
  int64_t lanes = std::max<int64_t>(1, vectorBits / laneBits);
  while (lanes > 1 && channels % lanes != 0)
    lanes /= 2;
  return lanes;
}

unsigned lowering::packedWordBits(int64_t channels, int64_t outChannels,
                                  int64_t vectorBits, double gain) {
  // Useful bits of a word times used lanes of a vector (lanes of output
  // channels as the vectorizer takes them).
  auto efficiency = [&](unsigned wordBits) {
    int64_t full = std::max<int64_t>(1, vectorBits / wordBits);
    int64_t lanes = vectorLanes(outChannels, vectorBits, wordBits);
    double words = static_cast<double>(llvm::divideCeil(channels, wordBits));
    return channels / (words * wordBits) * lanes / full;
  };
  return efficiency(32) > gain * efficiency(64) ? 32 : 64;
}

Value lowering::padSpatial(OpBuilder &b, Location loc, Value t, int64_t hDim,
                           const Conv2DGeometry &g, TypedAttr value) {
  if (g.padTop == 0 && g.padBottom == 0 && g.padLeft == 0 && g.padRight == 0)
    return t;
  SmallVector<int64_t> shape(shapeOf(t));
  SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(shape.size(), b.getIndexAttr(0));
  low[hDim] = b.getIndexAttr(g.padTop);
  high[hDim] = b.getIndexAttr(g.padBottom);
  low[hDim + 1] = b.getIndexAttr(g.padLeft);
  high[hDim + 1] = b.getIndexAttr(g.padRight);
  shape[hDim] += g.padTop + g.padBottom;
  shape[hDim + 1] += g.padLeft + g.padRight;
  Value padValue = arith::ConstantOp::create(b, loc, value);
  return tensor::PadOp::create(b, loc, withShape(t, shape), t, low, high,
                               padValue);
}

Value lowering::stack(OpBuilder &b, Location loc, ArrayRef<Value> parts) {
  SmallVector<Value> expanded;
  for (Value part : parts)
    expanded.push_back(addLeadingUnitDim(b, loc, part));
  if (expanded.size() == 1)
    return expanded.front();
  return tensor::ConcatOp::create(b, loc, /*dim=*/0, expanded);
}

Value lowering::toSignless(OpBuilder &b, Location loc, Value scalar) {
  auto type = dyn_cast<IntegerType>(scalar.getType());
  if (!type || type.isSignless())
    return scalar;
  Type signless = b.getIntegerType(type.getWidth());
  return UnrealizedConversionCastOp::create(b, loc, signless, scalar)
      .getResult(0);
}

Value lowering::fromSignless(OpBuilder &b, Location loc, Value scalar,
                             Type type) {
  if (scalar.getType() == type)
    return scalar;
  return UnrealizedConversionCastOp::create(b, loc, type, scalar).getResult(0);
}

SmallVector<utils::IteratorType> lowering::iterators(unsigned numParallel,
                                                     unsigned numReduction) {
  SmallVector<utils::IteratorType> types(numParallel,
                                         utils::IteratorType::parallel);
  types.append(numReduction, utils::IteratorType::reduction);
  return types;
}

Value lowering::elementwise(OpBuilder &b, Location loc, RankedTensorType result,
                            ValueRange args, ValueRange channelArgs,
                            ElementwiseBody body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = result.getRank();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineMap> maps(args.size(), id);
  for (Value c : channelArgs) {
    bool broadcast = cast<RankedTensorType>(c.getType()).getDimSize(0) == 1;
    maps.push_back(AffineMap::get(rank, 0,
                                  broadcast ? getAffineConstantExpr(0, ctx)
                                            : getAffineDimExpr(rank - 1, ctx)));
  }
  maps.push_back(id);
  SmallVector<Value> inputs(args);
  inputs.append(channelArgs.begin(), channelArgs.end());
  Value init = tensor::EmptyOp::create(b, loc, result.getShape(),
                                       result.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, result, inputs, ValueRange{init}, maps, iterators(rank, 0), "",
      "", [&](OpBuilder &nb, Location nl, ValueRange blockArgs) {
        linalg::YieldOp::create(
            nb, nl, ValueRange{body(nb, nl, blockArgs.drop_back())});
      });
  return generic.getResult(0);
}

LogicalResult
lowering::applyPatterns(Operation *op,
                        function_ref<void(RewritePatternSet &)> populate) {
  RewritePatternSet patterns(op->getContext());
  populate(patterns);
  return applyPatternsGreedily(op, std::move(patterns));
}
