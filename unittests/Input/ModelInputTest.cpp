//===- ModelInputTest.cpp - bounded reading and nesting of model text -----===//
//
// What every front end shares (bnn/Input/ModelInput.h), and that the C++
// and C compiler APIs refuse deep nesting with a located error instead of
// overflowing the stack.
//
//===----------------------------------------------------------------------===//

#include "bnn/Input/ModelInput.h"

#include "bnn-c/Compiler.h"
#include "bnn/Compiler/Compiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <fcntl.h>
#include <string>
#include <unistd.h>

using namespace mlir;
using namespace mlir::bnn;

namespace {

std::string repeat(const std::string &s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

/// `depth` nested modules.
std::string nestedModules(int depth) {
  return repeat("module {", depth) + repeat("}", depth) + "\n";
}

TEST(FindExcessiveNesting, CountsEveryKindOfBracket) {
  EXPECT_EQ(findExcessiveNesting("", 2), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("{[]}", 2), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("{[(", 2), 2u);
  EXPECT_EQ(findExcessiveNesting("<<<", 2), 2u);
  EXPECT_EQ(findExcessiveNesting("({<x>})[[[[", 3), 10u);
  // Closing brackets end levels; extra ones do not go below zero.
  EXPECT_EQ(findExcessiveNesting("{}{}{}{}[]", 1), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("))))]]]>>>{{", 1), 11u);
  // The limit itself is accepted, one more level is not.
  EXPECT_EQ(findExcessiveNesting(repeat("[", 1000)), std::nullopt);
  EXPECT_EQ(findExcessiveNesting(repeat("[", 1001)), 1000u);
  EXPECT_EQ(findExcessiveNesting(nestedModules(1001)), 8007u);
}

TEST(FindExcessiveNesting, SkipsStringsCommentsAndArrows) {
  // Inside a string literal (escaped quotes included) and after `//`.
  EXPECT_EQ(findExcessiveNesting("\"[[[\\\"[[[\" [", 1), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("// {{{{\n{", 1), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("// {{{{\n{{", 1), 9u);
  // A string ends at a newline, as in the lexer.
  EXPECT_EQ(findExcessiveNesting("\"abc\n{{", 1), 6u);
  // `->` closes nothing; a plain `>` does.
  EXPECT_EQ(findExcessiveNesting("<(d0) -> (d0)>", 2), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("<a->b<", 1), 5u);
  EXPECT_EQ(findExcessiveNesting("<a>b<", 1), std::nullopt);
}

class ModelFile : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("bnn-model-input", directory));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(directory); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<128> p(directory);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  std::string write(llvm::StringRef name, llvm::StringRef text) {
    std::string p = path(name);
    std::error_code ec;
    llvm::raw_fd_ostream os(p, ec);
    EXPECT_FALSE(ec);
    os << text;
    return p;
  }

  llvm::SmallString<128> directory;
};

TEST_F(ModelFile, ReadsFilesUpToTheLimit) {
  std::string small = write("small.mlir", "module {}\n");
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      openModelFile(small, &error, /*maxBytes=*/10);
  ASSERT_TRUE(buffer) << error;
  EXPECT_EQ(buffer->getBuffer(), "module {}\n");
  EXPECT_EQ(buffer->getBufferIdentifier(), small);
  EXPECT_EQ(*buffer->getBufferEnd(), '\0'); // the parser needs it

  EXPECT_FALSE(openModelFile(small, &error, /*maxBytes=*/9));
  EXPECT_EQ(error, "input file '" + small +
                       "' is 10 bytes, more than 9 bytes, the most a model "
                       "may have");
}

TEST_F(ModelFile, RefusesWhatIsNoModelFile) {
  std::string error;
  EXPECT_FALSE(openModelFile(path("missing.mlir"), &error));
  EXPECT_EQ(error, "cannot open input file '" + path("missing.mlir") +
                       "': No such file or directory");
  EXPECT_FALSE(openModelFile(directory, &error));
  EXPECT_EQ(error, "cannot open input file '" + std::string(directory) +
                       "': Is a directory");
  EXPECT_FALSE(openModelFile("/dev/zero", &error));
  EXPECT_EQ(error, "input file '/dev/zero' is a character device; models "
                   "are read from files, pipes or a terminal");
  // An empty device is the empty model.
  std::unique_ptr<llvm::MemoryBuffer> null = openModelFile("/dev/null", &error);
  ASSERT_TRUE(null) << error;
  EXPECT_EQ(null->getBufferSize(), 0u);
}

TEST_F(ModelFile, ReadsPipesOnStdinUpToTheLimit) {
  // stdin is a pipe holding 12 bytes.
  auto withStdin = [](llvm::StringRef data, auto fn) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], data.data(), data.size()), ssize_t(data.size()));
    ::close(fds[1]);
    int saved = ::dup(0);
    ::dup2(fds[0], 0);
    ::close(fds[0]);
    fn();
    ::dup2(saved, 0);
    ::close(saved);
  };
  std::string error;
  withStdin("module {}\n//", [&] {
    std::unique_ptr<llvm::MemoryBuffer> buffer =
        openModelFile("-", &error, /*maxBytes=*/12);
    ASSERT_TRUE(buffer) << error;
    EXPECT_EQ(buffer->getBuffer(), "module {}\n//");
    EXPECT_EQ(buffer->getBufferIdentifier(), "<stdin>");
  });
  withStdin("module {}\n//", [&] {
    EXPECT_FALSE(openModelFile("-", &error, /*maxBytes=*/11));
    EXPECT_EQ(error, "stdin is larger than 11 bytes, the most a model may "
                     "have");
  });
}

TEST(CompilerNesting, CompileTextRefusesDeepNestingAtTheBracket) {
  CompileOptions options;
  options.emit = EmitKind::MLIR;
  std::string diagnostics;
  // Deep enough to overflow any thread's stack if it were parsed.
  FailureOr<std::string> artifact =
      compileText(nestedModules(100000), "deep.mlir", options, diagnostics);
  EXPECT_TRUE(failed(artifact));
  EXPECT_EQ(diagnostics.find("deep.mlir:1:8008: error: brackets nest deeper "
                             "than 1000 levels"),
            0u)
      << diagnostics;
  // At the limit, it parses (and fails later: nested modules hold no
  // entry point, which is only a warning).
  EXPECT_TRUE(
      succeeded(compileText("module attributes {x.a = " + repeat("[", 999) +
                                repeat("]", 999) + "} {}",
                            "ok.mlir", options, diagnostics)))
      << diagnostics;
}

TEST(CompilerNesting, CAPIRefusesDeepNesting) {
  std::string text = "module attributes {x.a = " + repeat("[", 50000) +
                     repeat("]", 50000) + "} {}";
  bnn_compile_options options;
  bnn_compile_options_init(&options);
  options.emit = BNN_EMIT_MLIR;
  void *bytes = nullptr;
  size_t size = 0;
  char *error = nullptr;
  EXPECT_NE(bnn_compile_string(text.data(), text.size(), &options, &bytes,
                               &size, &error),
            0);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(std::string(error).find("<string>:1:1025: error: brackets nest "
                                    "deeper than 1000 levels"),
            0u)
      << error;
  bnn_free(error);
  EXPECT_EQ(bytes, nullptr);

  // A file that never ends.
  error = nullptr;
  options.emit = BNN_EMIT_OBJ;
  EXPECT_NE(bnn_compile_file("/dev/zero", "/dev/null", &options, &error), 0);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("input file '/dev/zero' is a character "
                                    "device"),
            std::string::npos)
      << error;
  bnn_free(error);
}

} // namespace
