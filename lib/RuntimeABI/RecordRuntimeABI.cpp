//===- RecordRuntimeABI.cpp - record public tensor signatures -------------===//
//
// Bufferization and the LLVM lowering erase the tensor types of a function's
// arguments and results (and turn results into out-parameters); the runtime
// ABI needs them to check DLTensors and to describe the entry points, so they
// are recorded here, on tensors, before anything else changes them.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "bnn/RuntimeABI/EntrySignature.h"

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
struct RecordRuntimeABIPass
    : public bnn::impl::BNNRecordRuntimeABIPassBase<RecordRuntimeABIPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<ArrayAttr> entries = recordEntrySignatures(module);
    if (failed(entries))
      return signalPassFailure();
    // The entry points call the C interface of each recorded function.
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                      UnitAttr::get(module.getContext()));
    module->setAttr(kABIAttrName, *entries);
  }
};
} // namespace
