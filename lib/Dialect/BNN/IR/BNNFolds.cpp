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
