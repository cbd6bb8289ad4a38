//===- NpyReaderTest.cpp - reading .npy files header first ----------------===//
//
// npy::Reader reads a header, then exactly the data it announces; readFile
// refuses data over its limit before reading (or allocating) it. Files that
// are no .npy file, such as /dev/zero, fail at their first bytes.
//
//===----------------------------------------------------------------------===//

#include "bnn/Support/Npy.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

using namespace mlir::bnn;

namespace {

/// A version 1.0 .npy file of `shape` (as Python writes the tuple) with
/// `data` after the header.
std::string npyFile(const std::string &descr, const std::string &shape,
                    const std::string &data, char version = 1) {
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t prefix = version == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY", 6);
  bytes += version;
  bytes += '\0';
  size_t n = header.size();
  bytes += char(n & 0xff);
  bytes += char((n >> 8) & 0xff);
  if (version != 1) {
    bytes += char((n >> 16) & 0xff);
    bytes += char((n >> 24) & 0xff);
  }
  return bytes + header + data;
}

class NpyReader : public ::testing::Test {
protected:
  void SetUp() override {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp ? tmp : "/tmp") + "/npy-reader-XXXXXX";
    ASSERT_NE(::mkdtemp(&pattern[0]), nullptr);
    directory = pattern;
  }
  void TearDown() override {
    for (const std::string &file : files)
      std::remove(file.c_str());
    ::rmdir(directory.c_str());
  }

  std::string write(const std::string &name, const std::string &bytes) {
    std::string path = directory + "/" + name;
    std::FILE *f = std::fopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    files.push_back(path);
    return path;
  }

  std::string directory;
  std::vector<std::string> files;
};

TEST_F(NpyReader, ReadsTheHeaderThenTheData) {
  std::string path = write(
      "a.npy", npyFile("<i4", "(2,)", std::string("\1\0\0\0\2\0\0\0", 8)));
  npy::Reader reader;
  std::string error;
  ASSERT_TRUE(reader.open(path, error)) << error;
  EXPECT_EQ(reader.header().descr, "<i4");
  EXPECT_EQ(reader.header().shape, std::vector<int64_t>({2}));
  EXPECT_EQ(reader.header().dataOffset, 128u); // the header pads to 64n
  EXPECT_EQ(reader.header().dataBytes, 8u);
  int32_t values[2] = {0, 0};
  ASSERT_TRUE(reader.readData(values, error)) << error;
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[1], 2);

  // Version 2 has a 4-byte header length.
  path = write("v2.npy", npyFile("|u1", "(3,)", "abc", 2));
  npy::Reader v2;
  ASSERT_TRUE(v2.open(path, error)) << error;
  EXPECT_EQ(v2.header().dataOffset, 128u);
  char bytes[3];
  ASSERT_TRUE(v2.readData(bytes, error)) << error;
  EXPECT_EQ(std::string(bytes, 3), "abc");
}

TEST_F(NpyReader, ChecksTheDataSize) {
  std::string error;
  npy::Reader shortFile;
  ASSERT_TRUE(shortFile.open(
      write("short.npy", npyFile("<f4", "(2, 3)", std::string(12, '\0'))),
      error));
  std::vector<float> data(6);
  EXPECT_FALSE(shortFile.readData(data.data(), error));
  EXPECT_EQ(shortFile.failure(), npy::Reader::Failure::Format);
  EXPECT_EQ(error, "truncated .npy data: expected 24 bytes, found 12");

  npy::Reader longFile;
  ASSERT_TRUE(longFile.open(
      write("long.npy", npyFile("<f4", "(2, 3)", std::string(25, '\0'))),
      error));
  EXPECT_FALSE(longFile.readData(data.data(), error));
  EXPECT_EQ(error, "trailing bytes after .npy data: expected 24 bytes, found "
                   "25");
}

TEST_F(NpyReader, FailsAtTheFirstBytesOfWhatIsNoNpyFile) {
  std::string error;
  npy::Reader zero;
  EXPECT_FALSE(zero.open("/dev/zero", error));
  EXPECT_EQ(zero.failure(), npy::Reader::Failure::Format);
  EXPECT_EQ(error, "not a .npy file (missing \\x93NUMPY magic)");

  npy::Reader empty;
  EXPECT_FALSE(empty.open("/dev/null", error));
  EXPECT_EQ(error, "empty file, not a .npy file");

  npy::Reader missing;
  EXPECT_FALSE(missing.open(directory + "/missing.npy", error));
  EXPECT_EQ(missing.failure(), npy::Reader::Failure::Open);
  EXPECT_EQ(error, "No such file or directory");

  npy::Reader dir;
  EXPECT_FALSE(dir.open(directory, error));
  EXPECT_EQ(dir.failure(), npy::Reader::Failure::Read);
  EXPECT_EQ(error, "Is a directory");

  // A header length beyond any header: refused before it is read.
  std::string bytes("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12);
  npy::Reader huge;
  EXPECT_FALSE(huge.open(write("huge-header.npy", bytes), error));
  EXPECT_EQ(error, "malformed .npy header: 2147483647 bytes long, more than "
                   "1048576");

  // The fixed part or the header cut short.
  npy::Reader cut;
  EXPECT_FALSE(cut.open(
      write("cut.npy", npyFile("<f4", "(1,)", "").substr(0, 30)), error));
  EXPECT_EQ(error, "truncated .npy header");
}

TEST_F(NpyReader, ReadFileRefusesDataOverTheLimit) {
  // 2^30 float32 elements, 4 GiB of data announced by a 64-byte file:
  // refused before anything is allocated.
  std::string path = write("big.npy", npyFile("<f4", "(1073741824,)", ""));
  npy::Array array;
  std::string error;
  EXPECT_FALSE(npy::readFile(path, array, error));
  EXPECT_EQ(error, "'" + path +
                       "': the data is 4294967296 bytes, more than "
                       "1073741824");
  EXPECT_TRUE(array.data.empty());

  // Under the limit the file is read as before; a smaller limit applies.
  path = write("small.npy", npyFile("|i1", "(4,)", "\1\2\3\4"));
  ASSERT_TRUE(npy::readFile(path, array, error)) << error;
  EXPECT_EQ(array.data, std::vector<uint8_t>({1, 2, 3, 4}));
  EXPECT_FALSE(npy::readFile(path, array, error, /*maxDataBytes=*/3));
  EXPECT_EQ(error, "'" + path + "': the data is 4 bytes, more than 3");
  EXPECT_FALSE(npy::readFile("/dev/zero", array, error));
  EXPECT_EQ(error, "'/dev/zero': not a .npy file (missing \\x93NUMPY magic)");
}

} // namespace
