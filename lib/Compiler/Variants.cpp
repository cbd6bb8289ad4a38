//===- Variants.cpp - one artifact, code for several CPUs ----------------===//
//
// A multi-variant artifact holds the model compiled once per code variant
// of the target (TargetDescription::variants: x86-64-v2, -v3, -v4 with the
// vector popcount) and picks one when it is loaded, from CPUID. The
// variants are lowered and translated separately; here their LLVM modules
// are linked into one:
//
// - every public symbol of variant i is renamed `<name>.<variant>` and made
//   internal, so the variants coexist;
// - `bnn_entry_<name>` becomes a stub that calls the selected variant's
//   entry, and `bnn_workspace_entry_<name>` likewise (the metadata of the
//   first variant, the one exported as `bnn_module`, points at the stubs
//   and gives each entry the largest workspace of any variant);
// - `bnn_set_num_threads` sets the count of every variant;
// - the selection runs once, from a constructor at load time (or at the
//   first call, should another constructor call in first): the highest
//   variant whose CPUID bits the CPU has and whose register state the OS
//   saves (XGETBV) on x86-64, whose HWCAP bits the kernel reports
//   (getauxval) on AArch64. `bnn_variants`, `bnn_variant()` and
//   `bnn_force_variant()` report and override it (bnn-c/Runtime.h).
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"

#include "bnn-c/Runtime.h"
#include "bnn/RuntimeABI/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// Builds the selection code of the merged module.
class Dispatch {
public:
  Dispatch(llvm::Module &module, ArrayRef<CodeVariant> variants,
           llvm::AttributeList attrs)
      : module(module), ctx(module.getContext()), variants(variants),
        attrs(attrs), i32(llvm::Type::getInt32Ty(ctx)) {}

  /// `__bnn_supported_variants`: bit i set when the CPU runs variant i.
  llvm::Function *buildSupported();
  /// The same from the kernel's HWCAP bits (AArch64).
  llvm::Function *buildSupportedAArch64();
  /// `__bnn_variant_index`: the selected variant, selecting it first if
  /// nothing has (the highest supported one, else the lowest).
  llvm::Function *buildIndex(llvm::Function *supported);
  /// `bnn_variant` and `bnn_force_variant`.
  void buildReportAndForce(llvm::Function *supported, llvm::Function *index);
  /// A public `name` forwarding its arguments to `targets[selected]`.
  void buildStub(StringRef name, ArrayRef<llvm::Function *> targets,
                 llvm::Function *index);

  llvm::Function *newFunction(llvm::FunctionType *type, StringRef name,
                              bool exported) {
    auto *fn = llvm::Function::Create(
        type,
        exported ? llvm::GlobalValue::ExternalLinkage
                 : llvm::GlobalValue::InternalLinkage,
        name, module);
    fn->setAttributes(attrs);
    return fn;
  }

  llvm::GlobalVariable *selected() {
    if (!selectedVar)
      selectedVar = new llvm::GlobalVariable(
          module, i32, /*isConstant=*/false,
          llvm::GlobalValue::InternalLinkage, llvm::ConstantInt::get(i32, -1),
          "__bnn_selected_variant");
    return selectedVar;
  }

private:
  /// Relaxed atomics: every thread that selects computes the same value.
  void storeSelected(llvm::IRBuilder<> &b, llvm::Value *index) {
    llvm::StoreInst *store = b.CreateStore(index, selected());
    store->setAtomic(llvm::AtomicOrdering::Monotonic);
    store->setAlignment(llvm::Align(4));
  }

  llvm::Module &module;
  llvm::LLVMContext &ctx;
  ArrayRef<CodeVariant> variants;
  llvm::AttributeList attrs;
  llvm::IntegerType *i32;
  llvm::GlobalVariable *selectedVar = nullptr;
};
} // namespace

llvm::Function *Dispatch::buildSupported() {
  if (module.getTargetTriple().isAArch64())
    return buildSupportedAArch64();
  llvm::Function *fn = newFunction(llvm::FunctionType::get(i32, false),
                                   "__bnn_supported_variants", false);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  auto *readXcr0 = llvm::BasicBlock::Create(ctx, "xgetbv", fn);
  auto *decide = llvm::BasicBlock::Create(ctx, "decide", fn);
  llvm::IRBuilder<> b(entry);
  auto *i64 = b.getInt64Ty();

  auto *regs = llvm::StructType::get(ctx, {i32, i32, i32, i32});
  llvm::InlineAsm *cpuidAsm = llvm::InlineAsm::get(
      llvm::FunctionType::get(regs, {i32, i32}, false), "cpuid",
      "={ax},={bx},={cx},={dx},{ax},{cx},~{dirflag},~{fpsr},~{flags}",
      /*hasSideEffects=*/false);
  // Each leaf once; a leaf above the highest one the CPU has reads as 0.
  std::map<std::pair<uint32_t, uint32_t>, llvm::Value *> leaves;
  llvm::Value *maxBasic = b.CreateExtractValue(
      b.CreateCall(cpuidAsm, {b.getInt32(0), b.getInt32(0)}), 0);
  llvm::Value *maxExtended = b.CreateExtractValue(
      b.CreateCall(cpuidAsm, {b.getInt32(0x80000000), b.getInt32(0)}), 0);
  auto leaf = [&](uint32_t number, uint32_t sub) -> llvm::Value * {
    auto key = std::make_pair(number, sub);
    if (leaves.count(key))
      return leaves[key];
    llvm::Value *max = number >= 0x80000000 ? maxExtended : maxBasic;
    llvm::Value *present = b.CreateICmpUGE(max, b.getInt32(number));
    llvm::Value *value =
        b.CreateCall(cpuidAsm, {b.getInt32(number), b.getInt32(sub)});
    llvm::Value *zero = llvm::ConstantAggregateZero::get(regs);
    return leaves[key] = b.CreateSelect(present, value, zero);
  };
  // XGETBV faults unless the OS enabled it (OSXSAVE, leaf 1 ecx bit 27).
  llvm::Value *osxsave = b.CreateICmpNE(
      b.CreateAnd(b.CreateExtractValue(leaf(1, 0), 2), b.getInt32(1u << 27)),
      b.getInt32(0));
  // Every leaf is read in the entry block, before the branch.
  SmallVector<std::pair<const CodeVariant *, SmallVector<llvm::Value *>>>
      bits;
  for (const CodeVariant &variant : variants) {
    SmallVector<llvm::Value *> words;
    for (const CPUIDBit &bit : variant.cpuid) {
      llvm::Value *reg =
          b.CreateExtractValue(leaf(bit.leaf, bit.subleaf), bit.reg);
      words.push_back(b.CreateICmpNE(
          b.CreateAnd(reg, b.getInt32(1u << bit.bit)), b.getInt32(0)));
    }
    bits.push_back({&variant, words});
  }
  b.CreateCondBr(osxsave, readXcr0, decide);

  b.SetInsertPoint(readXcr0);
  llvm::InlineAsm *xgetbvAsm = llvm::InlineAsm::get(
      llvm::FunctionType::get(llvm::StructType::get(ctx, {i32, i32}), {i32},
                              false),
      "xgetbv", "={ax},={dx},{cx},~{dirflag},~{fpsr},~{flags}",
      /*hasSideEffects=*/false);
  llvm::Value *xcr0Parts = b.CreateCall(xgetbvAsm, {b.getInt32(0)});
  llvm::Value *xcr0Read = b.CreateOr(
      b.CreateZExt(b.CreateExtractValue(xcr0Parts, 0), i64),
      b.CreateShl(b.CreateZExt(b.CreateExtractValue(xcr0Parts, 1), i64), 32));
  b.CreateBr(decide);

  b.SetInsertPoint(decide);
  llvm::PHINode *xcr0 = b.CreatePHI(i64, 2);
  xcr0->addIncoming(b.getInt64(0), entry);
  xcr0->addIncoming(xcr0Read, readXcr0);
  llvm::Value *mask = b.getInt32(0);
  for (auto [index, entryBits] : llvm::enumerate(bits)) {
    llvm::Value *ok = b.getTrue();
    for (llvm::Value *bit : entryBits.second)
      ok = b.CreateAnd(ok, bit);
    if (uint64_t state = entryBits.first->xcr0)
      ok = b.CreateAnd(ok, b.CreateICmpEQ(b.CreateAnd(xcr0, state),
                                          b.getInt64(state)));
    mask = b.CreateOr(
        mask, b.CreateShl(b.CreateZExt(ok, i32), b.getInt32(index)));
  }
  b.CreateRet(mask);
  return fn;
}

llvm::Function *Dispatch::buildSupportedAArch64() {
  llvm::Function *fn = newFunction(llvm::FunctionType::get(i32, false),
                                   "__bnn_supported_variants", false);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  // unsigned long getauxval(unsigned long type): the kernel's feature bits
  // (AT_HWCAP = 16), which user code may read where MRS on the ID
  // registers would trap on older kernels.
  auto *i64 = b.getInt64Ty();
  llvm::FunctionCallee getauxval = module.getOrInsertFunction(
      "getauxval", llvm::FunctionType::get(i64, {i64}, false));
  llvm::Value *hwcap = b.CreateCall(getauxval, {b.getInt64(16)});
  llvm::Value *mask = b.getInt32(0);
  for (auto [index, variant] : llvm::enumerate(variants)) {
    llvm::Value *ok =
        b.CreateICmpEQ(b.CreateAnd(hwcap, b.getInt64(variant.hwcap)),
                       b.getInt64(variant.hwcap));
    mask = b.CreateOr(
        mask, b.CreateShl(b.CreateZExt(ok, i32), b.getInt32(index)));
  }
  b.CreateRet(mask);
  return fn;
}

llvm::Function *Dispatch::buildIndex(llvm::Function *supported) {
  llvm::Function *fn = newFunction(llvm::FunctionType::get(i32, false),
                                   "__bnn_variant_index", false);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  auto *choose = llvm::BasicBlock::Create(ctx, "choose", fn);
  auto *done = llvm::BasicBlock::Create(ctx, "done", fn);
  llvm::IRBuilder<> b(entry);
  llvm::LoadInst *current = b.CreateLoad(i32, selected());
  current->setAtomic(llvm::AtomicOrdering::Monotonic);
  current->setAlignment(llvm::Align(4));
  b.CreateCondBr(b.CreateICmpSLT(current, b.getInt32(0)), choose, done);

  b.SetInsertPoint(choose);
  llvm::Value *mask = b.CreateCall(supported);
  // The highest supported variant; none (a CPU below the lowest): the
  // lowest, which then faults as a single-variant artifact would.
  llvm::Value *highest = b.CreateSub(
      b.getInt32(31),
      b.CreateBinaryIntrinsic(llvm::Intrinsic::ctlz, mask, b.getTrue()));
  llvm::Value *chosen = b.CreateSelect(b.CreateICmpEQ(mask, b.getInt32(0)),
                                       b.getInt32(0), highest);
  storeSelected(b, chosen);
  b.CreateBr(done);

  b.SetInsertPoint(done);
  llvm::PHINode *result = b.CreatePHI(i32, 2);
  result->addIncoming(current, entry);
  result->addIncoming(chosen, choose);
  b.CreateRet(result);
  return fn;
}

void Dispatch::buildReportAndForce(llvm::Function *supported,
                                   llvm::Function *index) {
  llvm::Function *report = newFunction(llvm::FunctionType::get(i32, false),
                                       BNN_VARIANT_SYMBOL, true);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", report));
  b.CreateRet(b.CreateCall(index));

  // bnn_force_variant(i): 0 and variant i from now on when the CPU runs
  // it, else -1 and nothing changed.
  llvm::Function *force = newFunction(
      llvm::FunctionType::get(i32, {i32}, false), BNN_FORCE_VARIANT_SYMBOL,
      true);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", force);
  auto *set = llvm::BasicBlock::Create(ctx, "set", force);
  auto *refuse = llvm::BasicBlock::Create(ctx, "refuse", force);
  b.SetInsertPoint(entry);
  llvm::Value *wanted = force->getArg(0);
  llvm::Value *inRange =
      b.CreateICmpULT(wanted, b.getInt32(variants.size()));
  llvm::Value *bit = b.CreateAnd(
      b.CreateLShr(b.CreateCall(supported),
                   b.CreateSelect(inRange, wanted, b.getInt32(0))),
      b.getInt32(1));
  b.CreateCondBr(b.CreateAnd(inRange, b.CreateICmpNE(bit, b.getInt32(0))),
                 set, refuse);
  b.SetInsertPoint(set);
  storeSelected(b, wanted);
  b.CreateRet(b.getInt32(0));
  b.SetInsertPoint(refuse);
  b.CreateRet(b.getInt32(-1));
}

void Dispatch::buildStub(StringRef name, ArrayRef<llvm::Function *> targets,
                         llvm::Function *index) {
  llvm::Function *stub =
      newFunction(targets.front()->getFunctionType(), name, true);
  // The metadata exported (the first variant's) points at the stub.
  targets.front()->replaceAllUsesWith(stub);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", stub);
  llvm::IRBuilder<> b(entry);
  llvm::Value *which = b.CreateCall(index);
  SmallVector<llvm::Value *> args;
  for (llvm::Argument &arg : stub->args())
    args.push_back(&arg);
  auto callIn = [&](llvm::BasicBlock *block, llvm::Function *target) {
    llvm::IRBuilder<> cb(block);
    llvm::CallInst *call = cb.CreateCall(target, args);
    call->setTailCall();
    if (stub->getReturnType()->isVoidTy())
      cb.CreateRetVoid();
    else
      cb.CreateRet(call);
  };
  auto *fallback = llvm::BasicBlock::Create(ctx, "variant0", stub);
  callIn(fallback, targets.front());
  llvm::SwitchInst *sw = b.CreateSwitch(which, fallback, targets.size() - 1);
  for (unsigned i = 1; i < targets.size(); ++i) {
    auto *block =
        llvm::BasicBlock::Create(ctx, "variant" + std::to_string(i), stub);
    callIn(block, targets[i]);
    sw->addCase(b.getInt32(i), block);
  }
}

/// The bnn_entry_info array that `getter`, a variant's bnn_module, points
/// at, or null (no entries, or not in the form EmitRuntimeABI emits).
static llvm::GlobalVariable *entryInfos(llvm::Function *getter) {
  for (llvm::BasicBlock &block : *getter) {
    auto *ret = dyn_cast<llvm::ReturnInst>(block.getTerminator());
    if (!ret || !ret->getReturnValue())
      continue;
    auto *info =
        dyn_cast<llvm::GlobalVariable>(ret->getReturnValue()->stripPointerCasts());
    if (!info || !info->hasInitializer())
      return nullptr;
    auto *fields = dyn_cast<llvm::ConstantStruct>(info->getInitializer());
    if (!fields || fields->getNumOperands() != 3)
      return nullptr;
    auto *entries =
        dyn_cast<llvm::GlobalVariable>(fields->getOperand(2)->stripPointerCasts());
    return entries && entries->hasInitializer() ? entries : nullptr;
  }
  return nullptr;
}

/// Field `workspace_bytes` of bnn_entry_info.
static constexpr unsigned kWorkspaceBytesField = 6;

/// Sets every entry's workspace_bytes in the exported metadata (that of
/// `getters.front()`) to the largest of any variant: a caller sizes its
/// workspace before it knows which variant runs.
static LogicalResult mergeWorkspaceBytes(ArrayRef<llvm::Function *> getters,
                                  Location loc) {
  llvm::GlobalVariable *exported = entryInfos(getters.front());
  if (!exported)
    return success(); // no entries
  SmallVector<llvm::ConstantArray *> arrays;
  for (llvm::Function *getter : getters) {
    llvm::GlobalVariable *entries = getter ? entryInfos(getter) : nullptr;
    auto *array = entries
                      ? dyn_cast<llvm::ConstantArray>(entries->getInitializer())
                      : nullptr;
    if (!array)
      return emitError(loc) << "cannot link the code variants: unexpected "
                               "entry metadata";
    arrays.push_back(array);
  }
  SmallVector<llvm::Constant *> merged;
  for (unsigned e = 0; e < arrays.front()->getNumOperands(); ++e) {
    auto *entry = cast<llvm::ConstantStruct>(arrays.front()->getOperand(e));
    SmallVector<llvm::Constant *> fields;
    for (unsigned f = 0; f < entry->getNumOperands(); ++f)
      fields.push_back(entry->getOperand(f));
    if (fields.size() <= kWorkspaceBytesField)
      return emitError(loc) << "cannot link the code variants: unexpected "
                               "entry metadata";
    uint64_t bytes = 0;
    for (llvm::ConstantArray *array : arrays) {
      auto *other = dyn_cast<llvm::ConstantStruct>(
          e < array->getNumOperands() ? array->getOperand(e) : nullptr);
      auto *value = other ? dyn_cast<llvm::ConstantInt>(
                                other->getOperand(kWorkspaceBytesField))
                          : nullptr;
      if (!value)
        return emitError(loc) << "cannot link the code variants: their "
                                 "entries differ";
      bytes = std::max(bytes, value->getZExtValue());
    }
    fields[kWorkspaceBytesField] =
        llvm::ConstantInt::get(fields[kWorkspaceBytesField]->getType(), bytes);
    merged.push_back(llvm::ConstantStruct::get(entry->getType(), fields));
  }
  exported->setInitializer(llvm::ConstantArray::get(arrays.front()->getType(),
                                                    merged));
  return success();
}

LogicalResult compiler_detail::linkCodeVariants(
    MLIRContext *context,
    SmallVectorImpl<std::unique_ptr<llvm::Module>> &modules,
    ArrayRef<CodeVariant> variants, llvm::AttributeList dispatchAttrs) {
  Location unknown = UnknownLoc::get(context);
  assert(modules.size() == variants.size() && modules.size() > 1);
  // The public symbols, by name, and their variant-tagged names.
  llvm::StringMap<SmallVector<std::string>> publics;
  SmallVector<std::string> order;
  for (auto [module, variant] : llvm::zip(modules, variants)) {
    for (llvm::GlobalValue &value : module->global_values()) {
      // Appending arrays (llvm.global_ctors, llvm.global_dtors) concatenate
      // when linked.
      if (value.isDeclaration() || value.hasLocalLinkage() ||
          value.hasAppendingLinkage())
        continue;
      std::string name = value.getName().str();
      std::string tagged = name + "." + variant.name.str();
      auto [it, inserted] = publics.try_emplace(name);
      if (inserted)
        order.push_back(name);
      it->second.resize(variants.size());
      it->second[&variant - variants.data()] = tagged;
      value.setName(tagged);
    }
  }
  // Linked while public (the linker brings over only public symbols and
  // what they use), then internal.
  llvm::Module &merged = *modules.front();
  for (unsigned i = 1; i < modules.size(); ++i)
    if (llvm::Linker::linkModules(merged, std::move(modules[i])))
      return emitError(unknown) << "cannot link the code variants";
  modules.resize(1);
  for (const std::string &name : order)
    for (const std::string &tagged : publics[name])
      if (llvm::GlobalValue *value = merged.getNamedValue(tagged)) {
        value->setLinkage(llvm::GlobalValue::InternalLinkage);
        value->setVisibility(llvm::GlobalValue::DefaultVisibility);
      }

  Dispatch dispatch(merged, variants, dispatchAttrs);
  llvm::Function *supported = dispatch.buildSupported();
  llvm::Function *index = dispatch.buildIndex(supported);
  for (const std::string &name : order) {
    SmallVector<llvm::Function *> fns;
    for (const std::string &tagged : publics[name])
      fns.push_back(tagged.empty() ? nullptr : merged.getFunction(tagged));
    if (StringRef(name).starts_with(BNN_ENTRY_PREFIX) ||
        StringRef(name).starts_with(BNN_WORKSPACE_ENTRY_PREFIX)) {
      if (llvm::is_contained(fns, nullptr))
        return emitError(unknown) << "entry point '" << name
                                  << "' is not in every code variant";
      dispatch.buildStub(name, fns, index);
    } else if (name == kSetNumThreadsName) {
      // Every variant's count: the one that runs next may be any.
      llvm::Function *setter = dispatch.newFunction(
          llvm::FunctionType::get(llvm::Type::getVoidTy(merged.getContext()),
                                  {llvm::Type::getInt32Ty(merged.getContext())},
                                  false),
          name, true);
      llvm::IRBuilder<> b(
          llvm::BasicBlock::Create(merged.getContext(), "entry", setter));
      for (llvm::Function *fn : fns)
        if (fn)
          b.CreateCall(fn, {setter->getArg(0)});
      b.CreateRetVoid();
    } else if (name == BNN_MODULE_SYMBOL && fns.front()) {
      // The first variant's metadata, its entries now the stubs.
      if (failed(mergeWorkspaceBytes(fns, unknown)))
        return failure();
      fns.front()->setName(name);
      fns.front()->setLinkage(llvm::GlobalValue::ExternalLinkage);
    } else {
      return emitError(unknown)
             << "cannot link the code variants: public symbol '" << name
             << "' has no dispatch";
    }
  }
  dispatch.buildReportAndForce(supported, index);

  SmallVector<std::string> names;
  for (const CodeVariant &variant : variants)
    names.push_back(variant.name.str());
  llvm::Constant *text = llvm::ConstantDataArray::getString(
      merged.getContext(), llvm::join(names, ","));
  new llvm::GlobalVariable(merged, text->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, text,
                           BNN_VARIANTS_SYMBOL);

  // Selected at load time, so that the first call pays nothing.
  llvm::Function *init = dispatch.newFunction(
      llvm::FunctionType::get(llvm::Type::getVoidTy(merged.getContext()),
                              false),
      "__bnn_select_variant_at_load", false);
  llvm::IRBuilder<> b(
      llvm::BasicBlock::Create(merged.getContext(), "entry", init));
  b.CreateCall(index);
  b.CreateRetVoid();
  llvm::appendToGlobalCtors(merged, init, /*Priority=*/65535);
  return success();
}
