//===- BNNOps.td - bnn operators ---------------------------*- tablegen -*-===//
//
// Operator families share their arguments, traits and assembly format through
// the classes below; each definition adds its element types and semantics.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_IR_BNNOPS_TD
#define BNN_DIALECT_BNN_IR_BNNOPS_TD

include "bnn/Dialect/BNN/IR/BNNDialect.td"
include "bnn/Dialect/BNN/IR/BNNAttrs.td"
include "bnn/Dialect/BNN/IR/BNNEnums.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

defvar BNN_LowBitTypes = [UI<1>, UI<2>, UI<3>, UI<4>, UI<5>, UI<6>, UI<7>, UI<8>];

def BNN_BinaryTensor : RankedTensorOf<[I1]>;
def BNN_FloatTensor : RankedTensorOf<[F32]>;
def BNN_AccTensor : RankedTensorOf<[I32]>;
def BNN_Int8Tensor : RankedTensorOf<[I8]>;
def BNN_LowBitTensor : RankedTensorOf<BNN_LowBitTypes>;
def BNN_QuantizedTensor : RankedTensorOf<!listconcat([I8], BNN_LowBitTypes)>;

def BNN_BinaryTensor4D : TensorRankOf<[I1], [4]>;
def BNN_BinaryTensor2D : TensorRankOf<[I1], [2]>;
def BNN_LowBitTensor4D : TensorRankOf<BNN_LowBitTypes, [4]>;
def BNN_LowBitTensor2D : TensorRankOf<BNN_LowBitTypes, [2]>;
def BNN_BitserialWeight4D : TensorRankOf<!listconcat([I1], BNN_LowBitTypes), [4]>;
def BNN_BitserialWeight2D : TensorRankOf<!listconcat([I1], BNN_LowBitTypes), [2]>;
def BNN_Int8Tensor4D : TensorRankOf<[I8], [4]>;
def BNN_Int8Tensor2D : TensorRankOf<[I8], [2]>;
def BNN_AccTensor4D : TensorRankOf<[I32], [4]>;
def BNN_AccTensor2D : TensorRankOf<[I32], [2]>;
def BNN_ChannelF32 : TensorRankOf<[F32], [1]>;
def BNN_ChannelI32 : TensorRankOf<[I32], [1]>;
def BNN_ChannelI1 : TensorRankOf<[I1], [1]>;
def BNN_ChannelTableI32 : TensorRankOf<[I32], [2]>;

// A signless 64-bit integer attribute read as a signed value (upstream
// I64Attr returns uint64_t, which would turn negative zero points positive).
def BNN_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                               "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

def BNN_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
def BNN_Quad : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

//===----------------------------------------------------------------------===//
// Binarization
//===----------------------------------------------------------------------===//

class BNN_ConversionOp<string mnemonic, Type inType, Type outType,
                       list<Trait> traits = []>
    : BNN_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultShape], traits)> {
  let arguments = (ins inType:$input);
  let results = (outs outType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def BNN_BinarizeOp : BNN_ConversionOp<"binarize", BNN_FloatTensor,
                                      BNN_BinaryTensor> {
  let summary = "Binarizes a float tensor by its sign";
  let description = [{
    Maps every element `x` to the binary value -1 if `x < 0` and +1
    otherwise; -0.0 and NaN therefore give +1 (for every non-NaN `x` this is
    `where(x >= 0, 1, -1)`).
    The result stores -1 as `1` and +1 as `0`.

    Folds when the operand is a constant.

    Example:

    ```mlir
    %b = bnn.binarize %x : tensor<1x8x8x64xf32> -> tensor<1x8x8x64xi1>
    ```
  }];
  let hasCanonicalizer = 1;
}

def BNN_UnbinarizeOp : BNN_ConversionOp<"unbinarize", BNN_BinaryTensor,
                                        BNN_FloatTensor> {
  let summary = "Turns a binary tensor back into +1.0 / -1.0";
  let description = [{
    Maps a stored `1` to -1.0 and a stored `0` to +1.0, exactly.
    `bnn.binarize(bnn.unbinarize(%b))` canonicalizes to `%b`.

    Example:

    ```mlir
    %f = bnn.unbinarize %b : tensor<1x10xi1> -> tensor<1x10xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

defvar BNN_Conv2DGeometryArgs = (ins
  OptionalAttr<BNN_Pair>:$strides,
  OptionalAttr<BNN_Pair>:$dilations,
  OptionalAttr<BNN_Quad>:$padding,
  DefaultValuedAttr<BNN_I64Attr, "1">:$groups
);

class BNN_Conv2DOp<string mnemonic, list<Trait> traits = []>
    : BNN_Op<mnemonic, !listconcat([Pure], traits)> {
  let results = (outs BNN_AccTensor4D:$result);
  let assemblyFormat = [{
    $input `,` $filter attr-dict `:` type($input) `,` type($filter) `->`
    type($result)
  }];
  let hasVerifier = 1;
  code conv2DClassDeclaration = [{
    /// Strides, dilations, padding and groups with their defaults applied.
    ::mlir::bnn::Conv2DGeometry getGeometry() {
      return ::mlir::bnn::Conv2DGeometry::get(getStridesAttr(),
                                              getDilationsAttr(),
                                              getPaddingAttr(), getGroups());
    }
  }];
  let extraClassDeclaration = conv2DClassDeclaration;
}

defvar BNN_Conv2DAttrDoc = [{
    Attributes (all optional):

    * `strides = array<i64: sh, sw>` (default 1, 1), each >= 1;
    * `dilations = array<i64: dh, dw>` (default 1, 1), each >= 1;
    * `padding = array<i64: top, bottom, left, right>` (default 0s), each >= 0;
    * `groups` (default 1): input channels `C` and output channels `O` are
      split into `groups` equal parts, output channel `o` reads input
      channels `[g * C/groups, (g+1) * C/groups)` with `g = o / (O/groups)`.
      `groups = C` with `O = C * multiplier` is a depthwise convolution.

    Shapes: input `N x H x W x C`, filter `O x KH x KW x C/groups`, result
    `N x OH x OW x O` with
    `OH = (H + top + bottom - dh * (KH - 1) - 1) / sh + 1` (floor division,
    must be >= 1) and likewise for `OW`. Shapes are static and
    non-empty (no size-0 dimension), but for dimension 0 of the input and
    the result, the batch, which may be dynamic (`?`, equal in both).
}];

def BNN_BinaryConv2DOp : BNN_Conv2DOp<"binary_conv2d"> {
  let summary = "Binary x binary 2-D convolution with an exact i32 result";
  let description = !strconcat([{
    Computes, for every output position and output channel `o`,
    `result[n, y, x, o] = sum over ky, kx, c of a(n, y*sh + ky*dh - top,
    x*sw + kx*dw - left, c) * w(o, ky, kx, c)` where `a` and `w` are the
    decoded +1/-1 values of the input and filter. An input position outside
    the image takes `pad_value`: `zero` contributes exactly 0, `plus_one`
    +1 and `minus_one` -1 (`#bnn.pad_value<zero>` is the default).
  }], BNN_Conv2DAttrDoc, [{

    Example:

    ```mlir
    %acc = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>,
                                     pad_value = #bnn.pad_value<plus_one>}
        : tensor<1x56x56x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x56x56x64xi32>
    ```
  }]);
  let arguments = !con((ins BNN_BinaryTensor4D:$input,
                            BNN_BinaryTensor4D:$filter),
                       BNN_Conv2DGeometryArgs,
                       (ins DefaultValuedAttr<BNN_PadValueAttr,
                                              "::mlir::bnn::PadValue::Zero">:$pad_value));
}

def BNN_BitserialConv2DOp : BNN_Conv2DOp<"bitserial_conv2d"> {
  let summary = "Unsigned k-bit x (binary or unsigned m-bit) 2-D convolution";
  let description = !strconcat([{
    The plain integer convolution of the decoded values: the input holds
    unsigned k-bit activations (`ui1` .. `ui8`, values `0 .. 2^k - 1`); the
    filter holds either binary +1/-1 weights (`i1`, set bit = -1) or
    unsigned m-bit weights (`ui1` .. `ui8`). Out-of-bounds input positions
    are 0. The bit-serial lowering (sum over bit planes of shifted
    popcounts) must reproduce this sum exactly.
  }], BNN_Conv2DAttrDoc, [{

    Example:

    ```mlir
    %acc = bnn.bitserial_conv2d %a, %w {strides = array<i64: 2, 2>}
        : tensor<1x9x9x20xui2>, tensor<8x3x3x20xi1> -> tensor<1x4x4x8xi32>
    ```
  }]);
  let arguments = !con((ins BNN_LowBitTensor4D:$input,
                            BNN_BitserialWeight4D:$filter),
                       BNN_Conv2DGeometryArgs);
}

def BNN_Int8Conv2DOp : BNN_Conv2DOp<"int8_conv2d"> {
  let summary = "int8 x int8 2-D convolution with zero points";
  let description = !strconcat([{
    Computes `sum (input - input_zero_point) * (filter[o] - wzp(o))` over
    the receptive field in exact integer arithmetic, where `wzp(o)` is
    `weight_zero_point[0]` when one value is given and
    `weight_zero_point[o]` when one per output channel is given (default
    0). Out-of-bounds input positions hold `input_zero_point`, i.e. they
    contribute 0 (real zero). Zero points lie in [-128, 127].
  }], BNN_Conv2DAttrDoc, [{

    Example:

    ```mlir
    %acc = bnn.int8_conv2d %a, %w {input_zero_point = -3 : i64,
                                   padding = array<i64: 1, 1, 1, 1>}
        : tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8> -> tensor<1x8x8x32xi32>
    ```
  }]);
  let arguments = !con((ins BNN_Int8Tensor4D:$input,
                            BNN_Int8Tensor4D:$filter),
                       BNN_Conv2DGeometryArgs,
                       (ins DefaultValuedAttr<BNN_I64Attr, "0">:$input_zero_point,
                            OptionalAttr<DenseI64ArrayAttr>:$weight_zero_point));
}

//===----------------------------------------------------------------------===//
// Dense (fully connected)
//===----------------------------------------------------------------------===//

class BNN_DenseOp<string mnemonic, list<Trait> traits = []>
    : BNN_Op<mnemonic, !listconcat([Pure], traits)> {
  let results = (outs BNN_AccTensor2D:$result);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def BNN_BinaryDenseOp : BNN_DenseOp<"binary_dense"> {
  let summary = "Binary x binary fully connected layer";
  let description = [{
    `result[n, o] = sum over k of a(n, k) * w(o, k)` for input `N x K` and
    weight `O x K` holding +1/-1 values; equivalently
    `K - 2 * popcount(a XOR w)`. Result `N x O`.

    Example:

    ```mlir
    %acc = bnn.binary_dense %a, %w
        : tensor<1x4096xi1>, tensor<1000x4096xi1> -> tensor<1x1000xi32>
    ```
  }];
  let arguments = (ins BNN_BinaryTensor2D:$input, BNN_BinaryTensor2D:$weight);
}

def BNN_BitserialDenseOp : BNN_DenseOp<"bitserial_dense"> {
  let summary = "Unsigned k-bit x (binary or unsigned m-bit) fully connected layer";
  let description = [{
    `result[n, o] = sum over k of a(n, k) * w(o, k)` with unsigned k-bit
    activations and binary (+1/-1) or unsigned m-bit weights, as for
    `bnn.bitserial_conv2d`.

    Example:

    ```mlir
    %acc = bnn.bitserial_dense %a, %w
        : tensor<2x100xui3>, tensor<10x100xui2> -> tensor<2x10xi32>
    ```
  }];
  let arguments = (ins BNN_LowBitTensor2D:$input, BNN_BitserialWeight2D:$weight);
}

def BNN_Int8DenseOp : BNN_DenseOp<"int8_dense"> {
  let summary = "int8 x int8 fully connected layer with zero points";
  let description = [{
    `result[n, o] = sum over k of (a[n, k] - input_zero_point) *
    (w[o, k] - wzp(o))` with the zero-point rules of `bnn.int8_conv2d`.

    Example:

    ```mlir
    %acc = bnn.int8_dense %a, %w {input_zero_point = 5 : i64,
                                  weight_zero_point = array<i64: 0>}
        : tensor<1x64xi8>, tensor<10x64xi8> -> tensor<1x10xi32>
    ```
  }];
  let arguments = (ins BNN_Int8Tensor2D:$input, BNN_Int8Tensor2D:$weight,
                       DefaultValuedAttr<BNN_I64Attr, "0">:$input_zero_point,
                       OptionalAttr<DenseI64ArrayAttr>:$weight_zero_point);
}

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

def BNN_AccToFloatOp : BNN_Op<"acc_to_float", [Pure]> {
  let summary = "Per-channel scale and bias of an i32 accumulator into f32";
  let description = [{
    `result[..., c] = f32(acc[..., c]) * multiplier[c] + bias[c]`, where
    `c` indexes the last dimension, the conversion rounds to nearest even,
    and the multiplication and the addition are each rounded to f32 (no
    fused multiply-add). `multiplier` and `bias` have either one element per
    channel or a single element used for every channel.

    Example:

    ```mlir
    %f = bnn.acc_to_float %acc, %m, %b
        : tensor<1x8x8x64xi32>, tensor<64xf32>, tensor<64xf32>
          -> tensor<1x8x8x64xf32>
    ```
  }];
  let arguments = (ins BNN_AccTensor:$acc, BNN_ChannelF32:$multiplier,
                       BNN_ChannelF32:$bias);
  let results = (outs BNN_FloatTensor:$result);
  let assemblyFormat = [{
    $acc `,` $multiplier `,` $bias attr-dict `:` type($acc) `,`
    type($multiplier) `,` type($bias) `->` type($result)
  }];
  let hasVerifier = 1;
}

def BNN_ThresholdOp : BNN_Op<"threshold", [Pure]> {
  let summary = "Per-channel integer threshold of an accumulator into binary";
  let description = [{
    For channel `c` (the last dimension), the result is +1 (stored `0`)
    when `acc >= thresholds[c]` if `directions[c]` is false, or when
    `acc <= thresholds[c]` if `directions[c]` is true, and -1 (stored `1`)
    otherwise. `thresholds` and `directions` each have one element per
    channel or a single element, which then applies to every channel (the
    two need not agree: a single direction with per-channel thresholds is
    valid).

    This is the exact folding of batch-norm (or any per-channel affine
    map `y = s * acc + t`) followed by binarization: for `s > 0` the output
    is +1 iff `acc >= ceil(-t / s)` (direction false); for `s < 0` iff
    `acc <= floor(-t / s)` (direction true); for `s == 0` it is constant,
    which a threshold of `INT32_MIN` with direction false (always +1) or
    `INT32_MAX` with direction false (-1 for every accumulator below
    `INT32_MAX`, i.e. for every layer with fewer than 2^31 - 1 products)
    expresses.

    Example:

    ```mlir
    %b = bnn.threshold %acc, %t, %d
        : tensor<1x8x8x64xi32>, tensor<64xi32>, tensor<64xi1>
          -> tensor<1x8x8x64xi1>
    ```
  }];
  let arguments = (ins BNN_AccTensor:$acc, BNN_ChannelI32:$thresholds,
                       BNN_ChannelI1:$directions);
  let results = (outs BNN_BinaryTensor:$result);
  let assemblyFormat = [{
    $acc `,` $thresholds `,` $directions attr-dict `:` type($acc) `,`
    type($thresholds) `,` type($directions) `->` type($result)
  }];
  let hasVerifier = 1;
}

def BNN_MultiThresholdOp : BNN_Op<"multi_threshold", [Pure]> {
  let summary = "Per-channel integer thresholds of an accumulator into "
                "unsigned k-bit values";
  let description = [{
    For channel `c` (the last dimension), the result is the number of
    columns `j` in `[0, T)` of `thresholds` with `acc >= thresholds[c, j]`
    if `directions[c]` is false, or with `acc <= thresholds[c, j]` if
    `directions[c]` is true. `thresholds` is `C x T` or `1 x T` (one row for
    every channel) and `directions` has `C` elements or one; as for
    `bnn.threshold`, the two need not agree. The thresholds of a row need
    not be sorted: the count is defined either way.

    The result has the accumulator's shape and element type `ui1` ..
    `ui8`; `T` lies in `[1, 2^k - 1]` for `uik`, so every count is a value
    of the type. Dimension 0 may be a dynamic batch, as for the other
    epilogues.

    This is the MultiThreshold of FINN / QONNX: the exact folding of an
    accumulator followed by batch-norm (or any per-channel monotone map)
    and a k-bit activation quantizer. If the quantized value `q(acc)` of
    channel `c` is non-decreasing in `acc`, `thresholds[c, j]` is the
    smallest accumulator with `q(acc) >= j + 1` (direction false); if it is
    non-increasing, the largest such accumulator (direction true). A level
    that every accumulator reaches is `INT32_MIN` (direction false) or
    `INT32_MAX` (direction true); one that none reaches is `INT32_MAX`
    (direction false) or `INT32_MIN` (direction true), which, as for
    `bnn.threshold`, still counts at an accumulator of exactly that value
    (no layer with fewer than 2^31 - 1 products reaches it).

    A `ui1` result with one threshold is 1 where `bnn.threshold` with the
    same operands gives +1, i.e. the complement of its stored bit.

    Example:

    ```mlir
    // 2-bit activations: 3 thresholds per channel.
    %q = bnn.multi_threshold %acc, %t, %d
        : tensor<1x8x8x64xi32>, tensor<64x3xi32>, tensor<64xi1>
          -> tensor<1x8x8x64xui2>
    ```
  }];
  let arguments = (ins BNN_AccTensor:$acc, BNN_ChannelTableI32:$thresholds,
                       BNN_ChannelI1:$directions);
  let results = (outs BNN_LowBitTensor:$result);
  let assemblyFormat = [{
    $acc `,` $thresholds `,` $directions attr-dict `:` type($acc) `,`
    type($thresholds) `,` type($directions) `->` type($result)
  }];
  let hasVerifier = 1;
}

def BNN_RequantizeOp : BNN_Op<"requantize", [Pure]> {
  let summary = "Requantizes an i32 accumulator to int8";
  let description = [{
    `result[..., c] = clamp(output_zero_point + roundeven(f32(acc) *
    scale[c]), clamp_min, clamp_max)` where `f32(acc)` rounds to nearest
    even, the product is rounded to f32, `roundeven` rounds half to even
    and the addition and clamp are exact integer operations. `scale` has one
    element per channel (the last dimension) or a single element
    (per-tensor). `output_zero_point`, `clamp_min` and `clamp_max` lie in
    [-128, 127] with `clamp_min <= clamp_max` (defaults 0, -128, 127); a
    fused ReLU is `clamp_min = output_zero_point`. A NaN product (only
    possible with a NaN scale) gives `clamp(output_zero_point, clamp_min,
    clamp_max)`.

    Example:

    ```mlir
    %q = bnn.requantize %acc, %s {output_zero_point = -4 : i64}
        : tensor<1x8x8x32xi32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
    ```
  }];
  let arguments = (ins BNN_AccTensor:$acc, BNN_ChannelF32:$scale,
                       DefaultValuedAttr<BNN_I64Attr, "0">:$output_zero_point,
                       DefaultValuedAttr<BNN_I64Attr, "-128">:$clamp_min,
                       DefaultValuedAttr<BNN_I64Attr, "127">:$clamp_max);
  let results = (outs BNN_Int8Tensor:$result);
  let assemblyFormat = [{
    $acc `,` $scale attr-dict `:` type($acc) `,` type($scale) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def BNN_QuantizeOp : BNN_Op<"quantize", [Pure]> {
  let summary = "Quantizes a float tensor to int8 or unsigned k-bit values";
  let description = [{
    `result[..., c] = clamp(zero_point + roundeven(input[..., c] *
    scale[c]), clamp_min, clamp_max)` where the product is rounded to f32
    (no fused multiply-add), `roundeven` rounds half to even, and the
    addition and the clamp are exact integer operations: a product beyond
    the integer range (up to +-inf) saturates to `clamp_max` or
    `clamp_min`, and a NaN product gives `clamp(zero_point, clamp_min,
    clamp_max)`. `scale` is a multiplier (one over the quantization step,
    as in `nearbyint(x * inv_scale) + zero_point` of fake quantization)
    with one element per channel (the last dimension) or a single element
    (per-tensor).

    The result has the input's shape and element type `i8` (range
    [-128, 127]) or `ui1` .. `ui8` (range [0, 2^k - 1]), the activations of
    `bnn.int8_conv2d` / `bnn.int8_dense` and of `bnn.bitserial_conv2d` /
    `bnn.bitserial_dense`. `zero_point` (default 0), `clamp_min` and
    `clamp_max` (default: the bounds of that range) lie in the range, with
    `clamp_min <= clamp_max`.

    Example:

    ```mlir
    %q = bnn.quantize %x, %scale {zero_point = -3 : i64}
        : tensor<1x8x8x32xf32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
    %a = bnn.quantize %x, %s
        : tensor<1x8x8x32xf32>, tensor<1xf32> -> tensor<1x8x8x32xui2>
    ```
  }];
  let arguments = (ins BNN_FloatTensor:$input, BNN_ChannelF32:$scale,
                       DefaultValuedAttr<BNN_I64Attr, "0">:$zero_point,
                       OptionalAttr<BNN_I64Attr>:$clamp_min,
                       OptionalAttr<BNN_I64Attr>:$clamp_max);
  let results = (outs BNN_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale attr-dict `:` type($input) `,` type($scale) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Smallest and largest value of the result element type: [-128, 127]
    /// for i8, [0, 2^k - 1] for uik.
    int64_t getResultMin();
    int64_t getResultMax();
    /// `clamp_min` / `clamp_max` with their defaults (the result range)
    /// applied.
    int64_t getClampMinOrDefault() {
      return getClampMin().value_or(getResultMin());
    }
    int64_t getClampMaxOrDefault() {
      return getClampMax().value_or(getResultMax());
    }
  }];
}

//===----------------------------------------------------------------------===//
// Bit packing
//===----------------------------------------------------------------------===//

def BNN_PackOp : BNN_Op<"pack", [Pure]> {
  let summary = "Packs the last dimension of a binary tensor into 32- or "
                "64-bit words";
  let description = [{
    For an input `d0 x ... x C` of `i1`, the result `d0 x ... x W` of `iB`
    (`B` = 64 or 32) with `W = ceil(C / B)` holds in bit `j` (bit 0 is the
    least significant) of word `w` the stored bit of channel `B * w + j`;
    bits of channels `>= C` are zero. A set bit therefore means -1, and for
    two packed +1/-1 vectors of length `C`, `C - 2 * popcount(a xor w)` is
    their dot product.

    64-bit words are the default; 32-bit words halve the padding of a
    channel count one to 32 past a multiple of 64 (32 channels fill one
    32-bit word, but only half of a 64-bit one).

    Folds when the operand is a constant, which is how weights are packed
    at compile time.

    Example:

    ```mlir
    %p = bnn.pack %b : tensor<1x8x8x100xi1> -> tensor<1x8x8x2xi64>
    %q = bnn.pack %c : tensor<1x8x8x32xi1> -> tensor<1x8x8x1xi32>
    ```
  }];
  let arguments = (ins BNN_BinaryTensor:$input);
  let results = (outs RankedTensorOf<[I32, I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Bits per word of the result: 32 or 64.
    unsigned getWordBits() {
      return getResult().getType().getElementTypeBitWidth();
    }
  }];
}

def BNN_BitplaneOp : BNN_Op<"bitplane", [Pure, SameOperandsAndResultShape]> {
  let summary = "Extracts one bit plane of an unsigned low-bit tensor";
  let description = [{
    `result = (input >> bit) & 1` elementwise, as a tensor of `i1` (so a
    set bit of the plane is stored as `1`). `bit` lies in `[0, k)` for an
    input of `uik`; `sum over b of plane_b << b` restores the input.

    Careful: the result is an `i1` tensor like any binary tensor, so a
    binary operator that consumes it reads a plane bit of 1 as the value
    -1 and a bit of 0 as +1 (the set-bit-is-minus-one convention), not as
    1 and 0. The bit-serial lowering uses planes only with the popcount
    identities that account for this.

    Folds when the operand is a constant.

    Example:

    ```mlir
    %p1 = bnn.bitplane %x {bit = 1 : i64} : tensor<1x8x8x20xui2> -> tensor<1x8x8x20xi1>
    ```
  }];
  let arguments = (ins BNN_LowBitTensor:$input, BNN_I64Attr:$bit);
  let results = (outs BNN_BinaryTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def BNN_BinaryMaxPool2DOp : BNN_Op<"binary_max_pool2d", [Pure]> {
  let summary = "Max pooling of a binary NHWC tensor";
  let description = [{
    `result[n, y, x, c]` is +1 if any in-bounds input in the window
    `rows y*sh - top .. y*sh - top + KH - 1`, `columns x*sw - left ..
    x*sw - left + KW - 1` is +1, and -1 otherwise (on the stored bits: the
    AND of the window). Padding positions are ignored; every padding
    amount must be smaller than the kernel size in its dimension so that
    every window holds an input. `OH = (H + top + bottom - KH) / sh + 1`,
    likewise `OW`.

    `kernel` is required. `strides` defaults to 1, 1 (overlapping
    windows), unlike `torch.nn.MaxPool2d`, whose stride defaults to the
    kernel size: write `strides` equal to `kernel` for the usual
    non-overlapping pooling. `padding` defaults to 0s.

    Folds to its input when the window is 1x1 with stride 1 and no padding.

    Example:

    ```mlir
    %p = bnn.binary_max_pool2d %b {kernel = array<i64: 2, 2>,
                                   strides = array<i64: 2, 2>}
        : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
    ```
  }];
  let arguments = (ins BNN_BinaryTensor4D:$input, BNN_Pair:$kernel,
                       OptionalAttr<BNN_Pair>:$strides,
                       OptionalAttr<BNN_Quad>:$padding);
  let results = (outs BNN_BinaryTensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Strides and padding with their defaults applied (no dilation, one group).
    ::mlir::bnn::Conv2DGeometry getGeometry();
  }];
}

include "bnn/Dialect/BNN/IR/PackedConvOp.td"

#endif // BNN_DIALECT_BNN_IR_BNNOPS_TD
