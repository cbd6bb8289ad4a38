//===- RuntimeThreads.cpp - bnn-runtime-threads pass ----------------------===//
//
// The thread count is state of the artifact, not of the OpenMP runtime: an
// application that embeds several artifacts, or uses OpenMP itself, sets
// each artifact's count without changing anyone else's (omp_set_num_threads
// would change the calling thread's default for every region).
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNRUNTIMETHREADSPASS
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
constexpr llvm::StringLiteral kThreadsGlobal = "bnn_num_threads";

struct BNNRuntimeThreadsPass
    : public bnn::impl::BNNRuntimeThreadsPassBase<BNNRuntimeThreadsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<omp::ParallelOp> regions;
    module.walk([&](omp::ParallelOp op) { regions.push_back(op); });
    if (regions.empty())
      return;
    if (module.lookupSymbol(kThreadsGlobal) ||
        module.lookupSymbol(kSetNumThreadsName)) {
      module.emitError() << "bnn-runtime-threads: the module already defines '"
                         << kThreadsGlobal << "' or '" << kSetNumThreadsName
                         << "'";
      return signalPassFailure();
    }
    Location loc = module.getLoc();
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    Type i32 = b.getI32Type();
    auto countType = MemRefType::get({}, i32);
    memref::GlobalOp::create(
        b, loc, kThreadsGlobal, b.getStringAttr("private"), countType,
        DenseElementsAttr::get(RankedTensorType::get({}, i32),
                               b.getI32IntegerAttr(1).getValue()),
        /*constant=*/false, /*alignment=*/nullptr);

    auto setter = func::FuncOp::create(b, loc, kSetNumThreadsName,
                                       b.getFunctionType({i32}, {}));
    Block *entry = setter.addEntryBlock();
    OpBuilder body = OpBuilder::atBlockBegin(entry);
    Value one = arith::ConstantOp::create(body, loc, body.getI32IntegerAttr(1));
    Value count =
        arith::MaxSIOp::create(body, loc, entry->getArgument(0), one);
    Value global =
        memref::GetGlobalOp::create(body, loc, countType, kThreadsGlobal);
    memref::StoreOp::create(body, loc, count, global, ValueRange{});
    func::ReturnOp::create(body, loc);

    for (omp::ParallelOp region : regions) {
      OpBuilder rb(region);
      Value g = memref::GetGlobalOp::create(rb, loc, countType, kThreadsGlobal);
      Value n = memref::LoadOp::create(rb, loc, g, ValueRange{});
      region.getNumThreadsMutable().assign(n);
    }
  }
};
} // namespace
