//===- bnn-interp.cpp - run a model with the reference interpreter --------===//
//
// bnn-interp MODEL.mlir [--entry NAME] [--input FILE.npy]...
//            [--random-inputs SEED] [--output FILE.npy]... [--quiet]
//
// Parses and verifies the model, evaluates the entry function value by value
// and prints (or saves) its results. Errors are diagnostics with a location
// and a non-zero exit.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Batch.h"
#include "bnn/Input/ModelInput.h"
#include "bnn/Reference/Interpreter.h"
#include "bnn/Reference/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "bnn/Support/OutputFile.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::bnn;
namespace cl = llvm::cl;

static cl::OptionCategory category("bnn-interp options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<std::string> entryName("entry",
                                      cl::desc("Function to run (default: "
                                               "the only public function)"),
                                      cl::value_desc("name"),
                                      cl::cat(category));
static cl::list<std::string> inputs("input",
                                    cl::desc("Argument values, one .npy per "
                                             "argument, in order"),
                                    cl::value_desc("file.npy"),
                                    cl::cat(category));
// Decimal numbers only, parsed below: cl::opt<uint64_t> would also take
// 0x10, 0b1 and 010 (octal), which bnn-run reads differently or rejects.
static cl::opt<std::string>
    randomSeed("random-inputs",
               cl::desc("Fill the arguments with deterministic random values"),
               cl::value_desc("seed"), cl::cat(category));
static cl::list<std::string> outputs("output",
                                     cl::desc("Save results, one .npy per "
                                              "result, in order"),
                                     cl::value_desc("file.npy"),
                                     cl::cat(category));
static cl::opt<std::string>
    batchSize("batch",
              cl::desc("Batch size of --random-inputs arguments whose "
                       "dimension 0 is dynamic (default 1)"),
              cl::value_desc("n"), cl::init("1"), cl::cat(category));

static cl::opt<bool> quiet("quiet", cl::desc("Do not print the results"),
                           cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "bnn-interp") << message << "\n";
  return 1;
}

/// Parses a decimal number without sign, spaces or trailing text, as
/// bnn-run does.
static bool parseDecimal(llvm::StringRef text, uint64_t max, uint64_t &value) {
  if (text.empty() ||
      text.find_first_not_of("0123456789") != llvm::StringRef::npos)
    return false;
  value = 0;
  for (char c : text) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  return true;
}

/// Flushes stdout and reports a write error (a full disk, a closed pipe)
/// instead of exiting 0; returns the exit status.
static int finish(int status) {
  llvm::outs().flush();
  if (std::error_code ec = llvm::outs().error()) {
    llvm::outs().clear_error();
    fail("cannot write to stdout: " + ec.message());
    return 1;
  }
  return status;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "bnn reference interpreter: evaluates a model "
                              "value by value\n");

  DialectRegistry registry;
  ref::registerInterpreterDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openModelFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);

  OwningOpRef<ModuleOp> module =
      parseModelSource(sourceMgr, ParserConfig(&context));
  if (!module)
    return 1;
  FailureOr<func::FuncOp> entry =
      ref::lookupEntry(*module, entryName, errorMessage);
  if (failed(entry))
    return fail(errorMessage);
  FunctionType type = entry->getFunctionType();

  uint64_t seed = 0;
  if (randomSeed.getNumOccurrences() &&
      !parseDecimal(randomSeed, UINT64_MAX, seed))
    return fail("--random-inputs: expected a decimal seed in 0.." +
                llvm::Twine(UINT64_MAX) + ", got '" + randomSeed + "'");
  uint64_t batch = 1;
  if (!parseDecimal(batchSize, INT32_MAX, batch))
    return fail("--batch: expected a decimal integer in 0.." +
                llvm::Twine(INT32_MAX) + ", got '" + batchSize + "'");
  if (!inputs.empty() && randomSeed.getNumOccurrences())
    return fail("--input and --random-inputs are mutually exclusive");
  if (inputs.empty() && !randomSeed.getNumOccurrences() &&
      type.getNumInputs() != 0)
    return fail("'" + entry->getSymName() + "' takes " +
                llvm::Twine(type.getNumInputs()) +
                " argument(s): give --input files or --random-inputs");
  if (!inputs.empty() && inputs.size() != type.getNumInputs())
    return fail("'" + entry->getSymName() + "' takes " +
                llvm::Twine(type.getNumInputs()) + " argument(s), got " +
                llvm::Twine(inputs.size()) + " --input file(s)");
  for (const std::string &out : outputs) {
    std::vector<std::string> sources(inputs.begin(), inputs.end());
    sources.push_back(inputFile);
    for (const std::string &in : sources)
      if (mlir::bnn::isInputFile(out, in))
        return fail("--output '" + out + "' is the input file '" + in +
                    "'; refusing to overwrite it");
  }
  if (!outputs.empty() && outputs.size() != type.getNumResults())
    return fail("'" + entry->getSymName() + "' returns " +
                llvm::Twine(type.getNumResults()) + " result(s), got " +
                llvm::Twine(outputs.size()) + " --output file(s)");

  std::vector<ref::Tensor> args;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto argType = dyn_cast<RankedTensorType>(type.getInput(i));
    std::optional<ref::ElementType> et =
        argType ? ref::ElementType::fromMLIR(argType.getElementType())
                : std::nullopt;
    bool batched = isBatchedType(argType);
    if (!et || (!argType.hasStaticShape() && !batched))
      return fail("argument #" + llvm::Twine(i) +
                  " must be a tensor of a supported type with a static shape "
                  "(but for a dynamic batch in dimension 0)");
    std::vector<int64_t> shape(argType.getShape().begin(),
                               argType.getShape().end());
    if (batched)
      shape[0] = static_cast<int64_t>(batch);
    if (inputs.empty()) {
      if (!ref::checkedElementCount(shape)) {
        std::string typeText;
        llvm::raw_string_ostream os(typeText);
        os << RankedTensorType::get(shape, argType.getElementType());
        return fail("argument #" + llvm::Twine(i) + " (" + typeText +
                    ") has more than " + llvm::Twine(ref::kMaxElements) +
                    " elements, more than the interpreter evaluates");
      }
      args.push_back(ref::randomTensor(*et, shape, seed + i));
      continue;
    }
    npy::Array array;
    if (!npy::readFile(inputs[i], array, errorMessage))
      return fail("argument #" + llvm::Twine(i) + ": " + errorMessage);
    std::optional<ref::Tensor> t = ref::fromNpy(array, *et, errorMessage);
    if (!t)
      return fail("argument #" + llvm::Twine(i) + ": '" + inputs[i] +
                  "': " + errorMessage);
    if (batched && t->rank() == static_cast<int64_t>(shape.size()))
      shape[0] = t->dim(0); // a dynamic batch takes the file's
    if (t->shape() != shape)
      return fail("argument #" + llvm::Twine(i) + ": '" + inputs[i] +
                  "': shape " + t->typeString() + " does not match " +
                  ref::Tensor(*et, shape).typeString());
    args.push_back(std::move(*t));
  }

  FailureOr<std::vector<ref::Tensor>> results = ref::interpret(*entry, args);
  if (failed(results))
    return 1;

  for (auto [i, result] : llvm::enumerate(*results)) {
    if (!quiet) {
      llvm::outs() << "result #" << i << ": " << result.typeString() << "\n";
      result.print(llvm::outs());
    }
    if (!outputs.empty() &&
        !npy::writeFile(outputs[i], ref::toNpy(result), errorMessage)) {
      fail("result #" + llvm::Twine(i) + ": " + errorMessage);
      return finish(1);
    }
  }
  return finish(0);
}
