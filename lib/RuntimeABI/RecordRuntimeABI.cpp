//===- RecordRuntimeABI.cpp - record public tensor signatures -------------===//
//
// Bufferization and the LLVM lowering erase the tensor types of a function's
// arguments and results (and turn results into out-parameters); the runtime
// ABI needs them to check DLTensors and to describe the entry points, so they
// are recorded here, on tensors, before anything else changes them.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "bnn/RuntimeABI/Batch.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "bnn-record-runtime-abi"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNRECORDRUNTIMEABIPASS
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// Whether a value of `type` can cross the ABI (see bnn-c/Runtime.h).
bool isABIType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || (!tensor.hasStaticShape() && !isBatchedType(tensor)))
    return false;
  Type e = tensor.getElementType();
  if (e.isF32() || e.isSignlessInteger(1) || e.isSignlessInteger(8) ||
      e.isSignlessInteger(32))
    return true;
  return e.isUnsignedInteger() && e.getIntOrFloatBitWidth() <= 8;
}

LogicalResult checkTypes(func::FuncOp func, TypeRange types, StringRef what) {
  for (auto [i, type] : llvm::enumerate(types))
    if (!isABIType(type))
      return func.emitError() << what << " #" << i << " of '"
                              << func.getSymName() << "' has type " << type
                              << ", which cannot cross the runtime ABI "
                                 "(tensors of f32, i1, ui1..ui8, i8 or i32 "
                                 "with static shapes, but for a dynamic "
                                 "batch in dimension 0)";
  return success();
}

struct RecordRuntimeABIPass
    : public bnn::impl::BNNRecordRuntimeABIPassBase<RecordRuntimeABIPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    Builder b(module.getContext());
    SmallVector<Attribute> entries;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (!func.isPublic() || func.isExternal())
        continue;
      FunctionType type = func.getFunctionType();
      if (failed(checkTypes(func, type.getInputs(), "argument")) ||
          failed(checkTypes(func, type.getResults(), "result")) ||
          failed(verifyBatchSignature(func)))
        return signalPassFailure();
      auto typeArray = [&](TypeRange types) {
        SmallVector<Attribute> attrs;
        for (Type t : types)
          attrs.push_back(TypeAttr::get(t));
        return b.getArrayAttr(attrs);
      };
      entries.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("name", func.getSymNameAttr()),
           b.getNamedAttr("inputs", typeArray(type.getInputs())),
           b.getNamedAttr("outputs", typeArray(type.getResults()))}));
      func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    b.getUnitAttr());
    }
    module->setAttr("bnn.abi", b.getArrayAttr(entries));
  }
};
} // namespace
