//===- LowerByteDot.cpp - bnn-lower-byte-dot pass -------------------------===//
//
// bnn.byte_dot -> the target's dot-product instruction, or widening
// multiplies and adds. The intrinsic calls come after buffer deallocation
// because LLVM dialect calls declare no memory effects, which the
// deallocation passes reject.
//
//===----------------------------------------------------------------------===//

#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNLOWERBYTEDOTPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {

/// The LLVM intrinsic of `how` for `lanes` i32 lanes, or "" where it has
/// none.
std::string intrinsicFor(ByteDotInstruction how, int64_t lanes) {
  switch (how) {
  case ByteDotInstruction::X86Vnni:
    if (lanes == 4 || lanes == 8 || lanes == 16)
      return "llvm.x86.avx512.vpdpbusd." + std::to_string(32 * lanes);
    return "";
  case ByteDotInstruction::X86PmaddWd:
    if (lanes == 4)
      return "llvm.x86.sse2.pmadd.wd";
    if (lanes == 8)
      return "llvm.x86.avx2.pmadd.wd";
    if (lanes == 16)
      return "llvm.x86.avx512.pmaddw.d.512";
    return "";
  case ByteDotInstruction::ArmUsdot:
    if (lanes == 2 || lanes == 4)
      return "llvm.aarch64.neon.usdot.v" + std::to_string(lanes) + "i32.v" +
             std::to_string(4 * lanes) + "i8";
    return "";
  case ByteDotInstruction::ArmSdot:
    if (lanes == 2 || lanes == 4)
      return "llvm.aarch64.neon.sdot.v" + std::to_string(lanes) + "i32.v" +
             std::to_string(4 * lanes) + "i8";
    return "";
  case ByteDotInstruction::Generic:
    return "";
  }
  return "";
}

/// acc + pmaddwd(a even bytes, w even bytes) + pmaddwd(a odd, w odd): each
/// 16-bit half of a lane holds bytes (b0, b1); b0 and b1 widened to 16 bits
/// in place (a unsigned, w signed) make each pmaddwd sum two of a lane's
/// four products exactly (|u8 x s8| <= 32640 fits in 16 bits, and pmaddwd
/// adds the pair in 32).
Value pmaddwdDot(OpBuilder &b, Location loc, ByteDotOp op,
                 StringRef intrinsic) {
  bool signedA = op.getSignedA();
  auto type = cast<VectorType>(op.getType());
  auto halves = VectorType::get({2 * type.getNumElements()}, b.getI16Type());
  auto splat = [&](int64_t v) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(halves, APInt(16, v)));
  };
  Value a = vector::BitCastOp::create(b, loc, halves, op.getA());
  Value w = vector::BitCastOp::create(b, loc, halves, op.getW());
  Value eight = splat(8);
  Value aEven =
      signedA ? arith::ShRSIOp::create(
                    b, loc, arith::ShLIOp::create(b, loc, a, eight), eight)
                    .getResult()
              : arith::AndIOp::create(b, loc, a, splat(0xff)).getResult();
  Value aOdd =
      signedA ? arith::ShRSIOp::create(b, loc, a, eight).getResult()
              : arith::ShRUIOp::create(b, loc, a, eight).getResult();
  Value wEven = arith::ShRSIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, w, eight), eight);
  Value wOdd = arith::ShRSIOp::create(b, loc, w, eight);
  auto pmaddwd = [&](Value x, Value y) {
    return LLVM::CallIntrinsicOp::create(b, loc, type,
                                         b.getStringAttr(intrinsic),
                                         ValueRange{x, y})
        .getResult(0);
  };
  Value sum = arith::AddIOp::create(b, loc, pmaddwd(aEven, wEven),
                                    pmaddwd(aOdd, wOdd));
  return arith::AddIOp::create(b, loc, op.getAcc(), sum);
}

struct LowerByteDot : public OpRewritePattern<ByteDotOp> {
  LowerByteDot(MLIRContext *ctx, ByteDotInstruction how)
      : OpRewritePattern(ctx), how(how) {}
  LogicalResult matchAndRewrite(ByteDotOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<VectorType>(op.getType());
    int64_t lanes = type.getNumElements();
    bool signedA = op.getSignedA();
    // Signed inputs: sdot on any AArch64 core with a dot product (I8MM
    // implies it), pmaddwd on x86; VNNI multiplies unsigned bytes only.
    ByteDotInstruction use = how;
    if (signedA && use == ByteDotInstruction::ArmUsdot)
      use = ByteDotInstruction::ArmSdot;
    if (signedA && use == ByteDotInstruction::X86Vnni)
      use = ByteDotInstruction::Generic;
    std::string intrinsic = intrinsicFor(use, lanes);
    if (intrinsic.empty()) {
      rewriter.replaceOpWithNewOp<arith::AddIOp>(
          op, op.getAcc(),
          packed_conv::byteDotTerm(rewriter, loc, op.getA(), op.getW(),
                                   signedA));
      return success();
    }
    if (use == ByteDotInstruction::X86PmaddWd) {
      rewriter.replaceOp(op, pmaddwdDot(rewriter, loc, op, intrinsic));
      return success();
    }
    // Each takes the accumulator and two vectors of bytes.
    auto bytes = VectorType::get({4 * lanes}, rewriter.getI8Type());
    Value a = vector::BitCastOp::create(rewriter, loc, bytes, op.getA());
    Value w = vector::BitCastOp::create(rewriter, loc, bytes, op.getW());
    auto dot = [&](Value acc, Value x, Value y) {
      return LLVM::CallIntrinsicOp::create(rewriter, loc, type,
                                           rewriter.getStringAttr(intrinsic),
                                           ValueRange{acc, x, y})
          .getResult(0);
    };
    if (use != ByteDotInstruction::ArmSdot || signedA) {
      // vpdpbusd and usdot: unsigned a, signed w; sdot: both signed.
      rewriter.replaceOp(op, dot(op.getAcc(), a, w));
      return success();
    }
    // sdot is signed x signed: u * w = (u xor 0x80) * w + 128 * w, where
    // u xor 0x80 read signed is u - 128 and 128 * sum(w) is the negated
    // sdot of -128 bytes and w. Of the three, only the first depends on
    // both operands; CSE shares the others within a block.
    Value minus128 = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(bytes, APInt(8, 0x80)));
    Value flipped = arith::XOrIOp::create(rewriter, loc, a, minus128);
    Value shifted = dot(op.getAcc(), flipped, w);
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getZeroAttr(type));
    Value correction = dot(zero, minus128, w);
    rewriter.replaceOpWithNewOp<arith::SubIOp>(op, shifted, correction);
    return success();
  }
  ByteDotInstruction how;
};

struct BNNLowerByteDotPass
    : public bnn::impl::BNNLowerByteDotPassBase<BNNLowerByteDotPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerByteDot>(&getContext(), byteDot);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
