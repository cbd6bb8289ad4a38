//===- WidenBoolBoundary.cpp - bnn-widen-bool-boundary pass ---------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

/// The i8 tensor type of a ui2..ui7 tensor type (k-bit activations, one
/// byte per value at the ABI); null for anything else.
RankedTensorType widenedUnsigned(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  auto element = tensor ? dyn_cast<IntegerType>(tensor.getElementType())
                        : IntegerType();
  if (!element || !element.isUnsigned() || element.getWidth() < 2 ||
      element.getWidth() >= 8)
    return nullptr;
  return tensor.clone(IntegerType::get(type.getContext(), 8));
}

/// The dynamic sizes of `value`'s type, read with tensor.dim (added to
/// `readers`).
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc, Value value,
                                SmallPtrSetImpl<Operation *> &readers) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d)) {
      auto dim = tensor::DimOp::create(b, loc, value, d);
      readers.insert(dim);
      sizes.push_back(dim);
    }
  return sizes;
}

/// A uiK argument read as bytes: each byte truncated to K bits (the ABI
/// promises values in range), so that the packing of its bit planes reads
/// bytes, which vector code can load, instead of uiK memory.
void narrowUnsigned(OpBuilder &b, BlockArgument arg, RankedTensorType bytes) {
  Location loc = arg.getLoc();
  auto type = cast<RankedTensorType>(arg.getType());
  arg.setType(bytes);
  SmallPtrSet<Operation *, 4> readers;
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType(),
                                       dynamicSizes(b, loc, arg, readers));
  MLIRContext *ctx = b.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
  auto signless =
      IntegerType::get(ctx, type.getElementType().getIntOrFloatBitWidth());
  auto narrow = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{arg}, ValueRange{init},
      ArrayRef<AffineMap>{id, id},
      SmallVector<utils::IteratorType>(type.getRank(),
                                       utils::IteratorType::parallel),
      "", "", [&](OpBuilder &nb, Location l, ValueRange args) {
        Value k = arith::TruncIOp::create(nb, l, signless, args[0]);
        Value value = UnrealizedConversionCastOp::create(
                          nb, l, type.getElementType(), k)
                          .getResult(0);
        linalg::YieldOp::create(nb, l, value);
      });
  readers.insert(narrow);
  arg.replaceAllUsesExcept(narrow.getResult(0), readers);
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
        if (RankedTensorType bytes = widenedUnsigned(arg.getType())) {
          narrowUnsigned(b, arg, bytes);
          continue;
        }
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
          SmallVector<Value> sizes = dynamicSizes(b, fn.getLoc(), arg, readers);
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
