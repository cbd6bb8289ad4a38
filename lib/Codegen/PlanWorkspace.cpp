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

#include "bnn/RuntimeABI/EntrySignature.h"

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
/// The most bytes the slots of one parallel loop may take together; a
/// loop whose iterations need more keeps allocating per iteration.
constexpr int64_t kMaxSlotsBytes = int64_t(64) << 20;

/// One temporary: its allocation, its deallocation, its bytes, its
/// lifetime in block positions and its place in the workspace. A parallel
/// loop's slots (below) are one temporary of the enclosing block, with
/// `slots` set and no allocation.
struct Temporary {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t bytes;
  unsigned begin, end;
  int64_t offset = 0;
  int slots = -1;
};

/// The temporaries of a parallel loop's body. Iterations may run at the
/// same time, so each gets a slot of its own: iteration i (in row-major
/// order of the loop's normalized indices) at i * slotBytes.
struct ParallelSlots {
  scf::ForallOp loop;
  SmallVector<Temporary> temporaries; // offsets within a slot
  int64_t slotBytes;
  SmallVector<int64_t> tripCounts;
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

/// Offsets for `temporaries`; returns the bytes they take (a multiple of
/// the alignment, at least one alignment unit).
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

/// The temporaries of `body` the workspace can hold; the bodies of
/// parallel loops in it add their slots to `slots`.
SmallVector<Temporary> collectTemporaries(Block &body,
                                          SmallVectorImpl<ParallelSlots> *slots) {
  DenseMap<Operation *, unsigned> position;
  for (auto [i, op] : llvm::enumerate(body))
    position[&op] = i;
  SmallVector<Temporary> temporaries;
  for (auto alloc : body.getOps<memref::AllocOp>()) {
    std::optional<int64_t> bytes = viewBytes(alloc.getType());
    if (!bytes || !alloc.getDynamicSizes().empty() ||
        !alloc.getSymbolOperands().empty())
      continue;
    // Exactly one deallocation, in the body; never returned or yielded.
    memref::DeallocOp dealloc;
    bool owned = true;
    for (Operation *user : alloc->getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>())
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
  if (!slots)
    return temporaries;
  // Parallel loops with static bounds (one level: their own loops keep
  // their allocations).
  for (auto loop : body.getOps<scf::ForallOp>()) {
    SmallVector<int64_t> trips;
    for (auto [lb, ub, step] :
         llvm::zip_equal(loop.getStaticLowerBound(), loop.getStaticUpperBound(),
                         loop.getStaticStep())) {
      if (ShapedType::isDynamic(lb) || ShapedType::isDynamic(ub) ||
          ShapedType::isDynamic(step) || step <= 0)
        break;
      trips.push_back(ub > lb ? llvm::divideCeil(ub - lb, step) : 0);
    }
    if (static_cast<int64_t>(trips.size()) != loop.getRank())
      continue;
    SmallVector<Temporary> inner =
        collectTemporaries(*loop.getBody(), /*slots=*/nullptr);
    if (inner.empty())
      continue;
    int64_t slotBytes = place(inner);
    int64_t total = slotBytes;
    for (int64_t trip : trips)
      if (llvm::MulOverflow(total, trip, total))
        total = kMaxSlotsBytes + 1;
    if (total == 0 || total > kMaxSlotsBytes) {
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": parallel loop at "
                              << loop.getLoc() << " keeps its allocations ("
                              << total << " bytes of slots)\n");
      continue;
    }
    Temporary whole{};
    whole.bytes = total;
    whole.begin = whole.end = position[loop];
    whole.slots = static_cast<int>(slots->size());
    temporaries.push_back(whole);
    slots->push_back({loop, std::move(inner), slotBytes, std::move(trips)});
  }
  return temporaries;
}

/// Replaces the allocation and deallocation of `t` by a view of
/// `workspace` at byte `offset`.
void replaceByView(Temporary &t, Value workspace, Value offset) {
  OpBuilder vb(t.alloc);
  Value view = memref::ViewOp::create(vb, t.alloc.getLoc(), t.alloc.getType(),
                                      workspace, offset, ValueRange{});
  t.dealloc.erase();
  t.alloc.replaceAllUsesWith(view);
  t.alloc.erase();
}

/// The temporaries of `slots`' loop as views of their iteration's slot,
/// the slots starting at byte `base` of `workspace`.
void replaceBySlots(ParallelSlots &slots, Value workspace, int64_t base) {
  scf::ForallOp loop = slots.loop;
  Location loc = loop.getLoc();
  OpBuilder b = OpBuilder::atBlockBegin(loop.getBody());
  // The iteration's row-major number over the normalized indices.
  Value number;
  for (auto [iv, lb, step, trips] :
       llvm::zip_equal(loop.getInductionVars(), loop.getStaticLowerBound(),
                       loop.getStaticStep(), slots.tripCounts)) {
    Value index = iv;
    if (lb != 0)
      index = arith::SubIOp::create(
          b, loc, index, arith::ConstantIndexOp::create(b, loc, lb));
    if (step != 1)
      index = arith::DivUIOp::create(
          b, loc, index, arith::ConstantIndexOp::create(b, loc, step));
    if (number)
      number = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(b, loc, number,
                                arith::ConstantIndexOp::create(b, loc, trips)),
          index);
    else
      number = index;
  }
  Value slot = arith::AddIOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, base),
      arith::MulIOp::create(
          b, loc, number,
          arith::ConstantIndexOp::create(b, loc, slots.slotBytes)));
  for (Temporary &t : slots.temporaries) {
    OpBuilder ob(t.alloc);
    Value offset = t.offset == 0
                       ? slot
                       : arith::AddIOp::create(
                             ob, loc, slot,
                             arith::ConstantIndexOp::create(ob, loc, t.offset))
                             .getResult();
    replaceByView(t, workspace, offset);
  }
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
      SmallVector<ParallelSlots> slots;
      SmallVector<Temporary> temporaries =
          collectTemporaries(func.getBody().front(), &slots);
      if (temporaries.empty())
        continue;
      int64_t size = place(temporaries);
      size_t count = 0;
      for (const Temporary &t : temporaries)
        count += t.slots < 0 ? 1 : slots[t.slots].temporaries.size();
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": @" << func.getSymName()
                              << ": " << count << " temporaries ("
                              << slots.size() << " parallel loops) in "
                              << size << " bytes\n");
      if (report && func.isPublic())
        func.emitRemark() << "workspace of @" << func.getSymName() << ": "
                          << size << " bytes for " << count << " temporaries";
      FailureOr<LLVM::GlobalOp> cache =
          rewrite(func, temporaries, slots, size);
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
                                    MutableArrayRef<ParallelSlots> slots,
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

    // An entry point (public, called by nothing in the module) takes a
    // workspace from its caller, or null for its own.
    Value supplied;
    if (func.isPublic() && SymbolTable::symbolKnownUseEmpty(func, module)) {
      unsigned index = func.getNumArguments();
      if (failed(func.insertArgument(index, ptr, DictionaryAttr(), loc)))
        return func.emitError("bnn-plan-workspace: cannot add the workspace "
                              "argument");
      supplied = func.getArgument(index);
      func->setAttr(kWorkspaceBytesAttrName,
                    IntegerAttr::get(i64, size));
    }

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
    auto acquire = [&](OpBuilder &ab, Location l) -> Value {
      Value address = LLVM::AddressOfOp::create(ab, l, cache);
      Value null = LLVM::ZeroOp::create(ab, l, ptr);
      Value cached = LLVM::AtomicRMWOp::create(
          ab, l, LLVM::AtomicBinOp::xchg, address, null,
          LLVM::AtomicOrdering::acquire);
      Value empty =
          LLVM::ICmpOp::create(ab, l, LLVM::ICmpPredicate::eq, cached, null);
      auto fresh = scf::IfOp::create(
          ab, l, empty,
          [&](OpBuilder &tb, Location tl) {
            Value align = LLVM::ConstantOp::create(tb, tl, i64, kAlignment);
            Value bytes = LLVM::ConstantOp::create(tb, tl, i64, size);
            Value got = LLVM::CallOp::create(tb, tl, *alignedAlloc,
                                             ValueRange{align, bytes})
                            .getResult();
            scf::YieldOp::create(tb, tl, got);
          },
          [&](OpBuilder &eb, Location el) {
            scf::YieldOp::create(eb, el, cached);
          });
      return fresh.getResult(0);
    };
    Value base, own;
    if (supplied) {
      own = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, supplied,
                                 LLVM::ZeroOp::create(b, loc, ptr));
      base = scf::IfOp::create(
                 b, loc, own,
                 [&](OpBuilder &tb, Location l) {
                   scf::YieldOp::create(tb, l, acquire(tb, l));
                 },
                 [&](OpBuilder &eb, Location l) {
                   scf::YieldOp::create(eb, l, supplied);
                 })
                 .getResult(0);
    } else {
      base = acquire(b, loc);
    }

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
      if (t.slots >= 0) {
        replaceBySlots(slots[t.slots], workspace, t.offset);
        continue;
      }
      OpBuilder vb(t.alloc);
      replaceByView(t, workspace,
                    arith::ConstantIndexOp::create(vb, loc, t.offset));
    }

    // Release at every return: the workspace goes back to the cache; what
    // a concurrent call left there is freed. A supplied one stays the
    // caller's.
    for (auto ret : llvm::to_vector(body.getOps<func::ReturnOp>())) {
      OpBuilder rb(ret);
      auto release = [&](OpBuilder &r, Location l) {
        Value again = LLVM::AddressOfOp::create(r, l, cache);
        Value previous = LLVM::AtomicRMWOp::create(
            r, l, LLVM::AtomicBinOp::xchg, again, base,
            LLVM::AtomicOrdering::release);
        Value nothing = LLVM::ZeroOp::create(r, l, ptr);
        Value some = LLVM::ICmpOp::create(r, l, LLVM::ICmpPredicate::ne,
                                          previous, nothing);
        scf::IfOp::create(r, l, some, [&](OpBuilder &tb, Location tl) {
          LLVM::CallOp::create(tb, tl, *freeFn, ValueRange{previous});
          scf::YieldOp::create(tb, tl);
        });
      };
      if (!own) {
        release(rb, loc);
        continue;
      }
      scf::IfOp::create(rb, loc, own, [&](OpBuilder &tb, Location l) {
        release(tb, l);
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
