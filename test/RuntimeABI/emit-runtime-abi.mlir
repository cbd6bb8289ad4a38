// RUN: bnn-opt --bnn-lower-to-llvm %s | FileCheck %s

// The whole lowering: bnn-record-runtime-abi records the signatures, the
// upstream passes produce @_mlir_ciface_<name> with results as out-parameters,
// and bnn-emit-runtime-abi adds the DLPack entry points and the metadata.

func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tosa.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @mixed(%a: tensor<4xi8>, %b: tensor<i32>, %c: tensor<2x2xi1>, %d: tensor<3xui8>) -> (tensor<4xi32>, tensor<2x2xi1>) {
  %0 = tosa.cast %a : (tensor<4xi8>) -> tensor<4xi32>
  %true = arith.constant dense<true> : tensor<2x2xi1>
  %1 = arith.xori %c, %true : tensor<2x2xi1>
  return %0, %1 : tensor<4xi32>, tensor<2x2xi1>
}

func.func @constant() -> tensor<2xi32> {
  %0 = arith.constant dense<[7, 8]> : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// Private functions are not entry points.
func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// The recorded signatures are consumed; the lowered functions stay, with
// internal linkage: only the ABI symbols are exported.
// CHECK-NOT:   bnn.abi
// CHECK-LABEL: llvm.func internal @add(
// CHECK-LABEL: llvm.func internal @_mlir_ciface_add(
// CHECK-SAME:      !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-LABEL: llvm.func internal @_mlir_ciface_mixed(
// CHECK-LABEL: llvm.func internal @_mlir_ciface_constant(
// CHECK-LABEL: llvm.func internal @helper(
// CHECK-NOT:   llvm.func @bnn_entry_helper
// CHECK-NOT:   @_mlir_ciface_helper

//===----------------------------------------------------------------------===//
// __bnn_abi_check_tensor(tensor, info, batch): the checks of one tensor, in
// the order of the status codes, against its bnn_tensor_info. One function,
// never inlined, shared by every entry point: an entry point's code does not
// grow with its number of tensors.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func internal @__bnn_abi_check_tensor(
// CHECK-SAME:      %[[T:[a-z0-9]+]]: !llvm.ptr, %[[INFO:[a-z0-9]+]]: !llvm.ptr, %[[BATCH:[a-z0-9]+]]: !llvm.ptr) -> i32
// CHECK-SAME:      no_inline
// CHECK-DAG:     %[[C1_I32:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[C2_I32:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG:     %[[C3_I32:.*]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-DAG:     %[[C4_I32:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-DAG:     %[[C5_I32:.*]] = llvm.mlir.constant(5 : i32) : i32
// CHECK-DAG:     %[[C6_I32:.*]] = llvm.mlir.constant(6 : i32) : i32
// CHECK-DAG:     %[[C0_I32:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[C0:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG:     %[[C1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG:     %[[MINUS1:.*]] = llvm.mlir.constant(-1 : i64) : i64
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// The tensor and its data must not be null.
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[T]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[FAIL:bb[0-9]+]](%[[C1_I32]] : i32), ^bb
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, struct<(i32, i32)>, i32, struct<(i8, i8, i16)>, ptr, ptr, i64)>
// CHECK:         %[[DATA:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[DATA]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[FAIL]](%[[C1_I32]] : i32), ^bb
// device.device_type == kDLCPU (1).
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 1, 0]
// CHECK:         %[[V:.*]] = llvm.load %[[P]] : !llvm.ptr -> i32
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[V]], %[[C1_I32]] : i32
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C2_I32]] : i32), ^bb
// ndim == info->ndim.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 2]
// CHECK:         %[[V:.*]] = llvm.load %[[P]] : !llvm.ptr -> i32
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INFO]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(i32, struct<(i8, i8, i16)>, ptr)>
// CHECK:         %[[NDIM:.*]] = llvm.load %[[P]] : !llvm.ptr -> i32
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[V]], %[[NDIM]] : i32
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C3_I32]] : i32), ^bb
// dtype == info->dtype: code, bits and lanes.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 3, 0]
// CHECK:         %[[CODE:.*]] = llvm.load %[[P]] : !llvm.ptr -> i8
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INFO]][0, 1, 0]
// CHECK:         %[[WANT:.*]] = llvm.load %[[P]] : !llvm.ptr -> i8
// CHECK:         %[[B0:.*]] = llvm.icmp "ne" %[[CODE]], %[[WANT]] : i8
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 3, 1]
// CHECK:         %[[BITS:.*]] = llvm.load %[[P]] : !llvm.ptr -> i8
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INFO]][0, 1, 1]
// CHECK:         %[[WANT:.*]] = llvm.load %[[P]] : !llvm.ptr -> i8
// CHECK:         %[[B1:.*]] = llvm.icmp "ne" %[[BITS]], %[[WANT]] : i8
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 3, 2]
// CHECK:         %[[LANES:.*]] = llvm.load %[[P]] : !llvm.ptr -> i16
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INFO]][0, 1, 2]
// CHECK:         %[[WANT:.*]] = llvm.load %[[P]] : !llvm.ptr -> i16
// CHECK:         %[[B2:.*]] = llvm.icmp "ne" %[[LANES]], %[[WANT]] : i16
// CHECK:         %[[B01:.*]] = llvm.or %[[B0]], %[[B1]] : i1
// CHECK:         %[[BAD:.*]] = llvm.or %[[B01]], %[[B2]] : i1
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C4_I32]] : i32), ^bb
// Rank 0: done, neither shape nor strides are read.
// CHECK:         %[[SHAPED:.*]] = llvm.icmp "ne" %[[NDIM]], %[[C0_I32]] : i32
// CHECK:         llvm.cond_br %[[SHAPED]], ^bb{{[0-9]+}}, ^[[OK:bb[0-9]+]]
// shape != NULL, then shape[d] == info->shape[d] for d < ndim, where -1
// (a dynamic batch) is any N >= 0, the same for every batched tensor.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 4]
// CHECK:         %[[SHAPE:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[SHAPE]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[FAIL]](%[[C5_I32]] : i32), ^bb
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INFO]][0, 2]
// CHECK:         %[[EXPECTED:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[RANK:.*]] = llvm.zext %[[NDIM]] : i32 to i64
// CHECK:       ^[[SHAPE_LOOP:bb[0-9]+]](%[[D:.*]]: i64):
// CHECK:         llvm.icmp "slt" %[[D]], %[[RANK]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[SHAPE]][%[[D]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK:         %[[DIM:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[EXPECTED]][%[[D]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK:         %[[WANT:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[DYNAMIC:.*]] = llvm.icmp "eq" %[[WANT]], %[[MINUS1]] : i64
// CHECK:         llvm.cond_br %[[DYNAMIC]], ^[[BATCHED:bb[0-9]+]], ^[[FIXED:bb[0-9]+]]
// Strides (after the shape loop): NULL, or row-major from the innermost
// dimension out; dimensions of size 1 are not checked.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 5]
// CHECK:         %[[STRIDES:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[STRIDES]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[OK]], ^bb
// CHECK:       ^[[FIXED]]:
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[DIM]], %[[WANT]] : i64
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C5_I32]] : i32), ^bb
// The first batched tensor sets *batch (initially -1); a negative N is a
// shape error; later batched tensors must agree with it.
// CHECK:       ^[[BATCHED]]:
// CHECK:         %[[N:.*]] = llvm.load %[[BATCH]] : !llvm.ptr -> i64
// CHECK:         %[[UNSET:.*]] = llvm.icmp "slt" %[[N]], %[[C0]] : i64
// CHECK:         llvm.cond_br %[[UNSET]], ^[[FIRST:bb[0-9]+]], ^[[LATER:bb[0-9]+]]
// CHECK:       ^[[FIRST]]:
// CHECK:         %[[BAD:.*]] = llvm.icmp "slt" %[[DIM]], %[[C0]] : i64
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C5_I32]] : i32), ^bb
// CHECK:       ^[[LATER]]:
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[DIM]], %[[N]] : i64
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C5_I32]] : i32), ^bb
// CHECK:         llvm.store %[[DIM]], %[[BATCH]] : i64, !llvm.ptr
// CHECK:       ^[[STRIDE_LOOP:bb[0-9]+]](%[[J:.*]]: i64, %[[ROW_MAJOR:.*]]: i64):
// CHECK:         llvm.icmp "slt" %[[J]], %[[RANK]] : i64
// CHECK:         %[[LAST:.*]] = llvm.sub %[[RANK]], %[[C1]] : i64
// CHECK:         %[[DS:.*]] = llvm.sub %[[LAST]], %[[J]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[SHAPE]][%[[DS]]]
// CHECK:         %[[SIZE:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[STRIDES]][%[[DS]]]
// CHECK:         %[[STRIDE:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[NOT_ONE:.*]] = llvm.icmp "ne" %[[SIZE]], %[[C1]] : i64
// CHECK:         %[[WRONG:.*]] = llvm.icmp "ne" %[[STRIDE]], %[[ROW_MAJOR]] : i64
// CHECK:         %[[BAD:.*]] = llvm.and %[[NOT_ONE]], %[[WRONG]] : i1
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C6_I32]] : i32), ^bb
// CHECK:         llvm.mul %[[ROW_MAJOR]], %[[SIZE]] : i64
// CHECK:       ^[[OK]]:
// CHECK-NEXT:    llvm.return %[[C0_I32]] : i32
// CHECK-NEXT:  ^[[FAIL]](%[[STATUS:[0-9]+]]: i32):
// CHECK-NEXT:    llvm.return %[[STATUS]] : i32
// CHECK-NEXT:  }

//===----------------------------------------------------------------------===//
// __bnn_abi_describe_tensor(tensor, info, descriptor, image): writes the
// memref descriptor {data + byte_offset, same, 0, sizes, strides} (3 + 2 R
// words) with the metadata's sizes (1 for the batch) and row-major strides,
// and returns the address of the next descriptor.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func internal @__bnn_abi_describe_tensor(
// CHECK-SAME:      %[[T:[a-z0-9]+]]: !llvm.ptr, %[[INFO:[a-z0-9]+]]: !llvm.ptr, %[[DESC:[a-z0-9]+]]: !llvm.ptr, %[[IMAGE:[a-z0-9]+]]: i64) -> !llvm.ptr
// CHECK-SAME:      no_inline
// CHECK-DAG:     %[[C0:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG:     %[[C1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG:     %[[C3:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-DAG:     %[[MINUS1:.*]] = llvm.mlir.constant(-1 : i64) : i64
// CHECK:         %[[RANK:.*]] = llvm.zext %{{.*}} : i32 to i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INFO]][0, 2]
// CHECK:         %[[SHAPE:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:       ^bb{{[0-9]+}}(%[[J:.*]]: i64, %[[STRIDE:.*]]: i64):
// CHECK:         %[[D:.*]] = llvm.sub %{{.*}}, %[[J]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[SHAPE]][%[[D]]]
// CHECK:         %[[WANT:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[DYNAMIC:.*]] = llvm.icmp "eq" %[[WANT]], %[[MINUS1]] : i64
// CHECK:         %[[SIZE:.*]] = llvm.select %[[DYNAMIC]], %[[C1]], %[[WANT]] : i1, i64
// CHECK:         %[[W:.*]] = llvm.add %[[D]], %[[C3]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[DESC]][%[[W]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK:         llvm.store %[[SIZE]], %[[P]] : i64, !llvm.ptr
// CHECK:         %[[W2:.*]] = llvm.add %[[W]], %[[RANK]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[DESC]][%[[W2]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK:         llvm.store %[[STRIDE]], %[[P]] : i64, !llvm.ptr
// A batched tensor: image `image` is image * (elements of one image) *
// bits / 8 bytes further.
// CHECK:         llvm.mul %[[IMAGE]], %{{.*}} : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[T]][0, 6]
// CHECK:         %[[OFFSET:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[ADDR:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK:         llvm.store %[[ADDR]], %[[DESC]] : !llvm.ptr, !llvm.ptr
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[DESC]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         llvm.store %[[ADDR]], %[[P]] : !llvm.ptr, !llvm.ptr
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[DESC]][2] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         llvm.store %[[C0]], %[[P]] : i64, !llvm.ptr
// CHECK:         %[[RR:.*]] = llvm.add %[[RANK]], %[[RANK]] : i64
// CHECK:         %[[WORDS:.*]] = llvm.add %[[RR]], %[[C3]] : i64
// CHECK:         %[[NEXT:.*]] = llvm.getelementptr %[[DESC]][%[[WORDS]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK:         llvm.return %[[NEXT]] : !llvm.ptr

//===----------------------------------------------------------------------===//
// bnn_entry_add: bnn_workspace_entry_add without a workspace.
// bnn_workspace_entry_add: a loop checking the inputs, one checking the
// outputs, the check of the workspace, then loops filling the
// descriptors, and the call. Nothing is unrolled per tensor but the
// descriptor addresses of the call.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func @bnn_entry_add(
// CHECK-SAME:      %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr) -> i32
// CHECK-DAG:     %[[NONE:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[ZERO_BYTES:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK:         %[[S:.*]] = llvm.call @bnn_workspace_entry_add(%[[INS]], %[[OUTS]], %[[NONE]], %[[ZERO_BYTES]])
// CHECK-NEXT:    llvm.return %[[S]] : i32

// CHECK-LABEL: llvm.func @bnn_workspace_entry_add(
// CHECK-SAME:      %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr,
// CHECK-SAME:      %[[WS:[a-z0-9]+]]: !llvm.ptr, %[[WS_BYTES:[a-z0-9]+]]: i64) -> i32
// CHECK-DAG:     %[[BAD_WORKSPACE:.*]] = llvm.mlir.constant(7 : i32) : i32
// CHECK-DAG:     %[[C63:.*]] = llvm.mlir.constant(63 : i64) : i64
// CHECK-DAG:     %[[OUT_INFO:.*]] = llvm.mlir.addressof @__bnn_abi_add_outputs : !llvm.ptr
// CHECK-DAG:     %[[IN_INFO:.*]] = llvm.mlir.addressof @__bnn_abi_add_inputs : !llvm.ptr
// CHECK-DAG:     %[[C0_I32:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[C0:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG:     %[[C1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG:     %[[C2:.*]] = llvm.mlir.constant(2 : i64) : i64
// No batched tensor: no batch size to record.
// CHECK-DAG:     %[[NO_BATCH:.*]] = llvm.mlir.zero : !llvm.ptr
// Three rank-2 descriptors of 7 words, in the entry block.
// CHECK:         %[[DESC_A:.*]] = llvm.alloca %[[C1]] x !llvm.array<21 x i64>
// CHECK:         %[[DESC_B:.*]] = llvm.getelementptr %[[DESC_A]][7] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         %[[DESC_OUT:.*]] = llvm.getelementptr %[[DESC_A]][14] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NOT:     llvm.alloca
// for i < 2: status = check(inputs[i], &add_inputs[i]); fail if nonzero.
// CHECK:       ^bb{{[0-9]+}}(%[[I:.*]]: i64):
// CHECK:         llvm.icmp "slt" %[[I]], %[[C2]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INS]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[T:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[INFO:.*]] = llvm.getelementptr %[[IN_INFO]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, !llvm.struct<(i32, struct<(i8, i8, i16)>, ptr)>
// CHECK:         %[[STATUS:.*]] = llvm.call @__bnn_abi_check_tensor(%[[T]], %[[INFO]], %[[NO_BATCH]])
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[STATUS]], %[[C0_I32]] : i32
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL:bb[0-9]+]](%[[STATUS]] : i32), ^bb
// Then the output, before anything is written.
// CHECK:       ^bb{{[0-9]+}}(%[[I:.*]]: i64):
// CHECK:         llvm.icmp "slt" %[[I]], %[[C1]] : i64
// CHECK:         llvm.getelementptr %[[OUTS]][%[[I]]]
// CHECK:         llvm.getelementptr %[[OUT_INFO]][%[[I]]]
// CHECK:         llvm.call @__bnn_abi_check_tensor
// CHECK:         llvm.cond_br %{{.*}}, ^[[FAIL]](%{{.*}} : i32), ^bb
// A supplied workspace (not null) must be 64-byte aligned and hold the
// function's workspace bytes (none here).
// CHECK:         %[[ADDRESS:.*]] = llvm.ptrtoint %[[WS]] : !llvm.ptr to i64
// CHECK:         %[[LOW:.*]] = llvm.and %[[ADDRESS]], %[[C63]] : i64
// CHECK:         %[[MISALIGNED:.*]] = llvm.icmp "ne" %[[LOW]], %[[C0]] : i64
// CHECK:         %[[SMALL:.*]] = llvm.icmp "slt" %[[WS_BYTES]], %[[C0]] : i64
// CHECK:         %[[SUPPLIED:.*]] = llvm.icmp "ne" %[[ADDRESS]], %[[C0]] : i64
// CHECK:         %[[EITHER:.*]] = llvm.or %[[MISALIGNED]], %[[SMALL]] : i1
// CHECK:         %[[REFUSED:.*]] = llvm.and %[[SUPPLIED]], %[[EITHER]] : i1
// CHECK:         llvm.cond_br %[[REFUSED]], ^[[FAIL]](%[[BAD_WORKSPACE]] : i32), ^bb
// CHECK-NOT:     ^[[FAIL]]
// The descriptors, one after the other, from the first slot: inputs...
// CHECK:         llvm.br ^bb{{[0-9]+}}(%[[C0]], %[[DESC_A]] : i64, !llvm.ptr)
// CHECK:       ^bb{{[0-9]+}}(%[[I:.*]]: i64, %[[SLOT:.*]]: !llvm.ptr):
// CHECK:         llvm.icmp "slt" %[[I]], %[[C2]] : i64
// CHECK:         llvm.getelementptr %[[INS]][%[[I]]]
// CHECK:         llvm.getelementptr %[[IN_INFO]][%[[I]]]
// CHECK:         llvm.call @__bnn_abi_describe_tensor(%{{.*}}, %{{.*}}, %[[SLOT]], %[[C0]])
// ... and the output.
// CHECK:         llvm.br ^bb{{[0-9]+}}(%[[C0]], %[[DESC_OUT]] : i64, !llvm.ptr)
// CHECK:         llvm.call @__bnn_abi_describe_tensor
// CHECK:         llvm.call @_mlir_ciface_add(%[[DESC_A]], %[[DESC_B]], %[[DESC_OUT]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return %[[C0_I32]] : i32
// CHECK-NEXT:  ^[[FAIL]](%[[STATUS:[0-9]+]]: i32):
// CHECK-NEXT:    llvm.return %[[STATUS]] : i32
// CHECK-NEXT:  }

//===----------------------------------------------------------------------===//
// bnn_entry_mixed: descriptors of ranks 1, 0, 2, 1 and 1, 2 (5, 3, 7, 5,
// 5 and 7 words); the dtypes are the metadata's (below).
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func @bnn_workspace_entry_mixed(
// CHECK-DAG:     %[[C4:.*]] = llvm.mlir.constant(4 : i64) : i64
// CHECK-DAG:     %[[C2:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK:         %[[DESC0:.*]] = llvm.alloca %{{.*}} x !llvm.array<32 x i64>
// CHECK:         %[[DESC1:.*]] = llvm.getelementptr %[[DESC0]][5]
// CHECK:         %[[DESC2:.*]] = llvm.getelementptr %[[DESC0]][8]
// CHECK:         %[[DESC3:.*]] = llvm.getelementptr %[[DESC0]][15]
// CHECK:         %[[DESC4:.*]] = llvm.getelementptr %[[DESC0]][20]
// CHECK:         %[[DESC5:.*]] = llvm.getelementptr %[[DESC0]][25]
// CHECK:         llvm.icmp "slt" %{{.*}}, %[[C4]] : i64
// CHECK:         llvm.call @__bnn_abi_check_tensor
// CHECK:         llvm.icmp "slt" %{{.*}}, %[[C2]] : i64
// CHECK:         llvm.call @__bnn_abi_check_tensor
// CHECK:         llvm.call @__bnn_abi_describe_tensor
// CHECK:         llvm.br ^bb{{[0-9]+}}(%{{.*}}, %[[DESC4]] : i64, !llvm.ptr)
// CHECK:         llvm.call @__bnn_abi_describe_tensor
// CHECK:         llvm.call @_mlir_ciface_mixed(%[[DESC0]], %[[DESC1]], %[[DESC2]], %[[DESC3]], %[[DESC4]], %[[DESC5]])
// CHECK-NEXT:    llvm.return

//===----------------------------------------------------------------------===//
// bnn_entry_constant: no inputs, one output.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func @bnn_workspace_entry_constant(
// CHECK-SAME:      %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr,
// CHECK:         %[[DESC:.*]] = llvm.alloca %{{.*}} x !llvm.array<5 x i64>
// CHECK-NOT:     %[[INS]]
// CHECK:         llvm.getelementptr %[[OUTS]]
// CHECK-NOT:     %[[INS]]
// CHECK:         llvm.call @_mlir_ciface_constant(%[[DESC]]) : (!llvm.ptr) -> ()

//===----------------------------------------------------------------------===//
// Metadata: bnn_module_info -> bnn_entry_info[3] -> bnn_tensor_info[] ->
// shapes, all constant.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.mlir.global private constant @__bnn_abi_add_name("add\00")
// CHECK:       llvm.mlir.global private constant @[[ADD_IN0_SHAPE:[a-z0-9_]+]](dense<[2, 3]> : tensor<2xi64>) {{.*}} : !llvm.array<2 x i64>
// CHECK:       llvm.mlir.global private constant @[[ADD_IN1_SHAPE:[a-z0-9_]+]](dense<[2, 3]> : tensor<2xi64>) {{.*}} : !llvm.array<2 x i64>
// CHECK:       llvm.mlir.global private constant @[[ADD_INPUTS:[a-z0-9_]+]]() {{.*}} : !llvm.array<2 x struct<(i32, struct<(i8, i8, i16)>, ptr)>> {
// CHECK-DAG:     %[[SHAPE1:.*]] = llvm.mlir.addressof @[[ADD_IN1_SHAPE]] : !llvm.ptr
// CHECK-DAG:     %[[SHAPE0:.*]] = llvm.mlir.addressof @[[ADD_IN0_SHAPE]] : !llvm.ptr
// CHECK-DAG:     %[[LANES:.*]] = llvm.mlir.constant(1 : i16) : i16
// CHECK-DAG:     %[[BITS:.*]] = llvm.mlir.constant(32 : i8) : i8
// CHECK-DAG:     %[[CODE:.*]] = llvm.mlir.constant(2 : i8) : i8
// CHECK-DAG:     %[[NDIM:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[NDIM]], %{{.*}}[0, 0]
// CHECK:         %[[V1:.*]] = llvm.insertvalue %[[CODE]], %[[V]][0, 1, 0]
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[BITS]], %[[V1]][0, 1, 1]
// CHECK:         %[[V1:.*]] = llvm.insertvalue %[[LANES]], %[[V]][0, 1, 2]
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[SHAPE0]], %[[V1]][0, 2]
// CHECK:         llvm.insertvalue %[[SHAPE1]], %{{.*}}[1, 2]
// CHECK:       llvm.mlir.global private constant @[[ADD_OUTPUTS:__bnn_abi_add_outputs]]()

// The rank-0 input of mixed has a null shape.
// tensor<4xi8>: {kDLInt, 8, 1}; tensor<i32>: rank 0, {kDLInt, 32, 1};
// tensor<2x2xi1>: {kDLBool, 8, 1}; tensor<3xui8>: {kDLUInt, 8, 1}.
// CHECK-LABEL: llvm.mlir.global private constant @__bnn_abi_mixed_inputs()
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[BOOL:.*]] = llvm.mlir.constant(6 : i8) : i8
// CHECK-DAG:     %[[UINT:.*]] = llvm.mlir.constant(1 : i8) : i8
// CHECK-DAG:     %[[INT:.*]] = llvm.mlir.constant(0 : i8) : i8
// CHECK-DAG:     %[[BITS8:.*]] = llvm.mlir.constant(8 : i8) : i8
// CHECK-DAG:     %[[BITS32:.*]] = llvm.mlir.constant(32 : i8) : i8
// CHECK:         llvm.insertvalue %[[INT]], %{{.*}}[0, 1, 0]
// CHECK-NEXT:    llvm.insertvalue %[[BITS8]], %{{.*}}[0, 1, 1]
// CHECK:         llvm.insertvalue %[[INT]], %{{.*}}[1, 1, 0]
// CHECK-NEXT:    llvm.insertvalue %[[BITS32]], %{{.*}}[1, 1, 1]
// CHECK:         llvm.insertvalue %[[NULL]], %{{.*}}[1, 2]
// CHECK:         llvm.insertvalue %[[BOOL]], %{{.*}}[2, 1, 0]
// CHECK:         llvm.insertvalue %[[UINT]], %{{.*}}[3, 1, 0]

// The entries, in the order of the functions; no inputs means a null array.
// CHECK-LABEL: llvm.mlir.global private constant @__bnn_abi_entries() {{.*}} : !llvm.array<3 x struct<(ptr, ptr, i32, i32, ptr, ptr, i64, ptr)>> {
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[ADD_NAME:.*]] = llvm.mlir.addressof @__bnn_abi_add_name : !llvm.ptr
// CHECK-DAG:     %[[ADD_FN:.*]] = llvm.mlir.addressof @bnn_entry_add : !llvm.ptr
// CHECK-DAG:     %[[ADD_WS_FN:.*]] = llvm.mlir.addressof @bnn_workspace_entry_add : !llvm.ptr
// CHECK-DAG:     %[[NO_BYTES:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG:     %[[ADD_IN:.*]] = llvm.mlir.addressof @[[ADD_INPUTS]] : !llvm.ptr
// CHECK-DAG:     %[[ADD_OUT:.*]] = llvm.mlir.addressof @[[ADD_OUTPUTS]] : !llvm.ptr
// CHECK-DAG:     %[[MIXED_FN:.*]] = llvm.mlir.addressof @bnn_entry_mixed : !llvm.ptr
// CHECK-DAG:     %[[CONSTANT_FN:.*]] = llvm.mlir.addressof @bnn_entry_constant : !llvm.ptr
// CHECK-DAG:     %[[TWO:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG:     %[[ONE:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[FOUR:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-DAG:     %[[ZERO:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK:         llvm.insertvalue %[[ADD_NAME]], %{{.*}}[0, 0]
// CHECK-NEXT:    llvm.insertvalue %[[ADD_FN]], %{{.*}}[0, 1]
// CHECK-NEXT:    llvm.insertvalue %[[TWO]], %{{.*}}[0, 2]
// CHECK-NEXT:    llvm.insertvalue %[[ONE]], %{{.*}}[0, 3]
// CHECK-NEXT:    llvm.insertvalue %[[ADD_IN]], %{{.*}}[0, 4]
// CHECK-NEXT:    llvm.insertvalue %[[ADD_OUT]], %{{.*}}[0, 5]
// CHECK-NEXT:    llvm.insertvalue %[[NO_BYTES]], %{{.*}}[0, 6]
// CHECK-NEXT:    llvm.insertvalue %[[ADD_WS_FN]], %{{.*}}[0, 7]
// CHECK:         llvm.insertvalue %[[MIXED_FN]], %{{.*}}[1, 1]
// CHECK-NEXT:    llvm.insertvalue %[[FOUR]], %{{.*}}[1, 2]
// CHECK-NEXT:    llvm.insertvalue %[[TWO]], %{{.*}}[1, 3]
// CHECK:         llvm.insertvalue %[[CONSTANT_FN]], %{{.*}}[2, 1]
// CHECK-NEXT:    llvm.insertvalue %[[ZERO]], %{{.*}}[2, 2]
// CHECK-NEXT:    llvm.insertvalue %[[ONE]], %{{.*}}[2, 3]
// CHECK-NEXT:    llvm.insertvalue %[[NULL]], %{{.*}}[2, 4]

// {BNN_ABI_VERSION, 3 entries, entries}.
// CHECK-LABEL: llvm.mlir.global private constant @__bnn_abi_module() {{.*}} : !llvm.struct<(i32, i32, ptr)> {
// CHECK-DAG:     %[[ENTRIES:.*]] = llvm.mlir.addressof @__bnn_abi_entries : !llvm.ptr
// CHECK-DAG:     %[[COUNT:.*]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-DAG:     %[[VERSION:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[VERSION]], %{{.*}}[0]
// CHECK-NEXT:    %[[V1:.*]] = llvm.insertvalue %[[COUNT]], %[[V]][1]
// CHECK-NEXT:    %[[V:.*]] = llvm.insertvalue %[[ENTRIES]], %[[V1]][2]
// CHECK-NEXT:    llvm.return %[[V]]

// CHECK-LABEL: llvm.func @bnn_module() -> !llvm.ptr
// CHECK-NEXT:    %[[INFO:.*]] = llvm.mlir.addressof @__bnn_abi_module : !llvm.ptr
// CHECK-NEXT:    llvm.return %[[INFO]] : !llvm.ptr
