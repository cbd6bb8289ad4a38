//===- Quantize.h - quantized tensors of the import -------------*- C++ -*-===//
//
// Helpers shared by the QONNX quantizers (QuantOps.cpp) and the int8 forms
// of standard ONNX (QDQOps.cpp): making Binary and LowBit tensors from float
// tensors and accumulators, exactly.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_IMPORT_ONNX_QUANTIZE_H
#define BNN_LIB_IMPORT_ONNX_QUANTIZE_H

#include "Importer.h"

namespace mlir::bnn::onnx_import {

/// A rounded value clamped to [lo, hi], without converting what no
/// integer holds: NaN gives `lo`, infinities the bounds.
inline int64_t clampRounded(double v, int64_t lo, int64_t hi) {
  if (!(v >= double(lo)))
    return lo;
  if (v > double(hi))
    return hi;
  return int64_t(v);
}

/// The number of bits of an unsigned type holding 0 .. maxValue.
int64_t bitsFor(int64_t maxValue);
/// The single value of a per-tensor scale (all elements equal), positive.
float singleScale(Importer &im, const Constant &scale, const char *what);
RankedTensorType storedType(Importer &im, const Tensor &like, Type elem);
Tensor lowBitTensor(const Tensor &like, Value v, int64_t bits, int64_t offset,
                    float scale);
/// A quantizer (QONNX Quant, QuantizeLinear) on a float tensor.
Tensor quantizeFloat(Importer &im, const Tensor &x, const QuantParams &p,
                     float scale);
/// A quantizer on an accumulator: `level(c, y)` of the chain's value y,
/// in [min, max]. bnn.requantize when `multipliers` (per channel, the
/// accumulator's scale over the quantizer's) reproduce every level exactly
/// and the range is 8 bits, else bnn.multi_threshold. Sets levels.
Tensor quantizeAcc(Importer &im, const Tensor &x,
                   const std::function<int64_t(int64_t, double)> &level,
                   int64_t min, int64_t max, int64_t zeroPoint,
                   const std::vector<double> &multipliers);

} // namespace mlir::bnn::onnx_import

#endif // BNN_LIB_IMPORT_ONNX_QUANTIZE_H
