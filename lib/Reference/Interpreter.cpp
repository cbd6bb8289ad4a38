//===- Interpreter.cpp - reference interpreter ----------------------------===//

#include "bnn/Reference/Interpreter.h"

#include "bnn/RuntimeABI/Batch.h"
#include "Evaluators.h"

#include "bnn/Dialect/BNN/IR/BNNDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

void ref::registerInterpreterDialects(DialectRegistry &registry) {
  registry.insert<BNNDialect, arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, tensor::TensorDialect,
                  tosa::TosaDialect>();
}

namespace {
/// The interpreter's element type for an MLIR element type; index values
/// are carried as i64.
std::optional<ElementType> elementTypeOf(Type type) {
  if (type.isIndex())
    return ElementType::i64();
  return ElementType::fromMLIR(type);
}

/// Checks that a runtime tensor matches a static MLIR type: a ranked tensor
/// type, a scalar (carried as a rank-0 tensor) or a !tosa.shape<N> (carried
/// as a 1-D i64 tensor of N elements).
bool matchesType(const Tensor &t, Type type) {
  if (auto shape = dyn_cast<tosa::shapeType>(type))
    return t.type() == ElementType::i64() && t.rank() == 1 &&
           t.dim(0) == shape.getRank();
  if (type.isIntOrIndexOrFloat()) {
    std::optional<ElementType> et = elementTypeOf(type);
    return et && *et == t.type() && t.rank() == 0;
  }
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return false;
  std::optional<ElementType> et = elementTypeOf(ranked.getElementType());
  if (!et || *et != t.type() || ranked.getRank() != t.rank())
    return false;
  for (int64_t i = 0; i < t.rank(); ++i)
    if (!ranked.isDynamicDim(i) && ranked.getDimSize(i) != t.dim(i))
      return false;
  return true;
}

/// Fails with a diagnostic at `op` when a static shape among `types` has
/// more than kMaxElements elements (or a count that overflows int64_t), so
/// that no evaluator allocates it.
LogicalResult checkSizes(Operation *op, TypeRange types, StringRef what) {
  for (Type type : types) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || !shaped.hasStaticShape())
      continue;
    if (!checkedElementCount(shaped.getShape()))
      return op->emitError("reference interpreter: ")
             << what << " type " << type << " has more than " << kMaxElements
             << " elements, more than the interpreter evaluates";
  }
  return success();
}

FailureOr<std::vector<Tensor>>
interpretImpl(func::FuncOp func, ArrayRef<Tensor> args, unsigned depth);

FailureOr<bool> evaluateCall(func::CallOp call, Operands operands,
                             Results &results, unsigned depth) {
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      call, call.getCalleeAttr());
  if (!callee || callee.isExternal())
    return call.emitError("reference interpreter: callee '")
           << call.getCallee() << "' has no body";
  std::vector<Tensor> args;
  for (const Tensor *t : operands)
    args.push_back(*t);
  FailureOr<std::vector<Tensor>> out = interpretImpl(callee, args, depth + 1);
  if (failed(out))
    return failure();
  results.append(out->begin(), out->end());
  return true;
}

FailureOr<std::vector<Tensor>>
interpretImpl(func::FuncOp func, ArrayRef<Tensor> args, unsigned depth) {
  // Recursion has no base case the interpreter could know of.
  if (depth > 64)
    return func.emitError("reference interpreter: call depth exceeds 64");
  if (func.isExternal())
    return func.emitError("reference interpreter: function '")
           << func.getSymName() << "' has no body";
  FunctionType type = func.getFunctionType();
  if (args.size() != type.getNumInputs())
    return func.emitError("reference interpreter: '")
           << func.getSymName() << "' takes " << type.getNumInputs()
           << " argument(s), got " << args.size();
  for (auto [i, arg] : llvm::enumerate(args))
    if (!matchesType(arg, type.getInput(i)))
      return func.emitError("reference interpreter: argument #")
             << i << " of '" << func.getSymName() << "' must be "
             << type.getInput(i) << ", got " << arg.typeString();
  if (!func.getBody().hasOneBlock())
    return func.emitError("reference interpreter: only single-block "
                          "functions are supported");

  llvm::DenseMap<Value, Tensor> env;
  Block &body = func.getBody().front();
  for (auto [blockArg, arg] : llvm::zip(body.getArguments(), args))
    env[blockArg] = arg;

  for (Operation &op : body) {
    SmallVector<const Tensor *> operands;
    for (Value v : op.getOperands()) {
      auto it = env.find(v);
      if (it == env.end())
        return op.emitError("reference interpreter: operand of type ")
               << v.getType() << " has no value";
      operands.push_back(&it->second);
    }
    if (failed(checkSizes(&op, op.getResultTypes(), "result")))
      return failure();
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> out;
      for (const Tensor *t : operands)
        out.push_back(*t);
      return out;
    }
    SmallVector<Tensor> results;
    FailureOr<bool> handled = false;
    if (auto call = dyn_cast<func::CallOp>(op))
      handled = evaluateCall(call, operands, results, depth);
    if (succeeded(handled) && !*handled)
      handled = evaluateBNNOp(&op, operands, results);
    if (succeeded(handled) && !*handled)
      handled = evaluateGlueOp(&op, operands, results);
    if (failed(handled))
      return failure();
    if (!*handled)
      return op.emitError("reference interpreter: unsupported operation '")
             << op.getName() << "'";
    if (results.size() != op.getNumResults())
      return op.emitError("reference interpreter: internal error, produced ")
             << results.size() << " result(s) for " << op.getNumResults();
    for (auto [value, tensor] : llvm::zip(op.getResults(), results)) {
      if (!matchesType(tensor, value.getType()))
        return op.emitError("reference interpreter: internal error, result "
                            "of type ")
               << tensor.typeString() << " does not match " << value.getType();
      env[value] = std::move(tensor);
    }
  }
  return func.emitError("reference interpreter: function body has no return");
}
} // namespace

FailureOr<std::vector<Tensor>> ref::interpret(func::FuncOp func,
                                              ArrayRef<Tensor> args) {
  if (!hasDynamicBatch(func.getFunctionType()))
    return interpretImpl(func, args, 0);
  // A dynamic batch: evaluate all images at once, on a copy of the module
  // whose function is rewritten for the arguments' batch size. (The
  // compiled artifact runs one image at a time, so the two disagree when an
  // operation mixes images.)
  FunctionType type = func.getFunctionType();
  if (failed(verifyBatchSignature(func)))
    return failure();
  if (args.size() != type.getNumInputs())
    return func.emitError("reference interpreter: '")
           << func.getSymName() << "' takes " << type.getNumInputs()
           << " argument(s), got " << args.size();
  int64_t batch = -1;
  for (auto [i, arg] : llvm::enumerate(args))
    if (isBatchedType(type.getInput(i)) && arg.rank() >= 1) {
      batch = arg.dim(0);
      break;
    }
  if (batch < 0)
    return func.emitError("reference interpreter: the batched arguments of '")
           << func.getSymName() << "' have no dimension 0";
  if (batch == 0) {
    // No image: every result is empty (the operators themselves reject
    // empty tensors).
    std::vector<Tensor> results;
    for (Type result : type.getResults()) {
      auto tensor = cast<RankedTensorType>(withBatch(result, 0));
      std::optional<ElementType> element =
          elementTypeOf(tensor.getElementType());
      if (!element)
        return func.emitError("reference interpreter: result type ")
               << result << " is not supported";
      results.emplace_back(*element,
                           std::vector<int64_t>(tensor.getShape().begin(),
                                                tensor.getShape().end()));
    }
    return results;
  }
  auto module = func->getParentOfType<ModuleOp>();
  if (!module)
    return func.emitError("reference interpreter: '")
           << func.getSymName() << "' is not in a module";
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
  auto specialized = copy->lookupSymbol<func::FuncOp>(func.getSymName());
  if (failed(specializeBatch(specialized, batch)))
    return failure();
  return interpretImpl(specialized, args, 0);
}

FailureOr<func::FuncOp> ref::lookupEntry(ModuleOp module, StringRef name,
                                         std::string &error) {
  func::FuncOp found;
  unsigned publicCount = 0;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!name.empty() && func.getSymName() == name)
      return func;
    if (func.isPublic() && !func.isExternal()) {
      found = func;
      ++publicCount;
    }
  }
  if (!name.empty()) {
    error = ("no function named '" + name + "'").str();
    return failure();
  }
  if (publicCount != 1) {
    error = "expected exactly one public function with a body, found " +
            std::to_string(publicCount) + "; choose one with --entry";
    return failure();
  }
  return found;
}
