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
  if (input.isSplat())
    return DenseElementsAttr::get(type,
                                  input.getSplatValue<bool>() ? -1.0f : 1.0f);
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

/// Bits `begin, begin + count)` (count <= 64) of an `i1` constant's
/// storage, bit `begin` in bit 0. `packed`: eight elements per byte (least
/// significant bit first), else one per byte.
static uint64_t readBits(ArrayRef<char> raw, bool packed, int64_t begin,
                         int64_t count) {
  uint64_t word = 0;
  if (!packed) {
    for (int64_t j = 0; j < count; ++j)
      word |= static_cast<uint64_t>(raw[begin + j] & 1) << j;
    return word;
  }
  int64_t end = begin + count;
  for (int64_t byte = begin / 8, last = (end - 1) / 8; byte <= last; ++byte) {
    uint64_t bits = static_cast<uint8_t>(raw[byte]);
    int64_t shift = byte * 8 - begin; // where bit 0 of the byte lands
    word |= shift >= 0 ? bits << shift : bits >> -shift;
  }
  return count == 64 ? word : word & ((uint64_t(1) << count) - 1);
}

OpFoldResult PackOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto outType = cast<ShapedType>(getType());
  if (!input || !outType.hasStaticShape())
    return {};
  auto inType = cast<ShapedType>(input.getType());
  int64_t bits = getWordBits();
  int64_t channels = inType.getShape().back();
  int64_t words = outType.getShape().back();
  auto count = [&](int64_t w) {
    return std::min<int64_t>(bits, channels - bits * w);
  };
  // The word that packs channels [B w, B w + B) of a row of ones.
  auto onesWord = [&](int64_t w) {
    return count(w) == 64 ? ~uint64_t(0) : (uint64_t(1) << count(w)) - 1;
  };
  // A splat packs in O(1) when every word of a row is the same (all zero,
  // all ones, or a row of one word): the words are never materialised, so a
  // splat filter of any size costs nothing at compile time.
  if (input.isSplat()) {
    bool bit = input.getSplatValue<bool>();
    if (!bit || channels % bits == 0 || words == 1)
      return DenseElementsAttr::get(
          outType, APInt(bits, bit ? onesWord(words - 1) : 0));
  }
  int64_t rows = channels == 0 ? 0 : inType.getNumElements() / channels;
  std::vector<uint64_t> packed(rows * words, 0);
  if (input.isSplat()) { // true, with a partial last word
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t w = 0; w < words; ++w)
        packed[r * words + w] = onesWord(w);
  } else {
    // A word at a time from the constant's storage, not one element at a
    // time.
    ArrayRef<char> raw = input.getRawData();
    bool bitPacked =
        static_cast<int64_t>(raw.size()) != inType.getNumElements();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t w = 0; w < words; ++w)
        packed[r * words + w] =
            readBits(raw, bitPacked, r * channels + bits * w, count(w));
  }
  if (bits == 64)
    return DenseElementsAttr::get(outType, ArrayRef<uint64_t>(packed));
  std::vector<uint32_t> narrow(packed.begin(), packed.end());
  return DenseElementsAttr::get(outType, ArrayRef<uint32_t>(narrow));
}

OpFoldResult BitplaneOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<ShapedType>(getType());
  if (!input || !type.hasStaticShape())
    return {};
  if (input.isSplat())
    return DenseElementsAttr::get(
        type, static_cast<bool>(
                  input.getSplatValue<APInt>().getZExtValue() >> getBit() & 1));
  SmallVector<bool> bits;
  bits.reserve(input.getNumElements());
  for (const APInt &v : input.getValues<APInt>())
    bits.push_back(v.getZExtValue() >> getBit() & 1);
  return DenseElementsAttr::get(type, bits);
}
