//===- Interpreter.h - reference interpreter --------------------*- C++ -*-===//
//
// Evaluates a function of bnn operators and upstream float glue (func, arith,
// tensor, tosa, linalg named ops) on concrete tensors, value by value. It is
// the oracle of every differential test, so it favours obviously correct code
// over speed.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_REFERENCE_INTERPRETER_H
#define BNN_REFERENCE_INTERPRETER_H

#include "bnn/Reference/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class DialectRegistry;
namespace func {
class FuncOp;
} // namespace func

namespace bnn {
namespace ref {

/// Registers the dialects the interpreter understands.
void registerInterpreterDialects(DialectRegistry &registry);

/// Evaluates `func` on `args`. On failure (an operator the interpreter does
/// not support, an argument that does not match the signature) a diagnostic
/// is emitted at the location concerned.
FailureOr<std::vector<Tensor>> interpret(func::FuncOp func,
                                         ArrayRef<Tensor> args);

/// Finds the function `name` in `module`, or the only public function with a
/// body when `name` is empty. On failure sets `error` (a command-line
/// problem, so it carries no source location).
FailureOr<func::FuncOp> lookupEntry(ModuleOp module, StringRef name,
                                    std::string &error);

} // namespace ref
} // namespace bnn
} // namespace mlir

#endif // BNN_REFERENCE_INTERPRETER_H
