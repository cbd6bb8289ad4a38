//===- EmitRuntimeABI.cpp - DLPack entry points and metadata --------------===//
//
// Implements the artifact side of include/bnn-c/Runtime.h on the LLVM
// dialect. For every function recorded in `bnn.abi` by
// bnn-record-runtime-abi, the upstream lowering has produced
//
//   llvm.func @_mlir_ciface_<name>(!llvm.ptr, ...)
//
// taking one pointer to a memref descriptor per argument, then one per result
// (results became out-parameters). This pass adds
//
//   llvm.func @bnn_entry_<name>(%inputs: !llvm.ptr, %outputs: !llvm.ptr) -> i32
//
// which validates every DLTensor against the recorded signature, wraps the
// tensors' memory in memref descriptors and calls the C interface, and
//
//   llvm.func @bnn_module() -> !llvm.ptr
//
// which returns constant metadata describing the entries. Struct types below
// mirror the C declarations; LLVM lays literal structs out with the C rules
// of the target, so on LP64 targets the offsets match the header.
//
//===----------------------------------------------------------------------===//

#include "bnn/Conversion/Passes.h"

#include "bnn/Conversion/Batch.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

#define DEBUG_TYPE "bnn-emit-runtime-abi"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNEMITRUNTIMEABIPASS
#include "bnn/Conversion/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::LLVM;

namespace {

//===----------------------------------------------------------------------===//
// ABI constants (bnn-c/Runtime.h, dlpack/dlpack.h)
//===----------------------------------------------------------------------===//

/// BNN_ABI_VERSION.
constexpr int32_t kABIVersion = 1;

/// bnn_status.
enum class Status : int32_t {
  Ok = 0,
  NullTensor = 1,
  BadDevice = 2,
  BadRank = 3,
  BadDType = 4,
  BadShape = 5,
  BadStrides = 6,
};

/// DLDeviceType kDLCPU.
constexpr int32_t kDLCPU = 1;

/// DLDataTypeCode. kDLBool is spelled out as 6 because DLPack headers older
/// than 0.8 do not define it; the value is fixed by the DLPack standard.
enum DLTypeCode : uint8_t {
  kDLInt = 0,
  kDLUInt = 1,
  kDLFloat = 2,
  kDLBool = 6,
};

/// A DLDataType.
struct DType {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
};

/// The DLDataType that carries `element` across the ABI (the table in
/// Runtime.h), or nullopt for an element type the ABI does not support.
std::optional<DType> getDType(Type element) {
  if (element.isF32())
    return DType{kDLFloat, 32, 1};
  // Binary values: one byte each, so they match a memref of i1, whose
  // elements LLVM stores as one byte.
  if (element.isSignlessInteger(1))
    return DType{kDLBool, 8, 1};
  if (element.isSignlessInteger(8))
    return DType{kDLInt, 8, 1};
  if (element.isSignlessInteger(32))
    return DType{kDLInt, 32, 1};
  // ui1..ui8 all occupy one byte, like LLVM's i1..i8 in memory.
  if (element.isUnsignedInteger() && element.getIntOrFloatBitWidth() <= 8)
    return DType{kDLUInt, 8, 1};
  return std::nullopt;
}

/// Field indices of the DLTensor struct.
enum DLTensorField : int32_t {
  kData = 0,
  kDevice = 1,
  kNDim = 2,
  kDTypeField = 3,
  kShape = 4,
  kStrides = 5,
  kByteOffset = 6,
};

/// Field indices of a memref descriptor (the upstream LLVM lowering).
enum DescriptorField : int64_t {
  kAllocated = 0,
  kAligned = 1,
  kOffset = 2,
  kSizes = 3,
  kStridesField = 4,
};

/// LLVM types of the C structs involved.
struct ABITypes {
  explicit ABITypes(MLIRContext *ctx)
      : ctx(ctx), i8(IntegerType::get(ctx, 8)), i16(IntegerType::get(ctx, 16)),
        i32(IntegerType::get(ctx, 32)), i64(IntegerType::get(ctx, 64)),
        ptr(LLVMPointerType::get(ctx)) {
    // DLDataType {uint8_t code; uint8_t bits; uint16_t lanes;}
    dtype = LLVMStructType::getLiteral(ctx, {i8, i8, i16});
    // DLTensor {void *data; DLDevice {int32 type, id} device; int32 ndim;
    //           DLDataType dtype; int64 *shape; int64 *strides;
    //           uint64 byte_offset;}
    dlTensor = LLVMStructType::getLiteral(
        ctx, {ptr, LLVMStructType::getLiteral(ctx, {i32, i32}), i32, dtype, ptr,
              ptr, i64});
    // bnn_tensor_info {int32 ndim; DLDataType dtype; const int64 *shape;}
    tensorInfo = LLVMStructType::getLiteral(ctx, {i32, dtype, ptr});
    // bnn_entry_info {name, fn, num_inputs, num_outputs, inputs, outputs}
    entryInfo = LLVMStructType::getLiteral(ctx, {ptr, ptr, i32, i32, ptr, ptr});
    // bnn_module_info {int32 abi_version; int32 num_entries; entries}
    moduleInfo = LLVMStructType::getLiteral(ctx, {i32, i32, ptr});
  }

  /// The memref descriptor of a rank-`rank` memref with 64-bit indices:
  /// {ptr allocated, ptr aligned, i64 offset[, [R x i64] sizes,
  /// [R x i64] strides]}.
  LLVMStructType descriptor(int64_t rank) const {
    if (rank == 0)
      return LLVMStructType::getLiteral(ctx, {ptr, ptr, i64});
    auto array = LLVMArrayType::get(i64, rank);
    return LLVMStructType::getLiteral(ctx, {ptr, ptr, i64, array, array});
  }

  MLIRContext *ctx;
  Type i8, i16, i32, i64, ptr;
  LLVMStructType dtype, dlTensor, tensorInfo, entryInfo, moduleInfo;
};

//===----------------------------------------------------------------------===//
// The recorded signatures
//===----------------------------------------------------------------------===//

/// One element of `bnn.abi`.
struct EntrySignature {
  StringAttr name;
  SmallVector<RankedTensorType> inputs;
  SmallVector<RankedTensorType> outputs;
};

constexpr StringLiteral kABIAttrName = "bnn.abi";

/// Reads `types` (an array of TypeAttr) into `result`, rejecting anything
/// the ABI cannot describe.
LogicalResult parseTypeList(ModuleOp module, DictionaryAttr entry,
                            StringRef key,
                            SmallVectorImpl<RankedTensorType> &result) {
  auto types = entry.getAs<ArrayAttr>(key);
  if (!types)
    return module.emitError() << "'" << kABIAttrName << "' entry " << entry
                              << " has no '" << key << "' array";
  for (Attribute attr : types) {
    auto typeAttr = dyn_cast<TypeAttr>(attr);
    auto tensor =
        typeAttr ? dyn_cast<RankedTensorType>(typeAttr.getValue()) : nullptr;
    if (!tensor ||
        (!tensor.hasStaticShape() && !mlir::bnn::isBatchedType(tensor)) ||
        !getDType(tensor.getElementType()))
      return module.emitError()
             << "'" << kABIAttrName << "' entry " << entry << " lists " << attr
             << ", which is not a tensor of f32, i1, ui1..ui8, i8 or i32 "
                "with a static shape (but for a dynamic batch)";
    result.push_back(tensor);
  }
  return success();
}

/// Reads `bnn.abi`, as written by bnn-record-runtime-abi.
FailureOr<SmallVector<EntrySignature>> parseABIAttr(ModuleOp module) {
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
    EntrySignature &entry = entries.emplace_back();
    entry.name = name;
    if (failed(parseTypeList(module, dict, "inputs", entry.inputs)) ||
        failed(parseTypeList(module, dict, "outputs", entry.outputs)))
      return failure();
  }
  return entries;
}

//===----------------------------------------------------------------------===//
// Checking the C interface against the signature
//===----------------------------------------------------------------------===//

/// Finds `_mlir_ciface_<name>` and checks that it takes one pointer per input
/// and output and, where its body shows it, that each pointer is read as the
/// memref descriptor of the recorded rank. The descriptor does not name its
/// element type; the rank is what the entry point has to get right.
FailureOr<LLVMFuncOp> getCInterface(ModuleOp module, SymbolTable &symbols,
                                    const ABITypes &types,
                                    const EntrySignature &entry) {
  std::string cifaceName = ("_mlir_ciface_" + entry.name.getValue()).str();
  auto ciface = symbols.lookup<LLVMFuncOp>(cifaceName);
  if (!ciface)
    return module.emitError()
           << "no llvm.func @" << cifaceName << " for '"
           << entry.name.getValue() << "' recorded in '" << kABIAttrName
           << "'; the function must be public and lowered with "
              "llvm.emit_c_interface";

  LLVMFunctionType fnType = ciface.getFunctionType();
  size_t expected = entry.inputs.size() + entry.outputs.size();
  bool pointersOnly =
      llvm::all_of(fnType.getParams(), [&](Type t) { return t == types.ptr; });
  if (fnType.isVarArg() || !isa<LLVMVoidType>(fnType.getReturnType()) ||
      fnType.getNumParams() != expected || !pointersOnly)
    return ciface.emitError()
           << "@" << cifaceName << " has type " << fnType << ", expected "
           << expected
           << " pointers to memref descriptors (inputs: " << entry.inputs.size()
           << ", then outputs as out-parameters: " << entry.outputs.size()
           << ") and no result";

  if (ciface.isExternal())
    return ciface;
  for (unsigned i = 0; i < expected; ++i) {
    RankedTensorType tensor = i < entry.inputs.size()
                                  ? entry.inputs[i]
                                  : entry.outputs[i - entry.inputs.size()];
    LLVMStructType descriptor = types.descriptor(tensor.getRank());
    bool readsDescriptor = false;
    for (Operation *user : ciface.getArgument(i).getUsers()) {
      auto load = dyn_cast<LoadOp>(user);
      if (!load)
        continue;
      if (load.getType() != descriptor)
        return ciface.emitError()
               << "@" << cifaceName << " reads argument #" << i << " as "
               << load.getType() << ", expected the memref descriptor "
               << descriptor << " of " << tensor;
      readsDescriptor = true;
    }
    if (!readsDescriptor)
      return ciface.emitError()
             << "@" << cifaceName << " does not read "
             << "argument #" << i << " as the memref "
             << "descriptor " << descriptor << " of " << tensor;
  }
  return ciface;
}

//===----------------------------------------------------------------------===//
// bnn_entry_<name>
//===----------------------------------------------------------------------===//

/// Builds the body of one entry point: a chain of blocks, one check each,
/// every failure branching to a shared `^fail(%status)` block that returns
/// the status. All tensors are checked before the C interface is called, so
/// that an error leaves the outputs untouched.
class EntryEmitter {
public:
  EntryEmitter(OpBuilder &builder, Location loc, const ABITypes &types,
               LLVMFuncOp entry)
      : b(builder), loc(loc), types(types), entry(entry) {}

  void emit(const EntrySignature &signature, LLVMFuncOp ciface);

private:
  Value constant(Type type, int64_t value) {
    return ConstantOp::create(b, loc, type, value);
  }
  Value isNull(Value pointer) {
    return ICmpOp::create(b, loc, ICmpPredicate::eq, pointer,
                          ZeroOp::create(b, loc, types.ptr));
  }
  Value notEqual(Value value, int64_t expected) {
    return ICmpOp::create(b, loc, ICmpPredicate::ne, value,
                          constant(value.getType(), expected));
  }
  Value anyOf(ArrayRef<Value> conditions) {
    Value result = conditions.front();
    for (Value c : conditions.drop_front())
      result = OrOp::create(b, loc, result, c);
    return result;
  }

  /// Loads `array[index]` of an array of `elementType`.
  Value loadElement(Value array, Type elementType, int64_t index) {
    Value address =
        GEPOp::create(b, loc, types.ptr, elementType, array,
                      ArrayRef<GEPArg>{static_cast<int32_t>(index)});
    return LoadOp::create(b, loc, elementType, address);
  }

  /// Loads the field at `path` (indices into DLTensor) of `*tensor`.
  Value loadField(Value tensor, ArrayRef<int32_t> path, Type type) {
    SmallVector<GEPArg> indices = {0};
    indices.append(path.begin(), path.end());
    Value address =
        GEPOp::create(b, loc, types.ptr, types.dlTensor, tensor, indices);
    return LoadOp::create(b, loc, type, address);
  }

  /// Continues in a new block if `failed` is false; returns `status`
  /// otherwise.
  void failIf(Value failed, Status status) {
    Block *current = b.getInsertionBlock();
    Block *next = b.createBlock(failBlock);
    b.setInsertionPointToEnd(current);
    Value code = constant(types.i32, static_cast<int32_t>(status));
    CondBrOp::create(b, loc, failed, failBlock, ValueRange{code}, next,
                     ValueRange{});
    b.setInsertionPointToStart(next);
  }

  /// `type` for one image: the type the compiled function takes.
  static RankedTensorType oneImage(RankedTensorType type) {
    return cast<RankedTensorType>(mlir::bnn::withBatch(type, 1));
  }
  /// The bytes between two images of a batched tensor.
  static int64_t imageBytes(RankedTensorType type) {
    int64_t bytes = getDType(type.getElementType())->bits / 8;
    for (int64_t size : type.getShape().drop_front())
      bytes *= size;
    return bytes;
  }

  Value emitChecks(Value tensor, RankedTensorType type);
  void emitStridesCheck(Value tensor, RankedTensorType type);
  void storeDescriptor(Value data, RankedTensorType type, Value descriptor);

  OpBuilder &b;
  Location loc;
  const ABITypes &types;
  LLVMFuncOp entry;
  Block *failBlock = nullptr;
  /// The caller's batch size (i64), once a batched tensor was checked.
  Value batch;
};

/// Checks `tensor` (a DLTensor*) against `type` in the order of the status
/// codes and returns the address of its first element, data + byte_offset.
Value EntryEmitter::emitChecks(Value tensor, RankedTensorType type) {
  // The tensor and its data must exist before anything else is read.
  failIf(isNull(tensor), Status::NullTensor);
  Value data = loadField(tensor, {kData}, types.ptr);
  failIf(isNull(data), Status::NullTensor);

  Value deviceType = loadField(tensor, {kDevice, 0}, types.i32);
  failIf(notEqual(deviceType, kDLCPU), Status::BadDevice);

  Value ndim = loadField(tensor, {kNDim}, types.i32);
  failIf(notEqual(ndim, type.getRank()), Status::BadRank);

  DType dtype = *getDType(type.getElementType());
  Value code = loadField(tensor, {kDTypeField, 0}, types.i8);
  Value bits = loadField(tensor, {kDTypeField, 1}, types.i8);
  Value lanes = loadField(tensor, {kDTypeField, 2}, types.i16);
  failIf(anyOf({notEqual(code, dtype.code), notEqual(bits, dtype.bits),
                notEqual(lanes, dtype.lanes)}),
         Status::BadDType);

  // Rank 0 has neither shape nor strides to read; DLPack allows them null.
  if (type.getRank() > 0) {
    // ndim matched, so shape[0..ndim) may be read once shape is not null.
    Value shape = loadField(tensor, {kShape}, types.ptr);
    failIf(isNull(shape), Status::BadShape);
    SmallVector<Value> wrongDims;
    for (auto [d, size] : llvm::enumerate(type.getShape())) {
      Value dim = loadElement(shape, types.i64, d);
      if (!ShapedType::isDynamic(size)) {
        wrongDims.push_back(notEqual(dim, size));
      } else if (!batch) {
        // The first batched tensor sets the batch size N >= 0; every other
        // batched tensor must agree.
        batch = dim;
        wrongDims.push_back(ICmpOp::create(b, loc, ICmpPredicate::slt, dim,
                                           constant(types.i64, 0)));
      } else {
        wrongDims.push_back(
            ICmpOp::create(b, loc, ICmpPredicate::ne, dim, batch));
      }
    }
    failIf(anyOf(wrongDims), Status::BadShape);
    emitStridesCheck(tensor, type);
  }

  Value byteOffset = loadField(tensor, {kByteOffset}, types.i64);
  return GEPOp::create(b, loc, types.ptr, types.i8, data,
                       ArrayRef<GEPArg>{byteOffset});
}

/// Null strides mean compact row-major; otherwise every stride must equal
/// the row-major one (the descriptors the C interface receives are built
/// with those strides, and the compiled code assumes identity layouts).
void EntryEmitter::emitStridesCheck(Value tensor, RankedTensorType type) {
  Value strides = loadField(tensor, {kStrides}, types.ptr);
  Block *current = b.getInsertionBlock();
  Block *compare = b.createBlock(failBlock);
  Block *next = b.createBlock(failBlock);
  b.setInsertionPointToEnd(current);
  CondBrOp::create(b, loc, isNull(strides), next, ValueRange{}, compare,
                   ValueRange{});

  b.setInsertionPointToStart(compare);
  // Row-major strides do not depend on dimension 0, the batch. The stride
  // of a dimension of size 1 is never used to address anything, and
  // producers differ in what they put there (numpy calls such arrays
  // C-contiguous whatever it is), so it is not checked.
  SmallVector<int64_t> expected = computeStrides(oneImage(type).getShape());
  SmallVector<Value> wrongStrides;
  for (auto [d, stride] : llvm::enumerate(expected)) {
    int64_t size = type.getDimSize(d);
    if (size == 1)
      continue;
    Value wrong = notEqual(loadElement(strides, types.i64, d), stride);
    if (ShapedType::isDynamic(size)) {
      Value shape = loadField(tensor, {kShape}, types.ptr);
      wrong = AndOp::create(b, loc, wrong,
                            notEqual(loadElement(shape, types.i64, d), 1));
    }
    wrongStrides.push_back(wrong);
  }
  if (wrongStrides.empty())
    wrongStrides.push_back(constant(IntegerType::get(b.getContext(), 1), 0));
  Value code = constant(types.i32, static_cast<int32_t>(Status::BadStrides));
  CondBrOp::create(b, loc, anyOf(wrongStrides), failBlock, ValueRange{code},
                   next, ValueRange{});
  b.setInsertionPointToStart(next);
}

/// Stores into `descriptor` the memref descriptor of the compact row-major
/// buffer at `data`: there is no separate allocation to free, so allocated
/// and aligned are the same pointer, and the offset is already in `data`.
void EntryEmitter::storeDescriptor(Value data, RankedTensorType type,
                                   Value descriptor) {
  LLVMStructType descType = types.descriptor(type.getRank());
  Value value = UndefOp::create(b, loc, descType);
  value =
      InsertValueOp::create(b, loc, value, data, ArrayRef<int64_t>{kAllocated});
  value =
      InsertValueOp::create(b, loc, value, data, ArrayRef<int64_t>{kAligned});
  value = InsertValueOp::create(b, loc, value, constant(types.i64, 0),
                                ArrayRef<int64_t>{kOffset});
  SmallVector<int64_t> strides = computeStrides(type.getShape());
  for (auto [d, size] : llvm::enumerate(type.getShape())) {
    int64_t dim = static_cast<int64_t>(d);
    value = InsertValueOp::create(b, loc, value, constant(types.i64, size),
                                  ArrayRef<int64_t>{kSizes, dim});
    value =
        InsertValueOp::create(b, loc, value, constant(types.i64, strides[d]),
                              ArrayRef<int64_t>{kStridesField, dim});
  }
  StoreOp::create(b, loc, value, descriptor);
}

void EntryEmitter::emit(const EntrySignature &signature, LLVMFuncOp ciface) {
  Block *body = entry.addEntryBlock(b);
  Value inputs = body->getArgument(0);
  Value outputs = body->getArgument(1);

  failBlock = b.createBlock(&entry.getBody(), entry.getBody().end(),
                            {types.i32}, {loc});
  ReturnOp::create(b, loc, failBlock->getArgument(0));

  // The descriptors are static allocas of the entry block: part of the
  // frame, allocated once per call, and nothing to free on any path.
  b.setInsertionPointToStart(body);
  Value one = constant(types.i64, 1);
  auto allocate = [&](ArrayRef<RankedTensorType> tensors) {
    SmallVector<Value> slots;
    for (RankedTensorType t : tensors)
      slots.push_back(AllocaOp::create(b, loc, types.ptr,
                                       types.descriptor(t.getRank()), one));
    return slots;
  };
  SmallVector<Value> inputSlots = allocate(signature.inputs);
  SmallVector<Value> outputSlots = allocate(signature.outputs);

  // Every check, inputs then outputs, before anything is written.
  SmallVector<Value> inputData, outputData;
  for (auto [i, type] : llvm::enumerate(signature.inputs))
    inputData.push_back(emitChecks(loadElement(inputs, types.ptr, i), type));
  for (auto [i, type] : llvm::enumerate(signature.outputs))
    outputData.push_back(emitChecks(loadElement(outputs, types.ptr, i), type));

  // All valid: describe the buffers and run the function, once per image
  // of a dynamic batch (batched tensors advance by one image each time).
  auto describeAndCall = [&](Value image) {
    auto store = [&](ArrayRef<Value> data, ArrayRef<RankedTensorType> tensors,
                     ArrayRef<Value> slots) {
      for (auto [address, type, slot] : llvm::zip_equal(data, tensors, slots)) {
        Value at = address;
        if (image && mlir::bnn::isBatchedType(type)) {
          Value offset = MulOp::create(b, loc, image,
                                       constant(types.i64, imageBytes(type)));
          at = GEPOp::create(b, loc, types.ptr, types.i8, address,
                             ArrayRef<GEPArg>{offset});
        }
        storeDescriptor(at, oneImage(type), slot);
      }
    };
    store(inputData, signature.inputs, inputSlots);
    store(outputData, signature.outputs, outputSlots);
    SmallVector<Value> arguments(inputSlots);
    arguments.append(outputSlots);
    CallOp::create(b, loc, ciface, arguments);
  };
  Value ok = constant(types.i32, static_cast<int32_t>(Status::Ok));
  if (!batch) {
    describeAndCall(nullptr);
    ReturnOp::create(b, loc, ok);
    return;
  }
  Block *preheader = b.getInsertionBlock();
  Block *header = b.createBlock(failBlock, {types.i64}, {loc});
  Block *loopBody = b.createBlock(failBlock);
  Block *exit = b.createBlock(failBlock);
  b.setInsertionPointToEnd(preheader);
  BrOp::create(b, loc, ValueRange{constant(types.i64, 0)}, header);
  b.setInsertionPointToStart(header);
  Value image = header->getArgument(0);
  Value done = ICmpOp::create(b, loc, ICmpPredicate::sge, image, batch);
  CondBrOp::create(b, loc, done, exit, ValueRange{}, loopBody, ValueRange{});
  b.setInsertionPointToStart(loopBody);
  describeAndCall(image);
  Value next = AddOp::create(b, loc, image, constant(types.i64, 1));
  BrOp::create(b, loc, ValueRange{next}, header);
  b.setInsertionPointToStart(exit);
  ReturnOp::create(b, loc, ok);
}

//===----------------------------------------------------------------------===//
// bnn_module and its constant globals
//===----------------------------------------------------------------------===//

/// Builds the metadata globals at the end of the module. Their names are
/// private and made unique by the symbol table.
class MetadataEmitter {
public:
  MetadataEmitter(OpBuilder &builder, Location loc, const ABITypes &types,
                  SymbolTable &symbols)
      : b(builder), loc(loc), types(types), symbols(symbols) {}

  /// Returns the bnn_module_info global describing `entries`, whose entry
  /// points are `functions`.
  GlobalOp emitModuleInfo(ArrayRef<EntrySignature> entries,
                          ArrayRef<LLVMFuncOp> functions);

private:
  /// A private constant global of `type` with name `name` (uniqued),
  /// initialized by the value `init` builds in its initializer region.
  GlobalOp createGlobal(StringRef name, Type type,
                        function_ref<Value(OpBuilder &)> init = nullptr,
                        Attribute value = {}) {
    OpBuilder::InsertionGuard guard(b);
    auto global = GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                   Linkage::Private, name, value);
    symbols.insert(global);
    if (init) {
      b.createBlock(&global.getInitializerRegion());
      ReturnOp::create(b, loc, init(b));
    }
    return global;
  }

  /// The address of `global`, or null for a missing (empty) array.
  Value addressOrNull(OpBuilder &ib, GlobalOp global) {
    if (!global)
      return ZeroOp::create(ib, loc, types.ptr);
    return AddressOfOp::create(ib, loc, global);
  }

  Value i32(OpBuilder &ib, int64_t value) {
    return ConstantOp::create(ib, loc, types.i32, value);
  }

  GlobalOp emitString(StringRef prefix, StringRef text);
  GlobalOp emitShape(StringRef prefix, RankedTensorType type);
  GlobalOp emitTensorInfos(StringRef prefix,
                           ArrayRef<RankedTensorType> tensors);
  GlobalOp emitEntryInfos(ArrayRef<EntrySignature> entries,
                          ArrayRef<LLVMFuncOp> functions);

  OpBuilder &b;
  Location loc;
  const ABITypes &types;
  SymbolTable &symbols;
};

/// A NUL-terminated copy of `text`.
GlobalOp MetadataEmitter::emitString(StringRef prefix, StringRef text) {
  std::string bytes = text.str();
  bytes.push_back('\0');
  return createGlobal((prefix + "_name").str(),
                      LLVMArrayType::get(types.i8, bytes.size()), nullptr,
                      b.getStringAttr(bytes));
}

/// The int64_t shape of `type`; none (a null pointer) for rank 0.
GlobalOp MetadataEmitter::emitShape(StringRef prefix, RankedTensorType type) {
  if (type.getRank() == 0)
    return nullptr;
  auto shapeType = RankedTensorType::get({type.getRank()}, types.i64);
  // A dynamic batch reads -1 (bnn-c/Runtime.h).
  SmallVector<int64_t> shape;
  for (int64_t size : type.getShape())
    shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
  return createGlobal(prefix.str(),
                      LLVMArrayType::get(types.i64, type.getRank()), nullptr,
                      DenseElementsAttr::get(shapeType, ArrayRef(shape)));
}

/// The bnn_tensor_info array of `tensors`; none (a null pointer) if empty.
GlobalOp MetadataEmitter::emitTensorInfos(StringRef prefix,
                                          ArrayRef<RankedTensorType> tensors) {
  if (tensors.empty())
    return nullptr;
  SmallVector<GlobalOp> shapes;
  for (auto [i, type] : llvm::enumerate(tensors))
    shapes.push_back(emitShape((prefix + "_shape" + Twine(i)).str(), type));

  auto arrayType = LLVMArrayType::get(types.tensorInfo, tensors.size());
  return createGlobal(prefix.str(), arrayType, [&](OpBuilder &ib) {
    Value array = UndefOp::create(ib, loc, arrayType);
    auto set = [&](int64_t i, ArrayRef<int64_t> field, Value v) {
      SmallVector<int64_t> position = {i};
      position.append(field.begin(), field.end());
      array = InsertValueOp::create(ib, loc, array, v, position);
    };
    for (auto [i, type] : llvm::enumerate(tensors)) {
      int64_t idx = static_cast<int64_t>(i);
      DType dtype = *getDType(type.getElementType());
      // {ndim, {code, bits, lanes}, shape}
      set(idx, {0}, i32(ib, type.getRank()));
      set(idx, {1, 0}, ConstantOp::create(ib, loc, types.i8, dtype.code));
      set(idx, {1, 1}, ConstantOp::create(ib, loc, types.i8, dtype.bits));
      set(idx, {1, 2}, ConstantOp::create(ib, loc, types.i16, dtype.lanes));
      set(idx, {2}, addressOrNull(ib, shapes[i]));
    }
    return array;
  });
}

/// The bnn_entry_info array; none (a null pointer) if there are no entries.
GlobalOp MetadataEmitter::emitEntryInfos(ArrayRef<EntrySignature> entries,
                                         ArrayRef<LLVMFuncOp> functions) {
  if (entries.empty())
    return nullptr;
  struct EntryGlobals {
    GlobalOp name, inputs, outputs;
  };
  SmallVector<EntryGlobals> perEntry;
  for (const EntrySignature &entry : entries) {
    std::string prefix = ("__bnn_abi_" + entry.name.getValue()).str();
    perEntry.push_back({emitString(prefix, entry.name.getValue()),
                        emitTensorInfos(prefix + "_inputs", entry.inputs),
                        emitTensorInfos(prefix + "_outputs", entry.outputs)});
  }

  auto arrayType = LLVMArrayType::get(types.entryInfo, entries.size());
  return createGlobal("__bnn_abi_entries", arrayType, [&](OpBuilder &ib) {
    Value array = UndefOp::create(ib, loc, arrayType);
    for (auto [i, entry] : llvm::enumerate(entries)) {
      // {name, fn, num_inputs, num_outputs, inputs, outputs}
      Value fields[] = {addressOrNull(ib, perEntry[i].name),
                        AddressOfOp::create(ib, loc, functions[i]),
                        i32(ib, entry.inputs.size()),
                        i32(ib, entry.outputs.size()),
                        addressOrNull(ib, perEntry[i].inputs),
                        addressOrNull(ib, perEntry[i].outputs)};
      for (auto [f, value] : llvm::enumerate(fields))
        array =
            InsertValueOp::create(ib, loc, array, value,
                                  ArrayRef<int64_t>{static_cast<int64_t>(i),
                                                    static_cast<int64_t>(f)});
    }
    return array;
  });
}

GlobalOp MetadataEmitter::emitModuleInfo(ArrayRef<EntrySignature> entries,
                                         ArrayRef<LLVMFuncOp> functions) {
  GlobalOp entryArray = emitEntryInfos(entries, functions);
  return createGlobal("__bnn_abi_module", types.moduleInfo, [&](OpBuilder &ib) {
    // {abi_version, num_entries, entries}
    Value fields[] = {i32(ib, kABIVersion), i32(ib, entries.size()),
                      addressOrNull(ib, entryArray)};
    Value info = UndefOp::create(ib, loc, types.moduleInfo);
    for (auto [f, value] : llvm::enumerate(fields))
      info = InsertValueOp::create(ib, loc, info, value,
                                   ArrayRef<int64_t>{static_cast<int64_t>(f)});
    return info;
  });
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Fails with a diagnostic if `name`, a public symbol the ABI defines, is
/// already taken.
LogicalResult checkFreeSymbol(SymbolTable &symbols, StringRef name) {
  if (Operation *existing = symbols.lookup(name))
    return existing->emitError()
           << "symbol '" << name << "' is reserved by the runtime ABI";
  return success();
}

struct EmitRuntimeABIPass
    : public bnn::impl::BNNEmitRuntimeABIPassBase<EmitRuntimeABIPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<SmallVector<EntrySignature>> entries = parseABIAttr(module);
    if (failed(entries))
      return signalPassFailure();

    SymbolTable symbols(module);
    ABITypes types(&getContext());

    // Check everything before creating anything, so that a failure leaves
    // the module as it was.
    SmallVector<LLVMFuncOp> cifaces;
    for (const EntrySignature &entry : *entries) {
      FailureOr<LLVMFuncOp> ciface =
          getCInterface(module, symbols, types, entry);
      if (failed(ciface) ||
          failed(checkFreeSymbol(symbols,
                                 ("bnn_entry_" + entry.name.getValue()).str())))
        return signalPassFailure();
      cifaces.push_back(*ciface);
    }
    if (failed(checkFreeSymbol(symbols, "bnn_module")))
      return signalPassFailure();

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = module.getLoc();
    SmallVector<LLVMFuncOp> entryFns;
    for (auto [entry, ciface] : llvm::zip_equal(*entries, cifaces)) {
      OpBuilder::InsertionGuard guard(b);
      auto fn = LLVMFuncOp::create(
          b, ciface.getLoc(), ("bnn_entry_" + entry.name.getValue()).str(),
          LLVMFunctionType::get(types.i32, {types.ptr, types.ptr}));
      symbols.insert(fn);
      EntryEmitter(b, ciface.getLoc(), types, fn).emit(entry, ciface);
      entryFns.push_back(fn);
    }

    MetadataEmitter metadata(b, loc, types, symbols);
    GlobalOp moduleInfo = metadata.emitModuleInfo(*entries, entryFns);

    auto getter = LLVMFuncOp::create(b, loc, "bnn_module",
                                     LLVMFunctionType::get(types.ptr, {}));
    symbols.insert(getter);
    b.setInsertionPointToStart(getter.addEntryBlock(b));
    ReturnOp::create(b, loc, AddressOfOp::create(b, loc, moduleInfo));

    // Only the ABI symbols are the artifact's interface: every other
    // function with a body (a model's @main, its C interface, private
    // helpers) must not clash with, or be interposed by, symbols of the
    // program that loads the artifact.
    for (auto fn : module.getOps<LLVMFuncOp>())
      if (!fn.isExternal() && fn != getter &&
          !llvm::is_contained(entryFns, fn) &&
          fn.getName() != bnn::kSetNumThreadsName)
        fn.setLinkage(Linkage::Internal);

    module->removeAttr(kABIAttrName);
  }
};
} // namespace
