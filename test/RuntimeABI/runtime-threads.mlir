// RUN: bnn-opt %s --split-input-file --bnn-runtime-threads | FileCheck %s

// Every omp.parallel reads the artifact's thread count (initially 1);
// bnn_set_num_threads stores max(n, 1).
// CHECK: memref.global "private" @bnn_num_threads : memref<i32> = dense<1>
// CHECK: func.func @bnn_set_num_threads(%[[N:.+]]: i32)
// CHECK: %[[ONE:.+]] = arith.constant 1 : i32
// CHECK: %[[MAX:.+]] = arith.maxsi %[[N]], %[[ONE]] : i32
// CHECK: %[[G:.+]] = memref.get_global @bnn_num_threads : memref<i32>
// CHECK: memref.store %[[MAX]], %[[G]][] : memref<i32>
// CHECK-LABEL: func.func @main
// CHECK: %[[G1:.+]] = memref.get_global @bnn_num_threads
// CHECK: %[[T1:.+]] = memref.load %[[G1]][]
// CHECK: omp.parallel num_threads(%[[T1]] : i32)
// CHECK: %[[G2:.+]] = memref.get_global @bnn_num_threads
// CHECK: %[[T2:.+]] = memref.load %[[G2]][]
// CHECK: omp.parallel num_threads(%[[T2]] : i32)
func.func @main() {
  omp.parallel {
    omp.terminator
  }
  omp.parallel {
    omp.terminator
  }
  return
}

// -----

// A region that is one worksharing loop: its body moves into a private
// function (constants cloned in, other values passed), called by the
// OpenMP loop when the count is above 1 and by a plain loop otherwise, so
// that one thread never enters the OpenMP runtime.
// The function is named after the source line most of its operations come
// from (here a tie of one each: the first, the multiply's) and kept out of
// line.
// CHECK: func.func private @work__loop_body_l[[@LINE+35]](
// CHECK-SAME: %[[I:[a-z0-9]+]]: index, %[[J:[a-z0-9]+]]: index, %[[X:[a-z0-9]+]]: f32, %[[BUF:[a-z0-9]+]]: memref<4x8xf32>)
// CHECK-SAME: attributes {passthrough = ["noinline"]}
// CHECK: %[[TWO:.+]] = arith.constant 2.0
// CHECK: %[[Y:.+]] = arith.mulf %[[X]], %[[TWO]]
// CHECK: memref.store %[[Y]], %[[BUF]][%[[I]], %[[J]]]
// CHECK: return
// CHECK-LABEL: func.func @work(
// CHECK-SAME: %[[B:[a-z0-9]+]]: memref<4x8xf32>, %[[V:[a-z0-9]+]]: f32)
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK: %[[G:.+]] = memref.get_global @bnn_num_threads
// CHECK: %[[T:.+]] = memref.load %[[G]][]
// CHECK: %[[ONE:.+]] = arith.constant 1 : i32
// CHECK: %[[SEVERAL:.+]] = arith.cmpi sgt, %[[T]], %[[ONE]] : i32
// CHECK: scf.if %[[SEVERAL]] {
// CHECK: omp.parallel num_threads(%[[T]] : i32) {
// CHECK: omp.loop_nest (%[[PI:.+]], %[[PJ:.+]]) : index = (%[[C0]], %[[C0]]) to (%[[C4]], %[[C8]]) step (%[[C1]], %[[C1]]) {
// CHECK-NEXT: func.call @work__loop_body_l{{[0-9]+}}(%[[PI]], %[[PJ]], %[[V]], %[[B]])
// CHECK-NEXT: omp.yield
// CHECK: } else {
// CHECK: scf.for %[[SI:.+]] = %[[C0]] to %[[C4]] step %[[C1]] {
// CHECK: scf.for %[[SJ:.+]] = %[[C0]] to %[[C8]] step %[[C1]] {
// CHECK: func.call @work__loop_body_l{{[0-9]+}}(%[[SI]], %[[SJ]], %[[V]], %[[B]])
func.func @work(%buf: memref<4x8xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i, %j) : index = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
        %y = arith.mulf %x, %two : f32
        memref.store %y, %buf[%i, %j] : memref<4x8xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// Two loops in one function: two functions, each called by its own loops.
// CHECK-LABEL: func.func private @two__loop_body_l{{[0-9]+}}(
// CHECK-SAME: memref<4xf32>
// CHECK-LABEL: func.func private @two__loop_body_l{{[0-9]+}}(
// CHECK-SAME: memref<8xf32>
// CHECK-LABEL: func.func @two(
// CHECK: func.call @two__loop_body_l{{[0-9]+}}(%{{.+}}, %{{.+}}) : (index, memref<4xf32>) -> ()
// CHECK: call @two__loop_body_l{{[0-9]+}}(%{{.+}}, %{{.+}}) : (index, memref<4xf32>) -> ()
// CHECK: func.call @two__loop_body_l{{[0-9]+}}(%{{.+}}, %{{.+}}) : (index, memref<8xf32>) -> ()
// CHECK: call @two__loop_body_l{{[0-9]+}}(%{{.+}}, %{{.+}}) : (index, memref<8xf32>) -> ()
func.func @two(%a: memref<4xf32>, %b: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c4) step (%c1) {
        memref.store %zero, %a[%i] : memref<4xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c8) step (%c1) {
        memref.store %zero, %b[%i] : memref<8xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Without parallel regions nothing is added.
// CHECK-NOT: bnn_num_threads
// CHECK-NOT: bnn_set_num_threads
// CHECK-LABEL: func.func @serial
func.func @serial() {
  return
}
