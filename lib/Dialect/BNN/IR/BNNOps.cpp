//===- BNNOps.cpp - bnn operator verifiers --------------------------------===//
//
// ODS type constraints check element types and ranks; the verifiers here check
// what relates operands and attributes to each other, and say what is wrong in
// numbers the user can compare with the IR.
//
//===----------------------------------------------------------------------===//

#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::bnn;

#define GET_OP_CLASSES
#include "bnn/Dialect/BNN/IR/BNNOps.cpp.inc"

namespace {

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

LogicalResult verifyStaticNonEmpty(Operation *op, StringRef what,
                                   ShapedType type) {
  if (!type.hasStaticShape())
    return op->emitOpError() << "requires a static " << what << " shape";
  if (llvm::is_contained(type.getShape(), 0))
    return op->emitOpError() << "requires a non-empty " << what
                             << ", got shape " << formatShape(type.getShape());
  return success();
}

/// Like verifyStaticNonEmpty for activations, whose dimension 0 (the batch)
/// may be dynamic: the runtime ABI compiles such a model for one image and
/// loops over the caller's batch (bnn-specialize-batch).
LogicalResult verifyActivationShape(Operation *op, StringRef what,
                                    ShapedType type) {
  if (type.hasRank() && type.getRank() >= 1 && type.isDynamicDim(0) &&
      type.getNumDynamicDims() == 1) {
    SmallVector<int64_t> oneImage(type.getShape());
    oneImage[0] = 1;
    return verifyStaticNonEmpty(op, what, type.clone(oneImage));
  }
  if (!type.hasStaticShape())
    return op->emitOpError() << "requires a static " << what
                             << " shape (but for a dynamic batch in "
                                "dimension 0)";
  return verifyStaticNonEmpty(op, what, type);
}

/// Largest stride, dilation, padding or kernel size accepted; it keeps every
/// window computation far from int64_t overflow.
constexpr int64_t kMaxWindowValue = int64_t(1) << 30;

LogicalResult verifyAllAtLeast(Operation *op, StringRef name,
                               DenseI64ArrayAttr attr, int64_t bound) {
  if (!attr)
    return success();
  if (llvm::any_of(attr.asArrayRef(), [&](int64_t v) { return v < bound; }))
    return op->emitOpError() << "'" << name << "' entries must be >= " << bound
                             << ", got " << formatShape(attr.asArrayRef());
  if (llvm::any_of(attr.asArrayRef(),
                   [&](int64_t v) { return v > kMaxWindowValue; }))
    return op->emitOpError()
           << "'" << name << "' entries must be <= " << kMaxWindowValue
           << ", got " << formatShape(attr.asArrayRef());
  return success();
}

LogicalResult verifyInt8Value(Operation *op, StringRef name, int64_t value) {
  if (value < -128 || value > 127)
    return op->emitOpError()
           << "'" << name << "' must lie in [-128, 127], got " << value;
  return success();
}

/// Checks the window attributes of a convolution and the shapes they relate.
LogicalResult verifyConv2D(Operation *op, DenseI64ArrayAttr strides,
                           DenseI64ArrayAttr dilations,
                           DenseI64ArrayAttr padding, int64_t groups,
                           ShapedType input, ShapedType filter,
                           ShapedType result) {
  if (failed(verifyAllAtLeast(op, "strides", strides, 1)) ||
      failed(verifyAllAtLeast(op, "dilations", dilations, 1)) ||
      failed(verifyAllAtLeast(op, "padding", padding, 0)))
    return failure();
  if (groups < 1)
    return op->emitOpError() << "'groups' must be >= 1, got " << groups;
  if (failed(verifyActivationShape(op, "input", input)) ||
      failed(verifyStaticNonEmpty(op, "filter", filter)) ||
      failed(verifyActivationShape(op, "result", result)))
    return failure();

  Conv2DGeometry g = Conv2DGeometry::get(strides, dilations, padding, groups);
  int64_t n = input.getDimSize(0), h = input.getDimSize(1),
          w = input.getDimSize(2), c = input.getDimSize(3);
  int64_t o = filter.getDimSize(0), kh = filter.getDimSize(1),
          kw = filter.getDimSize(2), fc = filter.getDimSize(3);
  if (c % groups != 0)
    return op->emitOpError()
           << "input channels (" << c << ") must be divisible by groups ("
           << groups << ")";
  if (o % groups != 0)
    return op->emitOpError()
           << "output channels (" << o << ") must be divisible by groups ("
           << groups << ")";
  if (fc * groups != c)
    return op->emitOpError()
           << "filter has " << fc << " input channels per group but input has "
           << c << " channels in " << groups << " group(s); expected "
           << c / groups;
  int64_t oh = Conv2DGeometry::outputSize(h, g.padTop, g.padBottom, kh,
                                          g.strideH, g.dilationH);
  int64_t ow = Conv2DGeometry::outputSize(w, g.padLeft, g.padRight, kw,
                                          g.strideW, g.dilationW);
  if (oh < 1 || ow < 1) {
    InFlightDiagnostic diag = op->emitOpError() << kh << "x" << kw << " window";
    if (g.dilationH != 1 || g.dilationW != 1)
      diag << " (" << g.dilationH * (kh - 1) + 1 << "x"
           << g.dilationW * (kw - 1) + 1 << " with dilations [" << g.dilationH
           << ", " << g.dilationW << "])";
    return diag << " does not fit the " << h + g.padTop + g.padBottom << "x"
                << w + g.padLeft + g.padRight << " padded input";
  }
  SmallVector<int64_t> expected = {n, oh, ow, o};
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError()
           << "result shape " << formatShape(result.getShape())
           << " does not match the expected shape " << formatShape(expected);
  return success();
}

LogicalResult verifyDense(Operation *op, ShapedType input, ShapedType weight,
                          ShapedType result) {
  if (failed(verifyActivationShape(op, "input", input)) ||
      failed(verifyStaticNonEmpty(op, "weight", weight)) ||
      failed(verifyActivationShape(op, "result", result)))
    return failure();
  if (input.getDimSize(1) != weight.getDimSize(1))
    return op->emitOpError()
           << "input has " << input.getDimSize(1)
           << " features but weight expects " << weight.getDimSize(1);
  SmallVector<int64_t> expected = {input.getDimSize(0), weight.getDimSize(0)};
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError()
           << "result shape " << formatShape(result.getShape())
           << " does not match the expected shape " << formatShape(expected);
  return success();
}

LogicalResult verifyWeightZeroPoints(Operation *op, DenseI64ArrayAttr zps,
                                     int64_t outputChannels) {
  if (!zps)
    return success();
  if (zps.size() != 1 && zps.size() != outputChannels)
    return op->emitOpError()
           << "'weight_zero_point' must have 1 or " << outputChannels
           << " entries, got " << zps.size();
  for (int64_t zp : zps.asArrayRef())
    if (failed(verifyInt8Value(op, "weight_zero_point", zp)))
      return failure();
  return success();
}

/// Checks an elementwise operator with per-channel operands (the epilogues
/// and bnn.quantize): the result has the shape of the operand `what` (an
/// "accumulator" or an "input") and every per-channel operand has one
/// element or one per channel (last dimension) along its dimension 0 (rows
/// of a table such as bnn.multi_threshold's thresholds).
LogicalResult verifyEpilogue(Operation *op, ShapedType acc, ShapedType result,
                             ArrayRef<std::pair<StringRef, Value>> channelArgs,
                             StringRef what = "accumulator") {
  if (acc.getRank() < 1)
    return op->emitOpError() << "requires an " << what << " of rank >= 1";
  if (failed(verifyActivationShape(op, what, acc)))
    return failure();
  if (acc.getShape() != result.getShape())
    return op->emitOpError()
           << "result shape " << formatShape(result.getShape())
           << " must equal the " << what << " shape "
           << formatShape(acc.getShape());
  int64_t channels = acc.getShape().back();
  for (auto [name, value] : channelArgs) {
    auto type = cast<ShapedType>(value.getType());
    if (type.isDynamicDim(0) ||
        (type.getDimSize(0) != 1 && type.getDimSize(0) != channels))
      return op->emitOpError()
             << "'" << name << "' must have 1 or " << channels
             << (type.getRank() == 1 ? " elements" : " rows") << " (the "
             << what << "'s last dimension), got type " << type;
  }
  return success();
}

} // namespace

LogicalResult BinaryConv2DOp::verify() {
  return verifyConv2D(*this, getStridesAttr(), getDilationsAttr(),
                      getPaddingAttr(), getGroups(), getInput().getType(),
                      getFilter().getType(), getResult().getType());
}

LogicalResult BitserialConv2DOp::verify() {
  return verifyConv2D(*this, getStridesAttr(), getDilationsAttr(),
                      getPaddingAttr(), getGroups(), getInput().getType(),
                      getFilter().getType(), getResult().getType());
}

LogicalResult Int8Conv2DOp::verify() {
  if (failed(verifyConv2D(*this, getStridesAttr(), getDilationsAttr(),
                          getPaddingAttr(), getGroups(), getInput().getType(),
                          getFilter().getType(), getResult().getType())) ||
      failed(verifyInt8Value(*this, "input_zero_point", getInputZeroPoint())))
    return failure();
  return verifyWeightZeroPoints(*this, getWeightZeroPointAttr(),
                                getFilter().getType().getDimSize(0));
}

LogicalResult BinaryDenseOp::verify() {
  return verifyDense(*this, getInput().getType(), getWeight().getType(),
                     getResult().getType());
}

LogicalResult BitserialDenseOp::verify() {
  return verifyDense(*this, getInput().getType(), getWeight().getType(),
                     getResult().getType());
}

LogicalResult Int8DenseOp::verify() {
  if (failed(verifyDense(*this, getInput().getType(), getWeight().getType(),
                         getResult().getType())) ||
      failed(verifyInt8Value(*this, "input_zero_point", getInputZeroPoint())))
    return failure();
  return verifyWeightZeroPoints(*this, getWeightZeroPointAttr(),
                                getWeight().getType().getDimSize(0));
}

LogicalResult AccToFloatOp::verify() {
  return verifyEpilogue(*this, getAcc().getType(), getResult().getType(),
                        {{"multiplier", getMultiplier()}, {"bias", getBias()}});
}

LogicalResult ThresholdOp::verify() {
  return verifyEpilogue(
      *this, getAcc().getType(), getResult().getType(),
      {{"thresholds", getThresholds()}, {"directions", getDirections()}});
}

LogicalResult MultiThresholdOp::verify() {
  if (failed(verifyEpilogue(
          *this, getAcc().getType(), getResult().getType(),
          {{"thresholds", getThresholds()}, {"directions", getDirections()}})))
    return failure();
  // Every count 0 .. T must be a value of the result type.
  Type element = getResult().getType().getElementType();
  int64_t maxCount =
      (int64_t(1) << element.getIntOrFloatBitWidth()) - int64_t(1);
  RankedTensorType thresholds = getThresholds().getType();
  if (thresholds.isDynamicDim(1) || thresholds.getDimSize(1) < 1 ||
      thresholds.getDimSize(1) > maxCount)
    return emitOpError() << "'thresholds' must have 1 to " << maxCount
                         << " columns (one per level above 0 of " << element
                         << "), got type " << thresholds;
  return success();
}

LogicalResult RequantizeOp::verify() {
  if (failed(verifyEpilogue(*this, getAcc().getType(), getResult().getType(),
                            {{"scale", getScale()}})) ||
      failed(
          verifyInt8Value(*this, "output_zero_point", getOutputZeroPoint())) ||
      failed(verifyInt8Value(*this, "clamp_min", getClampMin())) ||
      failed(verifyInt8Value(*this, "clamp_max", getClampMax())))
    return failure();
  if (getClampMin() > getClampMax())
    return emitOpError() << "'clamp_min' (" << getClampMin()
                         << ") must not exceed 'clamp_max' (" << getClampMax()
                         << ")";
  return success();
}

int64_t QuantizeOp::getResultMin() {
  auto type = cast<IntegerType>(getResult().getType().getElementType());
  return type.isUnsigned() ? 0 : -(int64_t(1) << (type.getWidth() - 1));
}

int64_t QuantizeOp::getResultMax() {
  auto type = cast<IntegerType>(getResult().getType().getElementType());
  return type.isUnsigned() ? (int64_t(1) << type.getWidth()) - 1
                           : (int64_t(1) << (type.getWidth() - 1)) - 1;
}

LogicalResult QuantizeOp::verify() {
  if (failed(verifyEpilogue(*this, getInput().getType(), getResult().getType(),
                            {{"scale", getScale()}}, "input")))
    return failure();
  int64_t lo = getResultMin(), hi = getResultMax();
  Type element = getResult().getType().getElementType();
  auto inRange = [&](StringRef name, int64_t value) -> LogicalResult {
    if (value >= lo && value <= hi)
      return success();
    return emitOpError() << "'" << name << "' must lie in [" << lo << ", " << hi
                         << "] (the range of " << element << "), got " << value;
  };
  if (failed(inRange("zero_point", getZeroPoint())) ||
      (getClampMin() && failed(inRange("clamp_min", *getClampMin()))) ||
      (getClampMax() && failed(inRange("clamp_max", *getClampMax()))))
    return failure();
  if (getClampMinOrDefault() > getClampMaxOrDefault())
    return emitOpError() << "'clamp_min' (" << getClampMinOrDefault()
                         << ") must not exceed 'clamp_max' ("
                         << getClampMaxOrDefault() << ")";
  return success();
}

LogicalResult BinaryMaxPool2DOp::verify() {
  if (failed(verifyAllAtLeast(*this, "kernel", getKernelAttr(), 1)) ||
      failed(verifyAllAtLeast(*this, "strides", getStridesAttr(), 1)) ||
      failed(verifyAllAtLeast(*this, "padding", getPaddingAttr(), 0)) ||
      failed(verifyActivationShape(*this, "input", getInput().getType())) ||
      failed(verifyActivationShape(*this, "result", getResult().getType())))
    return failure();
  Conv2DGeometry g = getGeometry();
  int64_t kh = getKernel()[0], kw = getKernel()[1];
  if (g.padTop >= kh || g.padBottom >= kh || g.padLeft >= kw ||
      g.padRight >= kw)
    return emitOpError() << "padding "
                         << formatShape(getPaddingAttr().asArrayRef())
                         << " must be smaller than the " << kh << "x" << kw
                         << " kernel in each dimension";
  ArrayRef<int64_t> in = getInput().getType().getShape();
  int64_t oh = Conv2DGeometry::outputSize(in[1], g.padTop, g.padBottom, kh,
                                          g.strideH, 1);
  int64_t ow = Conv2DGeometry::outputSize(in[2], g.padLeft, g.padRight, kw,
                                          g.strideW, 1);
  if (oh < 1 || ow < 1)
    return emitOpError() << kh << "x" << kw << " window does not fit the "
                         << in[1] + g.padTop + g.padBottom << "x"
                         << in[2] + g.padLeft + g.padRight << " padded input";
  SmallVector<int64_t> expected = {in[0], oh, ow, in[3]};
  if (getResult().getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError() << "result shape "
                         << formatShape(getResult().getType().getShape())
                         << " does not match the expected shape "
                         << formatShape(expected);
  return success();
}

Conv2DGeometry BinaryMaxPool2DOp::getGeometry() {
  return Conv2DGeometry::get(getStridesAttr(), nullptr, getPaddingAttr(), 1);
}

LogicalResult PackOp::verify() {
  RankedTensorType in = getInput().getType(), out = getResult().getType();
  if (in.getRank() < 1)
    return emitOpError() << "requires an input of rank >= 1";
  if (failed(verifyStaticNonEmpty(*this, "input", in)))
    return failure();
  SmallVector<int64_t> expected(in.getShape());
  unsigned bits = getWordBits();
  expected.back() = llvm::divideCeil(expected.back(), bits);
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError() << "result shape " << formatShape(out.getShape())
                         << " does not match the expected shape "
                         << formatShape(expected) << " (" << bits
                         << " channels per word)";
  return success();
}

LogicalResult BitplaneOp::verify() {
  unsigned width = getInput().getType().getElementTypeBitWidth();
  if (getBit() < 0 || getBit() >= static_cast<int64_t>(width))
    return emitOpError() << "'bit' must lie in [0, " << width << ") for "
                         << getInput().getType().getElementType()
                         << " elements, got " << getBit();
  return success();
}
