//===- BNNModule.cpp - the _bnn Python extension --------------------------===//
//
// The native half of the `bnn` Python package (python/bnn): the compiler
// (compile, host), the reference interpreter (interpret) and loaded
// artifacts (Artifact: metadata, calls, threads, timing). The Python half
// gives these their documented API; see docs/Python.md.
//
// Long-running work (compiling, interpreting, the artifact's own code)
// runs with the GIL released, so that Python threads can compile and call
// concurrently.
//
//===----------------------------------------------------------------------===//

#include "TensorArgs.h"

#include "bnn/Compiler/Compiler.h"
#include "bnn/Compiler/Diagnostics.h"
#include "bnn/Import/ONNX.h"
#include "bnn/Input/ModelInput.h"
#include "bnn/Reference/Interpreter.h"
#include "bnn/Reference/TensorIO.h"
#include "bnn/Runtime/Artifact.h"
#include "bnn/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace py = pybind11;
using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::python;

namespace {

/// Raised as bnn.CompileError, bnn.InterpretError and bnn.LoadError.
struct CompileFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct InterpretFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct LoadFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string quoted(const std::string &s) { return "'" + s + "'"; }

//===----------------------------------------------------------------------===//
// Compiler
//===----------------------------------------------------------------------===//

py::bytes compile(const std::string &text, const std::string &bufferName,
                  const std::string &target, const std::string &cpu,
                  const std::string &features, unsigned optLevel,
                  const std::string &emit, const std::string &stopAfter,
                  const std::string &pipelineOptions) {
  CompileOptions options;
  options.lowering.target = target;
  options.lowering.cpu = cpu;
  options.lowering.features = features;
  options.optLevel = optLevel;
  if (std::string error = setPipelineOptions(options, pipelineOptions);
      !error.empty())
    throw CompileFailure("error: " + error + "\n");
  std::optional<EmitKind> kind = parseEmitKind(emit);
  if (!kind)
    throw CompileFailure("error: unknown emit kind '" + emit + "' (expected " +
                         listEmitKinds() + ")\n");
  options.emit = *kind;
  if (!stopAfter.empty()) {
    std::optional<Phase> phase = parsePhase(stopAfter);
    if (!phase)
      throw CompileFailure("error: unknown phase '" + stopAfter +
                           "' (expected " + listPhases() + ")\n");
    options.lowering.stopAfter = *phase;
  }
  std::string diagnostics;
  FailureOr<std::string> artifact = failure();
  {
    py::gil_scoped_release release;
    artifact = compileText(text, bufferName, options, diagnostics);
  }
  if (failed(artifact))
    throw CompileFailure(diagnostics);
  return py::bytes(*artifact);
}

/// ONNX bytes to MLIR text (bnn.import_onnx).
std::string importOnnx(const std::string &bytes, const std::string &name,
                       const std::map<std::string, std::vector<int64_t>> &shapes,
                       const std::string &functionName) {
  ONNXImportOptions options;
  options.functionName = functionName;
  for (const auto &[input, dims] : shapes)
    options.inputShapes[input] =
        llvm::SmallVector<int64_t>(dims.begin(), dims.end());
  std::string text, diagnostics;
  bool ok;
  {
    py::gil_scoped_release release;
    DialectRegistry registry;
    registerONNXImportDialects(registry);
    MLIRContext context(registry);
    llvm::SourceMgr sourceMgr;
    DiagnosticCapture capture(context, sourceMgr);
    OwningOpRef<ModuleOp> module =
        importONNX(bytes, name, &context, options);
    ok = bool(module);
    if (ok) {
      llvm::raw_string_ostream os(text);
      module->print(os, OpPrintingFlags().enableDebugInfo(true, false));
    } else {
      diagnostics = capture.text("error: import failed\n");
    }
  }
  if (!ok)
    throw CompileFailure(diagnostics);
  return text;
}

py::dict host() {
  HostTarget hostTarget = describeHost();
  py::dict result;
  result["target"] = hostTarget.target ? hostTarget.target->name.str() : "";
  result["cpu"] = hostTarget.cpu;
  result["features"] = hostTarget.features;
  return result;
}

//===----------------------------------------------------------------------===//
// Reference interpreter
//===----------------------------------------------------------------------===//

/// The .npy form of a numpy array (C order, native little-endian).
npy::Array toNpyArray(py::array array) {
  array = py::module_::import("numpy").attr("ascontiguousarray")(array);
  npy::Array result;
  result.descr = py::str(array.dtype().attr("str")).cast<std::string>();
  result.shape.assign(array.shape(), array.shape() + array.ndim());
  const auto *data = static_cast<const uint8_t *>(array.data());
  result.data.assign(data, data + array.nbytes());
  return result;
}

py::array fromNpyArray(const npy::Array &array) {
  py::array result(py::dtype(array.descr), array.shape);
  std::memcpy(result.mutable_data(), array.data.data(), array.data.size());
  return result;
}

std::vector<py::array> interpret(const std::string &text,
                                 const std::string &bufferName,
                                 const std::string &entry,
                                 const std::vector<py::array> &args) {
  DialectRegistry registry;
  ref::registerInterpreterDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, bufferName), llvm::SMLoc());
  DiagnosticCapture capture(context, sourceMgr);
  OwningOpRef<ModuleOp> module =
      parseModelSource(sourceMgr, ParserConfig(&context));
  if (!module)
    throw InterpretFailure(capture.text("error: cannot parse the model\n"));
  std::string error;
  FailureOr<func::FuncOp> func = ref::lookupEntry(*module, entry, error);
  if (failed(func))
    throw InterpretFailure("error: " + error + "\n");
  std::string name = quoted(func->getSymName().str());
  if (args.size() != func->getNumArguments())
    throw py::type_error(name + " takes " +
                         std::to_string(func->getNumArguments()) +
                         " argument(s), got " + std::to_string(args.size()));

  std::vector<ref::Tensor> tensors;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string what = "argument #" + std::to_string(i) + " of " + name;
    auto type = dyn_cast<RankedTensorType>(func->getArgumentTypes()[i]);
    std::optional<ref::ElementType> elementType =
        type ? ref::ElementType::fromMLIR(type.getElementType())
             : std::nullopt;
    if (!elementType)
      throw InterpretFailure("error: " + what +
                             " is not a ranked tensor of a type the "
                             "interpreter knows\n");
    std::optional<ref::Tensor> tensor =
        ref::fromNpy(toNpyArray(args[i]), *elementType, error);
    if (!tensor)
      throw py::type_error(what + ": " + error);
    bool shapeMatches = tensor->rank() == type.getRank();
    for (int64_t d = 0; shapeMatches && d < type.getRank(); ++d)
      shapeMatches = type.isDynamicDim(d) || // a dynamic batch
                     type.getDimSize(d) == tensor->dim(d);
    if (!shapeMatches) {
      std::string expected;
      llvm::raw_string_ostream os(expected);
      os << type;
      throw py::value_error(what + " is " + tensor->typeString() +
                            ", expected " + expected);
    }
    tensors.push_back(std::move(*tensor));
  }

  FailureOr<std::vector<ref::Tensor>> results = failure();
  {
    py::gil_scoped_release release;
    results = ref::interpret(*func, tensors);
  }
  if (failed(results))
    throw InterpretFailure(capture.text("error: interpretation failed\n"));
  std::vector<py::array> arrays;
  for (const ref::Tensor &result : *results)
    arrays.push_back(fromNpyArray(ref::toNpy(result)));
  return arrays;
}

//===----------------------------------------------------------------------===//
// Loaded artifacts
//===----------------------------------------------------------------------===//

/// (shape, type name, numpy dtype); a dynamic batch is None in the shape.
py::tuple tensorSignature(const bnn_tensor_info &info) {
  py::list shape;
  for (int32_t d = 0; d < info.ndim; ++d)
    shape.append(info.shape[d] == -1 ? py::object(py::none())
                                     : py::object(py::int_(info.shape[d])));
  runtime::ElemType type = *runtime::classify(info.dtype);
  return py::make_tuple(py::tuple(shape), type.name(), numpyDtype(type));
}

class PyArtifact {
public:
  PyArtifact(const py::object &source, const std::string &name) {
    std::string error;
    if (py::isinstance<py::bytes>(source)) {
      std::string bytes = source.cast<std::string>();
      artifact = runtime::Artifact::openBytes(bytes, name, error);
    } else {
      artifact = runtime::Artifact::open(source.cast<std::string>(), error);
    }
    if (!artifact)
      throw LoadFailure(error);
    const bnn_module_info &module = artifact->module();
    for (int32_t i = 0; i < module.num_entries; ++i)
      if (!runtime::checkEntry(module.entries[i], error))
        throw LoadFailure(quoted(name) + ": " + error);
  }

  /// [(name, [(shape, type name, numpy dtype)...], [...])...]
  py::list entries() const {
    py::list list;
    const bnn_module_info &module = artifact->module();
    for (int32_t i = 0; i < module.num_entries; ++i) {
      const bnn_entry_info &entry = module.entries[i];
      py::list inputs, outputs;
      for (int32_t j = 0; j < entry.num_inputs; ++j)
        inputs.append(tensorSignature(entry.inputs[j]));
      for (int32_t j = 0; j < entry.num_outputs; ++j)
        outputs.append(tensorSignature(entry.outputs[j]));
      list.append(
          py::make_tuple(entry.name, inputs, outputs, entry.workspace_bytes));
    }
    return list;
  }

  /// Calls entry `index` on `args`; results go into `out` (a sequence with
  /// one tensor per result; None is returned then) or into new arrays,
  /// returned as one object or a tuple for several: numpy arrays, or torch
  /// tensors when an argument was a torch tensor.
  py::object call(int index, const py::tuple &args, const py::object &out) {
    const bnn_entry_info &entry = lookup(index);
    Bound bound = bind(entry, args, out);
    int32_t status;
    {
      py::gil_scoped_release release;
      status = entry.fn(bound.inputTable.data(), bound.outputTable.data());
    }
    checkStatus(entry, status);
    if (!out.is_none())
      return py::none();
    // Never released: a static py::object would be destroyed after the
    // interpreter at exit.
    static PyObject *torchFromNumpy = nullptr;
    if (bound.torch && !torchFromNumpy)
      torchFromNumpy =
          py::object(py::module_::import("torch").attr("from_numpy"))
              .release()
              .ptr();
    py::object fromNumpy =
        bound.torch ? py::reinterpret_borrow<py::object>(torchFromNumpy)
                    : py::object();
    auto result = [&](const BoundTensor &t) {
      return fromNumpy ? fromNumpy(t.owner) : t.owner;
    };
    if (bound.outputs.size() == 1)
      return result(bound.outputs.front());
    py::tuple results(bound.outputs.size());
    for (size_t i = 0; i < bound.outputs.size(); ++i)
      results[i] = result(bound.outputs[i]);
    return std::move(results);
  }

  /// Times `repeat` calls after `warmup` untimed ones; milliseconds.
  py::dict benchmark(int index, const py::tuple &args, int64_t repeat,
                     int64_t warmup) {
    if (repeat < 1 || warmup < 0)
      throw py::value_error("repeat must be >= 1 and warmup >= 0");
    const bnn_entry_info &entry = lookup(index);
    Bound bound = bind(entry, args, py::none());
    std::vector<double> ms;
    ms.reserve(static_cast<size_t>(repeat));
    int32_t status = BNN_STATUS_OK;
    {
      py::gil_scoped_release release;
      for (int64_t r = 0; r < warmup + repeat && status == BNN_STATUS_OK;
           ++r) {
        auto start = std::chrono::steady_clock::now();
        status = entry.fn(bound.inputTable.data(), bound.outputTable.data());
        auto stop = std::chrono::steady_clock::now();
        if (r >= warmup)
          ms.push_back(
              std::chrono::duration<double, std::milli>(stop - start).count());
      }
    }
    checkStatus(entry, status);
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    size_t n = sorted.size();
    double mean = 0;
    for (double v : ms)
      mean += v / static_cast<double>(n);
    double variance = 0;
    for (double v : ms)
      variance += (v - mean) * (v - mean) / static_cast<double>(n);
    py::dict stats;
    stats["median_ms"] =
        n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    stats["mean_ms"] = mean;
    stats["std_ms"] = std::sqrt(variance);
    stats["min_ms"] = sorted.front();
    stats["max_ms"] = sorted.back();
    stats["p90_ms"] = sorted[std::min(n - 1, (n * 9) / 10)];
    stats["repeat"] = repeat;
    return stats;
  }

  bool setNumThreads(int n) {
    if (n < 1)
      throw py::value_error("the thread count must be >= 1, got " +
                            std::to_string(n));
    return artifact->setNumThreads(n);
  }

  std::vector<std::string> variants() const { return artifact->variants(); }
  std::string variant() const { return artifact->selectedVariant(); }
  void forceVariant(const std::string &name) const {
    std::string error;
    if (!artifact->forceVariant(name, error))
      throw py::value_error(error);
  }

private:
  /// Everything one call needs, alive until it returns.
  struct Bound {
    std::vector<BoundTensor> inputs, outputs;
    std::vector<DLTensor *> inputTable, outputTable;
    bool torch = false;
  };

  const bnn_entry_info &lookup(int index) const {
    const bnn_module_info &module = artifact->module();
    if (index < 0 || index >= module.num_entries)
      throw py::index_error("no entry #" + std::to_string(index));
    return module.entries[index];
  }

  Bound bind(const bnn_entry_info &entry, const py::tuple &args,
             const py::object &out) {
    std::string name = quoted(entry.name);
    if (static_cast<int32_t>(args.size()) != entry.num_inputs)
      throw py::type_error(name + " takes " +
                           std::to_string(entry.num_inputs) +
                           " argument(s), got " + std::to_string(args.size()));
    Bound bound;
    int64_t batch = -1; // set by the first argument with a dynamic batch
    for (int32_t i = 0; i < entry.num_inputs; ++i) {
      bound.inputs.push_back(bindInput(args[i], entry.inputs[i],
                                       "argument #" + std::to_string(i) +
                                           " of " + name,
                                       batch));
      bound.torch |= bound.inputs.back().fromTorch;
    }
    if (out.is_none()) {
      for (int32_t i = 0; i < entry.num_outputs; ++i) {
        py::array array = allocateResult(entry.outputs[i], batch);
        bound.outputs.push_back(bindOutput(
            array, entry.outputs[i],
            "result #" + std::to_string(i) + " of " + name, batch));
      }
    } else {
      py::sequence outs = py::reinterpret_borrow<py::sequence>(out);
      if (!py::isinstance<py::sequence>(out) ||
          static_cast<int32_t>(outs.size()) != entry.num_outputs)
        throw py::type_error("out= of " + name + " must be a sequence of " +
                             std::to_string(entry.num_outputs) +
                             " tensor(s), one per result");
      for (int32_t i = 0; i < entry.num_outputs; ++i)
        bound.outputs.push_back(bindOutput(outs[i], entry.outputs[i],
                                           "out #" + std::to_string(i) +
                                               " of " + name,
                                           batch));
      checkOverlaps(bound, name);
    }
    for (BoundTensor &t : bound.inputs)
      bound.inputTable.push_back(&t.dl);
    for (BoundTensor &t : bound.outputs)
      bound.outputTable.push_back(&t.dl);
    // Null-terminated tables: never a null pointer, even without tensors.
    bound.inputTable.push_back(nullptr);
    bound.outputTable.push_back(nullptr);
    return bound;
  }

  /// Results must not share memory with arguments or with each other: the
  /// artifact may write a result before it has read everything.
  static void checkOverlaps(const Bound &bound, const std::string &name) {
    auto range = [](const BoundTensor &t) {
      size_t bytes = runtime::classify(t.dl.dtype)->size;
      for (int64_t d : t.shape)
        bytes *= static_cast<size_t>(d);
      auto begin = reinterpret_cast<uintptr_t>(t.dl.data) + t.dl.byte_offset;
      return std::make_pair(begin, begin + bytes);
    };
    auto overlap = [&](const BoundTensor &a, const BoundTensor &b) {
      auto [a0, a1] = range(a);
      auto [b0, b1] = range(b);
      return a0 < b1 && b0 < a1;
    };
    for (size_t i = 0; i < bound.outputs.size(); ++i) {
      for (size_t j = 0; j < bound.inputs.size(); ++j)
        if (overlap(bound.outputs[i], bound.inputs[j]))
          throw py::value_error("out #" + std::to_string(i) + " of " + name +
                                " shares memory with argument #" +
                                std::to_string(j));
      for (size_t j = 0; j < i; ++j)
        if (overlap(bound.outputs[i], bound.outputs[j]))
          throw py::value_error("out #" + std::to_string(i) + " of " + name +
                                " shares memory with out #" +
                                std::to_string(j));
    }
  }

  static void checkStatus(const bnn_entry_info &entry, int32_t status) {
    // Every tensor was checked against the metadata, so a status means
    // that the artifact disagrees with its own metadata.
    if (status != BNN_STATUS_OK)
      throw std::runtime_error(
          quoted(entry.name) + " failed with status " +
          std::to_string(status) + " (" + bnn_status_string(status) +
          ") although every argument matches its metadata");
  }

  std::unique_ptr<runtime::Artifact> artifact;
};

} // namespace

PYBIND11_MODULE(_bnn, m) {
  m.doc() = "Native part of the bnn package (compiler, interpreter, "
            "artifacts); use the `bnn` package instead.";

  py::object error = py::exception<std::runtime_error>(m, "Error");
  static py::exception<CompileFailure> compileError(m, "CompileError",
                                                    error.ptr());
  static py::exception<InterpretFailure> interpretError(m, "InterpretError",
                                                        error.ptr());
  static py::exception<LoadFailure> loadError(m, "LoadError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const CompileFailure &e) {
      compileError(e.what());
    } catch (const InterpretFailure &e) {
      interpretError(e.what());
    } catch (const LoadFailure &e) {
      loadError(e.what());
    }
  });

  m.def("compile", &compile, py::arg("text"), py::arg("buffer_name"),
        py::arg("target"), py::arg("cpu"), py::arg("features"),
        py::arg("opt_level"), py::arg("emit"), py::arg("stop_after"),
        py::arg("pipeline_options"));
  m.def("host", &host);
  m.def("import_onnx", &importOnnx, py::arg("bytes"), py::arg("name"),
        py::arg("input_shapes"), py::arg("function_name"));
  m.def("interpret", &interpret, py::arg("text"), py::arg("buffer_name"),
        py::arg("entry"), py::arg("args"));

  py::class_<PyArtifact>(m, "Artifact")
      .def(py::init<const py::object &, const std::string &>(),
           py::arg("source"), py::arg("name"))
      .def_property_readonly("entries", &PyArtifact::entries)
      .def("call", &PyArtifact::call, py::arg("index"), py::arg("args"),
           py::arg("out"))
      .def("benchmark", &PyArtifact::benchmark, py::arg("index"),
           py::arg("args"), py::arg("repeat"), py::arg("warmup"))
      .def("set_num_threads", &PyArtifact::setNumThreads, py::arg("n"))
      .def("variants", &PyArtifact::variants)
      .def("variant", &PyArtifact::variant)
      .def("force_variant", &PyArtifact::forceVariant, py::arg("name"));
}
