//===- WidenBoolBoundary.cpp - bnn-widen-bool-boundary pass ---------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNWIDENBOOLBOUNDARYPASS
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {

/// The i8 tensor type of an i1 tensor type; null for anything else.
RankedTensorType widened(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.getElementType().isSignlessInteger(1))
    return nullptr;
  return tensor.clone(IntegerType::get(type.getContext(), 8));
}

struct BNNWidenBoolBoundaryPass
    : public bnn::impl::BNNWidenBoolBoundaryPassBase<
          BNNWidenBoolBoundaryPass> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (!fn.isPublic() || fn.isExternal())
        continue;
      Block &entry = fn.front();
      OpBuilder b = OpBuilder::atBlockBegin(&entry);
      for (BlockArgument arg : entry.getArguments()) {
        RankedTensorType bytes = widened(arg.getType());
        if (!bytes)
          continue;
        Type bits = arg.getType();
        arg.setType(bytes);
        // A dynamic batch has no constant of its shape: splat the zero.
        Value zero;
        SmallPtrSet<Operation *, 4> readers; // the uses of the bytes
        if (bytes.hasStaticShape()) {
          zero = arith::ConstantOp::create(
              b, fn.getLoc(),
              DenseElementsAttr::get(bytes,
                                     b.getIntegerAttr(b.getI8Type(), 0)));
        } else {
          SmallVector<Value> sizes;
          for (int64_t d = 0; d < bytes.getRank(); ++d)
            if (bytes.isDynamicDim(d)) {
              auto dim = tensor::DimOp::create(b, fn.getLoc(), arg, d);
              readers.insert(dim);
              sizes.push_back(dim);
            }
          Value scalar = arith::ConstantOp::create(
              b, fn.getLoc(), b.getIntegerAttr(b.getI8Type(), 0));
          zero = tensor::SplatOp::create(b, fn.getLoc(), bytes, scalar, sizes);
        }
        Value nonzero = arith::CmpIOp::create(
            b, fn.getLoc(), arith::CmpIPredicate::ne, arg, zero);
        assert(nonzero.getType() == bits && "compare of i8 tensors is i1");
        (void)bits;
        readers.insert(nonzero.getDefiningOp());
        arg.replaceAllUsesExcept(nonzero, readers);
      }
      fn.walk([&](func::ReturnOp ret) {
        OpBuilder rb(ret);
        for (OpOperand &operand : ret->getOpOperands())
          if (RankedTensorType bytes = widened(operand.get().getType()))
            operand.set(arith::ExtUIOp::create(rb, ret.getLoc(), bytes,
                                               operand.get()));
      });
      SmallVector<Type> results;
      for (Type t : fn.getResultTypes()) {
        RankedTensorType bytes = widened(t);
        results.push_back(bytes ? Type(bytes) : t);
      }
      fn.setFunctionType(
          b.getFunctionType(entry.getArgumentTypes(), results));
    }
  }
};
} // namespace
