//===- EvalArith.cpp - reference evaluation of arith operators ------------===//
//
// arith operators on tensors (elementwise, operands of one shape) and on
// scalars (rank-0 tensors). Integers wrap to their bit width.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;
using namespace mlir::bnn::ref::glue;

namespace {
FailureOr<bool> evalConstant(arith::ConstantOp op, Results &out) {
  std::optional<Tensor> t = constantValue(op.getValue());
  if (!t)
    return op.emitError("reference interpreter: unsupported constant ")
           << op.getValue();
  out.push_back(std::move(*t));
  return true;
}

/// Rewrites each element of in[0] into the result's element type.
FailureOr<bool> convert(
    Operation *op, Operands in, Results &out,
    llvm::function_ref<LogicalResult(const Tensor &, int64_t, Tensor &)> fn) {
  Tensor y = zerosOf(op->getResult(0));
  // Verified shapes may still differ at run time where an operand's type
  // is dynamic (an argument of a called function).
  if (failed(requireSameCount(op, *in[0], y)))
    return failure();
  for (int64_t k = 0, e = y.numElements(); k < e; ++k)
    if (failed(fn(*in[0], k, y)))
      return failure();
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalFPToSI(arith::FPToSIOp op, Operands in, Results &out) {
  return convert(
      op, in, out, [&](const Tensor &x, int64_t k, Tensor &y) -> LogicalResult {
        // Out of range (or NaN) is poison; refuse it rather than pick a value.
        double truncated = std::trunc(double(x.floats()[k]));
        ElementType signedType{ElementType::Kind::Signed, y.type().bitWidth};
        if (!(truncated >= double(signedType.minValue()) &&
              truncated <= double(signedType.maxValue())))
          return op.emitError("reference interpreter: arith.fptosi of ")
                 << x.floats()[k] << ", which does not fit " << op.getType()
                 << " (poison), is not supported";
        y.ints()[k] = wrapInt(static_cast<int64_t>(truncated), y.type());
        return success();
      });
}

bool compareFloats(arith::CmpFPredicate p, float a, float b) {
  using P = arith::CmpFPredicate;
  bool unordered = std::isnan(a) || std::isnan(b);
  switch (p) {
  case P::AlwaysFalse:
    return false;
  case P::AlwaysTrue:
    return true;
  case P::OEQ:
    return !unordered && a == b;
  case P::OGT:
    return !unordered && a > b;
  case P::OGE:
    return !unordered && a >= b;
  case P::OLT:
    return !unordered && a < b;
  case P::OLE:
    return !unordered && a <= b;
  case P::ONE:
    return !unordered && a != b;
  case P::ORD:
    return !unordered;
  case P::UEQ:
    return unordered || a == b;
  case P::UGT:
    return unordered || a > b;
  case P::UGE:
    return unordered || a >= b;
  case P::ULT:
    return unordered || a < b;
  case P::ULE:
    return unordered || a <= b;
  case P::UNE:
    return unordered || a != b;
  case P::UNO:
    return unordered;
  }
  return false;
}

bool compareInts(arith::CmpIPredicate p, int64_t a, int64_t b,
                 const ElementType &type) {
  using P = arith::CmpIPredicate;
  int64_t sa = signedValue(a, type), sb = signedValue(b, type);
  // Unsigned order of the stored bits.
  ElementType bits{ElementType::Kind::Unsigned, type.bitWidth};
  uint64_t ua = uint64_t(wrapInt(a, bits)), ub = uint64_t(wrapInt(b, bits));
  switch (p) {
  case P::eq:
    return a == b;
  case P::ne:
    return a != b;
  case P::slt:
    return sa < sb;
  case P::sle:
    return sa <= sb;
  case P::sgt:
    return sa > sb;
  case P::sge:
    return sa >= sb;
  case P::ult:
    return ua < ub;
  case P::ule:
    return ua <= ub;
  case P::ugt:
    return ua > ub;
  case P::uge:
    return ua >= ub;
  }
  return false;
}

/// Result i1 (0 or 1) = pred(in[0], in[1]) per element.
FailureOr<bool> compare(Operation *op, Operands in, Results &out,
                        llvm::function_ref<bool(int64_t)> pred) {
  Tensor y = zerosOf(op->getResult(0));
  if (failed(requireSameCount(op, *in[0], y)) ||
      failed(requireSameCount(op, *in[1], y)))
    return failure();
  for (int64_t k = 0, e = y.numElements(); k < e; ++k)
    y.ints()[k] = pred(k) ? 1 : 0;
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalSelect(arith::SelectOp op, Operands in, Results &out) {
  const Tensor &cond = *in[0], &a = *in[1], &b = *in[2];
  Tensor y = zerosOf(op.getResult());
  if ((cond.rank() != 0 && failed(requireSameCount(op, cond, y))) ||
      failed(requireSameCount(op, a, y)) || failed(requireSameCount(op, b, y)))
    return failure();
  for (int64_t k = 0, e = y.numElements(); k < e; ++k) {
    bool take = cond.ints()[cond.rank() == 0 ? 0 : k] != 0;
    copyElement(take ? a : b, k, y, k);
  }
  out.push_back(std::move(y));
  return true;
}
} // namespace

FailureOr<bool> glue::evaluateArithOp(Operation *op, Operands in,
                                      Results &out) {
  return llvm::TypeSwitch<Operation *, FailureOr<bool>>(op)
      .Case([&](arith::ConstantOp c) { return evalConstant(c, out); })
      .Case([&](arith::AddFOp) {
        return binaryElementwise(op, in, out,
                                 [](float a, float b) { return a + b; });
      })
      .Case([&](arith::SubFOp) {
        return binaryElementwise(op, in, out,
                                 [](float a, float b) { return a - b; });
      })
      .Case([&](arith::MulFOp) {
        return binaryElementwise(op, in, out,
                                 [](float a, float b) { return a * b; });
      })
      .Case([&](arith::DivFOp) {
        return binaryElementwise(op, in, out,
                                 [](float a, float b) { return a / b; });
      })
      .Case([&](arith::MaximumFOp) {
        return binaryElementwise(op, in, out, maximumF);
      })
      .Case([&](arith::MinimumFOp) {
        return binaryElementwise(op, in, out, minimumF);
      })
      .Case([&](arith::NegFOp) {
        return unaryElementwise(op, in, out, [](float v) { return -v; });
      })
      .Case([&](arith::AddIOp) {
        return binaryElementwise(op, in, out, nullptr, addWrap);
      })
      .Case([&](arith::SubIOp) {
        return binaryElementwise(op, in, out, nullptr, subWrap);
      })
      .Case([&](arith::MulIOp) {
        return binaryElementwise(op, in, out, nullptr, mulWrap);
      })
      .Case([&](arith::SIToFPOp) {
        return convert(op, in, out, [](const Tensor &x, int64_t k, Tensor &y) {
          y.floats()[k] =
              static_cast<float>(signedValue(x.ints()[k], x.type()));
          return success();
        });
      })
      .Case([&](arith::FPToSIOp c) { return evalFPToSI(c, in, out); })
      .Case([&](arith::ExtSIOp) {
        return convert(op, in, out, [](const Tensor &x, int64_t k, Tensor &y) {
          y.ints()[k] = wrapInt(signedValue(x.ints()[k], x.type()), y.type());
          return success();
        });
      })
      .Case([&](arith::ExtUIOp) {
        return convert(op, in, out, [](const Tensor &x, int64_t k, Tensor &y) {
          ElementType bits{ElementType::Kind::Unsigned, x.type().bitWidth};
          y.ints()[k] = wrapInt(wrapInt(x.ints()[k], bits), y.type());
          return success();
        });
      })
      .Case([&](arith::TruncIOp) {
        return convert(op, in, out, [](const Tensor &x, int64_t k, Tensor &y) {
          y.ints()[k] = wrapInt(x.ints()[k], y.type());
          return success();
        });
      })
      .Case([&](arith::CmpFOp c) {
        return compare(op, in, out, [&](int64_t k) {
          return compareFloats(c.getPredicate(), in[0]->floats()[k],
                               in[1]->floats()[k]);
        });
      })
      .Case([&](arith::CmpIOp c) {
        return compare(op, in, out, [&](int64_t k) {
          return compareInts(c.getPredicate(), in[0]->ints()[k],
                             in[1]->ints()[k], in[0]->type());
        });
      })
      .Case([&](arith::SelectOp s) { return evalSelect(s, in, out); })
      .Default([](Operation *) { return false; });
}
