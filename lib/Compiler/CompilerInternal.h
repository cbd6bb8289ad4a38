//===- CompilerInternal.h - pieces of the compiler library ------*- C++ -*-===//

#ifndef BNN_LIB_COMPILER_COMPILERINTERNAL_H
#define BNN_LIB_COMPILER_COMPILERINTERNAL_H

#include "bnn/Compiler/Compiler.h"
#include "bnn/RuntimeABI/EntrySignature.h"
#include "bnn/Target/Target.h"

#include "llvm/IR/Attributes.h"

namespace llvm {
class Module;
} // namespace llvm

namespace mlir {
namespace bnn {
namespace compiler_detail {

/// The C header declaring `entries`; fails (with a diagnostic) for a
/// function name that is not a C identifier.
FailureOr<std::string> emitHeader(ModuleOp module,
                                  ArrayRef<EntrySignature> entries);

/// Translates a module in the LLVM dialect to LLVM IR, optimises it and
/// emits `options.emit` (LLVM, Asm, Obj or Shared). With `variants`,
/// `modules` holds the model lowered for each code variant, in order, and
/// the result is one multi-variant artifact (Variants.cpp); without, one
/// module compiled for the options' CPU.
FailureOr<std::string> emitFromLLVMDialect(ArrayRef<ModuleOp> modules,
                                           const TargetDescription &target,
                                           const CompileOptions &options,
                                           ArrayRef<CodeVariant> variants);

/// Links `modules` (variant i's LLVM IR, each function with its variant's
/// target attributes) into `modules[0]`, with the dispatch of a
/// multi-variant artifact; new functions get `dispatchAttrs`.
LogicalResult linkCodeVariants(
    MLIRContext *context,
    SmallVectorImpl<std::unique_ptr<llvm::Module>> &modules,
    ArrayRef<CodeVariant> variants, llvm::AttributeList dispatchAttrs);

/// How the optimised module is split for code generation on several
/// threads: whole definitions, in partitions of about equal size in
/// instructions. The objects of the partitions, linked together, are the
/// module's, and every function keeps its machine code.
struct CodegenPartitions {
  /// 1: the module is one object.
  unsigned count = 1;
  /// The partition of every definition: the functions, then the global
  /// variables, each in module order.
  SmallVector<unsigned> partOfDefinition;
  /// The module as bitcode, for the partitions other than the first to
  /// read into contexts of their own.
  SmallVector<char, 0> bitcode;
};

/// Plans at most `maxParts` partitions of `module`, none below
/// `minInstructionsPerPart` and none at all unless that many instructions
/// are beside the largest partition (0: no minimum), and makes every local
/// symbol that another partition refers to a hidden global one. A count of
/// 1 (and `module` unchanged) when splitting is not worth it or the module
/// holds something the split does not handle.
CodegenPartitions planCodegenPartitions(llvm::Module &module, unsigned maxParts,
                                        uint64_t minInstructionsPerPart);

/// Reduces `module` (the planned one, or one read from the plan's bitcode)
/// to partition `part`: the other partitions' definitions become
/// declarations. Fails when the module is not the planned one.
LogicalResult keepCodegenPartition(llvm::Module &module,
                                   const CodegenPartitions &plan,
                                   unsigned part);

} // namespace compiler_detail
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_COMPILER_COMPILERINTERNAL_H
