// RUN: bnn-opt %s --bnn-lower-byte-dot="byte-dot=x86-vnni" | FileCheck %s --check-prefix=VNNI
// RUN: bnn-opt %s --bnn-lower-byte-dot="byte-dot=arm-usdot" | FileCheck %s --check-prefix=USDOT
// RUN: bnn-opt %s --bnn-lower-byte-dot="byte-dot=x86-pmaddwd" | FileCheck %s --check-prefix=PMADDWD
// RUN: bnn-opt %s --bnn-lower-byte-dot="byte-dot=arm-sdot" | FileCheck %s --check-prefix=SDOT
// RUN: bnn-opt %s --bnn-lower-byte-dot | FileCheck %s --check-prefix=GENERIC
// RUN: not bnn-opt %s --bnn-lower-byte-dot="byte-dot=sdot" 2>&1 | FileCheck %s --check-prefix=BADOPT

// VNNI has vpdpbusd for 16, 8 and 4 lanes; usdot 4 and 2 lanes. Other
// lengths, and the generic lowering, multiply widened bytes (unsigned a,
// signed w) and add byte j of every lane.

// VNNI-LABEL: func.func @lanes16
// VNNI:         %[[A:.*]] = vector.bitcast %arg1 : vector<16xi32> to vector<64xi8>
// VNNI:         %[[W:.*]] = vector.bitcast %arg2 : vector<16xi32> to vector<64xi8>
// VNNI:         llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%arg0, %[[A]], %[[W]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// USDOT-LABEL: func.func @lanes16
// USDOT-NOT:     llvm.call_intrinsic
// USDOT:         arith.extui
// GENERIC-LABEL: func.func @lanes16
// GENERIC-NOT:   llvm.call_intrinsic
// GENERIC-DAG:   %[[A:.*]] = vector.bitcast %arg1 : vector<16xi32> to vector<64xi8>
// GENERIC-DAG:   %[[W:.*]] = vector.bitcast %arg2 : vector<16xi32> to vector<64xi8>
// GENERIC-DAG:   %[[AX:.*]] = arith.extui %[[A]] : vector<64xi8> to vector<64xi32>
// GENERIC-DAG:   %[[WX:.*]] = arith.extsi %[[W]] : vector<64xi8> to vector<64xi32>
// GENERIC:       %[[P:.*]] = arith.muli %[[AX]], %[[WX]] : vector<64xi32>
// GENERIC:       %[[B0:.*]] = vector.shuffle %[[P]], %[[P]] [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]
// GENERIC:       %[[B1:.*]] = vector.shuffle %[[P]], %[[P]] [1, 5, 9,
// GENERIC:       %[[S1:.*]] = arith.addi %[[B0]], %[[B1]]
// GENERIC:       %[[B2:.*]] = vector.shuffle %[[P]], %[[P]] [2, 6, 10,
// GENERIC:       %[[S2:.*]] = arith.addi %[[S1]], %[[B2]]
// GENERIC:       %[[B3:.*]] = vector.shuffle %[[P]], %[[P]] [3, 7, 11,
// GENERIC:       %[[S3:.*]] = arith.addi %[[S2]], %[[B3]]
// GENERIC:       arith.addi %arg0, %[[S3]] : vector<16xi32>
func.func @lanes16(%acc: vector<16xi32>, %a: vector<16xi32>, %w: vector<16xi32>) -> vector<16xi32> {
  %r = bnn.byte_dot %acc, %a, %w : vector<16xi32>
  return %r : vector<16xi32>
}

// pmaddwd: each 16-bit half (b0, b1) of a lane is split into b0 and b1
// widened in place (a by mask and logical shift, w by arithmetic shifts);
// one pmaddwd sums the even products of a lane, one the odd.
// PMADDWD-LABEL: func.func @lanes16
// PMADDWD-DAG:   %[[A:.*]] = vector.bitcast %arg1 : vector<16xi32> to vector<32xi16>
// PMADDWD-DAG:   %[[W:.*]] = vector.bitcast %arg2 : vector<16xi32> to vector<32xi16>
// PMADDWD-DAG:   %[[EIGHT:.*]] = arith.constant dense<8> : vector<32xi16>
// PMADDWD-DAG:   %[[LOW:.*]] = arith.constant dense<255> : vector<32xi16>
// PMADDWD-DAG:   %[[AE:.*]] = arith.andi %[[A]], %[[LOW]] : vector<32xi16>
// PMADDWD-DAG:   %[[AO:.*]] = arith.shrui %[[A]], %[[EIGHT]] : vector<32xi16>
// PMADDWD-DAG:   %[[WL:.*]] = arith.shli %[[W]], %[[EIGHT]] : vector<32xi16>
// PMADDWD-DAG:   %[[WE:.*]] = arith.shrsi %[[WL]], %[[EIGHT]] : vector<32xi16>
// PMADDWD-DAG:   %[[WO:.*]] = arith.shrsi %[[W]], %[[EIGHT]] : vector<32xi16>
// PMADDWD:       %[[PE:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[AE]], %[[WE]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// PMADDWD:       %[[PO:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[AO]], %[[WO]])
// PMADDWD:       %[[S:.*]] = arith.addi %[[PE]], %[[PO]] : vector<16xi32>
// PMADDWD:       arith.addi %arg0, %[[S]] : vector<16xi32>
// PMADDWD-LABEL: func.func @lanes4
// PMADDWD:       llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"
// PMADDWD-LABEL: func.func @lanes2
// PMADDWD-NOT:   llvm.call_intrinsic
// PMADDWD-LABEL: func.func @lanes8
// PMADDWD:       llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"

// sdot multiplies signed bytes: a xor 0x80 is u - 128, and the sdot of
// -128 bytes with w, subtracted, adds back 128 * sum(w).
// SDOT-LABEL: func.func @lanes4
// SDOT-DAG:     %[[A:.*]] = vector.bitcast %arg1 : vector<4xi32> to vector<16xi8>
// SDOT-DAG:     %[[W:.*]] = vector.bitcast %arg2 : vector<4xi32> to vector<16xi8>
// SDOT-DAG:     %[[M128:.*]] = arith.constant dense<-128> : vector<16xi8>
// SDOT:         %[[S:.*]] = arith.xori %[[A]], %[[M128]] : vector<16xi8>
// SDOT:         %[[D:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%arg0, %[[S]], %[[W]])
// SDOT:         %[[ZERO:.*]] = arith.constant dense<0> : vector<4xi32>
// SDOT:         %[[C:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%[[ZERO]], %[[M128]], %[[W]])
// SDOT:         arith.subi %[[D]], %[[C]] : vector<4xi32>

// VNNI-LABEL: func.func @lanes4
// VNNI:         llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.128"
// USDOT-LABEL: func.func @lanes4
// USDOT:         llvm.call_intrinsic "llvm.aarch64.neon.usdot.v4i32.v16i8"(%arg0, %{{.*}}, %{{.*}}) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
func.func @lanes4(%acc: vector<4xi32>, %a: vector<4xi32>, %w: vector<4xi32>) -> vector<4xi32> {
  %r = bnn.byte_dot %acc, %a, %w : vector<4xi32>
  return %r : vector<4xi32>
}

// VNNI-LABEL: func.func @lanes2
// VNNI-NOT:     llvm.call_intrinsic
// VNNI:         arith.muli
// USDOT-LABEL: func.func @lanes2
// USDOT:         llvm.call_intrinsic "llvm.aarch64.neon.usdot.v2i32.v8i8"
func.func @lanes2(%acc: vector<2xi32>, %a: vector<2xi32>, %w: vector<2xi32>) -> vector<2xi32> {
  %r = bnn.byte_dot %acc, %a, %w : vector<2xi32>
  return %r : vector<2xi32>
}

func.func @lanes8(%acc: vector<8xi32>, %a: vector<8xi32>, %w: vector<8xi32>) -> vector<8xi32> {
  %r = bnn.byte_dot %acc, %a, %w : vector<8xi32>
  return %r : vector<8xi32>
}

// Signed inputs (signed_byte_dot): sdot directly where the target has a
// dot product (usdot targets too), pmaddwd on both operands widened with
// arithmetic shifts, and sign-extended multiplies elsewhere (VNNI
// multiplies unsigned bytes only).
// SDOT-LABEL: func.func @signed4
// SDOT-NOT:     arith.xori
// SDOT:         %[[S:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%arg0,
// SDOT-NEXT:    return %[[S]]
// USDOT-LABEL: func.func @signed4
// USDOT:         llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
// USDOT-NOT:     usdot
// PMADDWD-LABEL: func.func @signed4
// PMADDWD-NOT:   arith.andi
// PMADDWD-NOT:   arith.shrui
// PMADDWD:       llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"
// VNNI-LABEL: func.func @signed4
// VNNI-NOT:     llvm.call_intrinsic
// VNNI:         arith.extsi %{{.*}} : vector<16xi8> to vector<16xi32>
// VNNI:         arith.extsi %{{.*}} : vector<16xi8> to vector<16xi32>
// GENERIC-LABEL: func.func @signed4
// GENERIC-NOT:   arith.extui
func.func @signed4(%acc: vector<4xi32>, %a: vector<4xi32>, %w: vector<4xi32>) -> vector<4xi32> {
  %r = bnn.byte_dot %acc, %a, %w {signed_a} : vector<4xi32>
  return %r : vector<4xi32>
}

// BADOPT: for the --byte-dot option: Cannot find option named 'sdot'!
