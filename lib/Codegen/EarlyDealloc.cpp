//===- EarlyDealloc.cpp - bnn-early-dealloc pass --------------------------===//
//
// A call's temporaries freed as soon as they are dead, so that the
// allocator reuses their memory within the call instead of holding every
// temporary until the end.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "bnn-early-dealloc"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNEARLYDEALLOCPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
struct BNNEarlyDeallocPass
    : public bnn::impl::BNNEarlyDeallocPassBase<BNNEarlyDeallocPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &body = func.getBody().front();
    SmallVector<memref::DeallocOp> deallocs;
    for (auto dealloc : body.getOps<memref::DeallocOp>()) {
      auto alloc = dealloc.getMemref().getDefiningOp<memref::AllocOp>();
      if (alloc && alloc->getBlock() == &body)
        deallocs.push_back(dealloc);
    }
    if (deallocs.empty())
      return;
    // Positions make "the last use" a comparison.
    DenseMap<Operation *, unsigned> position;
    for (auto [i, op] : llvm::enumerate(body))
      position[&op] = i;
    BufferViewFlowAnalysis aliases(func);
    for (memref::DeallocOp dealloc : deallocs) {
      // The last body op using the buffer or a view of it (all uses are in
      // the one block, so every user has an ancestor op there).
      Operation *last = dealloc.getMemref().getDefiningOp();
      for (Value alias : aliases.resolve(dealloc.getMemref()))
        for (Operation *user : alias.getUsers())
          if (Operation *top = body.findAncestorOpInBlock(*user);
              top && user != dealloc && position[top] > position[last])
            last = top;
      if (position[last] >= position[dealloc])
        continue;
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": freeing after " << *last
                              << "\n");
      dealloc->moveAfter(last);
    }
  }
};
} // namespace
