//===- PackedConvOp.td - the packed convolution ------------*- tablegen -*-===//
//
// The code generator's central object: bnn-bitpack lowers every binary and
// bit-serial product to it, and tiling, fusion, parallelization and
// vectorization act on it (bnn/Codegen). It is not a model-level operator.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_IR_PACKEDCONVOP_TD
#define BNN_DIALECT_BNN_IR_PACKEDCONVOP_TD

include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/TilingInterface.td"

def BNN_PackedPlanes : AnyTypeOf<[TensorRankOf<[I64, I32], [6]>,
                                  MemRefRankOf<[I64, I32], [6]>]>;
def BNN_PackedAcc : AnyTypeOf<[TensorRankOf<[I32], [4, 5]>,
                               MemRefRankOf<[I32], [4, 5]>]>;

def BNN_PackedConvOp : BNN_Op<"packed_conv", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<TilingInterface, [
      "getIterationDomain", "getLoopIteratorTypes", "getTiledImplementation",
      "getResultTilePosition", "generateResultTileValue",
      "getIterationDomainTileFromResultTile"]>]> {
  let summary = "Convolution over channels packed into words";
  let description = [{
    A convolution over bit planes packed 64 channels to an i64 word (or
    32 to an i32 word), or over bytes packed 4 channels to an i32 word, in destination-passing
    style: it adds to the i32 accumulators `init` and
    returns them (on tensors) or updates them in place (on memrefs).

    Operands: input planes `[P, N, H, W, G, words]`, filter planes
    `[Q, G, KY, KX, words, O]` and accumulators `[N, OY, OX, G, O]`, or
    `[N, OY, OX, O]` with one group. Its loops are

    ```
    parallel  n, oy, ox, g, o      reduction  p, q, ky, kx, w
    acc[n, oy, ox, g, o] += trunc_i32(term(
        input[p, n, oy * sy + ky * dy, ox * sx + kx * dx, g, w],
        filter[q, g, ky, kx, w, o], p, q))
    ```

    with `strides = [sy, sx]` and `dilations = [dy, dx]`; the input is
    already padded, so every tap is in bounds. `term` is:

    * `xor`: `popcount(a ^ f)` (binary x binary, one plane each: the
      mismatches, from which the epilogue computes `K - 2 * mismatches`);
    * `signed_weights`: `(popcount(a) - 2 * popcount(a & f)) << p`
      (unsigned k-bit activations, p their bit plane, x binary +-1 weights
      with a set bit for -1, one filter plane);
    * `unsigned_weights`: `popcount(a & f) << (p + q)` (k-bit x k-bit).
    * `byte_dot`: `sum over j < 4 of u8(a[j]) * s8(f[j])`, `x[j]` the byte
      of the i32 word `x` at bits 8j..8j+7, read unsigned for the input
      and signed for the filter (int8 convolutions, one plane each; the
      dot product that x86 VNNI `vpdpbusd` and AArch64 `usdot` compute).
    * `signed_byte_dot`: the same with the input bytes read signed too
      (`s8(a[j]) * s8(f[j])`, AArch64 `sdot`).

    The bit-plane terms take i64 words, `xor` also i32 words (binary
    layers whose channel count lies 1 to 32 past a multiple of 64), the
    byte terms i32 words.

    The optional `register_block` is the block of output pixels x channels
    that the vectorizer keeps in registers: set by hand or by a search, it
    is obeyed by `bnn-tile-packed-conv`, which otherwise chooses one and
    records it here.

    Tiling (the TilingInterface) slices the operands along the parallel
    loops and the kernel and word loops; the plane loops p and q are never
    split, because the term depends on their absolute index.
    `bnn-generalize-packed-conv` rewrites what is left after vectorization
    into a `linalg.generic` of the same loops.

    ```mlir
    %r = bnn.packed_conv <xor>
        ins(%in, %f : tensor<1x1x10x10x1x2xi64>, tensor<1x1x3x3x2x64xi64>)
        outs(%acc : tensor<1x8x8x64xi32>)
        strides = [1, 1] dilations = [1, 1] -> tensor<1x8x8x64xi32>
    ```
  }];
  let arguments = (ins BNN_PackedPlanes:$input, BNN_PackedPlanes:$filter,
                       BNN_PackedAcc:$init, BNN_PackedTermAttr:$term,
                       BNN_Pair:$strides, BNN_Pair:$dilations,
                       OptionalAttr<BNN_RegisterBlockAttr>:$register_block);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    $term `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    `outs` `(` $init `:` type($init) `)`
    `strides` `=` $strides `dilations` `=` $dilations attr-dict
    (`->` type($result)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// The operands' maps from the loops (n, oy, ox, g, o, p, q, ky, kx, w),
    /// in operand order.
    ::llvm::SmallVector<::mlir::AffineMap> getIndexingMapsArray();
    /// The loop ranges, ShapedType::kDynamic where unknown.
    ::llvm::SmallVector<int64_t> getStaticLoopRanges();
    /// Whether the accumulators have a group dimension.
    bool hasGroupDim() {
      return ::llvm::cast<::mlir::ShapedType>(getInit().getType())
                 .getRank() == 5;
    }
  }];
}

def BNN_ByteDotOp : BNN_Op<"byte_dot", [
    Pure, AllTypesMatch<["acc", "a", "w", "result"]>]> {
  let summary = "Sums of four byte products added to i32 lanes";
  let description = [{
    `result[i] = acc[i] + sum over j < 4 of u8(a[i][j]) * s8(w[i][j])`
    modulo 2^32, where `x[i][j]` is the byte at bits 8j..8j+7 of lane `i`;
    with `signed_a`, `s8(a[i][j])`: the `byte_dot` (`signed_byte_dot`)
    term of `bnn.packed_conv`, lane by lane, as `bnn-vectorize-packed-conv`
    writes it. `bnn-lower-byte-dot` turns it into the target's
    dot-product instruction (x86 `vpdpbusd`, AArch64 `usdot` or `sdot`) or
    into widening multiplies and adds.

    ```mlir
    %r = bnn.byte_dot %acc, %a, %w : vector<16xi32>
    %s = bnn.byte_dot %acc, %a, %w {signed_a} : vector<4xi32>
    ```
  }];
  let arguments = (ins VectorOfRankAndType<[1], [I32]>:$acc,
                       VectorOfRankAndType<[1], [I32]>:$a,
                       VectorOfRankAndType<[1], [I32]>:$w,
                       UnitAttr:$signed_a);
  let results = (outs VectorOfRankAndType<[1], [I32]>:$result);
  let assemblyFormat = "$acc `,` $a `,` $w attr-dict `:` type($result)";
}

#endif // BNN_DIALECT_BNN_IR_PACKEDCONVOP_TD
