//===- InterpreterTest.cpp - the interpreter on upstream glue operators ---===//
//
// Each test parses a small function, interprets it and compares with values
// worked out by hand from the operator definitions (the arithmetic is in the
// comments). Floats are compared bit for bit, so the sign of zero counts; an
// expected NaN matches any NaN.
//
//===----------------------------------------------------------------------===//

#include "bnn/Reference/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::bnn::ref;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

/// The values 0, 1, 2, ... in a tensor of the given shape.
Tensor iota(std::vector<int64_t> shape) {
  Tensor t(ElementType::f32(), std::move(shape));
  for (size_t i = 0; i < t.floats().size(); ++i)
    t.floats()[i] = float(i);
  return t;
}

Tensor floats(std::vector<int64_t> shape, std::vector<float> values) {
  return Tensor::ofFloats(std::move(shape), std::move(values));
}

Tensor ints(ElementType type, std::vector<int64_t> shape,
            std::vector<int64_t> values) {
  return Tensor::ofInts(type, std::move(shape), std::move(values));
}

uint32_t bitsOf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

void expectFloats(const Tensor &t, std::vector<int64_t> shape,
                  std::vector<float> expected) {
  ASSERT_TRUE(t.isFloat()) << t.typeString();
  ASSERT_EQ(t.shape(), shape);
  ASSERT_EQ(t.floats().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    float actual = t.floats()[i];
    if (std::isnan(expected[i]))
      EXPECT_TRUE(std::isnan(actual)) << "element " << i << ": " << actual;
    else
      EXPECT_EQ(bitsOf(actual), bitsOf(expected[i]))
          << "element " << i << ": " << actual << ", expected " << expected[i];
  }
}

void expectInts(const Tensor &t, ElementType type, std::vector<int64_t> shape,
                std::vector<int64_t> expected) {
  EXPECT_TRUE(t.type() == type) << t.typeString();
  EXPECT_EQ(t.shape(), shape);
  EXPECT_EQ(t.ints(), expected);
}

class InterpreterGlue : public ::testing::Test {
protected:
  InterpreterGlue() {
    DialectRegistry registry;
    registerInterpreterDialects(registry);
    context.appendDialectRegistry(registry);
  }

  /// Parses `source`, runs its function @main on `args` and collects the
  /// diagnostics in `diagnostics`.
  FailureOr<std::vector<Tensor>> run(StringRef source,
                                     std::vector<Tensor> args = {}) {
    diagnostics.clear();
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      diagnostics.push_back(d.str());
      return success();
    });
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module) {
      ADD_FAILURE() << "parse failed: " << allDiagnostics();
      return failure();
    }
    auto entry = module->lookupSymbol<func::FuncOp>("main");
    if (!entry) {
      ADD_FAILURE() << "no function @main";
      return failure();
    }
    return interpret(entry, args);
  }

  /// run() that must succeed with `count` results.
  std::vector<Tensor> runOk(StringRef source, std::vector<Tensor> args,
                            size_t count) {
    FailureOr<std::vector<Tensor>> results = run(source, std::move(args));
    if (failed(results)) {
      ADD_FAILURE() << "interpretation failed: " << allDiagnostics();
      return {};
    }
    EXPECT_EQ(results->size(), count);
    return *results;
  }

  /// run() that must fail with a diagnostic containing `message`.
  void expectFailure(StringRef source, std::vector<Tensor> args,
                     StringRef message) {
    FailureOr<std::vector<Tensor>> results = run(source, std::move(args));
    EXPECT_TRUE(failed(results));
    EXPECT_NE(allDiagnostics().find(message.str()), std::string::npos)
        << "diagnostics: " << allDiagnostics();
  }

  std::string allDiagnostics() const {
    std::string all;
    for (const std::string &d : diagnostics)
      all += d + "\n";
    return all;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> diagnostics;
};

//===----------------------------------------------------------------------===//
// tosa convolutions
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, TosaConv2DPaddedAllOnes) {
  // All-ones 3x3 input and weights, pad 1: each output is the number of
  // in-bounds taps (corner 4, edge 6, centre 9) plus the channel's bias.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x3x3x1xf32>}> : () -> tensor<2x3x3x1xf32>
  %b = "tosa.const"() <{values = dense<[0.5, 10.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
})mlir",
                       {floats({1, 3, 3, 1}, std::vector<float>(9, 1.0f))}, 1);
  ASSERT_EQ(results.size(), 1u);
  expectFloats(results[0], {1, 3, 3, 2},
               {4.5, 14, 6.5, 16, 4.5, 14, //
                6.5, 16, 9.5, 19, 6.5, 16, //
                4.5, 14, 6.5, 16, 4.5, 14});
}

TEST_F(InterpreterGlue, TosaConv2DStride2AsymmetricPad) {
  // x[i][j] = 4i + j on 4x4, 3x3 ones, pad top/left 1 only, stride 2:
  // OH = (4 - 1 + 1 + 0 - 2) / 2 + 1 = 2. Output (oy, ox) sums rows and
  // columns 2*o - 1 .. 2*o + 1 that exist:
  //   (0,0) rows 0-1, cols 0-1: 0+1+4+5 = 10
  //   (0,1) rows 0-1, cols 1-3: (1+2+3) + (5+6+7) = 24
  //   (1,0) rows 1-3, cols 0-1: (4+5) + (8+9) + (12+13) = 51
  //   (1,1) rows 1-3, cols 1-3: 18 + 30 + 42 = 90
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x3x3x1xf32>}> : () -> tensor<1x3x3x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x3x3x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  return %y : tensor<1x2x2x1xf32>
})mlir",
                       {iota({1, 4, 4, 1})}, 1);
  ASSERT_EQ(results.size(), 1u);
  expectFloats(results[0], {1, 2, 2, 1}, {10, 24, 51, 90});
}

TEST_F(InterpreterGlue, TosaConv2DDilationAndChannels) {
  // Input channel 0 holds 1, channel 1 holds 2; weights 1 on channel 0 and
  // 10 on channel 1, so every tap adds 1*1 + 2*10 = 21. A 3x3 kernel with
  // dilation 2 spans 5x5: one output, 9 taps, 189.
  Tensor x(ElementType::f32(), {1, 5, 5, 2});
  Tensor w(ElementType::f32(), {1, 3, 3, 2});
  for (size_t i = 0; i < x.floats().size(); ++i)
    x.floats()[i] = i % 2 ? 2.0f : 1.0f;
  for (size_t i = 0; i < w.floats().size(); ++i)
    w.floats()[i] = i % 2 ? 10.0f : 1.0f;
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x5x5x2xf32>, %w: tensor<1x3x3x2xf32>) -> tensor<1x1x1x1xf32> {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>} : (tensor<1x5x5x2xf32>, tensor<1x3x3x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
})mlir",
                       {x, w}, 1);
  ASSERT_EQ(results.size(), 1u);
  expectFloats(results[0], {1, 1, 1, 1}, {189});
}

TEST_F(InterpreterGlue, ConvolutionBiasOrder) {
  // Floats near 1e8 are 8 apart, so 1e8 + 1 rounds back to 1e8.
  // conv2d starts from the bias: nine times 1e8 + 1 = 1e8.
  // depthwise_conv2d adds the bias last: 9 + 1e8 = 100000009, which rounds
  // to the nearest float 100000008.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x3x3x1xf32>) -> (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x3x3x1xf32>}> : () -> tensor<1x3x3x1xf32>
  %dw = "tosa.const"() <{values = dense<1.0> : tensor<3x3x1x1xf32>}> : () -> tensor<3x3x1x1xf32>
  %b = "tosa.const"() <{values = dense<1.0e8> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<1x3x3x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %d = tosa.depthwise_conv2d %x, %dw, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<3x3x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %c, %d : tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>
})mlir",
                       {floats({1, 3, 3, 1}, std::vector<float>(9, 1.0f))}, 2);
  ASSERT_EQ(results.size(), 2u);
  expectFloats(results[0], {1, 1, 1, 1}, {100000000.0f});
  expectFloats(results[1], {1, 1, 1, 1}, {100000008.0f});
}

TEST_F(InterpreterGlue, TosaDepthwiseConv2DMultiplierPadStride) {
  // Channel c of the 3x3 input holds c + 1; weight [ky][kx][c][m] = m + 1.
  // Pad 1, stride 2: OH = (3 - 1 + 2 - 2) / 2 + 1 = 2 and every window has
  // 2x2 in-bounds taps, so output channel c*2 + m is
  // 4 * (c + 1) * (m + 1) + bias: 4 + 0.5, 8 + 0.25, 8 + 0.125, 16 + 0.
  Tensor x(ElementType::f32(), {1, 3, 3, 2});
  Tensor w(ElementType::f32(), {3, 3, 2, 2});
  for (size_t i = 0; i < x.floats().size(); ++i)
    x.floats()[i] = float(i % 2 + 1);
  for (size_t i = 0; i < w.floats().size(); ++i)
    w.floats()[i] = float(i % 2 + 1);
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x3x3x2xf32>, %w: tensor<3x3x2x2xf32>) -> tensor<1x2x2x4xf32> {
  %b = "tosa.const"() <{values = dense<[0.5, 0.25, 0.125, 0.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<3x3x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
})mlir",
                       {x, w}, 1);
  ASSERT_EQ(results.size(), 1u);
  std::vector<float> expected;
  for (int i = 0; i < 4; ++i)
    expected.insert(expected.end(), {4.5f, 8.25f, 8.125f, 16.0f});
  expectFloats(results[0], {1, 2, 2, 4}, expected);
}

//===----------------------------------------------------------------------===//
// tosa elementwise
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, TosaAddBroadcasts) {
  // 2x1 + 1x3 -> 2x3: a[i] + b[j]. 1x2x2x2 + 1x1x1x2: x + [100, 200] by
  // channel.
  auto results = runOk(R"mlir(
func.func @main(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>, %x: tensor<1x2x2x2xf32>, %c: tensor<1x1x1x2xf32>) -> (tensor<2x3xf32>, tensor<1x2x2x2xf32>) {
  %0 = tosa.add %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %1 = tosa.add %x, %c : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<1x2x2x2xf32>
})mlir",
                       {floats({2, 1}, {1, 2}), floats({1, 3}, {10, 20, 30}),
                        iota({1, 2, 2, 2}), floats({1, 1, 1, 2}, {100, 200})},
                       2);
  ASSERT_EQ(results.size(), 2u);
  expectFloats(results[0], {2, 3}, {11, 21, 31, 12, 22, 32});
  expectFloats(results[1], {1, 2, 2, 2},
               {100, 201, 102, 203, 104, 205, 106, 207});
}

TEST_F(InterpreterGlue, TosaFloatBinaryOps) {
  // sub is operand 1 minus operand 2; mul has shift 0; maximum/minimum
  // propagate NaN unless nan_mode is IGNORE, and order -0 below +0.
  auto results =
      runOk(R"mlir(
func.func @main(%a: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.sub %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = tosa.mul %a, %b, %sh : (tensor<3xf32>, tensor<3xf32>, tensor<1xi8>) -> tensor<3xf32>
  %2 = tosa.maximum %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = tosa.maximum %a, %b {nan_mode = #tosa.nan_mode<IGNORE>} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %4 = tosa.minimum %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %5 = tosa.minimum %a, %b {nan_mode = #tosa.nan_mode<IGNORE>} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
})mlir",
            {floats({3}, {5, kNaN, -0.0f}), floats({3}, {2, 3, 0.0f})}, 6);
  ASSERT_EQ(results.size(), 6u);
  expectFloats(results[0], {3}, {3, kNaN, -0.0f});  // -0 - 0 = -0
  expectFloats(results[1], {3}, {10, kNaN, -0.0f}); // -0 * 0 = -0
  expectFloats(results[2], {3}, {5, kNaN, 0.0f});
  expectFloats(results[3], {3}, {5, 3, 0.0f});
  expectFloats(results[4], {3}, {2, kNaN, -0.0f});
  expectFloats(results[5], {3}, {2, 3, -0.0f});
}

TEST_F(InterpreterGlue, TosaIntegerBinaryOps) {
  // i32 wraps: 2147483647 + 1 = -2147483648. mul with shift 1 rounds the
  // halved product half up: 7*3 = 21 -> 10.5 -> 11, -7*3 = -21 -> -10.5 -> -10.
  auto results = runOk(R"mlir(
func.func @main(%a: tensor<3xi32>, %b: tensor<3xi32>) -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) {
  %sh0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %sh1 = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.add %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %1 = tosa.sub %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %2 = tosa.mul %a, %b, %sh0 : (tensor<3xi32>, tensor<3xi32>, tensor<1xi8>) -> tensor<3xi32>
  %3 = tosa.mul %a, %b, %sh1 : (tensor<3xi32>, tensor<3xi32>, tensor<1xi8>) -> tensor<3xi32>
  %4 = tosa.maximum %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %5 = tosa.minimum %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>
})mlir",
                       {ints(ElementType::i32(), {3}, {7, -7, 2147483647}),
                        ints(ElementType::i32(), {3}, {3, 3, 1})},
                       6);
  ASSERT_EQ(results.size(), 6u);
  ElementType i32 = ElementType::i32();
  expectInts(results[0], i32, {3}, {10, -4, -2147483648LL});
  expectInts(results[1], i32, {3}, {4, -10, 2147483646});
  expectInts(results[2], i32, {3}, {21, -21, 2147483647});
  // 2147483647 * 1 = 2147483647, + 1 = 2147483648, >> 1 = 1073741824.
  expectInts(results[3], i32, {3}, {11, -10, 1073741824});
  expectInts(results[4], i32, {3}, {7, 3, 2147483647});
  expectInts(results[5], i32, {3}, {3, -7, 1});
}

TEST_F(InterpreterGlue, TosaClamp) {
  // clamp(x, 0, 6) = max(min(x, 6), 0): -2 -> 0, 7 -> 6, -0 -> +0; NaN stays
  // NaN, or becomes min_val with nan_mode IGNORE.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<5xf32>, %i: tensor<3xi32>) -> (tensor<5xf32>, tensor<5xf32>, tensor<3xi32>) {
  %0 = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<5xf32>) -> tensor<5xf32>
  %1 = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32, nan_mode = #tosa.nan_mode<IGNORE>} : (tensor<5xf32>) -> tensor<5xf32>
  %2 = tosa.clamp %i {min_val = 0 : i32, max_val = 10 : i32} : (tensor<3xi32>) -> tensor<3xi32>
  return %0, %1, %2 : tensor<5xf32>, tensor<5xf32>, tensor<3xi32>
})mlir",
                       {floats({5}, {-2, 0.5, 7, kNaN, -0.0f}),
                        ints(ElementType::i32(), {3}, {-5, 3, 100})},
                       3);
  ASSERT_EQ(results.size(), 3u);
  expectFloats(results[0], {5}, {0, 0.5, 6, kNaN, 0.0f});
  expectFloats(results[1], {5}, {0, 0.5, 6, 0, 0.0f});
  expectInts(results[2], ElementType::i32(), {3}, {0, 3, 10});
}

TEST_F(InterpreterGlue, TosaUnaryOps) {
  // sigmoid(x) = 1 / (exp(-x) + 1): 0 -> 1/2; exp(-100) is below half an
  // ulp of 1, so 100 -> 1; exp(100) overflows f32, so -100 -> 1/inf = 0.
  // exp(0) = 1, exp(1) = e. reciprocal: 1/4, 1/-0.5, 1/0 = inf.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<3xf32>, %y: tensor<2xf32>, %z: tensor<3xf32>) -> (tensor<3xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.sigmoid %x : (tensor<3xf32>) -> tensor<3xf32>
  %1 = tosa.exp %y : (tensor<2xf32>) -> tensor<2xf32>
  %2 = tosa.reciprocal %z : (tensor<3xf32>) -> tensor<3xf32>
  %3 = tosa.negate %z, %zp, %zp : (tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<2xf32>, tensor<3xf32>, tensor<3xf32>
})mlir",
                       {floats({3}, {0, 100, -100}), floats({2}, {0, 1}),
                        floats({3}, {4, -0.5, 0})},
                       4);
  ASSERT_EQ(results.size(), 4u);
  expectFloats(results[0], {3}, {0.5, 1, 0});
  ASSERT_TRUE(results[1].isFloat());
  EXPECT_EQ(results[1].floats()[0], 1.0f);
  EXPECT_FLOAT_EQ(results[1].floats()[1], 2.718281828f);
  expectFloats(results[2], {3}, {0.25, -2, kInf});
  expectFloats(results[3], {3}, {-4, 0.5, -0.0f});
}

TEST_F(InterpreterGlue, TosaCast) {
  // f32 -> int rounds half to even and saturates: 2.5 -> 2, 3.5 -> 4,
  // -2.5 -> -2, 0.7 -> 1, 1e10 -> INT32_MAX, -1e10 -> INT32_MIN; NaN gives
  // INT32_MAX for i32 and 0 for i8. i8: 300 -> 127, -128.5 -> -128,
  // 127.5 -> 128 -> 127. i32 -> f32 rounds to even: 16777217 -> 16777216.
  // i1 is a boolean: f32 -> i1 is x != 0, i1 -> f32/i32 gives 0 or 1.
  // Integer narrowing wraps: 300 -> 300 - 256 = 44.
  auto results = runOk(
      R"mlir(
func.func @main(%f: tensor<7xf32>, %g: tensor<5xf32>, %i: tensor<2xi32>, %h: tensor<4xf32>, %b: tensor<2xi1>, %c: tensor<2xi8>) -> (tensor<7xi32>, tensor<5xi8>, tensor<2xf32>, tensor<4xi1>, tensor<2xf32>, tensor<2xi32>, tensor<2xi8>, tensor<2xi32>) {
  %0 = tosa.cast %f : (tensor<7xf32>) -> tensor<7xi32>
  %1 = tosa.cast %g : (tensor<5xf32>) -> tensor<5xi8>
  %2 = tosa.cast %i : (tensor<2xi32>) -> tensor<2xf32>
  %3 = tosa.cast %h : (tensor<4xf32>) -> tensor<4xi1>
  %4 = tosa.cast %b : (tensor<2xi1>) -> tensor<2xf32>
  %5 = tosa.cast %b : (tensor<2xi1>) -> tensor<2xi32>
  %6 = tosa.cast %i : (tensor<2xi32>) -> tensor<2xi8>
  %7 = tosa.cast %c : (tensor<2xi8>) -> tensor<2xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<7xi32>, tensor<5xi8>, tensor<2xf32>, tensor<4xi1>, tensor<2xf32>, tensor<2xi32>, tensor<2xi8>, tensor<2xi32>
})mlir",
      {floats({7}, {2.5, 3.5, -2.5, 0.7f, 1e10f, -1e10f, kNaN}),
       floats({5}, {300, -128.5, 127.5, -0.4f, kNaN}),
       ints(ElementType::i32(), {2}, {16777217, 300}),
       floats({4}, {0, -0.0f, 2, kNaN}), ints(ElementType::i1(), {2}, {1, 0}),
       ints(ElementType::i8(), {2}, {-1, 127})},
      8);
  ASSERT_EQ(results.size(), 8u);
  expectInts(results[0], ElementType::i32(), {7},
             {2, 4, -2, 1, 2147483647, -2147483648LL, 2147483647});
  expectInts(results[1], ElementType::i8(), {5}, {127, -128, 127, 0, 0});
  expectFloats(results[2], {2}, {16777216, 300});
  expectInts(results[3], ElementType::i1(), {4}, {0, 0, 1, 1});
  expectFloats(results[4], {2}, {1, 0});
  expectInts(results[5], ElementType::i32(), {2}, {1, 0});
  expectInts(results[6], ElementType::i8(), {2},
             {1, 44}); // 16777217 = 2^24 + 1
  expectInts(results[7], ElementType::i32(), {2}, {-1, 127});
}

//===----------------------------------------------------------------------===//
// tosa pooling, reductions, matmul
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, TosaAvgPool2DExcludesPadding) {
  // [[1, 3], [5, 7]], 2x2 kernel, pad 1, stride 1 -> 3x3. Each output is the
  // mean of its in-bounds elements only: corners 1/1, 3/1, 5/1, 7/1; edges
  // (1+3)/2, (1+5)/2, (3+7)/2, (5+7)/2; centre 16/4. Without padding the
  // single window gives 16/4 = 4.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x2x2x1xf32>) -> (tensor<1x3x3x1xf32>, tensor<1x1x1x1xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x1xf32>
  %1 = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %0, %1 : tensor<1x3x3x1xf32>, tensor<1x1x1x1xf32>
})mlir",
                       {floats({1, 2, 2, 1}, {1, 3, 5, 7})}, 2);
  ASSERT_EQ(results.size(), 2u);
  expectFloats(results[0], {1, 3, 3, 1}, {1, 2, 3, 3, 4, 5, 5, 6, 7});
  expectFloats(results[1], {1, 1, 1, 1}, {4});
}

TEST_F(InterpreterGlue, TosaMaxPool2D) {
  // x[i][j] = 4i + j, 2x2 windows, stride 2: bottom-right of each window,
  // 5, 7, 13, 15. All-negative [[-1, -2], [-3, -4]] with pad 1: padding
  // never wins, each output is the max of its in-bounds elements.
  auto results =
      runOk(R"mlir(
func.func @main(%x: tensor<1x4x4x1xf32>, %n: tensor<1x2x2x1xf32>) -> (tensor<1x2x2x1xf32>, tensor<1x3x3x1xf32>) {
  %0 = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %1 = tosa.max_pool2d %n {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x2x2x1xf32>) -> tensor<1x3x3x1xf32>
  return %0, %1 : tensor<1x2x2x1xf32>, tensor<1x3x3x1xf32>
})mlir",
            {iota({1, 4, 4, 1}), floats({1, 2, 2, 1}, {-1, -2, -3, -4})}, 2);
  ASSERT_EQ(results.size(), 2u);
  expectFloats(results[0], {1, 2, 2, 1}, {5, 7, 13, 15});
  expectFloats(results[1], {1, 3, 3, 1}, {-1, -1, -2, -1, -1, -2, -3, -3, -4});
}

TEST_F(InterpreterGlue, TosaReductions) {
  // [[1, 2, 3], [4, 5, 6]]: column sums 5, 7, 9; row sums 6, 15; row max 3, 6.
  // The sum runs in index order: 1e8 + 1 rounds back to 1e8 eight times.
  // reduce_max of [1, NaN, 3] is NaN, or 3 with nan_mode IGNORE.
  // i32 sums wrap: 2147483647 + 1 = -2147483648.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<2x3xf32>, %big: tensor<1x9xf32>, %n: tensor<1x3xf32>, %i: tensor<1x2xi32>) -> (tensor<1x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xi32>) {
  %0 = tosa.reduce_sum %x {axis = 0 : i32} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  %1 = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %2 = tosa.reduce_max %x {axis = 1 : i32} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %3 = tosa.reduce_sum %big {axis = 1 : i32} : (tensor<1x9xf32>) -> tensor<1x1xf32>
  %4 = tosa.reduce_max %n {axis = 1 : i32} : (tensor<1x3xf32>) -> tensor<1x1xf32>
  %5 = tosa.reduce_max %n {axis = 1 : i32, nan_mode = #tosa.nan_mode<IGNORE>} : (tensor<1x3xf32>) -> tensor<1x1xf32>
  %6 = tosa.reduce_sum %i {axis = 1 : i32} : (tensor<1x2xi32>) -> tensor<1x1xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<1x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xi32>
})mlir",
                       {floats({2, 3}, {1, 2, 3, 4, 5, 6}),
                        floats({1, 9}, {1e8f, 1, 1, 1, 1, 1, 1, 1, 1}),
                        floats({1, 3}, {1, kNaN, 3}),
                        ints(ElementType::i32(), {1, 2}, {2147483647, 1})},
                       7);
  ASSERT_EQ(results.size(), 7u);
  expectFloats(results[0], {1, 3}, {5, 7, 9});
  expectFloats(results[1], {2, 1}, {6, 15});
  expectFloats(results[2], {2, 1}, {3, 6});
  expectFloats(results[3], {1, 1}, {1e8f});
  expectFloats(results[4], {1, 1}, {kNaN});
  expectFloats(results[5], {1, 1}, {3});
  expectInts(results[6], ElementType::i32(), {1, 1}, {-2147483648LL});
}

TEST_F(InterpreterGlue, TosaMatMul) {
  // Batch 0: [[1, 2, 3], [4, 5, 6]] x [[1, 0], [0, 1], [1, 1]]
  //   = [[1 + 3, 2 + 3], [4 + 6, 5 + 6]] = [[4, 5], [10, 11]].
  // Batch 1: all ones, inner dimension 3: every entry 3.
  auto results =
      runOk(R"mlir(
func.func @main(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>) -> tensor<2x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.matmul %a, %b, %zp, %zp : (tensor<2x2x3xf32>, tensor<2x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
})mlir",
            {floats({2, 2, 3}, {1, 2, 3, 4, 5, 6, 1, 1, 1, 1, 1, 1}),
             floats({2, 3, 2}, {1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1})},
            1);
  ASSERT_EQ(results.size(), 1u);
  expectFloats(results[0], {2, 2, 2}, {4, 5, 10, 11, 3, 3, 3, 3});
}

//===----------------------------------------------------------------------===//
// tosa data movement
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, TosaTransposeAndConcat) {
  // perms [1, 0] of [[0, 1, 2], [3, 4, 5]] is [[0, 3], [1, 4], [2, 5]].
  // perms [2, 0, 1] of a[i][j][k] = 12i + 4j + k (2x3x4) gives
  // out[k][i][j] = a[i][j][k], shape 4x2x3.
  // concat on axis 1 of [[1], [2]] and [[3, 4], [5, 6]]: [[1, 3, 4], [2, 5,
  // 6]].
  auto results = runOk(R"mlir(
func.func @main(%a: tensor<2x3xf32>, %b: tensor<2x3x4xf32>, %c: tensor<2x1xf32>, %d: tensor<2x2xf32>) -> (tensor<3x2xf32>, tensor<4x2x3xf32>, tensor<2x3xf32>) {
  %0 = tosa.transpose %a {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = tosa.transpose %b {perms = array<i32: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %2 = tosa.concat %c, %d {axis = 1 : i32} : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<4x2x3xf32>, tensor<2x3xf32>
})mlir",
                       {iota({2, 3}), iota({2, 3, 4}), floats({2, 1}, {1, 2}),
                        floats({2, 2}, {3, 4, 5, 6})},
                       3);
  ASSERT_EQ(results.size(), 3u);
  expectFloats(results[0], {3, 2}, {0, 3, 1, 4, 2, 5});
  std::vector<float> transposed;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        transposed.push_back(float(12 * i + 4 * j + k));
  expectFloats(results[1], {4, 2, 3}, transposed);
  expectFloats(results[2], {2, 3}, {1, 3, 4, 2, 5, 6});
}

TEST_F(InterpreterGlue, TosaShapeOperands) {
  // Operators that take !tosa.shape operands from tosa.const_shape.
  // reshape keeps the row-major order (a -1 takes the remaining size);
  // slice of x[i][j] = 4i + j from [1, 2], size 2x2: [[6, 7], [10, 11]];
  // pad [[1, 2]] with [lo0, hi0, lo1, hi1] = [0, 1, 1, 0] and 9:
  // [[9, 1, 2], [9, 9, 9]].
  auto results = runOk(R"mlir(
func.func @main(%a: tensor<2x3xf32>, %x: tensor<4x4xf32>, %p: tensor<1x2xf32>) -> (tensor<3x2xf32>, tensor<1x6xf32>, tensor<2x2xf32>, tensor<2x3xf32>) {
  %s0 = tosa.const_shape {values = dense<[3, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s1 = tosa.const_shape {values = dense<[1, -1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %0 = tosa.reshape %a, %s0 : (tensor<2x3xf32>, !tosa.shape<2>) -> tensor<3x2xf32>
  %1 = tosa.reshape %a, %s1 : (tensor<2x3xf32>, !tosa.shape<2>) -> tensor<1x6xf32>
  %start = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %size = tosa.const_shape {values = dense<[2, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %2 = tosa.slice %x, %start, %size : (tensor<4x4xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x2xf32>
  %pads = tosa.const_shape {values = dense<[0, 1, 1, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %nine = "tosa.const"() <{values = dense<9.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %3 = tosa.pad %p, %pads, %nine : (tensor<1x2xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<1x6xf32>, tensor<2x2xf32>, tensor<2x3xf32>
})mlir",
                       {iota({2, 3}), iota({4, 4}), floats({1, 2}, {1, 2})}, 4);
  ASSERT_EQ(results.size(), 4u);
  expectFloats(results[0], {3, 2}, {0, 1, 2, 3, 4, 5});
  expectFloats(results[1], {1, 6}, {0, 1, 2, 3, 4, 5});
  expectFloats(results[2], {2, 2}, {6, 7, 10, 11});
  expectFloats(results[3], {2, 3}, {9, 1, 2, 9, 9, 9});
}

TEST_F(InterpreterGlue, TosaResNetTail) {
  // ones(1x4x4x2) through a padded 3x3 all-ones conv with 4 outputs and bias
  // [0, 1, 2, 3]: 2 * (in-bounds taps) + bias. The taps over the 16
  // positions sum to 4*4 + 8*6 + 4*9 = 100, so the global average is
  // 2 * 100 / 16 + bias = 12.5 + bias; + 0.5 gives [13, 14, 15, 16].
  // Then x [[1, 0, 1], [0, 1, 1], [0, 0, 1], [0, 0, 1]] = [13, 14, 58].
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<1x4x4x2xf32>) -> tensor<1x1x3xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<4x3x3x2xf32>}> : () -> tensor<4x3x3x2xf32>
  %b = "tosa.const"() <{values = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %half = "tosa.const"() <{values = dense<0.5> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %fc = "tosa.const"() <{values = dense<[[[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]]> : tensor<1x4x3xf32>}> : () -> tensor<1x4x3xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  %s = tosa.add %c, %half : (tensor<1x4x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x4xf32>
  %p = tosa.avg_pool2d %s, %zp, %zp {acc_type = f32, kernel = array<i64: 4, 4>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %shape = tosa.const_shape {values = dense<[1, 1, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %p, %shape : (tensor<1x1x1x4xf32>, !tosa.shape<3>) -> tensor<1x1x4xf32>
  %m = tosa.matmul %r, %fc, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32>
  return %m : tensor<1x1x3xf32>
})mlir",
                       {floats({1, 4, 4, 2}, std::vector<float>(32, 1.0f))}, 1);
  ASSERT_EQ(results.size(), 1u);
  expectFloats(results[0], {1, 1, 3}, {13, 14, 58});
}

//===----------------------------------------------------------------------===//
// arith
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, ArithFloatOps) {
  // a = [1, 6, -2, 3], b = [2, 3, 4, 8]; every result is exact.
  auto results =
      runOk(R"mlir(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = arith.addf %a, %b : tensor<4xf32>
  %1 = arith.subf %a, %b : tensor<4xf32>
  %2 = arith.mulf %a, %b : tensor<4xf32>
  %3 = arith.divf %a, %b : tensor<4xf32>
  %4 = arith.maximumf %a, %b : tensor<4xf32>
  %5 = arith.minimumf %a, %b : tensor<4xf32>
  %6 = arith.negf %a : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})mlir",
            {floats({4}, {1, 6, -2, 3}), floats({4}, {2, 3, 4, 8})}, 7);
  ASSERT_EQ(results.size(), 7u);
  expectFloats(results[0], {4}, {3, 9, 2, 11});
  expectFloats(results[1], {4}, {-1, 3, -6, -5});
  expectFloats(results[2], {4}, {2, 18, -8, 24});
  expectFloats(results[3], {4}, {0.5, 2, -0.5, 0.375});
  expectFloats(results[4], {4}, {2, 6, 4, 8});
  expectFloats(results[5], {4}, {1, 3, -2, 3});
  expectFloats(results[6], {4}, {-1, -6, 2, -3});
}

TEST_F(InterpreterGlue, ArithIntegerOpsAndConversions) {
  // i8 wraps: 100 + 100 = 200 - 256 = -56; -128 - 1 = 127;
  // 100 * 100 = 10000 = 39 * 256 + 16 -> 16; -128 * 1 = -128.
  // sitofp reads i1 as signed: true is -1. fptosi truncates toward zero.
  // extsi: i8 -1 -> -1, i1 true -> -1; extui: i8 -1 -> 255;
  // trunci: 300 -> 44, -1 -> -1.
  auto results =
      runOk(R"mlir(
func.func @main(%a: tensor<3xi8>, %b: tensor<3xi8>, %t: tensor<2xi1>, %f: tensor<2xf32>, %w: tensor<2xi32>) -> (tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<3xf32>, tensor<2xf32>, tensor<2xi32>, tensor<3xi32>, tensor<2xi8>, tensor<3xi32>, tensor<2xi8>) {
  %0 = arith.addi %a, %b : tensor<3xi8>
  %1 = arith.subi %a, %b : tensor<3xi8>
  %2 = arith.muli %a, %b : tensor<3xi8>
  %3 = arith.sitofp %a : tensor<3xi8> to tensor<3xf32>
  %4 = arith.sitofp %t : tensor<2xi1> to tensor<2xf32>
  %5 = arith.fptosi %f : tensor<2xf32> to tensor<2xi32>
  %6 = arith.extsi %a : tensor<3xi8> to tensor<3xi32>
  %7 = arith.extsi %t : tensor<2xi1> to tensor<2xi8>
  %8 = arith.extui %b : tensor<3xi8> to tensor<3xi32>
  %9 = arith.trunci %w : tensor<2xi32> to tensor<2xi8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<3xf32>, tensor<2xf32>, tensor<2xi32>, tensor<3xi32>, tensor<2xi8>, tensor<3xi32>, tensor<2xi8>
})mlir",
            {ints(ElementType::i8(), {3}, {100, -128, 7}),
             ints(ElementType::i8(), {3}, {100, 1, -1}),
             ints(ElementType::i1(), {2}, {1, 0}), floats({2}, {2.9f, -2.9f}),
             ints(ElementType::i32(), {2}, {300, -1})},
            10);
  ASSERT_EQ(results.size(), 10u);
  ElementType i8 = ElementType::i8(), i32 = ElementType::i32();
  expectInts(results[0], i8, {3}, {-56, -127, 6});
  expectInts(results[1], i8, {3}, {0, 127, 8});
  expectInts(results[2], i8, {3}, {16, -128, -7});
  expectFloats(results[3], {3}, {100, -128, 7});
  expectFloats(results[4], {2}, {-1, 0});
  expectInts(results[5], i32, {2}, {2, -2});
  expectInts(results[6], i32, {3}, {100, -128, 7});
  expectInts(results[7], i8, {2}, {-1, 0});
  expectInts(results[8], i32, {3}, {100, 1, 255});
  expectInts(results[9], i8, {2}, {44, -1});
}

TEST_F(InterpreterGlue, ArithCompareAndSelect) {
  // olt is false when either side is NaN, une is true; select takes a where
  // the condition holds. slt/ult on i32: -1 is below 0 signed, above
  // unsigned.
  auto results = runOk(R"mlir(
func.func @main(%a: tensor<3xf32>, %b: tensor<3xf32>, %i: tensor<2xi32>, %j: tensor<2xi32>) -> (tensor<3xi1>, tensor<3xi1>, tensor<3xf32>, tensor<2xi1>, tensor<2xi1>) {
  %0 = arith.cmpf olt, %a, %b : tensor<3xf32>
  %1 = arith.cmpf une, %a, %b : tensor<3xf32>
  %2 = arith.select %0, %a, %b : tensor<3xi1>, tensor<3xf32>
  %3 = arith.cmpi slt, %i, %j : tensor<2xi32>
  %4 = arith.cmpi ult, %i, %j : tensor<2xi32>
  return %0, %1, %2, %3, %4 : tensor<3xi1>, tensor<3xi1>, tensor<3xf32>, tensor<2xi1>, tensor<2xi1>
})mlir",
                       {floats({3}, {1, 2, kNaN}), floats({3}, {2, 2, 0}),
                        ints(ElementType::i32(), {2}, {1, -1}),
                        ints(ElementType::i32(), {2}, {0, 0})},
                       5);
  ASSERT_EQ(results.size(), 5u);
  ElementType i1 = ElementType::i1();
  expectInts(results[0], i1, {3}, {1, 0, 0});
  expectInts(results[1], i1, {3}, {1, 0, 1});
  expectFloats(results[2], {3}, {1, 2, 0});
  expectInts(results[3], i1, {2}, {0, 1});
  expectInts(results[4], i1, {2}, {0, 0});
}

TEST_F(InterpreterGlue, ScalarConstantsFillAndPad) {
  // Scalars are values too: a scalar constant feeds linalg.fill, and
  // tensor.pad yields one defined outside its region.
  // [[1, 2], [3, 4]] padded low [1, 0] high [0, 2] with 9:
  // [[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]].
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<2x2xf32>) -> (tensor<2x3xf32>, tensor<3x4xf32>, tensor<2xi32>) {
  %c = arith.constant 2.5 : f32
  %nine = arith.constant 9.0 : f32
  %seven = arith.constant 7 : i32
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.fill ins(%c : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tensor.pad %x low[1, 0] high[0, 2] {
  ^bb0(%i: index, %j: index):
    tensor.yield %nine : f32
  } : tensor<2x2xf32> to tensor<3x4xf32>
  %ei = tensor.empty() : tensor<2xi32>
  %2 = linalg.fill ins(%seven : i32) outs(%ei : tensor<2xi32>) -> tensor<2xi32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<3x4xf32>, tensor<2xi32>
})mlir",
                       {floats({2, 2}, {1, 2, 3, 4})}, 3);
  ASSERT_EQ(results.size(), 3u);
  expectFloats(results[0], {2, 3}, {2.5, 2.5, 2.5, 2.5, 2.5, 2.5});
  expectFloats(results[1], {3, 4}, {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9});
  expectInts(results[2], ElementType::i32(), {2}, {7, 7});
}

//===----------------------------------------------------------------------===//
// tensor
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, TensorReshapes) {
  // Reshapes keep the row-major order of 0..5; tensor.empty is zeros.
  auto results = runOk(R"mlir(
func.func @main(%x: tensor<6xf32>) -> (tensor<2x3xf32>, tensor<6xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<6xf32>) {
  %0 = tensor.expand_shape %x [[0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
  %1 = tensor.collapse_shape %0 [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %s = arith.constant dense<[3, 2]> : tensor<2xi64>
  %2 = tensor.reshape %x(%s) : (tensor<6xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %3 = tensor.empty() : tensor<2x2xf32>
  %4 = tensor.cast %1 : tensor<6xf32> to tensor<6xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<6xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<6xf32>
})mlir",
                       {iota({6})}, 5);
  ASSERT_EQ(results.size(), 5u);
  expectFloats(results[0], {2, 3}, {0, 1, 2, 3, 4, 5});
  expectFloats(results[1], {6}, {0, 1, 2, 3, 4, 5});
  expectFloats(results[2], {3, 2}, {0, 1, 2, 3, 4, 5});
  expectFloats(results[3], {2, 2}, {0, 0, 0, 0});
  expectFloats(results[4], {6}, {0, 1, 2, 3, 4, 5});
}

TEST_F(InterpreterGlue, TensorPadSlicesAndConcat) {
  // pad [[1, 2], [3, 4]] low [1, 0] high [0, 2] with 9 (the constant lives
  // in the region): [[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]].
  // On x[i][j] = 4i + j: row 1, columns 0 and 2 (rank-reduced) = [4, 6];
  // rows 0 and 2, columns 1 and 3 = [[1, 3], [9, 11]].
  // insert [7, 8] into a 3x3 zero tensor at row 1, columns 0 and 2.
  // concat on dim 0 of [[1, 2]] and [[3, 4], [5, 6]].
  auto results =
      runOk(R"mlir(
func.func @main(%p: tensor<2x2xf32>, %x: tensor<4x4xf32>, %v: tensor<2xf32>, %c: tensor<1x2xf32>, %d: tensor<2x2xf32>) -> (tensor<3x4xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<3x3xf32>, tensor<3x2xf32>) {
  %0 = tensor.pad %p low[1, 0] high[0, 2] {
  ^bb0(%i: index, %j: index):
    %nine = arith.constant 9.0 : f32
    tensor.yield %nine : f32
  } : tensor<2x2xf32> to tensor<3x4xf32>
  %1 = tensor.extract_slice %x[1, 0] [1, 2] [1, 2] : tensor<4x4xf32> to tensor<2xf32>
  %2 = tensor.extract_slice %x[0, 1] [2, 2] [2, 2] : tensor<4x4xf32> to tensor<2x2xf32>
  %z = arith.constant dense<0.0> : tensor<3x3xf32>
  %3 = tensor.insert_slice %v into %z[1, 0] [1, 2] [1, 2] : tensor<2xf32> into tensor<3x3xf32>
  %4 = tensor.concat dim(0) %c, %d : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0, %1, %2, %3, %4 : tensor<3x4xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<3x3xf32>, tensor<3x2xf32>
})mlir",
            {floats({2, 2}, {1, 2, 3, 4}), iota({4, 4}), floats({2}, {7, 8}),
             floats({1, 2}, {1, 2}), floats({2, 2}, {3, 4, 5, 6})},
            5);
  ASSERT_EQ(results.size(), 5u);
  expectFloats(results[0], {3, 4}, {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9});
  expectFloats(results[1], {2}, {4, 6});
  expectFloats(results[2], {2, 2}, {1, 3, 9, 11});
  expectFloats(results[3], {3, 3}, {0, 0, 0, 7, 0, 8, 0, 0, 0});
  expectFloats(results[4], {3, 2}, {1, 2, 3, 4, 5, 6});
}

//===----------------------------------------------------------------------===//
// linalg
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, LinalgMatmulsAccumulateIntoOuts) {
  // [[1, 2, 3], [4, 5, 6]] x ones(3x2) = row sums 6 and 15, plus outs 1:
  // [[7, 7], [16, 16]]. batch_matmul: [1, 2] . [1, 1] = 3 and
  // [3, 4] . [2, 2] = 14, outs 0.
  auto results =
      runOk(R"mlir(
func.func @main(%a: tensor<2x3xf32>, %b: tensor<2x1x2xf32>, %c: tensor<2x2x1xf32>) -> (tensor<2x2xf32>, tensor<2x1x1xf32>) {
  %ones = arith.constant dense<1.0> : tensor<3x2xf32>
  %init = arith.constant dense<1.0> : tensor<2x2xf32>
  %0 = linalg.matmul ins(%a, %ones : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %zero = arith.constant dense<0.0> : tensor<2x1x1xf32>
  %1 = linalg.batch_matmul ins(%b, %c : tensor<2x1x2xf32>, tensor<2x2x1xf32>) outs(%zero : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<2x1x1xf32>
})mlir",
            {floats({2, 3}, {1, 2, 3, 4, 5, 6}),
             floats({2, 1, 2}, {1, 2, 3, 4}), floats({2, 2, 1}, {1, 1, 2, 2})},
            2);
  ASSERT_EQ(results.size(), 2u);
  expectFloats(results[0], {2, 2}, {7, 7, 16, 16});
  expectFloats(results[1], {2, 1, 1}, {3, 14});
}

TEST_F(InterpreterGlue, LinalgConvolutions) {
  // x[i][j] = 5i + j on 5x5, 3x3 ones, stride 2, no padding, outs 0.5:
  // a window at rows r..r+2, cols c..c+2 sums 3 * (5r + 5(r+1) + 5(r+2))
  // + 3 * (c + c+1 + c+2) = 45r + 45 + 9c + 9:
  //   (0,0) 54, (0,2) 72, (2,0) 144, (2,2) 162; each + 0.5.
  // Dilation 2: rows and columns {0, 2, 4}: 3 * (0 + 10 + 20) + 3 * (0 + 2
  // + 4) = 108.
  // nhwc_fhwc: input channels hold 1 and 2, filter 0 = [1, 1] -> 3, filter
  // 1 = [1, -1] -> -1.
  auto results = runOk(
      R"mlir(
func.func @main(%x: tensor<1x5x5x1xf32>, %y: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1x2x2x2xf32>) {
  %k = arith.constant dense<1.0> : tensor<3x3x1x1xf32>
  %half = arith.constant dense<0.5> : tensor<1x2x2x1xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %k : tensor<1x5x5x1xf32>, tensor<3x3x1x1xf32>) outs(%half : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %zero = arith.constant dense<0.0> : tensor<1x1x1x1xf32>
  %1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k : tensor<1x5x5x1xf32>, tensor<3x3x1x1xf32>) outs(%zero : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  %f = arith.constant dense<[[[[1.0, 1.0]]], [[[1.0, -1.0]]]]> : tensor<2x1x1x2xf32>
  %zero2 = arith.constant dense<0.0> : tensor<1x2x2x2xf32>
  %2 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%y, %f : tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>) outs(%zero2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1, %2 : tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1x2x2x2xf32>
})mlir",
      {iota({1, 5, 5, 1}), floats({1, 2, 2, 2}, {1, 2, 1, 2, 1, 2, 1, 2})}, 3);
  ASSERT_EQ(results.size(), 3u);
  expectFloats(results[0], {1, 2, 2, 1}, {54.5, 72.5, 144.5, 162.5});
  expectFloats(results[1], {1, 1, 1, 1}, {108});
  expectFloats(results[2], {1, 2, 2, 2}, {3, -1, 3, -1, 3, -1, 3, -1});
}

TEST_F(InterpreterGlue, LinalgElementwise) {
  // [1, 2] and [3, 4]: sum [4, 6], difference [-2, -2], product [3, 8]; the
  // outs operand only gives the shape.
  auto results = runOk(R"mlir(
func.func @main(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %e = tensor.empty() : tensor<2xf32>
  %0 = linalg.add ins(%a, %b : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %1 = linalg.sub ins(%a, %b : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %2 = linalg.mul ins(%a, %b : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
})mlir",
                       {floats({2}, {1, 2}), floats({2}, {3, 4})}, 3);
  ASSERT_EQ(results.size(), 3u);
  expectFloats(results[0], {2}, {4, 6});
  expectFloats(results[1], {2}, {-2, -2});
  expectFloats(results[2], {2}, {3, 8});
}

//===----------------------------------------------------------------------===//
// Failures
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, UnsupportedOperationFails) {
  expectFailure(R"mlir(
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tosa.tanh %x : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
})mlir",
                {floats({2}, {0, 1})},
                "reference interpreter: unsupported operation 'tosa.tanh'");
}

TEST_F(InterpreterGlue, NonZeroZeroPointFails) {
  // A zero point the verifier cannot see (a function argument) is checked
  // at run time.
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x1x1x1xf32>, %zp: tensor<1xf32>) -> tensor<1x1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %b {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
})mlir",
                {floats({1, 1, 1, 1}, {1}), floats({1}, {1})},
                "reference interpreter: tosa.conv2d with non-zero zero point "
                "is not supported");
}

TEST_F(InterpreterGlue, NonZeroFloatShiftFails) {
  expectFailure(R"mlir(
func.func @main(%x: tensor<2xf32>, %sh: tensor<1xi8>) -> tensor<2xf32> {
  %0 = tosa.mul %x, %x, %sh : (tensor<2xf32>, tensor<2xf32>, tensor<1xi8>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
})mlir",
                {floats({2}, {1, 2}), ints(ElementType::i8(), {1}, {1})},
                "reference interpreter: tosa.mul with non-zero shift is not "
                "supported");
}

TEST_F(InterpreterGlue, DynamicResultShapeFails) {
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x?xf32> {
  %0 = tensor.cast %x : tensor<1x2xf32> to tensor<1x?xf32>
  return %0 : tensor<1x?xf32>
})mlir",
                {floats({1, 2}, {1, 2})},
                "reference interpreter: 'tensor.cast' with result type "
                "'tensor<1x?xf32>' is not supported");
}

TEST_F(InterpreterGlue, PoisonFPToSIFails) {
  // 1e10 does not fit i32, so arith.fptosi is poison.
  expectFailure(R"mlir(
func.func @main(%x: tensor<1xf32>) -> tensor<1xi32> {
  %0 = arith.fptosi %x : tensor<1xf32> to tensor<1xi32>
  return %0 : tensor<1xi32>
})mlir",
                {floats({1}, {1e10f})}, "(poison), is not supported");
}

TEST_F(InterpreterGlue, UserDefinedMatmulMapsFail) {
  expectFailure(R"mlir(
func.func @main(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
})mlir",
                {iota({2, 3}), iota({2, 3}), iota({2, 2})},
                "reference interpreter: linalg.matmul with user-defined "
                "indexing maps is not supported");
}

//===----------------------------------------------------------------------===//
// Indices the verifier cannot check
//
// A function's arguments may have dynamic types (the Python package and the
// C++ API pass any shape for a `?`): the verifier accepts these functions,
// and the interpreter checks every index against the values it gets. Each
// of these read or wrote outside a tensor before.
//===----------------------------------------------------------------------===//

TEST_F(InterpreterGlue, ElementwiseOfTooFewElementsFails) {
  // (A `?` in dimension 0 would be a dynamic batch; dimension 1 is not.)
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?xf32>) -> tensor<1x4xf32> {
  %0 = tosa.exp %x : (tensor<1x?xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
})mlir",
                {floats({1, 2}, {0, 1})},
                "cannot evaluate 'tosa.exp': tensor<1x2xf32> and "
                "tensor<1x4xf32> have different element counts");
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?xf32>) -> tensor<1x4xf32> {
  %0 = tensor.cast %x : tensor<1x?xf32> to tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
})mlir",
                {floats({1, 2}, {0, 1})},
                "cannot evaluate 'tensor.cast': tensor<1x2xf32> and "
                "tensor<1x4xf32> have different element counts");
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?xf32>) -> tensor<1x3xi32> {
  %0 = tosa.cast %x : (tensor<1x?xf32>) -> tensor<1x3xi32>
  return %0 : tensor<1x3xi32>
})mlir",
                {floats({1, 1}, {0})},
                "cannot evaluate 'tosa.cast': tensor<1x1xf32> and "
                "tensor<1x3xi32> have different element counts");
}

TEST_F(InterpreterGlue, SliceOutsideDynamicSourceFails) {
  // [2, 4) of a 3-element dimension.
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?xf32>) -> tensor<1x2xf32> {
  %0 = tensor.extract_slice %x[0, 2] [1, 2] [1, 1] : tensor<1x?xf32> to tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
})mlir",
                {floats({1, 3}, {0, 1, 2})},
                "cannot evaluate 'tensor.extract_slice': the slice at offset "
                "2 of size 2 and stride 1 in dimension 1 is outside "
                "tensor<1x3xf32>");
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?xf32>) -> tensor<1x2xf32> {
  %start = tosa.const_shape {values = dense<[0, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %size = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %0 = tosa.slice %x, %start, %size : (tensor<1x?xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
})mlir",
                {floats({1, 3}, {0, 1, 2})},
                "cannot evaluate 'tosa.slice': start 2 and size 2 in dimension "
                "1 leave tensor<1x3xf32>");
}

TEST_F(InterpreterGlue, PadOfDynamicSourceToWrongSizeFails) {
  // 3 + 1 + 1 elements do not make 4.
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?xf32>) -> tensor<1x4xf32> {
  %c = arith.constant 0.0 : f32
  %0 = tensor.pad %x low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %c : f32
  } : tensor<1x?xf32> to tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
})mlir",
                {floats({1, 3}, {0, 1, 2})},
                "cannot evaluate 'tensor.pad': padding 1, 1 of dimension 1 "
                "of tensor<1x3xf32> does not give tensor<1x4xf32>");
}

TEST_F(InterpreterGlue, ContractionsOfMismatchedShapesFail) {
  // [2, ?] x [3, 2]: K is 2 at run time, 3 in the other operand.
  expectFailure(R"mlir(
func.func @main(%a: tensor<2x?xf32>, %b: tensor<3x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<2x?xf32>, tensor<3x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
})mlir",
                {iota({2, 2}), iota({3, 2}), iota({2, 2})},
                "cannot evaluate 'linalg.matmul': tensor<2x2xf32> x "
                "tensor<3x2xf32> does not give tensor<2x2xf32>");
  // A 2x2 output of a 3x3 window needs a 4x4 input, not 3x3.
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x?x?x1xf32>, %w: tensor<3x3x1x1xf32>, %y: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x?x?x1xf32>, tensor<3x3x1x1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %0 : tensor<1x2x2x1xf32>
})mlir",
                {iota({1, 3, 3, 1}), iota({3, 3, 1, 1}), iota({1, 2, 2, 1})},
                "cannot evaluate 'linalg.conv_2d_nhwc_hwcf': the windows of "
                "tensor<1x2x2x1xf32> reach outside the input "
                "tensor<1x3x3x1xf32>");
  // Channels: the filter has 2, the input 1.
  expectFailure(R"mlir(
func.func @main(%x: tensor<1x1x1x?xf32>) -> tensor<1x1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x1x1x?xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
})mlir",
                {floats({1, 1, 1, 1}, {1})},
                "cannot evaluate 'tosa.conv2d': input tensor<1x1x1x1xf32>, "
                "weight tensor<1x1x1x2xf32> and result tensor<1x1x1x1xf32> do "
                "not agree");
}

TEST_F(InterpreterGlue, ConcatOfWrongSizesFails) {
  expectFailure(R"mlir(
func.func @main(%a: tensor<1x?xf32>, %b: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %0 = tensor.concat dim(1) %a, %b : (tensor<1x?xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
})mlir",
                {floats({1, 3}, {0, 1, 2}), floats({1, 2}, {3, 4})},
                "cannot evaluate 'tensor.concat': the operands add up to 5 "
                "along axis 1, not 4");
}

TEST_F(InterpreterGlue, TooLargeResultFails) {
  // 2^31 x 2^31 elements would wrap to 0 elements in int64_t arithmetic,
  // 2^29 x 2 does not wrap but is over the limit.
  expectFailure(R"mlir(
func.func @main() -> tensor<2147483648x2147483648x4xf32> {
  %0 = tensor.empty() : tensor<2147483648x2147483648x4xf32>
  return %0 : tensor<2147483648x2147483648x4xf32>
})mlir",
                {},
                "result type 'tensor<2147483648x2147483648x4xf32>' has more "
                "than 268435456 elements");
  expectFailure(R"mlir(
func.func @main() -> tensor<536870912x2xi8> {
  %0 = arith.constant dense<1> : tensor<536870912x2xi8>
  return %0 : tensor<536870912x2xi8>
})mlir",
                {},
                "has more than 268435456 elements, more than the "
                "interpreter evaluates");
}

} // namespace
