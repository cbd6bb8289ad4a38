//===- VerifyCompilable.cpp - bnn-verify-compilable pass ------------------===//
//
// Two things the upstream lowering accepts and the artifact cannot survive:
//
// - Names. The artifact exports the runtime ABI's symbols, and its code
//   calls the C library, the OpenMP runtime and functions the lowering
//   generates (`_mlir_ciface_<name>`). A model function of the same name
//   either replaces an ABI symbol (a public `bnn_set_num_threads` taking
//   tensors, which bnn-run then calls with an int), clashes with a
//   declaration in the middle of the lowering (`malloc`: LLVM verifier text
//   without a location, twice) or is silently called instead of the
//   library (an internal `expf` resolves the code generator's call to
//   `expf`). Reserving the names keeps every model function name usable
//   as is in the ABI and in the IR of every phase.
// - Recursion. Model functions have no base case, and the artifact runs
//   them on the caller's stack: a recursive model compiles and then dies
//   with SIGSEGV.
// - vector.print. Its lowering calls the MLIR runner library (printF32,
//   printNewline, ...), which the artifact cannot link: it compiled into a
//   library that fails to load. Its lowering also declares those functions
//   in the module from inside a function, which the pipeline's per-function
//   passes (run in parallel) must not do.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/TargetParser/Triple.h"

#define DEBUG_TYPE "bnn-verify-compilable"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNVERIFYCOMPILABLEPASS
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// Prefixes of names the artifact, its toolchain or its runtimes define,
/// with who owns them.
constexpr std::pair<llvm::StringLiteral, llvm::StringLiteral>
    kReservedPrefixes[] = {
        {"bnn_", "the runtime ABI (bnn_module, bnn_entry_<name>, "
                 "bnn_set_num_threads, bnn_target_features)"},
        {"_", "the C implementation (_mlir_ciface_<name>, __kmpc_*, "
              "__bnn_abi_*, compiler builtins)"},
        {"llvm.", "LLVM intrinsics"},
        {"omp_", "the OpenMP runtime"},
        {"ompt_", "the OpenMP runtime"},
        {"kmp_", "the OpenMP runtime"},
        {"kmpc_", "the OpenMP runtime"},
        {"GOMP_", "the OpenMP runtime"},
};

/// Why `name` is reserved, or an empty string when it is not.
std::string reservedBecause(StringRef name,
                            const llvm::TargetLibraryInfoImpl &libraryInfo) {
  for (auto [prefix, owner] : kReservedPrefixes)
    if (name.starts_with(prefix))
      return ("names starting with '" + prefix + "' belong to " + owner).str();
  llvm::LibFunc function;
  if (libraryInfo.getLibFunc(name, function))
    return "it is a C library function, which the generated code may call";
  return "";
}

LogicalResult checkNames(ModuleOp module) {
  // The names are the same for every triple; availability is not asked.
  llvm::TargetLibraryInfoImpl libraryInfo{llvm::Triple()};
  bool ok = true;
  for (Operation &op : *module.getBody()) {
    auto name = op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
    if (!name)
      continue;
    std::string why = reservedBecause(name.getValue(), libraryInfo);
    if (why.empty())
      continue;
    op.emitError() << "symbol name '" << name.getValue()
                   << "' is reserved: " << why
                   << "; rename it (docs/RuntimeABI.md#reserved-names)";
    ok = false;
  }
  return success(ok);
}

/// One reference from a function's body to a function of the module.
struct Reference {
  Operation *user;
  func::FuncOp callee;
};

/// Finds a cycle of references with a depth-first search and reports it at
/// the reference that closes it.
class RecursionFinder {
public:
  explicit RecursionFinder(ModuleOp module) : symbols(module) {
    for (auto fn : module.getOps<func::FuncOp>()) {
      std::vector<Reference> &refs = references[fn];
      std::optional<SymbolTable::UseRange> uses =
          SymbolTable::getSymbolUses(&fn.getBody());
      if (!uses)
        continue;
      for (const SymbolTable::SymbolUse &use : *uses)
        if (auto callee = symbols.lookup<func::FuncOp>(
                use.getSymbolRef().getRootReference()))
          refs.push_back({use.getUser(), callee});
    }
  }

  LogicalResult check(ModuleOp module) {
    for (auto fn : module.getOps<func::FuncOp>())
      if (state[fn] == State::Unvisited && failed(visit(fn)))
        return failure();
    return success();
  }

private:
  enum class State { Unvisited, OnPath, Done };
  SymbolTable symbols;
  llvm::DenseMap<func::FuncOp, std::vector<Reference>> references;
  llvm::DenseMap<func::FuncOp, State> state;

  /// Iterative, so that a long chain of calls cannot overflow this stack
  /// either: `stack` holds the functions being visited (the current path)
  /// and, for each, the index of its next reference.
  LogicalResult visit(func::FuncOp root) {
    SmallVector<std::pair<func::FuncOp, size_t>> stack;
    state[root] = State::OnPath;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto &[fn, next] = stack.back();
      const std::vector<Reference> &refs = references[fn];
      if (next == refs.size()) {
        state[fn] = State::Done;
        stack.pop_back();
        continue;
      }
      const Reference &ref = refs[next++];
      State &calleeState = state[ref.callee];
      if (calleeState == State::Done)
        continue;
      if (calleeState == State::OnPath) {
        SmallVector<func::FuncOp> path;
        for (auto &entry : stack)
          path.push_back(entry.first);
        return report(ref, path);
      }
      calleeState = State::OnPath;
      stack.push_back({ref.callee, 0});
    }
    return success();
  }

  LogicalResult report(const Reference &ref, ArrayRef<func::FuncOp> path) {
    llvm::SmallString<64> cycle;
    func::FuncOp callee = ref.callee;
    for (func::FuncOp fn :
         llvm::make_range(llvm::find(path, callee), path.end()))
      cycle += ("'" + fn.getSymName() + "' -> ").str();
    cycle += ("'" + callee.getSymName() + "'").str();
    return ref.user->emitError()
           << "recursive call: " << cycle
           << "; compiled models cannot recurse (a model function has no "
              "base case, and the artifact would overflow the caller's "
              "stack)";
  }
};

/// Rejects every vector.print: the runner library it calls is not part of
/// an artifact.
LogicalResult checkNoPrints(ModuleOp module) {
  bool ok = true;
  module.walk([&](vector::PrintOp op) {
    op.emitError() << "'vector.print' calls the MLIR runner library "
                      "(printF32, printNewline, ...), which a compiled "
                      "artifact cannot link; remove it";
    ok = false;
  });
  return success(ok);
}

struct VerifyCompilablePass
    : public bnn::impl::BNNVerifyCompilablePassBase<VerifyCompilablePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool namesOk = succeeded(checkNames(module));
    bool recursionOk = succeeded(RecursionFinder(module).check(module));
    bool printsOk = succeeded(checkNoPrints(module));
    if (!namesOk || !recursionOk || !printsOk)
      signalPassFailure();
  }
};
} // namespace
