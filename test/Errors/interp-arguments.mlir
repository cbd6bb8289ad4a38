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
// A directory given as a .npy file says so (not "empty file").
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: not bnn-interp %s --input %t.dir --input %t.dir 2>&1 | FileCheck %s --check-prefix=DIR-NPY
// Seeds and batch sizes are decimal, as in bnn-run (no 0x10, 0b1, octal 010
// or sign).
// RUN: not bnn-interp %s --random-inputs 0x10 2>&1 | FileCheck %s --check-prefix=SEED-HEX
// RUN: not bnn-interp %s --random-inputs=-1 2>&1 | FileCheck %s --check-prefix=SEED-NEG
// RUN: not bnn-interp %s --random-inputs 18446744073709551616 2>&1 | FileCheck %s --check-prefix=SEED-BIG
// RUN: bnn-interp %s --random-inputs 010 > %t.010.txt
// RUN: bnn-interp %s --random-inputs 10 > %t.10.txt
// RUN: diff %t.010.txt %t.10.txt
// RUN: not bnn-interp %s --random-inputs 1 --batch 0x2 2>&1 | FileCheck %s --check-prefix=BATCH-HEX
// RUN: not bnn-interp %s --random-inputs 1 --batch=-1 2>&1 | FileCheck %s --check-prefix=BATCH-NEG
// A result that cannot be written names the file and the reason.
// RUN: not bnn-interp %s --random-inputs 1 --output %t.dir/missing/y.npy 2>&1 | FileCheck %s --check-prefix=OUTPUT-DIR

// NO-INPUT: bnn-interp: error: 'main' takes 2 argument(s): give --input files or --random-inputs
// COUNT: bnn-interp: error: 'main' takes 2 argument(s), got 1 --input file(s)
// COUNT3: bnn-interp: error: 'main' takes 2 argument(s), got 3 --input file(s)
// EXCLUSIVE: bnn-interp: error: --input and --random-inputs are mutually exclusive
// OUTPUTS: bnn-interp: error: 'main' returns 1 result(s), got 2 --output file(s)
// MISSING-NPY: bnn-interp: error: argument #0: cannot open '{{.*}}.missing.npy'
// ENTRY: bnn-interp: error: no function named 'nope'
// MODEL: bnn-interp: error: cannot open input file '{{.*}}does-not-exist.mlir'
// DIR-NPY: bnn-interp: error: argument #0: cannot read '{{.*}}.dir': Is a directory
// SEED-HEX: bnn-interp: error: --random-inputs: expected a decimal seed in 0..18446744073709551615, got '0x10'
// SEED-NEG: bnn-interp: error: --random-inputs: expected a decimal seed in 0..18446744073709551615, got '-1'
// SEED-BIG: bnn-interp: error: --random-inputs: expected a decimal seed in 0..18446744073709551615, got '18446744073709551616'
// BATCH-HEX: bnn-interp: error: --batch: expected a decimal integer in 0..2147483647, got '0x2'
// BATCH-NEG: bnn-interp: error: --batch: expected a decimal integer in 0..2147483647, got '-1'
// OUTPUT-DIR: bnn-interp: error: result #0: cannot write '{{.*}}.dir/missing/y.npy': No such file or directory

// NO-INPUT-NOT: result #0
// COUNT-NOT: result #0
// EXCLUSIVE-NOT: result #0
// ENTRY-NOT: result #0
// DIR-NPY-NOT: result #0
// SEED-HEX-NOT: result #0

func.func @main(%a: tensor<2x2xf32>, %b: tensor<2xui2>) -> tensor<2x2xi1> {
  %r = bnn.binarize %a : tensor<2x2xf32> -> tensor<2x2xi1>
  return %r : tensor<2x2xi1>
}
