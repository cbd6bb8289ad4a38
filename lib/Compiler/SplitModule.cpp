//===- SplitModule.cpp - partitions of a module for parallel codegen ------===//
//
// A large model reaches LLVM as many functions of bounded size
// (bnn-split-large-functions), and instruction selection, register
// allocation and the rest of code generation work on one function at a
// time. So the optimised module is cut into partitions of about equal size,
// each compiled to its own object on its own thread, and the linker joins
// the objects again. Only code generation is split: the optimisation
// pipeline still sees the whole module, so inlining, interprocedural
// constant propagation and attribute inference decide as before, and every
// function's machine code is what it is in one object.
//
// llvm::SplitModule (Transforms/Utils) assigns functions by a hash of their
// names or round-robin by count, and externalizes every local symbol; here
// partitions are balanced by instruction count, a function's outlined
// OpenMP bodies and the constants only it reads stay with it (and stay
// local), and only what another partition refers to becomes a hidden
// global symbol, which the shared library does not export.
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <numeric>

using namespace mlir;
using namespace mlir::bnn;

/// Whether the partitioning handles everything in `module`. Aliases,
/// ifuncs, comdats, appending globals other than llvm.global_ctors and
/// llvm.global_dtors (the variant selection of a multi-variant artifact,
/// the release of cached workspaces; one partition takes each with its
/// function), module-level assembly and block addresses tie
/// symbols together in ways it does not follow; the lowering produces none
/// of them.
static bool isSplittable(const llvm::Module &module) {
  if (!module.alias_empty() || !module.ifunc_empty() ||
      !module.getModuleInlineAsm().empty() ||
      !module.getComdatSymbolTable().empty())
    return false;
  for (const llvm::GlobalVariable &global : module.globals())
    if ((global.hasAppendingLinkage() &&
         global.getName() != "llvm.global_ctors" &&
         global.getName() != "llvm.global_dtors") ||
        global.hasComdat())
      return false;
  for (const llvm::Function &function : module) {
    if (function.hasComdat())
      return false;
    for (const llvm::BasicBlock &block : function)
      if (block.hasAddressTaken())
        return false;
  }
  return true;
}

/// The functions and global variables `module` defines, functions first,
/// each in module order (which a module read back from bitcode keeps).
static SmallVector<llvm::GlobalObject *> definitionsOf(llvm::Module &module) {
  SmallVector<llvm::GlobalObject *> definitions;
  for (llvm::Function &function : module)
    if (!function.isDeclaration())
      definitions.push_back(&function);
  for (llvm::GlobalVariable &global : module.globals())
    if (!global.isDeclaration())
      definitions.push_back(&global);
  return definitions;
}

namespace {
/// The definitions that refer to one global value.
struct References {
  /// Functions and global variables whose bodies or initializers use it.
  llvm::SmallPtrSet<const llvm::GlobalObject *, 4> referrers;
  /// Whether one of the uses is the callee of a direct call.
  bool called = false;
};
} // namespace

/// Collects who refers to `value`, looking through constant expressions
/// and aggregates.
static References collectReferences(const llvm::GlobalValue &value) {
  References refs;
  SmallVector<const llvm::Use *> worklist;
  for (const llvm::Use &use : value.uses())
    worklist.push_back(&use);
  llvm::SmallPtrSet<const llvm::Constant *, 8> seen;
  while (!worklist.empty()) {
    const llvm::Use *use = worklist.pop_back_val();
    const llvm::User *user = use->getUser();
    if (auto *inst = llvm::dyn_cast<llvm::Instruction>(user)) {
      refs.referrers.insert(inst->getFunction());
      if (auto *call = llvm::dyn_cast<llvm::CallBase>(inst))
        if (call->isCallee(use))
          refs.called = true;
    } else if (auto *global = llvm::dyn_cast<llvm::GlobalObject>(user)) {
      refs.referrers.insert(global);
    } else if (auto *constant = llvm::dyn_cast<llvm::Constant>(user)) {
      if (seen.insert(constant).second)
        for (const llvm::Use &next : constant->uses())
          worklist.push_back(&next);
    }
  }
  return refs;
}

compiler_detail::CodegenPartitions
compiler_detail::planCodegenPartitions(llvm::Module &module, unsigned maxParts,
                                       uint64_t minInstructionsPerPart) {
  CodegenPartitions plan;
  if (maxParts < 2 || !isSplittable(module))
    return plan;

  SmallVector<llvm::GlobalObject *> definitions = definitionsOf(module);
  llvm::DenseMap<const llvm::GlobalObject *, unsigned> index;
  for (auto [i, definition] : llvm::enumerate(definitions))
    index[definition] = i;

  // A definition that only one other definition refers to, and that not as
  // the callee of a call, belongs with it: the outlined body of an OpenMP
  // region with its function, a constant with the only function that reads
  // it. Everything else is a root; each root and what belongs with it is
  // one unit that a partition takes whole.
  size_t count = definitions.size();
  SmallVector<SmallVector<const llvm::GlobalObject *, 1>> referrersOf(count);
  SmallVector<int64_t> owner(count, -1);
  for (size_t i = 0; i < count; ++i) {
    References refs = collectReferences(*definitions[i]);
    referrersOf[i].assign(refs.referrers.begin(), refs.referrers.end());
    if (!refs.called && refs.referrers.size() == 1) {
      const llvm::GlobalObject *referrer = *refs.referrers.begin();
      auto it = index.find(referrer);
      if (it != index.end() && it->second != i)
        owner[i] = it->second;
    }
  }
  // The root of every definition; a cycle of owners (globals that only
  // refer to each other) is rooted at the definition the walk started from.
  SmallVector<size_t> root(count);
  for (size_t i = 0; i < count; ++i) {
    size_t r = i;
    llvm::SmallPtrSet<size_t, 4> path;
    while (owner[r] >= 0 && path.insert(r).second)
      r = static_cast<size_t>(owner[r]);
    root[i] = owner[r] >= 0 ? i : r;
  }

  // The size of a unit is the instructions of its functions, which is
  // roughly what code generation spends on it.
  SmallVector<uint64_t> weight(count, 0);
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i)
    if (auto *function = llvm::dyn_cast<llvm::Function>(definitions[i])) {
      uint64_t size = function->getInstructionCount();
      weight[root[i]] += size;
      total += size;
    }
  SmallVector<size_t> roots;
  for (size_t i = 0; i < count; ++i)
    if (root[i] == i)
      roots.push_back(i);
  unsigned parts = maxParts;
  if (minInstructionsPerPart > 0)
    parts = static_cast<unsigned>(
        std::min<uint64_t>(parts, total / minInstructionsPerPart));
  parts = std::min<unsigned>(
      parts, llvm::count_if(roots, [&](size_t r) { return weight[r] > 0; }));
  if (parts < 2)
    return plan;

  // Largest unit first into the lightest partition (ties: the lower
  // partition, the earlier unit), which keeps partitions within one unit of
  // each other.
  llvm::sort(roots, [&](size_t a, size_t b) {
    return weight[a] != weight[b] ? weight[a] > weight[b] : a < b;
  });
  SmallVector<uint64_t> load(parts, 0);
  SmallVector<unsigned> partOfRoot(count, 0);
  for (size_t r : roots) {
    unsigned lightest = static_cast<unsigned>(
        std::min_element(load.begin(), load.end()) - load.begin());
    partOfRoot[r] = lightest;
    load[lightest] += weight[r];
  }
  // Not worth it when one unit dominates: what runs beside the largest
  // partition must be worth a partition too.
  uint64_t largest = *std::max_element(load.begin(), load.end());
  if (minInstructionsPerPart > 0 && total - largest < minInstructionsPerPart)
    return plan;
  llvm::DenseMap<const llvm::GlobalValue *, unsigned> partOf;
  for (size_t i = 0; i < count; ++i)
    partOf[definitions[i]] = partOfRoot[root[i]];

  // What another partition refers to must be a symbol the linker can
  // resolve: a local definition becomes global, hidden (the shared
  // library does not export it, and calls and addresses stay direct) and
  // named. Everything else keeps its linkage.
  for (size_t i = 0; i < count; ++i) {
    llvm::GlobalObject *definition = definitions[i];
    if (!definition->hasLocalLinkage())
      continue;
    unsigned part = partOf[definition];
    bool shared =
        llvm::any_of(referrersOf[i], [&](const llvm::GlobalObject *r) {
          return partOf.lookup(r) != part;
        });
    if (!shared)
      continue;
    definition->setLinkage(llvm::GlobalValue::ExternalLinkage);
    definition->setVisibility(llvm::GlobalValue::HiddenVisibility);
    if (!definition->hasName())
      definition->setName("__bnn_codegen_shared");
  }

  // Every partition is the whole module, read back from bitcode in a
  // context of its own, less the definitions of the others. Reading the
  // module whole keeps the order of every value's uses, which instruction
  // selection and register allocation follow (a copy with llvm::CloneModule
  // orders them as it copies, and the code differs); the module itself
  // becomes partition 0 the same way.
  plan.count = parts;
  plan.partOfDefinition.reserve(count);
  for (size_t i = 0; i < count; ++i)
    plan.partOfDefinition.push_back(partOf[definitions[i]]);
  llvm::raw_svector_ostream os(plan.bitcode);
  llvm::WriteBitcodeToFile(module, os, /*ShouldPreserveUseListOrder=*/true);
  return plan;
}

LogicalResult compiler_detail::keepCodegenPartition(
    llvm::Module &module, const CodegenPartitions &plan, unsigned part) {
  SmallVector<llvm::GlobalObject *> definitions = definitionsOf(module);
  if (definitions.size() != plan.partOfDefinition.size())
    return failure();
  SmallVector<llvm::GlobalVariable *> appending;
  for (auto [definition, owner] :
       llvm::zip_equal(definitions, plan.partOfDefinition)) {
    if (owner == part)
      continue;
    // An appending array (llvm.global_ctors) has no declaration: the other
    // partitions have none of it.
    if (definition->hasAppendingLinkage()) {
      appending.push_back(llvm::cast<llvm::GlobalVariable>(definition));
      continue;
    }
    if (auto *function = llvm::dyn_cast<llvm::Function>(definition)) {
      function->deleteBody();
      function->setPersonalityFn(nullptr);
    } else {
      llvm::cast<llvm::GlobalVariable>(definition)->setInitializer(nullptr);
    }
    definition->setLinkage(llvm::GlobalValue::ExternalLinkage);
  }
  for (llvm::GlobalVariable *global : appending)
    global->eraseFromParent();
  return success();
}
