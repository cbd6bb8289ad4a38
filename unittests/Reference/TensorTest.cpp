//===- TensorTest.cpp - reference tensors, attributes and .npy files ------===//

#include "bnn/Reference/Tensor.h"
#include "bnn/Reference/TensorIO.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {

using Ints = std::vector<int64_t>;

std::string printed(const Tensor &t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  os.flush();
  return s;
}

uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

template <typename T> std::vector<uint8_t> bytesOf(std::vector<T> values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

npy::Array array(std::string descr, Ints shape, std::vector<uint8_t> data) {
  npy::Array a;
  a.descr = std::move(descr);
  a.shape = std::move(shape);
  a.data = std::move(data);
  return a;
}

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

TEST(ReferenceTensor, ConstructionZeroFills) {
  Tensor t(ElementType::i8(), {2, 3});
  EXPECT_EQ(t.type(), ElementType::i8());
  EXPECT_EQ(t.shape(), Ints({2, 3}));
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.dim(0), 2);
  EXPECT_EQ(t.dim(1), 3);
  EXPECT_EQ(t.numElements(), 6);
  EXPECT_FALSE(t.isFloat());
  EXPECT_EQ(t.ints(), Ints(6, 0));
  EXPECT_TRUE(t.floats().empty());

  Tensor f(ElementType::f32(), {4});
  EXPECT_TRUE(f.isFloat());
  EXPECT_EQ(f.floats(), std::vector<float>(4, 0.0f));
  EXPECT_TRUE(f.ints().empty());

  // Rank 0 holds one element; a zero extent holds none.
  Tensor s(ElementType::i32(), {});
  EXPECT_EQ(s.rank(), 0);
  EXPECT_EQ(s.numElements(), 1);
  EXPECT_EQ(s.ints().size(), 1u);
  Tensor e(ElementType::ui(3), {2, 0, 5});
  EXPECT_EQ(e.numElements(), 0);
  EXPECT_TRUE(e.ints().empty());
}

TEST(ReferenceTensor, CheckedElementCount) {
  EXPECT_EQ(checkedElementCount({}), 1);
  EXPECT_EQ(checkedElementCount({2, 3, 4}), 24);
  EXPECT_EQ(checkedElementCount({0, 5}), 0);
  EXPECT_EQ(checkedElementCount({kMaxElements}), kMaxElements);
  EXPECT_EQ(checkedElementCount({1 << 14, 1 << 14}), kMaxElements);
  // One past the limit, negative (dynamic) sizes, and products that would
  // overflow int64_t (2^62 x 8 wraps to 0, (2^63-1)^2 to 1).
  EXPECT_EQ(checkedElementCount({kMaxElements + 1}), std::nullopt);
  EXPECT_EQ(checkedElementCount({(1 << 14) + 1, 1 << 14}), std::nullopt);
  EXPECT_EQ(checkedElementCount({-1, 4}), std::nullopt);
  EXPECT_EQ(checkedElementCount({int64_t(1) << 62, 8}), std::nullopt);
  EXPECT_EQ(checkedElementCount({INT64_MAX, INT64_MAX}), std::nullopt);
  // A huge dimension is refused even next to a 0: loops over it would
  // still run.
  EXPECT_EQ(checkedElementCount({0, int64_t(1) << 40}), std::nullopt);
}

TEST(ReferenceTensor, Builders) {
  Tensor f = Tensor::ofFloats({2}, {1.5f, -2.0f});
  EXPECT_EQ(f.type(), ElementType::f32());
  EXPECT_EQ(f.floats(), std::vector<float>({1.5f, -2.0f}));
  Tensor i = Tensor::ofInts(ElementType::ui(4), {1, 3}, {0, 15, 7});
  EXPECT_EQ(i.type(), ElementType::ui(4));
  EXPECT_EQ(i.shape(), Ints({1, 3}));
  EXPECT_EQ(i.ints(), Ints({0, 15, 7}));
}

TEST(ReferenceTensor, RowMajorOffset) {
  Tensor t(ElementType::i32(), {2, 3, 4});
  EXPECT_EQ(t.offset({0, 0, 0}), 0);
  EXPECT_EQ(t.offset({0, 0, 3}), 3);
  EXPECT_EQ(t.offset({0, 1, 0}), 4);  // 1 * 4
  EXPECT_EQ(t.offset({1, 0, 0}), 12); // 1 * 3 * 4
  EXPECT_EQ(t.offset({1, 2, 3}), 23); // (1 * 3 + 2) * 4 + 3
  Tensor n(ElementType::i1(), {2, 2, 5, 7});
  EXPECT_EQ(n.offset({1, 1, 4, 6}), 139); // ((1*2+1)*5+4)*7+6 = 19*7+6
  Tensor s(ElementType::f32(), {});
  EXPECT_EQ(s.offset({}), 0);
}

TEST(ReferenceTensor, ReshapedKeepsDataAndType) {
  Tensor t = Tensor::ofInts(ElementType::i8(), {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor r = t.reshaped({3, 1, 2});
  EXPECT_EQ(r.shape(), Ints({3, 1, 2}));
  EXPECT_EQ(r.type(), ElementType::i8());
  EXPECT_EQ(r.ints(), t.ints());
  EXPECT_EQ(t.shape(), Ints({2, 3})); // the original is unchanged
  EXPECT_EQ(r.offset({2, 0, 1}), 5);
  EXPECT_EQ(r.ints()[r.offset({2, 0, 1})], 6);

  Tensor f = Tensor::ofFloats({4}, {1, 2, 3, 4});
  Tensor g = f.reshaped({2, 2});
  EXPECT_EQ(g.floats(), f.floats());
  EXPECT_TRUE(g.isFloat());
}

TEST(ReferenceTensor, TypeString) {
  EXPECT_EQ(Tensor(ElementType::f32(), {2, 3}).typeString(), "tensor<2x3xf32>");
  EXPECT_EQ(Tensor(ElementType::i1(), {4}).typeString(), "tensor<4xi1>");
  EXPECT_EQ(Tensor(ElementType::ui(3), {1, 2}).typeString(), "tensor<1x2xui3>");
  EXPECT_EQ(Tensor(ElementType::i32(), {}).typeString(), "tensor<i32>");
  EXPECT_EQ(Tensor(ElementType{ElementType::Kind::Signed, 8}, {5}).typeString(),
            "tensor<5xsi8>");
}

TEST(ReferenceTensor, Equality) {
  Tensor a = Tensor::ofInts(ElementType::i8(), {2}, {1, 2});
  EXPECT_EQ(a, Tensor::ofInts(ElementType::i8(), {2}, {1, 2}));
  EXPECT_FALSE(a == Tensor::ofInts(ElementType::i32(), {2}, {1, 2}));
  EXPECT_FALSE(a == Tensor::ofInts(ElementType::i8(), {1, 2}, {1, 2}));
  EXPECT_FALSE(a == Tensor::ofInts(ElementType::i8(), {2}, {1, 3}));
  EXPECT_FALSE(Tensor::ofInts(ElementType::ui(1), {1}, {1}) ==
               Tensor::ofInts(ElementType::i1(), {1}, {1}));
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

TEST(ReferenceTensor, PrintsFloatsWithSixSignificantDigits) {
  Tensor t = Tensor::ofFloats(
      {2, 3}, {1.5f, -0.25f, 1e10f, 1.0f / 3.0f, -0.0f, 123456789.0f});
  // 1/3 -> 0.333333; 123456789 is stored as 123456792 -> 1.23457e+08.
  EXPECT_EQ(printed(t),
            "[[1.5, -0.25, 1e+10],\n [0.333333, -0, 1.23457e+08]]\n");
  Tensor u = Tensor::ofFloats(
      {6}, {2.0f, 100000.0f, 1000000.0f, 0.0001f, 0.00001f, -7.0f});
  EXPECT_EQ(printed(u), "[2, 100000, 1e+06, 0.0001, 1e-05, -7]\n");
  Tensor v = Tensor::ofFloats({3}, {std::numeric_limits<float>::infinity(),
                                    -std::numeric_limits<float>::infinity(),
                                    std::numeric_limits<float>::quiet_NaN()});
  EXPECT_EQ(printed(v), "[inf, -inf, nan]\n");
}

TEST(ReferenceTensor, PrintsBinaryAsPlusMinusOne) {
  EXPECT_EQ(printed(Tensor::ofInts(ElementType::i1(), {2, 2}, {0, 1, 1, 0})),
            "[[1, -1],\n [-1, 1]]\n");
  // ui1 is an unsigned value, not a binary one.
  EXPECT_EQ(printed(Tensor::ofInts(ElementType::ui(1), {2}, {0, 1})),
            "[0, 1]\n");
}

TEST(ReferenceTensor, PrintsIntegersAndNesting) {
  EXPECT_EQ(printed(Tensor::ofInts(ElementType::i8(), {3}, {-128, 0, 127})),
            "[-128, 0, 127]\n");
  EXPECT_EQ(printed(Tensor::ofInts(ElementType::ui(3), {2}, {7, 0})),
            "[7, 0]\n");
  EXPECT_EQ(printed(Tensor::ofInts(ElementType::i32(), {2, 2, 2},
                                   {1, 2, 3, 4, 5, 6, 7, 8})),
            "[[[1, 2],\n  [3, 4]],\n [[5, 6],\n  [7, 8]]]\n");
  EXPECT_EQ(
      printed(Tensor::ofInts(ElementType::i32(), {2, 1, 2}, {1, 2, 3, 4})),
      "[[[1, 2]],\n [[3, 4]]]\n");
  EXPECT_EQ(printed(Tensor::ofInts(ElementType::i32(), {}, {-5})), "-5\n");
  EXPECT_EQ(printed(Tensor(ElementType::i32(), {0})), "[]\n");
  EXPECT_EQ(printed(Tensor(ElementType::i32(), {2, 0})), "[[],\n []]\n");
}

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

TEST(ReferenceElementType, FromMLIRAndRanges) {
  MLIRContext ctx;
  for (unsigned bits = 1; bits <= 8; ++bits) {
    SCOPED_TRACE("ui" + std::to_string(bits));
    std::optional<ElementType> t = ElementType::fromMLIR(
        IntegerType::get(&ctx, bits, IntegerType::Unsigned));
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, ElementType::ui(bits));
    EXPECT_EQ(t->kind, ElementType::Kind::Unsigned);
    EXPECT_EQ(t->bitWidth, bits);
    EXPECT_FALSE(t->isBinary());
    EXPECT_FALSE(t->isFloat());
    EXPECT_EQ(t->minValue(), 0);
    EXPECT_EQ(t->maxValue(), (int64_t(1) << bits) - 1);
    EXPECT_EQ(t->toMLIR(&ctx),
              IntegerType::get(&ctx, bits, IntegerType::Unsigned));
  }
  EXPECT_EQ(ElementType::ui(2).maxValue(), 3);
  EXPECT_EQ(ElementType::ui(8).maxValue(), 255);

  std::optional<ElementType> i1 =
      ElementType::fromMLIR(IntegerType::get(&ctx, 1));
  ASSERT_TRUE(i1);
  EXPECT_EQ(*i1, ElementType::i1());
  EXPECT_TRUE(i1->isBinary());
  EXPECT_EQ(i1->minValue(), 0);
  EXPECT_EQ(i1->maxValue(), 1);

  std::optional<ElementType> i8 =
      ElementType::fromMLIR(IntegerType::get(&ctx, 8));
  ASSERT_TRUE(i8);
  EXPECT_EQ(*i8, ElementType::i8());
  EXPECT_EQ(i8->minValue(), -128);
  EXPECT_EQ(i8->maxValue(), 127);

  std::optional<ElementType> i32 =
      ElementType::fromMLIR(IntegerType::get(&ctx, 32));
  ASSERT_TRUE(i32);
  EXPECT_EQ(*i32, ElementType::i32());
  EXPECT_EQ(i32->minValue(), INT32_MIN);
  EXPECT_EQ(i32->maxValue(), INT32_MAX);

  std::optional<ElementType> i64 =
      ElementType::fromMLIR(IntegerType::get(&ctx, 64));
  ASSERT_TRUE(i64);
  EXPECT_EQ(*i64, ElementType::i64());
  EXPECT_EQ(i64->minValue(), INT64_MIN);
  EXPECT_EQ(i64->maxValue(), INT64_MAX);

  std::optional<ElementType> si8 =
      ElementType::fromMLIR(IntegerType::get(&ctx, 8, IntegerType::Signed));
  ASSERT_TRUE(si8);
  EXPECT_EQ(si8->kind, ElementType::Kind::Signed);
  EXPECT_NE(*si8, ElementType::i8());
  EXPECT_EQ(si8->minValue(), -128);
  EXPECT_EQ(si8->maxValue(), 127);

  std::optional<ElementType> f32 =
      ElementType::fromMLIR(Float32Type::get(&ctx));
  ASSERT_TRUE(f32);
  EXPECT_TRUE(f32->isFloat());
  EXPECT_EQ(*f32, ElementType::f32());

  for (ElementType t :
       {ElementType::f32(), ElementType::i1(), ElementType::i8(),
        ElementType::i32(), ElementType::i64(), *si8})
    EXPECT_EQ(ElementType::fromMLIR(t.toMLIR(&ctx)), t);
  EXPECT_EQ(ElementType::i1().toMLIR(&ctx), IntegerType::get(&ctx, 1));
  EXPECT_EQ(ElementType::f32().toMLIR(&ctx), Float32Type::get(&ctx));
}

TEST(ReferenceElementType, RejectsUnsupportedTypes) {
  MLIRContext ctx;
  EXPECT_FALSE(ElementType::fromMLIR(Float16Type::get(&ctx)));
  EXPECT_FALSE(ElementType::fromMLIR(Float64Type::get(&ctx)));
  EXPECT_FALSE(ElementType::fromMLIR(IndexType::get(&ctx)));
  EXPECT_FALSE(ElementType::fromMLIR(IntegerType::get(&ctx, 128)));
  EXPECT_FALSE(
      ElementType::fromMLIR(IntegerType::get(&ctx, 64, IntegerType::Unsigned)));
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

TEST(ReferenceTensor, AttrRoundTripF32) {
  MLIRContext ctx;
  Tensor t = Tensor::ofFloats(
      {2, 2}, {1.5f, -0.0f, 3.0e38f, std::numeric_limits<float>::denorm_min()});
  DenseElementsAttr attr = t.toAttr(&ctx);
  EXPECT_EQ(attr.getType(),
            RankedTensorType::get({2, 2}, Float32Type::get(&ctx)));
  auto values = attr.getValues<float>();
  EXPECT_EQ(values[0], 1.5f);
  EXPECT_EQ(floatBits(values[1]), floatBits(-0.0f));
  std::optional<Tensor> back = Tensor::fromAttr(attr);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);
  EXPECT_EQ(floatBits(back->floats()[1]), floatBits(-0.0f));
  EXPECT_EQ(floatBits(back->floats()[3]), 1u);

  Tensor n = Tensor::ofFloats({1}, {std::numeric_limits<float>::quiet_NaN()});
  std::optional<Tensor> nb = Tensor::fromAttr(n.toAttr(&ctx));
  ASSERT_TRUE(nb);
  EXPECT_TRUE(std::isnan(nb->floats()[0]));
}

TEST(ReferenceTensor, AttrRoundTripI1) {
  MLIRContext ctx;
  Tensor t = Tensor::ofInts(ElementType::i1(), {5}, {0, 1, 1, 0, 1});
  DenseElementsAttr attr = t.toAttr(&ctx);
  EXPECT_EQ(attr.getType(),
            RankedTensorType::get({5}, IntegerType::get(&ctx, 1)));
  // A stored 1 (the value -1) is the i1 value true.
  std::vector<bool> bits(attr.getValues<bool>().begin(),
                         attr.getValues<bool>().end());
  EXPECT_EQ(bits, std::vector<bool>({false, true, true, false, true}));
  std::optional<Tensor> back = Tensor::fromAttr(attr);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);

  // An attribute built independently.
  bool raw[] = {true, false, true};
  auto type3 = RankedTensorType::get({3}, IntegerType::get(&ctx, 1));
  std::optional<Tensor> fromBools = Tensor::fromAttr(
      DenseElementsAttr::get(type3, llvm::ArrayRef<bool>(raw)));
  ASSERT_TRUE(fromBools);
  EXPECT_EQ(fromBools->type(), ElementType::i1());
  EXPECT_EQ(fromBools->ints(), Ints({1, 0, 1}));
}

TEST(ReferenceTensor, AttrRoundTripUi3) {
  MLIRContext ctx;
  Tensor t = Tensor::ofInts(ElementType::ui(3), {2, 2}, {0, 7, 3, 5});
  DenseElementsAttr attr = t.toAttr(&ctx);
  EXPECT_EQ(attr.getType(),
            RankedTensorType::get(
                {2, 2}, IntegerType::get(&ctx, 3, IntegerType::Unsigned)));
  // 7 is 0b111: zero-extended 7, not -1.
  EXPECT_EQ(attr.getValues<APInt>()[1].getZExtValue(), 7u);
  std::optional<Tensor> back = Tensor::fromAttr(attr);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);
  EXPECT_EQ(back->ints()[1], 7);

  // ui8 255 stays 255.
  Tensor u8 = Tensor::ofInts(ElementType::ui(8), {2}, {255, 128});
  std::optional<Tensor> u8back = Tensor::fromAttr(u8.toAttr(&ctx));
  ASSERT_TRUE(u8back);
  EXPECT_EQ(u8back->ints(), Ints({255, 128}));
}

TEST(ReferenceTensor, AttrRoundTripI8) {
  MLIRContext ctx;
  Tensor t = Tensor::ofInts(ElementType::i8(), {4}, {-128, 127, 0, -1});
  DenseElementsAttr attr = t.toAttr(&ctx);
  EXPECT_EQ(attr.getType(),
            RankedTensorType::get({4}, IntegerType::get(&ctx, 8)));
  EXPECT_EQ(attr.getValues<APInt>()[0].getSExtValue(), -128);
  EXPECT_EQ(attr.getValues<APInt>()[3].getSExtValue(), -1);
  std::optional<Tensor> back = Tensor::fromAttr(attr);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);

  int8_t raw[] = {-5, 100};
  auto type2 = RankedTensorType::get({2}, IntegerType::get(&ctx, 8));
  std::optional<Tensor> fromRaw = Tensor::fromAttr(
      DenseElementsAttr::get(type2, llvm::ArrayRef<int8_t>(raw)));
  ASSERT_TRUE(fromRaw);
  EXPECT_EQ(fromRaw->ints(), Ints({-5, 100}));
}

TEST(ReferenceTensor, AttrRoundTripI32) {
  MLIRContext ctx;
  Tensor t =
      Tensor::ofInts(ElementType::i32(), {1, 4}, {INT32_MIN, INT32_MAX, 0, -7});
  DenseElementsAttr attr = t.toAttr(&ctx);
  EXPECT_EQ(attr.getType(),
            RankedTensorType::get({1, 4}, IntegerType::get(&ctx, 32)));
  EXPECT_EQ(attr.getValues<int32_t>()[0], INT32_MIN);
  EXPECT_EQ(attr.getValues<int32_t>()[3], -7);
  std::optional<Tensor> back = Tensor::fromAttr(attr);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);
}

TEST(ReferenceTensor, FromSplatAttrAndUnsupportedTypes) {
  MLIRContext ctx;
  auto type = RankedTensorType::get({2, 2}, IntegerType::get(&ctx, 32));
  std::optional<Tensor> splat = Tensor::fromAttr(
      DenseElementsAttr::get(type, APInt(32, -3, /*isSigned=*/true)));
  ASSERT_TRUE(splat);
  EXPECT_EQ(splat->shape(), Ints({2, 2}));
  EXPECT_EQ(splat->ints(), Ints({-3, -3, -3, -3}));

  auto f16 = RankedTensorType::get({1}, Float16Type::get(&ctx));
  EXPECT_FALSE(Tensor::fromAttr(
      DenseElementsAttr::get(f16, APFloat(APFloat::IEEEhalf(), "1.0"))));
  auto u64 = RankedTensorType::get(
      {1}, IntegerType::get(&ctx, 64, IntegerType::Unsigned));
  EXPECT_FALSE(Tensor::fromAttr(DenseElementsAttr::get(u64, APInt(64, 1))));
}

//===----------------------------------------------------------------------===//
// .npy conversion
//===----------------------------------------------------------------------===//

TEST(ReferenceTensorIO, FromNpyEachType) {
  std::string error;
  std::optional<Tensor> f =
      fromNpy(array("<f4", {2}, bytesOf<float>({1.5f, -2.0f})),
              ElementType::f32(), error);
  ASSERT_TRUE(f) << error;
  EXPECT_EQ(f->shape(), Ints({2}));
  EXPECT_EQ(f->floats(), std::vector<float>({1.5f, -2.0f}));

  // Binary from |b1, |u1 and |i1 holding 0/1; 1 stays the stored bit 1.
  for (const char *descr : {"|b1", "|u1", "|i1"}) {
    SCOPED_TRACE(descr);
    std::optional<Tensor> b =
        fromNpy(array(descr, {1, 3}, {1, 0, 1}), ElementType::i1(), error);
    ASSERT_TRUE(b) << error;
    EXPECT_EQ(b->type(), ElementType::i1());
    EXPECT_EQ(b->shape(), Ints({1, 3}));
    EXPECT_EQ(b->ints(), Ints({1, 0, 1}));
  }

  std::optional<Tensor> u3 =
      fromNpy(array("|u1", {2}, {0, 7}), ElementType::ui(3), error);
  ASSERT_TRUE(u3) << error;
  EXPECT_EQ(u3->ints(), Ints({0, 7}));
  std::optional<Tensor> u8 =
      fromNpy(array("|u1", {2}, {255, 128}), ElementType::ui(8), error);
  ASSERT_TRUE(u8) << error;
  EXPECT_EQ(u8->ints(), Ints({255, 128}));

  // |i1 bytes are two's complement: 0x80 = -128, 0xff = -1.
  std::optional<Tensor> i8 =
      fromNpy(array("|i1", {3}, {0x80, 0x7f, 0xff}), ElementType::i8(), error);
  ASSERT_TRUE(i8) << error;
  EXPECT_EQ(i8->ints(), Ints({-128, 127, -1}));

  std::optional<Tensor> i32 =
      fromNpy(array("<i4", {2}, bytesOf<int32_t>({INT32_MIN, 7})),
              ElementType::i32(), error);
  ASSERT_TRUE(i32) << error;
  EXPECT_EQ(i32->ints(), Ints({INT32_MIN, 7}));

  std::optional<Tensor> i64 =
      fromNpy(array("<i8", {2}, bytesOf<int64_t>({INT64_MIN, -2})),
              ElementType::i64(), error);
  ASSERT_TRUE(i64) << error;
  EXPECT_EQ(i64->ints(), Ints({INT64_MIN, -2}));
}

TEST(ReferenceTensorIO, FromNpyRejectsDtypeMismatch) {
  std::string error;
  EXPECT_FALSE(fromNpy(array("<i4", {2}, bytesOf<int32_t>({1, 2})),
                       ElementType::i8(), error));
  EXPECT_EQ(error, "dtype '<i4' does not match tensor<2xi8> (expected '|i1')");

  struct Case {
    const char *descr;
    ElementType type;
    const char *expected;
  };
  const Case cases[] = {
      {"|i1", ElementType::ui(3), "'|u1'"},
      {"|u1", ElementType::i8(), "'|i1'"},
      {"<i4", ElementType::f32(), "'<f4'"},
      {"<f4", ElementType::i32(), "'<i4'"},
      {"<i4", ElementType::i1(), "'|b1'"},
      {"|b1", ElementType::ui(1), "'|u1'"},
      {"<i8", ElementType::i32(), "'<i4'"},
      {"<i4", ElementType::i64(), "'<i8'"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.descr) + " as " +
                 Tensor(c.type, {1}).typeString());
    error.clear();
    npy::Array a =
        array(c.descr, {1}, std::vector<uint8_t>(npy::elementSize(c.descr), 0));
    EXPECT_FALSE(fromNpy(a, c.type, error));
    EXPECT_NE(error.find("dtype '" + std::string(c.descr) + "'"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find(std::string("(expected ") + c.expected + ")"),
              std::string::npos)
        << error;
  }
}

TEST(ReferenceTensorIO, FromNpyRejectsOutOfRangeValues) {
  std::string error;
  // ui2 holds 0..3.
  EXPECT_FALSE(
      fromNpy(array("|u1", {3}, {0, 3, 4}), ElementType::ui(2), error));
  EXPECT_EQ(error, "element 2 is 4, outside the range of tensor<3xui2>");
  EXPECT_TRUE(fromNpy(array("|u1", {2}, {0, 3}), ElementType::ui(2), error));
  // ui1 holds 0..1.
  EXPECT_FALSE(fromNpy(array("|u1", {1}, {2}), ElementType::ui(1), error));
  EXPECT_EQ(error, "element 0 is 2, outside the range of tensor<1xui1>");

  // Binary data must be 0 or 1.
  EXPECT_FALSE(fromNpy(array("|u1", {2}, {0, 2}), ElementType::i1(), error));
  EXPECT_EQ(error, "element 1 is 2, outside the range of tensor<2xi1>");
  EXPECT_FALSE(fromNpy(array("|b1", {2}, {2, 0}), ElementType::i1(), error));
  EXPECT_EQ(error, "element 0 is 2, outside the range of tensor<2xi1>");
  EXPECT_FALSE(fromNpy(array("|i1", {1}, {0xff}), ElementType::i1(), error));
  EXPECT_EQ(error, "element 0 is -1, outside the range of tensor<1xi1>");
}

TEST(ReferenceTensorIO, ToNpyDescrAndBytes) {
  npy::Array f = toNpy(Tensor::ofFloats({2}, {1.5f, -2.0f}));
  EXPECT_EQ(f.descr, "<f4");
  EXPECT_EQ(f.shape, Ints({2}));
  EXPECT_EQ(f.data, bytesOf<float>({1.5f, -2.0f}));

  npy::Array b = toNpy(Tensor::ofInts(ElementType::i1(), {1, 3}, {1, 0, 1}));
  EXPECT_EQ(b.descr, "|b1");
  EXPECT_EQ(b.shape, Ints({1, 3}));
  EXPECT_EQ(b.data, std::vector<uint8_t>({1, 0, 1}));

  npy::Array u = toNpy(Tensor::ofInts(ElementType::ui(3), {2}, {7, 0}));
  EXPECT_EQ(u.descr, "|u1");
  EXPECT_EQ(u.data, std::vector<uint8_t>({7, 0}));

  npy::Array i8 = toNpy(Tensor::ofInts(ElementType::i8(), {2}, {-128, -1}));
  EXPECT_EQ(i8.descr, "|i1");
  EXPECT_EQ(i8.data, std::vector<uint8_t>({0x80, 0xff}));

  npy::Array i32 =
      toNpy(Tensor::ofInts(ElementType::i32(), {2}, {INT32_MIN, 258}));
  EXPECT_EQ(i32.descr, "<i4");
  EXPECT_EQ(i32.data, std::vector<uint8_t>({0, 0, 0, 0x80, 0x02, 0x01, 0, 0}));

  npy::Array i64 = toNpy(Tensor::ofInts(ElementType::i64(), {1}, {-2}));
  EXPECT_EQ(i64.descr, "<i8");
  EXPECT_EQ(i64.data, bytesOf<int64_t>({-2}));
}

TEST(ReferenceTensorIO, NpyRoundTripThroughFile) {
  const Tensor tensors[] = {
      Tensor::ofFloats({2, 2}, {1.5f, -0.0f, 3.0e38f, -1e-30f}),
      Tensor::ofInts(ElementType::i1(), {1, 2, 3}, {0, 1, 1, 0, 0, 1}),
      Tensor::ofInts(ElementType::ui(3), {4}, {0, 7, 3, 5}),
      Tensor::ofInts(ElementType::ui(8), {2}, {255, 0}),
      Tensor::ofInts(ElementType::i8(), {2, 2}, {-128, 127, 0, -1}),
      Tensor::ofInts(ElementType::i32(), {3}, {INT32_MIN, INT32_MAX, -5}),
      Tensor::ofInts(ElementType::i64(), {2}, {INT64_MIN, INT64_MAX}),
      Tensor::ofInts(ElementType::i32(), {}, {42}),
  };
  for (const Tensor &t : tensors) {
    SCOPED_TRACE(t.typeString());
    npy::Array parsed;
    std::string error;
    ASSERT_TRUE(npy::parse(npy::serialize(toNpy(t)), parsed, error)) << error;
    std::optional<Tensor> back = fromNpy(parsed, t.type(), error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(*back, t);
  }
}

//===----------------------------------------------------------------------===//
// Random tensors
//===----------------------------------------------------------------------===//

std::vector<ElementType> randomTypes() {
  std::vector<ElementType> types = {ElementType::f32(), ElementType::i1(),
                                    ElementType::i8(), ElementType::i32(),
                                    ElementType::i64()};
  for (unsigned bits = 1; bits <= 8; ++bits)
    types.push_back(ElementType::ui(bits));
  return types;
}

TEST(ReferenceTensorIO, RandomTensorIsDeterministic) {
  for (ElementType type : randomTypes()) {
    Tensor a = randomTensor(type, {4, 16}, 42);
    SCOPED_TRACE(a.typeString());
    EXPECT_EQ(a.type(), type);
    EXPECT_EQ(a.shape(), Ints({4, 16}));
    EXPECT_EQ(randomTensor(type, {4, 16}, 42), a);
    // 64 elements from another seed: all equal only with negligible
    // probability (at most 2^-64 for i1).
    EXPECT_FALSE(randomTensor(type, {4, 16}, 43) == a);
  }
}

TEST(ReferenceTensorIO, RandomIntegersCoverTheirRange) {
  for (ElementType type : randomTypes()) {
    if (type.isFloat())
      continue;
    for (uint64_t seed : {0ull, 1ull, 12345ull}) {
      Tensor t = randomTensor(type, {4096}, seed);
      SCOPED_TRACE(t.typeString() + " seed " + std::to_string(seed));
      std::set<int64_t> seen;
      for (int64_t v : t.ints()) {
        ASSERT_GE(v, type.minValue());
        ASSERT_LE(v, type.maxValue());
        seen.insert(v);
      }
      // Types with at most 256 values: 4096 uniform draws miss a given
      // value with probability (255/256)^4096 ~ 1e-7.
      if (type.bitWidth <= 8)
        EXPECT_EQ(static_cast<int64_t>(seen.size()),
                  type.maxValue() - type.minValue() + 1);
      else
        EXPECT_GT(seen.size(), 4000u);
      // Both halves of the range occur.
      EXPECT_LE(*seen.begin(), type.minValue() / 2);
      EXPECT_GE(*seen.rbegin(), type.maxValue() / 2);
    }
  }
}

TEST(ReferenceTensorIO, RandomFloatsLieInMinusOneToOne) {
  // Seed 1130421 draws, at index 72, a 64-bit value whose top 26 bits are
  // all ones, i.e. a double within 2^-25 of 1.0 that only rounding to f32
  // can push onto 1.0.
  for (uint64_t seed : {0ull, 7ull, 1130421ull}) {
    Tensor t = randomTensor(ElementType::f32(), {256}, seed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    float lo = 1.0f, hi = -1.0f;
    for (size_t i = 0; i < t.floats().size(); ++i) {
      float v = t.floats()[i];
      EXPECT_GE(v, -1.0f) << "element " << i;
      EXPECT_LT(v, 1.0f) << "element " << i;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    EXPECT_LT(lo, -0.5f);
    EXPECT_GT(hi, 0.5f);
  }
}

} // namespace
