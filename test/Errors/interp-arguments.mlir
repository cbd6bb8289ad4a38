// Command-line mistakes are diagnostics with a non-zero exit.
// RUN: not bnn-interp %s 2>&1 | FileCheck %s --check-prefix=NO-INPUT
// RUN: not bnn-interp %s --input %t.missing.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not bnn-interp %s --input %t.a.npy --input %t.b.npy --input %t.c.npy 2>&1 | FileCheck %s --check-prefix=COUNT3
// RUN: not bnn-interp %s --input %t.a.npy --input %t.b.npy --random-inputs 1 2>&1 | FileCheck %s --check-prefix=EXCLUSIVE
// RUN: not bnn-interp %s --random-inputs 1 --output %t.o1.npy --output %t.o2.npy 2>&1 | FileCheck %s --check-prefix=OUTPUTS
// RUN: rm -f %t.missing.npy
// RUN: not bnn-interp %s --input %t.missing.npy --input %t.missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING-NPY
// RUN: not bnn-interp %s --entry nope --random-inputs 1 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: not bnn-interp %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MODEL

// NO-INPUT: bnn-interp: error: 'main' takes 2 argument(s): give --input files or --random-inputs
// COUNT: bnn-interp: error: 'main' takes 2 argument(s), got 1 --input file(s)
// COUNT3: bnn-interp: error: 'main' takes 2 argument(s), got 3 --input file(s)
// EXCLUSIVE: bnn-interp: error: --input and --random-inputs are mutually exclusive
// OUTPUTS: bnn-interp: error: 'main' returns 1 result(s), got 2 --output file(s)
// MISSING-NPY: bnn-interp: error: argument #0: cannot open '{{.*}}.missing.npy'
// ENTRY: bnn-interp: error: no function named 'nope'
// MODEL: bnn-interp: error: cannot open input file '{{.*}}does-not-exist.mlir'

// NO-INPUT-NOT: result #0
// COUNT-NOT: result #0
// EXCLUSIVE-NOT: result #0
// ENTRY-NOT: result #0

func.func @main(%a: tensor<2x2xf32>, %b: tensor<2xui2>) -> tensor<2x2xi1> {
  %r = bnn.binarize %a : tensor<2x2xf32> -> tensor<2x2xi1>
  return %r : tensor<2x2xi1>
}
