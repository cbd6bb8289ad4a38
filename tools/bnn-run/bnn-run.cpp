//===- bnn-run.cpp - run a compiled bnn artifact --------------------------===//
//
// bnn-run MODEL.so [--entry NAME] [--input FILE.npy]... [--output FILE.npy]...
//         [--random-inputs SEED] [--input-bits I=K]... [--repeat N]
//         [--threads N] [--variant NAME] [--supply-workspace] [--quiet]
//
// Loads a shared library that implements the runtime ABI of
// bnn-c/Runtime.h, validates the inputs against the metadata of one entry,
// calls it and prints (or saves) its results in the format of bnn-interp.
// Every problem is a `bnn-run: error: ...` line and exit status 1.
//
// Plain C++17 and libdl only: no LLVM/MLIR, so that the tool cross-compiles
// for the targets the artifacts run on. See docs/bnn-run.md.
//
//===----------------------------------------------------------------------===//

#include "bnn-c/Runtime.h"
#include "bnn/Runtime/Artifact.h"
#include "bnn/Support/Npy.h"
#include "bnn/Support/OutputFile.h"
#include "bnn/Support/Random.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace mlir::bnn;
using namespace mlir::bnn::runtime;

namespace {

const char kUsage[] =
    "usage: bnn-run MODEL.so [--entry NAME] [--input FILE.npy]...\n"
    "               [--output FILE.npy]... [--random-inputs SEED]\n"
    "               [--input-bits I=K]... [--repeat N] [--threads N] "
    "[--variant NAME]\n"
    "               [--supply-workspace] [--quiet]\n"
    "\n"
    "Runs one entry of a compiled bnn artifact (see bnn-c/Runtime.h).\n"
    "\n"
    "  --entry NAME          entry to run (default: the only entry)\n"
    "  --input FILE.npy      argument values, one .npy per argument, in "
    "order\n"
    "  --random-inputs SEED  deterministic random arguments, the same values\n"
    "                        as bnn-interp --random-inputs SEED\n"
    "  --input-bits I=K      argument #I (ui1..ui8, stored as bytes) holds\n"
    "                        K-bit values: random values lie in 0..2^K-1 and\n"
    "                        .npy values are checked against that range\n"
    "                        (default K = 8)\n"
    "  --output FILE.npy     save results, one .npy per result, in order\n"
    "  --repeat N            after one warm-up call, time N calls and print\n"
    "                        the latency on stderr\n"
    "  --threads N           thread count (N >= 1) for artifacts that export\n"
    "                        bnn_set_num_threads\n"
    "  --variant NAME        run this code variant of a multi-variant\n"
    "                        artifact (default: the one selected for this\n"
    "                        CPU when it was loaded); with --repeat the\n"
    "                        variant that ran is printed on stderr\n"
    "  --batch N             batch size of an entry with a dynamic batch\n"
    "                        (default: dimension 0 of the first batched\n"
    "                        --input file, else 1)\n"
    "  --supply-workspace    call the entry with a workspace bnn-run\n"
    "                        allocates (bnn_workspace_entry_<name>) instead\n"
    "                        of the artifact's own; with --repeat its size\n"
    "                        is printed on stderr\n"
    "  --quiet               do not print the results\n"
    "  --help                print this text\n";

int fail(const std::string &message) {
  std::fprintf(stderr, "bnn-run: error: %s\n", message.c_str());
  return 1;
}

/// The first error writing to stdout (0: none).
int stdoutErrno = 0;

void writeStdout(const std::string &text) {
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() &&
      !stdoutErrno)
    stdoutErrno = errno ? errno : EIO;
}

/// Flushes stdout and reports a write error (a full disk, a closed pipe)
/// instead of exiting 0; returns the exit status.
int finishStdout(int status) {
  errno = 0;
  if (std::fflush(stdout) != 0 && !stdoutErrno)
    stdoutErrno = errno ? errno : EIO;
  if (std::ferror(stdout) && !stdoutErrno)
    stdoutErrno = EIO;
  if (stdoutErrno) {
    fail(std::string("cannot write to stdout: ") + std::strerror(stdoutErrno));
    return 1;
  }
  return status;
}

void warn(const std::string &message) {
  std::fprintf(stderr, "bnn-run: warning: %s\n", message.c_str());
}

std::string quoted(const std::string &s) { return "'" + s + "'"; }

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

struct InputBits {
  int64_t index;
  unsigned bits;
  std::string text; // as given, for messages
};

struct Options {
  std::string model;
  std::optional<std::string> entry;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::optional<uint64_t> seed;
  std::vector<InputBits> inputBits;
  std::optional<int64_t> repeat;
  std::optional<int32_t> threads;
  std::optional<std::string> variant;
  std::optional<int64_t> batch;
  bool quiet = false;
  bool supplyWorkspace = false;
  bool help = false;
};

/// Parses a decimal number without sign, spaces or trailing text.
bool parseUnsigned(const std::string &text, uint64_t max, uint64_t &value) {
  if (text.empty() || text.size() > 20)
    return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  return true;
}

bool parseInputBits(const std::string &text, InputBits &result,
                    std::string &error) {
  size_t eq = text.find('=');
  uint64_t index, bits;
  if (eq == std::string::npos ||
      !parseUnsigned(text.substr(0, eq), INT32_MAX, index) ||
      !parseUnsigned(text.substr(eq + 1), UINT64_MAX, bits)) {
    error = "--input-bits: expected I=K (argument index and bit width), got " +
            quoted(text);
    return false;
  }
  if (bits < 1 || bits > 8) {
    error = "--input-bits " + text + ": the bit width must be 1..8";
    return false;
  }
  result = {static_cast<int64_t>(index), static_cast<unsigned>(bits), text};
  return true;
}

bool parseOptions(int argc, char **argv, Options &options, std::string &error) {
  bool positionalOnly = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (positionalOnly || arg.size() < 2 || arg[0] != '-') {
      if (!options.model.empty()) {
        error = "more than one model given (" + quoted(options.model) +
                " and " + quoted(arg) + ")";
        return false;
      }
      if (arg.empty()) {
        error = "empty model path";
        return false;
      }
      options.model = arg;
      continue;
    }
    if (arg == "--") {
      positionalOnly = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      options.help = true;
      continue;
    }
    if (arg.compare(0, 2, "--") != 0) {
      error = "unknown option " + quoted(arg) + " (see --help)";
      return false;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "quiet" || name == "supply-workspace") {
      if (value) {
        error = "--" + name + " takes no value";
        return false;
      }
      (name == "quiet" ? options.quiet : options.supplyWorkspace) = true;
      continue;
    }
    static const char *const kValued[] = {
        "entry",      "input",  "output", "random-inputs",
        "input-bits", "repeat", "threads",    "batch", "variant"};
    if (std::find_if(std::begin(kValued), std::end(kValued),
                     [&](const char *n) { return name == n; }) ==
        std::end(kValued)) {
      error = "unknown option " + quoted("--" + name) + " (see --help)";
      return false;
    }
    if (!value) {
      if (i + 1 >= argc) {
        error = "--" + name + " needs a value";
        return false;
      }
      value = argv[++i];
    }
    const std::string &v = *value;
    auto once = [&](bool given) {
      if (given)
        error = "--" + name + " given more than once";
      return !given;
    };
    if (name == "entry") {
      if (!once(options.entry.has_value()))
        return false;
      options.entry = v;
    } else if (name == "variant") {
      if (!once(options.variant.has_value()))
        return false;
      options.variant = v;
    } else if (name == "input") {
      options.inputs.push_back(v);
    } else if (name == "output") {
      options.outputs.push_back(v);
    } else if (name == "random-inputs") {
      if (!once(options.seed.has_value()))
        return false;
      uint64_t seed;
      if (!parseUnsigned(v, UINT64_MAX, seed)) {
        error = "--random-inputs: expected a seed in 0.." +
                std::to_string(UINT64_MAX) + ", got " + quoted(v);
        return false;
      }
      options.seed = seed;
    } else if (name == "input-bits") {
      InputBits bits;
      if (!parseInputBits(v, bits, error))
        return false;
      options.inputBits.push_back(bits);
    } else if (name == "batch") {
      if (!once(options.batch.has_value()))
        return false;
      uint64_t n;
      if (!parseUnsigned(v, INT32_MAX, n)) {
        error = "--batch: expected an integer in 0.." +
                std::to_string(INT32_MAX) + ", got " + quoted(v);
        return false;
      }
      options.batch = static_cast<int64_t>(n);
    } else if (name == "repeat" || name == "threads") {
      bool isRepeat = name == "repeat";
      if (!once(isRepeat ? options.repeat.has_value()
                         : options.threads.has_value()))
        return false;
      uint64_t n;
      if (!parseUnsigned(v, isRepeat ? 1000000000 : INT32_MAX, n) || n < 1) {
        error = "--" + name + ": expected an integer in 1.." +
                std::to_string(isRepeat ? 1000000000 : INT32_MAX) + ", got " +
                quoted(v);
        return false;
      }
      if (isRepeat)
        options.repeat = static_cast<int64_t>(n);
      else
        options.threads = static_cast<int32_t>(n);
    }
  }
  if (options.help)
    return true;
  if (options.model.empty()) {
    error = "no model given (usage: bnn-run MODEL.so [options]; see --help)";
    return false;
  }
  if (!options.inputs.empty() && options.seed) {
    error = "--input and --random-inputs are mutually exclusive";
    return false;
  }
  // An output written over an input or the model would destroy what the
  // user had (and the run reads the input after the file is replaced).
  for (const std::string &out : options.outputs) {
    std::vector<std::string> sources = options.inputs;
    sources.push_back(options.model);
    for (const std::string &in : sources)
      if (isInputFile(out, in)) {
        error = "--output " + quoted(out) + " is the input file " +
                quoted(in) + "; refusing to overwrite it";
        return false;
      }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Element types and tensors
//===----------------------------------------------------------------------===//

/// 64-byte aligned storage that is never null (1 byte for empty tensors).
struct Buffer {
  struct Free {
    void operator()(void *p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> memory;
  size_t size = 0;

  bool allocate(size_t bytes) {
    void *p = nullptr;
    if (posix_memalign(&p, 64, std::max<size_t>(bytes, 1)) != 0)
      return false;
    std::memset(p, 0, std::max<size_t>(bytes, 1));
    memory.reset(p);
    size = bytes;
    return true;
  }
  uint8_t *data() const { return static_cast<uint8_t *>(memory.get()); }
};

/// One argument or result: its metadata and storage.
struct Tensor {
  ElemType type;
  std::vector<int64_t> shape;
  int64_t numElements = 0;
  Buffer buffer;
  DLTensor dl{};

  void bind(DLDataType dtype) {
    dl.data = buffer.data();
    dl.device = {kDLCPU, 0};
    dl.ndim = static_cast<int32_t>(shape.size());
    dl.dtype = dtype;
    // DLPack wants a valid pointer even for rank 0.
    static int64_t scalarShape[1] = {1};
    dl.shape = shape.empty() ? scalarShape : shape.data();
    dl.strides = nullptr;
    dl.byte_offset = 0;
  }
};

/// Allocates `t` for `info`; a dynamic batch (-1) takes `batch` images.
bool allocateTensor(const bnn_tensor_info &info, int64_t batch, Tensor &t,
                    const std::string &what, std::string &error) {
  t.type = *classify(info.dtype);
  t.shape.assign(info.shape, info.shape + info.ndim);
  if (!t.shape.empty() && t.shape[0] == -1)
    t.shape[0] = batch;
  uint64_t bytes = t.type.size;
  for (int64_t d : t.shape) {
    if (d != 0 && bytes > kMaxTensorBytes / static_cast<uint64_t>(d)) {
      error = what + " is larger than " + std::to_string(kMaxTensorBytes) +
              " bytes";
      return false;
    }
    bytes *= static_cast<uint64_t>(d);
  }
  t.numElements = 1;
  for (int64_t d : t.shape)
    t.numElements *= d;
  if (!t.buffer.allocate(bytes)) {
    error = "cannot allocate " + std::to_string(bytes) + " bytes for " + what;
    return false;
  }
  t.bind(info.dtype);
  return true;
}

template <typename T> void storeLE(uint8_t *p, T v) {
  std::memcpy(p, &v, sizeof(T)); // all supported hosts are little-endian
}

template <typename T> T loadLE(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// The value of element `i` of an integer tensor.
int64_t intElement(const Tensor &t, int64_t i) {
  const uint8_t *p = t.buffer.data();
  switch (t.type.elem) {
  case Elem::Bool:
  case Elem::U8:
    return p[i];
  case Elem::I8:
    return static_cast<int8_t>(p[i]);
  case Elem::I32:
    return loadLE<int32_t>(p + 4 * i);
  case Elem::F32:
    break;
  }
  return 0;
}

/// Fills `t` with the values of bnn-interp --random-inputs, drawn in
/// chunks so that no temporary as large as the tensor is allocated.
void fillRandomTensor(Tensor &t, uint64_t seed) {
  uint8_t *p = t.buffer.data();
  if (!t.type.isInteger()) {
    // f32 storage is 64-byte aligned floats: written in place.
    fillRandom(RandomElementKind::floats(), seed, t.numElements,
               reinterpret_cast<float *>(p), nullptr);
    return;
  }
  RandomGenerator generator(
      RandomElementKind::integers(t.type.minValue(), t.type.maxValue()), seed);
  constexpr int64_t kChunk = 1 << 12;
  int64_t values[kChunk];
  for (int64_t start = 0; start < t.numElements; start += kChunk) {
    int64_t n = std::min(kChunk, t.numElements - start);
    generator.next(n, nullptr, values);
    for (int64_t i = 0; i < n; ++i) {
      if (t.type.size == 1)
        p[start + i] = static_cast<uint8_t>(values[i]);
      else
        storeLE<int32_t>(p + 4 * (start + i), static_cast<int32_t>(values[i]));
    }
  }
}

/// The message for a failed npy::Reader step (the caller names the file).
std::string describe(const npy::Reader &reader, const std::string &reason) {
  switch (reader.failure()) {
  case npy::Reader::Failure::Open:
    return "cannot open the file: " + reason;
  case npy::Reader::Failure::Read:
    return "cannot read the file: " + reason;
  default:
    return reason;
  }
}

/// Reads `path` into the already allocated argument `t`: the header first,
/// checked against `t`, then the data straight into `t`'s buffer. Nothing
/// is allocated on the way, so a file of any size (or /dev/zero) ends in a
/// message, never in an allocation failure.
bool loadInput(const std::string &path, Tensor &t, std::string &error) {
  npy::Reader reader;
  std::string reason;
  if (!reader.open(path, reason)) {
    error = describe(reader, reason);
    return false;
  }
  const npy::Header &header = reader.header();
  const std::string &d = header.descr;
  bool accepted = d == t.type.descr ||
                  (t.type.elem == Elem::Bool && (d == "|u1" || d == "|i1"));
  if (!accepted) {
    error = "dtype '" + d + "' does not match " + typeString(t.shape, t.type) +
            " (expected '" + t.type.descr + "')";
    return false;
  }
  if (header.shape != t.shape) {
    error = "shape " + shapeString(header.shape) + " does not match " +
            shapeString(t.shape);
    return false;
  }
  uint8_t *p = t.buffer.data();
  if (!reader.readData(p, reason)) {
    error = describe(reader, reason);
    return false;
  }
  if (t.type.elem != Elem::Bool && t.type.elem != Elem::U8)
    return true; // every value of the other types is in range
  for (int64_t i = 0; i < t.numElements; ++i) {
    int64_t v = d == "|i1" ? static_cast<int8_t>(p[i]) : p[i];
    if (v < t.type.minValue() || v > t.type.maxValue()) {
      error = "element " + std::to_string(i) + " is " + std::to_string(v) +
              ", outside the range of " + typeString(t.shape, t.type);
      return false;
    }
  }
  return true;
}

npy::Array toNpy(const Tensor &t) {
  npy::Array array;
  array.descr = t.type.descr;
  array.shape = t.shape;
  const uint8_t *p = t.buffer.data();
  array.data.assign(p, p + t.buffer.size);
  return array;
}

/// Prints like the reference interpreter: nested brackets, one innermost row
/// per line, floats as %.6g, binary values as +1 / -1.
void printRec(const Tensor &t, std::string &out, size_t dim, int64_t &flat,
              unsigned indent) {
  if (dim == t.shape.size()) {
    char text[64];
    if (!t.type.isInteger())
      std::snprintf(
          text, sizeof(text), "%.6g",
          static_cast<double>(loadLE<float>(t.buffer.data() + 4 * flat)));
    else if (t.type.elem == Elem::Bool)
      std::snprintf(text, sizeof(text), "%d", intElement(t, flat) ? -1 : 1);
    else
      std::snprintf(text, sizeof(text), "%" PRId64, intElement(t, flat));
    out += text;
    ++flat;
    return;
  }
  out += "[";
  for (int64_t i = 0; i < t.shape[dim]; ++i) {
    if (i > 0) {
      out += ",";
      if (dim + 1 == t.shape.size())
        out += " ";
      else
        out += "\n" + std::string(indent + 1, ' ');
    }
    printRec(t, out, dim + 1, flat, indent + 1);
  }
  out += "]";
}

std::string printTensor(const Tensor &t) {
  std::string out;
  int64_t flat = 0;
  printRec(t, out, 0, flat, 0);
  return out + "\n";
}

//===----------------------------------------------------------------------===//
// Loading the artifact
//===----------------------------------------------------------------------===//

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  std::string error;
  if (!parseOptions(argc, argv, options, error))
    return fail(error);
  if (options.help) {
    writeStdout(kUsage);
    return finishStdout(0);
  }

  std::unique_ptr<Artifact> artifact = Artifact::open(options.model, error);
  if (!artifact)
    return fail(error);
  const bnn_module_info *module = &artifact->module();

  // The entry.
  const bnn_entry_info *entry = nullptr;
  if (options.entry) {
    for (int32_t i = 0; i < module->num_entries; ++i)
      if (*options.entry == module->entries[i].name)
        entry = &module->entries[i];
    if (!entry)
      return fail("no entry " + quoted(*options.entry) + " in " +
                  quoted(options.model) + " (entries: " +
                  (module->num_entries ? entryNames(*module) : "none") + ")");
  } else if (module->num_entries == 1) {
    entry = &module->entries[0];
  } else if (module->num_entries == 0) {
    return fail(quoted(options.model) + " has no entries");
  } else {
    return fail(quoted(options.model) + " has " +
                std::to_string(module->num_entries) + " entries (" +
                entryNames(*module) + "): choose one with --entry");
  }
  if (!checkEntry(*entry, error))
    return fail(error);
  std::string name = quoted(entry->name);

  // Argument and result counts.
  size_t numInputs = static_cast<size_t>(entry->num_inputs);
  size_t numOutputs = static_cast<size_t>(entry->num_outputs);
  if (options.inputs.empty() && !options.seed && numInputs != 0)
    return fail(name + " takes " + std::to_string(numInputs) +
                " argument(s): give --input files or --random-inputs");
  if (!options.inputs.empty() && options.inputs.size() != numInputs)
    return fail(name + " takes " + std::to_string(numInputs) +
                " argument(s), got " + std::to_string(options.inputs.size()) +
                " --input file(s)");
  if (!options.outputs.empty() && options.outputs.size() != numOutputs)
    return fail(name + " returns " + std::to_string(numOutputs) +
                " result(s), got " + std::to_string(options.outputs.size()) +
                " --output file(s)");

  // A dynamic batch (dimension 0 of -1 in the metadata): --batch, or the
  // first batched --input file's, or 1.
  int64_t batch = options.batch.value_or(-1);
  for (size_t i = 0; i < numInputs && batch < 0 && !options.inputs.empty();
       ++i) {
    const bnn_tensor_info &info = entry->inputs[i];
    if (info.ndim < 1 || info.shape[0] != -1)
      continue;
    // Only the header: the data is read once the tensor is allocated.
    npy::Reader reader;
    std::string reason;
    if (!reader.open(options.inputs[i], reason))
      return fail("argument #" + std::to_string(i) + " (" +
                  quoted(options.inputs[i]) + "): " + describe(reader, reason));
    if (!reader.header().shape.empty())
      batch = reader.header().shape[0];
  }
  if (batch < 0)
    batch = 1;

  // Arguments.
  std::vector<Tensor> inputs(numInputs);
  for (size_t i = 0; i < numInputs; ++i)
    if (!allocateTensor(entry->inputs[i], batch, inputs[i],
                        "argument #" + std::to_string(i), error))
      return fail(error);
  std::vector<bool> bitsGiven(numInputs, false);
  for (const InputBits &b : options.inputBits) {
    if (b.index >= static_cast<int64_t>(numInputs))
      return fail("--input-bits " + b.text + ": " + name + " takes " +
                  std::to_string(numInputs) + " argument(s)");
    Tensor &t = inputs[b.index];
    if (t.type.elem != Elem::U8)
      return fail("--input-bits " + b.text + ": argument #" +
                  std::to_string(b.index) + " is " +
                  typeString(t.shape, t.type) +
                  ", not an unsigned byte (ui1..ui8) argument");
    if (bitsGiven[b.index])
      return fail("--input-bits given more than once for argument #" +
                  std::to_string(b.index));
    bitsGiven[b.index] = true;
    t.type.bits = b.bits;
  }
  for (size_t i = 0; i < numInputs; ++i) {
    if (options.seed) {
      // The same seeds as bnn-interp: argument i uses SEED + i.
      fillRandomTensor(inputs[i], *options.seed + i);
      continue;
    }
    if (!loadInput(options.inputs[i], inputs[i], error))
      return fail("argument #" + std::to_string(i) + " (" +
                  quoted(options.inputs[i]) + "): " + error);
  }

  // Results.
  std::vector<Tensor> outputs(numOutputs);
  for (size_t i = 0; i < numOutputs; ++i)
    if (!allocateTensor(entry->outputs[i], batch, outputs[i],
                        "result #" + std::to_string(i), error))
      return fail(error);

  if (options.variant && !artifact->forceVariant(*options.variant, error))
    return fail("--variant: " + error);

  if (options.threads && !artifact->setNumThreads(*options.threads) &&
      *options.threads > 1)
    warn(quoted(options.model) +
         " does not export bnn_set_num_threads: it runs single-threaded");

  // Null-terminated tables: never a null pointer, even without arguments.
  std::vector<DLTensor *> inputTable, outputTable;
  for (Tensor &t : inputs)
    inputTable.push_back(&t.dl);
  for (Tensor &t : outputs)
    outputTable.push_back(&t.dl);
  inputTable.push_back(nullptr);
  outputTable.push_back(nullptr);

  // A workspace of bnn-run's, when asked for: what an embedding program
  // that manages its memory would pass.
  std::unique_ptr<void, void (*)(void *)> workspace(nullptr, std::free);
  if (options.supplyWorkspace && entry->workspace_bytes > 0) {
    size_t bytes = static_cast<size_t>(entry->workspace_bytes);
    size_t rounded = (bytes + BNN_WORKSPACE_ALIGNMENT - 1) /
                     BNN_WORKSPACE_ALIGNMENT * BNN_WORKSPACE_ALIGNMENT;
    workspace.reset(std::aligned_alloc(BNN_WORKSPACE_ALIGNMENT, rounded));
    if (!workspace)
      return fail("cannot allocate a workspace of " + std::to_string(bytes) +
                  " bytes");
  }
  auto call = [&](const std::string &which) {
    int32_t status =
        options.supplyWorkspace
            ? entry->fn_workspace(inputTable.data(), outputTable.data(),
                                  workspace.get(), entry->workspace_bytes)
            : entry->fn(inputTable.data(), outputTable.data());
    if (status == BNN_STATUS_OK)
      return true;
    // Arguments and results were checked against the metadata above, so a
    // status here means that the artifact disagrees with its own metadata.
    error = name + " failed" + which + " with status " +
            std::to_string(status) + " (" + bnn_status_string(status) +
            ") although every argument and result matches its metadata";
    return false;
  };

  // One call, or a warm-up call and N timed calls.
  if (!call(""))
    return fail(error);
  if (options.repeat) {
    std::vector<double> ms;
    ms.reserve(*options.repeat);
    for (int64_t r = 0; r < *options.repeat; ++r) {
      auto start = std::chrono::steady_clock::now();
      bool ok = call(" in timed run " + std::to_string(r + 1));
      auto stop = std::chrono::steady_clock::now();
      if (!ok)
        return fail(error);
      ms.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::string variant = artifact->selectedVariant();
    if (!variant.empty())
      std::fprintf(stderr, "variant: %s\n", variant.c_str());
    if (options.supplyWorkspace)
      std::fprintf(stderr, "workspace: %" PRId64 " bytes, supplied\n",
                   static_cast<int64_t>(entry->workspace_bytes));
    std::fprintf(stderr,
                 "latency: median %.3f ms, min %.3f ms, max %.3f ms (%" PRId64
                 " runs)\n",
                 median(ms), *std::min_element(ms.begin(), ms.end()),
                 *std::max_element(ms.begin(), ms.end()), *options.repeat);
  }

  for (size_t i = 0; i < numOutputs; ++i) {
    const Tensor &t = outputs[i];
    if (!options.quiet) {
      std::string text = "result #" + std::to_string(i) + ": " +
                         typeString(t.shape, t.type) + "\n" + printTensor(t);
      writeStdout(text);
    }
    if (!options.outputs.empty()) {
      std::fflush(stdout);
      if (!npy::writeFile(options.outputs[i], toNpy(t), error)) {
        fail("result #" + std::to_string(i) + ": " + error);
        return finishStdout(1);
      }
    }
  }
  return finishStdout(0);
}
