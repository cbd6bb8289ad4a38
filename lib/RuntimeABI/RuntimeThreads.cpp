//===- RuntimeThreads.cpp - bnn-runtime-threads pass ----------------------===//
//
// The thread count is state of the artifact, not of the OpenMP runtime: an
// application that embeds several artifacts, or uses OpenMP itself, sets
// each artifact's count without changing anyone else's (omp_set_num_threads
// would change the calling thread's default for every region).
//
// With one thread (the default) a worksharing loop does not enter the
// OpenMP runtime at all: even a serialized region costs __kmpc_fork_call
// and, in libomp, two heap allocations per region and call, which was 50%
// of a small model's latency. Its body becomes a private function called
// by the OpenMP loop and by a plain loop, one copy of the code for both.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

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

/// The worksharing loop that is all of `region`'s work, or null.
omp::LoopNestOp soleLoop(omp::ParallelOp region) {
  if (!region.getRegion().hasOneBlock() ||
      region.getRegion().front().getOperations().size() != 2)
    return {};
  Block &body = region.getRegion().front();
  auto wsloop = dyn_cast<omp::WsloopOp>(body.front());
  if (!wsloop || wsloop->getNumOperands() != 0 || wsloop.getOrdered() ||
      wsloop.getScheduleKind() || wsloop.getReductionSyms())
    return {};
  auto nest = dyn_cast<omp::LoopNestOp>(wsloop.getWrappedLoop());
  if (!nest || nest.getLoopInclusive() || !nest.getRegion().hasOneBlock())
    return {};
  return nest;
}

/// The source line most operations in `region` come from (a layer's loop
/// nest is mostly its convolution's code, whatever was fused into it).
std::optional<unsigned> dominantLine(Region &region) {
  llvm::DenseMap<unsigned, unsigned> count;
  region.walk([&](Operation *op) {
    // Constants (some cloned in from elsewhere) and terminators say little.
    if (op->hasTrait<OpTrait::ConstantLike>() ||
        op->hasTrait<OpTrait::IsTerminator>())
      return;
    if (auto file = op->getLoc()->findInstanceOf<FileLineColLoc>())
      ++count[file.getLine()];
  });
  std::optional<unsigned> best;
  for (auto [line, n] : count)
    if (!best || n > count[*best] || (n == count[*best] && line < *best))
      best = line;
  return best;
}

/// Moves the body of `nest` into a private function (constants are cloned
/// into it, so that they stay constants there) and returns it.
FailureOr<func::FuncOp> outlineBody(omp::LoopNestOp nest, SymbolTable &symbols,
                                    IRRewriter &rewriter) {
  Region &body = nest.getRegion();
  SetVector<Value> captures;
  getUsedValuesDefinedAbove(body, captures);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&body.front());
  for (Value value : captures) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getNumOperands() != 0 ||
        !(def->hasTrait<OpTrait::ConstantLike>() ||
          isa<memref::GetGlobalOp>(def)))
      continue;
    Value copy = rewriter.clone(*def)->getResult(0);
    rewriter.replaceUsesWithIf(value, copy, [&](OpOperand &use) {
      return body.isAncestor(use.getOwner()->getParentRegion());
    });
  }
  // A name of its own (the calls name it when they are created); never an
  // entry point. The line of the model's layer in it lets a profile
  // (benchmarks/profile_layers.py) say where the time goes.
  auto parent = nest->getParentOfType<func::FuncOp>();
  std::string base = (parent.getSymName() + "__loop_body").str();
  if (std::optional<unsigned> line = dominantLine(body))
    base += "_l" + std::to_string(*line);
  std::string name = base;
  for (unsigned i = 1; symbols.lookup(name); ++i)
    name = base + "_" + std::to_string(i);
  FailureOr<func::FuncOp> fn =
      outlineSingleBlockRegion(rewriter, nest.getLoc(), body, name);
  if (failed(fn))
    return failure();
  fn->setPrivate();
  // Kept out of line: one copy of the code for both callers, and a symbol
  // for profiles (a call per iteration of a loop whose iterations are
  // whole rows).
  (*fn)->setAttr("passthrough", rewriter.getArrayAttr(
                                    {rewriter.getStringAttr("noinline")}));
  symbols.insert(*fn);
  return fn;
}

/// `scf.if (threads > 1) { region } else { the same loop, serial }`, the
/// loop's body a call of `body` (what outlineBody left there).
void addSerialPath(omp::ParallelOp region, omp::LoopNestOp nest, Value threads,
                   IRRewriter &rewriter) {
  Location loc = region.getLoc();
  rewriter.setInsertionPoint(region);
  Value one = arith::ConstantOp::create(rewriter, loc,
                                        rewriter.getI32IntegerAttr(1));
  Value several = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::sgt, threads, one);
  auto branch = scf::IfOp::create(rewriter, loc, several,
                                  /*withElseRegion=*/true);
  rewriter.moveOpBefore(region, branch.thenBlock()->getTerminator());

  rewriter.setInsertionPoint(branch.elseBlock()->getTerminator());
  auto call = cast<func::CallOp>(nest.getRegion().front().front());
  scf::buildLoopNest(
      rewriter, loc, nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
      nest.getLoopSteps(),
      [&](OpBuilder &b, Location l, ValueRange ivs) {
        SmallVector<Value> operands(ivs);
        llvm::append_range(operands,
                           call.getOperands().drop_front(ivs.size()));
        func::CallOp::create(b, l, call.getCallee(), call.getResultTypes(),
                             operands);
      });
}

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

    SymbolTable symbols(module);
    IRRewriter rewriter(&getContext());
    for (omp::ParallelOp region : regions) {
      OpBuilder rb(region);
      Value g = memref::GetGlobalOp::create(rb, loc, countType, kThreadsGlobal);
      Value n = memref::LoadOp::create(rb, loc, g, ValueRange{});
      region.getNumThreadsMutable().assign(n);
      omp::LoopNestOp nest = soleLoop(region);
      if (!nest || !nest->getParentOfType<func::FuncOp>())
        continue;
      if (failed(outlineBody(nest, symbols, rewriter))) {
        region.emitError("bnn-runtime-threads: cannot outline the body of "
                         "this parallel loop");
        return signalPassFailure();
      }
      addSerialPath(region, nest, n, rewriter);
    }
  }
};
} // namespace
