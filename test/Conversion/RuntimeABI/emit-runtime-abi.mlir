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
// bnn_entry_add: every check of input 0 in detail, in the order of the status
// codes; the other tensors the same way.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func @bnn_entry_add(
// CHECK-SAME:      %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr) -> i32
// CHECK-DAG:     %[[C0_I32:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[C1_I32:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[C2_I32:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG:     %[[C3_I32:.*]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-DAG:     %[[C4_I32:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-DAG:     %[[C5_I32:.*]] = llvm.mlir.constant(5 : i32) : i32
// CHECK-DAG:     %[[C6_I32:.*]] = llvm.mlir.constant(6 : i32) : i32
// CHECK-DAG:     %[[FLOAT:.*]] = llvm.mlir.constant(2 : i8) : i8
// CHECK-DAG:     %[[BITS32:.*]] = llvm.mlir.constant(32 : i8) : i8
// CHECK-DAG:     %[[LANES:.*]] = llvm.mlir.constant(1 : i16) : i16
// CHECK-DAG:     %[[C0:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG:     %[[C1:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG:     %[[C2:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:     %[[C3:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[UNDEF:.*]] = llvm.mlir.undef : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>

// One descriptor per tensor, in the entry block.
// CHECK:         %[[DESC_A:.*]] = llvm.alloca %[[C1]] x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         %[[DESC_B:.*]] = llvm.alloca %[[C1]] x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         %[[DESC_OUT:.*]] = llvm.alloca %[[C1]] x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>

// inputs[0] and its data must not be null.
// CHECK:         %[[A:.*]] = llvm.load %[[INS]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[A]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[FAIL:bb[0-9]+]](%[[C1_I32]] : i32), ^bb
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, struct<(i32, i32)>, i32, struct<(i8, i8, i16)>, ptr, ptr, i64)>
// CHECK:         %[[DATA_A:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[DATA_A]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[FAIL]](%[[C1_I32]] : i32), ^bb
// device.device_type == kDLCPU (1).
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 1, 0]
// CHECK:         %[[V:.*]] = llvm.load %[[P]] : !llvm.ptr -> i32
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[V]], %[[C1_I32]] : i32
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C2_I32]] : i32), ^bb
// ndim == 2.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 2]
// CHECK:         %[[V:.*]] = llvm.load %[[P]] : !llvm.ptr -> i32
// CHECK:         %[[BAD:.*]] = llvm.icmp "ne" %[[V]], %[[C2_I32]] : i32
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C3_I32]] : i32), ^bb
// dtype == {kDLFloat, 32, 1}.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 3, 0]
// CHECK:         %[[CODE:.*]] = llvm.load %[[P]] : !llvm.ptr -> i8
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 3, 1]
// CHECK:         %[[BITS:.*]] = llvm.load %[[P]] : !llvm.ptr -> i8
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 3, 2]
// CHECK:         %[[NLANES:.*]] = llvm.load %[[P]] : !llvm.ptr -> i16
// CHECK:         %[[B0:.*]] = llvm.icmp "ne" %[[CODE]], %[[FLOAT]] : i8
// CHECK:         %[[B1:.*]] = llvm.icmp "ne" %[[BITS]], %[[BITS32]] : i8
// CHECK:         %[[B2:.*]] = llvm.icmp "ne" %[[NLANES]], %[[LANES]] : i16
// CHECK:         %[[B01:.*]] = llvm.or %[[B0]], %[[B1]] : i1
// CHECK:         %[[BAD:.*]] = llvm.or %[[B01]], %[[B2]] : i1
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C4_I32]] : i32), ^bb
// shape != NULL and shape == [2, 3].
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 4]
// CHECK:         %[[SHAPE:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[SHAPE]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[FAIL]](%[[C5_I32]] : i32), ^bb
// CHECK:         %[[D0:.*]] = llvm.load %[[SHAPE]] : !llvm.ptr -> i64
// CHECK:         %[[B0:.*]] = llvm.icmp "ne" %[[D0]], %[[C2]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[SHAPE]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         %[[D1:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[B1:.*]] = llvm.icmp "ne" %[[D1]], %[[C3]] : i64
// CHECK:         %[[BAD:.*]] = llvm.or %[[B0]], %[[B1]] : i1
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C5_I32]] : i32), ^bb
// strides == NULL or strides == [3, 1].
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 5]
// CHECK:         %[[STRIDES:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[IS_NULL:.*]] = llvm.icmp "eq" %[[STRIDES]], %[[NULL]] : !llvm.ptr
// CHECK:         llvm.cond_br %[[IS_NULL]], ^[[STRIDES_OK:bb[0-9]+]], ^[[COMPARE:bb[0-9]+]]
// CHECK:       ^[[COMPARE]]:
// CHECK:         %[[S0:.*]] = llvm.load %[[STRIDES]] : !llvm.ptr -> i64
// CHECK:         %[[B0:.*]] = llvm.icmp "ne" %[[S0]], %[[C3]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[STRIDES]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         %[[S1:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[B1:.*]] = llvm.icmp "ne" %[[S1]], %[[C1]] : i64
// CHECK:         %[[BAD:.*]] = llvm.or %[[B0]], %[[B1]] : i1
// CHECK:         llvm.cond_br %[[BAD]], ^[[FAIL]](%[[C6_I32]] : i32), ^[[STRIDES_OK]]
// The first element is at data + byte_offset.
// CHECK:       ^[[STRIDES_OK]]:
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[A]][0, 6]
// CHECK:         %[[OFFSET:.*]] = llvm.load %[[P]] : !llvm.ptr -> i64
// CHECK:         %[[ADDR_A:.*]] = llvm.getelementptr %[[DATA_A]][%[[OFFSET]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8

// inputs[1], then outputs[0], before anything is called.
// CHECK:         %[[P:.*]] = llvm.getelementptr %[[INS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[B:.*]] = llvm.load %[[P]] : !llvm.ptr -> !llvm.ptr
// CHECK-COUNT-8: llvm.cond_br {{.*}}^[[FAIL]]
// CHECK:         %[[ADDR_B:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK:         %[[OUT:.*]] = llvm.load %[[OUTS]] : !llvm.ptr -> !llvm.ptr
// CHECK-COUNT-8: llvm.cond_br {{.*}}^[[FAIL]]
// CHECK:         %[[ADDR_OUT:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NOT:     llvm.cond_br

// Descriptors {data + byte_offset, data + byte_offset, 0, [2, 3], [3, 1]}.
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[ADDR_A]], %[[UNDEF]][0]
// CHECK:         %[[V1:.*]] = llvm.insertvalue %[[ADDR_A]], %[[V]][1]
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[C0]], %[[V1]][2]
// CHECK:         %[[V1:.*]] = llvm.insertvalue %[[C2]], %[[V]][3, 0]
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[C3]], %[[V1]][4, 0]
// CHECK:         %[[V1:.*]] = llvm.insertvalue %[[C3]], %[[V]][3, 1]
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[C1]], %[[V1]][4, 1]
// CHECK:         llvm.store %[[V]], %[[DESC_A]]
// CHECK:         llvm.insertvalue %[[ADDR_B]], %[[UNDEF]][0]
// CHECK:         llvm.store %{{.*}}, %[[DESC_B]]
// CHECK:         llvm.insertvalue %[[ADDR_OUT]], %[[UNDEF]][0]
// CHECK:         llvm.store %{{.*}}, %[[DESC_OUT]]
// CHECK:         llvm.call @_mlir_ciface_add(%[[DESC_A]], %[[DESC_B]], %[[DESC_OUT]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return %[[C0_I32]] : i32
// CHECK-NEXT:  ^[[FAIL]](%[[STATUS:[0-9]+]]: i32):
// CHECK-NEXT:    llvm.return %[[STATUS]] : i32
// CHECK-NEXT:  }

//===----------------------------------------------------------------------===//
// bnn_entry_mixed: the dtypes of i8, i32, i1 and ui8, and a rank-0 tensor.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func @bnn_entry_mixed(
// CHECK-SAME:      %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr) -> i32
// CHECK-DAG:     %[[C0_I32:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[C1_I32:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[C2_I32:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG:     %[[INT:.*]] = llvm.mlir.constant(0 : i8) : i8
// CHECK-DAG:     %[[UINT:.*]] = llvm.mlir.constant(1 : i8) : i8
// CHECK-DAG:     %[[BOOL:.*]] = llvm.mlir.constant(6 : i8) : i8
// CHECK-DAG:     %[[BITS8:.*]] = llvm.mlir.constant(8 : i8) : i8
// CHECK-DAG:     %[[BITS32:.*]] = llvm.mlir.constant(32 : i8) : i8
// CHECK-DAG:     %[[C4:.*]] = llvm.mlir.constant(4 : i64) : i64
// CHECK:         %[[DESC0:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK:         %[[DESC1:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64)>
// CHECK:         %[[DESC2:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         %[[DESC3:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK:         %[[DESC4:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK:         %[[DESC5:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// tensor<4xi8>: rank 1, {kDLInt, 8, 1}, shape [4].
// CHECK:         llvm.load %[[INS]] : !llvm.ptr -> !llvm.ptr
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[C1_I32]] : i32
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[C1_I32]] : i32
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[INT]] : i8
// CHECK-NEXT:    llvm.icmp "ne" %{{.*}}, %[[BITS8]] : i8
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[C4]] : i64
// tensor<i32>: rank 0, {kDLInt, 32, 1}; neither shape nor strides are read.
// CHECK:         llvm.getelementptr %[[INS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[C0_I32]] : i32
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[INT]] : i8
// CHECK-NEXT:    llvm.icmp "ne" %{{.*}}, %[[BITS32]] : i8
// CHECK-NOT:     [0, 4]
// CHECK-NOT:     [0, 5]
// CHECK:         llvm.getelementptr %{{.*}}[0, 6]
// tensor<2x2xi1>: {kDLBool, 8, 1}.
// CHECK:         llvm.getelementptr %[[INS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[C2_I32]] : i32
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[BOOL]] : i8
// CHECK-NEXT:    llvm.icmp "ne" %{{.*}}, %[[BITS8]] : i8
// tensor<3xui8>: {kDLUInt, 8, 1}.
// CHECK:         llvm.getelementptr %[[INS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[UINT]] : i8
// CHECK-NEXT:    llvm.icmp "ne" %{{.*}}, %[[BITS8]] : i8
// Outputs tensor<4xi32> and tensor<2x2xi1>.
// CHECK:         llvm.load %[[OUTS]] : !llvm.ptr -> !llvm.ptr
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[INT]] : i8
// CHECK-NEXT:    llvm.icmp "ne" %{{.*}}, %[[BITS32]] : i8
// CHECK:         llvm.getelementptr %[[OUTS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         llvm.icmp "ne" %{{.*}}, %[[BOOL]] : i8
// CHECK-NEXT:    llvm.icmp "ne" %{{.*}}, %[[BITS8]] : i8
// The rank-0 descriptor is {data, data, 0}.
// CHECK:         llvm.store %{{.*}}, %[[DESC0]]
// CHECK:         %[[V:.*]] = llvm.insertvalue %{{.*}}, %{{.*}}[2] : !llvm.struct<(ptr, ptr, i64)>
// CHECK-NEXT:    llvm.store %[[V]], %[[DESC1]]
// CHECK:         llvm.call @_mlir_ciface_mixed(%[[DESC0]], %[[DESC1]], %[[DESC2]], %[[DESC3]], %[[DESC4]], %[[DESC5]])
// CHECK-NEXT:    llvm.return %[[C0_I32]] : i32

//===----------------------------------------------------------------------===//
// bnn_entry_constant: no inputs, one output.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: llvm.func @bnn_entry_constant(
// CHECK-SAME:      %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr) -> i32
// CHECK:         %[[DESC:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK-NOT:     %[[INS]]
// CHECK:         llvm.load %[[OUTS]] : !llvm.ptr -> !llvm.ptr
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
// CHECK-LABEL: llvm.mlir.global private constant @__bnn_abi_mixed_inputs()
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[BOOL:.*]] = llvm.mlir.constant(6 : i8) : i8
// CHECK-DAG:     %[[UINT:.*]] = llvm.mlir.constant(1 : i8) : i8
// CHECK:         llvm.insertvalue %[[NULL]], %{{.*}}[1, 2]
// CHECK:         llvm.insertvalue %[[BOOL]], %{{.*}}[2, 1, 0]
// CHECK:         llvm.insertvalue %[[UINT]], %{{.*}}[3, 1, 0]

// The entries, in the order of the functions; no inputs means a null array.
// CHECK-LABEL: llvm.mlir.global private constant @__bnn_abi_entries() {{.*}} : !llvm.array<3 x struct<(ptr, ptr, i32, i32, ptr, ptr)>> {
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[ADD_NAME:.*]] = llvm.mlir.addressof @__bnn_abi_add_name : !llvm.ptr
// CHECK-DAG:     %[[ADD_FN:.*]] = llvm.mlir.addressof @bnn_entry_add : !llvm.ptr
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
// CHECK-DAG:     %[[VERSION:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK:         %[[V:.*]] = llvm.insertvalue %[[VERSION]], %{{.*}}[0]
// CHECK-NEXT:    %[[V1:.*]] = llvm.insertvalue %[[COUNT]], %[[V]][1]
// CHECK-NEXT:    %[[V:.*]] = llvm.insertvalue %[[ENTRIES]], %[[V1]][2]
// CHECK-NEXT:    llvm.return %[[V]]

// CHECK-LABEL: llvm.func @bnn_module() -> !llvm.ptr
// CHECK-NEXT:    %[[INFO:.*]] = llvm.mlir.addressof @__bnn_abi_module : !llvm.ptr
// CHECK-NEXT:    llvm.return %[[INFO]] : !llvm.ptr
