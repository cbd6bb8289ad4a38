//===- SetTarget.cpp - bnn-set-target pass --------------------------------===//
//
// The MLIR lowering is the same for every CPU of a target; what differs is
// how LLVM compiles it. Recording the CPU in the module keeps
// `bnn-opt --bnn-lower-to-llvm="target=aarch64 cpu=neoverse-n1"` followed by
// plain LLVM tools equivalent to bnn-compile.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringExtras.h"

#define DEBUG_TYPE "bnn-set-target"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNSETTARGETPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;

namespace {
struct SetTargetPass : public bnn::impl::BNNSetTargetPassBase<SetTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (!triple.empty())
      module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                      StringAttr::get(ctx, triple));
    SmallVector<StringRef> featureList;
    llvm::SplitString(features, featureList, ",");
    auto featureAttr = LLVM::TargetFeaturesAttr::get(ctx, featureList);
    for (auto fn : module.getOps<LLVM::LLVMFuncOp>()) {
      if (fn.isExternal())
        continue;
      if (!cpu.empty())
        fn.setTargetCpuAttr(StringAttr::get(ctx, cpu));
      if (!featureList.empty())
        fn.setTargetFeaturesAttr(featureAttr);
    }
  }
};
} // namespace
