//===- CompilerTest.cpp - the C++ compiler API ----------------------------===//

#include "TestModels.h"

#include "bnn/Compiler/Compiler.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace bnn_test;

namespace {

/// A context able to compile any model that records every diagnostic as
/// "line:col: message" (or just the message without a location).
class CompilerTest : public ::testing::Test {
protected:
  CompilerTest() : context(makeRegistry()) {
    context.printOpOnDiagnostic(false);
    handler = std::make_unique<ScopedDiagnosticHandler>(
        &context, [this](Diagnostic &diag) {
          std::string text;
          if (auto loc = dyn_cast<FileLineColLoc>(diag.getLocation()))
            text = std::to_string(loc.getLine()) + ":" +
                   std::to_string(loc.getColumn()) + ": ";
          diagnostics.push_back(text + diag.str());
          return success();
        });
  }
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    registerCompilerDialects(registry);
    return registry;
  }

  OwningOpRef<ModuleOp> parse(llvm::StringRef text) {
    return parseSourceString<ModuleOp>(text, ParserConfig(&context), "model");
  }

  FailureOr<std::string> compile(llvm::StringRef text,
                                 const CompileOptions &options) {
    OwningOpRef<ModuleOp> module = parse(text);
    if (!module)
      return failure();
    return compileModule(*module, options);
  }

  std::string allDiagnostics() const {
    std::string text;
    for (const std::string &d : diagnostics)
      text += d + "\n";
    return text;
  }

  MLIRContext context;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
  std::vector<std::string> diagnostics;
};

TEST(EmitKind, ParsesPrintsAndInfers) {
  for (EmitKind kind : {EmitKind::MLIR, EmitKind::LLVM, EmitKind::Asm,
                        EmitKind::Obj, EmitKind::Shared, EmitKind::Header})
    EXPECT_EQ(parseEmitKind(stringifyEmitKind(kind)), kind);
  EXPECT_EQ(parseEmitKind("exe"), std::nullopt);
  EXPECT_EQ(listEmitKinds(), "mlir, llvm, asm, obj, shared, header");

  EXPECT_EQ(inferEmitKind("model.mlir"), EmitKind::MLIR);
  EXPECT_EQ(inferEmitKind("out/model.ll"), EmitKind::LLVM);
  EXPECT_EQ(inferEmitKind("model.s"), EmitKind::Asm);
  EXPECT_EQ(inferEmitKind("/tmp/model.o"), EmitKind::Obj);
  EXPECT_EQ(inferEmitKind("libmodel.so"), EmitKind::Shared);
  EXPECT_EQ(inferEmitKind("model.h"), EmitKind::Header);
  EXPECT_EQ(inferEmitKind("-"), std::nullopt);
  EXPECT_EQ(inferEmitKind("model"), std::nullopt);
  EXPECT_EQ(inferEmitKind("model.bin"), std::nullopt);
  EXPECT_EQ(inferEmitKind("model.so.1"), std::nullopt);
  EXPECT_EQ(inferEmitKind("dir.o/model"), std::nullopt);
  EXPECT_TRUE(isBinaryEmitKind(EmitKind::Shared));
  EXPECT_FALSE(isBinaryEmitKind(EmitKind::Asm));
}

TEST(CompileOptions, Validation) {
  CompileOptions options;
  EXPECT_EQ(validateOptions(options), "");
  options.lowering.target = "aarch64";
  options.lowering.cpu = "cortex-a76";
  options.lowering.features = "+dotprod,-sve";
  options.optLevel = 3;
  EXPECT_EQ(validateOptions(options), "");

  CompileOptions badTarget;
  badTarget.lowering.target = "riscv64";
  EXPECT_EQ(validateOptions(badTarget),
            "unknown target 'riscv64' (expected x86_64, aarch64)");
  CompileOptions badCPU;
  badCPU.lowering.cpu = "neoverse-n1";
  EXPECT_EQ(validateOptions(badCPU),
            "unknown CPU 'neoverse-n1' for target x86_64 (-mcpu=help lists "
            "them)");
  CompileOptions badFeature;
  badFeature.lowering.target = "aarch64";
  badFeature.lowering.features = "+avx512f";
  EXPECT_EQ(validateOptions(badFeature),
            "unknown feature '+avx512f' for target aarch64 (-mattr=help "
            "lists them)");
  CompileOptions badLevel;
  badLevel.optLevel = 7;
  EXPECT_EQ(validateOptions(badLevel),
            "invalid optimization level 7 (expected 0, 1, 2 or 3)");
  CompileOptions earlyObject;
  earlyObject.lowering.stopAfter = Phase::Bufferized;
  EXPECT_EQ(validateOptions(earlyObject),
            "--emit=obj needs the whole lowering; --stop-after=bufferized "
            "only works with --emit=mlir");
  earlyObject.emit = EmitKind::MLIR;
  EXPECT_EQ(validateOptions(earlyObject), "");
}

TEST_F(CompilerTest, CompilesObjectsAndLibrariesInMemory) {
  struct Case {
    const char *target;
    EmitKind emit;
    unsigned type, machine;
  } cases[] = {
      {"x86_64", EmitKind::Obj, kELFRelocatable, kMachineX86_64},
      {"x86_64", EmitKind::Shared, kELFShared, kMachineX86_64},
      {"aarch64", EmitKind::Obj, kELFRelocatable, kMachineAArch64},
      {"aarch64", EmitKind::Shared, kELFShared, kMachineAArch64},
  };
  for (const Case &c : cases) {
    CompileOptions options;
    options.lowering.target = c.target;
    options.emit = c.emit;
    FailureOr<std::string> bytes = compile(kFloatModel, options);
    ASSERT_TRUE(succeeded(bytes)) << c.target << ": " << allDiagnostics();
    ASSERT_TRUE(isELF(*bytes)) << c.target;
    EXPECT_EQ(elfType(*bytes), c.type) << c.target;
    EXPECT_EQ(elfMachine(*bytes), c.machine) << c.target;
    EXPECT_NE(bytes->find("bnn_entry_main"), std::string::npos);
    EXPECT_NE(bytes->find("bnn_module"), std::string::npos);
  }
  EXPECT_TRUE(diagnostics.empty()) << allDiagnostics();
}

TEST_F(CompilerTest, EmitsTextArtifacts) {
  CompileOptions options;
  options.lowering.target = "aarch64";
  options.emit = EmitKind::LLVM;
  FailureOr<std::string> ir = compile(kFloatModel, options);
  ASSERT_TRUE(succeeded(ir)) << allDiagnostics();
  EXPECT_NE(ir->find("target triple = \"aarch64-unknown-linux-gnu\""),
            std::string::npos);
  EXPECT_NE(ir->find("@bnn_entry_main("), std::string::npos);

  options.emit = EmitKind::Asm;
  FailureOr<std::string> assembly = compile(kFloatModel, options);
  ASSERT_TRUE(succeeded(assembly)) << allDiagnostics();
  EXPECT_NE(assembly->find("bnn_entry_main:"), std::string::npos);

  options.emit = EmitKind::Header;
  FailureOr<std::string> header = compile(kFloatModel, options);
  ASSERT_TRUE(succeeded(header)) << allDiagnostics();
  EXPECT_NE(header->find("#include \"bnn-c/Runtime.h\""), std::string::npos);
  EXPECT_NE(header->find("int32_t bnn_entry_main(DLTensor *const *inputs, "
                         "DLTensor *const *outputs);"),
            std::string::npos);
  EXPECT_NE(header->find("[0] f32 [1, 4]  dtype {kDLFloat, 32, 1}"),
            std::string::npos);
}

TEST_F(CompilerTest, StopsAfterEachPhase) {
  struct Case {
    Phase phase;
    const char *present, *absent;
  } cases[] = {
      {Phase::Input, "tosa.add", "linalg.generic"},
      {Phase::Packed, "tosa.add", "linalg.generic"},
      {Phase::Linalg, "linalg.generic", "tosa."},
      {Phase::Bufferized, "memref<1x4xf32>", "tensor.empty"},
      {Phase::Loops, "memref.load", "linalg.generic"},
      {Phase::LLVM, "llvm.func @bnn_entry_main", "func.func"},
  };
  for (const Case &c : cases) {
    CompileOptions options;
    options.emit = EmitKind::MLIR;
    options.lowering.stopAfter = c.phase;
    FailureOr<std::string> text = compile(kFloatModel, options);
    ASSERT_TRUE(succeeded(text))
        << stringifyPhase(c.phase).str() << ": " << allDiagnostics();
    EXPECT_NE(text->find(c.present), std::string::npos)
        << stringifyPhase(c.phase).str();
    EXPECT_EQ(text->find(c.absent), std::string::npos)
        << stringifyPhase(c.phase).str();
  }
}

TEST_F(CompilerTest, ConfiguresThePassManager) {
  CompileOptions options;
  options.emit = EmitKind::MLIR;
  options.lowering.stopAfter = Phase::Linalg;
  bool called = false;
  options.configurePassManager = [&](PassManager &pm) {
    called = true;
    EXPECT_GT(pm.size(), 0u);
    return success();
  };
  ASSERT_TRUE(succeeded(compile(kFloatModel, options))) << allDiagnostics();
  EXPECT_TRUE(called);

  options.configurePassManager = [](PassManager &) { return failure(); };
  EXPECT_TRUE(failed(compile(kFloatModel, options)));
}

/// Three public functions: several functions for code generation to split.
const char *kThreeFunctions = R"mlir(
func.func @add(%x: tensor<1x4xf32>, %y: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = tosa.add %x, %y : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
func.func @sub(%x: tensor<1x4xf32>, %y: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = tosa.sub %x, %y : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
func.func @clamp(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
)mlir";

TEST_F(CompilerTest, GeneratesCodeInPartitions) {
  for (const char *target : {"x86_64", "aarch64"}) {
    CompileOptions options;
    options.lowering.target = target;
    options.emit = EmitKind::Shared;
    options.codegenThreads = 1;
    FailureOr<std::string> one = compile(kThreeFunctions, options);
    ASSERT_TRUE(succeeded(one)) << target << ": " << allDiagnostics();
    // Small models are one object by default.
    options.codegenThreads = 0;
    FailureOr<std::string> byDefault = compile(kThreeFunctions, options);
    ASSERT_TRUE(succeeded(byDefault)) << target << ": " << allDiagnostics();
    EXPECT_EQ(*one, *byDefault) << target;

    options.codegenThreads = 4;
    FailureOr<std::string> four = compile(kThreeFunctions, options);
    ASSERT_TRUE(succeeded(four)) << target << ": " << allDiagnostics();
    ASSERT_TRUE(isELF(*four)) << target;
    EXPECT_EQ(elfType(*four), kELFShared) << target;
    EXPECT_NE(*four, *one) << target << ": the module was not split";
    for (const char *symbol :
         {"bnn_entry_add", "bnn_entry_sub", "bnn_entry_clamp", "bnn_module"})
      EXPECT_NE(four->find(symbol), std::string::npos) << target << symbol;
    // The same library whichever thread finishes first, and with the
    // partitions generated one after the other.
    FailureOr<std::string> again = compile(kThreeFunctions, options);
    ASSERT_TRUE(succeeded(again)) << target << ": " << allDiagnostics();
    EXPECT_EQ(*four, *again) << target;
    context.disableMultithreading();
    FailureOr<std::string> serial = compile(kThreeFunctions, options);
    context.disableMultithreading(false);
    ASSERT_TRUE(succeeded(serial)) << target << ": " << allDiagnostics();
    EXPECT_EQ(*four, *serial) << target;

    // Objects are one file whatever the threads.
    options.emit = EmitKind::Obj;
    FailureOr<std::string> object = compile(kThreeFunctions, options);
    options.codegenThreads = 1;
    FailureOr<std::string> oneObject = compile(kThreeFunctions, options);
    ASSERT_TRUE(succeeded(object) && succeeded(oneObject)) << allDiagnostics();
    EXPECT_EQ(*object, *oneObject) << target;
  }
}

namespace {
/// Appends an `arith.constant` whose value does not match its type to the
/// first function: IR that no verifier accepts.
struct BreakIRPass : public PassWrapper<BreakIRPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(BreakIRPass)
  void runOnOperation() override {
    Operation *first = &getOperation().getBody()->front();
    Block &entry = first->getRegion(0).front();
    OpBuilder builder = OpBuilder::atBlockBegin(&entry);
    OperationState state(builder.getUnknownLoc(), "arith.constant");
    state.addAttribute("value", builder.getI32IntegerAttr(1));
    state.addTypes(builder.getF32Type());
    builder.create(state);
  }
};
} // namespace

TEST_F(CompilerTest, VerifiesTheLoweringsResultOrEachPass) {
  CompileOptions options;
  options.emit = EmitKind::MLIR;
  FailureOr<std::string> checkedOnce = compile(kFloatModel, options);
  options.verifyEachPass = true;
  FailureOr<std::string> checkedAlways = compile(kFloatModel, options);
  ASSERT_TRUE(succeeded(checkedOnce) && succeeded(checkedAlways))
      << allDiagnostics();
  EXPECT_EQ(*checkedOnce, *checkedAlways);

  // A pass that breaks the IR: caught at the end, or right after it.
  options.configurePassManager = [](PassManager &pm) {
    pm.addPass(std::make_unique<BreakIRPass>());
    return success();
  };
  for (bool each : {false, true}) {
    diagnostics.clear();
    options.verifyEachPass = each;
    EXPECT_TRUE(failed(compile(kFloatModel, options)));
    EXPECT_NE(allDiagnostics().find("'arith.constant' op failed to verify"),
              std::string::npos)
        << allDiagnostics();
    EXPECT_EQ(allDiagnostics().find("the lowering produced invalid IR") !=
                  std::string::npos,
              !each)
        << allDiagnostics();
  }
}

TEST_F(CompilerTest, ReportsBadOptionsAsDiagnostics) {
  CompileOptions options;
  options.lowering.target = "sparc";
  EXPECT_TRUE(failed(compile(kFloatModel, options)));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0],
            "unknown target 'sparc' (expected x86_64, aarch64)");
}

TEST_F(CompilerTest, ReportsUnsupportedOperationsAtTheirLocation) {
  CompileOptions options;
  EXPECT_TRUE(failed(compile(kUnsupportedModel, options)));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics[0], "3:8: failed to legalize operation 'tosa.custom'");
}

TEST_F(CompilerTest, ReportsParseErrorsFromSources) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(kMalformedModel, "bad.mlir"),
      llvm::SMLoc());
  EXPECT_TRUE(failed(compileSource(sourceMgr, context, CompileOptions())));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics[0], "3:48: expected '>' in tensor type");
}

TEST_F(CompilerTest, CompilesFilesAndWritesNothingOnFailure) {
  llvm::SmallString<128> directory;
  ASSERT_FALSE(
      llvm::sys::fs::createUniqueDirectory("bnn-compiler-test", directory));
  auto path = [&](llvm::StringRef name) {
    llvm::SmallString<128> p(directory);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };
  auto write = [&](llvm::StringRef name, llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path(name), ec);
    ASSERT_FALSE(ec);
    os << text;
  };
  write("good.mlir", kFloatModel);
  write("bad.mlir", kMalformedModel);

  CompileOptions options;
  options.emit = EmitKind::Shared;
  ASSERT_TRUE(succeeded(
      compileFile(context, path("good.mlir"), path("good.so"), options)))
      << allDiagnostics();
  auto library = llvm::MemoryBuffer::getFile(path("good.so"));
  ASSERT_TRUE(bool(library));
  EXPECT_TRUE(isELF((*library)->getBuffer().str()));

  EXPECT_TRUE(
      failed(compileFile(context, path("bad.mlir"), path("bad.so"), options)));
  EXPECT_FALSE(llvm::sys::fs::exists(path("bad.so")));
  EXPECT_TRUE(failed(
      compileFile(context, path("missing.mlir"), path("missing.so"), options)));
  EXPECT_FALSE(llvm::sys::fs::exists(path("missing.so")));
  EXPECT_TRUE(failed(compileFile(context, path("good.mlir"),
                                 path("no-dir/good.so"), options)));

  // Only the inputs and the one artifact are left: no temporaries.
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(directory, ec), end;
       it != end && !ec; it.increment(ec))
    names.push_back(llvm::sys::path::filename(it->path()).str());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"bad.mlir", "good.mlir", "good.so"}));
  for (const std::string &name : names)
    llvm::sys::fs::remove(path(name));
  llvm::sys::fs::remove(directory);
}

} // namespace
