//===- SplitLargeFunctions.cpp - bnn-split-large-functions pass -----------===//
//
// A model lowers to one function: a sequence of loop nests over buffers,
// as long as the model. LLVM is superlinear in the size of one function
// (loop passes that update a dominator tree as deep as the sequence of
// loops, instruction selection in one huge block), so the entry block of a
// large function is cut into chunks of bounded size, each moved into a
// private, never inlined function called in its place. LLVM then optimises
// many functions of bounded size: time linear in the model.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

#define DEBUG_TYPE "bnn-split-large-functions"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNSPLITLARGEFUNCTIONSPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {

/// Operations every chunk that uses them gets a copy of, rather than an
/// argument: constants (loop bounds, indices) and references to constant
/// globals, so that what LLVM knows about them stays known.
bool isCloned(Operation *op) {
  return op->hasTrait<OpTrait::ConstantLike>() || isa<memref::GetGlobalOp>(op);
}

/// The largest unrolled loop body LLVM is taken to unroll fully (its
/// default thresholds are a few hundred instructions).
constexpr int64_t kFullyUnrolled = 512;

/// The size `op` will have in LLVM, in operations: loops with a static trip
/// count whose unrolled body is small count unrolled (16 elementwise
/// additions over a 1x16 tensor become 16 additions in one basic block).
int64_t estimateSize(Operation *op) {
  auto unrolled = [](int64_t body, int64_t trips) {
    return trips > 0 && body * trips <= kFullyUnrolled ? body * trips : body;
  };
  int64_t nested = 0;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (Operation &inner : block)
        nested += estimateSize(&inner);
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    int64_t trips = 1;
    for (int64_t range : linalgOp.getStaticLoopRanges()) {
      if (ShapedType::isDynamic(range) || trips > kFullyUnrolled) {
        trips = -1; // not unrolled
        break;
      }
      trips *= range;
    }
    return 1 + unrolled(nested, trips);
  }
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    int64_t count = trips && trips->getActiveBits() < 32
                        ? static_cast<int64_t>(trips->getZExtValue())
                        : -1;
    return 1 + unrolled(nested, count);
  }
  return 1 + nested;
}

/// The entry block of one function, as a sequence of top-level operations.
class Splitter {
public:
  Splitter(func::FuncOp function, int64_t maxOps, int64_t maxArguments)
      : function(function), body(function.front()), maxOps(maxOps),
        maxArguments(maxArguments) {}

  /// Moves the chunks into new functions, inserted with `symbols`.
  void run(SymbolTable &symbols);

private:
  /// The top-level operation of the entry block that holds `v`'s
  /// definition; null for an argument of the function.
  Operation *topLevelDef(Value v) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() == &body)
        return nullptr;
      return body.findAncestorOpInBlock(*arg.getOwner()->getParentOp());
    }
    return body.findAncestorOpInBlock(*v.getDefiningOp());
  }

  /// Chunk boundaries: the first operation of each chunk (index into
  /// `ops`), then ops.size().
  SmallVector<size_t> partition();
  void outline(ArrayRef<Operation *> chunk, SymbolTable &symbols,
               unsigned index);

  func::FuncOp function;
  Block &body;
  /// The last function created, after which the next one goes.
  Operation *lastPart = nullptr;
  int64_t maxOps, maxArguments;
  /// The top-level operations but cloned ones and the terminator.
  SmallVector<Operation *> ops;
  DenseMap<Operation *, size_t> position;
};

SmallVector<size_t> Splitter::partition() {
  size_t n = ops.size();
  // Weight (nested operations), the values each operation uses from other
  // top-level operations or arguments, and whether it yields stack memory
  // (a memref.alloca or a view of one), with its last use.
  SmallVector<int64_t> weight(n, 0);
  SmallVector<SmallVector<Value>> external(n);
  SmallVector<size_t> stackUntil(n, 0);
  SmallVector<bool> onStack(n, false);
  for (size_t i = 0; i < n; ++i) {
    Operation *op = ops[i];
    llvm::SetVector<Value> used;
    weight[i] = estimateSize(op);
    op->walk([&](Operation *inner) {
      for (Value v : inner->getOperands()) {
        Operation *def = topLevelDef(v);
        if (def == op || (def && isCloned(def)))
          continue;
        used.insert(v);
      }
    });
    external[i] = used.takeVector();
    if (isa<memref::AllocaOp>(op)) {
      onStack[i] = true;
    } else if (auto view = dyn_cast<ViewLikeOpInterface>(op)) {
      Operation *source = topLevelDef(view.getViewSource());
      onStack[i] =
          source && position.count(source) && onStack[position.lookup(source)];
    }
    if (onStack[i])
      for (Operation *user : op->getUsers())
        if (Operation *top = body.findAncestorOpInBlock(*user))
          if (position.count(top))
            stackUntil[i] = std::max(stackUntil[i], position.lookup(top));
  }

  SmallVector<size_t> starts = {0};
  int64_t chunkWeight = 0;
  llvm::SmallDenseSet<Value, 32> arguments;
  size_t stackEnd = 0; // no cut may fall in (alloca, last use]
  for (size_t i = 0; i < n; ++i) {
    size_t start = starts.back();
    auto isArgument = [&](Value v) {
      Operation *def = topLevelDef(v);
      return !def || position.lookup(def) < start;
    };
    size_t newArguments = 0;
    for (Value v : external[i])
      if (isArgument(v) && !arguments.contains(v))
        ++newArguments;
    bool full =
        chunkWeight + weight[i] > maxOps ||
        static_cast<int64_t>(arguments.size() + newArguments) > maxArguments;
    if (i > start && full && stackEnd < i) {
      starts.push_back(i);
      chunkWeight = 0;
      arguments.clear();
      start = i;
    }
    chunkWeight += weight[i];
    for (Value v : external[i])
      if (isArgument(v))
        arguments.insert(v);
    if (onStack[i])
      stackEnd = std::max(stackEnd, stackUntil[i]);
  }
  starts.push_back(n);
  return starts;
}

void Splitter::outline(ArrayRef<Operation *> chunk, SymbolTable &symbols,
                       unsigned index) {
  llvm::SmallPtrSet<Operation *, 32> inChunk(chunk.begin(), chunk.end());
  // What the chunk uses from outside it, and what is used after it.
  llvm::SetVector<Value> arguments;
  llvm::SetVector<Operation *> clones;
  llvm::SetVector<Value> results;
  for (Operation *op : chunk) {
    op->walk([&](Operation *inner) {
      for (Value v : inner->getOperands()) {
        Operation *def = topLevelDef(v);
        if (def && inChunk.contains(def))
          continue;
        if (def && isCloned(def))
          clones.insert(def);
        else
          arguments.insert(v);
      }
    });
    for (Value result : op->getResults())
      for (Operation *user : result.getUsers()) {
        Operation *top = body.findAncestorOpInBlock(*user);
        if (!top || !inChunk.contains(top)) {
          results.insert(result);
          break;
        }
      }
  }

  OpBuilder builder(function);
  Location loc = chunk.front()->getLoc();
  SmallVector<Type> argumentTypes, resultTypes;
  for (Value v : arguments)
    argumentTypes.push_back(v.getType());
  for (Value v : results)
    resultTypes.push_back(v.getType());
  auto part = func::FuncOp::create(
      loc, (function.getName() + "__part" + Twine(index)).str(),
      builder.getFunctionType(argumentTypes, resultTypes));
  part.setPrivate();
  // LLVM would inline a private function called once straight back.
  part->setAttr("passthrough",
                builder.getArrayAttr({builder.getStringAttr("noinline")}));
  Operation *after = lastPart ? lastPart : function.getOperation();
  symbols.insert(part, std::next(Block::iterator(after)));
  lastPart = part;

  Block *partBody = part.addEntryBlock();
  IRMapping mapping;
  for (auto [v, arg] : llvm::zip_equal(arguments, partBody->getArguments()))
    mapping.map(v, arg);
  builder.setInsertionPointToEnd(partBody);
  for (Operation *op : clones)
    builder.clone(*op, mapping);

  // The call takes the chunk's place; the chunk moves into `part`.
  builder.setInsertionPoint(chunk.front());
  auto call = func::CallOp::create(builder, loc, part, arguments.getArrayRef());
  for (Operation *op : chunk) {
    op->moveBefore(partBody, partBody->end());
    op->walk([&](Operation *inner) {
      for (OpOperand &operand : inner->getOpOperands())
        if (Value mapped = mapping.lookupOrNull(operand.get()))
          operand.set(mapped);
    });
  }
  builder.setInsertionPointToEnd(partBody);
  func::ReturnOp::create(builder, loc, results.getArrayRef());
  for (auto [result, replacement] : llvm::zip_equal(results, call.getResults()))
    Value(result).replaceUsesWithIf(replacement, [&](OpOperand &use) {
      return !part->isAncestor(use.getOwner());
    });
}

void Splitter::run(SymbolTable &symbols) {
  int64_t total = 0;
  for (Operation &op : body.without_terminator()) {
    if (isCloned(&op))
      continue;
    position[&op] = ops.size();
    ops.push_back(&op);
    total += estimateSize(&op);
  }
  if (total <= maxOps)
    return;
  SmallVector<size_t> starts = partition();
  if (starts.size() <= 2) // one chunk: nothing to gain
    return;
  for (size_t c = 0; c + 1 < starts.size(); ++c)
    outline(ArrayRef(ops).slice(starts[c], starts[c + 1] - starts[c]), symbols,
            c);
}

struct BNNSplitLargeFunctionsPass
    : public bnn::impl::BNNSplitLargeFunctionsPassBase<
          BNNSplitLargeFunctionsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (maxOps < 1 || maxArguments < 0) {
      emitError(getOperation().getLoc())
          << "bnn-split-large-functions: max-ops must be >= 1 and "
             "max-arguments >= 0";
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions)
      if (!function.isExternal() && llvm::hasSingleElement(function.getBody()))
        Splitter(function, maxOps, maxArguments).run(symbols);
  }
};

} // namespace
