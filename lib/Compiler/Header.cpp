//===- Header.cpp - the C header of a compiled artifact -------------------===//
//
// Declares `bnn_entry_<name>` and `bnn_workspace_entry_<name>` for every
// public function, with a comment giving each argument's and result's shape
// and DLPack dtype as the runtime ABI (bnn-c/Runtime.h) checks them.
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"
#include "bnn-c/Runtime.h"
#include "bnn/RuntimeABI/ElementType.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::compiler_detail;

static bool isCIdentifier(StringRef name) {
  if (name.empty() || llvm::isDigit(name[0]))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// The DLDataType an element type crosses the ABI as, and a remark on its
/// storage (see the table in bnn-c/Runtime.h).
static std::pair<std::string, std::string> describeDType(Type element) {
  const runtime::ABIElement *row = getABIElement(element);
  if (!row) {
    // Not reached for inputs the ABI accepts (checked before).
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "unsupported " << element;
    return {text, ""};
  }
  std::string dtype = std::string("{") + row->codeName + ", " +
                      std::to_string(row->bits) + ", 1}";
  std::string storage = row->storage;
  unsigned bits = element.getIntOrFloatBitWidth();
  if (element.isUnsignedInteger() && bits < 8)
    storage = "one byte per value, 0.." + std::to_string((1u << bits) - 1);
  return {dtype, storage.empty() ? "" : ", " + storage};
}

static void describeTypes(llvm::raw_ostream &os, StringRef what,
                          ArrayRef<RankedTensorType> types) {
  os << " *   " << what << ":";
  if (types.empty()) {
    os << " none\n";
    return;
  }
  os << "\n";
  for (auto [i, type] : llvm::enumerate(types)) {
    os << " *     [" << i << "] ";
    RankedTensorType tensor = type;
    auto [dtype, remark] = describeDType(tensor.getElementType());
    os << tensor.getElementType() << " [";
    // A dynamic batch: any N, the same for every batched tensor.
    llvm::interleaveComma(tensor.getShape(), os, [&](int64_t size) {
      if (ShapedType::isDynamic(size))
        os << "N";
      else
        os << size;
    });
    os << "]  dtype " << dtype << remark << "\n";
  }
}

/// The module's name, else the name of the file it was read from, quoted;
/// empty when neither is known.
static std::string modelName(ModuleOp module) {
  std::string name;
  if (std::optional<StringRef> symName = module.getSymName())
    name = symName->str();
  else if (auto fileLoc = dyn_cast<FileLineColLoc>(module.getLoc()))
    name = llvm::sys::path::filename(fileLoc.getFilename().getValue()).str();
  if (name.empty())
    return name;
  // The name goes into a C comment.
  for (size_t pos; (pos = name.find("*/")) != std::string::npos;)
    name.replace(pos, 2, "* /");
  return "'" + name + "'";
}

/// The include guard: BNN_MODEL_<NAME>_H, where NAME is the module's name or
/// else the stem of the file it was read from, in upper case with every
/// other character replaced by '_'; BNN_MODEL_H when neither is known. The
/// fixed prefix keeps clear of the guards of bnn's own headers.
static std::string includeGuard(ModuleOp module) {
  std::string base;
  if (std::optional<StringRef> name = module.getSymName())
    base = name->str();
  else if (auto fileLoc = dyn_cast<FileLineColLoc>(module.getLoc()))
    if (fileLoc.getFilename().getValue() != "<stdin>")
      base = llvm::sys::path::stem(fileLoc.getFilename().getValue()).str();
  for (char &c : base)
    c = llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  return base.empty() ? "BNN_MODEL_H" : "BNN_MODEL_" + base + "_H";
}

FailureOr<std::string>
compiler_detail::emitHeader(ModuleOp module, ArrayRef<EntrySignature> entries) {
  for (const EntrySignature &entry : entries)
    if (!isCIdentifier(entry.name.getValue()))
      return emitError(entry.loc)
             << "function name '" << entry.name.getValue()
             << "' is not a C identifier, so its entry point cannot be "
                "declared in a C header";

  std::string guard = includeGuard(module);
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string name = modelName(module);
  os << "/* Entry points of the compiled bnn model"
     << (name.empty() ? "" : " " + name)
     << ".\n"
        " * bnn-c/Runtime.h describes the calling convention, the status "
        "codes\n"
        " * they return and the metadata function bnn_module(). */\n\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include \"bnn-c/Runtime.h\"\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (const EntrySignature &entry : entries) {
    os << "/* " << entry.name.getValue() << "\n";
    describeTypes(os, "inputs", entry.inputs);
    describeTypes(os, "outputs", entry.outputs);
    os << " */\n";
    os << "int32_t " BNN_ENTRY_PREFIX << entry.name.getValue()
       << "(DLTensor *const *inputs, DLTensor *const *outputs);\n";
    // Its size is known once the code is generated: the metadata has it.
    os << "/* The same with a workspace of the caller's (NULL: the "
          "artifact's own) of\n"
          " * at least bnn_module()->entries["
       << (&entry - entries.data()) << "].workspace_bytes bytes. */\n";
    os << "int32_t " BNN_WORKSPACE_ENTRY_PREFIX << entry.name.getValue()
       << "(DLTensor *const *inputs, DLTensor *const *outputs,\n"
       << "    void *workspace, int64_t workspace_bytes);\n\n";
  }
  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n";
  os << "#endif /* " << guard << " */\n";
  return text;
}
