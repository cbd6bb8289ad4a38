//===- BNNFolds.cpp - bnn folders and canonicalization patterns -----------===//

#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bnn;

namespace {
#include "BNNCanonicalization.inc"
} // namespace

OpFoldResult BinarizeOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<ShapedType>(getType());
  if (!input || !type.hasStaticShape())
    return {};
  // -1 iff x < 0: -0.0 and NaN both compare false and give +1 (bit 0).
  if (input.isSplat())
    return DenseElementsAttr::get(
        type, input.getSplatValue<APFloat>().convertToFloat() < 0.0f);
  SmallVector<bool> bits;
  bits.reserve(input.getNumElements());
  for (const APFloat &x : input.getValues<APFloat>())
    bits.push_back(x.convertToFloat() < 0.0f);
  return DenseElementsAttr::get(type, bits);
}

OpFoldResult UnbinarizeOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<ShapedType>(getType());
  if (!input || !type.hasStaticShape())
    return {};
  SmallVector<float> values;
  values.reserve(input.getNumElements());
  for (bool bit : input.getValues<bool>())
    values.push_back(bit ? -1.0f : 1.0f);
  return DenseElementsAttr::get(type, ArrayRef<float>(values));
}

void BinarizeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *context) {
  results.add<BinarizeOfUnbinarize>(context);
}

OpFoldResult BinaryMaxPool2DOp::fold(FoldAdaptor) {
  Conv2DGeometry g = getGeometry();
  bool identity = getKernel()[0] == 1 && getKernel()[1] == 1 &&
                  g.strideH == 1 && g.strideW == 1 && g.padTop == 0 &&
                  g.padBottom == 0 && g.padLeft == 0 && g.padRight == 0;
  if (identity && getInput().getType() == getResult().getType())
    return getInput();
  return {};
}

OpFoldResult PackOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  auto inType = cast<ShapedType>(input.getType());
  auto outType = cast<ShapedType>(getType());
  int64_t channels = inType.getShape().back();
  int64_t words = outType.getShape().back();
  int64_t rows = inType.getNumElements() / channels;
  SmallVector<APInt> packed(rows * words, APInt(64, 0));
  auto bits = input.getValues<bool>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < channels; ++c)
      if (bits[r * channels + c])
        packed[r * words + c / 64].setBit(c % 64);
  return DenseElementsAttr::get(outType, packed);
}

OpFoldResult BitplaneOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<ShapedType>(getType());
  if (!input || !type.hasStaticShape())
    return {};
  SmallVector<bool> bits;
  bits.reserve(input.getNumElements());
  for (const APInt &v : input.getValues<APInt>())
    bits.push_back(v.getZExtValue() >> getBit() & 1);
  return DenseElementsAttr::get(type, bits);
}
