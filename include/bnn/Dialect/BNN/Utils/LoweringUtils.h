//===- LoweringUtils.h - shared helpers of the bnn lowerings ----*- C++ -*-===//

#ifndef BNN_DIALECT_BNN_UTILS_LOWERINGUTILS_H
#define BNN_DIALECT_BNN_UTILS_LOWERINGUTILS_H

#include "bnn/Dialect/BNN/IR/Conv2DGeometry.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace bnn {

/// Lanes of `laneBits` per vector for `channels` output channels:
/// vectorBits / laneBits, halved until it divides `channels` (how the
/// packed-convolution vectorizer lays channels into vectors).
int64_t vectorLanes(int64_t channels, unsigned vectorBits,
                    unsigned laneBits = 64);

namespace lowering {

/// A tensor of `shape` filled with the scalar `value` (tensor.empty +
/// linalg.fill).
Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   TypedAttr value);

/// An arith.constant of an integer type.
Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value);

/// The weight zero point of each of `channels` output channels from an
/// int8 op's `weight_zero_point` (absent: 0; one value: every channel's).
SmallVector<int32_t> weightZeroPoints(std::optional<ArrayRef<int64_t>> attr,
                                      int64_t channels);

/// Reshapes by splitting dimension `dim` into (`outer`, size / `outer`).
Value splitDim(OpBuilder &b, Location loc, Value t, int64_t dim, int64_t outer);
/// Reshapes by merging dimensions `dim` and `dim + 1`.
Value mergeDims(OpBuilder &b, Location loc, Value t, int64_t dim);
/// Reshapes by adding a leading unit dimension.
Value addLeadingUnitDim(OpBuilder &b, Location loc, Value t);
/// Reshapes by inserting a unit dimension at position `dim`.
Value insertUnitDim(OpBuilder &b, Location loc, Value t, int64_t dim);

/// The `n` per-channel values of a constant of one element per channel or a
/// single element for all (thresholds, directions).
SmallVector<APInt> perChannelValues(DenseIntElementsAttr values, int64_t n);

/// bnn.pack of the last dimension into words of `wordBits` (32 or 64).
Value pack(OpBuilder &b, Location loc, Value bits, unsigned wordBits = 64);

/// The word width (32 or 64) for a binary convolution over `channels`
/// input and `outChannels` output channels per group on vectors of
/// `vectorBits`: the one whose vectors carry more useful bits per
/// instruction. 32-bit words pad less where the channel count lies 1 to 32
/// past a multiple of 64, but their vectors hold twice the output channels
/// (16 lanes of 512 bits), which the output channels must fill.
/// 32-bit words must be better by the factor `gain`.
unsigned packedWordBits(int64_t channels, int64_t outChannels,
                        int64_t vectorBits, double gain = 1.0);

/// Pads dimensions `hDim` and `hDim + 1` by the geometry's padding with the
/// constant `value`; returns `t` unchanged when there is no padding.
Value padSpatial(OpBuilder &b, Location loc, Value t, int64_t hDim,
                 const Conv2DGeometry &g, TypedAttr value);

/// Concatenates equally shaped tensors along a new leading dimension.
Value stack(OpBuilder &b, Location loc, ArrayRef<Value> parts);

/// Inside a linalg body: a scalar of an unsigned or signed integer type
/// reinterpreted as the signless type arith works on. The cast disappears
/// when the LLVM lowering maps both types to the same LLVM integer.
Value toSignless(OpBuilder &b, Location loc, Value scalar);
/// The inverse of toSignless: a signless integer scalar reinterpreted as
/// `type` (an integer type of the same width, e.g. the uik a linalg body
/// must yield).
Value fromSignless(OpBuilder &b, Location loc, Value scalar, Type type);

/// Body of an elementwise generic: the scalar operands in, the result out.
using ElementwiseBody = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// An elementwise linalg.generic producing `result`. `channelArgs` are 1-D
/// per-channel operands indexed by the last dimension (or broadcast when they
/// have one element); the body sees `args` followed by `channelArgs`.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType result,
                  ValueRange args, ValueRange channelArgs,
                  ElementwiseBody body);

/// The body of every bnn lowering pass: the patterns `populate` adds,
/// applied greedily to `op`.
LogicalResult applyPatterns(Operation *op,
                            function_ref<void(RewritePatternSet &)> populate);

/// Identity iterator types: `parallel` for the first `numParallel`
/// dimensions, then `reduction`.
SmallVector<utils::IteratorType> iterators(unsigned numParallel,
                                           unsigned numReduction);

} // namespace lowering
} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_UTILS_LOWERINGUTILS_H
