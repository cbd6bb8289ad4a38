//===- NpyTest.cpp - .npy reader and writer -------------------------------===//

#include "bnn/Support/Npy.h"

#include "gtest/gtest.h"

using namespace mlir::bnn;

namespace {

// A file numpy 1.24 wrote for np.array([[1, 2, 3], [4, 5, 6]], dtype='<i4').
std::string numpyInt32File() {
  std::string header =
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += char(header.size());
  bytes += char(0);
  bytes += header;
  for (int v = 1; v <= 6; ++v) {
    bytes += char(v);
    bytes.append(3, '\0');
  }
  return bytes;
}

TEST(Npy, ParsesNumpyHeaderAndData) {
  npy::Array a;
  std::string error;
  ASSERT_TRUE(npy::parse(numpyInt32File(), a, error)) << error;
  EXPECT_EQ(a.descr, "<i4");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  ASSERT_EQ(a.data.size(), 24u);
  EXPECT_EQ(a.data[4 * 5], 6);
}

TEST(Npy, RoundTripsEveryShapeKind) {
  for (std::vector<int64_t> shape :
       {std::vector<int64_t>{}, {5}, {2, 3}, {1, 2, 3, 4}}) {
    npy::Array a;
    a.descr = "<f4";
    a.shape = shape;
    a.data.assign(4 * a.numElements(), 0x3f);
    npy::Array b;
    std::string error;
    ASSERT_TRUE(npy::parse(npy::serialize(a), b, error)) << error;
    EXPECT_EQ(b.shape, shape);
    EXPECT_EQ(b.data, a.data);
    // Data starts on a 64-byte boundary, as numpy writes it.
    EXPECT_EQ((npy::serialize(a).size() - a.data.size()) % 64, 0u);
  }
}

TEST(Npy, RejectsTruncatedData) {
  std::string bytes = numpyInt32File();
  bytes.pop_back();
  npy::Array a;
  std::string error;
  EXPECT_FALSE(npy::parse(bytes, a, error));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(Npy, RejectsTruncatedHeader) {
  std::string bytes = numpyInt32File().substr(0, 30);
  npy::Array a;
  std::string error;
  EXPECT_FALSE(npy::parse(bytes, a, error));
  EXPECT_NE(error.find("truncated .npy header"), std::string::npos) << error;
}

TEST(Npy, RejectsBadMagicAndDtypeAndFortranOrder) {
  npy::Array a;
  std::string error;
  EXPECT_FALSE(npy::parse("hello world, not numpy", a, error));
  EXPECT_NE(error.find("magic"), std::string::npos);

  std::string bytes = numpyInt32File();
  std::string complexFile = bytes;
  complexFile.replace(complexFile.find("<i4"), 3, "<c8");
  EXPECT_FALSE(npy::parse(complexFile, a, error));
  EXPECT_NE(error.find("unsupported .npy dtype '<c8'"), std::string::npos);

  std::string fortran = bytes;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_FALSE(npy::parse(fortran, a, error));
  EXPECT_NE(error.find("Fortran"), std::string::npos);
}

TEST(Npy, RejectsNegativeDimension) {
  std::string bytes = numpyInt32File();
  bytes.replace(bytes.find("(2, 3)"), 6, "(-2,3)");
  npy::Array a;
  std::string error;
  EXPECT_FALSE(npy::parse(bytes, a, error));
  EXPECT_NE(error.find("bad dimension"), std::string::npos) << error;
}

TEST(Npy, MissingFileNamesThePath) {
  npy::Array a;
  std::string error;
  EXPECT_FALSE(npy::readFile("/nonexistent/x.npy", a, error));
  EXPECT_NE(error.find("/nonexistent/x.npy"), std::string::npos);
}

} // namespace
