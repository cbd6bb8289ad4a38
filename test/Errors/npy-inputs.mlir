// Bad .npy inputs are diagnostics naming the argument and the file.
// Files are written by Inputs/write_npy.py (standard library only).
//
// A well-formed pair runs (-0.0 binarizes to +1):
// RUN: %python %S/Inputs/write_npy.py %t.a.npy '<f4' 2,2 -1,0,-0.0,2
// RUN: %python %S/Inputs/write_npy.py %t.b.npy '|u1' 2 1,3
// RUN: bnn-interp %s --input %t.a.npy --input %t.b.npy | FileCheck %s --check-prefix=OK
// OK: result #0: tensor<2x2xi1>
// OK-NEXT: {{\[\[}}-1, 1],
// OK-NEXT: [1, 1]]
//
// Data cut short: 2x2 f32 needs 16 bytes, the header takes 128, keep 136.
// RUN: %python %S/Inputs/write_npy.py %t.trunc.npy '<f4' 2,2 1,2,3,4 --keep-bytes 136
// RUN: not bnn-interp %s --input %t.trunc.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: bnn-interp: error: argument #0: '{{.*}}.trunc.npy': truncated .npy data: expected 16 bytes, found 8
//
// Header cut short.
// RUN: %python %S/Inputs/write_npy.py %t.header.npy '<f4' 2,2 1,2,3,4 --keep-bytes 40
// RUN: not bnn-interp %s --input %t.header.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// HEADER: bnn-interp: error: argument #0: '{{.*}}.header.npy': truncated .npy header
//
// Bytes after the data.
// RUN: %python %S/Inputs/write_npy.py %t.extra.npy '<f4' 2,2 1,2,3,4 --extra-bytes 3
// RUN: not bnn-interp %s --input %t.extra.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=EXTRA
// EXTRA: bnn-interp: error: argument #0: '{{.*}}.extra.npy': trailing bytes after .npy data: expected 16 bytes, found 19
//
// Not a .npy file at all.
// RUN: echo "not a numpy file" > %t.text.npy
// RUN: not bnn-interp %s --input %t.text.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: bnn-interp: error: argument #0: '{{.*}}.text.npy': not a .npy file (missing \x93NUMPY magic)
//
// int32 data for an f32 argument.
// RUN: %python %S/Inputs/write_npy.py %t.i4.npy '<i4' 2,2 1,2,3,4
// RUN: not bnn-interp %s --input %t.i4.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: bnn-interp: error: argument #0: '{{.*}}.i4.npy': dtype '<i4' does not match tensor<2x2xf32> (expected '<f4')
//
// bool data for a ui2 argument.
// RUN: %python %S/Inputs/write_npy.py %t.b1.npy '|b1' 2 1,0
// RUN: not bnn-interp %s --input %t.a.npy --input %t.b1.npy 2>&1 | FileCheck %s --check-prefix=DTYPE-B1
// DTYPE-B1: bnn-interp: error: argument #1: '{{.*}}.b1.npy': dtype '|b1' does not match tensor<2xui2> (expected '|u1')
//
// float64 is not a supported dtype.
// RUN: %python %S/Inputs/write_npy.py %t.f8.npy '<f8' 2,2 1,2,3,4
// RUN: not bnn-interp %s --input %t.f8.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=F8
// F8: bnn-interp: error: argument #0: '{{.*}}.f8.npy': unsupported .npy dtype '<f8' (supported: <f4, |b1, |u1, |i1, <i4, <i8)
//
// Right dtype, wrong shape.
// RUN: %python %S/Inputs/write_npy.py %t.shape.npy '<f4' 4 1,2,3,4
// RUN: not bnn-interp %s --input %t.shape.npy --input %t.b.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: bnn-interp: error: argument #0: '{{.*}}.shape.npy': shape tensor<4xf32> does not match tensor<2x2xf32>
//
// A value that does not fit the element type (ui2 holds 0..3).
// RUN: %python %S/Inputs/write_npy.py %t.range.npy '|u1' 2 1,7
// RUN: not bnn-interp %s --input %t.a.npy --input %t.range.npy 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: bnn-interp: error: argument #1: '{{.*}}.range.npy': element 1 is 7, outside the range of tensor<2xui2>

// OK-NOT: error
// TRUNC-NOT: result #0
// DTYPE-NOT: result #0
// RANGE-NOT: result #0

func.func @main(%a: tensor<2x2xf32>, %b: tensor<2xui2>) -> tensor<2x2xi1> {
  %r = bnn.binarize %a : tensor<2x2xf32> -> tensor<2x2xi1>
  return %r : tensor<2x2xi1>
}
