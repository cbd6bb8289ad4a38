//===- ConstantTest.cpp - import-time tensor arithmetic -------------------===//

#include "Constant.h"

#include "gtest/gtest.h"

using namespace mlir::bnn::onnx_import;

TEST(ConstantTest, BroadcastIndex) {
  // [2, 3] against [3]: element (1, 2) reads element 2.
  EXPECT_EQ(broadcastIndex(5, {2, 3}, {3}), 2);
  // [2, 3] against [2, 1]: element (1, 2) reads element 1.
  EXPECT_EQ(broadcastIndex(5, {2, 3}, {2, 1}), 1);
  EXPECT_FALSE(broadcastShapes({2, 3}, {4}).has_value());
}

TEST(ConstantTest, FoldBinaryAndOverflow) {
  std::string error;
  Constant a = Constant::ofInts({2}, {5, -7});
  Constant b = Constant::ofInts({}, {2});
  std::optional<Constant> q = foldBinary(BinaryFn::Div, a, b, error);
  ASSERT_TRUE(q);
  // ONNX integer division truncates: -7 / 2 = -3.
  EXPECT_EQ(q->i, (std::vector<int64_t>{2, -3}));
  Constant big = Constant::ofInts({}, {INT64_MAX});
  EXPECT_FALSE(foldBinary(BinaryFn::Add, big, b, error));
  EXPECT_NE(error.find("overflows"), std::string::npos);
  Constant batch = Constant::ofInts({}, {kBatchDim});
  EXPECT_FALSE(foldBinary(BinaryFn::Mul, batch, b, error));
}

TEST(ConstantTest, Transpose) {
  // [[0, 1, 2], [3, 4, 5]] transposed.
  Constant x = Constant::ofInts({2, 3}, {0, 1, 2, 3, 4, 5});
  Constant t = transposeConstant(x, {1, 0});
  EXPECT_EQ(t.shape, (llvm::SmallVector<int64_t>{3, 2}));
  EXPECT_EQ(t.i, (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
}

TEST(ConstantTest, CheckedNumel) {
  EXPECT_EQ(checkedNumel({2, 3, 4}), 24);
  EXPECT_FALSE(checkedNumel({INT64_MAX, 2}).has_value());
  EXPECT_FALSE(checkedNumel({-1}).has_value());
}
