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
//   llvm.func @bnn_workspace_entry_<name>(%inputs: !llvm.ptr,
//       %outputs: !llvm.ptr, %workspace: !llvm.ptr, %bytes: i64) -> i32
//
// which validates every DLTensor (and the workspace) against the recorded
// signature, wraps the tensors' memory in memref descriptors and calls the
// C interface (passing the workspace on when the function takes one, see
// kWorkspaceBytesAttrName), and
//
//   llvm.func @bnn_entry_<name>(%inputs: !llvm.ptr, %outputs: !llvm.ptr) -> i32
//
// which calls it without a workspace, and
//
//   llvm.func @bnn_module() -> !llvm.ptr
//
// which returns constant metadata describing the entries. Struct types below
// mirror the C declarations; LLVM lays literal structs out with the C rules
// of the target, so on LP64 targets the offsets match the header.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "bnn-c/Runtime.h"

#include "bnn/RuntimeABI/Batch.h"
#include "bnn/RuntimeABI/ElementType.h"
#include "bnn/RuntimeABI/EntrySignature.h"

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
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::LLVM;
using mlir::bnn::EntrySignature;
using mlir::bnn::kABIAttrName;
using mlir::bnn::readEntrySignatures;

namespace {

//===----------------------------------------------------------------------===//
// ABI constants (bnn-c/Runtime.h, dlpack/dlpack.h)
//===----------------------------------------------------------------------===//

/// BNN_ABI_VERSION.
constexpr int32_t kABIVersion = 2;

/// bnn_status.
enum class Status : int32_t {
  Ok = 0,
  NullTensor = 1,
  BadDevice = 2,
  BadRank = 3,
  BadDType = 4,
  BadShape = 5,
  BadStrides = 6,
  BadWorkspace = 7,
};

/// The alignment a supplied workspace must have (its views hold vectors).
constexpr int64_t kWorkspaceAlignment = 64;

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
    // bnn_entry_info {name, fn, num_inputs, num_outputs, inputs, outputs,
    //                 workspace_bytes, fn_workspace}
    entryInfo = LLVMStructType::getLiteral(
        ctx, {ptr, ptr, i32, i32, ptr, ptr, i64, ptr});
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
// Checking the C interface against the signature
//===----------------------------------------------------------------------===//

/// The C interface of an entry and the workspace it takes.
struct CInterface {
  LLVMFuncOp fn;
  /// Whether it takes a workspace pointer after the descriptors, and the
  /// bytes that workspace needs.
  bool takesWorkspace = false;
  int64_t workspaceBytes = 0;
};

/// Finds `_mlir_ciface_<name>` and checks that it takes one pointer per input
/// and output (and one to a workspace where the function has
/// kWorkspaceBytesAttrName) and, where its body shows it, that each
/// descriptor pointer is read as the memref descriptor of the recorded rank.
/// The descriptor does not name its element type; the rank is what the
/// entry point has to get right.
FailureOr<CInterface> getCInterface(ModuleOp module, SymbolTable &symbols,
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

  // bnn-plan-workspace marks the function, which func-to-llvm turned into
  // `<name>` and its C interface.
  CInterface result{ciface};
  IntegerAttr workspace = ciface->getAttrOfType<IntegerAttr>(
      bnn::kWorkspaceBytesAttrName);
  if (auto fn = symbols.lookup<LLVMFuncOp>(entry.name.getValue());
      !workspace && fn)
    workspace = fn->getAttrOfType<IntegerAttr>(bnn::kWorkspaceBytesAttrName);
  if (workspace) {
    if (workspace.getInt() < 0)
      return ciface.emitError() << "'" << bnn::kWorkspaceBytesAttrName
                                << "' must not be negative";
    result.takesWorkspace = true;
    result.workspaceBytes = workspace.getInt();
  }

  LLVMFunctionType fnType = ciface.getFunctionType();
  size_t expected = entry.inputs.size() + entry.outputs.size();
  bool pointersOnly =
      llvm::all_of(fnType.getParams(), [&](Type t) { return t == types.ptr; });
  if (fnType.isVarArg() || !isa<LLVMVoidType>(fnType.getReturnType()) ||
      fnType.getNumParams() != expected + result.takesWorkspace ||
      !pointersOnly)
    return ciface.emitError()
           << "@" << cifaceName << " has type " << fnType << ", expected "
           << expected
           << " pointers to memref descriptors (inputs: " << entry.inputs.size()
           << ", then outputs as out-parameters: " << entry.outputs.size()
           << (result.takesWorkspace ? ", then the workspace" : "")
           << ") and no result";

  if (ciface.isExternal())
    return result;
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
  return result;
}

//===----------------------------------------------------------------------===//
// bnn_entry_<name>
//===----------------------------------------------------------------------===//
//
// The per-tensor work lives in two shared functions that read the expected
// rank, dtype and shape from the tensor's bnn_tensor_info (the metadata
// below), so that an entry point is a loop over its tensors and one call,
// whatever their number:
//
//   int32_t __bnn_abi_check_tensor(DLTensor *t, const bnn_tensor_info *info,
//                                  int64_t *batch)
//   void *__bnn_abi_describe_tensor(DLTensor *t, const bnn_tensor_info *info,
//                                   void *descriptor, int64_t image)
//
// The first returns the status of `t` (0 if it is valid) and records the
// batch size; the second writes the memref descriptor of `t` (of image
// `image` of a batched tensor) and returns the address just past it. Both
// are not inlined: an entry point with N tensors is O(1) code plus the N
// descriptor addresses of its call, which keeps LLVM's optimizer linear in
// the number of arguments and of functions.

/// LLVM dialect building blocks shared by the emitters.
class ABIBuilder {
public:
  ABIBuilder(OpBuilder &builder, Location loc, const ABITypes &types)
      : b(builder), loc(loc), types(types) {}

protected:
  Value constant(Type type, int64_t value) {
    return ConstantOp::create(b, loc, type, value);
  }
  Value isNull(Value pointer) {
    return ICmpOp::create(b, loc, ICmpPredicate::eq, pointer,
                          ZeroOp::create(b, loc, types.ptr));
  }
  Value compare(ICmpPredicate predicate, Value lhs, Value rhs) {
    return ICmpOp::create(b, loc, predicate, lhs, rhs);
  }
  Value notEqual(Value value, Value expected) {
    return compare(ICmpPredicate::ne, value, expected);
  }
  Value anyOf(ArrayRef<Value> conditions) {
    Value result = conditions.front();
    for (Value c : conditions.drop_front())
      result = OrOp::create(b, loc, result, c);
    return result;
  }

  /// The address of `array[index]` of an array of `elementType`.
  Value elementAddress(Value array, Type elementType, Value index) {
    return GEPOp::create(b, loc, types.ptr, elementType, array,
                         ArrayRef<GEPArg>{index});
  }
  Value loadElement(Value array, Type elementType, Value index) {
    return LoadOp::create(b, loc, elementType,
                          elementAddress(array, elementType, index));
  }

  /// Loads the field at `path` (indices into `structType`) of `*base`.
  Value loadField(Value base, Type structType, ArrayRef<int32_t> path,
                  Type type) {
    SmallVector<GEPArg> indices = {0};
    indices.append(path.begin(), path.end());
    Value address = GEPOp::create(b, loc, types.ptr, structType, base, indices);
    return LoadOp::create(b, loc, type, address);
  }
  Value tensorField(Value tensor, ArrayRef<int32_t> path, Type type) {
    return loadField(tensor, types.dlTensor, path, type);
  }
  Value infoField(Value info, ArrayRef<int32_t> path, Type type) {
    return loadField(info, types.tensorInfo, path, type);
  }

  /// Continues in a new block if `failed` is false; branches to `exit` with
  /// `status` otherwise.
  void failIf(Value failed, Block *exit, Value status) {
    Block *current = b.getInsertionBlock();
    Block *next = b.createBlock(exit);
    b.setInsertionPointToEnd(current);
    CondBrOp::create(b, loc, failed, exit, ValueRange{status}, next,
                     ValueRange{});
    b.setInsertionPointToStart(next);
  }
  void failIf(Value failed, Block *exit, Status status) {
    failIf(failed, exit, constant(types.i32, static_cast<int32_t>(status)));
  }

  /// Emits `for (i = 0; i < count; ++i) iters = body(i, iters)` (i64 `i`)
  /// before `exit` and continues after it; returns the final `iters`.
  SmallVector<Value>
  emitLoop(Value count, ValueRange init, Block *exit,
           function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    SmallVector<Type> iterTypes = {types.i64};
    for (Value v : init)
      iterTypes.push_back(v.getType());
    SmallVector<Location> locs(iterTypes.size(), loc);
    Block *preheader = b.getInsertionBlock();
    Block *header = b.createBlock(exit, iterTypes, locs);
    Block *loopBody = b.createBlock(exit);
    Block *after = b.createBlock(exit, TypeRange(iterTypes).drop_front(),
                                 ArrayRef(locs).drop_front());
    b.setInsertionPointToEnd(preheader);
    SmallVector<Value> start = {constant(types.i64, 0)};
    start.append(init.begin(), init.end());
    BrOp::create(b, loc, start, header);

    b.setInsertionPointToStart(header);
    Value i = header->getArgument(0);
    ValueRange iters = header->getArguments().drop_front();
    CondBrOp::create(b, loc, compare(ICmpPredicate::slt, i, count), loopBody,
                     ValueRange{}, after, iters);

    b.setInsertionPointToStart(loopBody);
    SmallVector<Value> next = {
        AddOp::create(b, loc, i, constant(types.i64, 1))};
    llvm::append_range(next, body(i, iters));
    BrOp::create(b, loc, next, header);

    b.setInsertionPointToStart(after);
    return SmallVector<Value>(after->getArguments());
  }

  OpBuilder &b;
  Location loc;
  const ABITypes &types;
};

/// Emits the shared __bnn_abi_check_tensor and __bnn_abi_describe_tensor.
class TensorFunctionsEmitter : public ABIBuilder {
public:
  using ABIBuilder::ABIBuilder;

  /// int32_t (DLTensor *tensor, const bnn_tensor_info *info, int64_t *batch):
  /// the checks of the status table in its order. `*batch` is the caller's
  /// batch size, -1 until the first batched tensor sets it.
  LLVMFuncOp emitCheck(SymbolTable &symbols);
  /// void *(DLTensor *tensor, const bnn_tensor_info *info, void *descriptor,
  /// int64_t image).
  LLVMFuncOp emitDescribe(SymbolTable &symbols);

private:
  LLVMFuncOp createFunction(SymbolTable &symbols, StringRef name, Type result,
                            ArrayRef<Type> params) {
    auto fn = LLVMFuncOp::create(
        b, loc, name, LLVMFunctionType::get(result, params), Linkage::Internal);
    fn.setNoInline(true);
    symbols.insert(fn);
    return fn;
  }
};

LLVMFuncOp TensorFunctionsEmitter::emitCheck(SymbolTable &symbols) {
  OpBuilder::InsertionGuard guard(b);
  LLVMFuncOp fn = createFunction(symbols, "__bnn_abi_check_tensor", types.i32,
                                 {types.ptr, types.ptr, types.ptr});
  Block *body = fn.addEntryBlock(b);
  Value tensor = body->getArgument(0), info = body->getArgument(1),
        batchSlot = body->getArgument(2);
  Block *fail =
      b.createBlock(&fn.getBody(), fn.getBody().end(), {types.i32}, {loc});
  ReturnOp::create(b, loc, fail->getArgument(0));
  Block *ok = b.createBlock(fail);
  ReturnOp::create(b, loc, constant(types.i32, 0));
  b.setInsertionPointToStart(body);

  // The tensor and its data must exist before anything else is read.
  failIf(isNull(tensor), fail, Status::NullTensor);
  Value data = tensorField(tensor, {kData}, types.ptr);
  failIf(isNull(data), fail, Status::NullTensor);

  Value deviceType = tensorField(tensor, {kDevice, 0}, types.i32);
  failIf(notEqual(deviceType, constant(types.i32, kDLCPU)), fail,
         Status::BadDevice);

  Value ndim = tensorField(tensor, {kNDim}, types.i32);
  Value expectedNDim = infoField(info, {0}, types.i32);
  failIf(notEqual(ndim, expectedNDim), fail, Status::BadRank);

  SmallVector<Value> wrongDType;
  // A named array: an ArrayRef of a braced list in the range expression
  // would outlive the list (the temporary dies before the loop body runs).
  const Type dtypeFields[] = {types.i8, types.i8, types.i16};
  for (auto [field, type] : llvm::enumerate(dtypeFields)) {
    int32_t f = static_cast<int32_t>(field);
    wrongDType.push_back(notEqual(tensorField(tensor, {kDTypeField, f}, type),
                                  infoField(info, {1, f}, type)));
  }
  failIf(anyOf(wrongDType), fail, Status::BadDType);

  // Rank 0 has neither shape nor strides to read; DLPack allows them null.
  Block *current = b.getInsertionBlock();
  Block *shaped = b.createBlock(fail);
  b.setInsertionPointToEnd(current);
  CondBrOp::create(b, loc, notEqual(expectedNDim, constant(types.i32, 0)),
                   shaped, ValueRange{}, ok, ValueRange{});
  b.setInsertionPointToStart(shaped);

  // ndim matched, so shape[0..ndim) may be read once shape is not null.
  Value shape = tensorField(tensor, {kShape}, types.ptr);
  failIf(isNull(shape), fail, Status::BadShape);
  Value expectedShape = infoField(info, {2}, types.ptr);
  Value rank = ZExtOp::create(b, loc, types.i64, expectedNDim);
  Value minusOne = constant(types.i64, -1);
  emitLoop(rank, {}, fail, [&](Value d, ValueRange) {
    Value dim = loadElement(shape, types.i64, d);
    Value expected = loadElement(expectedShape, types.i64, d);
    Block *current = b.getInsertionBlock();
    Block *fixed = b.createBlock(fail);
    Block *batched = b.createBlock(fail);
    Block *first = b.createBlock(fail);
    Block *later = b.createBlock(fail);
    Block *next = b.createBlock(fail);
    b.setInsertionPointToEnd(current);
    // A dynamic batch reads -1 in the metadata.
    CondBrOp::create(b, loc, compare(ICmpPredicate::eq, expected, minusOne),
                     batched, ValueRange{}, fixed, ValueRange{});

    b.setInsertionPointToStart(fixed);
    failIf(notEqual(dim, expected), fail, Status::BadShape);
    BrOp::create(b, loc, ValueRange{}, next);

    // The first batched tensor sets the batch size N >= 0; every other
    // batched tensor must agree.
    b.setInsertionPointToStart(batched);
    Value batch = LoadOp::create(b, loc, types.i64, batchSlot);
    CondBrOp::create(b, loc,
                     compare(ICmpPredicate::slt, batch, constant(types.i64, 0)),
                     first, ValueRange{}, later, ValueRange{});
    b.setInsertionPointToStart(first);
    failIf(compare(ICmpPredicate::slt, dim, constant(types.i64, 0)), fail,
           Status::BadShape);
    StoreOp::create(b, loc, dim, batchSlot);
    BrOp::create(b, loc, ValueRange{}, next);
    b.setInsertionPointToStart(later);
    failIf(notEqual(dim, batch), fail, Status::BadShape);
    BrOp::create(b, loc, ValueRange{}, next);

    b.setInsertionPointToStart(next);
    return SmallVector<Value>{};
  });

  // Null strides mean compact row-major; otherwise every stride must equal
  // the row-major one (the descriptors the C interface receives are built
  // with those strides, and the compiled code assumes identity layouts).
  // Row-major strides do not depend on dimension 0, the batch. The stride
  // of a dimension of size 1 is never used to address anything, and
  // producers differ in what they put there (numpy calls such arrays
  // C-contiguous whatever it is), so it is not checked.
  Value strides = tensorField(tensor, {kStrides}, types.ptr);
  current = b.getInsertionBlock();
  Block *compareStrides = b.createBlock(fail);
  b.setInsertionPointToEnd(current);
  CondBrOp::create(b, loc, isNull(strides), ok, ValueRange{}, compareStrides,
                   ValueRange{});
  b.setInsertionPointToStart(compareStrides);
  Value one = constant(types.i64, 1);
  // Innermost dimension first: the row-major stride is the product of the
  // (checked) sizes inside it.
  emitLoop(rank, {one}, fail, [&](Value j, ValueRange iters) {
    Value d = SubOp::create(b, loc, SubOp::create(b, loc, rank, one), j);
    Value size = loadElement(shape, types.i64, d);
    Value stride = loadElement(strides, types.i64, d);
    Value rowMajor = iters[0];
    failIf(
        AndOp::create(b, loc, notEqual(size, one), notEqual(stride, rowMajor)),
        fail, Status::BadStrides);
    return SmallVector<Value>{MulOp::create(b, loc, rowMajor, size)};
  });
  BrOp::create(b, loc, ValueRange{}, ok);
  ok->moveBefore(fail);
  return fn;
}

LLVMFuncOp TensorFunctionsEmitter::emitDescribe(SymbolTable &symbols) {
  OpBuilder::InsertionGuard guard(b);
  LLVMFuncOp fn =
      createFunction(symbols, "__bnn_abi_describe_tensor", types.ptr,
                     {types.ptr, types.ptr, types.ptr, types.i64});
  Block *body = fn.addEntryBlock(b);
  Value tensor = body->getArgument(0), info = body->getArgument(1),
        descriptor = body->getArgument(2), image = body->getArgument(3);
  Block *exit =
      b.createBlock(&fn.getBody(), fn.getBody().end(), {types.i64}, {loc});
  b.setInsertionPointToStart(body);

  // The descriptor {ptr allocated, ptr aligned, i64 offset, [R x i64] sizes,
  // [R x i64] strides} is 3 + 2 R eight-byte words: sizes at word 3,
  // strides at word 3 + R. One image of a batched tensor has size 1 in
  // dimension 0.
  Value rank =
      ZExtOp::create(b, loc, types.i64, infoField(info, {0}, types.i32));
  Value shape = infoField(info, {2}, types.ptr);
  Value one = constant(types.i64, 1), three = constant(types.i64, 3);
  Value minusOne = constant(types.i64, -1);
  Value lastDim = SubOp::create(b, loc, rank, one);
  SmallVector<Value> elements =
      emitLoop(rank, {one}, exit, [&](Value j, ValueRange iters) {
        Value d = SubOp::create(b, loc, lastDim, j);
        Value expected = loadElement(shape, types.i64, d);
        Value size = SelectOp::create(
            b, loc, compare(ICmpPredicate::eq, expected, minusOne), one,
            expected);
        Value sizeWord = AddOp::create(b, loc, three, d);
        StoreOp::create(b, loc, size,
                        elementAddress(descriptor, types.i64, sizeWord));
        StoreOp::create(b, loc, iters[0],
                        elementAddress(descriptor, types.i64,
                                       AddOp::create(b, loc, sizeWord, rank)));
        return SmallVector<Value>{MulOp::create(b, loc, iters[0], size)};
      });

  // Batched (dimension 0 reads -1): image `image` starts `image` times the
  // bytes of one image after data + byte_offset.
  Block *unbatched = b.getInsertionBlock();
  Block *batched = b.createBlock(exit);
  b.setInsertionPointToEnd(unbatched);
  Value zero = constant(types.i64, 0);
  CondBrOp::create(b, loc, compare(ICmpPredicate::eq, rank, zero), exit,
                   ValueRange{zero}, batched, ValueRange{});
  b.setInsertionPointToStart(batched);
  Value bytes = UDivOp::create(
      b, loc,
      ZExtOp::create(b, loc, types.i64, infoField(info, {1, 1}, types.i8)),
      constant(types.i64, 8));
  Value imageOffset =
      MulOp::create(b, loc, image, MulOp::create(b, loc, elements[0], bytes));
  Value isBatched =
      compare(ICmpPredicate::eq, loadElement(shape, types.i64, zero), minusOne);
  BrOp::create(
      b, loc,
      ValueRange{SelectOp::create(b, loc, isBatched, imageOffset, zero)}, exit);

  b.setInsertionPointToStart(exit);
  Value data = tensorField(tensor, {kData}, types.ptr);
  Value offset =
      AddOp::create(b, loc, tensorField(tensor, {kByteOffset}, types.i64),
                    exit->getArgument(0));
  Value address = GEPOp::create(b, loc, types.ptr, types.i8, data,
                                ArrayRef<GEPArg>{offset});
  // No separate allocation to free: allocated and aligned are the same
  // pointer, and the offset is already in the address.
  StoreOp::create(b, loc, address, descriptor);
  StoreOp::create(b, loc, address, elementAddress(descriptor, types.i64, one));
  StoreOp::create(
      b, loc, zero,
      elementAddress(descriptor, types.i64, constant(types.i64, 2)));
  Value words = AddOp::create(b, loc, three, AddOp::create(b, loc, rank, rank));
  ReturnOp::create(b, loc, elementAddress(descriptor, types.i64, words));
  return fn;
}

/// Builds the body of one workspace entry point: a loop checking the
/// inputs, then one checking the outputs, then the check of the workspace,
/// every failure branching to a shared `^fail(%status)` block that returns
/// the status; then loops that fill one descriptor per tensor, and the call
/// of the C interface (once per image of a dynamic batch). Everything is
/// checked before the C interface is called, so that an error leaves the
/// outputs untouched.
class EntryEmitter : public ABIBuilder {
public:
  EntryEmitter(OpBuilder &builder, Location loc, const ABITypes &types,
               LLVMFuncOp entry, LLVMFuncOp check, LLVMFuncOp describe)
      : ABIBuilder(builder, loc, types), entry(entry), check(check),
        describe(describe) {}

  /// `inputInfos` and `outputInfos` are the bnn_tensor_info arrays of the
  /// signature (null when empty).
  void emit(const EntrySignature &signature, const CInterface &ciface,
            GlobalOp inputInfos, GlobalOp outputInfos);

  /// The body of `bnn_entry_<name>`: the workspace entry `full` without a
  /// workspace.
  void emitWithoutWorkspace(LLVMFuncOp full);

private:
  /// Calls `check` on `tensors[0..count)` against `infos`.
  void emitChecks(Value tensors, GlobalOp infos, int64_t count,
                  Value batchSlot) {
    if (count == 0)
      return;
    Value infoArray = AddressOfOp::create(b, loc, infos);
    emitLoop(
        constant(types.i64, count), {}, failBlock, [&](Value i, ValueRange) {
          Value tensor = loadElement(tensors, types.ptr, i);
          Value info = elementAddress(infoArray, types.tensorInfo, i);
          Value status =
              CallOp::create(b, loc, check, ValueRange{tensor, info, batchSlot})
                  .getResult();
          failIf(notEqual(status, constant(types.i32, 0)), failBlock, status);
          return SmallVector<Value>{};
        });
  }

  /// Fills the descriptors of `tensors[0..count)`, the first at `slot`.
  void emitDescriptors(Value tensors, GlobalOp infos, int64_t count, Value slot,
                       Value image) {
    if (count == 0)
      return;
    Value infoArray = AddressOfOp::create(b, loc, infos);
    emitLoop(constant(types.i64, count), {slot}, failBlock,
             [&](Value i, ValueRange iters) {
               Value tensor = loadElement(tensors, types.ptr, i);
               Value info = elementAddress(infoArray, types.tensorInfo, i);
               Value next =
                   CallOp::create(b, loc, describe,
                                  ValueRange{tensor, info, iters[0], image})
                       .getResult();
               return SmallVector<Value>{next};
             });
  }

  LLVMFuncOp entry, check, describe;
  Block *failBlock = nullptr;
};

void EntryEmitter::emitWithoutWorkspace(LLVMFuncOp full) {
  Block *body = entry.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  Value status =
      CallOp::create(b, loc, full,
                     ValueRange{body->getArgument(0), body->getArgument(1),
                                ZeroOp::create(b, loc, types.ptr),
                                constant(types.i64, 0)})
          .getResult();
  ReturnOp::create(b, loc, status);
}

void EntryEmitter::emit(const EntrySignature &signature,
                        const CInterface &ciface, GlobalOp inputInfos,
                        GlobalOp outputInfos) {
  Block *body = entry.addEntryBlock(b);
  Value inputs = body->getArgument(0);
  Value outputs = body->getArgument(1);
  Value workspace = body->getArgument(2);
  Value workspaceBytes = body->getArgument(3);

  failBlock = b.createBlock(&entry.getBody(), entry.getBody().end(),
                            {types.i32}, {loc});
  ReturnOp::create(b, loc, failBlock->getArgument(0));

  // The descriptors (3 + 2 R words each, in the order of the C interface's
  // parameters) and the batch size are static allocas of the entry block:
  // part of the frame, allocated once per call, and nothing to free on any
  // path.
  b.setInsertionPointToStart(body);
  SmallVector<RankedTensorType> tensors(signature.inputs);
  tensors.append(signature.outputs);
  SmallVector<int64_t> slotWords;
  int64_t words = 0;
  for (RankedTensorType t : tensors) {
    slotWords.push_back(words);
    words += 3 + 2 * t.getRank();
  }
  Value one = constant(types.i64, 1);
  bool batched = llvm::any_of(tensors, mlir::bnn::isBatchedType);
  Value batchSlot = ZeroOp::create(b, loc, types.ptr);
  if (batched) {
    batchSlot = AllocaOp::create(b, loc, types.ptr, types.i64, one);
    StoreOp::create(b, loc, constant(types.i64, -1), batchSlot);
  }
  SmallVector<Value> slots;
  if (words > 0) {
    Value storage = AllocaOp::create(b, loc, types.ptr,
                                     LLVMArrayType::get(types.i64, words), one);
    for (int64_t offset : slotWords)
      slots.push_back(
          offset == 0
              ? storage
              : GEPOp::create(b, loc, types.ptr, types.i64, storage,
                              ArrayRef<GEPArg>{static_cast<int32_t>(offset)}));
  }

  // Every check, inputs then outputs, before anything is written.
  int64_t numInputs = signature.inputs.size();
  int64_t numOutputs = signature.outputs.size();
  emitChecks(inputs, inputInfos, numInputs, batchSlot);
  emitChecks(outputs, outputInfos, numOutputs, batchSlot);
  // A supplied workspace: aligned and large enough. Null means the
  // function's own (and a function without temporaries reads none).
  {
    Value address = PtrToIntOp::create(b, loc, types.i64, workspace);
    Value misaligned = notEqual(
        AndOp::create(b, loc, address,
                      constant(types.i64, kWorkspaceAlignment - 1)),
        constant(types.i64, 0));
    Value small = compare(ICmpPredicate::slt, workspaceBytes,
                          constant(types.i64, ciface.workspaceBytes));
    Value supplied = notEqual(address, constant(types.i64, 0));
    failIf(AndOp::create(b, loc, supplied, anyOf({misaligned, small})),
           failBlock, Status::BadWorkspace);
  }

  // All valid: describe the buffers and run the function, once per image
  // of a dynamic batch (batched tensors advance by one image each time).
  auto describeAndCall = [&](Value image) {
    if (numInputs > 0)
      emitDescriptors(inputs, inputInfos, numInputs, slots.front(), image);
    if (numOutputs > 0)
      emitDescriptors(outputs, outputInfos, numOutputs, slots[numInputs],
                      image);
    SmallVector<Value> operands(slots);
    if (ciface.takesWorkspace)
      operands.push_back(workspace);
    CallOp::create(b, loc, ciface.fn, operands);
  };
  Value ok = constant(types.i32, static_cast<int32_t>(Status::Ok));
  if (!batched) {
    describeAndCall(constant(types.i64, 0));
    ReturnOp::create(b, loc, ok);
    return;
  }
  Value batch = LoadOp::create(b, loc, types.i64, batchSlot);
  emitLoop(batch, {}, failBlock, [&](Value image, ValueRange) {
    describeAndCall(image);
    return SmallVector<Value>{};
  });
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

  /// The name and the bnn_tensor_info arrays of one entry (null arrays
  /// when empty).
  struct EntryGlobals {
    GlobalOp name, inputs, outputs;
  };
  /// Emits the names and tensor infos of `entries`, which the entry points
  /// read.
  SmallVector<EntryGlobals> emitEntryGlobals(ArrayRef<EntrySignature> entries);

  /// The entry points of one entry and its workspace's bytes.
  struct EntryFunctions {
    LLVMFuncOp plain, withWorkspace;
    int64_t workspaceBytes;
  };

  /// Returns the bnn_module_info global describing `entries`, whose entry
  /// points are `functions` and whose globals are `perEntry`.
  GlobalOp emitModuleInfo(ArrayRef<EntrySignature> entries,
                          ArrayRef<EntryFunctions> functions,
                          ArrayRef<EntryGlobals> perEntry);

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
                          ArrayRef<EntryFunctions> functions,
                          ArrayRef<EntryGlobals> perEntry);

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
      const bnn::runtime::ABIElement &dtype =
          *bnn::getABIElement(type.getElementType());
      // {ndim, {code, bits, lanes}, shape}
      set(idx, {0}, i32(ib, type.getRank()));
      set(idx, {1, 0}, ConstantOp::create(ib, loc, types.i8, dtype.code));
      set(idx, {1, 1}, ConstantOp::create(ib, loc, types.i8, dtype.bits));
      set(idx, {1, 2}, ConstantOp::create(ib, loc, types.i16, 1));
      set(idx, {2}, addressOrNull(ib, shapes[i]));
    }
    return array;
  });
}

SmallVector<MetadataEmitter::EntryGlobals>
MetadataEmitter::emitEntryGlobals(ArrayRef<EntrySignature> entries) {
  SmallVector<EntryGlobals> perEntry;
  for (const EntrySignature &entry : entries) {
    std::string prefix = ("__bnn_abi_" + entry.name.getValue()).str();
    perEntry.push_back({emitString(prefix, entry.name.getValue()),
                        emitTensorInfos(prefix + "_inputs", entry.inputs),
                        emitTensorInfos(prefix + "_outputs", entry.outputs)});
  }
  return perEntry;
}

/// The bnn_entry_info array; none (a null pointer) if there are no entries.
GlobalOp MetadataEmitter::emitEntryInfos(ArrayRef<EntrySignature> entries,
                                         ArrayRef<EntryFunctions> functions,
                                         ArrayRef<EntryGlobals> perEntry) {
  if (entries.empty())
    return nullptr;
  auto arrayType = LLVMArrayType::get(types.entryInfo, entries.size());
  return createGlobal("__bnn_abi_entries", arrayType, [&](OpBuilder &ib) {
    Value array = UndefOp::create(ib, loc, arrayType);
    for (auto [i, entry] : llvm::enumerate(entries)) {
      // {name, fn, num_inputs, num_outputs, inputs, outputs,
      //  workspace_bytes, fn_workspace}
      Value fields[] = {
          addressOrNull(ib, perEntry[i].name),
          AddressOfOp::create(ib, loc, functions[i].plain),
          i32(ib, entry.inputs.size()),
          i32(ib, entry.outputs.size()),
          addressOrNull(ib, perEntry[i].inputs),
          addressOrNull(ib, perEntry[i].outputs),
          ConstantOp::create(ib, loc, types.i64, functions[i].workspaceBytes),
          AddressOfOp::create(ib, loc, functions[i].withWorkspace)};
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
                                         ArrayRef<EntryFunctions> functions,
                                         ArrayRef<EntryGlobals> perEntry) {
  GlobalOp entryArray = emitEntryInfos(entries, functions, perEntry);
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

std::string entryName(const EntrySignature &entry) {
  return (BNN_ENTRY_PREFIX + entry.name.getValue()).str();
}
std::string workspaceEntryName(const EntrySignature &entry) {
  return (BNN_WORKSPACE_ENTRY_PREFIX + entry.name.getValue()).str();
}

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
    FailureOr<SmallVector<EntrySignature>> entries = readEntrySignatures(module);
    if (failed(entries))
      return signalPassFailure();

    SymbolTable symbols(module);
    ABITypes types(&getContext());

    // Check everything before creating anything, so that a failure leaves
    // the module as it was.
    SmallVector<CInterface> cifaces;
    for (const EntrySignature &entry : *entries) {
      FailureOr<CInterface> ciface =
          getCInterface(module, symbols, types, entry);
      if (failed(ciface) ||
          failed(checkFreeSymbol(symbols, entryName(entry))) ||
          failed(checkFreeSymbol(symbols, workspaceEntryName(entry))))
        return signalPassFailure();
      cifaces.push_back(*ciface);
    }
    if (failed(checkFreeSymbol(symbols, "bnn_module")))
      return signalPassFailure();

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = module.getLoc();
    // The shared per-tensor functions, then the entry points (their bodies
    // read the metadata, emitted after them).
    LLVMFuncOp check, describe;
    if (llvm::any_of(*entries, [](const EntrySignature &entry) {
          return !entry.inputs.empty() || !entry.outputs.empty();
        })) {
      TensorFunctionsEmitter tensorFunctions(b, loc, types);
      check = tensorFunctions.emitCheck(symbols);
      describe = tensorFunctions.emitDescribe(symbols);
    }
    SmallVector<MetadataEmitter::EntryFunctions> entryFns;
    SmallVector<LLVMFuncOp> exported;
    for (auto [entry, ciface] : llvm::zip_equal(*entries, cifaces)) {
      Location fnLoc = ciface.fn.getLoc();
      auto plain = LLVMFuncOp::create(
          b, fnLoc, entryName(entry),
          LLVMFunctionType::get(types.i32, {types.ptr, types.ptr}));
      auto withWorkspace = LLVMFuncOp::create(
          b, fnLoc, workspaceEntryName(entry),
          LLVMFunctionType::get(types.i32,
                                {types.ptr, types.ptr, types.ptr, types.i64}));
      symbols.insert(plain);
      symbols.insert(withWorkspace);
      entryFns.push_back({plain, withWorkspace, ciface.workspaceBytes});
      exported.append({plain, withWorkspace});
    }

    MetadataEmitter metadata(b, loc, types, symbols);
    SmallVector<MetadataEmitter::EntryGlobals> perEntry =
        metadata.emitEntryGlobals(*entries);
    GlobalOp moduleInfo = metadata.emitModuleInfo(*entries, entryFns, perEntry);
    for (auto [entry, ciface, fns, globals] :
         llvm::zip_equal(*entries, cifaces, entryFns, perEntry)) {
      OpBuilder::InsertionGuard guard(b);
      Location fnLoc = ciface.fn.getLoc();
      EntryEmitter(b, fnLoc, types, fns.withWorkspace, check, describe)
          .emit(entry, ciface, globals.inputs, globals.outputs);
      EntryEmitter(b, fnLoc, types, fns.plain, check, describe)
          .emitWithoutWorkspace(fns.withWorkspace);
    }

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
          !llvm::is_contained(exported, fn) &&
          fn.getName() != bnn::kSetNumThreadsName)
        fn.setLinkage(Linkage::Internal);

    module->removeAttr(kABIAttrName);
  }
};
} // namespace
