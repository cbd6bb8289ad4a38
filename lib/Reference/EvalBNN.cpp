//===- EvalBNN.cpp - reference evaluation of bnn operators ----------------===//
//
// Decodes operands to plain integers (binary bits to +1/-1, zero points
// subtracted) and calls the value-level kernels.
//
//===----------------------------------------------------------------------===//

#include "Evaluators.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Reference/Kernels.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {
std::vector<int64_t> staticShape(Value v) {
  ArrayRef<int64_t> s = cast<ShapedType>(v.getType()).getShape();
  return {s.begin(), s.end()};
}

// Kept apart from the lowering's copy on purpose: the oracle shares no code
// with what it checks, not even the reading of an attribute.
int64_t padValueOf(PadValue p) {
  switch (p) {
  case PadValue::Zero:
    return 0;
  case PadValue::PlusOne:
    return 1;
  case PadValue::MinusOne:
    return -1;
  }
  return 0;
}

/// The interpreter's element type of the result of `op` (the uik or i8 of
/// bnn.quantize and bnn.multi_threshold), or a diagnostic.
FailureOr<ElementType> resultElementType(Operation *op) {
  std::optional<ElementType> type = ElementType::fromMLIR(
      cast<ShapedType>(op->getResult(0).getType()).getElementType());
  if (!type)
    return op->emitError("reference interpreter: unsupported result type");
  return *type;
}

std::vector<int64_t> weightZeroPoints(std::optional<ArrayRef<int64_t>> zps) {
  if (!zps)
    return {0};
  return {zps->begin(), zps->end()};
}
} // namespace

FailureOr<bool> ref::evaluateBNNOp(Operation *op, Operands in, Results &out) {
  if (!isa<BNNDialect>(op->getDialect()))
    return false;
  return llvm::TypeSwitch<Operation *, FailureOr<bool>>(op)
      .Case([&](BinarizeOp) {
        out.push_back(binarize(*in[0]));
        return true;
      })
      .Case([&](UnbinarizeOp) {
        out.push_back(unbinarize(*in[0]));
        return true;
      })
      .Case([&](BinaryConv2DOp conv) {
        out.push_back(conv2d(decodeToI64(*in[0]), decodeToI64(*in[1]),
                             conv.getGeometry(), padValueOf(conv.getPadValue()),
                             staticShape(conv.getResult())));
        return true;
      })
      .Case([&](BitserialConv2DOp conv) {
        out.push_back(conv2d(decodeToI64(*in[0]), decodeToI64(*in[1]),
                             conv.getGeometry(), /*padValue=*/0,
                             staticShape(conv.getResult())));
        return true;
      })
      .Case([&](Int8Conv2DOp conv) {
        out.push_back(conv2d(
            subtractZeroPoints(*in[0], {conv.getInputZeroPoint()}),
            subtractZeroPoints(*in[1],
                               weightZeroPoints(conv.getWeightZeroPoint())),
            conv.getGeometry(), /*padValue=*/0, staticShape(conv.getResult())));
        return true;
      })
      .Case([&](BinaryDenseOp) {
        out.push_back(dense(decodeToI64(*in[0]), decodeToI64(*in[1])));
        return true;
      })
      .Case([&](BitserialDenseOp) {
        out.push_back(dense(decodeToI64(*in[0]), decodeToI64(*in[1])));
        return true;
      })
      .Case([&](Int8DenseOp d) {
        out.push_back(
            dense(subtractZeroPoints(*in[0], {d.getInputZeroPoint()}),
                  subtractZeroPoints(
                      *in[1], weightZeroPoints(d.getWeightZeroPoint()))));
        return true;
      })
      .Case([&](AccToFloatOp) {
        out.push_back(accToFloat(*in[0], *in[1], *in[2]));
        return true;
      })
      .Case([&](ThresholdOp) {
        out.push_back(threshold(*in[0], *in[1], *in[2]));
        return true;
      })
      .Case([&](MultiThresholdOp m) -> FailureOr<bool> {
        FailureOr<ElementType> type = resultElementType(m);
        if (failed(type))
          return failure();
        out.push_back(multiThreshold(*in[0], *in[1], *in[2], *type));
        return true;
      })
      .Case([&](RequantizeOp r) {
        out.push_back(requantize(*in[0], *in[1], r.getOutputZeroPoint(),
                                 r.getClampMin(), r.getClampMax()));
        return true;
      })
      .Case([&](QuantizeOp q) -> FailureOr<bool> {
        // The default clamp is the range of the result element type, read
        // here from the interpreter's own element type.
        FailureOr<ElementType> type = resultElementType(q);
        if (failed(type))
          return failure();
        out.push_back(quantize(*in[0], *in[1], *type, q.getZeroPoint(),
                               q.getClampMin().value_or(type->minValue()),
                               q.getClampMax().value_or(type->maxValue())));
        return true;
      })
      .Case([&](PackOp p) {
        out.push_back(pack(*in[0], p.getWordBits()));
        return true;
      })
      .Case([&](BitplaneOp p) {
        out.push_back(bitplane(*in[0], p.getBit()));
        return true;
      })
      .Case([&](BinaryMaxPool2DOp pool) {
        out.push_back(binaryMaxPool2d(*in[0], pool.getKernel()[0],
                                      pool.getKernel()[1], pool.getGeometry(),
                                      staticShape(pool.getResult())));
        return true;
      })
      .Default([&](Operation *other) -> FailureOr<bool> {
        return other->emitError("reference interpreter: no evaluator for '")
               << other->getName() << "'";
      });
}
