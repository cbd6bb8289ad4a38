// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-to-linalg))" --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @binarize
// CHECK: linalg.generic
// CHECK: arith.cmpf olt, %{{.+}}, %{{.+}} : f32
func.func @binarize(%x: tensor<2x3xf32>) -> tensor<2x3xi1> {
  %b = bnn.binarize %x : tensor<2x3xf32> -> tensor<2x3xi1>
  return %b : tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @unbinarize
// CHECK-DAG: %[[M:.+]] = arith.constant -1.000000e+00 : f32
// CHECK-DAG: %[[P:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: arith.select %{{.+}}, %[[M]], %[[P]] : f32
func.func @unbinarize(%b: tensor<2x3xi1>) -> tensor<2x3xf32> {
  %f = bnn.unbinarize %b : tensor<2x3xi1> -> tensor<2x3xf32>
  return %f : tensor<2x3xf32>
}

// -----

// Per-channel operands are indexed by the last dimension; a single element
// is broadcast with a constant index.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[BC:.+]] = affine_map<(d0, d1, d2, d3) -> (0)>
// CHECK-LABEL: func.func @acc_to_float
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[BC]], #[[ID]]]
// CHECK: %[[F:.+]] = arith.sitofp %{{.+}} : i32 to f32
// CHECK: %[[M:.+]] = arith.mulf %[[F]]
// CHECK: arith.addf %[[M]]
func.func @acc_to_float(%acc: tensor<1x2x2x4xi32>, %m: tensor<4xf32>, %b: tensor<1xf32>) -> tensor<1x2x2x4xf32> {
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x2x2x4xi32>, tensor<4xf32>, tensor<1xf32> -> tensor<1x2x2x4xf32>
  return %f : tensor<1x2x2x4xf32>
}

// -----

// Directions become masks (-1 for "acc <= t", 0 for "acc >= t"); both
// sides are xor-ed with the mask (bitwise not reverses the order) and
// compared with sge; the bit is the negated result (1 = -1).
// CHECK-LABEL: func.func @threshold
// CHECK-DAG: %[[M1:.+]] = arith.constant -1 : i32
// CHECK-DAG: %[[Z:.+]] = arith.constant 0 : i32
// CHECK: %[[MASK:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<4xi1>) outs(%{{.+}} : tensor<4xi32>)
// CHECK: arith.select %{{.+}}, %[[M1]], %[[Z]] : i32
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %[[MASK]] : tensor<3x4xi32>, tensor<4xi32>, tensor<4xi32>)
// CHECK: ^bb0(%[[ACC:.+]]: i32, %[[T:.+]]: i32, %[[M:.+]]: i32, %{{.+}}: i1)
// CHECK: %[[XA:.+]] = arith.xori %[[ACC]], %[[M]] : i32
// CHECK: %[[XT:.+]] = arith.xori %[[T]], %[[M]] : i32
// CHECK: %[[GE:.+]] = arith.cmpi sge, %[[XA]], %[[XT]] : i32
// CHECK: arith.xori %[[GE]], %{{.+}} : i1
func.func @threshold(%acc: tensor<3x4xi32>, %t: tensor<4xi32>, %d: tensor<4xi1>) -> tensor<3x4xi1> {
  %b = bnn.threshold %acc, %t, %d : tensor<3x4xi32>, tensor<4xi32>, tensor<4xi1> -> tensor<3x4xi1>
  return %b : tensor<3x4xi1>
}

// -----

// One elementwise generic counts with the test of bnn.threshold,
// (acc ^ m) >= (t ^ m): the table is transposed and xor-ed with the masks
// beforehand, each of its rows (one threshold for every channel) is a
// per-channel operand of its own, and the comparisons are widened to the
// result width and added.
// CHECK-LABEL: func.func @multi_threshold
// CHECK-SAME: (%[[ACC:.+]]: tensor<3x4xi32>, %[[TABLE:.+]]: tensor<4x3xi32>, %[[DIRS:.+]]: tensor<1xi1>)
// CHECK: %[[MASK:.+]] = linalg.generic {{.+}} ins(%[[DIRS]] : tensor<1xi1>) outs(%{{.+}} : tensor<1xi32>)
// CHECK: %[[ROWS:.+]] = linalg.generic {{.+}} ins(%[[TABLE]], %[[MASK]] : tensor<4x3xi32>, tensor<1xi32>) outs(%{{.+}} : tensor<3x4xi32>)
// CHECK: arith.xori
// CHECK: %[[T0:.+]] = tensor.extract_slice %[[ROWS]][0, 0] [1, 4] [1, 1] : tensor<3x4xi32> to tensor<4xi32>
// CHECK: %[[T1:.+]] = tensor.extract_slice %[[ROWS]][1, 0] [1, 4] [1, 1] : tensor<3x4xi32> to tensor<4xi32>
// CHECK: %[[T2:.+]] = tensor.extract_slice %[[ROWS]][2, 0] [1, 4] [1, 1] : tensor<3x4xi32> to tensor<4xi32>
// CHECK: linalg.generic {{.+}} ins(%[[ACC]], %[[T0]], %[[T1]], %[[T2]], %[[MASK]] : tensor<3x4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<1xi32>) outs(%{{.+}} : tensor<3x4xui2>)
// CHECK: ^bb0(%[[A:.+]]: i32, %[[C0:.+]]: i32, %[[C1:.+]]: i32, %[[C2:.+]]: i32, %[[M:.+]]: i32, %{{.+}}: ui2)
// CHECK: %[[XA:.+]] = arith.xori %[[A]], %[[M]] : i32
// CHECK: %[[GE0:.+]] = arith.cmpi sge, %[[XA]], %[[C0]] : i32
// CHECK: %[[N0:.+]] = arith.extui %[[GE0]] : i1 to i2
// CHECK: %[[GE1:.+]] = arith.cmpi sge, %[[XA]], %[[C1]] : i32
// CHECK: %[[N1:.+]] = arith.extui %[[GE1]] : i1 to i2
// CHECK: %[[S1:.+]] = arith.addi %[[N0]], %[[N1]] : i2
// CHECK: %[[GE2:.+]] = arith.cmpi sge, %[[XA]], %[[C2]] : i32
// CHECK: %[[N2:.+]] = arith.extui %[[GE2]] : i1 to i2
// CHECK: %[[S2:.+]] = arith.addi %[[S1]], %[[N2]] : i2
// CHECK: %[[Q:.+]] = builtin.unrealized_conversion_cast %[[S2]] : i2 to ui2
// CHECK: linalg.yield %[[Q]] : ui2
func.func @multi_threshold(%acc: tensor<3x4xi32>, %t: tensor<4x3xi32>, %d: tensor<1xi1>) -> tensor<3x4xui2> {
  %q = bnn.multi_threshold %acc, %t, %d : tensor<3x4xi32>, tensor<4x3xi32>, tensor<1xi1> -> tensor<3x4xui2>
  return %q : tensor<3x4xui2>
}

// -----

// One row of one threshold and per-channel directions: the masked table
// has a row per channel. With one column into ui1 the comparison itself is
// the count.
// CHECK-LABEL: func.func @multi_threshold_single_row_ui1
// CHECK-SAME: (%{{.+}}: tensor<2x5xi32>, %[[TABLE:.+]]: tensor<1x1xi32>, %{{.+}}: tensor<5xi1>)
// CHECK: %[[MASK:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<5xi32>)
// CHECK: %[[ROWS:.+]] = linalg.generic {{.+}} ins(%[[TABLE]], %[[MASK]] : tensor<1x1xi32>, tensor<5xi32>) outs(%{{.+}} : tensor<1x5xi32>)
// CHECK: %[[T0:.+]] = tensor.extract_slice %[[ROWS]][0, 0] [1, 5] [1, 1] : tensor<1x5xi32> to tensor<5xi32>
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[T0]], %[[MASK]] : tensor<2x5xi32>, tensor<5xi32>, tensor<5xi32>) outs(%{{.+}} : tensor<2x5xui1>)
// CHECK: %[[GE:.+]] = arith.cmpi sge, %{{.+}}, %{{.+}} : i32
// CHECK-NOT: arith.extui
// CHECK-NOT: arith.addi
// CHECK: %[[Q:.+]] = builtin.unrealized_conversion_cast %[[GE]] : i1 to ui1
// CHECK: linalg.yield %[[Q]] : ui1
func.func @multi_threshold_single_row_ui1(%acc: tensor<2x5xi32>, %t: tensor<1x1xi32>, %d: tensor<5xi1>) -> tensor<2x5xui1> {
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x5xi32>, tensor<1x1xi32>, tensor<5xi1> -> tensor<2x5xui1>
  return %q : tensor<2x5xui1>
}

// -----

// CHECK-LABEL: func.func @requantize
// CHECK-DAG: %[[ZP:.+]] = arith.constant -4.000000e+00 : f32
// CHECK-DAG: %[[HI:.+]] = arith.constant 1.000000e+02 : f32
// CHECK-DAG: %[[LO:.+]] = arith.constant -3.000000e+00 : f32
// NaN products give clamp(zero point) = -3.
// CHECK-DAG: %[[NAN:.+]] = arith.constant -3 : i8
// CHECK: %[[P:.+]] = arith.mulf
// CHECK: %[[R:.+]] = math.roundeven %[[P]] : f32
// CHECK: %[[S:.+]] = arith.addf %[[R]], %[[ZP]]
// CHECK: %[[MIN:.+]] = arith.minimumf %[[S]], %[[HI]]
// CHECK: arith.maximumf %[[MIN]], %[[LO]]
// CHECK: %[[Q:.+]] = arith.fptosi %{{.+}} : f32 to i8
// CHECK: %[[ISNAN:.+]] = arith.cmpf uno, %[[P]], %[[P]]
// CHECK: arith.select %[[ISNAN]], %[[NAN]], %[[Q]] : i8
func.func @requantize(%acc: tensor<2x3xi32>, %s: tensor<3xf32>) -> tensor<2x3xi8> {
  %q = bnn.requantize %acc, %s {output_zero_point = -4 : i64, clamp_min = -3 : i64, clamp_max = 100 : i64} : tensor<2x3xi32>, tensor<3xf32> -> tensor<2x3xi8>
  return %q : tensor<2x3xi8>
}

// -----

// quantize clamps the rounded product to [lo - zp, hi - zp] in f32 before
// the conversion (exact: the bounds are small integers), then adds the zero
// point in i32.
// CHECK-LABEL: func.func @quantize_i8
// CHECK-DAG: %[[HI:.+]] = arith.constant 1.030000e+02 : f32
// CHECK-DAG: %[[LO:.+]] = arith.constant -7.000000e+00 : f32
// CHECK-DAG: %[[ZP:.+]] = arith.constant -3 : i32
// NaN products give clamp(zero point) = -3.
// CHECK-DAG: %[[NAN:.+]] = arith.constant -3 : i8
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<2x3xf32>, tensor<3xf32>)
// CHECK: %[[P:.+]] = arith.mulf
// CHECK: %[[R:.+]] = math.roundeven %[[P]] : f32
// CHECK: %[[MIN:.+]] = arith.minimumf %[[R]], %[[HI]]
// CHECK: %[[MAX:.+]] = arith.maximumf %[[MIN]], %[[LO]]
// CHECK: %[[I:.+]] = arith.fptosi %[[MAX]] : f32 to i32
// CHECK: %[[S:.+]] = arith.addi %[[I]], %[[ZP]] : i32
// CHECK: %[[Q:.+]] = arith.trunci %[[S]] : i32 to i8
// CHECK: %[[ISNAN:.+]] = arith.cmpf uno, %[[P]], %[[P]]
// CHECK: %[[SEL:.+]] = arith.select %[[ISNAN]], %[[NAN]], %[[Q]] : i8
// CHECK: linalg.yield %[[SEL]] : i8
func.func @quantize_i8(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xi8> {
  %q = bnn.quantize %x, %s {zero_point = -3 : i64, clamp_min = -10 : i64, clamp_max = 100 : i64} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi8>
  return %q : tensor<2x3xi8>
}

// -----

// Unsigned results: the default clamp is [0, 2^k - 1]; the body computes
// in signless iK and reinterprets the result as uiK.
// CHECK-LABEL: func.func @quantize_ui3
// CHECK-DAG: %[[HI:.+]] = arith.constant 5.000000e+00 : f32
// CHECK-DAG: %[[LO:.+]] = arith.constant -2.000000e+00 : f32
// CHECK-DAG: %[[ZP:.+]] = arith.constant 2 : i32
// CHECK-DAG: %[[NAN:.+]] = arith.constant 2 : i3
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<4x5xf32>, tensor<1xf32>) outs(%{{.+}} : tensor<4x5xui3>)
// CHECK: arith.minimumf %{{.+}}, %[[HI]]
// CHECK: arith.maximumf %{{.+}}, %[[LO]]
// CHECK: arith.addi %{{.+}}, %[[ZP]] : i32
// CHECK: %[[Q:.+]] = arith.trunci %{{.+}} : i32 to i3
// CHECK: %[[SEL:.+]] = arith.select %{{.+}}, %[[NAN]], %[[Q]] : i3
// CHECK: %[[U:.+]] = builtin.unrealized_conversion_cast %[[SEL]] : i3 to ui3
// CHECK: linalg.yield %[[U]] : ui3
func.func @quantize_ui3(%x: tensor<4x5xf32>, %s: tensor<1xf32>) -> tensor<4x5xui3> {
  %q = bnn.quantize %x, %s {zero_point = 2 : i64} : tensor<4x5xf32>, tensor<1xf32> -> tensor<4x5xui3>
  return %q : tensor<4x5xui3>
}

// -----

// int8: the input is padded with its zero point; per-channel weight zero
// points are a [groups, channels per group] constant.
// CHECK-LABEL: func.func @int8_conv
// CHECK-DAG: %[[IZP:.+]] = arith.constant 5 : i8
// CHECK-DAG: %[[WZP:.+]] = arith.constant dense<{{\[}}[1, -2]]> : tensor<1x2xi32>
// CHECK: tensor.pad {{.+}} low[0, 1, 1, 0, 0] high[0, 1, 1, 0, 0]
// CHECK: tensor.yield %[[IZP]] : i8
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %[[WZP]] :
// CHECK: arith.extsi
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: tensor.collapse_shape {{.+}} into tensor<1x4x4x2xi32>
func.func @int8_conv(%a: tensor<1x4x4x3xi8>, %w: tensor<2x3x3x3xi8>) -> tensor<1x4x4x2xi32> {
  %r = bnn.int8_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, input_zero_point = 5 : i64, weight_zero_point = array<i64: 1, -2>} : tensor<1x4x4x3xi8>, tensor<2x3x3x3xi8> -> tensor<1x4x4x2xi32>
  return %r : tensor<1x4x4x2xi32>
}

// -----

// int8 dense goes through the 1x1 convolution.
// CHECK-LABEL: func.func @int8_dense
// CHECK-NOT: bnn.int8
// CHECK: linalg.generic
// CHECK: tensor.collapse_shape {{.+}} into tensor<2x3xi32>
func.func @int8_dense(%a: tensor<2x7xi8>, %w: tensor<3x7xi8>) -> tensor<2x3xi32> {
  %r = bnn.int8_dense %a, %w {input_zero_point = -1 : i64} : tensor<2x7xi8>, tensor<3x7xi8> -> tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}

// -----

// Max of +1/-1 is the AND of the bits; padding holds true (-1).
// CHECK-LABEL: func.func @max_pool
// CHECK-DAG: %[[TRUE:.+]] = arith.constant true
// CHECK: tensor.pad {{.+}} low[0, 1, 0, 0] high[0, 0, 1, 0]
// CHECK: tensor.yield %[[TRUE]] : i1
// CHECK: tensor.empty() : tensor<2x2xi1>
// CHECK: linalg.generic
// CHECK: arith.andi
func.func @max_pool(%b: tensor<1x4x4x3xi1>) -> tensor<1x2x2x3xi1> {
  %p = bnn.binary_max_pool2d %b {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 0, 1>} : tensor<1x4x4x3xi1> -> tensor<1x2x2x3xi1>
  return %p : tensor<1x2x2x3xi1>
}
