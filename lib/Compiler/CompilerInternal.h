//===- CompilerInternal.h - pieces of the compiler library ------*- C++ -*-===//

#ifndef BNN_LIB_COMPILER_COMPILERINTERNAL_H
#define BNN_LIB_COMPILER_COMPILERINTERNAL_H

#include "bnn/Compiler/Compiler.h"
#include "bnn/Target/Target.h"

namespace mlir {
namespace bnn {
namespace compiler_detail {

/// One public function's tensor signature, taken before lowering.
struct EntrySignature {
  std::string name;
  Location loc;
  SmallVector<Type> inputs;
  SmallVector<Type> outputs;
};

/// The public functions with a body of `module`, in order.
SmallVector<EntrySignature> collectEntrySignatures(ModuleOp module);

/// The C header declaring `entries`; fails (with a diagnostic) for a
/// function name that is not a C identifier.
FailureOr<std::string> emitHeader(ModuleOp module,
                                  ArrayRef<EntrySignature> entries);

/// Translates a module in the LLVM dialect to LLVM IR, optimises it and
/// emits `options.emit` (LLVM, Asm, Obj or Shared).
FailureOr<std::string> emitFromLLVMDialect(ModuleOp module,
                                           const TargetDescription &target,
                                           const CompileOptions &options);

} // namespace compiler_detail
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_COMPILER_COMPILERINTERNAL_H
