//===- EmitRuntimeABI.cpp - DLPack entry points and metadata --------------===//

#include "bnn/Conversion/Passes.h"

#define DEBUG_TYPE "bnn-emit-runtime-abi"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNEMITRUNTIMEABIPASS
#include "bnn/Conversion/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;

namespace {
struct EmitRuntimeABIPass
    : public bnn::impl::BNNEmitRuntimeABIPassBase<EmitRuntimeABIPass> {
  void runOnOperation() override {
    getOperation().emitError("bnn-emit-runtime-abi is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
