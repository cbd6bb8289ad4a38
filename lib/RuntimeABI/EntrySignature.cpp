//===- EntrySignature.cpp - the recorded entry signatures -----------------===//

#include "bnn/RuntimeABI/EntrySignature.h"

#include "bnn/RuntimeABI/Batch.h"
#include "bnn/RuntimeABI/ElementType.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::bnn;

bool bnn::isABIType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && (tensor.hasStaticShape() || isBatchedType(tensor)) &&
         getABIElement(tensor.getElementType());
}

static LogicalResult checkTypes(func::FuncOp func, TypeRange types,
                                StringRef what) {
  for (auto [i, type] : llvm::enumerate(types))
    if (!isABIType(type))
      return func.emitError() << what << " #" << i << " of '"
                              << func.getSymName() << "' has type " << type
                              << ", which cannot cross the runtime ABI "
                                 "(tensors of f32, i1, ui1..ui8, i8 or i32 "
                                 "with static shapes, but for a dynamic "
                                 "batch in dimension 0)";
  return success();
}

FailureOr<ArrayAttr> bnn::recordEntrySignatures(ModuleOp module) {
  Builder b(module.getContext());
  auto typeArray = [&](TypeRange types) {
    SmallVector<Attribute> attrs;
    for (Type t : types)
      attrs.push_back(TypeAttr::get(t));
    return b.getArrayAttr(attrs);
  };
  SmallVector<Attribute> entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    FunctionType type = func.getFunctionType();
    if (failed(checkTypes(func, type.getInputs(), "argument")) ||
        failed(checkTypes(func, type.getResults(), "result")) ||
        failed(verifyBatchSignature(func)))
      return failure();
    entries.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("name", func.getSymNameAttr()),
         b.getNamedAttr("inputs", typeArray(type.getInputs())),
         b.getNamedAttr("outputs", typeArray(type.getResults()))}));
  }
  return b.getArrayAttr(entries);
}

/// Reads `types` (an array of TypeAttr) into `result`, rejecting anything
/// the ABI cannot describe.
static LogicalResult
parseTypeList(ModuleOp module, DictionaryAttr entry, StringRef key,
              SmallVectorImpl<RankedTensorType> &result) {
  auto types = entry.getAs<ArrayAttr>(key);
  if (!types)
    return module.emitError() << "'" << kABIAttrName << "' entry " << entry
                              << " has no '" << key << "' array";
  for (Attribute attr : types) {
    auto typeAttr = dyn_cast<TypeAttr>(attr);
    if (!typeAttr || !isABIType(typeAttr.getValue()))
      return module.emitError()
             << "'" << kABIAttrName << "' entry " << entry << " lists " << attr
             << ", which is not a tensor of f32, i1, ui1..ui8, i8 or i32 "
                "with a static shape (but for a dynamic batch)";
    result.push_back(cast<RankedTensorType>(typeAttr.getValue()));
  }
  return success();
}

FailureOr<SmallVector<EntrySignature>>
bnn::readEntrySignatures(ModuleOp module) {
  auto abi = module->getAttrOfType<ArrayAttr>(kABIAttrName);
  if (!abi)
    return module.emitError()
           << "module has no '" << kABIAttrName
           << "' array; run bnn-record-runtime-abi before bufferization";
  SmallVector<EntrySignature> entries;
  for (Attribute attr : abi) {
    auto dict = dyn_cast<DictionaryAttr>(attr);
    StringAttr name = dict ? dict.getAs<StringAttr>("name") : nullptr;
    if (!name || name.getValue().empty())
      return module.emitError() << "'" << kABIAttrName << "' element " << attr
                                << " is not a dictionary with a 'name'";
    Operation *func = module.lookupSymbol(name);
    EntrySignature &entry = entries.emplace_back(
        EntrySignature{name, func ? func->getLoc() : module.getLoc(), {}, {}});
    if (failed(parseTypeList(module, dict, "inputs", entry.inputs)) ||
        failed(parseTypeList(module, dict, "outputs", entry.outputs)))
      return failure();
  }
  return entries;
}
