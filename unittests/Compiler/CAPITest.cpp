//===- CAPITest.cpp - the C API of the compiler ---------------------------===//

#include "TestModels.h"

#include "bnn-c/Compiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstring>
#include <thread>

using namespace bnn_test;

extern "C" size_t bnn_test_compile_from_c(const char *text, char **error);

namespace {

/// Compiles `text`; returns the artifact or, on failure, sets `error`.
bool compileString(const std::string &text, const bnn_compile_options *options,
                   std::string &artifact, std::string &error) {
  void *bytes = reinterpret_cast<void *>(0x1);
  size_t size = 1;
  char *message = nullptr;
  int status = bnn_compile_string(text.data(), text.size(), options, &bytes,
                                  &size, &message);
  if (status != 0) {
    EXPECT_EQ(bytes, nullptr);
    EXPECT_EQ(size, 0u);
    EXPECT_NE(message, nullptr);
    error = message ? message : "";
    bnn_free(message);
    return false;
  }
  EXPECT_EQ(message, nullptr);
  artifact.assign(static_cast<const char *>(bytes), size);
  bnn_free(bytes);
  return true;
}

bnn_compile_options optionsFor(int emit, const char *target = "x86_64") {
  bnn_compile_options options;
  bnn_compile_options_init(&options);
  options.target = target;
  options.emit = emit;
  return options;
}

TEST(CAPI, InitialisesDefaults) {
  bnn_compile_options options;
  std::memset(&options, 0x5a, sizeof(options));
  bnn_compile_options_init(&options);
  EXPECT_STREQ(options.target, "x86_64");
  EXPECT_EQ(options.cpu, nullptr);
  EXPECT_EQ(options.features, nullptr);
  EXPECT_EQ(options.opt_level, 2);
  EXPECT_EQ(options.emit, BNN_EMIT_INFER);
  EXPECT_EQ(options.stop_after, nullptr);
  EXPECT_EQ(options.pipeline_options, nullptr);
}

TEST(CAPI, PassesPipelineOptions) {
  bnn_compile_options options = optionsFor(BNN_EMIT_MLIR);
  options.stop_after = "packed";
  std::string artifact, error;
  // fuse-glue decides whether binarize(acc_to_float) survives the packed
  // phase (kFloatModel has none, so both compile; what differs is checked
  // by the pipeline's lit tests).
  options.pipeline_options = "fuse-glue=false tile=false";
  EXPECT_TRUE(compileString(kFloatModel, &options, artifact, error)) << error;

  options.pipeline_options = "tile=maybe";
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_NE(error.find("invalid pipeline options 'tile=maybe'"),
            std::string::npos)
      << error;

  options.pipeline_options = "target=aarch64";
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_NE(error.find("pipeline option 'target' has its own flag"),
            std::string::npos)
      << error;
}

TEST(CAPI, CompilesStringsToELFBytes) {
  bnn_compile_options options = optionsFor(BNN_EMIT_SHARED);
  std::string artifact, error;
  ASSERT_TRUE(compileString(kFloatModel, &options, artifact, error)) << error;
  ASSERT_TRUE(isELF(artifact));
  EXPECT_EQ(elfType(artifact), kELFShared);
  EXPECT_EQ(elfMachine(artifact), kMachineX86_64);

  options = optionsFor(BNN_EMIT_OBJ, "aarch64");
  options.cpu = "cortex-a53";
  options.features = "+crc";
  options.opt_level = 1;
  ASSERT_TRUE(compileString(kFloatModel, &options, artifact, error)) << error;
  EXPECT_EQ(elfType(artifact), kELFRelocatable);
  EXPECT_EQ(elfMachine(artifact), kMachineAArch64);
}

TEST(CAPI, TextArtifactsAreTerminated) {
  bnn_compile_options options = optionsFor(BNN_EMIT_MLIR);
  options.stop_after = "linalg";
  std::string text(kFloatModel);
  void *bytes = nullptr;
  size_t size = 0;
  char *error = nullptr;
  ASSERT_EQ(bnn_compile_string(text.data(), text.size(), &options, &bytes,
                               &size, &error),
            0)
      << (error ? error : "");
  const char *mlir = static_cast<const char *>(bytes);
  EXPECT_EQ(std::strlen(mlir), size);
  EXPECT_NE(std::strstr(mlir, "linalg.generic"), nullptr);
  bnn_free(bytes);
}

TEST(CAPI, ErrorsCarryTheLocation) {
  bnn_compile_options options = optionsFor(BNN_EMIT_OBJ);
  std::string artifact, error;
  EXPECT_FALSE(compileString(kMalformedModel, &options, artifact, error));
  EXPECT_NE(error.find("<string>:3:48: error: expected '>' in tensor type"),
            std::string::npos)
      << error;

  EXPECT_FALSE(compileString(kUnsupportedModel, &options, artifact, error));
  EXPECT_NE(error.find("<string>:3:8: error: failed to legalize operation "
                       "'tosa.custom'"),
            std::string::npos)
      << error;
  // The offending operation is not dumped after the message.
  EXPECT_EQ(error.find("see current operation"), std::string::npos) << error;
}

TEST(CAPI, RejectsBadOptions) {
  std::string artifact, error;
  bnn_compile_options options = optionsFor(BNN_EMIT_OBJ, "riscv64");
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_EQ(error, "error: unknown target 'riscv64' (expected x86_64, "
                   "aarch64)\n");

  options = optionsFor(BNN_EMIT_OBJ);
  options.cpu = "foo";
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_EQ(error, "error: unknown CPU 'foo' for target x86_64 (-mcpu=help "
                   "lists them)\n");

  options = optionsFor(BNN_EMIT_OBJ);
  options.features = "+avx9";
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_NE(error.find("unknown feature '+avx9'"), std::string::npos);

  options = optionsFor(BNN_EMIT_OBJ);
  options.opt_level = -1;
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_NE(error.find("invalid optimization level -1"), std::string::npos);

  options = optionsFor(BNN_EMIT_OBJ);
  options.stop_after = "tiled";
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_NE(error.find("unknown phase 'tiled'"), std::string::npos);

  options = optionsFor(BNN_EMIT_OBJ);
  options.stop_after = "loops";
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_NE(error.find("only works with --emit=mlir"), std::string::npos);

  options = optionsFor(BNN_EMIT_INFER);
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_EQ(error, "error: bnn_compile_string needs options.emit\n");
  EXPECT_FALSE(compileString(kFloatModel, nullptr, artifact, error));

  options = optionsFor(42);
  EXPECT_FALSE(compileString(kFloatModel, &options, artifact, error));
  EXPECT_EQ(error, "error: unknown emit kind 42\n");

  // Null output pointers are reported, not dereferenced.
  char *message = nullptr;
  options = optionsFor(BNN_EMIT_OBJ);
  EXPECT_NE(bnn_compile_string(kFloatModel, std::strlen(kFloatModel), &options,
                               nullptr, nullptr, &message),
            0);
  EXPECT_NE(message, nullptr);
  bnn_free(message);
  // And the error message is optional.
  EXPECT_NE(bnn_compile_string(kMalformedModel, std::strlen(kMalformedModel),
                               &options, nullptr, nullptr, nullptr),
            0);
}

TEST(CAPI, CompilesFiles) {
  llvm::SmallString<128> directory;
  ASSERT_FALSE(
      llvm::sys::fs::createUniqueDirectory("bnn-capi-test", directory));
  auto path = [&](llvm::StringRef name) {
    llvm::SmallString<128> p(directory);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path("model.mlir"), ec);
    ASSERT_FALSE(ec);
    os << kFloatModel;
    llvm::raw_fd_ostream bad(path("bad.mlir"), ec);
    ASSERT_FALSE(ec);
    bad << kMalformedModel;
  }

  char *error = nullptr;
  // The kind comes from the extension.
  ASSERT_EQ(bnn_compile_file(path("model.mlir").c_str(),
                             path("model.h").c_str(), nullptr, &error),
            0)
      << (error ? error : "");
  auto header = llvm::MemoryBuffer::getFile(path("model.h"));
  ASSERT_TRUE(bool(header));
  EXPECT_NE((*header)->getBuffer().find("bnn_entry_main"),
            llvm::StringRef::npos);

  bnn_compile_options options = optionsFor(BNN_EMIT_OBJ, "aarch64");
  ASSERT_EQ(bnn_compile_file(path("model.mlir").c_str(),
                             path("model.bin").c_str(), &options, &error),
            0)
      << (error ? error : "");
  auto object = llvm::MemoryBuffer::getFile(path("model.bin"));
  ASSERT_TRUE(bool(object));
  EXPECT_EQ(elfMachine((*object)->getBuffer().str()), kMachineAArch64);

  EXPECT_NE(bnn_compile_file(path("model.mlir").c_str(),
                             path("model.bin2").c_str(), nullptr, &error),
            0);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("cannot infer the artifact kind"),
            std::string::npos)
      << error;
  bnn_free(error);

  EXPECT_NE(bnn_compile_file(path("bad.mlir").c_str(), path("bad.so").c_str(),
                             nullptr, &error),
            0);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("bad.mlir:3:48: error: expected '>'"),
            std::string::npos)
      << error;
  bnn_free(error);
  EXPECT_FALSE(llvm::sys::fs::exists(path("bad.so")));
  EXPECT_FALSE(llvm::sys::fs::exists(path("model.bin2")));

  EXPECT_NE(bnn_compile_file(path("model.mlir").c_str(), "/nonexistent/dir/x.o",
                             nullptr, &error),
            0);
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(error, "error: cannot open output file '/nonexistent/dir/x.o': "
                      "No such file or directory\n");
  bnn_free(error);

  for (const char *name : {"model.mlir", "bad.mlir", "model.h", "model.bin"})
    llvm::sys::fs::remove(path(name));
  llvm::sys::fs::remove(directory);
}

// The output may not be the input file, whichever name reaches it.
TEST(CAPI, RefusesToOverwriteTheInput) {
  llvm::SmallString<128> directory;
  ASSERT_FALSE(
      llvm::sys::fs::createUniqueDirectory("bnn-capi-test", directory));
  auto path = [&](llvm::StringRef name) {
    llvm::SmallString<128> p(directory);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path("model.mlir"), ec);
    ASSERT_FALSE(ec);
    os << kFloatModel;
  }
  ASSERT_FALSE(llvm::sys::fs::create_link("model.mlir", path("link.mlir")));
  ASSERT_FALSE(
      llvm::sys::fs::create_hard_link(path("model.mlir"), path("hard.mlir")));

  bnn_compile_options options = optionsFor(BNN_EMIT_MLIR);
  std::pair<const char *, const char *> pairs[] = {
      {"model.mlir", "model.mlir"},
      {"link.mlir", "model.mlir"},
      {"model.mlir", "link.mlir"},
      {"hard.mlir", "model.mlir"},
  };
  for (auto [in, out] : pairs) {
    char *error = nullptr;
    EXPECT_NE(
        bnn_compile_file(path(in).c_str(), path(out).c_str(), &options, &error),
        0)
        << in << " -> " << out;
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(std::string(error), "error: the output file '" + path(out) +
                                      "' is the input file '" + path(in) +
                                      "'; refusing to overwrite the model\n");
    bnn_free(error);
    auto text = llvm::MemoryBuffer::getFile(path("model.mlir"));
    ASSERT_TRUE(bool(text));
    EXPECT_EQ((*text)->getBuffer(), kFloatModel);
  }
  // The link is still a link.
  llvm::sys::fs::file_status status;
  ASSERT_FALSE(llvm::sys::fs::status(path("link.mlir"), status,
                                     /*follow=*/false));
  EXPECT_EQ(status.type(), llvm::sys::fs::file_type::symlink_file);

  for (const char *name : {"model.mlir", "link.mlir", "hard.mlir"})
    llvm::sys::fs::remove(path(name));
  llvm::sys::fs::remove(directory);
}

TEST(CAPI, WorksFromC) {
  char *error = nullptr;
  EXPECT_GT(bnn_test_compile_from_c(kFloatModel, &error), 0u);
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(bnn_test_compile_from_c(kMalformedModel, &error), 0u);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::strstr(error, "<string>:3:48: error:"), nullptr) << error;
  bnn_free(error);
}

TEST(CAPI, CallsAreIndependentAndThreadSafe) {
  std::string results[4];
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      bnn_compile_options options =
          optionsFor(BNN_EMIT_OBJ, i % 2 ? "aarch64" : "x86_64");
      std::string error;
      if (!compileString(kFloatModel, &options, results[i], error))
        results[i] = error;
    });
  for (std::thread &thread : threads)
    thread.join();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(isELF(results[i])) << results[i];
    EXPECT_EQ(elfMachine(results[i]), i % 2 ? kMachineAArch64 : kMachineX86_64);
  }
}

} // namespace
