// RUN: bnn-opt --bnn-emit-runtime-abi --split-input-file %s | FileCheck %s

// bnn-emit-runtime-abi alone, on hand-written LLVM-dialect modules.

// No entry points: bnn_module still exists, with no entries. Private names
// that are taken are made unique; the existing symbol is kept.

// CHECK-LABEL: module {
// CHECK:         llvm.mlir.global private constant @__bnn_abi_module(0 : i32)
// CHECK:         llvm.mlir.global private constant @[[INFO:__bnn_abi_module_[0-9]+]]() {{.*}} : !llvm.struct<(i32, i32, ptr)> {
// CHECK-DAG:       %[[VERSION:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG:       %[[ZERO:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:       %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK:           %[[V:.*]] = llvm.insertvalue %[[VERSION]], %{{.*}}[0]
// CHECK:           %[[V1:.*]] = llvm.insertvalue %[[ZERO]], %[[V]][1]
// CHECK:           llvm.insertvalue %[[NULL]], %[[V1]][2]
// CHECK:         llvm.func @bnn_module() -> !llvm.ptr {
// CHECK-NEXT:      %[[P:.*]] = llvm.mlir.addressof @[[INFO]] : !llvm.ptr
// CHECK-NEXT:      llvm.return %[[P]]
module attributes {bnn.abi = []} {
  llvm.mlir.global private constant @__bnn_abi_module(0 : i32) : i32
}

// -----

// A declared C interface cannot be inspected, only its type is checked. A
// rank-0 input has no shape in the metadata; ui4 travels as {kDLUInt, 8, 1}.
// The shared check and describe functions come first; the entry point
// checks its tensors against the metadata with them, and passes
// descriptors of 3 (rank 0) and 5 (rank 1) words.

// CHECK-LABEL: module {
// CHECK:         llvm.func @_mlir_ciface_scale(!llvm.ptr, !llvm.ptr)
// CHECK:         llvm.func internal @__bnn_abi_check_tensor(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) -> i32 attributes {no_inline}
// CHECK:         llvm.func internal @__bnn_abi_describe_tensor(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64) -> !llvm.ptr attributes {no_inline}
// CHECK-LABEL:   llvm.func @bnn_workspace_entry_scale(
// CHECK:           %[[IN:.*]] = llvm.alloca %{{.*}} x !llvm.array<8 x i64>
// CHECK:           %[[OUT:.*]] = llvm.getelementptr %[[IN]][3] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:           llvm.mlir.addressof @__bnn_abi_scale_inputs
// CHECK:           llvm.call @__bnn_abi_check_tensor
// CHECK:           llvm.mlir.addressof @__bnn_abi_scale_outputs
// CHECK:           llvm.call @__bnn_abi_check_tensor
// CHECK:           llvm.call @__bnn_abi_describe_tensor
// CHECK:           llvm.call @__bnn_abi_describe_tensor
// CHECK:           llvm.call @_mlir_ciface_scale(%[[IN]], %[[OUT]])
// CHECK-LABEL:   llvm.mlir.global private constant @__bnn_abi_scale_inputs()
// CHECK:           %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT:      llvm.insertvalue %[[NULL]], %{{.*}}[0, 2]
// CHECK:         llvm.mlir.global private constant @__bnn_abi_scale_outputs_shape0(dense<3> : tensor<1xi64>)
// CHECK:         llvm.mlir.global private constant @__bnn_abi_scale_outputs()
// CHECK:           %[[UINT:.*]] = llvm.mlir.constant(1 : i8) : i8
// CHECK-NEXT:      llvm.insertvalue %[[UINT]], %{{.*}}[0, 1, 0]
// CHECK-NEXT:      %[[BITS:.*]] = llvm.mlir.constant(8 : i8) : i8
// CHECK-NEXT:      llvm.insertvalue %[[BITS]], %{{.*}}[0, 1, 1]
// CHECK:         llvm.func @bnn_module()
// CHECK-NOT:     bnn.abi
module attributes {bnn.abi = [{name = "scale", inputs = [tensor<f32>], outputs = [tensor<3xui4>]}]} {
  llvm.func @_mlir_ciface_scale(!llvm.ptr, !llvm.ptr)
}

// -----

// A function with a workspace (bnn-plan-workspace's attribute): its C
// interface takes the workspace last; the workspace entry refuses a
// supplied one smaller than 256 bytes and passes it on; the metadata
// records the size.

// CHECK-LABEL: module {
// CHECK-LABEL:   llvm.func @bnn_workspace_entry_work(
// CHECK-SAME:        %[[INS:[a-z0-9]+]]: !llvm.ptr, %[[OUTS:[a-z0-9]+]]: !llvm.ptr, %[[WS:[a-z0-9]+]]: !llvm.ptr, %[[BYTES:[a-z0-9]+]]: i64) -> i32
// CHECK:           %[[IN:.*]] = llvm.alloca %{{.*}} x !llvm.array<10 x i64>
// CHECK:           %[[OUT:.*]] = llvm.getelementptr %[[IN]][5]
// CHECK:           %[[NEED:.*]] = llvm.mlir.constant(256 : i64) : i64
// CHECK-NEXT:      llvm.icmp "slt" %[[BYTES]], %[[NEED]] : i64
// CHECK:           llvm.call @_mlir_ciface_work(%[[IN]], %[[OUT]], %[[WS]])
// CHECK-LABEL:   llvm.mlir.global private constant @__bnn_abi_entries()
// CHECK:           %[[SIZE:.*]] = llvm.mlir.constant(256 : i64) : i64
// CHECK:           llvm.insertvalue %[[SIZE]], %{{.*}}[0, 6]
module attributes {bnn.abi = [{name = "work", inputs = [tensor<4xf32>], outputs = [tensor<4xf32>]}]} {
  llvm.func @_mlir_ciface_work(!llvm.ptr, !llvm.ptr, !llvm.ptr) attributes {bnn.workspace_bytes = 256 : i64}
}
