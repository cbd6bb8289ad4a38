//===- PlanWorkspace.cpp - bnn-plan-workspace pass ------------------------===//
//
// A call's temporaries as views of one workspace planned at compile time,
// kept between calls, so that a call in the steady state allocates
// nothing (no malloc, and no page faults for buffers the allocator would
// have returned to the system).
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "BufferBytes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/MathExtras.h"

#define DEBUG_TYPE "bnn-plan-workspace"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNPLANWORKSPACEPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
constexpr int64_t kAlignment = 64;

/// One temporary: its allocation, its deallocation, its bytes, its
/// lifetime in block positions and its place in the workspace.
struct Temporary {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t bytes;
  unsigned begin, end;
  int64_t offset = 0;
};

/// Bytes of a buffer that a view of i8 can hold with LLVM's element layout
/// (identity layout; i1 or whole bytes of power-of-two sizes), or
/// std::nullopt.
std::optional<int64_t> viewBytes(MemRefType type) {
  if (!type.getLayout().isIdentity() || type.getMemorySpace() ||
      !type.getElementType().isIntOrFloat())
    return std::nullopt;
  unsigned bits = type.getElementTypeBitWidth();
  if (bits != 1 && (bits % 8 || !llvm::isPowerOf2_32(bits)))
    return std::nullopt;
  return bufferBytes(type);
}

/// The temporaries of `body` the workspace can hold.
SmallVector<Temporary> collectTemporaries(Block &body) {
  DenseMap<Operation *, unsigned> position;
  for (auto [i, op] : llvm::enumerate(body))
    position[&op] = i;
  SmallVector<Temporary> temporaries;
  for (auto alloc : body.getOps<memref::AllocOp>()) {
    std::optional<int64_t> bytes = viewBytes(alloc.getType());
    if (!bytes || !alloc.getDynamicSizes().empty() ||
        !alloc.getSymbolOperands().empty())
      continue;
    // Exactly one deallocation, in the body; never returned.
    memref::DeallocOp dealloc;
    bool owned = true;
    for (Operation *user : alloc->getUsers()) {
      if (isa<func::ReturnOp>(user))
        owned = false;
      if (auto d = dyn_cast<memref::DeallocOp>(user)) {
        owned &= !dealloc && d->getBlock() == &body;
        dealloc = d;
      }
    }
    if (!owned || !dealloc)
      continue;
    temporaries.push_back({alloc, dealloc, *bytes, position[alloc],
                           position[dealloc]});
  }
  return temporaries;
}

/// Offsets for `temporaries`; returns the workspace's size.
int64_t place(MutableArrayRef<Temporary> temporaries) {
  SmallVector<Temporary *> order;
  for (Temporary &t : temporaries)
    order.push_back(&t);
  llvm::sort(order, [](Temporary *a, Temporary *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->begin < b->begin;
  });
  SmallVector<Temporary *> placed;
  int64_t size = 0;
  for (Temporary *t : order) {
    // The byte ranges of the placed buffers alive at the same time.
    SmallVector<std::pair<int64_t, int64_t>> taken;
    for (Temporary *other : placed)
      if (other->begin <= t->end && t->begin <= other->end)
        taken.push_back({other->offset, other->offset + other->bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [start, stop] : taken) {
      if (offset + t->bytes <= start)
        break;
      offset = std::max<int64_t>(offset, llvm::alignTo(stop, kAlignment));
    }
    t->offset = offset;
    size = std::max(size, offset + t->bytes);
    placed.push_back(t);
  }
  return static_cast<int64_t>(
      llvm::alignTo(std::max<int64_t>(size, 1), kAlignment));
}

struct BNNPlanWorkspacePass
    : public bnn::impl::BNNPlanWorkspacePassBase<BNNPlanWorkspacePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::GlobalOp> caches;
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || !func.getBody().hasOneBlock())
        continue;
      SmallVector<Temporary> temporaries =
          collectTemporaries(func.getBody().front());
      if (temporaries.empty())
        continue;
      int64_t size = place(temporaries);
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": @" << func.getSymName()
                              << ": " << temporaries.size()
                              << " temporaries in " << size << " bytes\n");
      if (report && func.isPublic())
        func.emitRemark() << "workspace of @" << func.getSymName() << ": "
                          << size << " bytes for " << temporaries.size()
                          << " temporaries";
      FailureOr<LLVM::GlobalOp> cache = rewrite(func, temporaries, size);
      if (failed(cache))
        return signalPassFailure();
      caches.push_back(*cache);
    }
    if (!caches.empty() && failed(addDestructor(module, caches)))
      signalPassFailure();
  }

  /// The function's temporaries as views of its workspace; returns the
  /// workspace's cache.
  FailureOr<LLVM::GlobalOp> rewrite(func::FuncOp func,
                                    MutableArrayRef<Temporary> temporaries,
                                    int64_t size) {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    Location loc = func.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    FailureOr<LLVM::LLVMFuncOp> alignedAlloc =
        LLVM::lookupOrCreateFn(mb, module, "aligned_alloc", {i64, i64}, ptr);
    FailureOr<LLVM::LLVMFuncOp> freeFn =
        LLVM::lookupOrCreateFreeFn(mb, module);
    if (failed(alignedAlloc) || failed(freeFn))
      return func.emitError("bnn-plan-workspace: cannot declare "
                            "aligned_alloc and free");

    // The cache: a null pointer until a call returns its workspace.
    std::string name = ("__bnn_workspace_" + func.getSymName()).str();
    SymbolTable symbols(module);
    auto cache = LLVM::GlobalOp::create(mb, loc, ptr, /*isConstant=*/false,
                                        LLVM::Linkage::Internal, name,
                                        Attribute());
    symbols.insert(cache);
    {
      OpBuilder ib(ctx);
      ib.setInsertionPointToStart(ib.createBlock(&cache.getInitializerRegion()));
      LLVM::ReturnOp::create(ib, loc, LLVM::ZeroOp::create(ib, loc, ptr).getResult());
    }

    // Acquire: swap the cache for null; allocate when it was empty.
    Block &body = func.getBody().front();
    OpBuilder b = OpBuilder::atBlockBegin(&body);
    Value address = LLVM::AddressOfOp::create(b, loc, cache);
    Value null = LLVM::ZeroOp::create(b, loc, ptr);
    Value cached = LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::xchg,
                                             address, null,
                                             LLVM::AtomicOrdering::acquire);
    Value empty = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq,
                                       cached, null);
    auto fresh = scf::IfOp::create(
        b, loc, empty,
        [&](OpBuilder &tb, Location l) {
          Value align = LLVM::ConstantOp::create(tb, l, i64, kAlignment);
          Value bytes = LLVM::ConstantOp::create(tb, l, i64, size);
          Value got = LLVM::CallOp::create(tb, l, *alignedAlloc,
                                           ValueRange{align, bytes})
                          .getResult();
          scf::YieldOp::create(tb, l, got);
        },
        [&](OpBuilder &eb, Location l) { scf::YieldOp::create(eb, l, cached); });
    Value base = fresh.getResult(0);

    // The memref<size x i8> descriptor of the workspace.
    auto wsType = MemRefType::get({size}, b.getI8Type());
    auto descType = LLVM::LLVMStructType::getLiteral(
        ctx, {ptr, ptr, i64, LLVM::LLVMArrayType::get(i64, 1),
              LLVM::LLVMArrayType::get(i64, 1)});
    Value desc = LLVM::UndefOp::create(b, loc, descType);
    auto set = [&](Value v, ArrayRef<int64_t> at) {
      desc = LLVM::InsertValueOp::create(b, loc, desc, v, at);
    };
    set(base, {0});
    set(base, {1});
    set(LLVM::ConstantOp::create(b, loc, i64, 0), {2});
    set(LLVM::ConstantOp::create(b, loc, i64, size), {3, 0});
    set(LLVM::ConstantOp::create(b, loc, i64, 1), {4, 0});
    Value workspace =
        UnrealizedConversionCastOp::create(b, loc, wsType, desc).getResult(0);

    for (Temporary &t : temporaries) {
      OpBuilder vb(t.alloc);
      Value offset = arith::ConstantIndexOp::create(vb, loc, t.offset);
      Value view = memref::ViewOp::create(vb, t.alloc.getLoc(),
                                          t.alloc.getType(), workspace,
                                          offset, ValueRange{});
      t.dealloc.erase();
      t.alloc.replaceAllUsesWith(view);
      t.alloc.erase();
    }

    // Release at every return: the workspace goes back to the cache; what
    // a concurrent call left there is freed.
    for (auto ret : llvm::to_vector(body.getOps<func::ReturnOp>())) {
      OpBuilder rb(ret);
      Value again = LLVM::AddressOfOp::create(rb, loc, cache);
      Value previous = LLVM::AtomicRMWOp::create(
          rb, loc, LLVM::AtomicBinOp::xchg, again, base,
          LLVM::AtomicOrdering::release);
      Value nothing = LLVM::ZeroOp::create(rb, loc, ptr);
      Value some = LLVM::ICmpOp::create(rb, loc, LLVM::ICmpPredicate::ne,
                                        previous, nothing);
      scf::IfOp::create(rb, loc, some, [&](OpBuilder &tb, Location l) {
        LLVM::CallOp::create(tb, l, *freeFn, ValueRange{previous});
        scf::YieldOp::create(tb, l);
      });
    }
    return cache;
  }

  /// A destructor of the artifact that frees the cached workspaces.
  LogicalResult addDestructor(ModuleOp module, ArrayRef<LLVM::GlobalOp> caches) {
    MLIRContext *ctx = &getContext();
    Location loc = module.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    FailureOr<LLVM::LLVMFuncOp> freeFn = LLVM::lookupOrCreateFreeFn(mb, module);
    if (failed(freeFn))
      return module.emitError("bnn-plan-workspace: cannot declare free");
    SymbolTable symbols(module);
    auto dtor = LLVM::LLVMFuncOp::create(
        mb, loc, "__bnn_free_workspaces",
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {}),
        LLVM::Linkage::Internal);
    symbols.insert(dtor);
    OpBuilder b(ctx);
    b.setInsertionPointToStart(dtor.addEntryBlock(b));
    for (LLVM::GlobalOp cache : caches) {
      Value address = LLVM::AddressOfOp::create(b, loc, cache);
      Value cached = LLVM::LoadOp::create(b, loc, ptr, address);
      // free(NULL) does nothing.
      LLVM::CallOp::create(b, loc, *freeFn, ValueRange{cached});
    }
    LLVM::ReturnOp::create(b, loc, ValueRange{});
    mb.setInsertionPointToEnd(module.getBody());
    LLVM::GlobalDtorsOp::create(
        mb, loc, mb.getArrayAttr({FlatSymbolRefAttr::get(dtor)}),
        mb.getI32ArrayAttr({65535}), mb.getArrayAttr({LLVM::ZeroAttr::get(ctx)}));
    return success();
  }
};
} // namespace
