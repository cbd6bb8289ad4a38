//===- NpyTest.cpp - .npy reader and writer -------------------------------===//

#include "bnn/Support/Npy.h"
#include "bnn/Support/OutputFile.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

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

/// A version 1.0 file with `header` (padded as numpy pads it) and the six
/// int32 values 1..6.
std::string fileWithHeader(std::string header) {
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += char(header.size() & 0xff);
  bytes += char(header.size() >> 8);
  bytes += header;
  for (int v = 1; v <= 6; ++v) {
    bytes += char(v);
    bytes.append(3, '\0');
  }
  return bytes;
}

/// A fresh directory under TMPDIR (or /tmp), removed with its files.
class ScratchDirectory {
public:
  ScratchDirectory() {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp && *tmp ? tmp : "/tmp") + "/bnn-npy-test-XXXXXX";
    path = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~ScratchDirectory() {
    if (!path.empty())
      std::system(("rm -rf '" + path + "'").c_str());
  }
  std::string operator/(const std::string &name) const {
    return path + "/" + name;
  }
  /// The names in the directory, sorted, one per line.
  std::string list() const {
    std::string out;
    std::FILE *ls = popen(("ls -A '" + path + "'").c_str(), "r");
    char line[512];
    while (ls && std::fgets(line, sizeof(line), ls))
      out += line;
    if (ls)
      pclose(ls);
    return out;
  }
  std::string path;
};

std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
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
  EXPECT_EQ(error,
            "cannot open '/nonexistent/x.npy': No such file or directory");
}

// The header is a Python dict literal that numpy reads with
// ast.literal_eval: for a key given twice the last value counts.
TEST(Npy, DuplicateKeysTakeTheLastValue) {
  npy::Array a;
  std::string error;
  ASSERT_TRUE(npy::parse(fileWithHeader("{'descr': '<f4', 'descr': '<i4', "
                                        "'fortran_order': True, "
                                        "'fortran_order': False, "
                                        "'shape': (6,), 'shape': (2, 3), }"),
                         a, error))
      << error;
  EXPECT_EQ(a.descr, "<i4");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
}

TEST(Npy, AcceptsDoubleQuotesAndPythonSpacing) {
  npy::Array a;
  std::string error;
  ASSERT_TRUE(npy::parse(fileWithHeader("{\"descr\":\"<i4\",\"fortran_order\""
                                        ":False,\"shape\":(2,3)}"),
                         a, error))
      << error;
  EXPECT_EQ(a.descr, "<i4");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  // Python 2 numpy wrote long integers with an L suffix.
  ASSERT_TRUE(npy::parse(fileWithHeader("{ 'descr' : '<i4' ,\t'shape' : "
                                        "( 6L , ) , 'fortran_order' : False }"),
                         a, error))
      << error;
  EXPECT_EQ(a.shape, (std::vector<int64_t>{6}));
}

TEST(Npy, RejectsWhatNumpyRejects) {
  npy::Array a;
  std::string error;
  struct Case {
    const char *header;
    const char *message;
  } cases[] = {
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (6,), 'x': 1}",
       "unexpected key 'x'"},
      {"{'descr': '<i4', 'shape': (6,)}", "no 'fortran_order'"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (6)}", "bad 'shape'"},
      {"{'descr': '<i4', 'fortran_order': 0, 'shape': (6,)}",
       "bad 'fortran_order'"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (6,)", "expected"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (6,)} x",
       "unexpected text after the dictionary"},
      {"{descr: '<i4', 'fortran_order': False, 'shape': (6,)}",
       "expected a quoted key"},
  };
  for (const Case &c : cases) {
    EXPECT_FALSE(npy::parse(fileWithHeader(c.header), a, error)) << c.header;
    EXPECT_NE(error.find(c.message), std::string::npos)
        << c.header << ": " << error;
  }
}

TEST(Npy, ReadingADirectoryNamesTheReason) {
  ScratchDirectory dir;
  ASSERT_FALSE(dir.path.empty());
  npy::Array a;
  std::string error;
  EXPECT_FALSE(npy::readFile(dir.path, a, error));
  EXPECT_EQ(error, "cannot read '" + dir.path + "': Is a directory");
}

TEST(Npy, WriteErrorsNameTheFileAndTheReason) {
  npy::Array a;
  a.descr = "<f4";
  a.shape = {1};
  a.data.assign(4, 0);
  std::string error;
  EXPECT_FALSE(npy::writeFile("/nonexistent/dir/y.npy", a, error));
  EXPECT_EQ(error, "cannot write '/nonexistent/dir/y.npy': No such file or "
                   "directory");
  // (Character devices such as /dev/full are tested by the lit tests of the
  // tools, on device nodes of their own: a regression here must not be able
  // to replace the system's.)
}

// The temporary is created exclusively under a unique name: a symbolic link
// planted where a fixed name (y.npy.tmp) would be is never followed.
TEST(Npy, WritingIgnoresAPlantedTemporary) {
  ScratchDirectory dir;
  ASSERT_FALSE(dir.path.empty());
  { std::ofstream(dir / "victim") << "victim\n"; }
  ASSERT_EQ(symlink("victim", (dir / "y.npy.tmp").c_str()), 0);
  npy::Array a;
  a.descr = "<i4";
  a.shape = {2};
  a.data = {1, 0, 0, 0, 2, 0, 0, 0};
  std::string error;
  ASSERT_TRUE(npy::writeFile(dir / "y.npy", a, error)) << error;
  EXPECT_EQ(readText(dir / "victim"), "victim\n");
  struct stat st;
  ASSERT_EQ(lstat((dir / "y.npy.tmp").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  ASSERT_EQ(lstat((dir / "y.npy").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  npy::Array b;
  ASSERT_TRUE(npy::readFile(dir / "y.npy", b, error)) << error;
  EXPECT_EQ(b.data, a.data);
  EXPECT_EQ(dir.list(), "victim\ny.npy\ny.npy.tmp\n");
}

// Two writers of one file do not share a temporary: both succeed, and the
// file is always one complete array.
TEST(Npy, ConcurrentWritersOfOneFile) {
  ScratchDirectory dir;
  ASSERT_FALSE(dir.path.empty());
  std::string path = dir / "y.npy";
  int failures[2] = {0, 0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&, w] {
      npy::Array a;
      a.descr = "|u1";
      a.shape = {1 << 12};
      a.data.assign(1 << 12, static_cast<uint8_t>(w + 1));
      for (int i = 0; i < 200; ++i) {
        std::string error;
        if (!npy::writeFile(path, a, error))
          ++failures[w];
      }
    });
  for (std::thread &t : writers)
    t.join();
  EXPECT_EQ(failures[0], 0);
  EXPECT_EQ(failures[1], 0);
  npy::Array b;
  std::string error;
  ASSERT_TRUE(npy::readFile(path, b, error)) << error;
  ASSERT_EQ(b.data.size(), size_t(1) << 12);
  EXPECT_TRUE(b.data.front() == 1 || b.data.front() == 2);
  EXPECT_EQ(std::count(b.data.begin(), b.data.end(), b.data.front()), 1 << 12);
  EXPECT_EQ(dir.list(), "y.npy\n");
}

// The temporary lives beside the file, hidden, and is gone afterwards; new
// files get 0666 or 0777 less the umask.
TEST(OutputFile, TemporaryBesideTheFileAndModes) {
  ScratchDirectory dir;
  ASSERT_FALSE(dir.path.empty());
  static std::vector<std::string> events;
  events.clear();
  OutputFileOptions options;
  options.executable = true;
  options.onTemporary = [](const std::string &path, bool created) {
    events.push_back((created ? "+" : "-") + path);
  };
  std::string reason;
  mode_t umaskValue = umask(022);
  ASSERT_TRUE(writeOutputFile(dir / "lib.so", "abc", 3, options, reason))
      << reason;
  options.executable = false;
  ASSERT_TRUE(writeOutputFile(dir / "data.bin", "abc", 3, options, reason))
      << reason;
  umask(umaskValue);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].substr(0, dir.path.size() + 10),
            "+" + dir.path + "/.lib.so.");
  EXPECT_EQ(events[1], "-" + events[0].substr(1));
  EXPECT_EQ(events[0].substr(events[0].size() - 4), ".tmp");
  struct stat st;
  ASSERT_EQ(stat((dir / "lib.so").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  ASSERT_EQ(stat((dir / "data.bin").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(dir.list(), "data.bin\nlib.so\n");

  // What is not written or replaced.
  EXPECT_FALSE(checkOutputPath(dir.path, reason));
  EXPECT_EQ(reason, "Is a directory");
  EXPECT_FALSE(writeOutputFile(dir.path, "abc", 3, options, reason));
  EXPECT_EQ(reason, "Is a directory");
  ASSERT_EQ(symlink("missing/file", (dir / "dangling").c_str()), 0);
  EXPECT_FALSE(checkOutputPath(dir / "dangling", reason));
  EXPECT_EQ(reason, "it is a symbolic link that does not resolve (No such "
                    "file or directory)");
  EXPECT_TRUE(checkOutputPath(dir / "new-file", reason));
  EXPECT_FALSE(checkOutputPath(dir / "missing/new-file", reason));
  EXPECT_EQ(reason, "No such file or directory");
}

} // namespace
